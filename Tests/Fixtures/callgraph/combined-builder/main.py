class Query:
    def __init__(self):
        self.parts = []

    def where(self, clause):
        self.parts.append(clause)
        return self

    def order(self, key):
        self.parts.append(key)
        return self

    def build(self):
        return " ".join(self.parts)


def select():
    return Query()


def model_class():
    return Query


sql = select().where("a").order("b").build()
q = model_class()()
q.where("c").build()

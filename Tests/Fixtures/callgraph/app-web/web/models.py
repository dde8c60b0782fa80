class User:
    def __init__(self, name):
        self.name = name

    @classmethod
    def all(cls):
        return [cls("ann"), cls("bob")]

    def to_dict(self):
        return {"name": self.name}

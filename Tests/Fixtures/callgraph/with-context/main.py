class Session:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def query(self):
        return []


class Plain:
    pass


def open_session():
    return Session()


with Session() as s:
    s.query()

with open_session() as s2:
    s2.query()

class Repository:
    def get(self, key):
        raise NotImplementedError

    def put(self, key, value):
        raise NotImplementedError


class MemoryRepository(Repository):
    def __init__(self):
        self.rows = {}

    def get(self, key):
        return self.rows.get(key)

    def put(self, key, value):
        self.rows[key] = value

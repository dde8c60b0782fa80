class Registry:
    def __init__(self):
        self.items = {}

    def register(self, name):
        def decorator(cls):
            self.items[name] = cls
            return cls
        return decorator

    def get(self, name):
        return self.items[name]

    def names(self):
        return list(self.items)


registry = Registry()


def load_all():
    for name in registry.names():
        yield name, registry.get(name)

from .middleware import timed


class Request:
    def __init__(self, path):
        self.path = path


class App:
    def __init__(self, name):
        self.name = name
        self.routes = {}

    def route(self, path):
        def decorator(view):
            self.routes[path] = timed(view)
            return view
        return decorator

    def handle(self, path):
        view = self.routes[path]
        return view(Request(path))

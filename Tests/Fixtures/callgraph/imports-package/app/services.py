from .core.engine import boot


class Service:
    def start(self):
        return boot()

from . import services


def create():
    return services.Service()

from .. import config


def boot():
    return config.settings()

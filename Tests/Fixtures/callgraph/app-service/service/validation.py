class InvalidName(ValueError):
    pass


def check_name(name):
    if not name:
        raise InvalidName(name)
    return name

def alpha():
    return "a"


def beta():
    return "b"


def callbacks():
    yield alpha
    yield beta


def numbers():
    yield 1
    yield 2


for cb in callbacks():
    cb()
total = sum(numbers())

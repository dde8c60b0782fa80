import functools


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


@logged
def work(x):
    return x * 2


def twice(func):
    def inner():
        func()
        func()
    return inner


@twice
def ping():
    return "ping"


work(3)
ping()

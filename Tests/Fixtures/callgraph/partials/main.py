import functools
from functools import partial


def greet(greeting, name):
    return greeting + name


def add(a, b):
    return a + b


hello = functools.partial(greet, "hello ")
hello("bob")
inc = partial(add, 1)
inc(2)

from runner import apply, apply_twice


def hello():
    return "hi"


def world():
    return "world"


def local_apply(fn, arg):
    return fn(arg)


def shout(s):
    return s.upper()


apply(hello)
apply_twice(world)
local_apply(shout, "x")

def apply(fn):
    return fn()


def apply_twice(fn):
    apply(fn)
    return fn()

def target():
    return 1


def other_target():
    return 2


def pick():
    return target


def pick_other():
    f = other_target
    return f


pick()()
g = pick_other()
g()

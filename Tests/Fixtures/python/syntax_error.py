def ok():
    return 1


def broken(a, b:
    return a + b

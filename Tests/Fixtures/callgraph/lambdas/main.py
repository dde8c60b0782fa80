def helper(x):
    return x


def other():
    return 1


square = lambda x: helper(x) * helper(x)
pick = lambda: other


square(2)
pick()()

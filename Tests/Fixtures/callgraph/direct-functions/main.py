def helper():
    return 1


def compute(x):
    return helper() + x


def run():
    total = compute(2)
    return total + helper()


run()

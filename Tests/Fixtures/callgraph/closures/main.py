def make_counter():
    count = 0

    def increment():
        return helper(count + 1)

    return increment


def helper(n):
    return n


def outer():
    def inner():
        return helper(1)
    return inner()


counter = make_counter()
counter()
outer()

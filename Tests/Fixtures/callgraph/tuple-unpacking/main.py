def left():
    return "l"


def right():
    return "r"


def pair():
    return left, right


a, b = left, right
a()
b()
x, y = pair()
x()
y()

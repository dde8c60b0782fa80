def helper():
    return other()


def other():
    return 2


class Tool:
    def __init__(self):
        self.ready = other()

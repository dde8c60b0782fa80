handler = None


def first():
    return 1


def second():
    return 2


def configure():
    global handler
    handler = first


def counter():
    fn = first

    def swap():
        nonlocal fn
        fn = second

    swap()
    return fn()


configure()
handler()
counter()

def default_cb():
    return 0


def custom_cb():
    return 1


def process(cb=default_cb):
    return cb()


process()
process(custom_cb)

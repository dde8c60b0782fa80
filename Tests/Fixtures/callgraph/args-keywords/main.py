def on_done():
    return "done"


def on_error():
    return "error"


def run(task, callback=None, errback=None):
    callback()
    return task


def forward(**kwargs):
    return run(1, **kwargs)


def named(*, handler):
    return handler()


run(0, callback=on_done)
forward(callback=on_error)
named(handler=on_done)

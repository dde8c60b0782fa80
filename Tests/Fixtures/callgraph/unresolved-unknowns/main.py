import sys


def handle(request):
    request.send()
    return request.reply()


def known():
    return 1


class Thing:
    def send(self):
        return 1

    def reply(self):
        return 2


def run(plugin):
    known()
    return plugin.activate()


try:
    handle(sys.stdin)
except AttributeError:
    pass
try:
    run(sys.modules)
except AttributeError:
    pass

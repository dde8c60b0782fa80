def start():
    return "start"


def stop():
    return "stop"


def status():
    return "status"


HANDLERS = {"start": start, "stop": stop}
HANDLERS["status"] = status


def dispatch(name):
    return HANDLERS[name]()


for command in ["start", "stop", "status"]:
    dispatch(command)

class Bus:
    def __init__(self):
        self.listeners = []

    def subscribe(self, listener):
        self.listeners.append(listener)

    def publish(self, event):
        for listener in self.listeners:
            listener(event)


class Auditor:
    def __init__(self, bus):
        self.log = []
        bus.subscribe(self.on_event)

    def on_event(self, event):
        self.log.append(self.describe(event))

    def describe(self, event):
        return str(event)


def print_event(event):
    return event


bus = Bus()
Auditor(bus)
bus.subscribe(print_event)
bus.publish("saved")

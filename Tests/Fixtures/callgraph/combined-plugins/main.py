from plugins import registry, load_all


@registry.register("upper")
class Upper:
    def __init__(self, text):
        self.text = text

    def apply(self):
        return self.text.upper()


@registry.register("lower")
class Lower:
    def apply(self):
        return "lower"


def run():
    results = []
    for name, plugin in load_all():
        results.append(name)
    cls = registry.get("upper")
    return cls("abc").apply()


run()

import json


class Outer:
    """Outer doc."""

    class Inner:
        """
        Inner doc on second line.
        """

        def method(self):
            def helper(x):
                return json.dumps(x)
            return helper(self.value())

        def value(self):
            return 1

    def run(self):
        class Local:
            def go(self):
                return self.run_again()
        return Local().go()


def factory():
    def make():
        class Made:
            pass
        return Made
    return make()


x = factory()
y = [Outer.Inner().method() for _ in range(2)]
z = (lambda q: q.strip())(" s ")
obj = json.loads("{}")["key"].upper()

class Fast:
    def compute(self, x):
        return x


class Careful:
    def compute(self, x):
        return self.check(x)

    def check(self, x):
        return x


STRATEGIES = {"fast": Fast, "careful": Careful}


class Solver:
    def __init__(self, strategy):
        self.strategy = strategy

    def solve(self, x):
        return self.strategy.compute(x)


def build(name):
    return Solver(STRATEGIES[name]())


for key in ("fast", "careful"):
    build(key).solve(1)

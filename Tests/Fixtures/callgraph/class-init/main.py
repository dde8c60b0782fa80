class WithInit:
    def __init__(self, x):
        self.x = x


class NoInit:
    def run(self):
        return 1


class Child(WithInit):
    pass


class GrandChild(Child):
    def __init__(self):
        super().__init__(3)


a = WithInit(1)
b = NoInit()
c = Child(2)
d = GrandChild()
b.run()

class MyClass:
    def func(self):
        return self.other()

    def other(self):
        return 1


class Unrelated:
    def func(self):
        return 2


def use():
    obj = MyClass()
    obj.func()
    return obj


a = MyClass()
a.func()
b = use()
b.other()

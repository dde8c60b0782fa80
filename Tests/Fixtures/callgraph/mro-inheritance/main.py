class Base:
    def greet(self):
        return self.name()

    def name(self):
        return "base"


class Left(Base):
    def name(self):
        return "left"


class Right(Base):
    def name(self):
        return "right"

    def extra(self):
        return "extra"


class Diamond(Left, Right):
    pass


d = Diamond()
d.greet()
d.extra()
Right().greet()

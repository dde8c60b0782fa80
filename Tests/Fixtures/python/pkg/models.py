from . import sub
from .sub import helpers


class Base:
    def __init__(self, name):
        self.name = name

    def save(self):
        return helpers.persist(self)

    @classmethod
    def load(cls, name):
        return cls.from_name(name)

    @classmethod
    def from_name(cls, name):
        return cls(name)


class User(Base):
    def __init__(self, name, email):
        super().__init__(name)
        self.email = email

    def rename(self, name):
        self.name = sub.helpers.slugify(name)
        return self.save()


class Admin(User):
    def promote(self):
        return self.rename(self.name.upper())

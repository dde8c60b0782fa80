class Animal:
    def __init__(self, name):
        self.name = name

    def speak(self):
        return "..."


class Dog(Animal):
    def __init__(self, name):
        super().__init__(name)

    def speak(self):
        return super().speak() + "woof"


class Puppy(Dog):
    def speak(self):
        return super().speak() + "!"


Puppy("rex").speak()

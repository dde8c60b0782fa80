class Engine:
    def start(self):
        return "vroom"


class Radio:
    def play(self):
        return "la"


class Car:
    def __init__(self):
        self.engine = Engine()
        self.radio = None

    def install(self, radio):
        self.radio = radio

    def drive(self):
        self.engine.start()
        self.radio.play()


car = Car()
car.install(Radio())
car.drive()

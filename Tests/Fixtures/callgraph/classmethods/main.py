class Config:
    def __init__(self, data):
        self.data = data

    @classmethod
    def load(cls):
        return cls(cls.defaults())

    @classmethod
    def defaults(cls):
        return {}

    @staticmethod
    def validate(data):
        return bool(data)

    def check(self):
        return self.validate(self.data)


cfg = Config.load()
cfg.check()
Config.validate({})

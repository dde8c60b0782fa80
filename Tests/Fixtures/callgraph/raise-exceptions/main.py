class AppError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class QuietError(Exception):
    pass


def fail():
    raise AppError("boom")


def fail_quiet():
    raise QuietError()


try:
    fail()
except AppError:
    pass
try:
    fail_quiet()
except QuietError:
    pass

import time


def timed(view):
    def wrapper(request):
        start = time.perf_counter()
        result = view(request)
        record(time.perf_counter() - start)
        return result
    return wrapper


def record(seconds):
    return round(seconds, 3)

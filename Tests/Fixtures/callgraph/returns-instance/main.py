class Repo:
    def save(self):
        return True


class Cache:
    def get(self):
        return None


def make_repo():
    return Repo()


def make_any(kind):
    if kind:
        return Repo()
    return Cache()


make_repo().save()
r = make_repo()
r.save()
c = make_any(False)
c.get()

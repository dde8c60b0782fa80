from .validation import check_name


class UserService:
    def __init__(self, repo):
        self.repo = repo

    def register(self, name):
        check_name(name)
        self.repo.put(name, {"name": name})

    def rename(self, old, new):
        row = self.repo.get(old)
        check_name(new)
        self.repo.put(new, row)

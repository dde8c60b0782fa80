from service.repository import MemoryRepository
from service.users import UserService


def bootstrap():
    repo = MemoryRepository()
    return UserService(repo)


service = bootstrap()
service.register("ann")
service.rename("ann", "anna")

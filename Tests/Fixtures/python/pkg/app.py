import pkg
import pkg.sub.helpers as h
from pkg import User, make_slug
from .models import Admin as A
from .sub.helpers import persist


def build():
    user = User("a", "b")
    admin = A("c", "d")
    admin.promote()
    slug = make_slug("Hello World")
    h.slugify(slug)
    pkg.models.Base("x")
    persist(user)
    return unknown_function(user)

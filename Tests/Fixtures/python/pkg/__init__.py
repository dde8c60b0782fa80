"""Package re-exporting its public API."""
from .models import User, Admin
from .sub.helpers import slugify as make_slug

__all__ = ["User", "Admin", "make_slug"]

from .services import Service
from .factory import create

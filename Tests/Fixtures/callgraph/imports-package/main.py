from app import create, Service
import app.core.engine as engine
from app.core import engine as eng2

svc = create()
Service().start()
engine.boot()
eng2.boot()

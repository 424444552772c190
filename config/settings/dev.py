"""Laptop and demo settings: SQLite, console mail, DEBUG on.

The secret key below is public on purpose; `production.py` refuses to start with it.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-never-use-in-production")

"""Test settings: the same stack, faster hashing. DATABASE_URL still selects PostgreSQL."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod is argon2
WHITENOISE_AUTOREFRESH = True
# Tasks run inline at enqueue (Django's own ImmediateBackend); the tests of the worker itself
# start real `wushe worker` processes on the database backend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

"""Test settings: the same stack, faster hashing. DATABASE_URL still selects PostgreSQL."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod is argon2
WHITENOISE_AUTOREFRESH = True

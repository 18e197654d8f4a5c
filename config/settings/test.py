"""Test settings: the same stack, faster hashing. DATABASE_URL still selects PostgreSQL."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod is argon2
WHITENOISE_AUTOREFRESH = True
# Tasks run inline at enqueue (Django's own ImmediateBackend); the tests of the worker itself
# start real `wushe worker` processes on the database backend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The cache is the process's own memory (the tests' counters start from cache.clear() in
# wushe/conftest.py), without the "cache" database alias: the tests use "default" only. The
# shared SQLite cache is tested by real processes in wushe/core/tests/test_shared_state.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES.pop("cache", None)  # noqa: F405
DATABASE_ROUTERS = []

# Django's test teardown flushes with TRUNCATE; the audit tables refuse TRUNCATE on PostgreSQL
# unless the database is a test_… one whose session says so (audit migration 0004).
for _alias in DATABASES.values():  # noqa: F405
    if "postgresql" in _alias.get("ENGINE", ""):
        _options = _alias.setdefault("OPTIONS", {})
        _options["options"] = (_options.get("options", "") + " -c wushe.allow_truncate=on").strip()

# Every service that changes a record must write its audit event (wushe/core/services.py):
# on here, so every test that calls a service checks it.
WUSHE_CHECK_SERVICE_AUDIT = True

"""Development keys generated once into the data directory.

Production passes WUSHE_SECRET_KEY, WUSHE_PII_KEYS and WUSHE_BLIND_INDEX_KEY in the
environment; a development checkout gets its own random keys on first run so that nothing
secret is ever committed and two checkouts never share keys.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

KEYS_FILE = "keys.json"


def new_pii_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


PRIVATE_UMASK = 0o077


def private_umask() -> None:
    """Files and directories this process creates are its user's only (0600 / 0700): the data
    directory holds personal data, keys and uploads. Called first by every entry point
    (``wushe``, manage.py, the WSGI module)."""
    os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """Create the directory (and its missing parents) 0700; an existing one is left as it is."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """Create an empty file 0600 if it is missing (an empty file is an empty SQLite database,
    and SQLite gives its -wal and -shm files the database file's mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    return path


def load_or_create_keys(data_dir: Path) -> dict[str, str]:
    path = data_dir / KEYS_FILE
    if path.exists():
        return json.loads(path.read_text())
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "pii_keys": f"k1:{new_pii_key()}",
        "blind_index_key": secrets.token_urlsafe(32),
    }
    write_keys(path, keys)
    return keys


def write_keys(path: Path, keys: dict[str, str]) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(keys, fh, indent=2)
    os.replace(tmp, path)

"""Where the keys come from: the key providers (file, env, http) and the private data directory.

Production passes WUSHE_SECRET_KEY, WUSHE_PII_KEYS and WUSHE_BLIND_INDEX_KEY in the
environment, or has an external key service unwrap them (``HttpProvider``); a development
checkout gets its own random keys on first run so that nothing secret is ever committed and
two checkouts never share keys.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
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
    """The key file's keys, made on first run. Two processes starting together on a new data
    directory (a server and a worker, two schedulers) must end with the same keys: the file is
    published with an exclusive link, and the process that loses the race reads the winner's
    keys instead of its own (which never encrypted anything)."""
    path = data_dir / KEYS_FILE
    if path.exists():
        return _read(path)
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "pii_keys": f"k1:{new_pii_key()}",
        "blind_index_key": secrets.token_urlsafe(32),
    }
    if not publish_keys(path, keys):
        return _read(path)
    return keys


def publish_keys(path: Path, keys: dict[str, str]) -> bool:
    """Create the key file with ``keys`` unless it exists; False when another process's file
    was there first (its keys are the ones to use)."""
    tmp = _write_temp(path, keys)
    try:
        os.link(tmp, path)  # atomic, and fails if the file exists
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True


def write_keys(path: Path, keys: dict[str, str]) -> None:
    """Replace the key file at once (rotatekey): readers see the old file or the new one."""
    os.replace(_write_temp(path, keys), path)


def _write_temp(path: Path, keys: dict[str, str]) -> Path:
    """The keys in a new 0600 file of this process's own beside ``path``."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(keys, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(name)


# --- key providers --------------------------------------------------------------------------
#
# Where the three secrets come from, chosen by WUSHE_KEY_PROVIDER:
#
#   file  DATA_DIR/keys.json, generated on first run (development; any key set in the
#         environment overrides the file's)
#   env   WUSHE_SECRET_KEY, WUSHE_PII_KEYS and WUSHE_BLIND_INDEX_KEY, all three required
#   http  an external key service (a certified cipher machine or KMS, 密评 GB/T 39786): the
#         key file holds only *wrapped* keys; each is unwrapped by POSTing it to the service
#         and the plaintext is held in this process's memory only.
#
# Unset: ``env`` when all three variables are set, otherwise ``file`` (the behaviour before
# providers existed).

KEY_NAMES = ("secret_key", "pii_keys", "blind_index_key")
ENV_NAMES = {"secret_key": "WUSHE_SECRET_KEY", "pii_keys": "WUSHE_PII_KEYS",
             "blind_index_key": "WUSHE_BLIND_INDEX_KEY"}
KMS_TIMEOUT = 10.0


class KeyProviderError(RuntimeError):
    """The keys cannot be had: raised at startup, with a Chinese and an English message and
    never a key in it."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


class FileProvider:
    name = "file"

    def __init__(self, data_dir: Path, environ: Mapping[str, str]) -> None:
        self.data_dir, self.environ = data_dir, environ

    def load(self) -> dict[str, str]:
        keys = dict(load_or_create_keys(self.data_dir))
        for key, env in ENV_NAMES.items():
            if self.environ.get(env):
                keys[key] = self.environ[env]
        return keys


class EnvProvider:
    name = "env"

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def load(self) -> dict[str, str]:
        missing = [env for env in ENV_NAMES.values() if not self.environ.get(env)]
        if missing:
            names = ", ".join(missing)
            raise KeyProviderError(f"WUSHE_KEY_PROVIDER=env 但缺少环境变量 {names}",
                                   f"WUSHE_KEY_PROVIDER=env but {names} is not set")
        return {key: self.environ[env] for key, env in ENV_NAMES.items()}


class HttpProvider:
    """Data keys wrapped by an external key service.

    The protocol (JSON over HTTPS, ``Authorization: Bearer <WUSHE_KMS_TOKEN>``)::

        POST <WUSHE_KMS_URL>/unwrap {"key_id": KEK, "ciphertext": b64} → {"plaintext": b64}
        POST <WUSHE_KMS_URL>/wrap   {"key_id": KEK, "plaintext": b64}  → {"ciphertext": b64}

    ``KEK`` is ``WUSHE_KMS_KEY_ID``, the name of the key-encryption key inside the service
    (it never leaves it). The key file (DATA_DIR/keys.json, mode 0600) then reads::

        {"provider": "http", "secret_key": "<wrapped>", "blind_index_key": "<wrapped>",
         "pii_keys": "k2:sm4gcm+hmac-sm3:<wrapped>,k1:aes256gcm+hmac-sha256:<wrapped>"}

    On first start with no key file, new keys are generated, wrapped by the service, and only
    the wrapped form is written. Plain ``http://`` is refused except to a loopback address (a
    test, or an adapter on the same host); ``WUSHE_KMS_CA_FILE`` pins the service's CA and
    ``WUSHE_KMS_CLIENT_CERT`` / ``WUSHE_KMS_CLIENT_KEY`` add mutual TLS.
    """

    name = "http"

    def __init__(self, data_dir: Path, environ: Mapping[str, str]) -> None:
        self.path = data_dir / KEYS_FILE
        self.url = environ.get("WUSHE_KMS_URL", "").rstrip("/")
        self.token = environ.get("WUSHE_KMS_TOKEN", "")
        self.kek = environ.get("WUSHE_KMS_KEY_ID", "wushe")
        self.ca_file = environ.get("WUSHE_KMS_CA_FILE") or None
        self.client_cert = environ.get("WUSHE_KMS_CLIENT_CERT") or None
        self.client_key = environ.get("WUSHE_KMS_CLIENT_KEY") or None
        if not self.url or not self.token:
            raise KeyProviderError("WUSHE_KEY_PROVIDER=http 需要 WUSHE_KMS_URL 和 WUSHE_KMS_TOKEN",
                                   "WUSHE_KEY_PROVIDER=http needs WUSHE_KMS_URL and WUSHE_KMS_TOKEN")
        parts = urllib.parse.urlsplit(self.url)
        loopback = parts.hostname in ("127.0.0.1", "::1", "localhost")
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise KeyProviderError("密钥服务地址必须是 https://(仅本机回环地址可用 http://)",
                                   "The key service URL must be https:// (http:// only to a "
                                   "loopback address)")

    # -- the service ---------------------------------------------------------------------

    def _call(self, op: str, field: str, value: bytes, answer: str) -> bytes:
        body = json.dumps({"key_id": self.kek, field: base64.b64encode(value).decode()})
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            f"{self.url}/{op}", data=body.encode(), method="POST",
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {self.token}"})
        context = None
        if self.url.startswith("https:"):
            context = ssl.create_default_context(cafile=self.ca_file)
            if self.client_cert:
                context.load_cert_chain(self.client_cert, self.client_key)
        try:
            with urllib.request.urlopen(request, timeout=KMS_TIMEOUT,  # noqa: S310
                                        context=context) as response:
                data = json.loads(response.read(65536))
            return base64.b64decode(data[answer], validate=True)
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise KeyProviderError(f"密钥服务拒绝了凭据(HTTP {exc.code}),请检查 WUSHE_KMS_TOKEN",
                                       f"The key service refused the credential (HTTP {exc.code}); "
                                       "check WUSHE_KMS_TOKEN") from None
            raise KeyProviderError(f"密钥服务 {op} 失败(HTTP {exc.code})",
                                   f"The key service failed to {op} a key (HTTP {exc.code})"
                                   ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise KeyProviderError(f"无法连接密钥服务 {self.url}({reason}),wushe 不能启动",
                                   f"The key service at {self.url} cannot be reached ({reason}); "
                                   "wushe cannot start") from None
        except (ValueError, KeyError, TypeError):
            raise KeyProviderError("密钥服务的应答格式不对", "The key service's answer is malformed"
                                   ) from None

    def unwrap(self, wrapped: str) -> bytes:
        try:
            raw = base64.b64decode(wrapped, validate=True)
        except ValueError:
            raise KeyProviderError("密钥文件中的封装密钥不是 base64",
                                   "A wrapped key in the key file is not base64") from None
        return self._call("unwrap", "ciphertext", raw, "plaintext")

    def wrap(self, plain: bytes) -> str:
        return base64.b64encode(self._call("wrap", "plaintext", plain, "ciphertext")).decode()

    # -- the key file ----------------------------------------------------------------------

    def read_wrapped(self) -> dict[str, str]:
        wrapped: dict[str, str] = json.loads(self.path.read_text())
        if wrapped.get("provider") != "http" or any(k not in wrapped for k in KEY_NAMES):
            raise KeyProviderError(f"{self.path} 不是封装密钥文件(provider 不是 http)",
                                   f"{self.path} is not a wrapped key file (provider is not http)")
        return wrapped

    def write_wrapped(self, wrapped: dict[str, str]) -> None:
        write_keys(self.path, {"provider": "http", **wrapped})

    def wrap_pii_key(self, kid: str, suite: str, key: bytes) -> str:
        return f"{kid}:{suite}:{self.wrap(key)}"

    def load(self) -> dict[str, str]:
        if not self.path.exists():
            self._create()
        wrapped = self.read_wrapped()
        pii = []
        for item in wrapped["pii_keys"].split(","):
            parts = item.strip().split(":")
            if len(parts) != 3:
                raise KeyProviderError(f"{self.path} 中的 pii_keys 应为 kid:算法:封装密钥",
                                       f"pii_keys in {self.path} must be kid:suite:wrapped-key")
            kid, suite, blob = parts
            pii.append(f"{kid}:{suite}:{base64.urlsafe_b64encode(self.unwrap(blob)).decode()}")
        return {"secret_key": self.unwrap(wrapped["secret_key"]).decode(),
                "blind_index_key": self.unwrap(wrapped["blind_index_key"]).decode(),
                "pii_keys": ",".join(pii)}

    def _create(self) -> None:
        # Wrapped first, written after: with the service down nothing is written at all.
        wrapped = {
            "secret_key": self.wrap(secrets.token_urlsafe(50).encode()),
            "blind_index_key": self.wrap(secrets.token_urlsafe(32).encode()),
            "pii_keys": self.wrap_pii_key("k1", DEFAULT_SUITE, os.urandom(16)),
        }
        # Two processes starting together: the first file wins, load() reads it.
        publish_keys(self.path, {"provider": "http", **wrapped})


# New deployments on the HTTP provider (a 密评 setting) start on the national algorithms.
DEFAULT_SUITE = "sm4gcm+hmac-sm3"

KeyProvider = FileProvider | EnvProvider | HttpProvider


def key_provider(data_dir: Path, environ: Mapping[str, str] | None = None) -> KeyProvider:
    environ = os.environ if environ is None else environ
    name = environ.get("WUSHE_KEY_PROVIDER", "").strip().lower()
    if not name:
        name = "env" if all(environ.get(e) for e in ENV_NAMES.values()) else "file"
    if name == "file":
        return FileProvider(data_dir, environ)
    if name == "env":
        return EnvProvider(environ)
    if name == "http":
        return HttpProvider(data_dir, environ)
    raise KeyProviderError(f"WUSHE_KEY_PROVIDER 只能是 file、env 或 http,而不是 {name!r}",
                           f"WUSHE_KEY_PROVIDER must be file, env or http, not {name!r}")


def load_keys(data_dir: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The secret key, the PII key ring and the blind-index key, from the configured provider."""
    return key_provider(data_dir, environ).load()


def _read(path: Path) -> dict[str, str]:
    keys: dict[str, str] = json.loads(path.read_text())
    return keys

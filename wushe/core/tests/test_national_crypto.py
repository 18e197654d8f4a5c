"""National cryptography (issue #22 item 3): SM4-GCM + HMAC-SM3 keys beside AES ones, moving data
between them, and keys unwrapped by an external key service over HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from wushe.core.crypto import SM_SUITE, KeyRing, blind_index, keyring, parse_spec
from wushe.core.keys import KeyProviderError, key_provider, load_keys
from wushe.core.reencrypt import reencrypt_all
from wushe.people.models import Person
from wushe.people.selectors import person_lookup
from wushe.people.services import person_create

AES_K1 = "k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
SM_K2 = f"k2:{SM_SUITE}:" + base64.urlsafe_b64encode(os.urandom(16)).decode()
IDS = ["11010519491231002X", "110105194912310038", "110105195001010012"]


def raw(pk: int, column: str = "id_number") -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM people_person WHERE id = %s", [pk])  # noqa: S608
        return str(cur.fetchone()[0])


def test_sm4_key_encrypts_and_reads_back_and_refuses_tampering():
    ring = KeyRing(SM_K2)
    token = ring.encrypt("重庆市九龙坡区谢家湾街道")
    assert token.startswith("k2$") and "谢家湾" not in token
    assert ring.decrypt(token) == "重庆市九龙坡区谢家湾街道"
    raw_bytes = bytearray(base64.b64decode(token.split("$")[1]))
    raw_bytes[-1] ^= 1
    with pytest.raises(InvalidTag):
        ring.decrypt("k2$" + base64.b64encode(bytes(raw_bytes)).decode())
    with pytest.raises(ValueError, match="16 bytes"):  # an AES-sized key is no SM4 key
        KeyRing(f"k3:{SM_SUITE}:" + base64.urlsafe_b64encode(os.urandom(32)).decode())
    with pytest.raises(ValueError, match="unknown algorithms"):
        KeyRing("k3:des:" + base64.urlsafe_b64encode(os.urandom(16)).decode())


def test_blind_index_is_hmac_sm3_under_an_sm_key():
    with override_settings(WUSHE_PII_KEYS=SM_K2, WUSHE_BLIND_INDEX_KEY="bik"):
        expected = hmac.new(b"bik", b"13912345678", digestmod="sm3").hexdigest()
        assert blind_index("13912345678") == expected
    with override_settings(WUSHE_PII_KEYS=AES_K1, WUSHE_BLIND_INDEX_KEY="bik"):
        assert blind_index("13912345678") == hmac.new(b"bik", b"13912345678",
                                                      hashlib.sha256).hexdigest()


def test_a_ring_with_both_kinds_reads_both(root, community_a):
    with override_settings(WUSHE_PII_KEYS=AES_K1):
        old = person_create(actor=root, region=community_a, name="张三", id_number=IDS[0],
                            phone="13912345678")
    with override_settings(WUSHE_PII_KEYS=f"{SM_K2},{AES_K1}"):
        new = person_create(actor=root, region=community_a, name="李四", id_number=IDS[1],
                            phone="13812345678")
        assert raw(old.pk).startswith("k1$") and raw(new.pk).startswith("k2$")
        both = {p.pk: (p.id_number, p.phone) for p in Person.objects.unscoped()}
        assert both[old.pk] == (IDS[0], "13912345678")
        assert both[new.pk] == (IDS[1], "13812345678")


def test_reencrypt_moves_every_row_to_sm4_and_lookups_still_find_people(root, community_a):
    with override_settings(WUSHE_PII_KEYS=AES_K1):
        people = [person_create(actor=root, region=community_a, name="张三李四王五"[i:i + 2], id_number=n,
                                phone=f"1391234567{i}") for i, n in enumerate(IDS)]
    with override_settings(WUSHE_PII_KEYS=f"{SM_K2},{AES_K1}"):
        # The blind indexes are still HMAC-SHA256: exact lookup misses until reencrypt.
        assert person_lookup(actor=root, id_number=IDS[0]) is None
        counts = reencrypt_all(batch=2)
        assert counts["people.Person"] == len(IDS)
        for p, number in zip(people, IDS, strict=True):
            assert raw(p.pk).startswith("k2$") and raw(p.pk, "phone").startswith("k2$")
            found = person_lookup(actor=root, id_number=number)
            assert found is not None and found.pk == p.pk
            assert raw(p.pk, "id_number_bidx") == hmac.new(
                keyring_bik(), number.encode(), digestmod="sm3").hexdigest()
        assert reencrypt_all()["people.Person"] == 0  # idempotent
    with override_settings(WUSHE_PII_KEYS=SM_K2):  # the AES key can now be dropped
        assert Person.objects.unscoped().get(pk=people[2].pk).id_number == IDS[2]


def keyring_bik() -> bytes:
    from django.conf import settings

    return settings.WUSHE_BLIND_INDEX_KEY.encode()


def test_rotatekey_algorithm_sm4_puts_an_sm4_key_first(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("WUSHE_PII_KEYS", raising=False)
    keys = {"secret_key": "s", "pii_keys": AES_K1, "blind_index_key": "b"}
    (tmp_path / "keys.json").write_text(json.dumps(keys))
    with override_settings(DATA_DIR=tmp_path, WUSHE_KEY_PROVIDER="file", WUSHE_PII_KEYS=AES_K1):
        call_command("rotatekey", "--algorithm", "sm4")
    ring = parse_spec(json.loads((tmp_path / "keys.json").read_text())["pii_keys"])
    assert [(k.kid, k.suite, len(k.key)) for k in ring] == [("k2", SM_SUITE, 16),
                                                           ("k1", "aes256gcm+hmac-sha256", 32)]
    assert "wushe reencrypt" in capsys.readouterr().out


# --- the HTTP key provider against a real little key service ---------------------------------

TOKEN = "kms-token-for-tests"


class Kms:
    """A key service on 127.0.0.1: wraps and unwraps with a key-encryption key it never shows."""

    def __init__(self) -> None:
        kek = AESGCM(os.urandom(32))
        calls = self.calls = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                calls.append(self.path)
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, {"error": "unauthorised"})
                if self.path == "/wrap":
                    nonce = os.urandom(12)
                    out = nonce + kek.encrypt(nonce, base64.b64decode(body["plaintext"]), None)
                    return self._send(200, {"ciphertext": base64.b64encode(out).decode()})
                blob = base64.b64decode(body["ciphertext"])
                plain = kek.decrypt(blob[:12], blob[12:], None)
                return self._send(200, {"plaintext": base64.b64encode(plain).decode()})

            def _send(self, status: int, data: dict[str, str]) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def kms():
    service = Kms()
    yield service
    service.stop()


def env(url: str, token: str = TOKEN) -> dict[str, str]:
    return {"WUSHE_KEY_PROVIDER": "http", "WUSHE_KMS_URL": url, "WUSHE_KMS_TOKEN": token}


def no_plaintext_on_disk(data_dir: Path, keys: dict[str, str]) -> None:
    on_disk = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    secrets = [keys["secret_key"], keys["blind_index_key"]]
    secrets += [base64.urlsafe_b64encode(k.key).decode() for k in parse_spec(keys["pii_keys"])]
    secrets += [base64.b64encode(k.key).decode() for k in parse_spec(keys["pii_keys"])]
    for secret in secrets:
        assert secret.encode() not in on_disk


def test_http_provider_unwraps_keys_held_wrapped_on_disk(kms, tmp_path):
    first = load_keys(tmp_path, env(kms.url))  # first start: generated, wrapped, written
    assert [k.suite for k in parse_spec(first["pii_keys"])] == [SM_SUITE]
    stored = json.loads((tmp_path / "keys.json").read_text())
    assert stored["provider"] == "http"
    no_plaintext_on_disk(tmp_path, first)
    again = load_keys(tmp_path, env(kms.url))  # a restart unwraps the same keys
    assert again == first
    assert kms.calls.count("/unwrap") == 6
    ring = KeyRing(again["pii_keys"])
    assert ring.decrypt(KeyRing(first["pii_keys"]).encrypt("13912345678")) == "13912345678"
    # rotatekey --algorithm aes on the HTTP provider: the new key is wrapped by the service too
    with override_settings(DATA_DIR=tmp_path, WUSHE_KEY_PROVIDER="http",
                           WUSHE_PII_KEYS=first["pii_keys"]):
        os.environ.update(env(kms.url))
        try:
            call_command("rotatekey", "--algorithm", "aes")
        finally:
            for name in env(kms.url):
                os.environ.pop(name, None)
    rotated = load_keys(tmp_path, env(kms.url))
    assert [k.kid for k in parse_spec(rotated["pii_keys"])] == ["k2", "k1"]
    no_plaintext_on_disk(tmp_path, rotated)


def test_http_provider_with_the_service_down_stops_startup_and_writes_nothing(kms, tmp_path):
    kms.stop()
    with pytest.raises(KeyProviderError, match="cannot be reached") as caught:
        load_keys(tmp_path, env(kms.url))
    assert "密钥服务" in caught.value.zh
    assert not (tmp_path / "keys.json").exists()  # no key generated in the clear, none written


def test_http_provider_with_a_service_that_goes_down_after_setup(tmp_path):
    service = Kms()
    keys = load_keys(tmp_path, env(service.url))
    service.stop()
    with pytest.raises(KeyProviderError, match="cannot be reached"):
        load_keys(tmp_path, env(service.url))
    no_plaintext_on_disk(tmp_path, keys)


def test_http_provider_with_a_wrong_credential(kms, tmp_path):
    load_keys(tmp_path, env(kms.url))
    with pytest.raises(KeyProviderError, match="refused the credential") as caught:
        load_keys(tmp_path, env(kms.url, token="wrong"))
    assert "wrong" not in str(caught.value)


def test_http_provider_refuses_plain_http_to_another_host(tmp_path):
    with pytest.raises(KeyProviderError, match="https"):
        key_provider(tmp_path, env("http://kms.example.org"))
    with pytest.raises(KeyProviderError, match="file, env or http"):
        key_provider(tmp_path, {"WUSHE_KEY_PROVIDER": "ftp"})
    with pytest.raises(KeyProviderError, match="WUSHE_PII_KEYS"):
        key_provider(tmp_path, {"WUSHE_KEY_PROVIDER": "env", "WUSHE_SECRET_KEY": "x"}).load()


def test_keyring_in_use_follows_the_settings():
    with override_settings(WUSHE_PII_KEYS=f"{SM_K2},{AES_K1}"):
        assert keyring().current_suite == SM_SUITE


def test_wushe_refuses_to_start_when_the_key_service_is_down(tmp_path):
    import socket
    import subprocess
    import sys

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("WUSHE_", "DATABASE_"))}
    run = subprocess.run(
        [sys.executable, "-c", "from wushe.cli import main; main()", "check"],
        env={**keep, **env(f"http://127.0.0.1:{port}"), "WUSHE_DATA_DIR": str(tmp_path),
             "DJANGO_SETTINGS_MODULE": "config.settings.base"},
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "The key service at" in run.stderr and "cannot be reached" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "keys.json").exists()


def test_reencrypt_never_rewrites_a_blind_index_over_another_normalisation(root, community_a,
                                                                           monkeypatch):
    from wushe.audit.models import AuditEvent
    from wushe.core import reencrypt
    from wushe.core.crypto import AES_SUITE, blind_index_under

    with override_settings(WUSHE_PII_KEYS=AES_K1):
        a = person_create(actor=root, region=community_a, name="张三", id_number=IDS[0],
                          phone="13912345678")
        b = person_create(actor=root, region=community_a, name="李四", id_number=IDS[1],
                          phone="13812345678")
        with connection.cursor() as cur:  # a's phone index is over some unregistered form
            cur.execute("UPDATE people_person SET phone_bidx = %s WHERE id = %s", ["f" * 64, a.pk])
    with override_settings(WUSHE_PII_KEYS=f"{SM_K2},{AES_K1}"):
        reencrypt_all()
        assert raw(a.pk, "phone_bidx") == "f" * 64  # left alone, not overwritten wrongly
        assert raw(b.pk, "phone_bidx") == blind_index("13812345678")
        event = AuditEvent.objects.unscoped().filter(action="core.pii.reencrypted").last()
        assert event.data["unmatched_blind_indexes"]["people.Person.phone_bidx"] == 1
        assert event.data["suite"] == SM_SUITE
    # A registered normaliser: the index is recomputed over the normalised form.
    monkeypatch.setattr(reencrypt, "_REGISTERED", {})
    reencrypt.register_blind_index("people.Person", "phone_bidx", "phone", lambda v: "tel:" + v)
    with override_settings(WUSHE_PII_KEYS=AES_K1):
        with connection.cursor() as cur:
            cur.execute("UPDATE people_person SET phone_bidx = %s WHERE id = %s",
                        [blind_index_under("tel:13812345678", AES_SUITE), b.pk])
    with override_settings(WUSHE_PII_KEYS=f"{SM_K2},{AES_K1}"):
        reencrypt_all()
        assert raw(b.pk, "phone_bidx") == blind_index("tel:13812345678")

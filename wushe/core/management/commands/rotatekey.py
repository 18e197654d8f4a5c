import base64
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.core.crypto import AES_SUITE, ALGORITHMS, KeySpec, format_spec, new_key, parse_spec
from wushe.core.keys import KEYS_FILE, HttpProvider, load_or_create_keys, write_keys


class Command(BaseCommand):
    help = ("Add a new personal-data key in front of the key ring, then run `wushe reencrypt` "
            "/ 轮换个人信息加密密钥(--algorithm sm4: 国密 SM4-GCM + HMAC-SM3)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--algorithm", default="", choices=sorted(ALGORITHMS),
                            help="aes (AES-256-GCM + HMAC-SHA256) or sm4 (SM4-GCM + HMAC-SM3); "
                                 "default: the current key's")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        ring = parse_spec(settings.WUSHE_PII_KEYS)
        suite = ALGORITHMS[options["algorithm"]] if options["algorithm"] else (
            ring[0].suite if ring else AES_SUITE)
        ids = [k.kid for k in ring]
        n = 1 + max((int(k[1:]) for k in ids if k[1:].isdigit()), default=0)
        kid = f"k{n}"
        key = new_key(suite)
        provider = settings.WUSHE_KEY_PROVIDER
        then = (f"New current key {kid} ({suite}). Now run: wushe reencrypt "
                f"/ 新的当前密钥 {kid}({suite}),请运行 wushe reencrypt")
        if provider == "env" or os.environ.get("WUSHE_PII_KEYS"):
            self.stdout.write("WUSHE_PII_KEYS comes from the environment; set it to:\n"
                              + format_spec([KeySpec(kid, suite, key), *ring]))
            self.stdout.write(then)
            return
        if provider == "http":
            http = HttpProvider(settings.DATA_DIR, os.environ)
            wrapped = http.read_wrapped()
            if [i.split(":", 1)[0] for i in wrapped["pii_keys"].split(",")] != ids:
                raise CommandError("keys.json does not match the running settings; refusing")
            wrapped["pii_keys"] = f"{http.wrap_pii_key(kid, suite, key)},{wrapped['pii_keys']}"
            wrapped.pop("provider", None)
            http.write_wrapped(wrapped)
            self.stdout.write(f"Wrapped by the key service, written to "
                              f"{settings.DATA_DIR / KEYS_FILE}. {then}")
            return
        keys = load_or_create_keys(settings.DATA_DIR)
        if parse_spec(keys["pii_keys"]) != ring:
            raise CommandError("keys.json does not match the running settings; refusing")
        keys["pii_keys"] = f"{kid}:{suite}:{base64.urlsafe_b64encode(key).decode()}," \
                           f"{keys['pii_keys']}"
        write_keys(settings.DATA_DIR / KEYS_FILE, keys)
        self.stdout.write(f"Written to {settings.DATA_DIR / KEYS_FILE}. {then}")


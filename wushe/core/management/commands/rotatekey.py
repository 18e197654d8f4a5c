import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wushe.core.keys import KEYS_FILE, load_or_create_keys, new_pii_key, write_keys


class Command(BaseCommand):
    help = ("Add a new personal-data key in front of the key ring (development key file), "
            "then run `wushe reencrypt` / 轮换个人信息加密密钥")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        ids = [item.split(":", 1)[0] for item in settings.WUSHE_PII_KEYS.split(",")]
        n = 1 + max(int(k[1:]) for k in ids if k[1:].isdigit()) if ids else 1
        new_spec = f"k{n}:{new_pii_key()},{settings.WUSHE_PII_KEYS}"
        if os.environ.get("WUSHE_PII_KEYS"):
            self.stdout.write("WUSHE_PII_KEYS comes from the environment; set it to:\n" + new_spec)
            return
        keys = load_or_create_keys(settings.DATA_DIR)
        if keys["pii_keys"] != settings.WUSHE_PII_KEYS:
            raise CommandError("keys.json does not match the running settings; refusing")
        keys["pii_keys"] = new_spec
        write_keys(settings.DATA_DIR / KEYS_FILE, keys)
        self.stdout.write(f"New current key k{n} written to {settings.DATA_DIR / KEYS_FILE}. "
                          "Now run: wushe reencrypt")

import json

from django.core.management.base import BaseCommand

from wushe.core.reencrypt import reencrypt_all


class Command(BaseCommand):
    help = "Re-encrypt all personal data under the current key (after rotation) / 用当前密钥重新加密个人信息"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        counts = reencrypt_all(batch=options["batch"],
                               progress=lambda line: self.stderr.write(line))
        self.stdout.write(json.dumps(counts, ensure_ascii=False))

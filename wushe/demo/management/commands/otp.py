"""``wushe otp USERNAME``: the current one-time code of a demo account, to sign in as any role.

Only for accounts the demo generator created and enrolled: the username must be in the demo's
login sheet (``demo-accounts.json`` in the data directory) with its ``totp_secret``, and the
account's authenticator must be the one the demo enrolled (named so, holding that very secret).
Any other account is refused with a non-zero exit: this command never reads a real secret.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.accounts import otp
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import ACCOUNTS_FILE


def demo_secret(username: str, data_dir: Path | None = None) -> str:
    """The demo account's TOTP secret (base32), or CommandError when it is not one."""
    refused = CommandError(
        f"{username!r} 不是演示账号,wushe otp 只为演示生成的账号给出验证码。\n"
        f"{username!r} is not a demo account: wushe otp only gives codes for the accounts the "
        "demo created.")
    path = Path(data_dir or settings.DATA_DIR) / ACCOUNTS_FILE
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise refused from None
    row = next((r for r in rows if isinstance(r, dict) and r.get("username") == username), None)
    secret = str(row.get("totp_secret", "")) if row else ""
    if not secret:
        raise refused
    with scopes_disabled():
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True,
                                           name=otp.DEMO_DEVICE_NAME).first()
    if device is None or otp.secret_base32(device) != secret:
        raise refused
    return secret


class Command(BaseCommand):
    help = "Print the current one-time code of a demo account (demo accounts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        username = opts["username"]
        demo_secret(username)
        with scopes_disabled():
            device = TOTPDevice.objects.get(user__username=username, confirmed=True,
                                            name=otp.DEMO_DEVICE_NAME)
        # A code is accepted once: after a sign-in in this time step, give the next step's
        # code (accepted a step early), or wait for it.
        def now() -> int:
            return (int(time.time()) - device.t0) // device.step + device.drift

        t = max(now(), device.last_t + 1)
        if t > now() + device.tolerance:
            self.stderr.write("this code was just used; waiting for the next one …")
            while t > now() + device.tolerance:
                time.sleep(1)
        code = hotp(device.bin_key, t, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")

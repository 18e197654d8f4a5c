"""``wushe oidc link USERNAME SUBJECT`` / ``wushe oidc unlink USERNAME``: an administrator links an
account to its identity at the configured OpenID Connect provider (the subject, or the value of
``WUSHE_OIDC_CLAIM``, as the provider's administrators give it). A sign-in never links itself."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.accounts import oidc
from wushe.core.errors import WusheError


class Command(BaseCommand):
    help = "Link or unlink an account and its identity at the OpenID Connect provider."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        link = sub.add_parser("link", help="link USERNAME to SUBJECT at WUSHE_OIDC_ISSUER")
        link.add_argument("username")
        link.add_argument("subject")
        unlink = sub.add_parser("unlink", help="remove USERNAME's link")
        unlink.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "link":
                oidc.oidc_link(actor=None, username=options["username"],
                               subject=options["subject"])
                self.stdout.write(f"linked {options['username']} / 已关联")
            else:
                n = oidc.oidc_unlink(actor=None, username=options["username"])
                self.stdout.write(f"unlinked {options['username']}: {n} / 已解除关联")
        except WusheError as exc:
            raise CommandError(str(exc)) from None

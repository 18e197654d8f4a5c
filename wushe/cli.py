"""The ``wushe`` command: Django's management commands under the project's own name.

``wushe demo``, ``wushe stats --json``, ``wushe bench --json``, ``wushe reencrypt`` and every
Django command (``wushe migrate``, ``wushe createsuperuser`` …) pass straight through.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    from wushe.core.keys import KeyProviderError, private_umask

    private_umask()  # everything it creates is 0600 / 0700 (the data directory is private)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["wushe", *sys.argv[1:]])
    except KeyProviderError as exc:  # no keys (key service down, a wrong credential): say so
        sys.stderr.write(f"wushe: {exc.zh}\nwushe: {exc.en}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()

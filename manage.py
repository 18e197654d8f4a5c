#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.umask(0o077)  # as `wushe` does: the data directory is private (0600 / 0700)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

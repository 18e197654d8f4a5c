"""Set zh_Hans translations and clear their fuzzy flags.

    po_set.py [--app APP] 'msgid=译文' ...

Edits wushe/locale/zh_Hans (or wushe/APP/locale/zh_Hans with --app) after makemessages.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(args: list[str]) -> None:
    app = ""
    if args[:1] == ["--app"]:
        app, args = args[1], args[2:]
    po = ROOT / "wushe" / app / "locale/zh_Hans/LC_MESSAGES/django.po"
    pairs = args
    text = po.read_text(encoding="utf-8")
    for pair in pairs:
        msgid, _, msgstr = pair.partition("=")
        pattern = re.compile(
            r'(?:#, fuzzy\n)?(?:#\| msgid .*\n)*msgid "' + re.escape(msgid) + r'"\nmsgstr ".*"\n')
        new = f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'
        text, n = pattern.subn(lambda _m, new=new: new, text)
        if n != 1:
            sys.exit(f"msgid not found exactly once: {msgid!r}")
    po.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])

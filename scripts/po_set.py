"""Set zh_Hans translations and clear their fuzzy flags: po_set.py 'msgid=译文' ...

A small helper for keeping wushe/locale/zh_Hans complete after makemessages.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "wushe/locale/zh_Hans/LC_MESSAGES/django.po"


def main(pairs: list[str]) -> None:
    text = PO.read_text(encoding="utf-8")
    for pair in pairs:
        msgid, _, msgstr = pair.partition("=")
        pattern = re.compile(
            r'(?:#, fuzzy\n)?(?:#\| msgid .*\n)*msgid "' + re.escape(msgid) + r'"\nmsgstr ".*"\n')
        new = f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'
        text, n = pattern.subn(lambda _m, new=new: new, text)
        if n != 1:
            sys.exit(f"msgid not found exactly once: {msgid!r}")
    PO.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])

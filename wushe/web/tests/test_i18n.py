"""zh-Hans is the default language and its catalogue is complete; English is the msgid."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LOCALE = Path(settings.BASE_DIR) / "wushe" / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
# The foundation's catalogue plus one per capability app (scripts/i18n.sh keeps them apart).
ZH_POS = sorted(Path(settings.BASE_DIR).glob("wushe/**/locale/zh_Hans/LC_MESSAGES/django.po"))


def parse_po(path: Path) -> list[dict[str, object]]:
    """Entries of a .po file: flags, msgid, msgid_plural and msgstr(s). Just enough PO."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    key = ""

    def finish() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(  # type: ignore[union-attr]
                f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] = str(entry[key]) + ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    finish()
    return entries


@pytest.mark.parametrize("zh_po", ZH_POS, ids=lambda p: p.parts[-5])
def test_catalogues_exist_and_are_compiled(zh_po: Path) -> None:
    for lang in ("zh_Hans", "en"):
        po = zh_po.parents[2] / lang / "LC_MESSAGES" / "django.po"
        assert po.exists() and po.with_suffix(".mo").exists(), lang
    # The compiled zh_Hans catalogue holds every translation of the .po (compilemessages ran).
    with zh_po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in parse_po(zh_po)[1:]:
        msgid = str(e["msgid"])
        if "msgctxt" in e:
            context = str(e["msgctxt"])
            if "msgid_plural" in e:
                got = compiled.npgettext(context, msgid, str(e["msgid_plural"]), 1)
                assert got == e["msgstr[0]"], msgid
            else:
                assert compiled.pgettext(context, msgid) == e["msgstr"], msgid
        elif "msgid_plural" in e:
            assert compiled.ngettext(msgid, str(e["msgid_plural"]), 1) == e["msgstr[0]"], msgid
        else:
            assert compiled.gettext(msgid) == e["msgstr"], msgid


def test_foundation_catalogue_is_large() -> None:
    assert len(parse_po(ZH_PO)) > 100


@pytest.mark.parametrize("zh_po", ZH_POS, ids=lambda p: p.parts[-5])
def test_zh_hans_catalogue_is_complete(zh_po: Path) -> None:
    entries = parse_po(zh_po)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "fuzzy" not in header.get("flags", set())  # type: ignore[operator]
    untranslated = [e["msgid"] for e in messages
                    if not any(str(v).strip() for k, v in e.items() if k.startswith("msgstr"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]  # type: ignore[operator]
    obsolete = [e["msgid"] for e in entries if e.get("obsolete")]
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []


@pytest.mark.parametrize("zh_po", ZH_POS, ids=lambda p: p.parts[-5])
def test_zh_hans_placeholders_match(zh_po: Path) -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for e in parse_po(zh_po)[1:]:
        expected = set(placeholder.findall(str(e["msgid"])))
        for key, value in e.items():
            if key.startswith("msgstr"):
                assert set(placeholder.findall(str(value))) == expected, e["msgid"]


@pytest.mark.django_db
def test_login_page_is_chinese_by_default() -> None:
    html = Client().get("/login/").content.decode()
    assert 'lang="zh-hans"' in html
    assert "登录" in html and "用户名" in html and "密码" in html
    assert "Username" not in html


@pytest.mark.django_db
def test_login_page_in_english_after_switching() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    html = client.get("/login/").content.decode()
    assert 'lang="en"' in html
    assert "Username" in html and "Password" in html
    assert "用户名" not in html
    # And back.
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    assert "用户名" in client.get("/login/").content.decode()


@pytest.mark.django_db
def test_service_messages_follow_the_language() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    html = client.post("/login/", {"username": "nobody", "password": "x"}).content.decode()
    assert "Wrong username or password" in html

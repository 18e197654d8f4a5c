"""Every audit code reads as words, in Chinese and in English; areas by their app's name."""

from __future__ import annotations

from django.utils import translation

from wushe.audit.codes import all_codes, families
from wushe.audit.labels import LABELS, family_label, label, missing


def test_every_registered_code_has_a_label() -> None:
    # Covers codes other apps register later: add "app.model.verb": ("中文", "English") to
    # wushe/audit/labels.py LABELS.
    assert missing(all_codes()) == []


def test_labels_are_bilingual_and_not_codes() -> None:
    for code, (zh, en) in LABELS.items():
        assert zh and en and zh != en, code
        assert "." not in zh and not zh.isascii(), code
        assert code not in en, code
    with translation.override("zh-hans"):
        assert label("needs.need.dispatched") == "派单给承接方"
    with translation.override("en"):
        assert label("needs.need.dispatched") == "Need dispatched"
    assert label("no.such.code") == "no.such.code"


def test_business_areas_are_named_not_app_labels() -> None:
    with translation.override("en"):
        assert family_label("needs") == "Needs and the linkage"
        assert family_label("core") == "System"
        for family in families():
            assert family_label(family) != family, family

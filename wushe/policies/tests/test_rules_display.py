"""Local rules read as people read them and cite their document, never a development note."""

from __future__ import annotations

import io

import pytest

from wushe.core import uploads
from wushe.core.errors import ValidationFailed
from wushe.policies.files import read_file
from wushe.regions.rules import RULES


def test_rules_show_labels_and_readable_values() -> None:
    gates = RULES["projects.tranche_gates"]
    assert gates.shown(gates.base()) == "签约、中期评估、末期评估"
    assert "signing" not in gates.label()
    assert RULES["needs.remind_before_days"].shown(1) == "1 个工作日"
    assert RULES["charity.min_charitable_spending_ratio"].shown(
        RULES["charity.min_charitable_spending_ratio"].base()) == "70%"


def test_no_rule_source_carries_a_development_note() -> None:
    cited = [r for r in RULES.values() if r.doc]
    assert len(cited) >= 47
    for rule in cited:
        assert "issue" not in rule.source.lower(), rule.key


def test_a_wrong_type_or_oversize_file_is_refused_bilingually() -> None:
    with pytest.raises(ValidationFailed) as exc:
        read_file(io.BytesIO(b"MZ\x90\x00 not a document"))
    assert exc.value.code == "document_type"
    big = io.BytesIO(b"%PDF-" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as exc:
        read_file(big)
    assert exc.value.code == "too_large"
    assert read_file(io.BytesIO(b"%PDF-1.7 x"))[1] == uploads.PDF.mime

"""Certificates: only the recording team issues; snapshot, number, revocation, PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.pdffonts import pdf_font
from wushe.volunteers import services
from wushe.volunteers.models import Certificate
from wushe.volunteers.pdf import certificate_pdf
from wushe.volunteers.tests.factories import VWorld


def _confirmed(vw: VWorld, hours: str = "3", ago_hours: float = 30) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, hours, start_hours_ago=ago_hours)
    services.records_confirm(actor=vw.users["leader_a"], records=[r])


def _issue(vw: VWorld, actor_key: str = "leader_a", team: object = None):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.certificate_issue(actor=vw.users[actor_key], volunteer=vw.volunteers["a1"],
                                      team=team or vw.squad_a,
                                      period_start=today - dt.timedelta(days=30),
                                      period_end=today)


def test_only_a_team_holding_confirmed_records_issues(vw: VWorld) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _issue(vw)
    assert exc.value.code == "no_records"
    vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=50)  # pending only
    with pytest.raises(ValidationFailed):
        _issue(vw)
    _confirmed(vw)
    cert = _issue(vw)
    assert cert.hours == Decimal("3") and cert.records == 1
    # The detachment above holds the squad's records; another street's team does not.
    assert _issue(vw, "leader_det_a", vw.det_a).hours == Decimal("3")
    with pytest.raises(NotFound):
        _issue(vw, "leader_b", vw.squad_b)
    with pytest.raises(ValidationFailed):  # visible, but squad_b recorded none of a1's hours
        _issue(vw, "admin", vw.squad_b)


def test_snapshot_is_masked_and_frozen(vw: VWorld) -> None:
    _confirmed(vw)
    cert = _issue(vw)
    s = cert.snapshot
    assert s["name"] == "王*花" and "*" in s["id_number"] and s["hours"] == "3.00"
    assert s["issuer"] == vw.squad_a.name and s["volunteer_number"] == vw.volunteers["a1"].number
    assert cert.number.startswith(f"ZYZM{timezone.localdate().year}") and len(cert.number) == 18
    _confirmed(vw, "2", ago_hours=60)  # later hours do not change an issued certificate
    assert Certificate.objects.unscoped().get(pk=cert.pk).snapshot == s
    cert.snapshot = {}
    with pytest.raises(ValueError):
        cert.save()


def test_numbers_are_unique(vw: VWorld) -> None:
    _confirmed(vw)
    numbers = {_issue(vw).number for _ in range(5)}
    assert len(numbers) == 5


def test_revocation(vw: VWorld) -> None:
    _confirmed(vw)
    cert = _issue(vw)
    with pytest.raises(NotFound):
        services.certificate_revoke(actor=vw.users["leader_b"], certificate=cert, reason="错发")
    with pytest.raises(ValidationFailed):
        services.certificate_revoke(actor=vw.users["leader_a"], certificate=cert, reason="")
    services.certificate_revoke(actor=vw.users["leader_a"], certificate=cert, reason="重复出具")
    cert.refresh_from_db()
    assert not cert.valid and cert.revoke_reason == "重复出具"
    with pytest.raises(Conflict):
        services.certificate_revoke(actor=vw.users["leader_a"], certificate=cert, reason="再撤")


def test_pdf_is_a_pdf_with_the_chinese_font_embedded(vw: VWorld) -> None:
    _confirmed(vw)
    cert = _issue(vw)
    content = certificate_pdf(cert.snapshot, valid=True, verify_url="http://x/verify/1")
    assert content.startswith(b"%PDF-")
    # A TrueType subset in the file when the machine has a CJK TrueType font (pdffonts),
    # else the non-embedded CID font.
    font = pdf_font()
    assert (b"/FontFile2" in content and b"STSong-Light" not in content) if font.embedded \
        else b"STSong-Light" in content
    assert all(font.has_glyph(ch) for ch in "志愿服务证明兹证明累计服务时长小时　")
    assert len(content) > 1000

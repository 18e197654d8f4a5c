"""retention_run on the generated small district: records made past their period are
anonymised (identifiers, links, free text and blind indexes gone) while every KPI figure,
recomputed from the records, stays the same; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from wushe.audit.models import AuditEvent
from wushe.core.crypto import blind_index
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.needs.models import Need
from wushe.needs.workflow import State
from wushe.people.models import Person
from wushe.reports import kpis
from wushe.reports.kpis import Period
from wushe.residents.models import CareProfile, ProfileStatus
from wushe.retention.models import Anonymisation
from wushe.retention.registry import ANON_NAME
from wushe.retention.run import retention_run
from wushe.volunteers.models import ApplicationStatus, VolunteerApplication

DISTRICT = "500107"
ID_NUMBER, PHONE = "500107199001011234", "13912345678"


@pytest.mark.django_db
def test_anonymisation_keeps_every_kpi_and_removes_identifiers(tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)
    now = timezone.now()
    old = now - dt.timedelta(days=365 * 6)
    with scopes_disabled():
        closed = list(Need.objects.filter(state=State.CLOSED, closed_at__isnull=False)
                      .order_by("pk")[:12])
        assert len(closed) == 12
        # One need belongs to a person nothing else refers to: their own row goes too.
        lone = Person.objects.create(
            name="王小明", id_number=ID_NUMBER, id_number_bidx=blind_index(ID_NUMBER),
            phone=PHONE, phone_bidx=blind_index(PHONE), address="幸福路8号3单元",
            birth_date=dt.date(1990, 1, 1), region=closed[0].community)
        Need.objects.filter(pk=closed[0].pk).update(requester=lone)
        aged_needs = [n.pk for n in closed]
        Need.objects.filter(pk__in=aged_needs).update(closed_at=old)
        recent = Need.objects.filter(state=State.CLOSED).exclude(pk__in=aged_needs).first()
        assert recent is not None
        Need.objects.filter(pk=recent.pk).update(closed_at=now - dt.timedelta(days=30))
        profiles = list(CareProfile.objects.filter(status=ProfileStatus.ACTIVE)
                        .order_by("pk")[:3])
        CareProfile.objects.filter(pk__in=[p.pk for p in profiles]).update(
            status=ProfileStatus.CLOSED, closed_reason="迁往外省与子女同住", updated_at=old)
        apps = list(VolunteerApplication.objects.order_by("pk")[:2])
        assert apps, "the small demo has volunteer applications"
        VolunteerApplication.objects.filter(pk__in=[a.pk for a in apps]).update(
            status=ApplicationStatus.REJECTED, decided_at=old, decision_note="年龄不符")

        before = kpis.compute(DISTRICT, Period.all())
        counts = retention_run()
        after = kpis.compute(DISTRICT, Period.all())
        assert after == before
        assert counts["needs.closed"] >= 12
        assert counts["residents.closed_profile"] >= 3
        assert counts["volunteers.refused_application"] >= 2
        assert counts["people.person"] >= 1

        for need in Need.objects.filter(pk__in=aged_needs):
            assert (need.description, need.contact_name, need.contact_phone, need.result) == \
                ("", "", "", "")
            assert need.contact_phone_bidx is None
            assert need.requester_id is None and need.care_profile_id is None
        assert Need.objects.get(pk=recent.pk).requester_id == recent.requester_id
        lone.refresh_from_db()
        assert lone.name == ANON_NAME
        assert lone.id_number is None and lone.id_number_bidx is None
        assert lone.phone is None and lone.phone_bidx is None
        assert lone.address == "" and lone.birth_date is None
        assert not Person.objects.filter(id_number_bidx=blind_index(ID_NUMBER)).exists()
        for profile in CareProfile.objects.filter(pk__in=[p.pk for p in profiles]):
            assert (profile.details, profile.guardian_info, profile.closed_reason) == ("", "", "")
        for app in VolunteerApplication.objects.filter(pk__in=[a.pk for a in apps]):
            assert app.name == ANON_NAME
            assert (app.id_number, app.phone, app.id_number_bidx, app.decision_note) == \
                ("", "", "", "")
        assert AuditEvent.objects.filter(action="retention.record.anonymised").exists()

        # Safe to run twice: nothing is due any more, nothing changes.
        marks = Anonymisation.objects.count()
        again = retention_run()
        assert set(again.values()) == {0}
        assert Anonymisation.objects.count() == marks
        assert kpis.compute(DISTRICT, Period.all()) == before

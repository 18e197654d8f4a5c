"""Every service write leaves an AuditEvent in the same transaction."""

from __future__ import annotations

import pytest

from wushe.accounts import services as accounts
from wushe.audit.models import AuditEvent
from wushe.core.errors import ValidationFailed
from wushe.people import services as people
from wushe.regions import services as regions


def actions() -> list[str]:
    return list(AuditEvent.objects.unscoped().order_by("id").values_list("action", flat=True))


def test_each_service_write_records_its_event(root, district, street, community_a, staff_a):
    before = len(actions())
    regions.region_update(actor=root, region=community_a, population=9000)
    site = regions.site_create(actor=root, region=community_a, kind="sw_room", name="杨坪社工室")
    p = people.person_create(actor=staff_a, region=community_a, name="张三")
    people.person_update(actor=staff_a, person=p, name="张三丰")
    c = people.consent_give(actor=staff_a, person=p, purpose="service", scope_text="社区服务")
    people.consent_withdraw(actor=staff_a, consent=c)
    grant = accounts.grant_add(actor=root, user=staff_a, role="social_worker", region=community_a)
    accounts.grant_revoke(actor=root, grant=grant)
    raw, token = accounts.token_create(actor=staff_a)
    accounts.token_revoke(actor=staff_a, token=token)
    got = actions()[before:]
    assert got == [
        "regions.region.updated", "regions.site.created", "people.person.created",
        "people.person.updated", "people.consent.given", "people.consent.withdrawn",
        "accounts.grant.created", "accounts.grant.revoked", "accounts.token.created",
        "accounts.token.revoked",
    ]
    ev = AuditEvent.objects.unscoped().get(action="regions.region.updated")
    assert ev.data == {"population": {"old": 8000, "new": 9000}}
    assert ev.region_path == "500107001001"
    assert site.region_path == community_a.path


def test_failed_write_leaves_no_event_and_no_row(root, community_a):
    before = actions()
    with pytest.raises(ValidationFailed):
        regions.site_create(actor=root, region=community_a, kind="sw_station", name="错层社工站")
    with pytest.raises(ValidationFailed):
        regions.region_update(actor=root, region=community_a, population=-5)
    assert actions() == before

"""Care profiles and ledgers: validation, encryption, masking, reveal with a purpose, scope,
and children's records only for the roles that work with children."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from wushe.audit.models import AuditEvent, PiiAccess
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.residents import selectors, services
from wushe.residents.models import CareProfile


def test_profile_with_tags_and_encrypted_details(staff_a: Any, elder: Any) -> None:
    p = services.profile_create(actor=staff_a, person=elder, target_group="elderly",
                                tags=["empty_nest", "disability"], risk_level="high",
                                details="独居,患高血压")
    assert p.tag_list == ["empty_nest", "disability"] and not p.is_minor
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM residents_careprofile WHERE id = %s", [p.pk])
        assert "高血压" not in cursor.fetchone()[0]
    audit = AuditEvent.objects.unscoped().get(action="residents.profile.created")
    assert "高血压" not in str(audit.data)


def test_refusals(staff_a: Any, elder: Any, child: Any, other: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.profile_create(actor=staff_a, person=elder, target_group="elderly",
                                tags=["left_behind"])  # a child's tag
    with pytest.raises(ValidationFailed):
        services.profile_create(actor=staff_a, person=elder, target_group="minor")
    with pytest.raises(ValidationFailed):
        services.profile_create(actor=staff_a, person=elder, target_group="elderly",
                                details="<script>x</script>")
    with pytest.raises(NotFound):
        services.profile_create(actor=staff_a, person=other, target_group="elderly")
    services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    with pytest.raises(Conflict):
        services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    assert CareProfile.objects.unscoped().count() == 1


def test_unmask_needs_permission_and_purpose(staff_a: Any, elder: Any,
                                             make_user: Any, community_a: Any) -> None:
    p = services.profile_create(actor=staff_a, person=elder, target_group="hardship",
                                tags=["dibao"], details="大病住院")
    with pytest.raises(ValidationFailed):
        services.profile_unmask(actor=staff_a, profile=p, field="details", purpose="看")
    assert services.profile_unmask(actor=staff_a, profile=p, field="details",
                                   purpose="核实救助条件") == "大病住院"
    assert PiiAccess.objects.unscoped().filter(field="details").count() == 1
    leader = make_user("team_leader", community_a, "leader")
    with pytest.raises(PermissionDenied):
        services.profile_unmask(actor=leader, profile=p, field="details", purpose="核实救助条件")


def test_childrens_records_only_for_those_who_work_with_children(
        staff_a: Any, child: Any, elder: Any, make_user: Any, community_a: Any,
        street: Any, district: Any) -> None:
    kid = services.profile_create(actor=staff_a, person=child, target_group="minor",
                                  tags=["left_behind"], guardian_info="祖母代为监护")
    old = services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    assert kid.is_minor
    allowed = [staff_a, make_user("street_staff", street, "st"),
               make_user("district_admin", district, "da")]
    denied = [make_user("team_leader", community_a, "tl"), make_user("auditor", district, "au"),
              make_user("social_worker", community_a, "sw")]
    for user in allowed:
        assert {p.pk for p in selectors.profile_list(actor=user)} == {kid.pk, old.pk}
    for user in denied:
        assert {p.pk for p in selectors.profile_list(actor=user)} == {old.pk}, user
        with pytest.raises(NotFound):
            selectors.profile_get(actor=user, profile_id=kid.pk)
    # the assigned social worker sees the child it works with
    worker = denied[2]
    services.profile_update(actor=staff_a, profile=kid, assigned_worker=worker)
    assert selectors.profile_get(actor=worker, profile_id=kid.pk).pk == kid.pk


def test_profiles_of_another_community_do_not_exist(staff_a: Any, staff_b: Any,
                                                    other: Any) -> None:
    p = services.profile_create(actor=staff_b, person=other, target_group="elderly")
    with pytest.raises(NotFound):
        selectors.profile_get(actor=staff_a, profile_id=p.pk)
    with pytest.raises(NotFound):
        services.profile_update(actor=staff_a, profile=p, risk_level="high")
    assert list(selectors.profile_list(actor=staff_a)) == []


def test_update_and_close(staff_a: Any, elder: Any) -> None:
    p = services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    p = services.profile_update(actor=staff_a, profile=p, tags=["living_alone"],
                                details="新情况")
    assert p.tag_list == ["living_alone"]
    audit = AuditEvent.objects.unscoped().get(action="residents.profile.updated")
    assert audit.data["details"] == "changed" and "新情况" not in str(audit.data)
    services.profile_close(actor=staff_a, profile=p, reason="迁出本社区")
    with pytest.raises(Conflict):
        services.profile_update(actor=staff_a, profile=p, risk_level="high")


def test_ledgers(staff_a: Any, street_user: Any, street: Any, community_a: Any, elder: Any,
                 child: Any, make_user: Any) -> None:
    ledger = services.ledger_create(actor=street_user, region=street, name="杨家坪街道特殊困难群体台账")
    old = services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    kid = services.profile_create(actor=staff_a, person=child, target_group="minor")
    services.ledger_add(actor=street_user, ledger=ledger, profile=old, note="重点关注")
    services.ledger_add(actor=street_user, ledger=ledger, profile=kid)
    with pytest.raises(Conflict):
        services.ledger_add(actor=street_user, ledger=ledger, profile=old)
    elderly_only = services.ledger_create(actor=staff_a, region=community_a, name="空巢老人台账",
                                          target_group="elderly")
    with pytest.raises(ValidationFailed):
        services.ledger_add(actor=staff_a, ledger=elderly_only, profile=kid)
    assert selectors.ledger_members(actor=street_user, ledger=ledger).count() == 2
    leader = make_user("team_leader", street, "leader_s")
    assert [e.profile_id for e in selectors.ledger_members(actor=leader, ledger=ledger)] \
        == [old.pk]
    services.ledger_remove(actor=street_user, ledger=ledger, profile=old)
    assert selectors.ledger_members(actor=street_user, ledger=ledger).count() == 1
    with pytest.raises(NotFound):  # a community's staff cannot touch the street's ledger
        services.ledger_remove(actor=staff_a, ledger=ledger, profile=kid)


@pytest.fixture
def street_user(make_user: Any, street: Any) -> Any:
    return make_user("street_staff", street, "street_user")

"""Intake: the public 点单 (validation, consent, idempotency), the window with its duplicate
warning, hotline and grid reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.needs import services
from wushe.needs.models import Need, NeedEvent
from wushe.needs.workflow import State


def _public(where: Any, **kw: Any) -> services.Submitted:
    values = {"category": "legal_aid", "description": "被拖欠工资三个月,想咨询如何维权",
              "community": where.code, "contact_name": "李四", "contact_phone": "13912345678",
              "consent": True, **kw}
    return services.need_submit_public(**values)


def test_public_need_is_submitted_with_deadline_and_first_event(community_a: Any) -> None:
    done = _public(community_a)
    need = done.need
    assert done.created and need.state == State.SUBMITTED and need.channel == "online"
    assert len(need.tracking_code) == 14 and need.tracking_code.count("-") == 2
    assert need.community_id == community_a.pk and need.region_path == community_a.path
    assert need.due_on >= need.received_at.date()
    assert need.consent_at is not None
    ev = NeedEvent.objects.unscoped().get(need=need)
    assert ev.action == "submit" and ev.actor_id is None


def test_public_need_is_encrypted_at_rest(community_a: Any) -> None:
    need = _public(community_a).need
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, contact_name, contact_phone FROM needs_need "
                       "WHERE id = %s", [need.pk])
        raw = cursor.fetchone()
    assert "工资" not in raw[0] and "李四" not in raw[1] and "13912345678" not in raw[2]
    assert Need.objects.unscoped().get(pk=need.pk).contact_phone == "13912345678"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("consent", False, "consent_required"),
    ("category", "nonsense", "unknown_category"),
    ("community", "500107001999", "unknown_community"),
    ("community", "500107001000", "unknown_community"),  # a street is not a community
    ("contact_phone", "12345", "phone_format"),
    ("description", "<script>alert(1)</script>", "markup"),
    ("description", "帮", "too_short"),
    ("contact_name", "", "required"),
])
def test_public_need_refuses_bad_input_and_writes_nothing(community_a: Any, street: Any,
                                                          field: str, value: Any,
                                                          code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _public(community_a, **{field: value})
    assert exc.value.code == code
    assert exc.value.zh and exc.value.en
    assert Need.objects.unscoped().count() == 0


def test_full_width_phone_is_normalised(community_a: Any) -> None:
    need = _public(community_a, contact_phone="１３９１２３４５６７８").need
    assert need.contact_phone == "13912345678"


def test_idempotency_key_returns_the_first_need(community_a: Any) -> None:
    first = _public(community_a, idempotency_key="retry-123")
    again = _public(community_a, idempotency_key="retry-123")
    assert first.created and not again.created
    assert again.need.tracking_code == first.need.tracking_code
    assert Need.objects.unscoped().count() == 1
    other = _public(community_a, idempotency_key="retry-456")
    assert other.created and Need.objects.unscoped().count() == 2


def test_idempotency_key_of_another_person_is_refused(community_a: Any) -> None:
    _public(community_a, idempotency_key="shared-key")
    with pytest.raises(Conflict) as exc:
        _public(community_a, idempotency_key="shared-key", contact_phone="13800000000")
    assert exc.value.code == "idempotency_conflict"
    assert Need.objects.unscoped().count() == 1


@pytest.mark.parametrize(("field", "value"), [
    ("description", "邻居装修噪音太大,晚上十点后仍在施工"),
    ("category", "counselling"),
    ("urgency", "urgent"),
    ("contact_name", "王五"),
])
def test_idempotency_key_with_other_content_is_refused(community_a: Any, field: str,
                                                       value: str) -> None:
    """The same person, the same key, something else asked: not a retry. Refused, and the
    first need stays as it was (the new content is not silently dropped behind a 200)."""
    first = _public(community_a, idempotency_key="same-key").need
    with pytest.raises(Conflict) as exc:
        _public(community_a, idempotency_key="same-key", **{field: value})
    assert exc.value.code == "idempotency_conflict" and exc.value.status == 409
    assert exc.value.zh and exc.value.en
    assert list(Need.objects.unscoped().values_list("pk", flat=True)) == [first.pk]
    assert Need.objects.unscoped().get().description == first.description
    assert NeedEvent.objects.unscoped().count() == 1


def test_idempotent_retry_compares_content_after_normalisation(community_a: Any) -> None:
    first = _public(community_a, idempotency_key="norm-key").need
    again = _public(community_a, idempotency_key="norm-key", contact_phone="１３９１２３４５６７８",
                    description="  被拖欠工资三个月,想咨询如何维权 ")
    assert not again.created and again.need.pk == first.pk


def test_a_need_without_a_stored_content_hash_is_judged_by_its_phone(community_a: Any) -> None:
    """Needs submitted before the hash was kept: a retry from the same phone is still a retry."""
    first = _public(community_a, idempotency_key="legacy-key").need
    Need.objects.unscoped().filter(pk=first.pk).update(idempotency_body="")
    again = _public(community_a, idempotency_key="legacy-key", description="另一件事,描述不同")
    assert not again.created and again.need.pk == first.pk
    with pytest.raises(Conflict):
        _public(community_a, idempotency_key="legacy-key", contact_phone="13800000000")


def test_a_lost_race_on_the_key_returns_the_winner(community_a: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two retries arrive together: both miss the key, one insert wins on the unique index,
    the other answers with the winner's tracking code (and its savepoint leaves no trace)."""
    from wushe.needs.services import intake

    first = _public(community_a, idempotency_key="burst").need
    monkeypatch.setattr(intake, "_existing", lambda key: None)  # the loser's early look
    again = _public(community_a, idempotency_key="burst")
    assert not again.created and again.need.tracking_code == first.tracking_code
    assert Need.objects.unscoped().count() == 1
    assert NeedEvent.objects.unscoped().count() == 1


def test_public_duplicate_is_flagged_not_refused(community_a: Any) -> None:
    first = _public(community_a, category="elderly_care", description="需要上门助餐服务").need
    second = _public(community_a, category="elderly_care", description="还是需要助餐").need
    assert second.duplicate_of_id == first.pk


def test_window_intake_is_accepted_at_once(staff_a: Any, community_a: Any) -> None:
    need = services.need_intake(actor=staff_a, channel="window", region=community_a,
                                category="policy", description="咨询低保申请条件",
                                contact_name="赵六", contact_phone="13700001111")
    assert need.state == State.ACCEPTED and need.channel == "window"
    assert need.created_by_id == staff_a.pk
    assert list(NeedEvent.objects.unscoped().filter(need=need).values_list("action", flat=True)) \
        == ["submit", "accept"]


def test_window_duplicate_warning_then_confirm(staff_a: Any, community_a: Any) -> None:
    kw = {"actor": staff_a, "channel": "window", "region": community_a,
          "category": "dispute", "description": "楼上噪音扰民", "contact_phone": "13700001111"}
    first = services.need_intake(**kw)
    with pytest.raises(Conflict) as exc:
        services.need_intake(**kw)
    assert exc.value.code == "possible_duplicate"
    assert exc.value.details[0]["tracking_code"] == first.tracking_code
    assert Need.objects.unscoped().count() == 1
    services.need_intake(**kw, confirm_duplicate=True)
    assert Need.objects.unscoped().count() == 2
    # another category is not a duplicate
    services.need_intake(**{**kw, "category": "property"})


def test_duplicate_in_another_community_is_not_revealed(staff_a: Any, staff_b: Any,
                                                        community_a: Any,
                                                        community_b: Any) -> None:
    services.need_intake(actor=staff_b, channel="window", region=community_b, category="dispute",
                         description="邻里纠纷需要调解", contact_phone="13700001111")
    need = services.need_intake(actor=staff_a, channel="window", region=community_a,
                                category="dispute", description="邻里纠纷需要调解",
                                contact_phone="13700001111")
    assert need.pk


def test_grid_report_needs_a_grid(staff_a: Any, community_a: Any, grid_a: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.need_intake(actor=staff_a, channel="grid", region=community_a,
                             category="environment", description="楼道堆放杂物",
                             contact_phone="13700001111")
    need = services.need_intake(actor=staff_a, channel="grid", region=grid_a,
                                category="environment", description="楼道堆放杂物",
                                contact_phone="13700001111")
    assert need.region_id == grid_a.pk and need.community_id == community_a.pk
    assert need.region_path == grid_a.path


def test_intake_outside_scope_is_not_found(staff_a: Any, community_b: Any) -> None:
    with pytest.raises(NotFound):
        services.need_intake(actor=staff_a, channel="window", region=community_b,
                             category="policy", description="咨询政策", contact_phone="13700001111")


def test_intake_needs_a_way_to_reach_the_resident(staff_a: Any, community_a: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.need_intake(actor=staff_a, channel="hotline", region=community_a,
                             category="policy", description="咨询政策")
    assert exc.value.field == "contact_phone"

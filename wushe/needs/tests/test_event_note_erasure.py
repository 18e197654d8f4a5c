"""A need's history is append-only except for one change retention needs: clearing a staff
note (migration 0009). The database refuses every other UPDATE and every DELETE."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from wushe.needs import services
from wushe.needs.models import NeedEvent


def _raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.mark.django_db
def test_only_clearing_a_note_gets_through(submit: Any, community_a: Any, staff_a: Any) -> None:
    need = services.need_decline(actor=staff_a, need=submit(community_a),
                                 reason="重复提交,已合并处理")
    event = NeedEvent.objects.unscoped().filter(need=need).exclude(note="").first()
    assert event is not None and event.note

    for sql, params in (
            ("UPDATE needs_needevent SET note = %s WHERE id = %s", ["改写", event.pk]),
            ("UPDATE needs_needevent SET note = '', action = 'x' WHERE id = %s", [event.pk]),
            ("UPDATE needs_needevent SET to_state = 'closed' WHERE id = %s", [event.pk]),
            ("DELETE FROM needs_needevent WHERE id = %s", [event.pk])):
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(sql, params)

    before = list(NeedEvent.objects.unscoped().filter(need=need)
                  .values_list("id", "action", "from_state", "to_state", "at"))
    assert NeedEvent.erase_notes(need.pk) >= 1
    after = NeedEvent.objects.unscoped().filter(need=need)
    assert [e.note for e in after] == [""] * after.count()
    assert list(after.values_list("id", "action", "from_state", "to_state", "at")) == before

"""The small demo: the seed text's team tree, accounts bound to a team and a volunteer, and the
leader's queue holding the demo volunteer's hours (the browser test's starting point)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from wushe.accounts import scope
from wushe.accounts.models import User
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.volunteers import selectors
from wushe.volunteers.models import (
    Activity,
    RecordStatus,
    ServiceRecord,
    Team,
    Volunteer,
    ancestor_paths,
)


@pytest.mark.django_db
def test_small_demo(tmp_path: Path) -> None:
    summary = build_demo(profile="small", seed=2026, out_dir=tmp_path)
    counts = summary.steps["volunteers"]
    assert counts["teams"] == 1 + 13 + 286 + 412
    assert counts["volunteers"] > 1000
    leader = User.objects.get(username="team_leader")
    me = User.objects.get(username="volunteer")
    with scopes_disabled():
        teams = dict(Team.objects.values_list("level").annotate().values_list("level", "pk"))
        assert set(teams) == {"corps", "detachment", "squad"}
        team_ids = scope.object_ids(leader, "team", "volunteers.confirm")
        assert len(team_ids) == 1
        squad = Team.objects.get(pk=team_ids[0])
        assert squad.level == "squad"
        volunteer = Volunteer.objects.get(user=me)
        assert volunteer.hours_confirmed == Decimal("98.5")
        # Every stored total equals the sum of its records (the rollup's invariant).
        for v in Volunteer.objects.filter(records_confirmed__gt=0)[:200]:
            assert v.hours_confirmed == sum(r.hours for r in ServiceRecord.objects.filter(
                volunteer=v, status=RecordStatus.CONFIRMED, superseded_by=None))
        for t in Team.objects.filter(level="corps"):
            assert t.hours_confirmed == sum(r.hours for r in ServiceRecord.objects.filter(
                status=RecordStatus.CONFIRMED, team_path__startswith=t.path))
        assert all(len(ancestor_paths(t.path)) == {"corps": 1, "detachment": 2, "squad": 3}[
            t.level] for t in Team.objects.all())
        assert Activity.objects.filter(status="open", team=squad).exists()
    queue = list(selectors.confirmation_queue(actor=leader))
    assert any(r.volunteer_id == volunteer.pk for r in queue)
    assert selectors.my_volunteer(actor=me).pk == volunteer.pk

"""The inbox benchmark (inbox/bench.py): registered as a block of ``wushe bench``, and the
street staff's counts it times make the same number of queries however much work waits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wushe.accounts.models import User
from wushe.core.figures import BENCHES
from wushe.inbox.bench import SCALE_KEYS
from wushe.inbox.registry import PRODUCERS
from wushe.inbox.selectors import work_counts
from wushe.needs import services
from wushe.needs.models import Need

# The needs tests' fixtures (a public need, the street's staff; the cache emptied per test).
from wushe.needs.tests.conftest import _fresh_cache, street_user, submit  # noqa: F401
from wushe.regions.models import Region


def test_the_inbox_block_is_registered_with_the_issues_figure() -> None:
    assert "inbox" in BENCHES
    # probe_scales suffixes each key with the scale: inbox_counts_p95_ms_city is the target.
    assert {"inbox_counts_p95_ms", "inbox_counts_queries", "inbox_home_p95_ms"} <= set(
        SCALE_KEYS)


def _counted(user: User) -> tuple[dict[str, int], int]:
    fresh = User.objects.get(pk=user.pk)  # a new request's user: its grants not yet read
    with CaptureQueriesContext(connection) as captured:
        counts = work_counts(actor=fresh)
    return counts, len(captured)


def test_street_staff_counts_take_the_same_queries_for_2_and_for_24_open_needs(
        submit: Callable[..., Need], street_user: User, staff_a: User,  # noqa: F811
        community_a: Region, community_b: Region) -> None:
    def overdue(community: Region, n: int) -> None:
        for _ in range(n):
            need = services.need_accept(actor=staff_a, need=submit(community)) \
                if community == community_a else submit(community)
            Need.objects.unscoped().filter(pk=need.pk).update(
                due_on=timezone.localdate() - dt.timedelta(days=3))

    overdue(community_a, 1)
    overdue(community_b, 1)
    few, queries_few = _counted(street_user)
    # The street sees its communities' needs: one accepted (to dispatch), one submitted.
    assert few == {"needs.need.overdue": 2, "needs.need.dispatch": 1, "needs.need.accept": 1}
    overdue(community_a, 11)
    overdue(community_b, 11)
    many, queries_many = _counted(street_user)
    assert many == {"needs.need.overdue": 24, "needs.need.dispatch": 12,
                    "needs.need.accept": 12}
    assert queries_many == queries_few  # one count per producer, never one per object
    assert queries_few <= 1 + len(PRODUCERS)  # the grants, then at most one per producer

"""The small demo: a schedule for each active project, done and overdue visits, one open
overdue rectification, one centralised session and one consultation."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.projects.models import ServiceProject
from wushe.supervision.models import Rectification, Supervision, overdue_q, rectification_overdue_q
from wushe.supervision.schedule import ACTIVE_STATUSES
from wushe.supervision.stats import supervision_figures


@pytest.fixture
def small(db, tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)


def test_small_demo_supervision(small):
    with scopes_disabled():
        active = list(ServiceProject.objects.filter(status__in=ACTIVE_STATUSES))
        assert active
        for project in active:
            assert Supervision.objects.filter(project=project, nominal_on__isnull=False).exists()
        figures = supervision_figures("500107")
        assert figures["supervision.centralised"] == 1
        assert figures["supervision.consultations"] == 1
        assert figures["supervision.total"] > 2 and figures["supervision.overdue"] >= 1
        assert Rectification.objects.filter(rectification_overdue_q()).count() == 1
        # The street officer's account sees overdue visits to record (the browser test does).
        assert Supervision.objects.filter(overdue_q(), region_path__startswith="500107001",
                                          tier="centre_to_station").exists()

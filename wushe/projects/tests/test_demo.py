"""The demo step: the small district gets projects in every status in 杨家坪, among them an
in-service project in 杨家坪街道 delivered by the org_staff account's organisation, with
consistent histories, contracts and tranches; ids are shared with later steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from wushe.accounts import scope
from wushe.accounts.models import User
from wushe.core.figures import collect_stats
from wushe.demo.build import BuildSummary, build_demo
from wushe.projects.models import (
    Contract,
    ContractTranche,
    ProjectEvent,
    ServiceProject,
    Status,
)


@pytest.fixture
def built(db: Any, tmp_path: Path) -> BuildSummary:
    return build_demo(profile="small", seed=2026, out_dir=tmp_path)


def test_small_demo(built: BuildSummary) -> None:
    projects = list(ServiceProject.objects.unscoped().all())
    assert {p.status for p in projects} == set(Status.values)
    assert all(p.region_path.startswith("500107001") for p in projects)  # 杨家坪
    org_staff = User.objects.get(username="org_staff")
    orgs = scope.object_ids(org_staff, "org", "projects.view")
    mine = [p for p in projects if p.status == Status.IN_SERVICE and p.provider_id in orgs
            and p.region.name == "杨家坪街道"]
    assert mine and Contract.objects.unscoped().filter(project=mine[0],
                                                       provider_id__in=orgs).exists()
    client = Client()
    client.force_login(org_staff, backend="wushe.accounts.backends.LockoutBackend")
    assert client.get(f"/projects/{mine[0].pk}/").status_code == 200
    # One build for every check below (a build takes seconds).
    _histories_and_money_are_consistent()
    _figures()


def _histories_and_money_are_consistent() -> None:
    last: dict[int, str] = {}
    for pid, to in ProjectEvent.objects.unscoped().order_by("project_id", "at", "id") \
            .values_list("project_id", "to_status"):
        last[pid] = to
    assert last == dict(ServiceProject.objects.unscoped().values_list("pk", "status"))
    for c in Contract.objects.unscoped().all():
        tranches = list(ContractTranche.objects.unscoped().filter(contract=c))
        assert sum(t.amount for t in tranches) == c.amount
        assert all(t.paid <= t.amount for t in tranches)


def _figures() -> None:
    figures = collect_stats("500107")
    assert figures["projects.total"] == ServiceProject.objects.unscoped().count() >= 12
    assert figures["projects.purchased"] == 8
    assert figures["projects.budget_yuan"] > 0

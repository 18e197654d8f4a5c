"""A small district with the three social-work tiers, users of each role and active projects.

Projects are ServiceProject rows written directly (the projects app is built alongside): the
supervision app only reads their region, year, status and budget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.projects.models import ServiceProject
from wushe.regions.models import Region, Site
from wushe.regions.services import region_create, site_create
from wushe.supervision.models import Supervision

YEAR = 2026  # the last year chinese-calendar knows: holidays and 调休 are real


@dataclass
class SupWorld:
    root: User
    district: Region
    street: Region
    street_b: Region
    community_a: Region
    community_b: Region
    community_c: Region  # in street_b
    centre: Site
    station: Site
    users: dict[str, User] = field(default_factory=dict)
    projects: dict[str, ServiceProject] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username], backend="wushe.accounts.backends.LockoutBackend")
        return c


def make_project(code: str, region: Region, *, status: str = "in_service", year: int = YEAR,
                 budget: str = "200000") -> ServiceProject:
    return ServiceProject.objects.create(
        code=code, name=f"{region.name}服务项目", domain="elderly_services", region=region,
        region_path=region.path, year=year, budget=Decimal(budget), status=status)


@pytest.fixture
def sw(root: User, district: Region, street: Region, street_b: Region, community_a: Region,
       community_b: Region, make_user: Callable[..., User]) -> SupWorld:
    community_c = region_create(actor=root, code="500107002001", name="黄桷坪社区",
                                kind="community", parent=street_b, population=1112)
    world = SupWorld(
        root=root, district=district, street=street, street_b=street_b,
        community_a=community_a, community_b=community_b, community_c=community_c,
        centre=site_create(actor=root, region=district, kind="sw_centre",
                           name="九龙坡区社会工作服务中心"),
        station=site_create(actor=root, region=street, kind="sw_station",
                            name="杨家坪街道社会工作服务站"),
    )
    site_create(actor=root, region=community_a, kind="sw_room", name="杨坪社区社会工作室")
    for username, role, region in [
        ("admin", "district_admin", district), ("street", "street_staff", street),
        ("street_b", "street_staff", street_b), ("staff_a", "community_staff", community_a),
        ("staff_b", "community_staff", community_b), ("worker", "social_worker", community_a),
        ("auditor", "auditor", district), ("evaluator", "evaluator", district),
    ]:
        world.users[username] = make_user(role, region, username)
    world.projects = {
        "street": make_project("XM2026-00001", street),
        "a": make_project("XM2026-00002", community_a),
        "b": make_project("XM2026-00003", community_b),
        "c": make_project("XM2026-00004", community_c),
        "designed": make_project("XM2026-00005", community_a, status="designed"),
    }
    return world


def visit(project: ServiceProject, scheduled_on: dt.date, *, kind: str = "monthly_scheduling",
          status: str = "planned", **extra: Any) -> Supervision:
    """A visit written directly (for list and scope tests that need a given date)."""
    tier = "centre_to_station" if len(project.region_path) <= 9 else "station_to_room"
    return Supervision.objects.create(
        project=project, kind=kind, tier=tier, region_id=project.region_id,
        region_path=project.region_path, scheduled_on=scheduled_on, status=status,
        done_on=scheduled_on if status == "done" else None, **extra)


def checks(**extra: Any) -> dict[str, Any]:
    """A valid record of the four checks."""
    return {"progress_result": "ok", "spending_result": "ok", "spent_amount": "50000",
            "staffing_result": "ok", "staff_on_post": 3, "outcomes_result": "ok",
            "findings": "按计划推进", **extra}

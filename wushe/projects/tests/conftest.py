"""A small world for the projects tests: a district with two streets and two communities,
accounts of every role that matters, three organisations, and helpers that walk a project
through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.services import grant_add
from wushe.orgs.models import SocialOrganization
from wushe.orgs.tests.factories import registered
from wushe.projects import hooks, services
from wushe.projects.models import PurchaseList, ServiceProject, Status
from wushe.regions.models import Region


@dataclass
class World:
    root: User
    district: Region
    street: Region
    street_b: Region
    community_a: Region
    community_b: Region
    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, SocialOrganization] = field(default_factory=dict)
    lists: dict[int, PurchaseList] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username], backend="wushe.accounts.backends.LockoutBackend")
        return c

    @property
    def admin(self) -> User:
        return self.users["admin"]

    def design(self, region: Region | None = None, *, year: int = 2026, budget: str = "100000",
               name: str = "杨家坪“时间银行”互助养老项目", **kw: Any) -> ServiceProject:
        return services.project_create(
            actor=self.users["street"] if region is None or region.path.startswith(
                self.street.path) else self.admin,
            region=region or self.street, name=name, domain=kw.pop("domain", "elderly_services"),
            year=year, budget=budget, target_groups=kw.pop("target_groups", ["elderly"]),
            indicators=kw.pop("indicators", [services.IndicatorSpec("服务人次", "人次", "1200")]),
            **kw)

    def plist(self, year: int = 2026) -> PurchaseList:
        if year not in self.lists:
            self.lists[year] = services.purchase_list_create(
                actor=self.admin, region=self.district, year=year, name="第一批")
        return self.lists[year]

    def walk(self, project: ServiceProject, to: str, *, org: str = "a", amount: str = "90000",
             start: dt.date = dt.date(2026, 3, 1)) -> ServiceProject:
        """Move a project through the services up to ``to``."""
        admin = self.admin
        steps = [Status.LISTED, Status.PROCURED, Status.CONTRACTED, Status.IN_SERVICE,
                 Status.MIDTERM_EVALUATED, Status.FINAL_EVALUATED, Status.CLOSED]
        for status in steps:
            if project.status == to:
                break
            if status == Status.LISTED:
                services.project_list_add(actor=admin, project=project,
                                          plist=self.plist(project.year))
            elif status == Status.PROCURED:
                services.procurement_record(
                    actor=admin, project=project, method="competitive_consultation",
                    candidate_ids=[self.orgs[org].pk, self.orgs["b"].pk],
                    selected_id=self.orgs[org].pk, reason="综合评分第一")
            elif status == Status.CONTRACTED:
                services.contract_sign(actor=admin, project=project, amount=amount, start=start,
                                       end=dt.date(start.year + 1, start.month, 1)
                                       - dt.timedelta(days=1))
            elif status == Status.IN_SERVICE:
                services.project_start(actor=admin, project=project)
            elif status == Status.MIDTERM_EVALUATED:
                services.project_mark_evaluated(actor=admin, project=project, stage="midterm")
            elif status == Status.FINAL_EVALUATED:
                services.project_mark_evaluated(actor=admin, project=project, stage="final")
            elif status == Status.CLOSED:
                services.project_close(actor=admin, project=project, renewed=False)
        project.refresh_from_db()
        assert project.status == to
        return project


@pytest.fixture
def pw(root: User, district: Region, street: Region, street_b: Region, community_a: Region,
       community_b: Region, make_user: Callable[..., User]) -> World:
    w = World(root, district, street, street_b, community_a, community_b)
    w.users["admin"] = make_user("district_admin", district, "district_admin")
    w.users["street"] = make_user("street_staff", street, "street_staff")
    w.users["street_b"] = make_user("street_staff", street_b, "street_staff_b")
    w.users["staff_a"] = make_user("community_staff", community_a, "staff_a")
    w.users["staff_b"] = make_user("community_staff", community_b, "staff_b")
    w.users["auditor"] = make_user("auditor", district, "auditor")
    w.orgs["a"] = registered(w.admin, street, name="杨家坪社会工作服务中心")
    w.orgs["b"] = registered(w.admin, street_b, name="黄桷坪社工服务社")
    w.orgs["c"] = registered(w.admin, district, name="九龙坡区社会组织服务中心")
    w.users["org_staff"] = make_user("org_staff", street, "org_staff_a")
    grant_add(actor=None, user=w.users["org_staff"], role="org_staff", region=street,
              org=w.orgs["a"])
    return w


@pytest.fixture
def gate() -> Iterator[dict[str, bool | None]]:
    """A payment gate for the test: answers per stage from a dict; removed afterwards."""
    answers: dict[str, bool | None] = {}

    def test_gate(project: Any, stage: str) -> bool | None:
        return answers.get(stage)

    saved = list(hooks.GATES)
    hooks.GATES.clear()
    hooks.register_gate(test_gate)
    yield answers
    hooks.GATES.clear()
    hooks.GATES.extend(saved)


@pytest.fixture
def no_checks() -> Iterator[list[Any]]:
    """Only the test's eligibility checks (other apps' are restored afterwards)."""
    saved = list(hooks.ELIGIBILITY)
    hooks.ELIGIBILITY.clear()
    yield hooks.ELIGIBILITY
    hooks.ELIGIBILITY.clear()
    hooks.ELIGIBILITY.extend(saved)

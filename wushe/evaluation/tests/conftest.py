"""A small world for the evaluation tests: two streets, a provider organisation with its own
staff, committee accounts of every party, and a project in service in community A."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.services import grant_add
from wushe.core.scoping import scopes_disabled
from wushe.evaluation import services
from wushe.evaluation.models import CommitteeMember, Evaluation
from wushe.orgs.models import OrgStatus, SocialOrganization
from wushe.orgs.tests.factories import agreement
from wushe.projects.models import ServiceProject
from wushe.regions.models import Region


@dataclass
class EvalWorld:
    root: User
    district: Region
    street: Region
    street_b: Region
    community_a: Region
    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, SocialOrganization] = field(default_factory=dict)
    projects: dict[str, ServiceProject] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username], backend="wushe.accounts.backends.LockoutBackend")
        return c

    def project(self, key: str, *, region: Region | None = None, status: str = "in_service",
                org: str = "a", year: int = 2025) -> ServiceProject:
        where = region or self.community_a
        made = ServiceProject.objects.create(
            code=f"T{year}{len(self.projects) + 1:04d}", name=f"测试项目{key}",
            domain="elderly_services", region=where, region_path=where.path, year=year,
            budget=Decimal("200000"), status=status, provider=self.orgs[org])
        self.projects[key] = made
        return made

    def evaluation(self, project: ServiceProject, stage: str = "midterm",
                   recipients: int = 1) -> Evaluation:
        admin = self.users["admin"]
        ev = services.evaluation_create(actor=admin, project=project, stage=stage)
        services.member_add(actor=admin, evaluation=ev, party="purchaser", user=admin)
        services.member_add(actor=admin, evaluation=ev, party="street",
                            user=self.users["street"])
        services.member_add(actor=admin, evaluation=ev, party="expert",
                            user=self.users["evaluator"])
        for i in range(recipients):
            services.member_add(actor=admin, evaluation=ev, party="recipients",
                                name=f"服务对象代表{i + 1}")
        ev.refresh_from_db()
        return ev

    def sheet(self, ev: Evaluation, fraction: Decimal | str) -> dict[int, tuple[object, object]]:
        """Every indicator at ``fraction`` of its maximum."""
        part = Decimal(str(fraction))
        return {i.pk: ((i.max_score * part).quantize(Decimal("0.1")), "")
                for i in ev.indicator_set.indicators.all()}

    def score_all(self, ev: Evaluation, fractions: dict[str, str]) -> Evaluation:
        """Score every seat: the seat's party → fraction of each maximum."""
        for m in CommitteeMember.objects.filter(evaluation=ev).select_related("user"):
            actor = m.user or self.users["admin"]
            services.scores_submit(actor=actor, member=m,
                                   scores=self.sheet(ev, fractions[m.party]))
        ev.refresh_from_db()
        return ev


@pytest.fixture
def ew(root: User, district: Region, street: Region, street_b: Region, community_a: Region,
       make_user: Callable[..., User]) -> EvalWorld:
    world = EvalWorld(root=root, district=district, street=street, street_b=street_b,
                      community_a=community_a)
    for username, role, region in [
        ("admin", "district_admin", district), ("street", "street_staff", street),
        ("street_b", "street_staff", street_b), ("evaluator", "evaluator", district),
        ("evaluator2", "evaluator", district), ("evaluator_b", "evaluator", street_b),
        ("auditor", "auditor", district), ("staff_a", "community_staff", community_a),
        ("orgstaff", "org_staff", street),
    ]:
        world.users[username] = make_user(role, region, username)
    with scopes_disabled():
        for key, name in (("a", "杨家坪社会工作服务中心"), ("b", "黄桷坪助老服务中心")):
            world.orgs[key] = SocialOrganization.objects.create(
                name=name, region=street, region_path=street.path,
                status=OrgStatus.REGISTERED, category="social_work")
            agreement(root, world.orgs[key])  # receives needs with personal data (PIPL Art. 21)
    grant_add(actor=None, user=world.users["orgstaff"], role="org_staff", region=street,
              org=world.orgs["a"])
    world.project("p")
    return world

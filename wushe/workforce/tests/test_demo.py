"""The demo steps on a small district: organisations, workers, the org_staff binding, and a
staffing page with something to show."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from wushe.accounts.models import RoleGrant
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.orgs.models import SocialOrganization
from wushe.orgs.stats import org_figures
from wushe.people.models import Person
from wushe.workforce.models import CommunityWorker, SocialWorker
from wushe.workforce.stats import workforce_figures


@pytest.fixture
def small(db, tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)


def test_small_demo_has_organisations_workers_and_a_bound_org_staff(small):
    with scopes_disabled():
        district = "500107"
        orgs = org_figures(district)
        assert orgs["orgs.total"] == 100 and orgs["orgs.filed"] == 60
        assert sum(orgs[f"orgs.by_category.{c}"] for c in
                   ("public_service", "governance", "hub", "social_work")) == 40
        assert orgs["orgs.eliminated"] == 1 and orgs["orgs.excellent"] == 2
        grant = RoleGrant.objects.get(user__username="org_staff", org__isnull=False)
        assert grant.org.region_path.startswith(grant.region_path)
        workers = workforce_figures(district)
        assert (workers["social_workers.total"], workers["social_workers.certified"],
                workers["social_workers.placed"]) == (120, 35, 20)
        assert workers["community_workers.shortfall_communities"] > 0
        # Workers are existing demo persons, not new ones.
        assert Person.objects.count() == 2000
        ids = random.Random(1).sample(list(CommunityWorker.objects.values_list("person_id",
                                                                                flat=True)), 5)
        assert Person.objects.filter(pk__in=ids).count() == 5
        assert not SocialWorker.objects.filter(person_id__in=CommunityWorker.objects.values(
            "person_id")).exists()
        assert SocialOrganization.objects.filter(status="filed", filing_number=None).count() == 0

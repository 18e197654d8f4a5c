"""The annual report prints the figure the seed text means (issue #19): the four categories'
total, then the filed community organisations and the residents they draw in, separately;
and an organisation's residents taking part are entered through the service, checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from wushe.core.errors import ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.orgs.models import SocialOrganization
from wushe.orgs.services import org_transition, org_update
from wushe.orgs.tests.factories import filed, incubating, registered
from wushe.reports.annual import build_document
from wushe.reports.kpis import Period, compute

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _paragraph(region: Any, lead: str, lang: str = "zh") -> str:
    doc = build_document(region, YEAR, lang)
    for section in doc.sections:
        for p in section.paragraphs:
            if p.lead == lead:
                return p.plain(lang)
    raise AssertionError(f"no paragraph {lead}")


@pytest.fixture
def orgs(world: dict[str, Any]) -> dict[str, SocialOrganization]:
    admin = world["users"]["district"]
    out = {
        "a": registered(admin, world["street"], "九龙社会工作服务中心"),
        "b": registered(admin, world["street"], "心理咨询师协会", category="public_service"),
        "c": incubating(admin, world["street_b"], "石坪桥邻里互助会"),
        "gone": registered(admin, world["street_b"], "淘汰组织", category="hub"),
        "f1": filed(admin, world["community_a"], "杨坪社区舞蹈队", participants=35),
        "f2": filed(admin, world["community_b"], "书画社", participants="12"),
    }
    org_transition(actor=admin, org=out["gone"], to="eliminated", reason="四方评估不合格")
    return out


def test_organisation_sentence_prints_the_four_categories_then_the_filed(
        world: dict[str, Any], orgs: dict[str, SocialOrganization]) -> None:
    with scopes_disabled():
        values = compute(world["district"].path, Period.year(YEAR),
                         ["orgs.total", "orgs.supported", "orgs.filed",
                          "orgs.community_org_members"])
    # Three live organisations of the four categories; orgs.total adds the two filed ones.
    assert values == {"orgs.total": 5, "orgs.supported": 3, "orgs.filed": 2,
                      "orgs.community_org_members": 47}
    text = _paragraph(world["district"], "孵化社会组织。")
    assert "共四大类社会组织3家" in text
    assert "另有备案社区社会组织2家,吸纳群众47人" in text
    assert "共5家" not in text
    english = _paragraph(world["district"], "Social organisations. ", "en")
    assert english.startswith("Social organisations. 3 social organisations of the four")
    assert "2 filed community organisations draw in 47 residents" in english


def test_a_street_sees_only_its_organisations(world: dict[str, Any],
                                              orgs: dict[str, SocialOrganization]) -> None:
    with scopes_disabled():
        street_b = compute(world["street_b"].path, Period.all(),
                           ["orgs.supported", "orgs.community_org_members"])
    # street_b: the incubating 互助会 (the eliminated one not counted), no filed ones.
    assert street_b == {"orgs.supported": 1, "orgs.community_org_members": 0}


@pytest.mark.parametrize("bad", ["-1", "many", "100001", "3.5"])
def test_hostile_participants_are_refused_and_change_nothing(
        world: dict[str, Any], orgs: dict[str, SocialOrganization], bad: str) -> None:
    org = orgs["f1"]
    with pytest.raises(ValidationFailed) as caught:
        org_update(actor=world["users"]["district"], org=org, participants=bad)
    assert caught.value.field == "participants"
    with scopes_disabled():
        assert SocialOrganization.objects.get(pk=org.pk).participants == 35

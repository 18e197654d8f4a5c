"""新时代文明实践: site levels, several names, domains counted, pairing scope, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from wushe.audit.models import AuditEvent
from wushe.civilisation import selectors, services
from wushe.civilisation.models import ActivityDomain, PracticeSite
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.regions.services import site_create as region_site_create
from wushe.reports.kpis.base import Period
from wushe.volunteers import services as vservices
from wushe.volunteers.tests.factories import VWorld, build_vworld


@pytest.fixture
def vw(db: Any) -> VWorld:
    return build_vworld()


def _tree(vw: VWorld) -> tuple[PracticeSite, PracticeSite, PracticeSite]:
    centre = services.site_create(actor=vw.root, level="centre", name="九龙坡区新时代文明实践中心",
                                  region=vw.district, leader_name="张伟", leader_post="区委书记")
    inst = services.site_create(actor=vw.root, level="institute", name="杨家坪街道新时代文明实践所",
                                region=vw.street, parent=centre, leader_name="李强")
    station = services.site_create(actor=vw.root, level="station", name="杨坪社区新时代文明实践站",
                                   region=vw.community_a, parent=inst, leader_name="王芳")
    return centre, inst, station


def _activity(vw: VWorld, days_ago: int = 3, community: Any = None) -> Any:
    start = timezone.now() - dt.timedelta(days=days_ago)
    team, region, who = ((vw.squad_a, vw.community_a, "leader_a") if community is None
                         else (vw.squad_b, vw.community_c, "leader_b"))
    return vservices.activity_create(
        actor=vw.users[who], team=team, region=region, title="文明实践进小区", kind="civilisation",
        place="党群服务中心", starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=10)


def test_levels_institute_only_under_centre_station_only_under_its_streets_institute(
        vw: VWorld) -> None:
    centre, inst, station = _tree(vw)
    assert [s.level for s in (centre, inst, station)] == ["centre", "institute", "station"]
    # A 所 directly under nothing, or under a 所, or at a community: refused.
    with pytest.raises(ValidationFailed) as exc:
        services.site_create(actor=vw.root, level="institute", name="x", region=vw.street_b,
                             parent=None, leader_name="赵六")
    assert exc.value.code == "wrong_parent"
    with pytest.raises(ValidationFailed) as exc:
        services.site_create(actor=vw.root, level="institute", name="x", region=vw.street_b,
                             parent=inst, leader_name="赵六")
    assert exc.value.code == "wrong_parent"
    with pytest.raises(ValidationFailed) as exc:
        services.site_create(actor=vw.root, level="institute", name="x", region=vw.community_b,
                             parent=centre, leader_name="赵六")
    assert exc.value.code == "wrong_region"
    # A 站 in street B's community cannot hang under street A's 所.
    with pytest.raises(ValidationFailed) as exc:
        services.site_create(actor=vw.root, level="station", name="x", region=vw.community_c,
                             parent=inst, leader_name="赵六")
    assert exc.value.code == "wrong_parent"
    with pytest.raises(ValidationFailed):  # nor directly under the centre
        services.site_create(actor=vw.root, level="station", name="x", region=vw.community_b,
                             parent=centre, leader_name="赵六")
    with pytest.raises(Conflict):  # one site per region
        services.site_create(actor=vw.root, level="station", name="x", region=vw.community_a,
                             parent=inst, leader_name="赵六")
    assert PracticeSite.objects.unscoped().count() == 3
    tree = selectors.site_tree(actor=vw.users["admin"])
    assert tree[0]["site"] == centre
    assert tree[0]["children"][0]["children"][0]["site"] == station


def test_street_staff_cannot_create_a_site_in_another_street(vw: VWorld) -> None:
    centre, _inst, _station = _tree(vw)
    with pytest.raises(NotFound):
        services.site_create(actor=vw.users["street"], level="institute", name="x",
                             region=vw.street_b, parent=centre, leader_name="赵六")


def test_a_site_carries_several_names_of_the_same_region_only(vw: VWorld) -> None:
    _c, _i, station = _tree(vw)
    party = region_site_create(actor=vw.root, region=vw.community_a, kind="party_centre",
                               name="杨坪社区党群服务中心")
    room = region_site_create(actor=vw.root, region=vw.community_a, kind="sw_room",
                              name="杨坪社区社工室")
    elsewhere = region_site_create(actor=vw.root, region=vw.community_b, kind="sw_room",
                                   name="西郊社区社工室")
    with pytest.raises(ValidationFailed):
        services.site_link_names(actor=vw.root, site=station, others=[party, elsewhere])
    assert station.other_names.unscoped().count() == 0  # type: ignore[attr-defined]
    services.site_link_names(actor=vw.users["staff_a"], site=station, others=[party, room])
    names = set(station.other_names.unscoped().values_list("name", flat=True))  # type: ignore[attr-defined]
    assert names == {"杨坪社区党群服务中心", "杨坪社区社工室"}


def test_teams_attach_only_from_the_sites_area(vw: VWorld) -> None:
    _c, inst, _s = _tree(vw)
    services.site_attach_team(actor=vw.users["street"], site=inst, team=vw.det_a)
    with pytest.raises(NotFound):
        services.site_attach_team(actor=vw.root, site=inst, team=vw.det_b)
    assert list(inst.teams.unscoped()) == [vw.det_a]  # type: ignore[attr-defined]


def test_domains_counted_per_domain_region_and_period(vw: VWorld) -> None:
    a1, a2, a3 = _activity(vw, 3), _activity(vw, 400), _activity(vw, 5, community=vw.community_c)
    services.activity_domain_set(actor=vw.users["staff_a"], activity=a1, domain="clean")
    services.activity_domain_set(actor=vw.users["staff_a"], activity=a2, domain="clean")
    services.activity_domain_set(actor=vw.root, activity=a3, domain="lectures")
    # Setting again moves the activity, never counts it twice.
    services.activity_domain_set(actor=vw.users["staff_a"], activity=a2, domain="health")
    counts = {k: n for k, _label, n in selectors.domain_counts(actor=vw.users["admin"])}
    assert len(counts) == 10
    assert (counts["clean"], counts["health"], counts["lectures"]) == (1, 1, 1)
    assert selectors.civilisation_activities(None, vw.district) == 3
    assert selectors.civilisation_activities(None, vw.street) == 2
    this_year = Period(timezone.localdate() - dt.timedelta(days=30), timezone.localdate())
    assert selectors.civilisation_activities(None, vw.street, this_year) == 1
    assert selectors.civilisation_activities(vw.users["staff_a"], vw.district) == 2
    with pytest.raises(ValidationFailed):
        services.activity_domain_set(actor=vw.root, activity=a1, domain="sports")
    # Staff of another community: the activity "does not exist".
    with pytest.raises(NotFound):
        services.activity_domain_set(actor=vw.users["staff_c"], activity=a1, domain="health")
    assert ActivityDomain.objects.unscoped().get(pk=a1.pk).domain == "clean"


def test_pairing_scope_and_activities_together(vw: VWorld) -> None:
    today = timezone.localdate()
    p_a = services.pairing_create(actor=vw.users["street"], community=vw.community_a,
                                  partner_kind="department", partner_name="区文明办",
                                  starts_on=today - dt.timedelta(days=100))
    p_c = services.pairing_create(actor=vw.root, community=vw.community_c,
                                  partner_kind="enterprise", partner_name="某电力公司",
                                  starts_on=today - dt.timedelta(days=100),
                                  ends_on=today - dt.timedelta(days=1))
    with pytest.raises(NotFound):  # another street's community
        services.pairing_create(actor=vw.users["street"], community=vw.community_c,
                                partner_kind="department", partner_name="x", starts_on=today)
    with pytest.raises(ValidationFailed):
        services.pairing_create(actor=vw.root, community=vw.street, partner_kind="department",
                                partner_name="x", starts_on=today)
    with pytest.raises(ValidationFailed):
        services.pairing_create(actor=vw.root, community=vw.community_a,
                                partner_kind="department", partner_name="x", starts_on=today,
                                ends_on=today - dt.timedelta(days=1))
    a1 = _activity(vw)
    with pytest.raises(ValidationFailed):  # a pairing of another community
        services.activity_domain_set(actor=vw.root, activity=a1, domain="clean", pairing=p_c)
    services.activity_domain_set(actor=vw.root, activity=a1, domain="clean", pairing=p_a)
    assert [p.pk for p in selectors.pairing_list(actor=vw.users["street"])] == [p_a.pk]
    assert selectors.pairing_list(actor=vw.users["street"])[0].activity_count == 1
    assert selectors.civilisation_pairings(None, vw.district) == 2
    assert selectors.civilisation_pairings(None, vw.district, on=today) == 1
    with pytest.raises(NotFound):
        selectors.pairing_get(actor=vw.users["street"], pairing_id=p_c.pk)


def test_pages_and_out_of_scope_is_404(vw: VWorld) -> None:
    _c, inst, station = _tree(vw)
    today = timezone.localdate()
    p_c = services.pairing_create(actor=vw.root, community=vw.community_c,
                                  partner_kind="department", partner_name="区教委",
                                  starts_on=today)
    admin, staff_c = vw.client("admin"), vw.client("staff_c")
    page = admin.get("/civilisation/")
    assert page.status_code == 200 and "杨坪社区新时代文明实践站" in page.content.decode()
    assert "王芳" not in page.content.decode()  # the leader's name is masked on lists
    assert admin.get(f"/civilisation/sites/{station.pk}/").status_code == 200
    assert staff_c.get(f"/civilisation/sites/{station.pk}/").status_code == 404
    assert staff_c.get(f"/civilisation/pairings/{p_c.pk}/").status_code == 200
    assert vw.client("staff_a").get(f"/civilisation/pairings/{p_c.pk}/").status_code == 404
    assert "区教委" not in vw.client("staff_a").get("/civilisation/pairings/").content.decode()
    assert admin.get("/civilisation/domains/clean/").status_code == 200
    assert admin.get("/civilisation/domains/nope/").status_code == 404
    a1 = _activity(vw)
    r = vw.client("staff_c").post("/civilisation/domains/", {"activity": a1.pk, "domain": "clean"})
    assert r.status_code == 400 and not ActivityDomain.objects.unscoped().exists()
    r = vw.client("staff_a").post("/civilisation/domains/", {"activity": a1.pk, "domain": "clean"})
    assert r.status_code == 302
    assert ActivityDomain.objects.unscoped().get(pk=a1.pk).domain == "clean"
    assert inst.pk


def test_every_write_is_audited(vw: VWorld) -> None:
    _c, inst, station = _tree(vw)
    services.site_attach_team(actor=vw.root, site=inst, team=vw.det_a)
    services.pairing_create(actor=vw.root, community=vw.community_a, partner_kind="enterprise",
                            partner_name="某公司", starts_on=timezone.localdate())
    services.activity_domain_set(actor=vw.root, activity=_activity(vw), domain="culture")
    actions = set(AuditEvent.objects.unscoped().filter(action__startswith="civilisation.")
                  .values_list("action", flat=True))
    assert actions == {"civilisation.site.created", "civilisation.site.team_attached",
                       "civilisation.pairing.created", "civilisation.activity.domain_set"}
    assert station.pk

"""The small world of the permission matrix (test_permission_matrix.py).

Two streets with one community each; in each community one object of every kind the URLs take
by id, built through the services (a few rows the services reach only through long workflows
are written directly, as the apps' own test worlds do). Every role of ``Role`` gets one account
whose grant covers street A (an object grant on community A's organisation, team or fund for
the three object roles), so community A's objects are inside its scope and community B's are
outside it.

``ids[side][kind]`` is the id (or code) of the object of ``kind`` on ``side`` ("in" or "out").
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wushe.accounts.models import User
from wushe.accounts.roles import OBJECT_PERMISSIONS, Role
from wushe.accounts.services import grant_add, user_create
from wushe.conftest import PASSWORD, make_id_number
from wushe.core.scoping import scopes_disabled
from wushe.regions.models import Region
from wushe.regions.services import region_create, site_create


@dataclass
class MatrixWorld:
    root: User
    district: Region
    streets: dict[str, Region]
    communities: dict[str, Region]
    users: dict[str, User] = field(default_factory=dict)  # by role
    corps: Any = None
    ids: dict[str, dict[str, Any]] = field(default_factory=lambda: {"in": {}, "out": {}})


def _cn(text: str) -> str:
    """Digits as Chinese numerals: names may hold only Chinese characters and letters."""
    return text.translate(str.maketrans("0123456789", "零一二三四五六七八九"))


def _person(root: User, community: Region, seq: str, birth: str = "19500101") -> Any:
    from wushe.people.services import person_create

    return person_create(actor=root, region=community, name=f"居民{_cn(seq)}",
                         id_number=make_id_number(birth=birth, seq=seq), phone="13800138000",
                         address="重庆市九龙坡区某路1号")


def _populate(w: MatrixWorld, side: str, street: Region, community: Region, n: int) -> None:
    """One object of each kind in ``community`` (ids recorded under ``side``)."""
    from wushe.charity import services as charity
    from wushe.evaluation.services.setup import evaluation_create, member_add
    from wushe.needs import services as needs
    from wushe.orgs.services import incubation as incubation_services
    from wushe.orgs.services import roster
    from wushe.orgs.tests.factories import registered
    from wushe.people.services import consent_give
    from wushe.projects import services as projects
    from wushe.residents import services as residents
    from wushe.supervision.models import Rectification, Supervision
    from wushe.volunteers import services as volunteers
    from wushe.workforce.services.community import community_worker_create
    from wushe.workforce.services.social import social_worker_create

    root = w.root
    ids = w.ids[side]
    ids["code"] = community.code
    site = site_create(actor=root, region=community, kind="sw_room", name=f"社工室{n}")
    ids["site_id"] = site.pk
    person = _person(root, community, f"1{n}1")
    ids["person_id"] = person.pk
    ids["consent_id"] = consent_give(actor=root, person=person, purpose="volunteering",
                                     scope_text="志愿服务登记").pk

    # Volunteers: a team, a volunteer, an activity with a sign-up, a record, a certificate,
    # a pairing, a correction request and a public application.
    detachment = volunteers.team_create(actor=root, name=f"街道志愿服务分队{n}",
                                        level="detachment", region=street, parent=w.corps)
    team = volunteers.team_create(actor=root, name=f"社区志愿服务小队{n}", level="squad",
                                  region=community, parent=detachment)
    ids["team_id"] = team.pk
    volunteer = volunteers.volunteer_register(
        actor=root, region=community, team=team,
        data=volunteers.Registration(name=f"志愿者{_cn(str(n))}", id_number=make_id_number(seq=f"2{n}1"),
                                     phone="13800138001", skills="急救",
                                     interests="elderly", availability="weekend"))
    ids["volunteer_id"] = volunteer.pk
    ids["number"] = volunteer.number if hasattr(volunteer, "number") else f"NONE{n}"
    start = timezone.now() + dt.timedelta(days=2)
    activity = volunteers.activity_create(
        actor=root, team=team, region=community, title="空巢老人探访", kind="visit",
        place="社区党群服务中心", starts_at=start, ends_at=start + dt.timedelta(hours=3),
        capacity=5, target_groups=["elderly"])
    volunteers.activity_set_status(actor=root, activity=activity, status="open")
    ids["activity_id"] = activity.pk
    ids["signup_id"] = volunteers.signup_create(actor=root, activity=activity,
                                                volunteer=volunteer).pk
    began = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
    record = volunteers.record_create(actor=root, volunteer=volunteer, team=team,
                                      started_at=began, ended_at=began + dt.timedelta(hours=3),
                                      hours="2", content="上门慰问空巢老人")
    ids["record_id"] = record.pk
    confirmed = volunteers.record_create(
        actor=root, volunteer=volunteer, team=team, started_at=began - dt.timedelta(days=1),
        ended_at=began - dt.timedelta(days=1) + dt.timedelta(hours=3), hours="2",
        content="助餐服务")
    volunteers.records_confirm(actor=root, records=[confirmed])
    ids["request_id"] = volunteers.correction_request(
        actor=root, record=confirmed, proposed_hours="3", reason="实际服务了三小时").pk
    today = timezone.localdate()
    certificate = volunteers.certificate_issue(actor=root, volunteer=volunteer, team=team,
                                               period_start=today - dt.timedelta(days=30),
                                               period_end=today)
    ids["certificate_id"] = certificate.pk
    elder = _person(root, community, f"3{n}1", birth="19400101")
    ids["pairing_id"] = volunteers.pairing_create(actor=root, team=team, person=elder,
                                                  target_group="elderly").pk
    ids["application_id"] = volunteers.application_submit(
        region=community, team=team, name=f"申请人{_cn(str(n))}", id_number=make_id_number(seq=f"4{n}1"),
        phone="13800138002", consent=True, client_ip=f"10.0.0.{n}").pk

    # Organisations: an organisation with a member, a brand project, an incubation and an issue.
    org = registered(root, community, name=f"社会工作服务中心{n}")
    ids["org_id"] = org.pk
    ids["orgs.member_id"] = roster.member_add(actor=root, org=org, name="王社工").pk
    ids["orgs.project_id"] = roster.project_add(actor=root, org=org, name="邻里守望").pk
    base = site_create(actor=root, region=street, kind="incubator", name=f"孵化基地{n}")
    filed_org = registered(root, community, name=f"孵化对象{n}")
    incubation = incubation_services.incubation_start(actor=root, org=filed_org, base=base)
    ids["incubation_id"] = incubation.pk
    ids["issue_id"] = incubation_services.issue_record(
        actor=root, incubation=incubation, area="governance", description="章程不完善").pk

    # Workforce: a social worker and a community worker.
    ids["social-workers.worker_id"] = social_worker_create(
        actor=root, person=_person(root, community, f"5{n}1"), region=community).pk
    ids["community-workers.worker_id"] = community_worker_create(
        actor=root, person=_person(root, community, f"6{n}1"), community=community, post=3,
        grade=4, education="bachelor", hired_on="2019-06-01").pk

    # Charity: a fund with its committee, a donor, a donation, a disbursement.
    fund = charity.fund_create(actor=root, region=community, name=f"社区阳光基金{n}",
                               kind="community", parent_org_name="街道慈善公益服务中心")
    for i, role in enumerate(["supervisor", "chair", "member", "member", "member"]):
        member = charity.committee_member_add(actor=root, fund=fund, name=f"委员{_cn(str(i))}", role=role,
                                              affiliation="社区居委会")
    ids["charity.member_id"] = member.pk
    fund = charity.fund_set_status(actor=root, fund=fund, status="active")
    ids["fund_id"] = fund.pk
    donor = charity.donor_create(actor=root, region=community, kind="person", name=f"捐赠人{_cn(str(n))}",
                                 phone="13912345678")
    ids["donor_id"] = donor.pk
    ids["donation_id"] = charity.donation_receive(
        actor=root, fund=fund, donor=donor, kind="cash", amount=Decimal("5000.00"),
        idempotency_key_value=f"matrix-{side}").pk
    ids["disbursement_id"] = charity.disbursement_request(
        actor=root, fund=fund, amount="100.00", purpose="困难帮扶",
        beneficiary_kind="person", person=person).pk

    # Needs: a dispatched need (with its assignment and tracking code) and an idea.
    helper = user_create(actor=None, username=f"matrix_helper_{side}", password=PASSWORD,
                         grants=[(Role.COMMUNITY_STAFF, community)], check_password=False)
    need = needs.need_submit_public(
        category="elderly_care", description="独居老人需要助餐服务", community=community.code,
        contact_name="王小明", contact_phone=f"1390000000{n}", consent=True).need
    need = needs.need_accept(actor=helper, need=need)
    need = needs.need_dispatch(actor=helper, need=need, assignments=[
        needs.AssignmentSpec("committee", str(helper.pk), "lead")])
    ids["need_id"] = need.pk
    ids["tracking_code"] = need.tracking_code
    with scopes_disabled():
        ids["assignment_id"] = need.assignments.get().pk
    ids["idea_id"] = needs.idea_submit(actor=helper, region=community, title="增设休息座椅",
                                       body="社区广场缺少座椅").pk
    with scopes_disabled():  # a 自治金 budget of the community on its fund
        from wushe.needs.models import IdeaBudget

        ids["budget_id"] = IdeaBudget.objects.create(
            region=community, region_path=community.path, year=2026, fund=fund,
            amount=Decimal("1000")).pk

    # Residents in care: a profile and a ledger.
    profile = residents.profile_create(actor=root, person=elder, target_group="elderly")
    ids["profile_id"] = profile.pk
    ledger = residents.ledger_create(actor=root, region=community, name=f"关爱台账{n}")
    residents.ledger_add(actor=root, ledger=ledger, profile=profile)
    ids["ledger_id"] = ledger.pk

    # Projects, supervision, evaluation.
    project = projects.project_create(
        actor=root, region=community, name=f"互助养老项目{n}", domain="elderly_services",
        year=2026, budget="100000", target_groups=["elderly"],
        indicators=[projects.IndicatorSpec("服务人次", "人次", "1200")])
    ids["project_id"] = project.pk
    with scopes_disabled():
        ids["indicator_id"] = project.indicators.get().pk
    ids["seq"] = 1
    with scopes_disabled():
        served = type(project).objects.create(
            code=f"XM2025-9{n:04d}", name=f"在服务项目{n}", domain="elderly_services",
            region=community, region_path=community.path, year=2025,
            budget=Decimal("200000"), status="in_service", provider=org)
        visit = Supervision.objects.create(
            project=served, kind="monthly_scheduling", tier="station_to_room",
            region_id=community.pk, region_path=community.path,
            scheduled_on=today, status="planned")
        ids["supervision_id"] = visit.pk
        ids["rectification_id"] = Rectification.objects.create(
            supervision=visit, region_path=community.path, item="台账不全",
            due_on=today + dt.timedelta(days=30)).pk
    evaluation = evaluation_create(actor=root, project=served, stage="midterm")
    ids["evaluation_id"] = evaluation.pk
    ids["evaluation.member_id"] = member_add(actor=root, evaluation=evaluation,
                                             party="recipients", name="服务对象代表").pk
    evaluation.refresh_from_db()
    ids["token"] = evaluation.survey_token
    from wushe.renovation import services as renovation

    programme = renovation.programme_create(
        actor=root, region=community, name=f"强基赋能{n}", department="区委组织部",
        start_year=2021, end_year=2023, total_budget="1000000")
    ids["programme_id"] = programme.pk
    centre = site_create(actor=root, region=community, kind="party_centre", name=f"党群中心{n}")
    reno = renovation.renovation_add(actor=root, programme=programme, site=centre,
                                     budget="500000")
    ids["renovation_id"] = reno.pk
    ids["renovation.document_id"] = renovation.renovation_document_add(
        actor=root, renovation=reno, kind="photo",
        document=io.BytesIO(b"%PDF-1.4 matrix")).pk


def build_matrix_world() -> MatrixWorld:
    root = user_create(actor=None, username="root", password=PASSWORD, is_superuser=True,
                       check_password=False)
    district = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district",
                             parent=None)
    streets = {
        "in": region_create(actor=root, code="500107001000", name="杨家坪街道", kind="street",
                            parent=district),
        "out": region_create(actor=root, code="500107002000", name="黄桷坪街道", kind="street",
                             parent=district),
    }
    communities = {
        "in": region_create(actor=root, code="500107001001", name="杨坪社区", kind="community",
                            parent=streets["in"], population=8000, households=3000),
        "out": region_create(actor=root, code="500107002001", name="黄桷社区", kind="community",
                             parent=streets["out"], population=6000, households=2200),
    }
    w = MatrixWorld(root, district, streets, communities)
    from wushe.volunteers.services import team_create

    w.corps = team_create(actor=root, name="九龙坡区志愿服务总队", level="corps", region=district)
    for n, side in enumerate(("in", "out"), start=1):
        _populate(w, side, streets[side], communities[side], n)
    from wushe.projects.services import purchase_list_create

    # Purchase lists are the district's: outside every street grant (no "in" list).
    w.ids["out"]["list_id"] = purchase_list_create(actor=root, region=district, year=2026,
                                                   name="第一批").pk
    for role in Role:
        kind = OBJECT_PERMISSIONS.get(role, ("", frozenset()))[0]
        if kind:
            user = user_create(actor=None, username=f"matrix_{role}", password=PASSWORD,
                               check_password=False)
            grant_add(actor=None, user=user, role=role, region=streets["in"],
                      **{kind: _object(kind, w.ids["in"])})
        else:
            user = user_create(actor=None, username=f"matrix_{role}", password=PASSWORD,
                               grants=[(role, streets["in"])], check_password=False)
        w.users[role] = user
    return w


def _object(kind: str, ids: dict[str, Any]) -> Any:
    from wushe.charity.models import Fund
    from wushe.orgs.models import SocialOrganization
    from wushe.volunteers.models import Team

    models: dict[str, tuple[Any, str]] = {
        "org": (SocialOrganization, "org_id"), "team": (Team, "team_id"),
        "fund": (Fund, "fund_id")}
    model, key = models[kind]
    with scopes_disabled():
        return model._base_manager.get(pk=ids[key])

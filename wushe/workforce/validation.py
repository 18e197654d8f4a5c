"""Checks of a worker's record before it is saved: an unsaved, validated community or social
worker (the create and update services and the importers share them), how a community worker
holds the job, and the adjustment kinds the local rules allow."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from wushe.core.errors import ValidationFailed
from wushe.core.ids import identifier_text
from wushe.orgs import cleaning
from wushe.orgs.models import OrgStatus, SocialOrganization
from wushe.people.models import Person
from wushe.regions import rules
from wushe.regions.models import Region, RegionLevel, Site, SiteKind
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import (
    AdjustmentKind,
    CertificateLevel,
    CommunityWorker,
    Education,
    ElectedRole,
    Engagement,
    SocialWorker,
    WorkerStatus,
)

PLACEMENT_KINDS = (SiteKind.SW_CENTRE, SiteKind.SW_STATION, SiteKind.SW_ROOM)
_CERT_NUMBER = re.compile(r"^[A-Za-z0-9\-]{4,30}$")


def _check_community(region: Region) -> None:
    if region.level != RegionLevel.COMMUNITY:
        raise ValidationFailed("社区工作者须配备到社区(村)", "A community worker works for a "
                               "community or village", code="region_level", field="community")


def prepare_community_worker(*, person: Person, community: Region,
                             values: dict[str, Any]) -> CommunityWorker:
    """An unsaved, validated community worker; with no grade, the ladder's suggestion."""
    _check_community(community)
    ladder = ladder_for(community)
    education = cleaning.choice(values.get("education") or Education.COLLEGE, Education,
                                "education", "学历", "Education")
    hired_on = cleaning.date(values.get("hired_on"), "hired_on", "入职日期", "Hiring date",
                             required=True)
    assert hired_on is not None
    if values.get("post") in (None, ""):
        raise ValidationFailed("请选择岗位", "Choose the post", code="required", field="post")
    post = ladder.post(values["post"])
    grade = values.get("grade")
    if grade in (None, ""):
        grade = ladder.suggested_grade(post_number=post.number, education=education,
                                       hired_on=hired_on)
    post_number, grade_value = ladder.check(post.number, grade)
    status = cleaning.choice(values.get("status") or WorkerStatus.ACTIVE, WorkerStatus,
                             "status", "状态", "Status")
    return CommunityWorker(person=person, community=community, region_path=community.path,
                           post=post_number, grade=grade_value, education=education,
                           hired_on=hired_on, status=status)


TERM_YEARS = 5  # a committee's term (村民委员会组织法 / 城市居民委员会组织法, 2018 revisions)


def engagement_values(worker: CommunityWorker, engagement: object, elected_role: object,
                       term_start: object, term_end: object) -> dict[str, Any]:
    """How the worker holds the job: hired (no role, no term) or elected (role and term)."""
    value = cleaning.choice(engagement, Engagement, "engagement", "任职方式", "Engagement")
    if value == Engagement.HIRED:
        return {"engagement": value, "elected_role": "", "term_start": None, "term_end": None}
    role = cleaning.choice(elected_role, ElectedRole, "elected_role", "职务", "Elected role",
                           required=False)
    if not role:
        raise ValidationFailed("选举产生的两委成员须填写职务", "Give the elected member's role",
                               code="required", field="elected_role")
    start = cleaning.date(term_start, "term_start", "任期开始", "Term starts", required=True,
                          not_future=False)
    assert start is not None
    end = cleaning.date(term_end, "term_end", "任期结束", "Term ends", not_future=False)
    if end is None:
        end = start.replace(year=start.year + TERM_YEARS) - dt.timedelta(days=1)
    if end <= start:
        raise ValidationFailed("任期结束须晚于任期开始", "The term must end after it starts",
                               code="term_order", field="term_end")
    return {"engagement": value, "elected_role": role, "term_start": start, "term_end": end}


def _clean_certificate(level: object, number: object) -> tuple[str, str | None]:
    value = cleaning.choice(level or CertificateLevel.NONE, CertificateLevel,
                            "certificate_level", "证书等级", "Certificate level")
    raw = identifier_text(number, what_zh="证书编号", what_en="certificate number",
                          field="certificate_number").upper()
    if value == CertificateLevel.NONE:
        if raw:
            raise ValidationFailed("无证书时不应填写证书编号",
                                   "A certificate number needs a certificate level",
                                   field="certificate_level")
        return value, None
    if not raw:
        raise ValidationFailed("持证社工须填写证书编号", "A certified worker needs the certificate "
                               "number", code="required", field="certificate_number")
    if not _CERT_NUMBER.match(raw):
        raise ValidationFailed("证书编号应为4至30位字母、数字或连字符",
                               "A certificate number has 4 to 30 letters, digits or hyphens",
                               field="certificate_number")
    return value, raw


def _check_site(site: Site | None) -> None:
    if site is not None and (site.kind not in PLACEMENT_KINDS or not site.active):
        raise ValidationFailed("社工须安排在在运营的社工服务中心、社工站或社工室",
                               "A social worker is placed at a centre, station or room in "
                               "operation", field="site")


def _check_employer(employer: SocialOrganization | None) -> None:
    if employer is not None and employer.status == OrgStatus.ELIMINATED:
        raise ValidationFailed("用人单位已被淘汰", "The employer has been eliminated",
                               field="employer")


def prepare_social_worker(*, person: Person, region: Region | None, site: Site | None,
                          values: dict[str, Any]) -> SocialWorker:
    """An unsaved, validated social worker (the importer shares it)."""
    _check_site(site)
    work_region = site.region if site is not None else region
    if work_region is None:
        raise ValidationFailed("请选择服务站点或工作地区", "Choose the placement site or the region "
                               "of work", code="required", field="region")
    level, number = _clean_certificate(values.get("certificate_level"),
                                      values.get("certificate_number"))
    employer = values.get("employer")
    _check_employer(employer)
    status = cleaning.choice(values.get("status") or WorkerStatus.ACTIVE, WorkerStatus,
                             "status", "状态", "Status")
    return SocialWorker(
        person=person, region=work_region, region_path=work_region.path, site=site,
        certificate_level=level, certificate_number=number,
        certified_on=cleaning.date(values.get("certified_on"), "certified_on", "取证日期",
                                   "Certification date") if number else None,
        employer=employer, status=status,
        hired_on=cleaning.date(values.get("hired_on"), "hired_on", "入职日期", "Hiring date"))


def kinds_for(engagement: str, region: Any = None) -> list[str]:
    """The adjustment kinds in force for a worker's engagement in a region (local rules)."""
    key = ("workforce.adjustment_kinds_elected" if engagement == Engagement.ELECTED
           else "workforce.adjustment_kinds_hired")
    allowed = AdjustmentKind.values
    return [k.strip() for k in str(rules.value(key, region)).replace("，", ",").split(",")
            if k.strip() in allowed]

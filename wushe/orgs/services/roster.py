"""Writes of what belongs to a filing: member roster, brand projects, honours."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from wushe.audit import recorder as audit
from wushe.core.errors import Conflict
from wushe.core.services import service
from wushe.core.text import clean_person_name
from wushe.orgs import access, cleaning
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import BrandProject, OrgHonour, OrgMember, SocialOrganization

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_BENEFICIARIES = 10_000_000


@service
def member_add(*, actor: Actor, org: SocialOrganization, name: object, post: object = "",
               joined_on: object = None) -> OrgMember:
    access.require_edit(actor, org)
    member = OrgMember.objects.create(
        org=org, region_path=org.region_path, name=clean_person_name(name),
        post=cleaning.text(post, "post", "职务", "Post", 30),
        joined_on=cleaning.date(joined_on, "joined_on", "加入日期", "Joining date"))
    audit.record(actor=actor, action=OrgAction.MEMBER_ADDED, target=org, label=org.name,
                 data={"member": member.pk, "name": member.masked_name, "post": member.post})
    return member


@service
def member_remove(*, actor: Actor, member: OrgMember) -> None:
    org = member.org
    access.require_edit(actor, org)
    audit.record(actor=actor, action=OrgAction.MEMBER_REMOVED, target=org, label=org.name,
                 data={"member": member.pk, "name": member.masked_name})
    OrgMember.objects.filter(pk=member.pk).delete()


def _project_values(name: object, summary: object, started_on: object,
                    beneficiaries: object) -> dict[str, Any]:
    return {
        "name": cleaning.text(name, "name", "项目名称", "Project name", 100, required=True),
        "summary": cleaning.text(summary, "summary", "项目简介", "Summary", 2000),
        "started_on": cleaning.date(started_on, "started_on", "开始日期", "Start date"),
        "beneficiaries": cleaning.integer(beneficiaries, "beneficiaries", "服务人次",
                                          "People served", minimum=0,
                                          maximum=MAX_BENEFICIARIES) or 0,
    }


@service
def project_add(*, actor: Actor, org: SocialOrganization, name: object, summary: object = "",
                started_on: object = None, beneficiaries: object = 0) -> BrandProject:
    access.require_edit(actor, org)
    project = BrandProject.objects.create(org=org, region_path=org.region_path,
                                          **_project_values(name, summary, started_on,
                                                            beneficiaries))
    audit.record(actor=actor, action=OrgAction.PROJECT_ADDED, target=org, label=org.name,
                 data={"project": project.pk, "name": project.name})
    return project


@service
def project_update(*, actor: Actor, project: BrandProject, name: object, summary: object = "",
                   started_on: object = None, beneficiaries: object = 0) -> BrandProject:
    access.require_edit(actor, project.org)
    values = _project_values(name, summary, started_on, beneficiaries)
    for k, v in values.items():
        setattr(project, k, v)
    project.save()
    audit.record(actor=actor, action=OrgAction.PROJECT_UPDATED, target=project.org,
                 label=project.org.name, data={"project": project.pk, **{
                     k: str(v) if isinstance(v, dt.date) else v for k, v in values.items()}})
    return project


@service
def honour_add(*, actor: Actor, org: SocialOrganization, title: object, year: object,
               awarded_by: object = "") -> OrgHonour:
    access.require_manage(actor, org)
    clean_title = cleaning.text(title, "title", "荣誉名称", "Title", 100, required=True)
    clean_year = cleaning.integer(year, "year", "年度", "Year", minimum=1990,
                                  maximum=dt.date.today().year, required=True)
    if OrgHonour.objects.filter(org=org, title=clean_title, year=clean_year).exists():
        raise Conflict("该荣誉已记录", "This honour is already recorded", field="title")
    honour = OrgHonour.objects.create(
        org=org, region_path=org.region_path, title=clean_title, year=clean_year,
        awarded_by=cleaning.text(awarded_by, "awarded_by", "授予单位", "Awarded by", 100))
    audit.record(actor=actor, action=OrgAction.HONOUR_ADDED, target=org, label=org.name,
                 data={"title": honour.title, "year": honour.year})
    return honour

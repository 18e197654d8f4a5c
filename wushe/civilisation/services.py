"""Writes of the civilisation-practice app: permission first, audit in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.civilisation.audit_codes import CivilisationAction
from wushe.civilisation.models import (
    LEVEL_REGION,
    PARENT_LEVEL,
    ActivityDomain,
    Domain,
    Pairing,
    PartnerKind,
    PracticeLevel,
    PracticeSite,
)
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.services import service
from wushe.regions.models import Region, RegionLevel, Site

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "volunteers.view"
MANAGE = "volunteers.manage"


def _text(value: object, field: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed("此项必填", "This field is required", field=field)
    if len(text) > max_length:
        raise ValidationFailed("内容过长", "Too long", field=field)
    return text


@service
def site_create(*, actor: Actor, level: str, name: object, region: Region,
                parent: PracticeSite | None = None, leader_name: object,
                leader_post: object = "") -> PracticeSite:
    """A centre at the district; a 所 under the centre for one of its streets; a 站 under the
    所 of the community's street."""
    scope.require_region(actor, MANAGE, region.path)
    if level not in PracticeLevel.values:
        raise ValidationFailed("实践阵地层级无效", "Unknown practice level", field="level")
    lvl = PracticeLevel(level)
    if region.level != LEVEL_REGION[lvl]:
        raise ValidationFailed("实践中心在区、实践所在镇街、实践站在村(社区)",
                               "A centre is at a district, an institute at a street, "
                               "a station at a community", code="wrong_region", field="region")
    if lvl == PracticeLevel.CENTRE:
        if parent is not None:
            raise ValidationFailed("实践中心没有上级", "A centre has no parent", field="parent")
    else:
        if parent is None or parent.level != PARENT_LEVEL[lvl] or parent.region_id != region.parent_id:
            raise ValidationFailed(
                "实践所须在区实践中心下,实践站须在本镇街的实践所下",
                "An institute belongs under its district's centre, a station under its "
                "street's institute", code="wrong_parent", field="parent")
    clean_name = _text(name, "name", 100)
    leader = _text(leader_name, "leader_name", 50)
    post = _text(leader_post, "leader_post", 60, required=False)
    if PracticeSite.objects.filter(region=region).exists():
        raise Conflict("该地区已有实践阵地", "This region already has a practice site",
                       code="duplicate")
    site = PracticeSite.objects.create(level=lvl, name=clean_name, region=region,
                                       region_path=region.path, parent=parent,
                                       leader_name=leader, leader_post=post)
    audit.record(actor=actor, action=CivilisationAction.SITE_CREATED, target=site,
                 label=site.name, data={"level": lvl.value, "parent": parent.pk if parent else None})
    return site


@service
def site_link_names(*, actor: Actor, site: PracticeSite, others: list[Site]) -> PracticeSite:
    """三块牌子、一套人马: the same place under other names (sites of the same region)."""
    scope.require(actor, MANAGE, site, view_perm=VIEW)
    for other in others:
        if other.region_id != site.region_id:
            raise ValidationFailed("只能关联同一地区的阵地", "Only a site of the same region can be "
                                   "another name of this place", code="other_region",
                                   field="others")
    site.other_names.add(*others)
    audit.record(actor=actor, action=CivilisationAction.SITE_NAMES_LINKED, target=site,
                 label=site.name, data={"sites": sorted(o.pk for o in others)})
    return site


@service
def site_attach_team(*, actor: Actor, site: PracticeSite, team: Any) -> PracticeSite:
    scope.require(actor, MANAGE, site, view_perm=VIEW)
    if not team.region_path.startswith(site.region_path):
        raise NotFound("队伍不存在", "Team not found")
    site.teams.add(team)
    audit.record(actor=actor, action=CivilisationAction.SITE_TEAM_ATTACHED, target=site,
                 label=site.name, data={"team": team.pk})
    return site


@service
def pairing_create(*, actor: Actor, community: Region, partner_kind: str, partner_name: object,
                   starts_on: dt.date, ends_on: dt.date | None = None,
                   organisation: Any = None) -> Pairing:
    scope.require_region(actor, MANAGE, community.path)
    if community.level != RegionLevel.COMMUNITY:
        raise ValidationFailed("结对对象须为村(社区)", "A pairing is with a community",
                               field="community")
    if partner_kind not in PartnerKind.values:
        raise ValidationFailed("共建单位类别无效", "Unknown partner kind", field="partner_kind")
    name = _text(partner_name, "partner_name", 100)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed("结束日期早于开始日期", "The end is before the start",
                               field="ends_on")
    if organisation is not None and partner_kind != PartnerKind.ORGANISATION:
        raise ValidationFailed("只有社会组织可关联组织档案", "Only an organisation partner links an "
                               "organisation", field="organisation")
    pairing = Pairing.objects.create(community=community, region_path=community.path,
                                     partner_kind=partner_kind, partner_name=name,
                                     organisation=organisation, starts_on=starts_on,
                                     ends_on=ends_on)
    audit.record(actor=actor, action=CivilisationAction.PAIRING_CREATED, target=pairing,
                 label=name, data={"kind": partner_kind, "starts_on": starts_on.isoformat()})
    return pairing


@service
def activity_domain_set(*, actor: Actor, activity: Any, domain: str,
                        pairing: Pairing | None = None) -> ActivityDomain:
    """Put a volunteer activity in one of the ten domains (and, if done with a paired unit,
    link the pairing of its community)."""
    scope.require(actor, MANAGE, activity, view_perm=VIEW)
    if domain not in Domain.values:
        raise ValidationFailed("实践领域无效", "Unknown practice domain", field="domain")
    if pairing is not None:
        if not scope.covers(actor, VIEW, pairing.region_path):
            raise NotFound("结对不存在", "Pairing not found")
        if not activity.region_path.startswith(pairing.region_path):
            raise ValidationFailed("活动不在结对社区", "The activity is not in the paired community",
                                   code="other_community", field="pairing")
    old = ActivityDomain.objects.unscoped(reason="service: scope.require checked the actor").filter(activity=activity).first()
    row, _created = ActivityDomain.objects.update_or_create(
        activity=activity, defaults={"domain": domain, "pairing": pairing,
                                     "region_path": activity.region_path,
                                     "starts_at": activity.starts_at})
    audit.record(actor=actor, action=CivilisationAction.ACTIVITY_DOMAIN_SET, target=activity,
                 label=activity.title,
                 data={"old": old.domain if old else None, "new": domain,
                       "pairing": pairing.pk if pairing else None})
    return row


@service
def site_update(*, actor: Actor, site: PracticeSite, name: object, leader_name: object,
                leader_post: object = "", others: list[Site] | None = None) -> PracticeSite:
    """Rename, change the accountable leader (书记), and set the other names of the place
    (sites of the same region only; None leaves them as they are)."""
    scope.require(actor, MANAGE, site, view_perm=VIEW)
    values = {"name": _text(name, "name", 100), "leader_name": _text(leader_name,
                                                                    "leader_name", 50),
              "leader_post": _text(leader_post, "leader_post", 60, required=False)}
    if others is not None and any(o.region_id != site.region_id for o in others):
        raise ValidationFailed("只能关联同一地区的阵地", "Only a site of the same region can be "
                               "another name of this place", code="other_region",
                               field="others")
    old = {"name": site.name, "leader_changed": False, "leader_post": site.leader_post}
    changes = audit.diff(old, {"name": values["name"],
                               "leader_changed": values["leader_name"] != site.leader_name,
                               "leader_post": values["leader_post"]})
    for field, value in values.items():
        setattr(site, field, value)
    site.save()
    if others is not None:
        before = set(site.other_names.all().unscoped(reason="children of a row read in scope").values_list("pk", flat=True))  # type: ignore[attr-defined]
        after = {o.pk for o in others}
        if before != after:
            site.other_names.set(others)
            changes["other_names"] = {"old": sorted(before), "new": sorted(after)}
    if changes:  # the leader's name is personal: the event says it changed, not to whom
        audit.record(actor=actor, action=CivilisationAction.SITE_UPDATED, target=site,
                     label=site.name, data=changes)
    return site


@service
def pairing_update(*, actor: Actor, pairing: Pairing, partner_name: object,
                   ends_on: dt.date | None) -> Pairing:
    """Rename the partner or end (or extend) the pairing; the community and start stay."""
    scope.require(actor, MANAGE, pairing, view_perm=VIEW)
    name = _text(partner_name, "partner_name", 100)
    if ends_on is not None and ends_on < pairing.starts_on:
        raise ValidationFailed("结束日期早于开始日期", "The end is before the start",
                               field="ends_on")
    changes = audit.diff({"partner_name": pairing.partner_name,
                          "ends_on": pairing.ends_on.isoformat() if pairing.ends_on else None},
                         {"partner_name": name,
                          "ends_on": ends_on.isoformat() if ends_on else None})
    if changes:
        pairing.partner_name, pairing.ends_on = name, ends_on
        pairing.save(update_fields=["partner_name", "ends_on", "updated_at"])
        audit.record(actor=actor, action=CivilisationAction.PAIRING_UPDATED, target=pairing,
                     label=name, data=changes)
    return pairing

"""Writes of the team tree: create, update, appoint leaders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts import scope
from wushe.accounts import services as accounts
from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import Role
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.regions.models import Region
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import CHILD_LEVEL, SEGMENT, Team, TeamLevel
from wushe.volunteers.models.teams import MAX_SIBLINGS

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _clean(name: object, brand: object, description: object) -> dict[str, str]:
    return {
        "name": clean_text(name, field="name", label_zh="队伍名称", label_en="Team name",
                           max_length=100, required=True),
        "brand": clean_text(brand, field="brand", label_zh="品牌名称", label_en="Brand name",
                            max_length=60),
        "description": clean_text(description, field="description", label_zh="简介",
                                  label_en="Description", max_length=300),
    }


def _next_path(parent: Team | None) -> str:
    """The next free sibling ordinal under ``parent`` (the unique index catches a race)."""
    siblings = Team.objects.unscoped(reason="uniqueness check, no row shown").filter(parent=parent)
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    ordinal = int(last[-SEGMENT:]) + 1 if last else 1
    if ordinal > MAX_SIBLINGS:
        raise ValidationFailed("下级队伍数量已达上限", "This team has the maximum number of sub-teams",
                               field="parent")
    return (parent.path if parent else "") + f"{ordinal:0{SEGMENT}d}"


@service
def team_create(*, actor: Actor, name: object, level: str, region: Region,
                parent: Team | None = None, brand: object = "", description: object = "") -> Team:
    """A corps at the top; a detachment under a corps; a squad under a detachment."""
    if parent is not None:
        access.require(actor, access.MANAGE, parent)
    else:
        scope.require_region(actor, access.MANAGE, region.path)
    if level not in TeamLevel.values:
        raise ValidationFailed("队伍层级无效", "Unknown team level", field="level")
    if parent is None and level != TeamLevel.CORPS:
        raise ValidationFailed("支队(分队)和小队须有上级队伍", "A detachment or squad needs a parent team",
                               code="parent_required", field="parent")
    if parent is not None and CHILD_LEVEL.get(TeamLevel(parent.level)) != level:
        raise ValidationFailed(
            "下级队伍须恰好低上级一层:总队下设支队(分队),支队(分队)下设小队",
            "A sub-team sits exactly one level below its parent: detachments under a corps, "
            "squads under a detachment", code="level_mismatch", field="level")
    if parent is not None and not region.path.startswith(parent.region_path):
        raise ValidationFailed("下级队伍的地区须在上级队伍的地区之内",
                               "A sub-team's region must lie inside its parent's region",
                               code="region_outside_parent", field="region")
    values = _clean(name, brand, description)
    if Team.objects.unscoped(reason="uniqueness check, no row shown").filter(parent=parent, name=values["name"]).exists():
        raise Conflict("同一上级下已有同名队伍", "A sibling team already has this name", field="name")
    team = Team.objects.create(level=level, parent=parent, path=_next_path(parent), region=region,
                               region_path=region.path, **values)
    audit.record(actor=actor, action=VolunteerAction.TEAM_CREATED, target=team, label=team.name,
                 data={"level": level, "path": team.path, "parent": parent.pk if parent else None,
                       "region": region.code})
    return team


@service
def team_update(*, actor: Actor, team: Team, name: object = None, brand: object = None,
                description: object = None, active: bool | None = None) -> Team:
    access.require(actor, access.MANAGE, team)
    current = {"name": team.name, "brand": team.brand, "description": team.description}
    values = _clean(current["name"] if name is None else name,
                    current["brand"] if brand is None else brand,
                    current["description"] if description is None else description)
    if values["name"] != team.name and Team.objects.unscoped(reason="uniqueness check, no row shown").filter(
            parent=team.parent, name=values["name"]).exclude(pk=team.pk).exists():
        raise Conflict("同一上级下已有同名队伍", "A sibling team already has this name", field="name")
    changes = audit.diff(current, values)
    if active is not None and active != team.active:
        changes["active"] = {"old": team.active, "new": active}
        team.active = active
    if changes:
        for k, v in values.items():
            setattr(team, k, v)
        team.save(update_fields=[*values, "active", "updated_at"])
        audit.record(actor=actor, action=VolunteerAction.TEAM_UPDATED, target=team,
                     label=team.name, data=changes)
    return team


@service
def team_leader_appoint(*, actor: Actor, team: Team, user: User | None = None,
                        username: str = "") -> RoleGrant:
    """A team_leader grant bound to the team: the leader acts over the team's whole subtree."""
    access.require(actor, access.MANAGE, team)
    if user is None:
        user = User.objects.filter(username=username.strip(), is_active=True).first()
        if user is None:
            raise ValidationFailed("用户不存在", "No such user", field="username")
    grant = accounts.grant_add(actor=actor, user=user, role=Role.TEAM_LEADER, region=team.region,
                               team=team)
    audit.record(actor=actor, action=VolunteerAction.LEADER_APPOINTED, target=team,
                 label=team.name, data={"user": user.username, "grant": grant.pk})
    access.forget(user)
    return grant


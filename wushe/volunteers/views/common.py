"""What the volunteer page views share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse

from wushe.core.errors import NotFound
from wushe.core.excel import XLSX
from wushe.volunteers import access, selectors
from wushe.volunteers.models import Team, Volunteer
from wushe.volunteers.selectors.regions import region_by_code, team_regions

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def team_from(actor: Actor, value: object, perm: str = access.MANAGE) -> Team | None:
    text = str(value or "")
    if not text:
        return None
    if not text.isdigit():
        raise NotFound("队伍不存在", "Team not found")
    return selectors.team_get(actor=actor, team_id=int(text), perm=perm)


def required_team(actor: Actor, value: object, perm: str = access.MANAGE) -> Team:
    team = team_from(actor, value, perm)
    if team is None:
        raise NotFound("队伍不存在", "Team not found")
    return team


def volunteer_by_number(actor: Actor, number: str, field: str = "number") -> Volunteer:
    from wushe.core.errors import ValidationFailed

    found = selectors.volunteer_lookup(actor=actor, number=number)
    if found is None:
        raise ValidationFailed("未找到该志愿者编号(或不在您的范围内)",
                               "No volunteer with this number in your area", field=field)
    return found


def xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Re-exported for the views: region choices of forms.
__all__ = ["region_by_code", "required_team", "team_from", "team_regions", "volunteer_by_number",
           "xlsx"]

"""Volunteer teams as a society of the five-society linkage (wushe.needs.linkage).

A need is offered to the active teams of its community, its street and the district, ranked by
placement, by whether the team has served that kind of need's people, and by its confirmed
service so far. The team's leaders (team_leader object grants, over the team's subtree) take,
return and handle the assignment. Dispatch opens an activity for the need in the team
(services/need_activities.py): its check-outs are the pending service records the team confirms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Q

from wushe.accounts.scope import subtree_q
from wushe.needs.linkage import BaseProvider, Candidate, ScorePart, Society, register
from wushe.volunteers import access
from wushe.volunteers.models import Team, TeamLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

LOOK_AT = 200
# Need categories (needs/categories.py) that volunteer teams typically answer.
FIT = {"elderly_care", "child_care", "disability_support", "environment", "medical_help",
       "temporary_relief", "counselling", "other"}


class TeamProvider(BaseProvider):
    society: ClassVar[str] = Society.VOLUNTEER_TEAM

    def suggest(self, need: Any, *, limit: int) -> list[Candidate]:
        community, street = need.region_path[:12], need.region_path[:9]
        teams = list(Team.objects.unscoped(reason="linkage: the teams serving a need's area")
                     .filter(Q(region_path=community) | Q(region_path=street), active=True)
                     .exclude(level=TeamLevel.CORPS)
                     .only("id", "name", "region_path", "members", "records_confirmed")
                     .order_by("-region_path", "-records_confirmed")[:LOOK_AT])
        out = []
        for team in teams:
            near = team.region_path == community
            parts = [ScorePart("near", 40 if near else 25,
                               "本社区的志愿服务队" if near else "本街道(镇)的志愿服务分队",
                               "In the need's community" if near else "In the need's street")]
            if need.category in FIT:
                parts.append(ScorePart("fit", 20, "志愿服务队常承接此类需求",
                                       "Volunteer teams often answer this kind of need"))
            if team.members:
                parts.append(ScorePart("members", min(15, team.members / 4),
                                       f"{team.members}名成员", f"{team.members} members"))
            if team.records_confirmed:
                parts.append(ScorePart("experience", min(20, team.records_confirmed / 10),
                                       f"已确认服务{team.records_confirmed}次",
                                       f"{team.records_confirmed} confirmed services"))
            out.append(Candidate(self.society, str(team.pk), team.name, tuple(parts)))
        return sorted(out, key=lambda c: -c.score)[:limit]

    def on_assign(self, assignment: Any, *, actor: Actor) -> str:
        from wushe.needs.categories import CATEGORIES
        from wushe.volunteers.services.need_activities import REF, activity_for_need

        need = assignment.need
        team = Team.objects.unscoped(reason="hook: the calling service authorised it").get(pk=int(assignment.object_id))
        known = CATEGORIES.get(need.category)
        activity = activity_for_need(actor=actor, team=team, need=need,
                                     category_zh=known.zh if known else need.category)
        return f"{REF}{activity.pk}"

    def on_finish(self, assignment: Any, *, actor: Actor, outcome: str) -> None:
        from wushe.volunteers.services.need_activities import activity_end_for_need

        activity_end_for_need(actor=actor, external_ref=assignment.external_ref,
                              served=outcome == "done")

    def ref_url(self, external_ref: str) -> str:
        from django.urls import reverse

        prefix = 'volunteers.activity:'
        if not external_ref.startswith(prefix):
            return ""
        return reverse("volunteers:activity", args=[int(external_ref.removeprefix(prefix))])

    def may_act(self, actor: Actor, assignment: Any) -> bool:
        return str(assignment.object_id) in self.acting_for(actor)

    def acting_for(self, actor: Actor) -> list[str]:
        prefixes = access.team_prefixes(actor, access.MANAGE)
        if not prefixes:
            return []
        q = Q(pk__in=[])
        for p in prefixes:
            q |= subtree_q("path", p)
        return [str(i) for i in Team.objects.unscoped(reason="scope: filtered by the actor's team paths here").filter(q).values_list("pk", flat=True)]


register(TeamProvider())

"""Providers this app can write from accounts alone.

* committee — the community staff (社区两委/社工室) of the need's community.
* social_worker — social workers placed (by their grant) at the need's community or street.
  A fallback until the workforce app registers its own provider for the same society
  (registering again replaces this one).

Score parts: where the person is placed, how many open assignments they carry (a lighter load
scores higher), and how many needs of the same category they have finished in the past year.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Count, Q
from django.utils import timezone

from wushe.accounts.labels import user_label
from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import Role
from wushe.needs.linkage import BaseProvider, Candidate, ScorePart, Society, register

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor
    from wushe.needs.models import Need

LOAD_POINTS = 30.0   # an idle person gets all of it; each open assignment takes a tenth
LOAD_CAP = 10
EXPERIENCE_POINTS = 4.0  # per finished need of the same category, up to the cap
EXPERIENCE_CAP = 20.0
EXPERIENCE_DAYS = 365


class AccountProvider(BaseProvider):
    """Candidates are users holding ``role`` over the need's community (or street)."""

    role: ClassVar[str] = ""
    # points for a grant exactly at the community, and for one at the street above it
    community_points: ClassVar[float] = 40.0
    street_points: ClassVar[float] = 0.0
    place_zh: ClassVar[tuple[str, str]] = ("", "")
    place_en: ClassVar[tuple[str, str]] = ("", "")

    def _placed(self, need: Need) -> dict[int, tuple[User, str]]:
        community = need.region_path[:12]
        paths = [community] + ([community[:9]] if self.street_points else [])
        grants = (RoleGrant.objects.unscoped(reason="linkage: who can serve a need's area")
                  .filter(role=self.role, region_path__in=paths, user__is_active=True)
                  .select_related("user").order_by("region_path"))
        placed: dict[int, tuple[User, str]] = {}
        for g in grants:
            # a community grant beats a street grant of the same person
            if g.user_id not in placed or len(g.region_path) > len(placed[g.user_id][1]):
                placed[g.user_id] = (g.user, g.region_path)
        return placed

    def _candidates(self, need: Need, placed: dict[int, tuple[User, str]]) -> list[Candidate]:
        from wushe.needs.models import ACTIVE_ASSIGNMENT, Assignment, AssignmentState

        if not placed:
            return []
        ids = [str(pk) for pk in placed]
        since = timezone.now() - dt.timedelta(days=EXPERIENCE_DAYS)
        rows = (Assignment.objects.unscoped(reason="linkage: who can serve a need's area")
                .filter(society=self.society, object_id__in=ids)
                .values("object_id")
                .annotate(open=Count("id", filter=Q(state__in=ACTIVE_ASSIGNMENT)),
                          done=Count("id", filter=Q(state=AssignmentState.DONE,
                                                    need__category=need.category,
                                                    finished_at__gte=since))))
        load = {r["object_id"]: (r["open"], r["done"]) for r in rows}
        out = []
        for pk, (user, path) in placed.items():
            open_n, done_n = load.get(str(pk), (0, 0))
            at_community = len(path) == 12
            parts = [ScorePart("placement",
                               self.community_points if at_community else self.street_points,
                               self.place_zh[0 if at_community else 1],
                               self.place_en[0 if at_community else 1])]
            parts.append(ScorePart(
                "workload", LOAD_POINTS * (1 - min(open_n, LOAD_CAP) / LOAD_CAP),
                f"在办 {open_n} 件", f"{open_n} open assignment(s)"))
            if done_n:
                parts.append(ScorePart(
                    "experience", min(EXPERIENCE_CAP, EXPERIENCE_POINTS * done_n),
                    f"近一年办结同类诉求 {done_n} 件",
                    f"{done_n} need(s) of this category finished in the past year"))
            out.append(Candidate(self.society, str(pk), user_label(user), tuple(parts), user_id=pk))
        return out

    def suggest(self, need: Need, *, limit: int) -> list[Candidate]:
        found = self._candidates(need, self._placed(need))
        return sorted(found, key=lambda c: (-c.score, c.label))[:limit]

    def candidate(self, need: Need, object_id: str) -> Candidate | None:
        if not object_id.isdigit():
            return None
        placed = {k: v for k, v in self._placed(need).items() if k == int(object_id)}
        found = self._candidates(need, placed)
        return found[0] if found else None

    def may_act(self, actor: Actor, assignment: Any) -> bool:
        return str(getattr(actor, "pk", "")) == assignment.object_id

    def acting_for(self, actor: Actor) -> list[str]:
        pk = getattr(actor, "pk", None)
        return [str(pk)] if pk else []


class CommitteeProvider(AccountProvider):
    society: ClassVar[str] = Society.COMMITTEE
    role: ClassVar[str] = Role.COMMUNITY_STAFF
    place_zh = ("本社区两委/社工室工作人员", "")
    place_en = ("Staff of the need's community", "")


class SocialWorkerProvider(AccountProvider):
    society: ClassVar[str] = Society.SOCIAL_WORKER
    role: ClassVar[str] = Role.SOCIAL_WORKER
    community_points = 40.0
    street_points = 25.0
    place_zh = ("驻本社区社工室的社工", "驻所在街道社工站的社工")
    place_en = ("Social worker placed in the need's community", "Social worker at the street's station")


def register_defaults() -> None:
    """From NeedsConfig.ready: the committee provider, and the social-worker fallback unless
    the workforce app has registered its own already."""
    from wushe.needs.linkage import PROVIDERS

    register(CommitteeProvider())
    if Society.SOCIAL_WORKER not in PROVIDERS:
        register(SocialWorkerProvider())

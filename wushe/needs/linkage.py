"""The resource side of the five-society linkage (五社联动), as a small interface.

A need is answered by one or more of the five societies: community committees (社区两委),
social workers (社工), social organisations (社会组织), community volunteers (志愿服务队 and
志愿者) and charity resources (慈善基金). Each society is a *provider* registered here by the
app that owns its data, from that app's ``AppConfig.ready``. The needs app never imports those
apps: it asks the registered providers for candidates and tells them about assignments.

Writing a provider (e.g. ``wushe/volunteers/linkage.py``)::

    from wushe.needs.linkage import BaseProvider, Candidate, ScorePart, Society, register

    class TeamProvider(BaseProvider):
        society = Society.VOLUNTEER_TEAM

        def suggest(self, need, *, limit):
            teams = (Team.objects.unscoped(reason="linkage: who can serve a need's area")
                     .filter(region_path__in=[need.region_path[:n] for n in (6, 9, 12)])
                     .filter(active=True))
            out = []
            for team in teams[:200]:
                same = team.region_path == need.region_path[:12]  # the need's community
                parts = [ScorePart("near", 30 if same else 15,
                                   "同社区的志愿服务队" if same else "同街道的志愿服务队",
                                   "Same community" if same else "Same street")]
                matched = set(team.skills) & SKILLS_FOR[need.category]
                if matched:
                    parts.append(ScorePart("skills", 10 * len(matched),
                                           f"技能匹配:{'、'.join(matched)}", "Matching skills"))
                out.append(Candidate(self.society, str(team.pk), team.name, tuple(parts)))
            return sorted(out, key=lambda c: -c.score)[:limit]

        def candidate(self, need, object_id):
            # Re-check a chosen team at dispatch; None refuses the dispatch.
            found = [c for c in self.suggest(need, limit=1000) if c.object_id == object_id]
            return found[0] if found else None

        def may_act(self, actor, assignment):
            # The team leader (object grant) takes or returns it.
            return int(assignment.object_id) in team_ids_led_by(actor)

        def acting_for(self, actor):
            return [str(i) for i in team_ids_led_by(actor)]

        def on_assign(self, assignment, *, actor):
            record = service_record_create_pending(team_id=int(assignment.object_id),
                                                   need_id=assignment.need_id)
            return f"volunteers.servicerecord:{record.pk}"  # kept on the assignment

    register(TeamProvider())

and in ``VolunteersConfig.ready``: ``from wushe.volunteers import linkage  # noqa: F401``.
A fund provider is the same shape; its ``on_assign`` creates a disbursement request and its
``suggest`` checks eligibility (category, target group) and the balance.

Hooks run inside the needs service's transaction: raising a WusheError refuses the whole
dispatch and nothing is written on either side. ``on_finish`` hears "done" (the need was
resolved after the assignee took it), "cancelled" (resolved before it did) or "returned".

What a provider may read of a need: ``category`` (categories.CATEGORIES), ``target_group``
(general / elderly / minor / hardship), ``urgency``, ``region_path`` (the community's 12-digit
path, or a grid's 15), ``community_id``, ``due_on``, ``state`` — never its personal data.
Scores from different providers are ranked together, so keep the scale of providers.py's
parts: placement up to 40 points, fit (skills, category, eligibility) up to 30, load or
balance up to 30, experience up to 20. Every part carries its reason in both languages.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor
    from wushe.needs.models import Assignment, Need

log = logging.getLogger(__name__)


class Society(models.TextChoices):
    """Kinds of assignee: the providers' keys (volunteer teams and volunteers are one society)."""

    COMMITTEE = "committee", _("Community committee (社区两委)")
    SOCIAL_WORKER = "social_worker", _("Social worker (社工)")
    ORGANISATION = "organisation", _("Social organisation (社会组织)")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team (志愿服务队)")
    VOLUNTEER = "volunteer", _("Volunteer (志愿者)")
    FUND = "fund", _("Charity fund (慈善资源)")


# The five societies of 五社联动, which the linkage rate counts.
FIVE: dict[str, str] = {
    Society.COMMITTEE: "committee", Society.SOCIAL_WORKER: "social_worker",
    Society.ORGANISATION: "organisation", Society.VOLUNTEER_TEAM: "volunteer",
    Society.VOLUNTEER: "volunteer", Society.FUND: "charity",
}
FIVE_NAMES: dict[str, tuple[str, str]] = {
    "committee": ("社区两委", "Community committee"), "social_worker": ("社会工作者", "Social workers"),
    "organisation": ("社会组织", "Social organisations"), "volunteer": ("社区志愿者", "Volunteers"),
    "charity": ("社会慈善资源", "Charity resources"),
}


@dataclass(frozen=True)
class ScorePart:
    """One reason a candidate fits, with the points it adds (the reasons shown to staff)."""

    code: str
    points: float
    zh: str
    en: str

    def text(self) -> str:
        return self.en if (get_language() or "zh").startswith("en") else self.zh

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": round(self.points, 1), "zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Candidate:
    society: str
    object_id: str
    label: str
    parts: tuple[ScorePart, ...] = field(default_factory=tuple)
    user_id: int | None = None  # the account that takes or returns it, if the provider has one

    @property
    def score(self) -> float:
        return round(sum(p.points for p in self.parts), 1)

    def as_dict(self) -> dict[str, Any]:
        return {"society": self.society, "object_id": self.object_id, "label": self.label,
                "score": self.score, "reasons": [p.as_dict() for p in self.parts]}


@runtime_checkable
class Provider(Protocol):
    society: ClassVar[str]

    def suggest(self, need: Need, *, limit: int) -> list[Candidate]:
        """Best candidates for the need, best first, each with its score parts."""

    def candidate(self, need: Need, object_id: str) -> Candidate | None:
        """The chosen assignee re-checked at dispatch; None when it is not eligible."""

    def may_act(self, actor: Actor, assignment: Assignment) -> bool:
        """Whether ``actor`` takes, returns or handles the assignment for this assignee."""

    def acting_for(self, actor: Actor) -> list[str]:
        """Object ids the actor acts for (its "assigned to me" list)."""

    def on_assign(self, assignment: Assignment, *, actor: Actor) -> str:
        """Side effect on the provider's side (a pending service record, a disbursement
        request …); returns a reference kept on the assignment, or ""."""

    def on_finish(self, assignment: Assignment, *, actor: Actor, outcome: str) -> None:
        """The assignment ended: outcome is "done", "returned" or "cancelled"."""

    def ref_url(self, external_ref: str) -> str:
        """The page of the record ``on_assign`` made (its own page checks the viewer's scope)."""


class BaseProvider:
    """Defaults so a provider module only writes what it needs."""

    society: ClassVar[str] = ""

    def suggest(self, need: Need, *, limit: int) -> list[Candidate]:
        return []

    def candidate(self, need: Need, object_id: str) -> Candidate | None:
        return next((c for c in self.suggest(need, limit=1000) if c.object_id == object_id), None)

    def may_act(self, actor: Actor, assignment: Assignment) -> bool:
        return assignment.user_id is not None and assignment.user_id == getattr(actor, "pk", None)

    def acting_for(self, actor: Actor) -> list[str]:
        return []

    def on_assign(self, assignment: Assignment, *, actor: Actor) -> str:
        return ""

    def on_finish(self, assignment: Assignment, *, actor: Actor, outcome: str) -> None:
        return None

    def ref_url(self, external_ref: str) -> str:
        return ""


PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add (or replace) the provider of a society; later registrations win, so an app's
    richer provider replaces a fallback of the same society."""
    if provider.society not in Society.values:
        raise ValueError(f"unknown society {provider.society!r}")
    PROVIDERS[provider.society] = provider
    return provider


def get(society: str) -> Provider | None:
    return PROVIDERS.get(society)


def registered() -> list[str]:
    return [s for s in Society.values if s in PROVIDERS]


def suggest_all(need: Need, *, per_society: int = 5) -> list[Candidate]:
    """Candidates from every registered provider, best first. A failing provider is logged
    and skipped: one app's bug must not hide the others' candidates."""
    out: list[Candidate] = []
    for society in registered():
        try:
            out.extend(PROVIDERS[society].suggest(need, limit=per_society))
        except Exception:
            log.exception("linkage provider %s failed to suggest for need %s", society, need.pk)
    return sorted(out, key=lambda c: (-c.score, c.society, c.label))


def five_of(societies: Iterable[str]) -> list[str]:
    """The five-society codes of a set of provider keys, in the canonical order."""
    found = {FIVE[s] for s in societies if s in FIVE}
    return [s for s in FIVE_NAMES if s in found]


def has_personal_data(need: Need) -> bool:
    """The need carries the resident's contact details (name or phone): whoever receives it
    processes personal data on the district's behalf (PIPL Art. 21)."""
    return bool(need.contact_name or need.contact_phone)


def without_agreement(need: Need, keys: list[tuple[str, str]],
                      on: dt.date | None = None) -> set[tuple[str, str]]:
    """Of the (society, object id) pairs, those that may not receive this need: it carries
    personal data and their provider keeps entrusted-processing agreements
    (``entrusted_processing``, the organisations) and has none in force on ``on`` for them."""
    if not keys or not has_personal_data(need):
        return set()
    day = on or timezone.localdate()
    missing: set[tuple[str, str]] = set()
    for society in {s for s, _o in keys}:
        check = getattr(get(society), "entrusted_processing", None)
        if check is None:
            continue
        ids = [o for s, o in keys if s == society]
        covered = set(check(ids, day))
        missing |= {(society, o) for o in ids if o not in covered}
    return missing

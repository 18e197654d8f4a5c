"""Reads of care profiles and ledgers: region scope, and children's records only for the roles
that work with them (or the assigned social worker)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet

from wushe.accounts import scope
from wushe.core.errors import ValidationFailed
from wushe.core.ids import region_code_text, to_half_width
from wushe.core.paging import deferred_page
from wushe.needs import perms
from wushe.regions.models import Region
from wushe.residents.models import CARE_TAGS, CareProfile, Ledger, LedgerEntry, TargetGroup

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def minors_q(actor: Actor, field: str = "region_path") -> Q | None:
    """Rows about minors the actor may see: None means all (superuser)."""
    q = scope.filter_q(actor, perms.CARE_MINORS, field)
    if q is None:
        return None
    return q | Q(assigned_worker_id=getattr(actor, "pk", None))


def visible_profiles(actor: Actor) -> QuerySet[CareProfile]:
    qs = scope.visible(CareProfile.objects, actor, perms.CARE_VIEW)
    minors = minors_q(actor)
    if minors is not None:
        qs = qs.filter(Q(is_minor=False) | minors)
    return qs


@dataclass(frozen=True)
class ProfileFilters:
    q: str = ""  # start of a name
    region_code: str = ""
    target_group: str = ""
    tag: str = ""
    risk_level: str = ""
    status: str = "active"

    def apply(self, qs: QuerySet[CareProfile]) -> QuerySet[CareProfile]:
        if self.q.strip():
            qs = qs.filter(person__name=to_half_width(self.q).strip())
        if self.region_code:
            code = region_code_text(self.region_code)
            if not code.isdigit():
                raise ValidationFailed("地区代码无效", "Invalid region code", field="region")
            region = Region.objects.unscoped(reason="reference: the region tree").filter(code=code).only("path").first()
            qs = qs.filter(scope.subtree_q("region_path", region.path)) if region else qs.none()
        if self.target_group:
            if self.target_group not in TargetGroup.values:
                raise ValidationFailed("对象类别无效", "Unknown target group", field="target_group")
            qs = qs.filter(target_group=self.target_group)
        if self.tag:
            if self.tag not in CARE_TAGS:
                raise ValidationFailed("标签无效", "Unknown sub-tag", field="tag")
            qs = qs.filter(tags__contains=f"|{self.tag}|")
        if self.risk_level:
            qs = qs.filter(risk_level=self.risk_level)
        if self.status:
            qs = qs.filter(status=self.status)
        return qs


PROFILE_ORDER = ("region_path", "id")


def profile_list(*, actor: Actor, filters: ProfileFilters | None = None) -> QuerySet[CareProfile]:
    qs = (filters or ProfileFilters()).apply(visible_profiles(actor))
    return qs.select_related("person", "region").order_by(*PROFILE_ORDER)


def profile_page(*, actor: Actor, filters: ProfileFilters | None = None, number: object = 1,
                 per_page: int | None = None) -> Page:
    qs = profile_list(actor=actor, filters=filters)
    return deferred_page(qs, number, per_page or settings.WUSHE_PAGE_SIZE,
                         lambda ids: qs.filter(pk__in=ids).order_by())


def profile_get(*, actor: Actor, profile_id: int) -> CareProfile:
    from wushe.core.errors import NotFound

    try:
        return visible_profiles(actor).select_related("person", "region", "assigned_worker") \
            .get(pk=profile_id)
    except (CareProfile.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def profiles_of_person(*, actor: Actor, person_id: int) -> list[CareProfile]:
    return list(visible_profiles(actor).filter(person_id=person_id).order_by("-status", "id"))


def profile_counts(*, actor: Actor) -> dict[str, int]:
    """Open profiles per target group in the actor's scope (the list page's summary)."""
    rows = (visible_profiles(actor).filter(status="active").values("target_group")
            .annotate(n=Count("id")).values_list("target_group", "n"))
    return dict(rows)


def ledger_list(*, actor: Actor) -> QuerySet[Ledger]:
    return (scope.visible(Ledger.objects, actor, perms.CARE_VIEW).select_related("region", "keeper")
            .annotate(members=Count("entries")).order_by("region_path", "name"))


def ledger_get(*, actor: Actor, ledger_id: int) -> Ledger:
    return scope.get_or_404(Ledger.objects.select_related("region", "keeper"), actor,
                            perms.CARE_VIEW, pk=ledger_id)


def ledger_members(*, actor: Actor, ledger: Ledger) -> QuerySet[LedgerEntry]:
    """The entries the actor may see: a child on a street's ledger stays hidden from roles
    that do not work with children."""
    qs = scope.visible(LedgerEntry.objects, actor, perms.CARE_VIEW).filter(ledger=ledger)
    minors = scope.filter_q(actor, perms.CARE_MINORS, "region_path")  # entry path = profile's
    if minors is not None:
        qs = qs.filter(Q(profile__is_minor=False) | minors
                       | Q(profile__assigned_worker_id=getattr(actor, "pk", None)))
    return qs.select_related("profile", "profile__person", "profile__region").order_by(
        "region_path", "profile_id")


def workers_for(region_path: str) -> list[Any]:
    """Social workers whose placement (grant) covers or lies within the region."""
    from wushe.accounts.models import RoleGrant
    from wushe.accounts.roles import Role

    grants = (RoleGrant.objects.unscoped(reason="placement: social workers over the region").filter(role=Role.SOCIAL_WORKER)
              .select_related("user").order_by("user__username"))
    seen: dict[int, Any] = {}
    for g in grants:
        if not region_path or region_path.startswith(g.region_path) \
                or g.region_path.startswith(region_path):
            seen[g.user_id] = g.user
    return list(seen.values())


def worker_get(user_id: object) -> Any:
    """A social worker by id (the service checks the placement); ValidationFailed if none."""
    from wushe.accounts.models import RoleGrant
    from wushe.accounts.roles import Role

    grant = (RoleGrant.objects.unscoped(reason="placement: social workers over the region").filter(role=Role.SOCIAL_WORKER,
                                                 user_id=str(user_id))
             .select_related("user").first()) if str(user_id).isdigit() else None
    if grant is None:
        raise ValidationFailed("社工不存在", "No such social worker", field="assigned_worker")
    return grant.user


def profile_ledgers(*, actor: Actor, profile: CareProfile) -> list[LedgerEntry]:
    """The ledgers a profile is on, among those the actor sees."""
    visible = scope.visible(Ledger.objects, actor, perms.CARE_VIEW).values("pk")
    return list(LedgerEntry.objects.mark_scoped().filter(profile=profile, ledger_id__in=visible)
                .select_related("ledger").order_by("ledger__name"))

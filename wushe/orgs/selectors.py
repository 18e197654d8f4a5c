"""Reads of organisations, incubation and capacity: always scoped (orgs/access.py), with the
related rows a page needs fetched in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery

from wushe.accounts import scope
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.ids import identifier_text, region_code_text, to_half_width
from wushe.core.paging import deferred_page
from wushe.orgs import access
from wushe.orgs.models import (
    AREAS,
    AgreementPurpose,
    BrandProject,
    CapacityAssessment,
    FollowUpKind,
    Incubation,
    IncubationFollowUp,
    IncubationIssue,
    OrgHonour,
    OrgMember,
    OrgStatus,
    ProcessingAgreement,
    Rating,
    SocialOrganization,
    StatusChange,
)
from wushe.regions import rules
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

ORG_ORDER = ("region_path", "id")


def current_grade_subquery(on: dt.date | None = None) -> Subquery:
    day = on or dt.date.today()
    # Bound by OuterRef to an organisation the outer, scoped query already admits.
    return Subquery(Rating.objects.unscoped(reason="subquery: the outer rows are scoped")
                    .filter(org=OuterRef("pk"), awarded_on__lte=day, valid_until__gte=day)
                    .order_by("-awarded_on", "-id").values("grade")[:1])


def _region_by_code(code: str) -> Region | None:
    code = region_code_text(code)
    if not code.isdigit():
        raise ValidationFailed("地区代码无效", "Invalid region code", field="region")
    return Region.objects.unscoped(reason="reference: the region tree").filter(code=code).only("path").first()


@dataclass(frozen=True)
class OrgFilters:
    q: str = ""  # name fragment, or an exact credit code / filing number
    category: str = ""
    status: str = ""
    region_code: str = ""
    grade: str = ""  # "1".."5", or "none"

    def apply(self, qs: QuerySet[SocialOrganization]) -> QuerySet[SocialOrganization]:
        q = to_half_width(self.q).strip()
        if q:
            qs = qs.filter(Q(name__contains=q) | Q(credit_code=q.upper()) | Q(filing_number=q))
        if self.category:
            qs = qs.filter(category=self.category)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.region_code:
            region = _region_by_code(self.region_code)
            qs = qs.filter(scope.subtree_q("region_path", region.path)) if region else qs.none()
        # current_grade is an annotation of org_list (kwargs keep mypy's plugin out of it).
        if self.grade == "none":
            qs = qs.filter(**{"current_grade": None})
        elif self.grade:
            qs = qs.filter(**{"current_grade": int(self.grade)})
        return qs


def org_list(*, actor: Actor, filters: OrgFilters | None = None) -> QuerySet[SocialOrganization]:
    qs = access.visible(SocialOrganization, actor).annotate(current_grade=current_grade_subquery())
    qs = (filters or OrgFilters()).apply(qs)
    return qs.select_related("region").order_by(*ORG_ORDER)


def org_page(*, actor: Actor, filters: OrgFilters | None = None, number: object = 1,
             per_page: int | None = None) -> Page:
    qs = org_list(actor=actor, filters=filters)
    return deferred_page(qs, number, per_page or settings.WUSHE_PAGE_SIZE,
                         lambda ids: qs.filter(pk__in=ids).order_by())


def org_get(*, actor: Actor, org_id: object) -> SocialOrganization:
    try:
        return (access.visible(SocialOrganization, actor)
                .annotate(current_grade=current_grade_subquery())
                .select_related("region").get(pk=org_id))
    except (SocialOrganization.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def org_mine(*, actor: Actor) -> list[SocialOrganization]:
    """The organisations an org_staff holds an object grant on (its "own organisation")."""
    ids = scope.object_ids(actor, "org", access.VIEW)
    return list(access.visible(SocialOrganization, actor).filter(pk__in=ids).order_by("name"))


@dataclass
class OrgDetail:
    history: list[StatusChange]
    ratings: list[Rating]
    projects: list[BrandProject]
    members: list[OrgMember]
    honours: list[OrgHonour]
    incubation: Incubation | None
    assessments: list[CapacityAssessment]


def org_detail(*, actor: Actor, org: SocialOrganization) -> OrgDetail:
    """Everything the detail page shows about an organisation the actor already sees."""
    def rows(model: Any) -> QuerySet[Any]:
        return access.visible(model, actor).filter(org=org)

    incubation = rows(Incubation).select_related("base").first()
    return OrgDetail(
        history=list(rows(StatusChange).select_related("by")),
        ratings=list(rows(Rating)),
        projects=list(rows(BrandProject)),
        members=list(rows(OrgMember)),
        honours=list(rows(OrgHonour)),
        incubation=incubation,
        assessments=list(rows(CapacityAssessment).order_by("assessed_on", "id")),
    )


def member_get(*, actor: Actor, member_id: object) -> OrgMember:
    return _get(access.visible(OrgMember, actor).select_related("org"), member_id)


def project_get(*, actor: Actor, project_id: object) -> BrandProject:
    return _get(access.visible(BrandProject, actor).select_related("org"), project_id)


def _get(qs: QuerySet[Any], pk: object) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def ratings_expiring(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Rating]:
    """Current ratings that end within the notice period: time to apply for a new evaluation."""
    day = on or dt.date.today()
    notice = int(rules.value("orgs.rating_notice_days"))
    return (access.visible(Rating, actor)
            .filter(awarded_on__lte=day, valid_until__gte=day,
                    valid_until__lte=day + dt.timedelta(days=notice))
            .select_related("org", "org__region").order_by("valid_until"))


# --- incubation -----------------------------------------------------------------------------

@dataclass(frozen=True)
class IncubationFilters:
    base_id: int | None = None
    stage: str = ""
    overdue: bool = False


def incubation_list(*, actor: Actor, filters: IncubationFilters | None = None,
                    on: dt.date | None = None) -> QuerySet[Incubation]:
    """With the last follow-up and field visit, and the open issue count, per record."""
    f = filters or IncubationFilters()
    qs = access.visible(Incubation, actor).select_related("org", "base", "org__region")
    if f.base_id:
        qs = qs.filter(base_id=f.base_id)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    qs = qs.annotate(
        last_follow_up=Max("follow_ups__on", filter=Q(follow_ups__kind=FollowUpKind.FOLLOW_UP)),
        last_field_visit=Max("follow_ups__on",
                             filter=Q(follow_ups__kind=FollowUpKind.FIELD_VISIT)),
        open_issues=Count("issues", filter=Q(issues__resolved_on=None), distinct=True),
    )
    if f.overdue:
        day = on or dt.date.today()
        follow = int(rules.value("orgs.follow_up_days"))
        visit = int(rules.value("orgs.field_visit_days"))
        follow_due = day - dt.timedelta(days=follow)
        visit_due = day - dt.timedelta(days=visit)
        # Open records whose last follow-up (or entry, if none) is older than the cycle.
        qs = qs.exclude(stage__in=("graduated", "withdrawn")).filter(
            Q(last_follow_up__lt=follow_due)
            | Q(last_follow_up=None, started_on__lt=follow_due)
            | Q(last_field_visit__lt=visit_due)
            | Q(last_field_visit=None, started_on__lt=visit_due))
    return qs.order_by("region_path", "id")


def follow_up_due(incubation: Incubation, on: dt.date | None = None) -> dict[str, dt.date]:
    """Next due day of each kind: the last one (or entry) plus the local cycle."""
    follow = int(rules.value("orgs.follow_up_days", incubation.region_path))
    visit = int(rules.value("orgs.field_visit_days", incubation.region_path))
    last_follow = getattr(incubation, "last_follow_up", None) or incubation.started_on
    last_visit = getattr(incubation, "last_field_visit", None) or incubation.started_on
    return {"follow_up": last_follow + dt.timedelta(days=follow),
            "field_visit": last_visit + dt.timedelta(days=visit)}


def incubation_get(*, actor: Actor, incubation_id: object) -> Incubation:
    return _get(incubation_list(actor=actor), incubation_id)


def incubation_of(*, actor: Actor, org: SocialOrganization) -> Incubation | None:
    return incubation_list(actor=actor).filter(org=org).first()


def incubation_issues(*, actor: Actor, incubation: Incubation) -> list[IncubationIssue]:
    return list(access.visible_via(IncubationIssue, actor, "incubation__org_id")
                .filter(incubation=incubation))


def incubation_follow_ups(*, actor: Actor, incubation: Incubation) -> list[IncubationFollowUp]:
    return list(access.visible_via(IncubationFollowUp, actor, "incubation__org_id")
                .filter(incubation=incubation).select_related("by"))


def issue_get(*, actor: Actor, issue_id: object) -> IncubationIssue:
    return _get(access.visible_via(IncubationIssue, actor, "incubation__org_id")
                .select_related("incubation", "incubation__org"), issue_id)


# --- capacity -------------------------------------------------------------------------------

def latest_assessments(*, actor: Actor, region: Region | None = None) -> QuerySet[CapacityAssessment]:
    """Each visible organisation's most recent assessment (ties: the later record)."""
    latest = (CapacityAssessment.objects.unscoped(reason="subquery: the outer rows are scoped").filter(org=OuterRef("org"))
              .order_by("-assessed_on", "-id").values("pk")[:1])
    qs = access.visible(CapacityAssessment, actor).filter(pk=Subquery(latest))
    if region is not None:
        qs = qs.filter(scope.subtree_q("region_path", region.path))
    return qs


@dataclass(frozen=True)
class AreaFigure:
    key: str
    label: Any
    average: Decimal | None
    weak: int  # organisations scoring below the weak line in this area


def capacity_weakest(*, actor: Actor, region: Region | None = None) -> tuple[list[AreaFigure], int]:
    """The seven areas across a street (or any region), weakest first, from the latest
    assessment of each organisation; and how many organisations that covers."""
    weak_line = rules.value("orgs.capacity_weak_score", region.path if region else None)
    qs = latest_assessments(actor=actor, region=region)
    aggregates: dict[str, Any] = {"n": Count("pk")}
    for key, _label in AREAS:
        aggregates[f"{key}_avg"] = Avg(key)
        aggregates[f"{key}_weak"] = Count("pk", filter=Q(**{f"{key}__lt": weak_line}))
    row = qs.aggregate(**aggregates)
    figures = [AreaFigure(key, label,
                          Decimal(str(row[f"{key}_avg"])).quantize(Decimal("0.1"))
                          if row[f"{key}_avg"] is not None else None,
                          row[f"{key}_weak"]) for key, label in AREAS]
    figures.sort(key=lambda f: (f.average is None, f.average or 0, -f.weak))
    return figures, row["n"]


def employer_by_code(*, actor: Actor, code: object) -> SocialOrganization:
    """An employing organisation by its exact credit code or filing number.

    A credit code is public registry data (anyone may look it up on the national credit
    system), so a registered organisation is found by its exact code wherever it is; a filing
    number only within the actor's own scope, as a filing is the street's record."""
    key = identifier_text(code, what_zh="统一社会信用代码或备案编号",
                          what_en="credit code or filing number", field="code")
    org = (SocialOrganization.objects.unscoped(reason="registry: public organisation registry data").filter(credit_code=key.upper())
           .exclude(status="eliminated").first()) if key else None
    if org is None and key:
        org = access.visible(SocialOrganization, actor).filter(filing_number=key).first()
    if org is None:
        raise ValidationFailed("未找到该统一社会信用代码或备案号对应的社会组织",
                               "No organisation has this credit code or filing number",
                               field="employer")
    return org


AGREEMENT_FIELDS = ("id", "org_id", "region_path", "starts_on", "ends_on", "purposes",
                    "document_name", "document_type", "document_size", "document_sha256",
                    "recorded_by", "recorded_at")


def agreements_of(*, actor: Actor, org: SocialOrganization) -> QuerySet[ProcessingAgreement]:
    """The organisation's entrusted-processing agreements, newest first (the document's bytes
    are not read: only agreement_document_read returns them)."""
    return (access.visible(ProcessingAgreement, actor).filter(org=org)
            .select_related("recorded_by").only(*AGREEMENT_FIELDS, "recorded_by__username")
            .order_by("-starts_on", "-id"))


def agreement_get(*, actor: Actor, agreement_id: object) -> ProcessingAgreement:
    return _get(access.visible(ProcessingAgreement, actor).select_related("org"), agreement_id)


def agreement_in_force_q(on: dt.date, purpose: str = AgreementPurpose.NEEDS_HANDLING) -> Q:
    """Agreements in force on ``on`` that cover ``purpose`` (a Q over ProcessingAgreement)."""
    return Q(starts_on__lte=on, ends_on__gte=on, purposes__contains=[purpose]) \
        if _json_contains() else Q(starts_on__lte=on, ends_on__gte=on,
                                   purposes__icontains=f'"{purpose}"')


def _json_contains() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


def orgs_with_agreement(org_ids: list[int], on: dt.date,
                        purpose: str = AgreementPurpose.NEEDS_HANDLING) -> set[int]:
    """Of ``org_ids``, those with an entrusted-processing agreement in force on ``on`` that
    covers ``purpose``. Not scoped: the dispatcher asks about organisations it was offered."""
    if not org_ids:
        return set()
    return set(ProcessingAgreement.objects.unscoped(reason="registry: public organisation registry data")
               .filter(agreement_in_force_q(on, purpose), org_id__in=org_ids)
               .values_list("org_id", flat=True))


def graduation_blockers(incubation: Incubation) -> list[tuple[str, str]]:
    """Why the organisation cannot graduate yet (zh, en); empty when it can.

    Also read by the pages for an incubation the caller already holds in scope, hence the
    explicit unscoped reads of its own rows."""
    org = incubation.org
    blockers = []
    if org.status not in (OrgStatus.FILED, OrgStatus.REGISTERED):
        blockers.append(("出壳前须完成备案或登记", "It must be filed or registered first"))
    open_issues = IncubationIssue.objects.unscoped(reason="children of a row read in scope").filter(incubation=incubation,
                                                            resolved_on=None).count()
    if open_issues:
        blockers.append((f"尚有{open_issues}个问题未解决", f"{open_issues} issue(s) still open"))
    latest = (CapacityAssessment.objects.unscoped(reason="children of a row read in scope").filter(org=org)
              .order_by("-assessed_on", "-id").first())
    needed = rules.value("orgs.graduation_min_score", org.region_path)
    if latest is None:
        blockers.append(("尚无能力评估", "No capacity assessment yet"))
    elif latest.average < needed:
        blockers.append((f"最近一次能力评估平均分{latest.average},低于出壳要求{needed}",
                         f"Latest capacity average {latest.average} is below the {needed} "
                         "needed to graduate"))
    return blockers

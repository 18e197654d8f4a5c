"""Purchasing a project: the yearly purchase list, the recorded selection of a provider and the
contract with its payment tranches (projects.manage, district level)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.money import parse_money
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.orgs.models import SocialOrganization
from wushe.projects import access, eligibility, terms, workflow
from wushe.projects.audit_codes import ProjectsAction
from wushe.projects.models import (
    Contract,
    ContractTranche,
    ListStatus,
    Method,
    Procurement,
    PurchaseList,
    ServiceProject,
    Status,
)
from wushe.projects.services._common import lock, move, note_text
from wushe.projects.services.design import _year
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def purchase_list_create(*, actor: Actor, region: Region, year: Any, name: str) -> PurchaseList:
    """A draft batch of a district's year (项目购买清单)."""
    scope.require_region(actor, access.MANAGE, region.path)
    if region.level != RegionLevel.DISTRICT:
        raise ValidationFailed("购买清单由区级编制", "A purchase list belongs to a district",
                               field="region")
    name = clean_text(name, field="name", label_zh="批次名称", label_en="Batch name",
                      max_length=100, required=True)
    year = _year(year)
    if PurchaseList.objects.unscoped(reason="uniqueness check, no row shown").filter(region=region, year=year, name=name).exists():
        raise Conflict("该年度已有同名批次", "This year already has a batch of that name",
                       field="name")
    plist = PurchaseList.objects.create(region=region, region_path=region.path, year=year,
                                        name=name, created_by=actor if actor.pk else None)
    audit.record(actor=actor, action=ProjectsAction.LIST_CREATED, target=plist,
                 data={"year": year, "name": name}, label=str(plist))
    return plist


@service
def purchase_list_publish(*, actor: Actor, plist: PurchaseList) -> PurchaseList:
    """Publish the batch: from now on it is on the public page (non-personal data only)."""
    scope.require(actor, access.MANAGE, plist, view_perm=access.VIEW)
    given, plist = plist, PurchaseList.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=plist.pk)
    if plist.status == ListStatus.PUBLISHED:
        raise Conflict("购买清单已公布", "The purchase list is already published")
    if not ServiceProject.objects.unscoped(reason="children of a row read in scope").filter(purchase_list=plist).exists():
        raise ValidationFailed("购买清单中还没有项目", "The purchase list has no projects yet")
    plist.status, plist.published_at = ListStatus.PUBLISHED, timezone.now()
    plist.save(update_fields=["status", "published_at", "updated_at"])
    given.status, given.published_at = plist.status, plist.published_at
    audit.record(actor=actor, action=ProjectsAction.LIST_PUBLISHED, target=plist,
                 data={"year": plist.year}, label=str(plist))
    return plist


@service
def project_list_add(*, actor: Actor, project: ServiceProject, plist: PurchaseList,
                     note: str = "") -> ServiceProject:
    """List a designed project in a draft purchase list of its district and year."""
    access.require(actor, access.MANAGE, project)
    scope.require(actor, access.MANAGE, plist, view_perm=access.VIEW)
    lock(project)
    plist = PurchaseList.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=plist.pk)
    if plist.status != ListStatus.DRAFT:
        raise Conflict("已公布的购买清单不能再增加项目",
                       "A published purchase list cannot take more projects", field="plist")
    if not project.region_path.startswith(plist.region_path) or plist.year != project.year:
        raise ValidationFailed("项目的地区或年度与购买清单不符",
                               "The project's district or year does not match the list",
                               field="plist")
    project.purchase_list = plist
    move(project, to=Status.LISTED, actor=actor, note=note_text(note), extra=("purchase_list",))
    audit.record(actor=actor, action=ProjectsAction.PROJECT_LISTED, target=project,
                 data={"list": plist.pk}, label=str(project))
    return project


@service
def procurement_record(*, actor: Actor, project: ServiceProject, method: str,
                       candidate_ids: list[int], selected_id: int, reason: str,
                       decided_on: dt.date | None = None) -> Procurement:
    """Record how the provider was selected; the selected organisation must be eligible."""
    access.require(actor, access.MANAGE, project)
    lock(project)
    if method not in Method.values:
        raise ValidationFailed("采购方式无效", "Unknown procurement method", field="method")
    reason = clean_text(reason, field="reason", label_zh="选定理由", label_en="Reason",
                        max_length=500, required=True)
    ids = sorted({int(i) for i in candidate_ids} | {int(selected_id)})
    if len(ids) > 100:
        raise ValidationFailed("候选组织过多", "Too many candidates", field="candidate_ids")
    orgs = {o.pk: o for o in SocialOrganization.objects.unscoped(reason="registry: public organisation registry data").filter(pk__in=ids)}
    if len(orgs) != len(ids):
        raise NotFound("社会组织不存在", "Organisation not found", field="candidate_ids")
    if method == Method.SINGLE_SOURCE and len(ids) != 1:
        raise ValidationFailed("单一来源采购只能有一个候选组织",
                               "A single-source procurement has exactly one candidate",
                               field="candidate_ids")
    selected = orgs[int(selected_id)]
    reasons = eligibility.reasons_for(selected, year=project.year,
                                      region_path=project.region_path)
    if reasons:
        raise ValidationFailed("所选组织不具备承接资格:" + ";".join(r[0] for r in reasons),
                               "The selected organisation is not eligible: "
                               + "; ".join(r[1] for r in reasons), field="selected_id",
                               code="ineligible")
    decided = decided_on or timezone.localdate()
    project.provider = selected
    move(project, to=Status.PROCURED, actor=actor, note=f"{Method(method).label}", extra=("provider",))
    proc = Procurement.objects.create(
        project=project, region_path=project.region_path, method=method,
        candidates=[{"id": o.pk, "name": o.name} for o in (orgs[i] for i in ids)],
        selected=selected, reason=reason, decided_on=decided,
        recorded_by=actor if actor.pk else None)
    audit.record(actor=actor, action=ProjectsAction.PROJECT_PROCURED, target=project,
                 data={"method": method, "candidates": ids, "selected": selected.pk},
                 label=str(project))
    return proc


@service
def contract_sign(*, actor: Actor, project: ServiceProject, amount: Any, start: dt.date,
                  end: dt.date, stable: bool = False, over_budget_reason: str = "",
                  signed_on: dt.date | None = None) -> Contract:
    """Sign with the procured provider; tranches materialised from the local rule."""
    access.require(actor, access.MANAGE, project)
    lock(project)
    workflow.check(project, to=Status.CONTRACTED)  # before parsing: nothing to sign yet
    amount_d = parse_money(amount, field="amount", label_zh="合同金额", label_en="Contract amount")
    reason = clean_text(over_budget_reason, field="over_budget_reason", label_zh="超预算理由",
                        label_en="Reason for exceeding the budget", max_length=300)
    if amount_d > project.budget and not reason:
        raise ValidationFailed(f"合同金额超过项目预算({project.budget}元),须说明理由",
                               f"The amount exceeds the budget ({project.budget} yuan); "
                               "give a reason", field="amount")
    terms.check_term(start, end, stable=bool(stable), region_path=project.region_path)
    plan = terms.tranche_rules(project.region_path)
    assert project.provider_id is not None  # only a procured project gets this far: it has one
    contract = Contract.objects.create(
        project=project, region_path=project.region_path, provider_id=project.provider_id,
        amount=amount_d, over_budget_reason=reason, start=start, end=end, stable=bool(stable),
        signed_on=signed_on or timezone.localdate(), signed_by=actor if actor.pk else None)
    ContractTranche.objects.bulk_create([
        ContractTranche(contract=contract, region_path=project.region_path, seq=i + 1,
                        percent=t.percent, amount=a, gate=t.gate)
        for i, (t, a) in enumerate(zip(plan, terms.split(amount_d, plan), strict=True))])
    move(project, to=Status.CONTRACTED, actor=actor, note=f"{amount_d} 元")
    audit.record(actor=actor, action=ProjectsAction.PROJECT_CONTRACTED, target=project,
                 data={"amount": str(amount_d), "start": str(start), "end": str(end),
                       "stable": bool(stable), "tranches": [str(t.percent) for t in plan]},
                 label=str(project))
    return contract

"""Writes of the renovation programme: each checks permission first and records its audit
event in the same transaction (``@service``), so a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.db.models import Sum

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.core.money import parse_money
from wushe.core.services import service
from wushe.core.uploads import MAX_DOCUMENT_BYTES, SCANS, read_capped
from wushe.orgs import cleaning
from wushe.regions.models import Region, Site, SiteKind
from wushe.renovation.audit_codes import RenovationAction
from wushe.renovation.models import (
    NEXT,
    PREVIOUS,
    DocumentKind,
    Programme,
    Progress,
    Renovation,
    RenovationDocument,
    Spending,
    Transition,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "sites.view"
MANAGE = "sites.manage"
MAX_PROGRAMME_YEARS = 10

__all__ = ["MANAGE", "MAX_DOCUMENT_BYTES", "VIEW", "document_read", "programme_create",
           "renovation_add", "renovation_advance", "renovation_contract_set",
           "renovation_document_add", "renovation_reopen", "spending_record"]



def _year(value: object, field: str, zh: str, en: str) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(f"{zh}不是有效年份", f"{en} is not a valid year", code="year",
                               field=field) from None
    if not 2000 <= year <= 2100:
        raise ValidationFailed(f"{zh}超出范围", f"{en} is out of range", code="year", field=field)
    return year


def _sum(qs: Any, field: str) -> Decimal:
    return qs.aggregate(s=Sum(field))["s"] or Decimal("0")


@service
def programme_create(*, actor: Actor, region: Region, name: object, department: object,
                     start_year: object, end_year: object, total_budget: object) -> Programme:
    """A renovation programme of ``region`` (the district's, usually) with its total budget."""
    scope.require_region(actor, MANAGE, region.path)
    clean_name = cleaning.text(name, "name", "名称", "Name", 120, required=True)
    dept = cleaning.text(department, "department", "责任部门", "Department", 120, required=True)
    first = _year(start_year, "start_year", "起始年份", "First year")
    last = _year(end_year, "end_year", "结束年份", "Last year")
    if last < first or last - first >= MAX_PROGRAMME_YEARS:
        raise ValidationFailed("起止年份无效", "The years are not a valid range",
                               code="year_range", field="end_year")
    total = parse_money(total_budget, field="total_budget", label_zh="总预算",
                        label_en="Total budget")
    programme = Programme.objects.create(
        name=clean_name, region=region, region_path=region.path, department=dept,
        start_year=first, end_year=last, total_budget=total)
    audit.record(actor=actor, action=RenovationAction.PROGRAMME_CREATED, target=programme,
                 label=programme.name, data={"years": [first, last], "total": str(total)})
    return programme


@service
def renovation_add(*, actor: Actor, programme: Programme, site: Site, budget: object
                   ) -> Renovation:
    """Put a party centre of the programme's region in the programme, with its budget; the
    programme's site budgets together may not exceed its total."""
    scope.require(actor, MANAGE, programme, view_perm=VIEW)
    if not scope.covers(actor, VIEW, site.region_path) \
            or not site.region_path.startswith(programme.region_path):
        raise NotFound("阵地不存在", "Site not found")
    if site.kind != SiteKind.PARTY_CENTRE:
        raise ValidationFailed("只能改造党群服务中心", "Only a party-and-people service centre "
                               "can be renovated", code="site_kind", field="site")
    amount = parse_money(budget, field="budget", label_zh="预算", label_en="Budget")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if Renovation.objects.filter(programme=locked, site=site).exists():
        raise ValidationFailed("该阵地已在计划中", "This centre is already in the programme",
                               code="duplicate", field="site")
    allocated = _sum(Renovation.objects.filter(programme=locked), "budget")
    if allocated + amount > locked.total_budget:
        raise ValidationFailed(
            f"各阵地预算合计不能超过计划总预算(剩余{locked.total_budget - allocated}元)",
            f"The sites' budgets together may not exceed the programme total "
            f"({locked.total_budget - allocated} yuan left)", code="over_budget", field="budget")
    renovation = Renovation.objects.create(programme=locked, site=site,
                                           region_path=site.region_path, budget=amount)
    audit.record(actor=actor, action=RenovationAction.SITE_ADDED, target=renovation,
                 label=site.name, data={"programme": locked.pk, "site": site.pk,
                                        "budget": str(amount)})
    return renovation


@service
def renovation_contract_set(*, actor: Actor, renovation: Renovation, contractor: object,
                            contract_number: object, contract_amount: object) -> Renovation:
    """The works contract of a renovation: contractor, number and amount."""
    scope.require(actor, MANAGE, renovation, view_perm=VIEW)
    name = cleaning.text(contractor, "contractor", "施工单位", "Contractor", 120, required=True)
    number = cleaning.text(contract_number, "contract_number", "合同编号", "Contract number", 60,
                           required=True)
    amount = parse_money(contract_amount, field="contract_amount", label_zh="合同金额",
                         label_en="Contract amount")
    row = Renovation.objects.select_for_update().get(pk=renovation.pk)
    spent = _sum(row.spendings.all(), "amount")
    if amount < spent:
        raise ValidationFailed(f"合同金额不能低于已支出金额({spent}元)",
                               f"The contract amount cannot be below what is spent ({spent} yuan)",
                               code="below_spent", field="contract_amount")
    old = {"contractor": row.contractor, "number": row.contract_number,
           "amount": str(row.contract_amount)}
    row.contractor, row.contract_number, row.contract_amount = name, number, amount
    row.save(update_fields=["contractor", "contract_number", "contract_amount"])
    audit.record(actor=actor, action=RenovationAction.CONTRACT_SET, target=row,
                 label=row.site.name, data={"old": old, "new": {
                     "contractor": name, "number": number, "amount": str(amount)}})
    renovation.refresh_from_db()
    return row


@service
def spending_record(*, actor: Actor, renovation: Renovation, spent_on: object, amount: object,
                    voucher_number: object, override_reason: object = "") -> Spending:
    """A payment with its voucher. Spending past the contract amount is refused unless a
    reason is given; the override is then audited as such."""
    scope.require(actor, MANAGE, renovation, view_perm=VIEW)
    day = cleaning.date(spent_on, "spent_on", "支出日期", "Date", required=True)
    assert day is not None
    value = parse_money(amount, field="amount", label_zh="金额", label_en="Amount")
    voucher = cleaning.text(voucher_number, "voucher_number", "凭证号", "Voucher number", 60,
                            required=True)
    reason = cleaning.text(override_reason or "", "override_reason", "超合同理由",
                           "Override reason", 300)
    row = Renovation.objects.select_for_update().get(pk=renovation.pk)
    if row.spendings.filter(voucher_number=voucher).exists():
        raise ValidationFailed("该凭证号已登记", "This voucher is already recorded",
                               code="duplicate", field="voucher_number")
    spent = _sum(row.spendings.all(), "amount")
    over = spent + value > row.contract_amount
    if over and not reason:
        raise ValidationFailed(
            f"支出将超过合同金额({row.contract_amount}元,已支出{spent}元),请填写超合同理由",
            f"This would exceed the contract amount ({row.contract_amount} yuan, {spent} "
            f"spent); give a reason to override", code="over_contract", field="amount")
    entry = Spending.objects.create(
        renovation=row, region_path=row.region_path, spent_on=day, amount=value,
        voucher_number=voucher, override_reason=reason if over else "",
        recorded_by=user_or_none(actor))
    data = {"renovation": row.pk, "amount": str(value), "voucher": voucher,
            "spent_before": str(spent), "contract": str(row.contract_amount)}
    audit.record(actor=actor, action=RenovationAction.SPENDING_RECORDED, target=entry,
                 label=row.site.name, data=data)
    if over:
        audit.record(actor=actor, action=RenovationAction.SPENDING_OVERRIDDEN, target=entry,
                     label=row.site.name, data={**data, "reason": reason})
    return entry


def _read_upload(upload: IO[bytes] | None) -> tuple[bytes, str]:
    """The upload's bytes and type, capped before and while reading (core/uploads.py)."""
    return read_capped(upload, types=SCANS, max_bytes=MAX_DOCUMENT_BYTES)


def _file_name(upload: Any) -> str:
    raw = str(getattr(upload, "name", "") or "document").replace("\\", "/").rsplit("/", 1)[-1]
    return cleaning.text(raw, "document", "文件名", "File name", 120) or "document"


def _attach(actor: Actor, row: Renovation, kind: str, upload: IO[bytes] | None
            ) -> RenovationDocument:
    if kind not in DocumentKind.values:
        raise ValidationFailed("文件类别无效", "Unknown document kind", code="choice", field="kind")
    data, content_type = _read_upload(upload)
    doc = RenovationDocument.objects.create(
        renovation=row, region_path=row.region_path, kind=kind, data=data,
        name=_file_name(upload), content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), uploaded_by=user_or_none(actor))
    audit.record(actor=actor, action=RenovationAction.DOCUMENT_ADDED, target=doc,
                 label=row.site.name, data={"renovation": row.pk, "kind": kind,
                                            "size": doc.size, "sha256": doc.sha256})
    return doc


@service
def renovation_document_add(*, actor: Actor, renovation: Renovation, kind: object,
                            document: IO[bytes] | None) -> RenovationDocument:
    """Attach a PDF, PNG or JPEG (10 MB at most) to a renovation."""
    scope.require(actor, MANAGE, renovation, view_perm=VIEW)
    return _attach(actor, renovation, str(kind or ""), document)


@service
def document_read(*, actor: Actor, document: RenovationDocument) -> bytes:
    """A document's bytes, for those who see the renovation (the read is audited)."""
    scope.require(actor, VIEW, document)
    audit.record(actor=actor, action=RenovationAction.DOCUMENT_READ, target=document,
                 data={"renovation": document.renovation_id})
    return bytes(document.data)


def _transition(actor: Actor, row: Renovation, to: str, on: dt.date, reason: str) -> None:
    Transition.objects.create(renovation=row, region_path=row.region_path,
                              from_progress=row.progress, to_progress=to, on=on, reason=reason,
                              actor=user_or_none(actor))


@service
def renovation_advance(*, actor: Actor, renovation: Renovation, to: object, on: object = None,
                       document: IO[bytes] | None = None) -> Renovation:
    """One step forward: planned → under way → accepted; no skipping. Acceptance needs its
    date and the acceptance document."""
    scope.require(actor, MANAGE, renovation, view_perm=VIEW)
    row = Renovation.objects.select_for_update().get(pk=renovation.pk)
    target = str(to or "")
    if target not in Progress.values or NEXT.get(Progress(row.progress)) != target:
        raise ValidationFailed("不能跳过或回退进度", "Progress moves one step forward only "
                               "(planned, under way, accepted)", code="illegal_transition",
                               field="to")
    day = cleaning.date(on, "on", "日期", "Date", required=target == Progress.ACCEPTED)
    day = day or dt.date.today()
    if row.started_on and day < row.started_on:
        raise ValidationFailed("验收日期不能早于开工日期", "Acceptance cannot precede the start "
                               "of works", code="date_range", field="on")
    old = row.progress
    if target == Progress.ACCEPTED:
        doc = _attach(actor, row, DocumentKind.ACCEPTANCE, document)
        row.accepted_on, row.acceptance_document = day, doc
    else:
        row.started_on = day
    _transition(actor, row, target, day, "")
    row.progress = target
    row.save(update_fields=["progress", "started_on", "accepted_on", "acceptance_document"])
    audit.record(actor=actor, action=RenovationAction.SITE_ADVANCED, target=row,
                 label=row.site.name, data={"from": old, "to": target, "on": day.isoformat()})
    renovation.refresh_from_db()
    return row


@service
def renovation_reopen(*, actor: Actor, renovation: Renovation, reason: object) -> Renovation:
    """One step back (accepted → under way, under way → planned), with a reason, audited.
    Only those who manage the programme's region (the district) may reopen."""
    scope.require(actor, MANAGE, renovation, view_perm=VIEW)
    if not scope.covers(actor, MANAGE, renovation.programme.region_path):
        raise PermissionDenied("只有计划所属地区的管理人员可以退回进度",
                               "Only those who manage the programme's region may reopen")
    why = cleaning.text(reason, "reason", "理由", "Reason", 300, required=True)
    row = Renovation.objects.select_for_update().get(pk=renovation.pk)
    back = PREVIOUS.get(Progress(row.progress))
    if back is None:
        raise ValidationFailed("已是最初进度", "Nothing to reopen: the renovation is planned",
                               code="illegal_transition")
    old = row.progress
    _transition(actor, row, back, dt.date.today(), why)
    if old == Progress.ACCEPTED:
        row.accepted_on, row.acceptance_document = None, None
    else:
        row.started_on = None
    row.progress = back
    row.save(update_fields=["progress", "started_on", "accepted_on", "acceptance_document"])
    audit.record(actor=actor, action=RenovationAction.SITE_REOPENED, target=row,
                 label=row.site.name, data={"from": old, "to": back, "reason": why})
    renovation.refresh_from_db()
    return row

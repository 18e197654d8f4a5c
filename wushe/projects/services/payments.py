"""Paying a contract tranche (projects.pay): only once its gate stage has passed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.money import parse_money
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.projects import access, selectors, workflow
from wushe.projects.audit_codes import ProjectsAction
from wushe.projects.models import ContractTranche, Payment, ServiceProject

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

STAGE_ZH = {"midterm": "中期评估", "final": "末期评估"}


@service
def payment_make(*, actor: Actor, tranche: ContractTranche, amount: Any,
                 paid_on: dt.date | None = None, reference: str = "") -> Payment:
    access_project = ServiceProject.objects.unscoped(reason="service: scope.require checked the actor").get(pk=tranche.contract.project_id)
    access.require(actor, access.PAY, access_project)
    project = access_project
    tranche = ContractTranche.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=tranche.pk)
    if project.status not in workflow.PURCHASED:
        raise Conflict("项目尚未签订合同", "The project has no contract yet")
    amount_d = parse_money(amount, field="amount", label_zh="支付金额", label_en="Payment")
    ref = clean_text(reference, field="reference", label_zh="凭证号", label_en="Voucher number",
                     max_length=60)
    day = paid_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationFailed("支付日期不能晚于今天", "The payment date is in the future",
                               field="paid_on")
    passed = selectors.gate_state(project, tranche)
    stage = STAGE_ZH.get(tranche.gate, tranche.gate)
    if passed is None:
        raise Conflict(f"第{tranche.seq}期须在{stage}通过后支付,该项目尚未完成{stage}",
                       f"Tranche {tranche.seq} is paid after the {tranche.gate} evaluation, "
                       "which has not been completed yet", code="gate_pending")
    if passed is False:
        raise Conflict(f"{stage}结果未达到合格,第{tranche.seq}期暂停支付",
                       f"The {tranche.gate} evaluation is below pass; tranche {tranche.seq} "
                       "is blocked", code="gate_failed")
    if amount_d > tranche.remaining:
        raise ValidationFailed(f"支付金额超过本期未付金额({tranche.remaining}元)",
                               f"The amount exceeds what is left of this tranche "
                               f"({tranche.remaining} yuan)", field="amount")
    payment = Payment.objects.create(tranche=tranche, project=project,
                                     region_path=project.region_path, amount=amount_d,
                                     paid_on=day, reference=ref,
                                     paid_by=actor if actor.pk else None)
    tranche.paid += amount_d
    tranche.save(update_fields=["paid"])
    audit.record(actor=actor, action=ProjectsAction.PAYMENT_MADE, target=project,
                 data={"tranche": tranche.seq, "amount": str(amount_d), "paid_on": str(day),
                       "reference": ref}, label=str(project))
    return payment

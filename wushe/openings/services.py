"""Writes of the opening balances: a district admin proposes, a *second* district admin
approves or rejects, the proposer may withdraw a draft. Each write checks permission first
and records its audit event in the same transaction; an approval supersedes the region's
previous approved balance of the KPI (kept as history) and refreshes the rollup after commit.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.core.errors import IllegalTransition, ValidationFailed
from wushe.core.services import service
from wushe.openings import figures
from wushe.openings.audit_codes import OpeningAction
from wushe.openings.models import OpeningBalance, OpeningState
from wushe.orgs import cleaning
from wushe.policies import selectors as policy_selectors

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

log = logging.getLogger("wushe.openings")

MANAGE = "rules.manage"  # the district admins who keep the local rules keep the history too
MAX_VALUE = Decimal("10000000000")  # ten billion (yuan, hours, people): beyond, a typo
WHOLE_UNITS = ("count", "people")


def _kpi(key: object) -> Any:
    from wushe.reports.kpis import KPIS

    raw = str(key or "").strip()
    kpi = KPIS.get(raw)
    if kpi is None:
        raise ValidationFailed("请选择统计指标", "Choose a figure from the list",
                               code="kpi", field="kpi")
    if not figures.accepts(kpi):
        raise ValidationFailed(
            f"“{kpi.zh}”不能录入期初数:只有可累加的流量指标(个数、金额、时长、人数)可以录入,"
            "比率、评分和现状类指标不可以",
            f"“{kpi.en}” takes no opening balance: only additive flows (counts, yuan, hours, "
            "people) do, never a rate, a score or a current state", code="kpi_not_additive",
            field="kpi")
    return kpi


def _no_nesting(balance: OpeningBalance) -> None:
    """Two approved balances of one KPI never nest: an ancestor's figure already holds its
    descendants' history, so adding both would count it twice."""
    path = balance.region_path
    ancestors = [path[:n] for n in range(3, len(path), 3)]
    clash = (OpeningBalance.objects.unscoped(reason="uniqueness check, no row shown")
             .filter(kpi_key=balance.kpi_key, state=OpeningState.APPROVED,
                     superseded_at__isnull=True)
             .exclude(region_path=path))
    if clash.filter(region_path__in=ancestors).exists() or \
            clash.filter(region_path__startswith=path).exists():
        raise ValidationFailed("上级或下级地区已有该指标的期初数,不能重复录入",
                               "A region above or below already has an approved opening "
                               "balance of this figure", code="nested", field="region")


@service
def opening_propose(*, actor: Actor, region: Any, kpi: object, as_of: object, value: object,
                    source: object, policy: Any = None) -> OpeningBalance:
    scope.require_region(actor, MANAGE, region.path)
    chosen = _kpi(kpi)
    day = cleaning.date(as_of, "as_of", "截至日期", "As-of date", required=True)
    assert day is not None
    number = cleaning.decimal(value, "value", "期初数", "Opening figure", minimum=Decimal(0),
                              maximum=MAX_VALUE, required=True,
                              places=0 if str(chosen.unit) in WHOLE_UNITS else 2)
    assert number is not None
    text = cleaning.text(source, "source", "来源文件", "Source document", 200, required=True)
    if policy is not None and not policy_selectors.visible(actor).filter(pk=policy.pk).exists():
        raise ValidationFailed("政策文件不存在", "Policy document not found", code="policy",
                               field="policy")
    balance = OpeningBalance(kpi_key=chosen.key, region=region, region_path=region.path,
                             as_of=day, value=number, source=text, policy=policy,
                             proposed_by=signed_in(actor), proposed_at=timezone.now())
    _no_nesting(balance)
    balance.save()
    audit.record(actor=actor, action=OpeningAction.BALANCE_PROPOSED, target=balance,
                 label=chosen.zh, region_path=balance.region_path,
                 data={"kpi": chosen.key, "as_of": day.isoformat(), "value": str(number),
                       "source": text})
    return balance


def _draft(actor: Actor, balance: OpeningBalance) -> OpeningBalance:
    scope.require(actor, MANAGE, balance)
    locked = OpeningBalance.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=balance.pk)
    if locked.state != OpeningState.DRAFT:
        raise IllegalTransition("该期初数已处理", "This opening balance has already been decided")
    return locked


def _second(actor: Actor, balance: OpeningBalance) -> None:
    if balance.proposed_by_id == getattr(actor, "pk", None):
        raise ValidationFailed("期初数须由另一位区级管理员审核,录入人不能审核自己录入的数",
                               "A second district administrator decides an opening balance: "
                               "the proposer cannot", code="four_eyes")


@service
def opening_approve(*, actor: Actor, balance: OpeningBalance) -> OpeningBalance:
    locked = _draft(actor, balance)
    _second(actor, locked)
    _no_nesting(locked)
    now = timezone.now()
    previous = (OpeningBalance.objects.unscoped(reason="service: scope.require checked the actor")
                .filter(kpi_key=locked.kpi_key, region_id=locked.region_id,
                        state=OpeningState.APPROVED, superseded_at__isnull=True).first())
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at", "updated_at"])
    locked.state = OpeningState.APPROVED
    locked.decided_by = signed_in(actor)
    locked.decided_at = now
    locked.supersedes = previous
    locked.save(update_fields=["state", "decided_by", "decided_at", "supersedes", "updated_at"])
    audit.record(actor=actor, action=OpeningAction.BALANCE_APPROVED, target=locked,
                 label=locked.kpi_key, region_path=locked.region_path,
                 data={"kpi": locked.kpi_key, "value": str(locked.value),
                       "as_of": locked.as_of.isoformat(),
                       "supersedes": previous.pk if previous else None})
    transaction.on_commit(_refresh_rollup)
    return locked


@service
def opening_reject(*, actor: Actor, balance: OpeningBalance, reason: object = "") -> OpeningBalance:
    locked = _draft(actor, balance)
    _second(actor, locked)
    why = cleaning.text(reason, "reason", "退回理由", "Reason", 200, required=True)
    locked.state = OpeningState.REJECTED
    locked.decided_by = signed_in(actor)
    locked.decided_at = timezone.now()
    locked.reason = why
    locked.save(update_fields=["state", "decided_by", "decided_at", "reason", "updated_at"])
    audit.record(actor=actor, action=OpeningAction.BALANCE_REJECTED, target=locked,
                 label=locked.kpi_key, region_path=locked.region_path, data={"reason": why})
    return locked


@service
def opening_withdraw(*, actor: Actor, balance: OpeningBalance) -> OpeningBalance:
    locked = _draft(actor, balance)
    if locked.proposed_by_id != getattr(actor, "pk", None):
        raise ValidationFailed("只有录入人可以撤回", "Only the proposer can withdraw it",
                               code="not_proposer")
    locked.state = OpeningState.WITHDRAWN
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "decided_at", "updated_at"])
    audit.record(actor=actor, action=OpeningAction.BALANCE_WITHDRAWN, target=locked,
                 label=locked.kpi_key, region_path=locked.region_path)
    return locked


def _refresh_rollup() -> None:
    """Run the rollup job now (the cockpit reads it): claim its lease and enqueue it as the
    scheduler does; if another run holds the lease, make the job due so the next round runs."""
    from wushe.core import jobs
    from wushe.core.models import PeriodicJob
    from wushe.core.tasks import run_periodic

    name = "reports.rollup"
    jobs.sync_jobs()
    token = jobs.claim(name, jobs.default_owner(), force=True)
    if token is None:
        PeriodicJob.objects.filter(name=name).update(next_due=timezone.now())
        return
    try:
        run_periodic.enqueue(name, token)
    except Exception:  # the queue is down: the job stays due, the next round runs it
        log.exception("openings: rollup refresh could not be enqueued")
        jobs.release(name, token)

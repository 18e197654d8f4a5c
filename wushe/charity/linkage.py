"""Charity funds as a society of the linkage: which funds can pay towards a need.

Eligible when active, placed over the need's community (a district fund or the street's and
community's 阳光基金), covering the need's category and target group when the fund limits
them, and holding an available balance. The fund's managers take or return the assignment;
the money itself then goes through a disbursement request, made at dispatch for the amount
the dispatcher asked (services.disbursement_request_for_need) and withdrawn if the fund never
takes the need or returns it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Q

from wushe.accounts import scope
from wushe.charity.models import Fund
from wushe.charity.models.funds import FundStatus
from wushe.charity.models.ledger import AccountCode, LedgerAccount
from wushe.needs.linkage import BaseProvider, Candidate, ScorePart, Society, register

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

REF = "charity.disbursement:"

# A fund's charter names the needs it serves in its own words (助老服务, 困境儿童关爱 …); these
# are the needs categories (needs/categories.py) each wording covers.
COVERS: dict[str, set[str]] = {
    "elderly_care": {"助老服务", "助餐", "养老服务"},
    "child_care": {"困境儿童关爱", "未成年人保护", "助学", "儿童关爱"},
    "temporary_relief": {"临时救助", "突发困难"},
    "medical_help": {"医疗救助", "就医帮扶"},
    "counselling": {"心理疏导"},
    "disability_support": {"助残服务"},
    "dispute": {"社区治理", "邻里互助"},
    "environment": {"社区治理"},
}


def covers_category(charter: list[str], category: str) -> bool:
    from wushe.needs.categories import CATEGORIES

    words = set(charter)
    known = CATEGORIES.get(category)
    return (category in words or (known is not None and known.zh in words)
            or bool(words & COVERS.get(category, set())))


class FundProvider(BaseProvider):
    society: ClassVar[str] = Society.FUND

    def suggest(self, need: Any, *, limit: int) -> list[Candidate]:
        community, street = need.region_path[:12], need.region_path[:9]
        funds = list(Fund.objects.unscoped(reason="linkage: the funds serving a need's area")
                     .filter(Q(region_path=community) | Q(region_path=street)
                             | Q(region_path=street[:6]), status=FundStatus.ACTIVE)
                     .only("id", "name", "region_path", "target_groups", "need_categories"))
        cash = dict(LedgerAccount.objects.unscoped(reason="linkage: the funds serving a need's area").filter(fund_id__in=[f.pk for f in funds],
                                                 code=AccountCode.CASH)
                    .values_list("fund_id", "balance"))
        out = []
        for fund in funds:
            balance = Decimal(cash.get(fund.pk, 0) or 0)
            if balance <= 0:
                continue
            if fund.need_categories and not covers_category(fund.need_categories, need.category):
                continue
            # A need not yet classed as 一老一小一困 is not excluded: whether the person falls in
            # the fund's groups is checked when the disbursement is requested.
            grouped = need.target_group not in ("", "general", None)
            if fund.target_groups and grouped and need.target_group not in fund.target_groups:
                continue
            parts = [self._placement(fund.region_path, community, street)]
            if fund.need_categories or fund.target_groups:
                parts.append(ScorePart("eligible", 30, "基金章程覆盖此类需求和对象",
                                       "The fund's rules cover this need and group"))
            # Balance: up to 30 points, full at 100,000 yuan and above.
            points = float(min(balance, Decimal(100_000)) / Decimal(100_000) * 30)
            parts.append(ScorePart("balance", points, f"可用余额{balance:,.2f}元",
                                   f"Balance {balance:,.2f} yuan"))
            out.append(Candidate(self.society, str(fund.pk), fund.name, tuple(parts)))
        return sorted(out, key=lambda c: -c.score)[:limit]

    @staticmethod
    def _placement(path: str, community: str, street: str) -> ScorePart:
        if path == community:
            return ScorePart("near", 40, "本社区阳光基金", "The community's own fund")
        if path == street:
            return ScorePart("near", 25, "本街道(镇)的基金", "The street's fund")
        return ScorePart("near", 15, "区级专项基金", "A district special fund")

    def on_assign(self, assignment: Any, *, actor: Actor) -> str:
        from wushe.charity.services import disbursement_request_for_need
        from wushe.needs.categories import CATEGORIES

        need = assignment.need
        fund = Fund.objects.unscoped(reason="hook: the calling service authorised it").get(pk=int(assignment.object_id))
        known = CATEGORIES.get(need.category)
        d = disbursement_request_for_need(actor=actor, fund=fund, need=need,
                                          amount=assignment.requested_amount,
                                          label=known.zh if known else "居民需求")
        return f"{REF}{d.pk}"

    def on_finish(self, assignment: Any, *, actor: Actor, outcome: str) -> None:
        # A request the fund never took, or gave back, is withdrawn; once taken it runs on
        # (approval and payment are the fund managers' steps).
        if outcome != "done" and assignment.external_ref.startswith(REF):
            from wushe.charity.services import disbursement_withdraw_for_need

            disbursement_withdraw_for_need(
                actor=actor, disbursement_id=int(assignment.external_ref.removeprefix(REF)),
                reason="需求已办结,基金未承办" if outcome == "cancelled" else "基金已退单")

    def ref_url(self, external_ref: str) -> str:
        from django.urls import reverse

        prefix = REF
        if not external_ref.startswith(prefix):
            return ""
        return reverse("charity:disbursement_detail", args=[int(external_ref.removeprefix(prefix))])

    def may_act(self, actor: Actor, assignment: Any) -> bool:
        return assignment.object_id in self.acting_for(actor)

    def acting_for(self, actor: Actor) -> list[str]:
        return [str(i) for i in scope.object_ids(actor, "fund", "charity.approve")]


def _assignment_args(disbursement: Any) -> dict[str, Any] | None:
    """Where the need's fund assignment made for this disbursement is, if one was."""
    if disbursement.need_id is None or disbursement.beneficiary_kind != "need":
        return None
    return {"need_id": disbursement.need_id, "society": Society.FUND,
            "external_ref": f"{REF}{disbursement.pk}"}


def disbursement_approved(disbursement: Any, *, actor: Actor) -> None:
    """Closing the loop: the fund's managers approving the request made for a need's fund
    assignment is the fund taking the need (接单). Called from the disbursement services, inside
    their transaction, after their own permission check."""
    args = _assignment_args(disbursement)
    if args is not None:
        from wushe.needs.services import assignment_take_by_record

        assignment_take_by_record(actor=actor, **args)


def disbursement_paid(disbursement: Any, *, actor: Actor) -> None:
    """The money paid is the fund's part done."""
    args = _assignment_args(disbursement)
    if args is not None:
        from wushe.needs.services import assignment_finish_by_record

        assignment_finish_by_record(actor=actor, **args)


def disbursement_undone(disbursement: Any, *, actor: Actor, reason: str) -> None:
    """An approved request cancelled, or a payment reversed: the fund did not take part."""
    args = _assignment_args(disbursement)
    if args is not None:
        from wushe.needs.services import assignment_withdraw_by_record

        assignment_withdraw_by_record(actor=actor, reason=reason, **args)


register(FundProvider())

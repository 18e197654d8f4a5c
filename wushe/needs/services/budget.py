"""自治金: a community's budget per year, residents' support for ideas (one per confirmed phone,
or on paper), and the money an adopted idea receives through the charity disbursement flow."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.charity.models import BeneficiaryKind, Fund, FundStatus
from wushe.charity.models.funds import FundKind
from wushe.charity.services import disbursement_request
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, NotFound, ValidationFailed, WusheError
from wushe.core.ids import identifier_text, normalize_phone
from wushe.core.money import parse_money
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.needs import notify, perms
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.ideas_selectors import budget_allocated, budget_remaining
from wushe.needs.models import (
    Idea,
    IdeaAllocation,
    IdeaBudget,
    IdeaPaperSupport,
    IdeaState,
    IdeaSupport,
)
from wushe.needs.models.budget import (
    SUPPORT_CODE_RESEND_SECONDS,
    SUPPORT_CODE_VALID_SECONDS,
    SUPPORT_CODES_MAX,
    SUPPORT_TRIES_MAX,
)
from wushe.needs.services._smscode import check_code
from wushe.needs.services.subscription import clean_sms_code
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

STREET_PATH_LEN = 9


# --- budget -------------------------------------------------------------------------------------

def _year(raw: object) -> int:
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年度应为2000到2100之间的年份", "The year must be 2000 to 2100",
                               field="year")
    return year


@service
def budget_set(*, actor: Actor, region: Region, year: object, fund: Fund,
               amount: object) -> IdeaBudget:
    """A community's 自治金 for a year, drawn on its own community fund; set by street staff."""
    if region.level != RegionLevel.COMMUNITY:
        raise ValidationFailed("请选择社区(村)", "Choose a community or village", field="region")
    scope.require_region(actor, perms.BUDGET_SET, region.path[:STREET_PATH_LEN])
    y = _year(year)
    value = parse_money(amount, label_zh="自治金预算", label_en="Budget")
    if fund.kind != FundKind.COMMUNITY or fund.region_id != region.pk:
        raise ValidationFailed("请选择本社区的社区基金", "Choose this community's community fund",
                               field="fund")
    if fund.status != FundStatus.ACTIVE:
        raise ValidationFailed("该社区基金未在运行", "The community fund is not active", field="fund")
    budget = IdeaBudget.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().filter(region=region,
                                                                       year=y).first()
    old = None
    if budget is None:
        budget = IdeaBudget(region=region, region_path=region.path, year=y)
    else:
        old = str(budget.amount)
        used = budget_allocated(budget)
        if value < used:
            raise Conflict(f"预算不能低于已分配的 {used} 元",
                           f"The budget cannot be below the {used} yuan already allocated",
                           code="below_allocated", field="amount")
        if budget.fund_id != fund.pk and used:
            raise Conflict("已有分配,不能更换基金", "Money is allocated: the fund cannot change",
                           code="fund_in_use", field="fund")
    budget.fund, budget.amount, budget.set_by, budget.set_at = fund, value, signed_in(actor), timezone.now()
    budget.save()
    audit.record(actor=actor, action=NeedsAction.BUDGET_SET, target=budget, label=region.name,
                 data={"year": y, "amount": str(value), "was": old, "fund": fund.pk})
    return budget


# --- allocation (adopted idea → disbursement request on the community fund) ---------------------

@service
def idea_allocate(*, actor: Actor, idea: Idea, amount: object) -> IdeaAllocation:
    """自治金 for an adopted idea, within the community's remaining budget of the year: a
    disbursement request on the community fund (its managers approve, then pay)."""
    scope.require(actor, perms.IDEA_ALLOCATE, idea, view_perm=perms.IDEA_VIEW)
    idea = Idea.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=idea.pk)
    if idea.state != IdeaState.ADOPTED:
        raise Conflict("只有已采纳的点子可以分配自治金", "Only an adopted idea receives money",
                       code="illegal_transition")
    if IdeaAllocation.objects.unscoped(reason="service: scope.require checked the actor").filter(idea=idea).exists():
        raise Conflict("该点子已分配自治金", "This idea already has money allocated",
                       code="already_allocated")
    value = parse_money(amount, label_zh="自治金金额", label_en="Amount")
    year = timezone.localdate().year
    budget = (IdeaBudget.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().select_related("fund")
              .filter(region_id=idea.region_id, year=year).first())
    if budget is None:
        raise Conflict(f"本社区尚未设定{year}年度自治金预算",
                       f"The community has no self-governance budget for {year}",
                       code="no_budget", field="amount")
    left = budget_remaining(budget)
    if value > left:
        raise Conflict(f"超出本社区自治金剩余预算(剩余 {left} 元)",
                       f"Above the community's remaining budget ({left} yuan left)",
                       code="over_budget", field="amount")
    d = disbursement_request(
        actor=actor, fund=budget.fund, amount=value, purpose=f"自治金 {idea.code} {idea.title}",
        beneficiary_kind=BeneficiaryKind.PROJECT, beneficiary_label=idea.title[:60],
        beneficiary_count=1, beneficiary_region=idea.region)
    alloc = IdeaAllocation.objects.create(idea=idea, budget=budget, disbursement=d,
                                          region_path=idea.region_path, amount=value,
                                          created_by=signed_in(actor))
    audit.record(actor=actor, action=NeedsAction.IDEA_ALLOCATED, target=idea, label=idea.code,
                 data={"amount": str(value), "disbursement": d.pk, "budget": budget.pk})
    return alloc


# --- residents' support by phone -------------------------------------------------------------

def _hash(token: str, code: str) -> str:
    return salted_hmac("wushe.needs.support_code", f"{token}:{code}",
                       algorithm="sha256").hexdigest()


def _support_locked(field: str) -> Conflict:
    return Conflict("验证码错误次数过多,该手机号不能再支持这个点子",
                    "Too many wrong codes: this phone cannot support this idea",
                    code="sms_locked", field=field)


def _idea_by_code(raw: object) -> Idea:
    text = identifier_text(raw, what_zh="点子编号", what_en="idea number", field="idea")
    idea = Idea.objects.unscoped(reason="public: the idea board, nothing personal").filter(code=text.strip().upper()).first()
    if idea is None:
        raise NotFound("点子不存在", "No idea has this number")
    return idea


def _sent_today(bidx: str) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    total = (IdeaSupport.objects.filter(phone_bidx=bidx, code_sent_at__gte=start)
             .aggregate(s=Sum("sends"))["s"])
    return int(total or 0)


def _issue_code(sup: IdeaSupport, idea: Idea) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    sup.sends += 1
    sup.code_hash = _hash(sup.token, code)
    sup.code_sent_at = timezone.now()
    sup.save(update_fields=["sends", "code_hash", "code_sent_at", "phone"])
    notify.send_support_code(support_id=sup.pk, number=sup.sends, code=code,
                             idea_code=idea.code)
    audit.record(actor=None, action=NeedsAction.SUPPORT_CODE_SENT, target=idea, label=idea.code,
                 data={"number": sup.sends})


@service
def idea_support_start(*, idea_code: object, phone: object) -> IdeaSupport:
    """A resident supports an idea: a 6-digit code goes to the phone; the support counts once
    the code comes back. One support per phone and idea; the per-phone daily SMS cap applies."""
    idea = _idea_by_code(idea_code)
    if idea.state != IdeaState.SUBMITTED:
        raise Conflict("该点子已有结论,不再征集支持", "This idea has been decided: support is closed",
                       code="support_closed")
    number = normalize_phone(phone)
    bidx = blind_index(number)
    sup = IdeaSupport.objects.select_for_update().filter(idea=idea, phone_bidx=bidx).first()
    if sup is not None:
        if sup.confirmed:
            raise Conflict("该手机号已支持过这个点子", "This phone has already supported this idea",
                           code="already_supported", field="phone")
        if sup.locked:
            raise _support_locked("phone")
        if sup.sends >= SUPPORT_CODES_MAX:
            raise Conflict(f"验证码最多发送{SUPPORT_CODES_MAX}次",
                           f"At most {SUPPORT_CODES_MAX} codes are sent",
                           code="sms_code_limit", field="phone")
        if sup.code_sent_at is not None:
            wait = SUPPORT_CODE_RESEND_SECONDS - (timezone.now()
                                                  - sup.code_sent_at).total_seconds()
            if wait > 0:
                raise Conflict(f"请{int(wait) + 1}秒后再获取验证码",
                               f"Wait {int(wait) + 1} seconds before asking for another code",
                               code="sms_code_too_soon", field="phone")
    if _sent_today(bidx) >= settings.WUSHE_SMS_PER_PHONE_PER_DAY:
        raise Conflict("该手机号今天收到的短信已达上限,请明天再试",
                       "This phone has had today's maximum of text messages: try tomorrow",
                       code="sms_daily_cap", field="phone")
    if sup is None:
        sup = IdeaSupport.objects.create(idea=idea, phone_bidx=bidx,
                                         token=secrets.token_urlsafe(18)[:24])
    sup.phone = number  # kept encrypted until confirmed: the SMS is sent from it
    _issue_code(sup, idea)
    return sup


@service
def idea_support_code_check(*, token: object,
                            code: object) -> tuple[IdeaSupport, WusheError | None]:
    """The resident enters the code. Right: the support counts (once). Wrong: the try is
    counted and the refusal returned, not raised, so this transaction commits it
    (``needs.confirm.idea_support_confirm`` raises it after); SUPPORT_TRIES_MAX wrong codes
    lock. Expired: refused."""
    digits = clean_sms_code(code)
    text = identifier_text(token, what_zh="支持凭据", what_en="support reference", field="token")
    sup = (IdeaSupport.objects.select_for_update().select_related("idea")
           .filter(token=text.strip()).first())
    if sup is None:
        raise NotFound("请重新获取验证码", "Ask for a code again")
    idea = sup.idea
    if sup.confirmed:
        return sup, None
    if sup.locked:
        raise _support_locked("code")

    def wrong(tries: int) -> None:
        audit.record(actor=None, action=NeedsAction.SUPPORT_CODE_WRONG, target=idea,
                     label=idea.code, data={"tries": tries})

    refusal = check_code(sup, _hash(sup.token, digits),
                         valid_seconds=SUPPORT_CODE_VALID_SECONDS,
                         tries_max=SUPPORT_TRIES_MAX, record_wrong=wrong,
                         locked=lambda: _support_locked("code"))
    if refusal is None:
        sup.confirmed_at = timezone.now()
        sup.phone = ""  # proven: the phone is no longer needed
        sup.code_hash = ""
        sup.save(update_fields=["confirmed_at", "phone", "code_hash"])
        (Idea.objects.unscoped(reason="public: the idea board, nothing personal")
         .filter(pk=idea.pk).update(support_count=F("support_count") + 1))
        audit.record(actor=None, action=NeedsAction.SUPPORT_CONFIRMED, target=idea,
                     label=idea.code)
    return sup, refusal


# --- support on paper -----------------------------------------------------------------------

@service
def idea_paper_support_record(*, actor: Actor, idea: Idea, count: object,
                              note: object = "") -> IdeaPaperSupport:
    """Signatures collected on paper, counted apart from the online support."""
    scope.require(actor, perms.SUPPORT_RECORD, idea, view_perm=perms.IDEA_VIEW)
    try:
        n = int(str(count).strip())
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= 100_000:
        raise ValidationFailed("人数应在1到100000之间", "The count must be 1 to 100,000",
                               field="count")
    row = IdeaPaperSupport.objects.create(
        idea=idea, region_path=idea.region_path, count=n, recorded_by=signed_in(actor),
        note=clean_text(note, field="note", label_zh="说明", label_en="Note", max_length=200))
    Idea.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=idea.pk).update(
        paper_support_count=F("paper_support_count") + n)
    audit.record(actor=actor, action=NeedsAction.SUPPORT_PAPER_RECORDED, target=idea,
                 label=idea.code, data={"count": n, "paper_support": row.pk})
    return row

"""Donors and donations: credit codes, idempotent intake, receipts, in-kind valuation, reversal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wushe.audit.models import AuditEvent, PiiAccess
from wushe.charity import receipts, services
from wushe.charity.models import Donation, Donor, LedgerEntry, Receipt, ReceiptCounter
from wushe.charity.tests.conftest import credit_code, key
from wushe.core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from wushe.core.pdffonts import pdf_font


def test_enterprise_needs_a_valid_credit_code(admin, district):
    bad = credit_code(5)[:-1] + ("0" if credit_code(5)[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        services.donor_create(actor=admin, region=district, kind="enterprise", name="某公司",
                              credit_code=bad)
    assert exc.value.code == "credit_code_checksum"
    with pytest.raises(ValidationFailed):
        services.donor_create(actor=admin, region=district, kind="enterprise", name="某公司")
    assert not Donor.objects.unscoped().exists()


def test_credit_code_is_normalised_and_unique(admin, district):
    code = credit_code(7)
    full = "".join(chr(ord(c) + 0xFEE0) for c in code)
    d = services.donor_create(actor=admin, region=district, kind="enterprise", name="甲公司",
                              credit_code=full)
    assert d.credit_code == code
    with pytest.raises(Conflict):
        services.donor_create(actor=admin, region=district, kind="enterprise", name="乙公司",
                              credit_code=code.lower())


def test_individual_contact_is_encrypted_masked_and_unmasked_with_purpose(individual, admin):
    assert individual.masked_phone == "139****5678"
    assert individual.display_name == "王*明"
    assert individual.public_name != "王小明"
    phone = services.donor_unmask(actor=admin, donor=individual, purpose="寄送捐赠票据")
    assert phone == "13912345678"
    assert PiiAccess.objects.unscoped().filter(subject_id=str(individual.pk),
                                               purpose="寄送捐赠票据").exists()
    ev = AuditEvent.objects.unscoped().get(action="charity.donor.created",
                                           target_id=str(individual.pk))
    assert "13912345678" not in str(ev.data) and "王小明" not in str(ev.data)


def test_donation_posts_a_balanced_entry_and_issues_a_receipt(special, enterprise, give):
    d = give(special, enterprise, "12345.67")
    assert d.entry is not None and d.entry.kind == "donation"
    postings = {(p.account.code, p.debit, p.credit) for p in d.entry.postings.unscoped()
                .select_related("account")}
    assert postings == {("cash", Decimal("12345.67"), 0), ("income", 0, Decimal("12345.67"))}
    r = d.receipt
    assert r.amount_in_words == "壹万贰仟叁佰肆拾伍元陆角柒分"
    assert r.donor_name == "重庆爱心实业有限公司" and r.donor_code == enterprise.credit_code
    assert r.recipient == "九龙坡区慈善与公益事业促进会" and r.item == "慈善纾困基金"
    assert r.number == f"{r.year}{r.seq:08d}"


def test_receipt_numbers_are_sequential_and_never_reused(special, enterprise, give, admin):
    numbers = [give(special, enterprise, "100").receipt.seq for _ in range(3)]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    services.donation_reverse(actor=admin, donation=Donation.objects.unscoped().order_by("id")
                              .last(), reason="录入错误")
    after = give(special, enterprise, "100").receipt.seq
    assert after == numbers[-1] + 1  # the voided number is not handed out again
    assert Receipt.objects.unscoped().filter(status="void").count() == 1
    assert ReceiptCounter.objects.get().last == after


def test_retry_with_same_key_never_counts_twice(special, enterprise, admin):
    k = key()
    first = services.donation_receive(actor=admin, fund=special, donor=enterprise, kind="cash",
                                      amount="500", idempotency_key_value=k)
    again = services.donation_receive(actor=admin, fund=special, donor=enterprise, kind="cash",
                                      amount="500.00", idempotency_key_value=k)
    assert again.pk == first.pk and again.receipt.number == first.receipt.number
    assert Donation.objects.unscoped().count() == 1
    assert LedgerEntry.objects.unscoped().count() == 1
    assert AuditEvent.objects.unscoped().filter(action="charity.donation.received").count() == 1
    with pytest.raises(Conflict):
        services.donation_receive(actor=admin, fund=special, donor=enterprise, kind="cash",
                                  amount="600", idempotency_key_value=k)


@pytest.mark.parametrize(("field", "value"), [
    ("note", "另一笔"), ("channel", "cash"), ("received_on", "2024-05-01"),
])
def test_same_key_with_other_content_is_an_idempotency_conflict(special, enterprise, admin,
                                                                field, value):
    """Fund, donor, amount and kind equal, another field not: refused, not answered with the
    first donation (the new note, channel or date would otherwise be silently dropped)."""
    k = key()
    services.donation_receive(actor=admin, fund=special, donor=enterprise, kind="cash",
                              amount="500", idempotency_key_value=k)
    with pytest.raises(Conflict) as exc:
        services.donation_receive(actor=admin, fund=special, donor=enterprise, kind="cash",
                                  amount="500", idempotency_key_value=k, **{field: value})
    assert exc.value.code == "idempotency_conflict" and exc.value.zh and exc.value.en
    assert Donation.objects.unscoped().count() == 1
    assert LedgerEntry.objects.unscoped().count() == 1


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.001", "100000000000", None])
def test_bad_amounts_refused(special, enterprise, give, amount):
    with pytest.raises(ValidationFailed):
        give(special, enterprise, amount)
    assert not Donation.objects.unscoped().exists()
    assert not LedgerEntry.objects.unscoped().exists()


def test_in_kind_needs_goods_and_a_valuation_basis(special, enterprise, give):
    with pytest.raises(ValidationFailed):
        give(special, enterprise, "8000", kind="in_kind", goods_description="大米")
    d = give(special, enterprise, "8000", kind="in_kind", goods_description="大米",
             goods_quantity="400袋", valuation_basis="采购发票")
    codes = {p.account.code for p in d.entry.postings.unscoped().select_related("account")}
    assert codes == {"goods", "income"}
    assert d.receipt.item == "慈善纾困基金·大米" and d.receipt.quantity == "400袋"


def test_draft_or_suspended_fund_refuses_donations(special, enterprise, give, admin):
    services.fund_set_status(actor=admin, fund=special, status="suspended")
    with pytest.raises(IllegalTransition):
        give(special, enterprise)


def test_only_managers_of_the_fund_take_donations(community_fund, special, enterprise,
                                                 staff_a, make_user, street_b):
    # Community staff see their community's fund but cannot take money into it.
    with pytest.raises(PermissionDenied):
        services.donation_receive(actor=staff_a, fund=community_fund, donor=enterprise,
                                  kind="cash", amount="10", idempotency_key_value=key())
    # A district fund is outside a community's scope: it "does not exist" for them.
    with pytest.raises(NotFound):
        services.donation_receive(actor=staff_a, fund=special, donor=enterprise, kind="cash",
                                  amount="10", idempotency_key_value=key())
    stranger = make_user("street_staff", street_b)
    with pytest.raises(NotFound):
        services.donation_receive(actor=stranger, fund=community_fund, donor=enterprise,
                                  kind="cash", amount="10", idempotency_key_value=key())
    assert not Donation.objects.unscoped().exists()


def test_reversal_is_a_new_entry_and_voids_the_receipt(special, enterprise, give, admin):
    d = give(special, enterprise, "300")
    services.donation_reverse(actor=admin, donation=d, reason="重复录入")
    d.refresh_from_db()
    assert d.status == "reversed" and d.receipt.status == "void"
    assert d.reversal_entry.reverses_id == d.entry.seq
    assert LedgerEntry.objects.unscoped().count() == 2
    with pytest.raises(IllegalTransition):
        services.donation_reverse(actor=admin, donation=d, reason="再次")


def test_spent_money_cannot_be_reversed(funded, enterprise, admin, street_staff, manager):
    d = Donation.objects.unscoped().get()
    req = services.disbursement_request(actor=admin, fund=funded, amount="1500",
                                        purpose="住院救助", beneficiary_kind="project",
                                        project_id=1, beneficiary_label="助医项目")
    services.disbursement_approve(actor=manager, disbursement=req)
    with pytest.raises(Conflict):
        services.donation_reverse(actor=admin, donation=d, reason="录入错误")


@pytest.mark.parametrize("value,words", [
    ("100", "壹佰元整"), ("1001", "壹仟零壹元整"), ("10010", "壹万零壹拾元整"),
    ("105000", "壹拾万伍仟元整"), ("1000001", "壹佰万零壹元整"), ("100000000", "壹亿元整"),
    ("100001000", "壹亿零壹仟元整"), ("0.50", "伍角整"), ("1.05", "壹元零伍分"),
    ("10.5", "壹拾元伍角整"), ("50000000", "伍仟万元整"), ("3", "叁元整"),
])
def test_amount_in_words(value, words):
    assert receipts.amount_in_words(Decimal(value)) == words


def test_receipt_pdf_is_a_pdf_with_the_number(special, enterprise, give, admin):
    d = give(special, enterprise, "888")
    pdf = services.receipt_pdf(actor=admin, donation=d)
    assert pdf.startswith(b"%PDF") and d.receipt.number.encode() in pdf
    # The Chinese font is embedded (a TrueType subset) when the machine has one (pdffonts).
    assert (b"/FontFile2" in pdf and b"STSong-Light" not in pdf) if pdf_font().embedded \
        else b"STSong-Light" in pdf
    assert AuditEvent.objects.unscoped().filter(action="charity.receipt.printed").exists()

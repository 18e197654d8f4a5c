"""The ledger: balanced, append-only (ORM and database), hash-chained; verify finds tampering."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from wushe.audit.models import AppendOnlyError
from wushe.charity import chain, services
from wushe.charity.models import LedgerAccount, LedgerEntry, LedgerHead, LedgerPosting
from wushe.charity.verify import verify


@pytest.fixture
def busy(funded, enterprise, individual, give, admin, manager):
    give(funded, individual, "250.50")
    d = services.disbursement_request(actor=admin, fund=funded, amount="1200", purpose="住院救助",
                                      beneficiary_kind="project", project_id=3,
                                      beneficiary_label="困难群众助医项目", beneficiary_count=4)
    services.disbursement_approve(actor=manager, disbursement=d)
    services.disbursement_pay(actor=admin, disbursement=d, payment_ref="PZ-001")
    services.disbursement_reverse(actor=admin, disbursement=d, reason="重复支付已退回")
    return funded


def test_entries_chain_and_balance(busy):
    entries = list(LedgerEntry.objects.unscoped().order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == "0" * 64
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    for e in entries:
        p = list(e.postings.unscoped())
        assert sum(x.debit for x in p) == sum(x.credit for x in p) > 0
    head = LedgerHead.objects.get()
    assert (head.seq, head.hash) == (entries[-1].seq, entries[-1].hash)
    result = verify()
    assert result.ok, result.problems
    assert result.entries == 4 and result.postings == 8


def test_cached_balances_equal_the_sum_of_postings(busy):
    for account in LedgerAccount.objects.unscoped().filter(fund=busy):
        postings = LedgerPosting.objects.unscoped().filter(account=account)
        total = sum((p.debit - p.credit for p in postings), Decimal(0))
        assert account.balance == total
    cash = LedgerAccount.objects.unscoped().get(fund=busy, code="cash")
    assert cash.balance == Decimal("10250.50")


def test_unbalanced_entry_refused(special):
    with pytest.raises(Exception, match="balance"):
        with transaction.atomic():
            chain.post(fund=special, kind="donation", ref="x", memo="",
                       lines=[chain.Line(special.pk, "cash", debit=Decimal(5)),
                              chain.Line(special.pk, "income", credit=Decimal(4))])


def test_orm_refuses_update_and_delete(busy):
    entry = LedgerEntry.objects.unscoped().first()
    entry.memo = "改过"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.unscoped().filter(pk=entry.pk).update(memo="x")
    with pytest.raises(AppendOnlyError):
        LedgerPosting.objects.unscoped().all().delete()


@pytest.mark.parametrize("sql", [
    "UPDATE charity_ledgerentry SET memo = 'x'",
    "DELETE FROM charity_ledgerentry",
    "UPDATE charity_ledgerposting SET debit = 1 WHERE debit > 0",
    "DELETE FROM charity_ledgerposting",
])
def test_database_refuses_raw_update_and_delete(busy, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert verify().ok


def _drop_triggers() -> None:
    """What an attacker with file or superuser access can do; the chain still tells."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for t in ("charity_ledgerentry", "charity_ledgerposting"):
                for op in ("update", "delete"):
                    cur.execute(f"DROP TRIGGER IF EXISTS {t}_no_{op}")
        else:
            for t in ("charity_ledgerentry", "charity_ledgerposting"):
                cur.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")


def test_verify_names_a_changed_amount(busy):
    _drop_triggers()
    target = LedgerPosting.objects.unscoped().filter(entry_id=2, debit__gt=0).get()
    with connection.cursor() as cur:
        cur.execute("UPDATE charity_ledgerposting SET debit = 2.50 WHERE id = %s", [target.pk])
        cur.execute("UPDATE charity_ledgerposting SET credit = 2.50 WHERE entry_id = 2 "
                    "AND credit > 0")
    result = verify()
    assert not result.ok
    assert result.first_broken is not None and result.first_broken.seq == 2
    assert result.first_broken.code == "content"
    assert any(p.code == "balance" for p in result.problems)


def test_verify_names_a_deleted_entry(busy):
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE charity_donation SET entry_id = NULL WHERE entry_id = 2")
        cur.execute("DELETE FROM charity_ledgerposting WHERE entry_id = 2")
        cur.execute("DELETE FROM charity_ledgerentry WHERE seq = 2")
    result = verify()
    assert result.first_broken.seq == 3
    assert {p.code for p in result.problems} >= {"gap", "chain"}


def test_verify_finds_a_rehashed_entry_by_the_next_link(busy):
    """Rewriting an entry and recomputing its own hash breaks the link of the next one."""
    _drop_triggers()
    e = LedgerEntry.objects.unscoped().get(seq=2)
    rows = [(p.account.fund_id, p.account.code, chain.money(p.debit), chain.money(p.credit))
            for p in e.postings.unscoped().select_related("account")]
    forged = chain.entry_hash(seq=2, prev_hash=e.prev_hash, fund_id=e.fund_id, kind=e.kind,
                              occurred_at=chain.utc_text(e.occurred_at), ref=e.ref,
                              memo="伪造的摘要", reverses=None, postings=rows)
    with connection.cursor() as cur:
        cur.execute("UPDATE charity_ledgerentry SET memo = %s, hash = %s WHERE seq = 2",
                    ["伪造的摘要", forged])
    result = verify()
    assert result.first_broken.seq == 3 and result.first_broken.code == "chain"


def test_verify_finds_a_tampered_cached_balance(busy):
    LedgerAccount.objects.unscoped().filter(fund=busy, code="cash").update(balance=99999)
    result = verify()
    assert not result.ok and result.first_broken is None
    assert [p.code for p in result.problems] == ["balance"]


def test_ledger_verify_command_exit_status(busy, capsys):
    call_command("ledger", "verify")
    assert "intact" in capsys.readouterr().out
    LedgerAccount.objects.unscoped().filter(fund=busy, code="cash").update(balance=1)
    with pytest.raises(SystemExit) as exc:
        call_command("ledger", "verify", "--json")
    assert exc.value.code == 1


def test_canonical_time_is_the_same_from_sqlite_text_and_datetimes():
    import datetime as dt

    aware = dt.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
    assert chain.utc_text("2026-01-02 03:04:05.123456") == chain.utc_text(aware) == \
        "2026-01-02T03:04:05.123456Z"
    assert chain.utc_text("2026-01-02 03:04:05") == chain.utc_text(aware.replace(microsecond=0))
    shanghai = aware.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert chain.utc_text(shanghai) == chain.utc_text(aware)
    assert chain.money("12.5") == "12.50" and chain.money(Decimal("3")) == "3.00"

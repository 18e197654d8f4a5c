"""Appending to the hash-chained ledger, and the canonical form every hash is taken over.

The canonical form of an entry is compact JSON (sorted structure, no whitespace, UTF-8) of::

    [seq, prev_hash, fund_id, kind, occurred_at, ref, memo, reverses_seq,
     [[fund_id, account_code, debit, credit], ...]]

with times in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, amounts as Decimal strings with exactly
two places ("1200.00"), and postings sorted. The entry's hash is SHA-256 of those bytes, or
SM3 (GB/T 32905) for entries numbered ``WUSHE_LEDGER_SM3_FROM`` and later (0: never); the
previous hash is inside them, which is what chains the entries, across the switch too. The same function serves the
services, the bulk loader (demo, bench) and ``verify``, so they cannot drift apart.

Locking order, everywhere: the fund's accounts (ordered by id), then the chain head. On
PostgreSQL these are row locks (SELECT … FOR UPDATE); on SQLite every write transaction is
BEGIN IMMEDIATE (settings), which already serialises writers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.charity.models import (
    AccountCode,
    Fund,
    LedgerAccount,
    LedgerEntry,
    LedgerHead,
    LedgerPosting,
)
from wushe.core.errors import ValidationFailed

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Any) -> str:
    """The canonical text of an amount: two decimal places, no exponent."""
    return format(Decimal(str(value)).quantize(CENT), "f")


def utc_text(value: dt.datetime | str) -> str:
    """The canonical text of a time. SQLite hands back naive UTC text, PostgreSQL aware
    datetimes; both become the same string."""
    if isinstance(value, str):
        # SQLite's own text (naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]"): rewritten directly,
        # the hot path of verifying a million entries.
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}Z"
        if len(value) == 19 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}.000000Z"
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# One encoder for every entry: json.dumps with options builds a new encoder on each call,
# which is most of the cost of hashing a million entries.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def canonical(*, seq: int, prev_hash: str, fund_id: int, kind: str, occurred_at: str,
              ref: str, memo: str, reverses: int | None,
              postings: Iterable[tuple[int, str, str, str]]) -> bytes:
    body = [seq, prev_hash, fund_id, kind, occurred_at, ref, memo, reverses,
            sorted([list(p) for p in postings])]
    return _ENCODER.encode(body).encode()


SHA256 = "sha256"
SM3 = "sm3"


def sm3_from() -> int:
    """The first entry hashed with SM3 (0: SHA-256 throughout)."""
    return int(getattr(settings, "WUSHE_LEDGER_SM3_FROM", 0) or 0)


def hash_algorithm(seq: int, switch: int | None = None) -> str:
    """The hash of entry ``seq``: SM3 from the switch on, SHA-256 before it."""
    switch = sm3_from() if switch is None else switch
    return SM3 if switch and seq >= switch else SHA256


def _sm3_hex(data: bytes) -> str:
    if SM3 in hashlib.algorithms_available:
        return hashlib.new(SM3, data).hexdigest()
    digest = hashes.Hash(hashes.SM3())  # an OpenSSL under hashlib without SM3
    digest.update(data)
    return digest.finalize().hex()


def entry_hash(*, algorithm: str = SHA256, **fields: Any) -> str:
    data = canonical(**fields)
    if algorithm == SM3:
        return _sm3_hex(data)
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Line:
    """One posting of an entry being made: an account of a fund, debit or credit."""

    fund_id: int
    code: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


def balanced(lines: Sequence[Line]) -> bool:
    return (len(lines) >= 2 and all((ln.debit > 0) != (ln.credit > 0) for ln in lines)
            and sum((ln.debit for ln in lines), ZERO) == sum((ln.credit for ln in lines), ZERO))


# --- accounts and locks ---------------------------------------------------------------------

def open_accounts(fund: Fund) -> None:
    """Create a new fund's chart of accounts (inside the fund's creating transaction)."""
    LedgerAccount.objects.bulk_create([
        LedgerAccount(fund=fund, code=code, region_path=fund.region_path)
        for code in AccountCode.values
    ])


def lock_accounts(fund_id: int) -> dict[str, LedgerAccount]:
    """Lock the fund's accounts for the rest of the transaction; the balances read here are
    the latest committed ones. Every writer of a fund's money goes through this first."""
    rows = (LedgerAccount.objects.unscoped(reason="ledger: one hash chain spans every fund").select_for_update()
            .filter(fund_id=fund_id).order_by("id"))
    return {a.code: a for a in rows}


def _lock_head() -> LedgerHead:
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # the migration creates it; a flushed database may not have it
        head = LedgerHead.objects.create(pk=1)
    return head


# --- appending ------------------------------------------------------------------------------

def post(*, fund: Fund, kind: str, ref: str, memo: str, lines: Sequence[Line],
         actor: Actor | None = None, reverses: LedgerEntry | None = None,
         accounts: dict[str, LedgerAccount] | None = None) -> LedgerEntry:
    """Append one balanced entry and update the cached balances. The caller holds the fund's
    account lock (``lock_accounts``) and is inside a transaction."""
    if not balanced(lines):
        raise ValidationFailed("分录借贷不平衡", "The entry does not balance", code="unbalanced")
    accounts = accounts if accounts is not None else lock_accounts(fund.pk)
    by_key = {(fund.pk, code): acc for code, acc in accounts.items()}
    for ln in lines:
        if (ln.fund_id, ln.code) not in by_key:
            other = LedgerAccount.objects.unscoped(reason="ledger: one hash chain spans every fund").get(fund_id=ln.fund_id, code=ln.code)
            by_key[(ln.fund_id, ln.code)] = other
    head = _lock_head()
    occurred = timezone.now()
    seq = head.seq + 1
    postings = [(ln.fund_id, ln.code, money(ln.debit), money(ln.credit)) for ln in lines]
    digest = entry_hash(algorithm=hash_algorithm(seq), seq=seq, prev_hash=head.hash,
                        fund_id=fund.pk, kind=kind,
                        occurred_at=utc_text(occurred), ref=ref, memo=memo,
                        reverses=reverses.seq if reverses else None, postings=postings)
    entry = LedgerEntry.objects.create(
        seq=seq, fund=fund, kind=kind, occurred_at=occurred, ref=ref, memo=memo,
        reverses=reverses, actor=user_or_none(actor),
        prev_hash=head.hash, hash=digest, region_path=fund.region_path)
    LedgerPosting.objects.bulk_create([
        LedgerPosting(entry=entry, account=by_key[(ln.fund_id, ln.code)], debit=ln.debit,
                      credit=ln.credit, region_path=by_key[(ln.fund_id, ln.code)].region_path)
        for ln in lines
    ])
    for ln in lines:
        account = by_key[(ln.fund_id, ln.code)]
        delta = ln.debit - ln.credit
        LedgerAccount.objects.unscoped(reason="ledger: one hash chain spans every fund").filter(pk=account.pk).update(
            balance=F("balance") + delta)
        account.balance += delta
    LedgerHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return entry


def reverse(*, original: LedgerEntry, memo: str, actor: Actor | None = None,
            accounts: dict[str, LedgerAccount] | None = None) -> LedgerEntry:
    """A new entry with every posting of ``original`` on the other side."""
    lines = [Line(p.account.fund_id, p.account.code, debit=p.credit, credit=p.debit)
             for p in original.postings.unscoped(reason="ledger: one hash chain spans every fund").select_related("account").order_by("id")]
    return post(fund=original.fund, kind="reversal", ref=original.ref, memo=memo, lines=lines,
                actor=actor, reverses=original, accounts=accounts)


@dataclass(frozen=True)
class BulkEntry:
    """An entry for ``append_many``: the demo generator and the benchmark."""

    fund_id: int
    region_path: str
    kind: str
    ref: str
    memo: str
    occurred_at: dt.datetime
    lines: tuple[Line, ...]


def append_many(entries: Iterable[BulkEntry], *, batch: int = 5000) -> int:
    """Append many entries fast: the same hashes ``post`` computes, written with executemany.

    For generated data only (no per-entry audit). The caller is inside one transaction;
    postings and balances are exactly what ``post`` would have written.
    """
    head = _lock_head()
    accounts = {(a.fund_id, a.code): (a.pk, a.region_path)
                for a in LedgerAccount.objects.unscoped(reason="ledger: one hash chain spans every fund").only("id", "fund_id", "code",
                                                                "region_path")}
    seq, prev = head.seq, head.hash
    switch = sm3_from()
    deltas: dict[int, Decimal] = {}
    entry_rows: list[list[Any]] = []
    posting_rows: list[list[Any]] = []
    occurred_field = LedgerEntry._meta.get_field("occurred_at")
    amount_field = LedgerPosting._meta.get_field("debit")
    count = 0

    def flush() -> None:
        with connection.cursor() as cur:
            if entry_rows:
                cur.executemany(_ENTRY_SQL(), entry_rows)
            if posting_rows:
                cur.executemany(_POSTING_SQL(), posting_rows)
        entry_rows.clear()
        posting_rows.clear()

    for e in entries:
        if not balanced(e.lines):
            raise ValueError(f"unbalanced generated entry {e.ref}")
        seq += 1
        postings = [(ln.fund_id, ln.code, money(ln.debit), money(ln.credit)) for ln in e.lines]
        digest = entry_hash(algorithm=hash_algorithm(seq, switch), seq=seq, prev_hash=prev,
                            fund_id=e.fund_id, kind=e.kind,
                            occurred_at=utc_text(e.occurred_at), ref=e.ref, memo=e.memo,
                            reverses=None, postings=postings)
        entry_rows.append([seq, e.fund_id, e.kind,
                           occurred_field.get_db_prep_save(e.occurred_at, connection),
                           e.ref, e.memo, prev, digest, e.region_path])
        for ln in e.lines:
            account_id, path = accounts[(ln.fund_id, ln.code)]
            posting_rows.append([seq, account_id,
                                 amount_field.get_db_prep_save(ln.debit, connection),
                                 amount_field.get_db_prep_save(ln.credit, connection), path])
            deltas[account_id] = deltas.get(account_id, ZERO) + ln.debit - ln.credit
        prev = digest
        count += 1
        if len(entry_rows) >= batch:
            flush()
    flush()
    for account_id, delta in deltas.items():
        LedgerAccount.objects.unscoped(reason="ledger: one hash chain spans every fund").filter(pk=account_id).update(
            balance=F("balance") + delta)
    LedgerHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    return count


def _insert(table: str, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608


def _ENTRY_SQL() -> str:  # noqa: N802
    return _insert(LedgerEntry._meta.db_table,
                   ["seq", "fund_id", "kind", "occurred_at", "ref", "memo", "prev_hash", "hash",
                    "region_path"])


def _POSTING_SQL() -> str:  # noqa: N802
    return _insert(LedgerPosting._meta.db_table,
                   ["entry_id", "account_id", "debit", "credit", "region_path"])

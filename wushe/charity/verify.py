"""``wushe ledger verify``: recompute the chain and the balances from the stored rows.

Reads entries and postings in seq ranges with plain SQL (amounts cast to text, so no float
ever touches money), recomputes each entry's canonical hash and compares it, checks every
entry balances and links to the one before, then compares the recomputed account balances
with the cached ones, the chain head with the last entry, and every published disclosure's
anchor with the entry it names. The first broken entry is named; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from wushe.charity.chain import (
    CENT,
    SHA256,
    SM3,
    ZERO,
    entry_hash,
    hash_algorithm,
    money,
    sm3_from,
    utc_text,
)
from wushe.charity.models import (
    GENESIS_HASH,
    Disclosure,
    LedgerAccount,
    LedgerEntry,
    LedgerHead,
    LedgerPosting,
)

CHUNK = 20_000


@dataclass
class Problem:
    seq: int | None
    code: str
    zh: str
    en: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "code": self.code, "message": {"zh": self.zh, "en": self.en}}


@dataclass
class VerifyResult:
    entries: int = 0
    postings: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    first_broken: Problem | None = None
    problems: list[Problem] = field(default_factory=list)
    accounts_checked: int = 0
    sm3_from: int = 0  # the first entry hashed with SM3 (0: none)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if problem.seq is not None and self.first_broken is None:
            self.first_broken = problem
        self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "postings": self.postings,
                "head_seq": self.head_seq, "head_hash": self.head_hash,
                "accounts_checked": self.accounts_checked, "sm3_from": self.sm3_from,
                "first_broken_seq": self.first_broken.seq if self.first_broken else None,
                "problems": [p.as_dict() for p in self.problems[:100]]}


def _amount_cache() -> Callable[[Any], tuple[str, Decimal]]:
    cache: dict[Any, tuple[str, Decimal]] = {}

    def amount(raw: Any) -> tuple[str, Decimal]:
        hit = cache.get(raw)
        if hit is None:
            text = money(raw)
            hit = (text, Decimal(text))
            if len(cache) < 100_000:
                cache[raw] = hit
        return hit

    return amount


def verify(*, progress: Callable[[int], None] | None = None) -> VerifyResult:
    result = VerifyResult(sm3_from=sm3_from())
    switch = result.sm3_from
    qn = connection.ops.quote_name
    entries_t = qn(LedgerEntry._meta.db_table)
    postings_t = qn(LedgerPosting._meta.db_table)
    accounts = {a.pk: (a.fund_id, a.code) for a in
                LedgerAccount.objects.unscoped(reason="ledger: one hash chain spans every fund").only("id", "fund_id", "code")}
    sums: dict[int, Decimal] = dict.fromkeys(accounts, ZERO)
    amount = _amount_cache()
    prev_hash = GENESIS_HASH
    expected_seq = 1
    with connection.cursor() as cur:
        cur.execute(f"SELECT MAX(seq) FROM {entries_t}")  # noqa: S608
        top = cur.fetchone()[0] or 0
        low = 1
        while low <= top:
            high = low + CHUNK - 1
            cur.execute(
                f"SELECT entry_id, account_id, CAST(debit AS TEXT), CAST(credit AS TEXT) "  # noqa: S608
                f"FROM {postings_t} WHERE entry_id BETWEEN %s AND %s ORDER BY entry_id, id",
                [low, high])
            lines: dict[int, list[tuple[int, str, str]]] = {}
            for entry_id, account_id, debit, credit in cur.fetchall():
                lines.setdefault(entry_id, []).append((account_id, debit, credit))
            cur.execute(
                f"SELECT seq, fund_id, kind, occurred_at, ref, memo, reverses_id, prev_hash, "  # noqa: S608
                f"hash FROM {entries_t} WHERE seq BETWEEN %s AND %s ORDER BY seq", [low, high])
            for seq, fund_id, kind, occurred, ref, memo, reverses, stored_prev, stored_hash \
                    in cur.fetchall():
                result.entries += 1
                if seq != expected_seq:
                    result.add(Problem(seq, "gap", f"第 {expected_seq} 号分录缺失(链在 {seq} 号处断开)",
                                       f"Entry {expected_seq} is missing (the chain breaks at {seq})"))
                expected_seq = seq + 1
                postings = []
                debit_total = credit_total = ZERO
                for account_id, raw_debit, raw_credit in lines.pop(seq, []):
                    d_text, d = amount(raw_debit)
                    c_text, c = amount(raw_credit)
                    fund_key, code = accounts.get(account_id, (0, "?"))
                    postings.append((fund_key, code, d_text, c_text))
                    debit_total += d
                    credit_total += c
                    if account_id in sums:
                        sums[account_id] += d - c
                result.postings += len(postings)
                fields = {"seq": seq, "prev_hash": stored_prev, "fund_id": fund_id,
                          "kind": kind, "occurred_at": utc_text(occurred), "ref": ref,
                          "memo": memo, "reverses": reverses, "postings": postings}
                algorithm = hash_algorithm(seq, switch)
                digest = entry_hash(algorithm=algorithm, **fields)
                if stored_prev != prev_hash:
                    result.add(Problem(seq, "chain", f"第 {seq} 号分录的前序哈希与上一分录不符",
                                       f"Entry {seq} does not link to the entry before it"))
                elif digest != stored_hash and entry_hash(
                        algorithm=SHA256 if algorithm == SM3 else SM3, **fields) == stored_hash:
                    # Intact, but under the other hash: WUSHE_LEDGER_SM3_FROM was moved.
                    result.add(Problem(seq, "algorithm",
                                       f"第 {seq} 号分录的哈希算法与设置 WUSHE_LEDGER_SM3_FROM={switch} 不符",
                                       f"Entry {seq} is hashed with the other algorithm than "
                                       f"WUSHE_LEDGER_SM3_FROM={switch} says (was the setting "
                                       f"moved?)"))
                elif digest != stored_hash:
                    result.add(Problem(seq, "content", f"第 {seq} 号分录的内容与其哈希不符(已被改动)",
                                       f"Entry {seq}: its content does not match its hash (it was changed)"))
                elif len(postings) < 2 or debit_total != credit_total:
                    result.add(Problem(seq, "unbalanced", f"第 {seq} 号分录借贷不平衡",
                                       f"Entry {seq} does not balance"))
                prev_hash = stored_hash
            for orphan in lines:
                result.add(Problem(orphan, "orphan", f"第 {orphan} 号分录缺失,但仍有其过账行",
                                   f"Postings refer to entry {orphan}, which is missing"))
            if progress:
                progress(min(high, top))
            low = high + 1
    result.head_seq, result.head_hash = expected_seq - 1, prev_hash
    _check_head(result)
    _check_balances(result, accounts, sums)
    _check_anchors(result)
    return result


def _check_head(result: VerifyResult) -> None:
    head = LedgerHead.objects.filter(pk=1).first()
    seq, digest = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if (seq, digest) != (result.head_seq, result.head_hash):
        result.add(Problem(None, "head", f"链头记录(第 {seq} 号)与最后一笔分录(第 {result.head_seq} 号)不符",
                           f"The chain head (entry {seq}) does not match the last entry "
                           f"({result.head_seq})"))


def _check_balances(result: VerifyResult, accounts: dict[int, tuple[int, str]],
                    sums: dict[int, Decimal]) -> None:
    cached = dict(LedgerAccount.objects.unscoped(reason="ledger: one hash chain spans every fund").values_list("id", "balance"))
    for account_id, (fund_id, code) in sorted(accounts.items()):
        result.accounts_checked += 1
        stored = Decimal(str(cached.get(account_id, 0))).quantize(CENT)
        if stored != sums[account_id].quantize(CENT):
            result.add(Problem(None, "balance",
                               f"基金 {fund_id} 的科目 {code} 缓存余额 {stored} 与分录合计 {sums[account_id]} 不符",
                               f"Fund {fund_id}, account {code}: cached balance {stored} differs "
                               f"from the entries' total {sums[account_id]}"))


def _check_anchors(result: VerifyResult) -> None:
    anchors = list(Disclosure.objects.unscoped(reason="ledger: one hash chain spans every fund").values_list("pk", "anchor_seq", "anchor_hash"))
    if not anchors:
        return
    wanted = {seq for _pk, seq, _h in anchors if seq}
    stored = dict(LedgerEntry.objects.unscoped(reason="ledger: one hash chain spans every fund").filter(seq__in=wanted)
                  .values_list("seq", "hash"))
    for pk, seq, digest in anchors:
        if seq and stored.get(seq) != digest:
            result.add(Problem(seq, "anchor",
                               f"第 {pk} 号公开报告锚定的第 {seq} 号分录哈希已变化",
                               f"Disclosure {pk} anchored entry {seq}, whose hash has changed"))


def backup_check() -> dict[str, Any]:
    """This ledger's check for ``wushe restore`` (registered in ``wushe/core/backup.py``)."""
    result = verify()
    return {"ok": result.ok, "entries": result.entries,
            "head_seq": result.head_seq, "head_hash": result.head_hash}

"""A worker of the concurrency tests, run as ``python -m wushe.charity.tests.race_worker``.

``setup`` makes a district, two managers and one funded fund; ``work`` runs request →
approve → pay disbursements in a loop (each step its own transaction, as the pages do);
``threads`` runs several such loops at once, one database connection each; ``check``
reports the balances, the ledger sums and verify. Each is a process of its own pointed at
the same throwaway database (SQLite file or PostgreSQL database).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from decimal import Decimal
from typing import Any


def setup(balance: str) -> dict[str, Any]:
    from wushe.accounts.services import grant_add, user_create
    from wushe.charity import services
    from wushe.regions.services import region_create

    root = user_create(actor=None, username="root", password="x", is_superuser=True,
                       check_password=False)
    district = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district",
                             parent=None)
    requester = user_create(actor=None, username="requester", password="x",
                            grants=[("district_admin", district)], check_password=False)
    approver = user_create(actor=None, username="approver", password="x",
                           grants=[("fund_manager", district)], check_password=False)
    fund = services.fund_create(actor=requester, region=district, name="慈善纾困基金",
                                kind="special", parent_org_name="区慈善会",
                                second_approval_above="1000000")
    grant_add(actor=None, user=approver, role="fund_manager", region=district, fund=fund)
    services.fund_set_status(actor=requester, fund=fund, status="active")
    donor = services.donor_create(actor=requester, region=district, kind="person", name="王小明")
    services.donation_receive(actor=requester, fund=fund, donor=donor, kind="cash",
                              amount=balance, idempotency_key_value=uuid.uuid4().hex)
    return {"fund": fund.pk}


def work(fund_id: int, count: int, amount: str) -> dict[str, Any]:
    from wushe.accounts.models import User
    from wushe.charity import services
    from wushe.charity.models import Fund
    from wushe.core.errors import Conflict

    requester = User.objects.get(username="requester")
    approver = User.objects.get(username="approver")
    fund = Fund.objects.unscoped().get(pk=fund_id)
    paid = refused = 0
    for _ in range(count):
        try:
            d = services.disbursement_request(
                actor=requester, fund=fund, amount=amount, purpose="并发测试",
                beneficiary_kind="project", project_id=1, beneficiary_label="并发测试项目")
            d = services.disbursement_approve(actor=approver, disbursement=d)
            services.disbursement_pay(actor=requester, disbursement=d)
            paid += 1
        except Conflict as exc:
            assert exc.code == "insufficient_balance", exc
            refused += 1
    return {"paid": paid, "refused": refused}


def work_threads(fund_id: int, threads: int, count: int, amount: str) -> dict[str, Any]:
    """``threads`` workers in this process, each with its own database connection: on
    PostgreSQL they contend for the fund's row lock, on SQLite for the write lock."""
    import threading

    from django.db import connection

    from wushe.core.scoping import scopes_disabled

    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run() -> None:
        try:
            with scopes_disabled():
                start.wait()
                results.append(work(fund_id, count, amount))
        except BaseException as exc:  # reported to the test, never swallowed
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise errors[0]
    return {"workers": results}


def check(fund_id: int) -> dict[str, Any]:
    from django.db.models import Sum

    from wushe.charity.chain import money
    from wushe.charity.models import Disbursement, LedgerAccount, LedgerPosting
    from wushe.charity.verify import verify

    accounts = {a.code: a.balance for a in LedgerAccount.objects.unscoped().filter(fund_id=fund_id)}
    sums = {}
    for code in accounts:
        agg = LedgerPosting.objects.unscoped().filter(
            account__fund_id=fund_id, account__code=code).aggregate(d=Sum("debit"), c=Sum("credit"))
        sums[code] = money((agg["d"] or Decimal(0)) - (agg["c"] or Decimal(0)))
    result = verify()
    return {"balances": {k: money(v) for k, v in accounts.items()}, "sums": sums,
            "paid": Disbursement.objects.unscoped().filter(fund_id=fund_id, status="paid").count(),
            "verify_ok": result.ok, "entries": result.entries,
            "problems": [p.en for p in result.problems]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["setup", "work", "threads", "check"])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--fund", type=int, default=0)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--amount", default="100")
    parser.add_argument("--balance", default="10000")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from wushe.core.scoping import scopes_disabled

    with scopes_disabled():
        if args.action == "setup":
            out = setup(args.balance)
        elif args.action == "work":
            out = work(args.fund, args.count, args.amount)
        elif args.action == "threads":
            out = work_threads(args.fund, args.threads, args.count, args.amount)
        else:
            out = check(args.fund)
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()

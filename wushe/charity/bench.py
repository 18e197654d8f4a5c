"""Benchmarks of charity resources (``wushe bench``), measured in a child process over a
throwaway SQLite data directory of its own:

* ``donation_intake_rps`` — donations recorded per second through ``donation_receive`` (each
  its own transaction: permission, idempotency check, fund lock, receipt number, ledger entry,
  audit event), one after another as a counter would;
* ``ledger_verify_1m_seconds`` — ``wushe ledger verify`` over a chain of 1,000,000 entries
  (2,000,000 postings) built with the same hashing as the services.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess  # noqa: S404 (runs this project's own module)
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from wushe.core.figures import bench

FUNDS = 20


def _setup() -> tuple[Any, list[Any], Any]:
    from wushe.accounts.services import user_create
    from wushe.charity import services
    from wushe.regions.services import region_create

    root = user_create(actor=None, username="root", password="x", is_superuser=True,
                       check_password=False)
    district = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district",
                             parent=None)
    admin = user_create(actor=None, username="district_admin", password="x",
                        grants=[("district_admin", district)], check_password=False)
    funds = []
    for i in range(FUNDS):
        fund = services.fund_create(actor=admin, region=district, name=f"基准基金{i + 1}",
                                    kind="special", parent_org_name="区慈善会")
        funds.append(services.fund_set_status(actor=admin, fund=fund, status="active"))
    donor = services.donor_create(actor=admin, region=district, kind="person", name="王小明")
    return admin, funds, donor


def _intake(admin: Any, funds: list[Any], donor: Any, count: int) -> float:
    from wushe.charity import services

    started = time.perf_counter()
    for i in range(count):
        services.donation_receive(actor=admin, fund=funds[i % len(funds)], donor=donor,
                                  kind="cash", amount=f"{100 + i % 900}.50",
                                  idempotency_key_value=uuid.uuid4().hex)
    return count / (time.perf_counter() - started)


def _generated(funds: list[Any], count: int) -> Iterator[Any]:
    from django.utils import timezone

    from wushe.charity.chain import BulkEntry, Line

    at = timezone.now() - dt.timedelta(days=365)
    step = dt.timedelta(seconds=20)
    for i in range(count):
        fund = funds[i % len(funds)]
        amount = Decimal(100 + (i * 37) % 5000)
        if i % 3 == 2:  # a third are payments out, always covered by what came in before
            lines = (Line(fund.pk, "charitable", debit=amount), Line(fund.pk, "cash", credit=amount))
            kind = "disbursement"
        else:
            lines = (Line(fund.pk, "cash", debit=amount * 2), Line(fund.pk, "income",
                                                                   credit=amount * 2))
            kind = "donation"
        yield BulkEntry(fund.pk, fund.region_path, kind, f"bench:{i}", "", at + step * i, lines)


def measure(*, entries: int, donations: int) -> dict[str, Any]:
    from django.db import transaction

    from wushe.charity.chain import append_many
    from wushe.charity.models import LedgerEntry
    from wushe.charity.verify import verify
    from wushe.core.scoping import scopes_disabled

    with scopes_disabled():
        admin, funds, donor = _setup()
        rps = _intake(admin, funds, donor, donations)
        started = time.perf_counter()
        missing = entries - LedgerEntry.objects.count()
        with transaction.atomic():
            append_many(_generated(funds, missing), batch=10_000)
        built = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        result = verify()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not result.ok:
        raise RuntimeError(f"the benchmark chain does not verify: {result.problems[:3]}")
    # CPU seconds too: on a shared machine the wall clock also measures the neighbours.
    return {"donation_intake_rps": round(rps, 1), "ledger_verify_1m_seconds": round(seconds, 1),
            "ledger_verify_1m_cpu_seconds": round(cpu, 1),
            "ledger_entries": result.entries, "ledger_postings": result.postings,
            "ledger_build_seconds": round(built, 1)}


@bench("charity")
def charity_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import smoke_count, subprocess_env

    entries = smoke_count(options, options.get("ledger_entries", 1_000_000), 5_000)
    donations = smoke_count(options, 2000, 100)
    data_dir = Path(options["work_dir"]) / "charity-ledger"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = subprocess_env(data_dir)
    say = options["progress"]
    say(f"charity: migrating a throwaway database in {data_dir}")
    subprocess.run([sys.executable, "-m", "wushe.cli", "migrate", "-v0"], env=env,  # noqa: S603
                   check=True)
    say(f"charity: {donations} donations, then a {entries:,}-entry ledger and its verification")
    done = subprocess.run([sys.executable, "-m", "wushe.charity.bench",  # noqa: S603
                           "--entries", str(entries), "--donations", str(donations)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"charity bench failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure donation intake and ledger verify")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--donations", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    figures = measure(entries=args.entries, donations=args.donations)
    sys.stdout.write(json.dumps(figures, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

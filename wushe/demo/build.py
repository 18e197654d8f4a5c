"""Write a demo district into the database.

Regions, sites and persons go in with ``bulk_create`` outside scope (the generator is one of
the explicit escapes of core.scoping) and without audit events: they are generated, not acts
of anyone. The rows are the ones the services would write (path, level, kind, parent,
encrypted fields, blind indexes). Accounts go through ``accounts.services`` like any other.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.accounts import otp
from wushe.accounts import services as accounts
from wushe.accounts.models import User
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.crypto import EncryptedTextField, blind_index
from wushe.core.plannerstats import analyze
from wushe.core.scoping import scopes_disabled
from wushe.demo.persons import person_batches
from wushe.demo.profiles import Profile, get_profile
from wushe.demo.spec import DistrictSpec, district_spec
from wushe.demo.steps import DemoContext, ordered
from wushe.people.models import Person
from wushe.people.names import name_index
from wushe.regions.models import LEVEL_ORDER, Region, Site

ACCOUNTS_FILE = "demo-accounts.json"

Progress = Callable[[str], None]


@dataclass
class BuildSummary:
    profile: str
    seed: int
    regions: int = 0
    sites: int = 0
    accounts: int = 0
    persons: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    accounts_file: Path | None = None
    steps: dict[str, dict[str, int]] = field(default_factory=dict)


def _quiet(_: str) -> None:
    pass


def build_demo(*, profile: Profile | str, seed: int, out_dir: Path,
               progress: Progress | None = None) -> BuildSummary:
    """Generate and write the whole district; write the login sheet into ``out_dir``.

    The database is expected to hold no regions yet (the command empties it first).
    """
    prof = get_profile(profile) if isinstance(profile, str) else profile
    say = progress or _quiet
    summary = BuildSummary(prof.name, seed)
    spec = district_spec(profile=prof, seed=seed)
    with scopes_disabled():
        t = time.perf_counter()
        with transaction.atomic():
            regions = write_regions(spec)
            summary.regions = len(regions)
            summary.sites = write_sites(spec, regions)
        summary.seconds["regions"] = time.perf_counter() - t
        say(f"regions {summary.regions}, sites {summary.sites}")

        t = time.perf_counter()
        summary.accounts_file = write_accounts(spec, regions, out_dir)
        summary.accounts = len(spec.accounts)
        summary.seconds["accounts"] = time.perf_counter() - t
        say(f"accounts {summary.accounts} → {summary.accounts_file}")

        t = time.perf_counter()
        summary.persons = write_persons(spec, prof, seed, regions, say)
        refresh_planner_stats()
        summary.seconds["persons"] = time.perf_counter() - t

        ctx = DemoContext(profile=prof, seed=seed, regions=regions, say=say)
        for demo_step in ordered():
            t = time.perf_counter()
            with transaction.atomic():
                counts = demo_step.run(ctx)
            refresh_planner_stats()
            summary.steps[demo_step.name] = counts
            summary.seconds[demo_step.name] = time.perf_counter() - t
            say(f"{demo_step.name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return summary


def refresh_planner_stats() -> None:
    """Refresh the planner's statistics after each bulk step, so the next step's joins (and
    the pages afterwards) are planned on the rows just written. On PostgreSQL a table that
    autovacuum last saw empty (reltuples = 0, e.g. after a rolled-back test) is planned as
    empty, and the joins over the fresh rows became nested loops without index conditions: a
    small build inside a test transaction took minutes instead of seconds. On SQLite a table
    without statistics lost its region index to a state index (core/plannerstats.py). ANALYZE
    runs inside the transaction and sees its own uncommitted rows."""
    analyze()


def write_regions(spec: DistrictSpec) -> dict[str, Region]:
    by_code: dict[str, Region] = {}
    for level in LEVEL_ORDER:
        objs = [
            Region(code=r.code, name=r.name, level=r.level, kind=r.kind,
                   parent=by_code[r.parent_code] if r.parent_code else None, path=r.path,
                   population=r.population, households=r.households)
            for r in spec.regions if r.level == level
        ]
        Region.objects.bulk_create(objs, batch_size=500)
        if any(o.pk is None for o in objs):  # a backend that cannot return ids from bulk inserts
            pks = dict(Region.objects.unscoped(reason="demo: builds the whole district").filter(code__in=[o.code for o in objs])
                       .values_list("code", "pk"))
            for o in objs:
                o.pk = pks[o.code]
        by_code.update((o.code, o) for o in objs)
    return by_code


def write_sites(spec: DistrictSpec, regions: dict[str, Region]) -> int:
    objs = [
        Site(kind=s.kind, name=s.name, region=regions[s.region_code],
             region_path=regions[s.region_code].path, address=s.address, opened_on=s.opened_on,
             area_m2=s.area_m2)
        for s in spec.sites
    ]
    Site.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def write_accounts(spec: DistrictSpec, regions: dict[str, Region], out_dir: Path) -> Path:
    rows = []
    for a in spec.accounts:
        if a.role == "superuser":
            user = _create_superuser(a.username, a.password, a.name)
        else:
            user = accounts.user_create(actor=None, username=a.username, password=a.password,
                                        display_name=a.name,
                                        grants=[(a.role, regions[a.region_code])])
        row: dict[str, str] = dict(a.as_dict())
        if otp.otp_required(user):
            # The login sheet carries the secret, so `wushe otp USERNAME` (or any authenticator
            # app) gives a newcomer the code of every role.
            row["totp_secret"] = otp.secret_base32(_enrol_demo_device(user))
        rows.append(row)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ACCOUNTS_FILE
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


@transaction.atomic
def _enrol_demo_device(user: User) -> TOTPDevice:
    """A confirmed authenticator named as the demo's (``wushe otp`` serves only these)."""
    device = TOTPDevice.objects.create(user=user, name=otp.DEMO_DEVICE_NAME, confirmed=True)
    audit.record(actor=None, action=Action.OTP_ENROLLED, target=user, region_path="",
                 label=user.username, data={"device": device.pk, "by": "demo"})
    return device


@transaction.atomic
def _create_superuser(username: str, password: str, display_name: str) -> User:
    # user_create refuses to make a superuser without a superuser actor (rightly); the first one
    # is bootstrapped as `createsuperuser` would, and recorded like any other account.
    user = User.objects.create_superuser(username=username, password=password,
                                         display_name=display_name)
    audit.record(actor=None, action=Action.USER_CREATED, target=user, region_path="",
                 label=username, data={"grants": [], "superuser": True, "by": "demo"})
    return user


GENERATED_PERSON_FIELDS = frozenset({
    "created_at", "updated_at", "name", "name_bidx", "gender", "birth_date", "id_number", "id_number_bidx",
    "phone", "phone_bidx", "address", "region_id", "region_path",
})


def write_persons(spec: DistrictSpec, profile: Profile, seed: int, regions: dict[str, Region],
                  say: Progress) -> int:
    """Insert the persons with ``executemany``: the ORM's per-object bookkeeping costs more than
    generating and encrypting a person, and a city build holds millions. Every value still
    goes through the field it belongs to (``get_db_prep_save``: encryption included), so the
    rows are exactly what ``Person.save`` would write."""
    total = profile.persons
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key and f.column]
    columns = [f.column for f in fields if f.column]
    names = [f.attname for f in fields]
    encrypted = {f.attname: f for f in fields if isinstance(f, EncryptedTextField)}
    birth_field = Person._meta.get_field("birth_date")
    sql = _insert_sql(Person._meta.db_table, columns)
    f_id, f_phone, f_addr = encrypted["id_number"], encrypted["phone"], encrypted["address"]
    f_name = encrypted["name"]
    region_ids = {code: (r.pk, r.path) for code, r in regions.items()}
    # Columns the generator does not know about (added to Person later) get their default.
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields
                if f.attname not in GENERATED_PERSON_FIELDS}
    done = 0
    started = time.perf_counter()
    last_report = 0.0
    with _bulk_load(Person._meta.db_table, say):
        for rows in person_batches(spec, profile, seed):
            now = Person._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
            values = []
            for r in rows:
                region_id, region_path = region_ids[r.region_code]
                row = {
                    **defaults, "created_at": now, "updated_at": now,
                    "name": f_name.get_db_prep_save(r.name, connection),
                    "name_bidx": name_index(r.name), "gender": r.gender,
                    "birth_date": birth_field.get_db_prep_save(r.birth_date, connection),
                    "id_number": f_id.get_db_prep_save(r.id_number, connection),
                    "id_number_bidx": blind_index(r.id_number),
                    "phone": f_phone.get_db_prep_save(r.phone, connection),
                    "phone_bidx": blind_index(r.phone),
                    "address": f_addr.get_db_prep_save(r.address, connection),
                    "region_id": region_id, "region_path": region_path,
                }
                values.append([row[n] for n in names])
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, values)
            done += len(values)
            elapsed = time.perf_counter() - started
            if elapsed - last_report >= 2 or done == total:
                last_report = elapsed
                rate = done / elapsed if elapsed else 0.0
                say(f"persons {done}/{total} ({done * 100 // max(total, 1)}%) "
                    f"{elapsed:.0f}s, {rate:,.0f}/s")
    return done


def _insert_sql(table: str, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    # Identifiers come from the model's _meta and are quoted; values are parameters.
    names = ", ".join(map(quote, columns))
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608


@contextmanager
def _bulk_load(table: str, say: Progress) -> Iterator[None]:
    """On SQLite, drop the table's secondary indexes for the load and build them once after:
    keeping random-keyed indexes (the blind indexes) up to date row by row is most of the cost
    of a large load. An interrupted build leaves its marker at "building" and is rebuilt."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                       "AND tbl_name = %s AND sql IS NOT NULL", [table])
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        say(f"{table}: building {len(indexes)} indexes")
        with connection.cursor() as cursor:
            for _name, create in indexes:
                cursor.execute(create)
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

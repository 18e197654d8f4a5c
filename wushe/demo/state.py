"""Which demo the database holds, and emptying it for a rebuild.

The marker is a ``DemoBuild`` row in the same database, so it can never disagree with the
data. Its ``schema`` is the generator version plus the migration graph: a database built by
older code or for an older schema counts as a different demo and is rebuilt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from wushe.accounts.models import User
from wushe.core.errors import Conflict
from wushe.demo.models import DemoBuild
from wushe.regions.models import Region

# Bump when the generator's output changes, so existing demo databases are rebuilt.
GENERATOR_VERSION = 9  # 2: planner statistics on SQLite too; 3: TOTP for OTP roles; 4: the three administrators
# 5: organisations eliminated by the evaluation demo's 淘汰 decisions (through the service)
# 6: entrusted-processing agreements of the organisations that receive needs (#22 item 4)
# 7: the seed's missing mechanisms (#20): centre renovation, complexes, online campaigns, 自治金,
#    cadre adjustments, civilisation practice sites
# 8: the policy library, the seed text's figures behind #19's KPIs (disbursement aims, common
#    problems, organisations' participants), names encrypted at rest (#22)
# 9: activity up to the build day (the current year has data), the seed's hours, leverage and
#    enterprise donors exact, a second district admin, the approved KPI dictionary, one opening
#    balance awaiting approval (#19)


def schema_fingerprint() -> str:
    leaves = sorted(f"{app}.{name}" for app, name in MigrationLoader(None).graph.leaf_nodes())
    digest = hashlib.sha256("\n".join(leaves).encode()).hexdigest()[:16]
    return f"g{GENERATOR_VERSION}-{digest}"


@dataclass(frozen=True)
class Decision:
    build: bool
    wipe: bool
    reason: str


def current_build() -> DemoBuild | None:
    return DemoBuild.objects.first()


def decide(*, profile: str, seed: int, rebuild: bool) -> Decision:
    """Build, rebuild or reuse? Never erase data that no demo build put there without --rebuild."""
    marker = current_build()
    has_data = Region.objects.unscoped(reason="demo: builds the whole district").exists() or User.objects.exists()
    if marker is None:
        if not has_data:
            return Decision(True, False, "empty database")
        if rebuild:
            return Decision(True, True, "--rebuild over data that is not a demo")
        raise Conflict(
            "数据库中已有非演示数据;如确认要清空,请加 --rebuild,或通过 WUSHE_DATA_DIR/DATABASE_URL "
            "指定一个新的数据库",
            "The database holds data that no demo build wrote; pass --rebuild to erase it, or point "
            "WUSHE_DATA_DIR/DATABASE_URL at a fresh database",
            code="not_a_demo_database",
        )
    same = (marker.profile, marker.seed, marker.schema) == (profile, seed, schema_fingerprint())
    if rebuild:
        return Decision(True, True, "--rebuild")
    if marker.status != DemoBuild.Status.COMPLETE:
        return Decision(True, True, "previous build did not finish")
    if same:
        return Decision(False, False, f"already holds demo {profile}/seed {seed}")
    return Decision(True, True, f"holds demo {marker.profile}/seed {marker.seed} "
                                f"(schema {marker.schema}), not {profile}/seed {seed}")


def start_marker(*, profile: str, seed: int) -> DemoBuild:
    return DemoBuild.objects.create(profile=profile, seed=seed, schema=schema_fingerprint(),
                                    started_at=timezone.now())


def finish_marker(marker: DemoBuild, *, persons: int, seconds: float) -> None:
    marker.status = DemoBuild.Status.COMPLETE
    marker.finished_at = timezone.now()
    marker.persons = persons
    marker.seconds = round(seconds, 2)
    marker.save()


def sqlite_file() -> Path | None:
    db = settings.DATABASES["default"]
    if connection.vendor != "sqlite":
        return None
    name = str(db["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def wipe() -> str:
    """Empty the database for a rebuild and migrate it again.

    The audit tables refuse DELETE by trigger (they are append-only), so a row-by-row flush is
    impossible by design. SQLite: the file is removed and created afresh. PostgreSQL: TRUNCATE
    does not fire row-level triggers, so ``flush`` works. Anything else: refuse.
    A database that is not a demo's keeps its audit events younger than 180 days: refused.
    """
    from wushe.audit.retention import guard_wipe

    guard_wipe(is_demo_database=current_build() is not None)
    path = sqlite_file()
    if path is not None:
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        how = f"removed {path}"
    elif connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        how = "flushed (TRUNCATE) the PostgreSQL database"
    else:
        raise Conflict(
            "无法清空该数据库,请指定一个新的数据库后重试",
            f"Cannot empty a {connection.vendor} database; use a fresh database",
            code="cannot_wipe",
        )
    ContentType.objects.clear_cache()
    call_command("migrate", interactive=False, verbosity=0)
    return how

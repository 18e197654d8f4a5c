"""Point-in-time recovery on PostgreSQL, following docs/backup.md step by step on a throwaway
cluster of Debian's PostgreSQL 15 (#18 item 1): WAL archiving with the documented
archive_command, a pg_basebackup, rows committed before and after a moment, the primary
killed, the base backup restored with restore_command and recovery_target_time: exactly the
rows committed before the moment are back."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wushe.core.tests.procs import free_port, wait_for

PG_BIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = pytest.mark.skipif(not (PG_BIN / "initdb").exists(),
                                reason="PostgreSQL 15 server binaries are not installed")


class Cluster:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def run(self, tool: str, *args: str, check: bool = True, timeout: int = 120) -> str:
        argv = [str(PG_BIN / tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,  # noqa: S603
                              check=False)
        if check:
            assert done.returncode == 0, f"{tool}: {done.stdout}{done.stderr}"
        return done.stdout.strip()

    def start(self, data: Path, log: Path) -> None:
        """pg_ctl start, waiting up to 5 minutes (a loaded CI machine; the default is 60 s); a
        failure shows the server's own log, which says why."""
        done = self.run("pg_ctl", "-D", str(data), "-w", "-t", "300", "-l", str(log), "start",
                        check=False, timeout=330)
        if self.run("pg_ctl", "-D", str(data), "status", check=False).find("server is running") < 0:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
            raise AssertionError(f"pg_ctl start failed: {done}\n{tail}")

    def sql(self, port: int, query: str) -> str:
        return self.run("psql", "-X", "-At", "-h", str(self.root), "-p", str(port), "-U", "postgres",
                        "-d", "postgres", "-c", query)

    def own(self, path: Path) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            for p in [path, *path.rglob("*")]:
                os.chown(p, entry.pw_uid, entry.pw_gid)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="wushe-pitr-"))
    (root / "wal").mkdir(mode=0o700)
    c = Cluster(root)
    c.own(root)
    try:
        yield c
    finally:
        for data in ("primary", "restored"):
            if (root / data / "postmaster.pid").exists():
                c.run("pg_ctl", "-D", str(root / data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(root, ignore_errors=True)


def test_restore_to_a_point_in_time_recovers_exactly_the_rows_committed_before(
        cluster: Cluster) -> None:
    root, wal = cluster.root, cluster.root / "wal"
    primary, base, restored = root / "primary", root / "base", root / "restored"
    cluster.run("initdb", "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync")
    port = free_port()
    with (primary / "postgresql.conf").open("a") as conf:  # docs/backup.md, step 1
        conf.write(f"port = {port}\nlisten_addresses = ''\nunix_socket_directories = '{root}'\n"
                   "wal_level = replica\narchive_mode = on\n"
                   f"archive_command = 'test ! -f {wal}/%f && cp %p {wal}/%f'\nfsync = off\n")
    cluster.start(primary, root / "primary.log")
    cluster.sql(port, "CREATE TABLE donation (id serial PRIMARY KEY, phase text NOT NULL)")
    cluster.run("pg_basebackup", "-h", str(root), "-p", str(port), "-U", "postgres",  # step 2
                "-D", str(base), "-X", "stream", "-c", "fast")
    cluster.sql(port, "INSERT INTO donation (phase) SELECT 'before' FROM generate_series(1, 100)")
    moment = cluster.sql(port, "SELECT clock_timestamp()")
    time.sleep(1.0)
    cluster.sql(port, "INSERT INTO donation (phase) SELECT 'after' FROM generate_series(1, 50)")
    segment = cluster.sql(port, "SELECT pg_walfile_name(pg_switch_wal())")
    # Archived means archive_command returned (pg_stat_archiver), not that the file exists: cp
    # creates it before it has copied it, and a half-copied segment ends the recovery early.
    wait_for(lambda: cluster.sql(port, "SELECT last_archived_wal FROM pg_stat_archiver")
             == segment, 60, "the WAL segment to be archived")
    # The primary dies.
    cluster.run("pg_ctl", "-D", str(primary), "-m", "immediate", "stop")
    # Step 3: the base backup in an empty directory, restore_command and the target time.
    shutil.copytree(base, restored)
    restored.chmod(0o700)
    port2 = free_port()
    with (restored / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {port2}\narchive_mode = off\n"
                   f"restore_command = 'cp {wal}/%f %p'\n"
                   f"recovery_target_time = '{moment}'\nrecovery_target_action = 'promote'\n")
    (restored / "recovery.signal").touch()
    cluster.own(restored)
    cluster.start(restored, root / "restored.log")
    wait_for(lambda: cluster.sql(port2, "SELECT pg_is_in_recovery()") == "f", 60,
             "the restored cluster to promote")
    counts = cluster.sql(port2, "SELECT phase, count(*) FROM donation GROUP BY phase ORDER BY 1")
    assert counts == "before|100"
    # Promoted: it takes writes again.
    cluster.sql(port2, "INSERT INTO donation (phase) VALUES ('new')")

"""Throwaway PostgreSQL clusters from Debian's server binaries, for tests and benches (#18).

``initdb`` into a temporary directory, started with ``pg_ctl`` on 127.0.0.1 and a free port
(trust authentication, reachable only from this machine), stopped and deleted at the end.
Run as the ``postgres`` user when we are root (PostgreSQL refuses to run as root).

    with TempCluster.create(prefix="wushe-bench-") as pg:
        pg.sql("CREATE DATABASE wushe")
        url = pg.url("wushe")
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess  # noqa: S404 (runs PostgreSQL's own tools)
import tempfile
from pathlib import Path
from types import TracebackType

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"


def pg_bin() -> Path:
    """Where the server binaries are: WUSHE_PG_BIN, else Debian's PostgreSQL 15."""
    return Path(os.environ.get("WUSHE_PG_BIN") or DEFAULT_PG_BIN)


def available() -> bool:
    """PostgreSQL's server binaries are installed (and, as root, its user exists)."""
    if not (pg_bin() / "initdb").exists() or not (pg_bin() / "pg_ctl").exists():
        return False
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempCluster:
    """One cluster in ``root/data``; its socket and log in ``root``."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.data = root / "data"
        self.port = port
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    @classmethod
    def create(cls, *, prefix: str = "wushe-pg-", conf: str = "") -> TempCluster:
        """initdb and start; ``conf`` lines are appended to postgresql.conf."""
        root = Path(tempfile.mkdtemp(prefix=prefix))
        cluster = cls(root, free_port())
        try:
            cluster._own(root)
            cluster.run("initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres",
                        "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")
            with (cluster.data / "postgresql.conf").open("a") as fh:
                fh.write(f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
                         f"unix_socket_directories = '{root}'\n{conf}\n")
            cluster.start()
        except BaseException:
            cluster.destroy()
            raise
        return cluster

    def _own(self, path: Path) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            for p in [path, *path.rglob("*")]:
                os.chown(p, entry.pw_uid, entry.pw_gid)

    def run(self, tool: str, *args: str, check: bool = True) -> str:
        argv = [str(pg_bin() / tool), *args]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=180,  # noqa: S603
                              check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout[-1500:]}{done.stderr[-1500:]}")
        return done.stdout.strip()

    def sql(self, query: str, *, db: str = "postgres") -> str:
        return self.run("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", str(self.root),
                        "-p", str(self.port), "-U", "postgres", "-d", db, "-c", query)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l",
                 str(self.root / "server.log"), "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def reload(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "reload")

    def url(self, db: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TempCluster:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.destroy()

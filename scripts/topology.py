"""The deployment topology of #18, on one machine (scripts/topology-test.sh runs this).

Started from Debian's packages, everything on 127.0.0.1 under one temporary directory:

* a PostgreSQL 15 primary and a synchronous standby made with ``pg_basebackup -R`` (the
  standby's walreceiver is named ``standby1`` by its cluster_name; the primary has
  ``synchronous_standby_names = 'standby1'`` and ``synchronous_commit = on``);
* Redis for the task queue (WUSHE_TASKS_URL) and the cache (WUSHE_CACHE_URL);
* ``wushe migrate`` and the ``small`` demo district on the primary;
* two gunicorn servers (2 workers each) behind nginx, one ``wushe worker``, ``wushe scheduler``;
  the app connects with the multi-host DATABASE_URL (target_session_attrs=read-write) and reads
  reports from DATABASE_REPLICA_URL (the standby).

Then, in order:

1. the cockpit (``GET /api/v1/reports/cockpit`` as the district administrator) read 20 times
   while both servers log their statements: ``topology_replica_read_share`` = the web servers'
   statements in that window served by the standby / all their statements in it (the servers
   are told apart by the connection's application_name, so the worker and the scheduler, which
   keep running, are not counted);
2. 2,000 public intakes through nginx, 16 at a time (threads, urllib), each with its own
   Idempotency-Key; a failed attempt (no answer, 5xx) is sent again with the same key, at most
   three more times, as the public form does when a resident presses submit again. After 25 %
   of them one app server is killed (SIGKILL to its process group) and started again; after
   50 % the primary is stopped immediately and the standby promoted (``pg_ctl promote``); the
   app servers find the new primary through the multi-host URL by themselves.
   ``topology_intake_acknowledged`` = intakes answered 2xx / 2,000; ``topology_intake_lost`` =
   acknowledged tracking codes missing on the new primary; ``topology_failover_seconds`` = from
   the primary's stop to the first intake acknowledged that was sent after it;
3. a 50,000-row volunteer roster (.xlsx) imported through ``POST /api/v1/volunteers/import``;
   while it writes, the worker is killed (SIGKILL to the supervisor; its child and work horse die
   with it) and started again. Once the job is reported interrupted, the rows it left are
   counted (``topology_import_partial_rows``, must be 0: the import is one transaction); then it
   is run again (``importjobs.job_retry``, as the job page's button does) and must bring all
   50,000 rows.

One JSON object is printed on stdout; the exit status is 1 when a target fails. Progress goes to
stderr; the processes' logs stay in the directory when ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess  # noqa: S404 (this script runs the servers it tests)
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
REDIS = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")

INTAKES = 2_000
CONCURRENCY = 16
IMPORT_ROWS = 50_000
COCKPIT_READS = 20
SEED = 2026
DB_USER, DB_PASSWORD, DB_NAME = "wushe", "wushe-topology", "wushe"
# While the database is built (migrate, the demo district), before the standby exists: no
# standby to wait for, and no fsync (a crash then fails the run anyway). Dropped before the
# base backup is taken, so everything measured runs with deploy/postgresql/primary.conf's
# durability (synchronous_commit = on, a synchronous standby, fsync).
BOOTSTRAP = ("synchronous_standby_names = ''  # topology bootstrap\n"
             "fsync = off  # topology bootstrap\n")
ID_PREFIX = "370102"  # not a prefix the demo's persons use: every roster row is a new person


def say(msg: str) -> None:
    print(f"[topology {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def fill(text: str, values: dict[str, str]) -> str:
    """A deploy/ file with its @PLACEHOLDERS@ filled in; one left over is an error."""
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise RuntimeError(f"unfilled placeholders: {sorted(set(left))}")
    return text


def deploy_primary_conf(wal: Path) -> str:
    """deploy/postgresql/primary.conf for this machine: loopback, the WAL archive in ``wal``,
    the standby named standby1."""
    return fill((ROOT / "deploy/postgresql/primary.conf").read_text(), {
        "LISTEN_ADDRESSES": "127.0.0.1", "WAL_DIR": str(wal), "STANDBY_NAME": "standby1"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001, S110  (not up yet)
            pass
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


class Topology:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.logs: dict[str, Any] = {}
        self.ports = {name: free_port() for name in ("pg1", "pg2", "redis", "web1", "web2",
                                                     "public", "public_http", "staff",
                                                     "staff_http")}
        self.primary, self.standby = root / "pg-primary", root / "pg-standby"
        self.data = root / "data"
        self.pg_user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self.multi_host = True
        self.tls: ssl.SSLContext | None = None

    # --- processes ------------------------------------------------------------------------
    def _record_pids(self) -> None:
        """For the shell script's trap: every process group this run started."""
        pids = [str(p.pid) for p in self.procs.values() if p.poll() is None]
        (self.root / "pids").write_text("\n".join(pids) + "\n")

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        log = self.logs.get(name) or (self.root / "logs" / f"{name}.log").open("ab")
        self.logs[name] = log
        self.procs[name] = subprocess.Popen(  # noqa: S603
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        self._record_pids()

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
        self._record_pids()

    def stop_all(self) -> None:
        for name in list(self.procs):
            proc = self.procs[name]
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for name, proc in list(self.procs.items()):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(name)
        self.procs.clear()
        for cluster in (self.primary, self.standby):
            if (cluster / "postmaster.pid").exists():
                self.pg("pg_ctl", "-D", str(cluster), "-m", "immediate", "stop", check=False)
        for log in self.logs.values():
            log.close()

    # --- PostgreSQL -----------------------------------------------------------------------
    def pg(self, tool: str, *args: str, check: bool = True, timeout: float = 120) -> str:
        argv = [str(PG_BIN / tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,  # noqa: S603
                              check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout.strip()

    def sql(self, port_name: str, query: str, db: str = "postgres") -> str:
        return self.pg("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                       "-p", str(self.ports[port_name]), "-U", "postgres", "-d", db, "-c", query)

    def own(self, path: Path) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            for p in [path, *path.rglob("*")]:
                os.chown(p, entry.pw_uid, entry.pw_gid)

    def start_postgres(self) -> None:
        pgroot = self.root / "pg"
        pgroot.mkdir(mode=0o700)
        self.own(pgroot)
        self.primary = pgroot / "primary"
        self.standby = pgroot / "standby"
        self.pg("initdb", "-D", str(self.primary), "-A", "trust", "-U", "postgres", "--no-sync",
                "-E", "UTF8", "--locale", "C.UTF-8")
        # deploy/postgresql/primary.conf, its placeholders filled in, then what a throwaway
        # cluster on one machine changes (port, socket, no TLS on loopback).
        wal = pgroot / "wal"
        wal.mkdir(mode=0o700)
        primary_conf = pgroot / "primary.conf"
        primary_conf.write_text(deploy_primary_conf(wal))
        self.own(pgroot)
        with (self.primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"include '{primary_conf}'\n"
                f"port = {self.ports['pg1']}\nunix_socket_directories = '{pgroot}'\n"
                "ssl = off\nmax_connections = 100\nshared_buffers = 128MB\n"
                "log_line_prefix = '%m [%p] %a: '\nlog_statement = 'none'\n"
                f"{BOOTSTRAP}")
        self.pg("pg_ctl", "-D", str(self.primary), "-w", "-l",
                str(self.pg_log("primary")), "start")
        self.sql("pg1", f"CREATE ROLE {DB_USER} LOGIN CREATEDB PASSWORD '{DB_PASSWORD}'")
        self.sql("pg1", f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}")

    def start_standby(self) -> None:
        """The primary made durable (its bootstrap settings dropped, a checkpoint), then the
        standby from a base backup; from here on every commit waits for the standby."""
        conf = self.primary / "postgresql.conf"
        conf.write_text(conf.read_text().replace(BOOTSTRAP, ""))
        self.sql("pg1", "SELECT pg_reload_conf()")
        time.sleep(0.5)  # the checkpointer reads the reload before the checkpoint below
        self.sql("pg1", "CHECKPOINT")
        # The standby: a base backup with its recovery settings (-R) and a slot, named standby1
        # (its walreceiver's application_name is its cluster_name); it must not itself wait
        # for a synchronous standby once promoted, nor keep the primary's port.
        self.pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.ports["pg1"]), "-U", "postgres",
                "-D", str(self.standby), "-X", "stream", "-R", "-C", "-S", "standby1",
                "-c", "fast")
        with (self.standby / "postgresql.conf").open("a") as standby_conf:
            standby_conf.write(f"port = {self.ports['pg2']}\ncluster_name = 'standby1'\n"
                       "synchronous_standby_names = ''\n")
        self.pg("pg_ctl", "-D", str(self.standby), "-w", "-l",
                str(self.pg_log("standby")), "start")
        wait_for(lambda: self.sql("pg1", "SELECT sync_state FROM pg_stat_replication "
                                         "WHERE application_name = 'standby1'") == "sync",
                 60, "the standby to stream synchronously")

    def pg_log(self, cluster: str) -> Path:
        return self.root / "pg" / f"{cluster}.log"  # the postgres user writes it

    def set_statement_logging(self, on: bool) -> None:
        value = "all" if on else "none"
        for cluster, port in ((self.primary, "pg1"), (self.standby, "pg2")):
            with (cluster / "postgresql.conf").open("a") as conf:
                conf.write(f"log_statement = '{value}'\n")
            self.sql(port, "SELECT pg_reload_conf()")
        time.sleep(0.5)  # the backends pick the reload up at their next command

    # --- the application ------------------------------------------------------------------
    def db_url(self, app: str) -> str:
        return (f"postgres://{DB_USER}:{DB_PASSWORD}@127.0.0.1:{self.ports['pg1']},"
                f"127.0.0.1:{self.ports['pg2']}/{DB_NAME}"
                f"?target_session_attrs=read-write&application_name={app}")

    def env(self, app: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PG"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "WUSHE_DATA_DIR": str(self.data),
            "WUSHE_TASKS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "WUSHE_CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/1",
            # Raised (every intake comes from 127.0.0.1), still counted in Redis by both servers.
            "WUSHE_NEEDS_INTAKE_RATE": "100000/h",
            "WUSHE_DEBUG": "0",
            "WUSHE_WORKER_DEAD_SECONDS": "6",
            "WUSHE_TLS": "1",  # behind nginx's TLS (X-Forwarded-Proto)
            "WUSHE_TRUSTED_PROXIES": "1",
            "DATABASE_REPLICA_URL": (f"postgres://{DB_USER}:{DB_PASSWORD}@127.0.0.1:"
                                     f"{self.ports['pg2']}/{DB_NAME}?application_name={app}"),
        })
        if self.multi_host:
            env["DATABASE_URL"] = self.db_url(app)
        else:  # settings that cannot parse a multi-host URL: libpq's own variables, same hosts
            env.update({
                "DATABASE_URL": f"postgres://{DB_USER}:{DB_PASSWORD}@/{DB_NAME}"
                                f"?application_name={app}",
                "PGHOST": "127.0.0.1,127.0.0.1",
                "PGPORT": f"{self.ports['pg1']},{self.ports['pg2']}",
                "PGTARGETSESSIONATTRS": "read-write"})
        return env

    def wushe(self, *args: str, app: str = "wushe-admin", timeout: float = 600) -> str:
        done = subprocess.run([str(VENV_BIN / "wushe"), *args], env=self.env(app), cwd=ROOT,  # noqa: S603
                              capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"wushe {args[0]}: {done.stdout[-2000:]}{done.stderr[-4000:]}")
        return done.stdout

    def check_multi_host(self) -> None:
        """Whether the settings read the multi-host URL (#18 item 2); libpq's variables if not."""
        code = ("import os,django;django.setup();from django.conf import settings as s;"
                "d=s.DATABASES['default'];print(d['HOST'], d['PORT'])")
        done = subprocess.run([sys.executable, "-c", code], env=self.env("wushe-admin"),  # noqa: S603
                              cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0 or "," not in done.stdout:
            say("the settings do not read a multi-host DATABASE_URL: using PGHOST/PGPORT/"
                "PGTARGETSESSIONATTRS with the same two servers")
            self.multi_host = False

    def start_web(self, name: str) -> None:
        self.start(name, [str(VENV_BIN / "gunicorn"), "config.wsgi:application",
                          "-c", str(ROOT / "wushe/core/gunicorn_conf.py"),
                          "-b", f"127.0.0.1:{self.ports[name]}", "-w", "2",
                          "--graceful-timeout", "5", "--timeout", "120"],
                   env=self.env("wushe-web"))

    def web_ready(self, name: str) -> bool:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[name]}/healthz",  # noqa: S310
                                    timeout=2) as r:
            return bool(r.status == 200)

    def write_nginx(self) -> Path:
        """deploy/nginx's two surfaces, placeholders filled in, in front of both servers: the
        public one (intake) and the staff one (cockpit, import), each over TLS with a
        certificate made for 127.0.0.1 that the client trusts."""
        d = self.root / "nginx"
        conf_dir = d / "root" / "deploy" / "nginx"  # @WUSHE_ROOT@: the includes are read here
        conf_dir.mkdir(parents=True)
        cert, key = d / "cert.pem", d / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",  # noqa: S603, S607
                        "-keyout", str(key), "-out", str(cert), "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=60)
        upstreams = (f"server 127.0.0.1:{self.ports['web1']} max_fails=1 fail_timeout=2s; "
                     f"server 127.0.0.1:{self.ports['web2']} max_fails=1 fail_timeout=2s;")
        common = {"WUSHE_ROOT": str(d / "root"), "SERVER_NAME": "127.0.0.1",
                  "TLS_CERT": str(cert), "TLS_KEY": str(key), "UPSTREAMS": upstreams,
                  # nginx's first-line limit per address, raised: every client here is 127.0.0.1
                  "PUBLIC_RATE": "100000r/s"}
        for source in sorted((ROOT / "deploy" / "nginx").iterdir()):
            values = dict(common)
            surface = "public" if "public" in source.name else "staff"
            values["LISTEN"] = f"127.0.0.1:{self.ports[surface]}"
            values["HTTP_LISTEN"] = f"127.0.0.1:{self.ports[surface + '_http']}"
            text = fill(source.read_text(), values).replace("/var/log/nginx/", f"{d}/")
            (conf_dir / source.name).write_text(text)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        conf = d / "nginx.conf"
        conf.write_text(f"""{user}worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    include {conf_dir}/wushe-public.conf;
    include {conf_dir}/wushe-staff.conf;
}}
""")
        return conf

    def start_nginx(self) -> None:
        conf = self.write_nginx()
        d = conf.parent
        self.tls = ssl.create_default_context(cafile=str(d / "cert.pem"))
        self.start("nginx", [NGINX, "-p", str(d), "-c", str(conf), "-e", str(d / "error.log"),
                             "-g", "daemon off;"])
        wait_for(lambda: self.http("GET", "/healthz")[0] == 200, 30, "nginx")
        wait_for(lambda: self.http("GET", "/healthz", surface="staff")[0] == 200, 30, "nginx")

    def http(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None, timeout: float = 60,
             surface: str = "public") -> tuple[int, bytes]:
        base = f"https://127.0.0.1:{self.ports[surface]}"
        req = urllib.request.Request(f"{base}{path}", data=body, method=method,  # noqa: S310
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=self.tls) as r:  # noqa: S310
                return int(r.status), r.read()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read()
        except OSError:
            return 0, b""

    def up(self) -> None:
        (self.root / "logs").mkdir()
        self.data.mkdir(mode=0o700)
        say(f"PostgreSQL primary :{self.ports['pg1']}")
        self.start_postgres()
        self.start("redis", [REDIS, "--port", str(self.ports["redis"]), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(self.root)])
        self.check_multi_host()
        say("wushe migrate, then the small demo district on the primary")
        started = time.monotonic()
        self.wushe("migrate", "--no-input")
        self.wushe("demo", "--profile", "small", "--no-serve")
        say(f"database built in {time.monotonic() - started:.1f} s; synchronous standby "
            f":{self.ports['pg2']} from a base backup")
        self.start_standby()
        self.start_web("web1")
        self.start_web("web2")
        self.start("worker", [str(VENV_BIN / "wushe"), "worker"], env=self.env("wushe-worker"))
        self.start("scheduler", [str(VENV_BIN / "wushe"), "scheduler"],
                   env=self.env("wushe-scheduler"))
        for name in ("web1", "web2"):
            wait_for(lambda n=name: self.web_ready(n), 60, f"gunicorn {name}")  # type: ignore[misc]
        self.start_nginx()
        say(f"nginx: public surface https://127.0.0.1:{self.ports['public']}, staff "
            f"https://127.0.0.1:{self.ports['staff']}, in front of :{self.ports['web1']} and "
            f":{self.ports['web2']}")


# --- phase 1: the cockpit on the standby --------------------------------------------------
def _statements(log: Path, offset: int, app: str) -> int:
    with log.open("rb") as fh:
        fh.seek(offset)
        text = fh.read().decode("utf-8", "replace")
    tag = f" {app}: "
    return sum(1 for line in text.splitlines()
               if tag in line and ("LOG:  statement:" in line or "LOG:  execute" in line))


def cockpit_phase(t: Topology, token: str) -> dict[str, Any]:
    primary_log, standby_log = t.pg_log("primary"), t.pg_log("standby")
    headers = {"Authorization": f"Bearer {token}"}
    def cockpit() -> int:
        return t.http("GET", "/api/v1/reports/cockpit", headers=headers, surface="staff")[0]

    status = cockpit()  # warm both servers
    if status != 200:
        raise RuntimeError(f"the cockpit answered {status}")
    cockpit()
    t.set_statement_logging(True)
    offsets = (primary_log.stat().st_size, standby_log.stat().st_size)
    statuses = []
    for _ in range(COCKPIT_READS):
        statuses.append(cockpit())
    time.sleep(0.5)
    t.set_statement_logging(False)
    on_primary = _statements(primary_log, offsets[0], "wushe-web")
    on_standby = _statements(standby_log, offsets[1], "wushe-web")
    total = on_primary + on_standby
    say(f"cockpit: {COCKPIT_READS} reads ({statuses.count(200)} × 200), web statements: "
        f"{on_standby} on the standby, {on_primary} on the primary")
    return {"topology_replica_read_share": round(on_standby / total, 3) if total else 0.0,
            "topology_cockpit_statements_standby": on_standby,
            "topology_cockpit_statements_primary": on_primary,
            "topology_cockpit_ok": statuses.count(200) == COCKPIT_READS}


# --- phase 2: intakes with an app server killed and the primary failing over -------------
def intake_phase(t: Topology) -> dict[str, Any]:
    rng = random.Random(SEED)
    communities = t.sql("pg1", "SELECT code FROM regions_region WHERE level = 'community' "
                               "ORDER BY code LIMIT 50", db=DB_NAME).split()
    payloads = [{"category": rng.choice(["temporary_relief", "legal_aid", "counselling",
                                         "elderly_care", "other"]),
                 "description": f"拓扑测试诉求 {i}", "community": rng.choice(communities),
                 "contact_name": "测试居民", "contact_phone": f"139{i:08d}", "consent": True}
                for i in range(INTAKES)]
    keys = [f"topology-{uuid.UUID(int=rng.getrandbits(128))}" for _ in range(INTAKES)]
    marker = int(t.sql("pg1", "SELECT COALESCE(MAX(id), 0) FROM needs_need", db=DB_NAME))
    lock = threading.Lock()
    todo = iter(range(INTAKES))
    codes: dict[int, str] = {}
    attempts = {"sent": 0, "failed": 0, "retried": 0}
    ack_times: list[tuple[float, float]] = []  # (sent at, answered at) of each 2xx attempt
    finished = [0]
    first_try = [0]  # acknowledged without being sent again
    events: dict[str, float] = {}

    def one(i: int) -> None:
        body = json.dumps(payloads[i]).encode()
        for attempt in range(4):
            sent = time.monotonic()
            status, raw = t.http("POST", "/api/v1/public/needs", body,
                                 {"Content-Type": "application/json", "Idempotency-Key": keys[i]},
                                 timeout=60)
            with lock:
                attempts["sent"] += 1
                if 200 <= status < 300:
                    codes[i] = json.loads(raw)["tracking_code"]
                    first_try[0] += attempt == 0
                    ack_times.append((sent, time.monotonic()))
                    return
                attempts["failed"] += 1
                if attempt < 3:
                    attempts["retried"] += 1
            if 400 <= status < 500:
                return  # refused: sending it again would not help
            time.sleep(0.5 * 2 ** attempt)

    def worker() -> None:
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            one(i)
            with lock:
                finished[0] += 1

    def chaos() -> None:
        """One app server killed and restarted at 25 %; the primary stopped at 50 %, the
        standby promoted."""
        wait_for(lambda: finished[0] >= INTAKES // 4, 600, "a quarter of the intakes")
        say("killing app server web1 (SIGKILL)")
        t.kill("web1")
        time.sleep(2.0)
        t.start_web("web1")
        wait_for(lambda: t.web_ready("web1"), 60, "web1 again")
        say("web1 is back")
        wait_for(lambda: finished[0] >= INTAKES // 2, 600, "half of the intakes")
        say("stopping the primary (immediate), promoting the standby")
        events["primary_down"] = time.monotonic()
        t.pg("pg_ctl", "-D", str(t.primary), "-m", "immediate", "stop")
        t.pg("pg_ctl", "-D", str(t.standby), "-w", "promote")
        events["promoted"] = time.monotonic()

    say(f"{INTAKES} public intakes through nginx, {CONCURRENCY} at a time")
    chaos_thread = threading.Thread(target=chaos)
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.monotonic()
    chaos_thread.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.monotonic() - started
    chaos_thread.join(timeout=120)
    if "promoted" not in events:
        raise RuntimeError("the failover did not happen during the intakes")
    down = events["primary_down"]
    after = [answered for sent, answered in ack_times if sent >= down]
    failover = round(min(after) - down, 2) if after else None
    # Every acknowledged tracking code, looked up on the new primary (the old one is gone).
    acked = sorted(set(codes.values()))
    safe = [c for c in acked if c.isascii() and c.replace("-", "").isalnum()]  # else: missing
    found = 0
    for chunk in range(0, len(safe), 500):
        listed = ",".join(f"'{c}'" for c in safe[chunk:chunk + 500])  # letters, digits, '-'
        found += int(t.sql("pg2", f"SELECT count(*) FROM needs_need WHERE "  # noqa: S608
                                  f"tracking_code IN ({listed})", db=DB_NAME))
    # Online needs above the highest id before the run (descriptions are encrypted): the
    # rows the run wrote, acknowledged or not.
    stored = int(t.sql("pg2", f"SELECT count(*) FROM needs_need WHERE id > {marker} "  # noqa: S608
                              "AND channel = 'online'", db=DB_NAME))
    say(f"intakes: {len(codes)} acknowledged of {INTAKES} in {wall:.1f} s, "
        f"{attempts['failed']} failed attempts, {stored} rows on the new primary")
    return {"topology_intake_rps": round(len(codes) / wall, 1),
            "topology_intake_acknowledged": round(len(codes) / INTAKES, 4),
            "topology_intake_lost": len(acked) - found,
            "topology_intake_rows": stored,
            "topology_intake_acknowledged_first_attempt": round(first_try[0] / INTAKES, 4),
            "topology_intake_attempts": attempts["sent"],
            "topology_intake_failed_attempts": attempts["failed"],
            "topology_failover_seconds": failover,
            "topology_promote_seconds": round(events["promoted"] - down, 2)}


# --- phase 3: an import during which the worker dies ---------------------------------------
def write_roster(t: Topology, target: Path, rows: int) -> None:
    """A roster of ``rows`` new volunteers over the demo's squads, as the volunteers bench
    writes one (an .xlsx with its shared-string table, as Excel saves it)."""
    from wushe.core.ids import id_check_digit
    from wushe.volunteers.bench import ROSTER_HEADERS, ROSTER_TITLE, write_xlsx

    squads = [line.split("|") for line in t.sql(
        "pg2", "SELECT t.path, r.code FROM volunteers_team t JOIN regions_region r "
               "ON r.id = t.region_id WHERE t.level = 'squad' ORDER BY t.path",
        db=DB_NAME).splitlines()]
    surnames, given = "陈李张刘王杨黄周何吴罗唐谭赵徐胡邓曾彭蒋", "伟芳娟敏静丽强磊军洋勇艳杰娜涛明超秀霞平"
    rng = random.Random(SEED)
    data: list[list[Any]] = [[ROSTER_TITLE], ROSTER_HEADERS]
    for n in range(rows):
        day, seq = divmod(n, 1000)
        born = f"{1950 + day // 336:04d}{(day % 336) // 28 + 1:02d}{day % 28 + 1:02d}"
        first17 = f"{ID_PREFIX}{born}{seq:03d}"
        team, community = squads[rng.randrange(len(squads))]
        name = surnames[n % 20] + given[(n // 20) % 20] + given[(n // 400) % 20]
        data.append([n + 1, name, first17 + id_check_digit(first17), f"138{n:08d}", community,
                     team, "急救、摄影", "助老、上门慰问", "周末", "2024-05-01"])
    write_xlsx(data, target)


def _multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = f"topology{uuid.uuid4().hex}"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: application/vnd.openxmlformats-"
            "officedocument.spreadsheetml.sheet\r\n\r\n").encode() + content + \
        f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def import_phase(t: Topology, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    sheet = t.root / "roster.xlsx"
    write_roster(t, sheet, IMPORT_ROWS)
    count = "SELECT (SELECT count(*) FROM volunteers_volunteer), (SELECT count(*) FROM people_person)"
    before = t.sql("pg2", count, db=DB_NAME)
    body, ctype = _multipart("file", "roster.xlsx", sheet.read_bytes())
    say(f"importing {IMPORT_ROWS} volunteers ({len(body) // 1024} KiB)")
    status, raw = t.http("POST", "/api/v1/volunteers/import", body,
                         {**headers, "Content-Type": ctype}, timeout=120, surface="staff")
    if status != 202:
        raise RuntimeError(f"the import was refused: {status} {raw[:500]!r}")
    job_id = json.loads(raw)["id"]

    def state() -> dict[str, Any]:
        code, raw = t.http("GET", f"/api/v1/volunteers/import/{job_id}", headers=headers,
                           surface="staff")
        if code != 200:
            raise RuntimeError(f"the job's state: {code}")
        return dict(json.loads(raw))

    wait_for(lambda: state().get("phase") == "writing" and int(state().get("done") or 0) >=
             IMPORT_ROWS // 5, 300, "the import to be writing")
    seen = state()
    # Proof that the kill lands inside the import's write transaction: the worker's backend
    # holds a transaction id (it has written rows not yet committed).
    writing = t.sql("pg2", "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                           "'wushe-worker' AND backend_xid IS NOT NULL", db=DB_NAME) != "0"
    say(f"killing the worker while the import writes (done {seen.get('done')}, "
        f"open write transaction: {writing})")
    t.kill("worker")
    killed = time.monotonic()
    t.start("worker", [str(VENV_BIN / "wushe"), "worker"], env=t.env("wushe-worker"))
    wait_for(lambda: state().get("status") == "failed", 120, "the job to be reported interrupted")
    failed = state()
    # The API's schema shows status and error; whether it may run again is in the job's file.
    job_dir = t.data / "jobs" / job_id
    kept = json.loads((job_dir / "state.json").read_text("utf-8"))
    failed["interrupted"] = bool(kept.get("interrupted"))
    failed["retryable"] = failed["interrupted"] and any(job_dir.glob("source*"))
    # The killed worker's connection: its transaction (the only one holding a transaction id)
    # ends when the server sees the client gone.
    wait_for(lambda: t.sql("pg2", "SELECT count(*) FROM pg_stat_activity WHERE application_name"
                                  " = 'wushe-worker' AND backend_xid IS NOT NULL",
                           db=DB_NAME) == "0", 60, "the killed worker's transaction to end")
    after_failure = t.sql("pg2", count, db=DB_NAME)
    b_vol, b_per = (int(x) for x in before.split("|"))
    f_vol, f_per = (int(x) for x in after_failure.split("|"))
    partial = (f_vol - b_vol) + (f_per - b_per)
    say(f"the job is {failed.get('status')} after {time.monotonic() - killed:.1f} s "
        f"(interrupted: {failed.get('interrupted')}, retryable: {failed.get('retryable')}); "
        f"rows left: {partial}")
    retried = False
    imported = 0
    if failed.get("retryable"):
        t.wushe("shell", "-c",
                "from wushe.accounts.models import User\nfrom wushe.core import importjobs\n"
                f"importjobs.job_retry(actor=User.objects.get(username='district_admin'), "
                f"job_id='{job_id}')", app="wushe-admin")
        retried = True
        wait_for(lambda: state().get("status") != "running", 600, "the retried import")
        done = state()
        final = t.sql("pg2", count, db=DB_NAME)
        imported = int(final.split("|")[0]) - b_vol
        say(f"retried: {done.get('status')}, {imported} volunteers imported")
    return {"topology_import_partial_rows": partial,
            "topology_import_interrupted": bool(failed.get("interrupted")),
            "topology_import_killed_mid_transaction": writing,
            "topology_import_retried_rows": imported if retried else None}


# The targets of #18 item 6: what must hold for the run to pass.
TARGETS: dict[str, Callable[[Any], bool]] = {
    "topology_intake_acknowledged": lambda v: isinstance(v, float | int) and v >= 0.95,
    "topology_intake_lost": lambda v: v == 0,
    "topology_import_partial_rows": lambda v: v == 0,
    "topology_failover_seconds": lambda v: isinstance(v, float | int),  # it did fail over
    "topology_import_retried_rows": lambda v: v == IMPORT_ROWS,  # the retry brought them all
}


def verdict(result: dict[str, Any]) -> list[str]:
    """The targets that ``result`` misses (a missing figure misses its target)."""
    return [f"{key} = {result.get(key)!r}" for key, ok in TARGETS.items()
            if key not in result or not ok(result[key])]


def token_for(t: Topology, username: str) -> str:
    out = t.wushe("shell", "-c",
                  "from wushe.accounts.models import User\nfrom wushe.accounts import services\n"
                  f"raw, _ = services.token_create(actor=User.objects.get(username='{username}'))"
                  "\nprint('TOKEN', raw)")
    return next(line.split()[1] for line in out.splitlines() if line.startswith("TOKEN "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", help="the working directory (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the directory and its logs")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.umask(0o077)
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="wushe-topology-"))
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o711)  # PostgreSQL's user and nginx's workers pass through; the parts are 0700
    t = Topology(root)
    result: dict[str, Any] = {}
    failures: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    try:
        t.up()
        token = token_for(t, "district_admin")
        result.update(cockpit_phase(t, token))
        result.update(intake_phase(t))
        result.update(import_phase(t, token))
    except (Exception, SystemExit) as exc:  # noqa: BLE001  (reported in the JSON, exit 1)
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        t.stop_all()
        result["topology_seconds"] = round(time.monotonic() - started, 1)
        result["topology_multi_host_url"] = t.multi_host
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            say(f"kept {root}")
    result["topology_failures"] = failures + verdict(result)
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
    return 1 if result["topology_failures"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""``wushe demo``: build the demo district (once) and serve the app on it, with one worker and
the scheduler beside the web server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess  # noqa: S404 (the demo supervises its own server)
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from wushe.core.errors import WusheError
from wushe.demo import state
from wushe.demo.build import ACCOUNTS_FILE, build_demo
from wushe.demo.profiles import DEFAULT_SEED, PROFILES


class Command(BaseCommand):
    help = "Build a deterministic demo district (九龙坡区) and serve the app on it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", choices=sorted(PROFILES), default="seed",
                            help="small (tests), seed (the seed text's scale), city (10 x seed)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--rebuild", action="store_true",
                            help="erase the database and build again even if it holds this demo")
        parser.add_argument("--no-serve", action="store_true", help="build only, do not serve")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        profile, seed = opts["profile"], opts["seed"]
        self._say("migrating the database …")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            decision = state.decide(profile=profile, seed=seed, rebuild=opts["rebuild"])
            if decision.build:
                if decision.wipe:
                    self._say(f"rebuilding: {decision.reason}; {state.wipe()}")
                self._build(profile, seed)
            else:
                self._say(f"demo up to date: {decision.reason} (use --rebuild to build again)")
        except WusheError as exc:
            raise CommandError(f"{exc.zh}\n{exc.en}") from None
        self._show_accounts()
        if not opts["no_serve"]:
            self._serve(opts["host"], opts["port"])

    def _say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def _build(self, profile: str, seed: int) -> None:
        started = time.perf_counter()
        marker = state.start_marker(profile=profile, seed=seed)
        self._say(f"building demo district: profile {profile}, seed {seed}")
        summary = build_demo(profile=profile, seed=seed, out_dir=Path(settings.DATA_DIR),
                             progress=self._say)
        seconds = time.perf_counter() - started
        state.finish_marker(marker, persons=summary.persons, seconds=seconds)
        self._say(f"built in {seconds:.1f}s: {summary.regions} regions, {summary.sites} sites, "
                  f"{summary.accounts} accounts, {summary.persons} persons")

    def _show_accounts(self) -> None:
        path = Path(settings.DATA_DIR) / ACCOUNTS_FILE
        if not path.exists():
            return
        rows = json.loads(path.read_text(encoding="utf-8"))
        width = max(len(r["username"]) for r in rows)
        lines = [f"演示账号 / demo accounts ({path}):"]
        lines += [f"  {r['username']:<{width}}  {r['password']}  {r['role']} @ {r['region_code']}"
                  for r in rows]
        self.stdout.write("\n".join(lines))

    def _serve(self, host: str, port: int) -> None:
        bind = f"{host}:{port}"
        self.stdout.write(f"serving on http://{bind}/  (Ctrl-C to stop)")
        self.stdout.flush()
        sys.stderr.flush()
        connections.close_all()
        bindir = Path(sys.executable).parent
        gunicorn = bindir / "gunicorn"
        if not gunicorn.exists():
            found = shutil.which("gunicorn")
            gunicorn = Path(found) if found else gunicorn
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        base = str(settings.BASE_DIR)
        if gunicorn.exists():
            # The access log through logging, identifiers masked, no query string (#22).
            conf = Path(__file__).resolve().parents[3] / "core" / "gunicorn_conf.py"
            argv = [str(gunicorn), "config.wsgi:application", "-b", bind, "-w", "2",
                    "--chdir", base, "-c", str(conf), "--access-logfile", "-"]
        else:
            self._say("gunicorn not found; falling back to Django's runserver")
            wushe = bindir / "wushe"
            argv = ([str(wushe)] if wushe.exists() else [sys.executable, "-m", "wushe.cli"]) + [
                "runserver", "--noreload", "--insecure", bind]
        self._supervise(argv)

    def _supervise(self, argv: list[str]) -> None:
        """Run the server, one worker and the scheduler as children: what a district runs as
        three systemd services. Ctrl-C (or SIGTERM) stops all three; when one of them ends the
        others are stopped too, and the exit code is the first one's."""
        bindir = Path(sys.executable).parent
        wushe = [str(bindir / "wushe")] if (bindir / "wushe").exists() else [
            sys.executable, "-m", "wushe.cli"]
        children = [subprocess.Popen(a)  # noqa: S603 (fixed programs, arguments as lists)
                    for a in (argv, [*wushe, "worker"], [*wushe, "scheduler"])]

        def stop(*_: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        first: int | None = None
        try:
            while first is None:
                first = next((c.returncode for c in children if c.poll() is not None), None)
                time.sleep(0.5)
        except KeyboardInterrupt:
            first = 0
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        raise SystemExit(first or 0)

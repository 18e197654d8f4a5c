"""The deployment a district follows (#18 item 5): docs/deploy.md names only files that exist,
deploy/wushe.env.example only settings the code reads, the systemd units parse and keep their
hardening, each nginx config passes ``nginx -t`` and refuses the back office on the public
surface, and ``wushe check --deploy`` is clean with production settings."""

from __future__ import annotations

import base64
import configparser
import http.server
import json
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from wushe.core.tests.procs import ROOT, free_port, wait_for

DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
PLACEHOLDER = re.compile(r"@[A-Z_]+@")
HARDENING = ("User=wushe", "UMask=0077", "NoNewPrivileges=yes", "PrivateTmp=yes",
             "ProtectSystem=strict", "ReadWritePaths=@DATA_DIR@",
             "EnvironmentFile=/etc/wushe/wushe.env")


def render(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = PLACEHOLDER.findall(text)
    assert not left, f"placeholders left: {left}"
    return text


# --- docs/deploy.md -------------------------------------------------------------------------------

def test_every_path_the_deploy_doc_names_exists() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    named = {m.rstrip(".,:;)") for m in re.findall(
        r"(?<![\w/.-])((?:deploy|docs|scripts|wushe|config)/[\w./@-]*[\w@])", text)}
    assert len(named) >= 15, named  # the doc points at the files, it does not paraphrase them
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, missing


def test_the_deploy_doc_is_chinese_first_then_english() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    english = text.index("# Deploying wushe")
    assert re.search(r"[\u4e00-\u9fff]", text[:200])
    assert english > len(text) // 3  # the Chinese half comes first and is not a stub


# --- deploy/wushe.env.example -----------------------------------------------------------------------

def _read_names() -> set[str]:
    """Every quoted upper-case name in the code's settings and modules (not the tests)."""
    names: set[str] = set()
    for base in (ROOT / "config", ROOT / "wushe"):
        for path in base.rglob("*.py"):
            if "tests" in path.parts:
                continue
            names.update(re.findall(r"[\"']([A-Z][A-Z0-9_]+)[\"']", path.read_text()))
    return names


def test_every_setting_of_the_env_example_is_read_by_the_code() -> None:
    lines = (DEPLOY / "wushe.env.example").read_text().splitlines()
    settings = {m.group(1) for line in lines
                if (m := re.match(r"#?([A-Z][A-Z0-9_]+)=", line.strip()))}
    for needed in ("DATABASE_URL", "WUSHE_TASKS_URL", "WUSHE_CACHE_URL", "WUSHE_SECRET_KEY",
                   "WUSHE_PII_KEYS", "WUSHE_BLIND_INDEX_KEY", "WUSHE_SURFACE", "WUSHE_TLS",
                   "WUSHE_TRUSTED_PROXIES", "WUSHE_METRICS_ALLOW", "WUSHE_LOG_FORMAT",
                   "WUSHE_SMS_BACKEND", "WUSHE_ALLOWED_HOSTS"):
        assert needed in settings, needed
    unread = sorted(settings - _read_names())
    assert not unread, f"settings no code reads: {unread}"


def test_the_env_example_database_url_lists_both_servers_and_wants_the_writable_one() -> None:
    text = (DEPLOY / "wushe.env.example").read_text()
    url = re.search(r"^DATABASE_URL=(\S+)$", text, re.M)
    assert url
    assert re.search(r"@[^/@]+:\d+,[^/@]+:\d+/", url.group(1))
    assert "target_session_attrs=read-write" in url.group(1)


# --- systemd --------------------------------------------------------------------------------------

UNITS = ("wushe-web@.service", "wushe-worker.service", "wushe-scheduler.service",
         "wushe-basebackup.service", "wushe-basebackup.timer")


def _unit_values(tmp_path: Path) -> dict[str, str]:
    return {"WUSHE_ROOT": str(ROOT), "DATA_DIR": str(tmp_path / "data"), "BIND": "127.0.0.1",
            "BASE_DIR": str(tmp_path / "base"), "WAL_DIR": str(tmp_path / "wal")}


@pytest.fixture
def units(tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "units"
    out.mkdir()
    rendered = {}
    for name in UNITS:
        text = render((DEPLOY / "systemd" / name).read_text(), _unit_values(tmp_path))
        target = out / name.replace("@.", "@8001.")  # an instance of the template
        target.write_text(text)
        rendered[name] = target
    return rendered


def test_every_unit_has_its_sections_and_runs_from_the_venv(units: dict[str, Path]) -> None:
    for name, path in units.items():
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(path)
        assert {"Unit", "Install"} <= set(parser.sections()), name
        if name.endswith(".timer"):
            assert parser["Timer"]["OnCalendar"] and parser["Timer"]["Persistent"] == "true"
            continue
        exec_start = parser["Service"]["ExecStart"].split()
        if name.startswith(("wushe-web", "wushe-worker", "wushe-scheduler")):
            assert exec_start[0] in {f"{ROOT}/.venv/bin/wushe", f"{ROOT}/.venv/bin/gunicorn"}
            assert Path(exec_start[0]).name == "gunicorn" or exec_start[1] in {"worker",
                                                                              "scheduler"}
    web = units["wushe-web@.service"].read_text()
    assert f"-c {ROOT}/wushe/core/gunicorn_conf.py" in web and "--bind 127.0.0.1:%i" in web


def test_the_app_services_keep_their_hardening() -> None:
    for name in ("wushe-web@.service", "wushe-worker.service", "wushe-scheduler.service"):
        lines = (DEPLOY / "systemd" / name).read_text().splitlines()
        for option in HARDENING:
            assert option in lines, (name, option)


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_every_unit(units: dict[str, Path]) -> None:
    paths = [str(p) for p in units.values()]
    done = subprocess.run([str(SYSTEMD_ANALYZE), "verify", *paths], capture_output=True,
                          text=True, timeout=120)
    complaints = [line for line in done.stderr.splitlines()
                  if any(p in line for p in paths) or "Unknown" in line or "bad" in line]
    assert done.returncode == 0 and not complaints, done.stderr


def test_the_base_backup_script_is_valid_shell() -> None:
    script = DEPLOY / "postgresql" / "wushe-basebackup.sh"
    assert subprocess.run(["sh", "-n", str(script)], timeout=30).returncode == 0


# --- nginx ----------------------------------------------------------------------------------------

needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def _nginx_tree(tmp_path: Path, surface: str, upstream_port: int, listen: int) -> Path:
    """deploy/nginx rendered into tmp_path (the includes under a copy of the checkout's
    path) and a top-level nginx.conf that includes the surface's config."""
    root = tmp_path / "root"
    (root / "deploy" / "nginx").mkdir(parents=True)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    values = {"WUSHE_ROOT": str(root), "SERVER_NAME": "localhost",
              "LISTEN": f"127.0.0.1:{listen}", "HTTP_LISTEN": f"127.0.0.1:{free_port()}",
              "TLS_CERT": str(cert), "TLS_KEY": str(key), "PUBLIC_RATE": "100r/s",
              "UPSTREAMS": f"server 127.0.0.1:{upstream_port};"}
    for inc in (DEPLOY / "nginx").glob("*.inc"):
        (root / "deploy" / "nginx" / inc.name).write_text(render(inc.read_text(), values))
    conf = render((DEPLOY / "nginx" / f"wushe-{surface}.conf").read_text(), values)
    conf = conf.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / f"wushe-{surface}.conf").write_text(conf)
    top = tmp_path / "nginx.conf"
    top.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
                   "daemon off;\nevents {}\nhttp {\n"
                   f"    access_log {tmp_path}/default-access.log;\n"
                   f"    include {tmp_path}/wushe-{surface}.conf;\n}}\n")
    return top


@needs_nginx
@pytest.mark.parametrize("surface", ["public", "staff"])
def test_nginx_accepts_each_config(tmp_path: Path, surface: str) -> None:
    top = _nginx_tree(tmp_path, surface, free_port(), free_port())
    done = subprocess.run([str(NGINX), "-t", "-p", str(tmp_path), "-c", str(top)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


class _Echo(http.server.BaseHTTPRequestHandler):
    """The upstream: answers every request with its path and the proxy's headers."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = "\n".join([self.path, *(f"{k}: {v}" for k, v in self.headers.items())]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def public_nginx(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    listen = free_port()
    top = _nginx_tree(tmp_path, "public", upstream.server_address[1], listen)
    proc = subprocess.Popen([str(NGINX), "-p", str(tmp_path), "-c", str(top)],
                            stderr=subprocess.PIPE)
    try:
        wait_for(lambda: (tmp_path / "nginx.pid").exists(), 20, "nginx")
        yield f"https://127.0.0.1:{listen}", tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        upstream.shutdown()


def _get(url: str, **headers: str) -> tuple[int, str]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (https only)
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@needs_nginx
def test_public_nginx_refuses_the_back_office_and_passes_the_residents_pages(
        public_nginx: tuple[str, Path]) -> None:
    base, logs = public_nginx
    wait_for(lambda: _get(base + "/healthz")[0] == 200, 20, "nginx to answer")
    for path in ("/admin/", "/admin/login/", "/metrics", "/readyz", "/account/password/",
                 "/api/v1/people/", "/api/v1/docs", "/api/v1/openapi.json"):
        assert _get(base + path)[0] == 404, path
    status, body = _get(base + "/api/v1/public/funds?q=110105194912310021",
                        **{"X-Request-ID": "chosen-by-client", "X-Forwarded-For": "6.6.6.6"})
    assert status == 200 and body.startswith("/api/v1/public/funds")
    headers = dict(line.split(": ", 1) for line in body.splitlines()[1:])
    assert headers["X-Forwarded-Proto"] == "https"
    assert headers["X-Forwarded-For"] == "6.6.6.6, 127.0.0.1"  # the app trusts one hop only
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's, not the client's
    assert _get(base + "/needs/track/")[0] == 200
    access = (logs / "wushe-public.access.log").read_text()
    assert "/api/v1/public/funds" in access and headers["X-Request-ID"] in access
    assert "110105194912310021" not in access and "?q=" not in access


# --- wushe check --deploy ---------------------------------------------------------------------------

def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    key = base64.b64encode(os.urandom(32)).decode()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("WUSHE_", "DATABASE_"))}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "config.settings.base",
           "WUSHE_DATA_DIR": str(tmp_path), "WUSHE_DEBUG": "0", "WUSHE_TLS": "1",
           "WUSHE_SECRET_KEY": secrets.token_urlsafe(50), "WUSHE_PII_KEYS": f"k1:{key}",
           "WUSHE_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
           "WUSHE_ALLOWED_HOSTS": "wushe.example.gov.cn", "WUSHE_TRUSTED_PROXIES": "1",
           "WUSHE_LOG_FORMAT": "json", "WUSHE_SURFACE": "staff",
           "WUSHE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "WUSHE_EMAIL_HOST": "mail.example.gov.cn"}
    done = subprocess.run([sys.executable, "-m", "wushe.cli", "check", "--deploy",
                           "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


_PRINT_TLS = ("import django, json; django.setup(); from django.conf import settings as s; "
              "print(json.dumps({k: getattr(s, k) for k in ('SECURE_SSL_REDIRECT', "
              "'SECURE_REDIRECT_EXEMPT', 'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS', "
              "'SECURE_HSTS_PRELOAD')}))")


@pytest.mark.django_db
def test_under_tls_plain_http_is_redirected_except_the_probes(tmp_path: Path) -> None:
    from django.test import Client, override_settings

    keep = {k: v for k, v in os.environ.items() if not k.startswith("WUSHE_")}
    done = subprocess.run([sys.executable, "-c", _PRINT_TLS], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True,
                          env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings.test",
                               "WUSHE_TLS": "1", "WUSHE_DATA_DIR": str(tmp_path)})
    values = json.loads(done.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    assert values["SECURE_HSTS_PRELOAD"] is True
    with override_settings(**values):
        plain = Client().get("/login/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        assert Client().get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
        assert Client().get("/healthz").status_code == 200  # the load balancer's probe
        secure = Client().get("/login/", secure=True)
        assert "preload" in secure["Strict-Transport-Security"]

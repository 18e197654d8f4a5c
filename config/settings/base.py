"""Settings, embedded-first: SQLite (WAL) under the data directory unless DATABASE_URL is set.

Every local rule of the seed text is a setting with its default and where it comes from.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from wushe.core.keys import key_provider, private_dir, private_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


DATA_DIR = env_path("WUSHE_DATA_DIR", BASE_DIR / "data")
private_dir(DATA_DIR)  # 0700: personal data, keys, uploads (#18); entry points set umask 077

# Secret key and personal-data keys from a key provider (wushe/core/keys.py),
# WUSHE_KEY_PROVIDER=file|env|http: the environment in production (all three variables set: no
# key file beside the data, so a copy of the data directory never carries them); an external
# key service / cipher machine over HTTP (wrapped keys in DATA_DIR/keys.json, plaintext in
# memory only; WUSHE_KMS_URL, WUSHE_KMS_TOKEN); in development generated once into
# DATA_DIR/keys.json (mode 0600, git-ignored), never committed.
_PROVIDER = key_provider(DATA_DIR)
WUSHE_KEY_PROVIDER = _PROVIDER.name
_KEYS = _PROVIDER.load()
SECRET_KEY = _KEYS["secret_key"]
# Key ring for personal data at rest: "kid[:suite]:base64key,…", the first is current; suite
# aes256gcm+hmac-sha256 (the default) or sm4gcm+hmac-sm3 (wushe/core/crypto.py).
WUSHE_PII_KEYS = _KEYS["pii_keys"]
# Key of the HMAC blind index (exact lookup and dedupe of ID numbers and phones); its hash is
# the current PII key's (HMAC-SHA256 or HMAC-SM3).
WUSHE_BLIND_INDEX_KEY = _KEYS["blind_index_key"]
# The charity ledger's hash chain: entries from this number on are hashed with SM3 instead of
# SHA-256 (0: SHA-256 throughout). Set it above the current head; never lower it afterwards.
WUSHE_LEDGER_SM3_FROM = env_int("WUSHE_LEDGER_SM3_FROM", 0)

DEBUG = env_bool("WUSHE_DEBUG", False)
ALLOWED_HOSTS = [h for h in env_str("WUSHE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "wushe.web.adminsite.WusheAdminConfig",  # django.contrib.admin behind a second factor
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "wushe.core",
    "wushe.regions",
    "wushe.accounts",
    "wushe.audit",
    "wushe.people",
    "wushe.volunteers",
    "wushe.orgs",
    "wushe.workforce",
    "wushe.charity",
    "wushe.residents",
    "wushe.needs",
    "wushe.projects",
    "wushe.supervision",
    "wushe.evaluation",
    "wushe.reports",
    "wushe.inbox",
    "wushe.notifications",
    "wushe.hotline",
    "wushe.civilisation",
    "wushe.policies",
    "wushe.openings",
    "wushe.definitions",
    "wushe.complexes",
    "wushe.renovation",
    "wushe.retention",
    "wushe.web",
    "wushe.demo",
]

MIDDLEWARE = [
    "wushe.core.jsonlog.RequestLogMiddleware",  # request id, request line, /metrics counts
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wushe.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wushe.core.middleware.NoStoreMiddleware",  # no-store on authenticated and API responses
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wushe.accounts.middleware.IdleTimeoutMiddleware",
    "wushe.accounts.middleware.PasswordExpiryMiddleware",
    "wushe.web.middleware.WusheErrorMiddleware",
    "wushe.core.middleware.ApiErrorBodyMiddleware",  # a bilingual JSON body for every API error
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wushe.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wushe.web.context_processors.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
# A PostgreSQL DATABASE_URL may list the primary and its standby; the connection goes to the
# writable one (postgres://u:p@db1:5432,db2:5432/wushe, target_session_attrs=read-write and
# connect_timeout=5 by default with a list; wushe/core/dburl.py). docs/deploy.md, failover.
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_ROUTERS: list[str] = []
if DATABASE_URL:
    from wushe.core import dburl

    DATABASES = {"default": dburl.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(private_file(DATA_DIR / "wushe.sqlite3")),  # 0600, -wal/-shm too
            # Keep connections: opening SQLite and running the PRAGMAs costs more than most
            # requests (measured on public intake: 27 ms of 37 ms).
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue on busy_timeout instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-65536;"
                    "PRAGMA temp_store=MEMORY;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and sessions ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["wushe.accounts.backends.LockoutBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
WUSHE_PASSWORD_MIN_LENGTH = env_int("WUSHE_PASSWORD_MIN_LENGTH", 10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": WUSHE_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wushe.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Login lockout (等保 2.0 level 3, 登录失败处理): after this many consecutive failures the
# (username, address) pair that failed is locked for the minutes; a lock revokes the account's
# API tokens. Another address is not locked, so a stranger cannot lock a user out.
WUSHE_LOCKOUT_FAILURES = env_int("WUSHE_LOCKOUT_FAILURES", 5)
WUSHE_LOCKOUT_MINUTES = env_int("WUSHE_LOCKOUT_MINUTES", 10)
# QR check-in at volunteer activities (#21 item 4): the code shown changes every this many
# seconds and is accepted in its window and the next (wushe/volunteers/checkin.py).
WUSHE_CHECKIN_QR_SECONDS = env_int("WUSHE_CHECKIN_QR_SECONDS", 180)
# Per address only a throttle, never a lock: a whole street office shares one address behind
# NAT. Past this many failures in an hour, the address may try once every WUSHE_LOGIN_SLOW_SECONDS.
WUSHE_LOGIN_ADDRESS_FAILURES = env_int("WUSHE_LOGIN_ADDRESS_FAILURES", 100)
WUSHE_LOGIN_SLOW_SECONDS = env_int("WUSHE_LOGIN_SLOW_SECONDS", 10)
# Password policy (等保 2.0 身份鉴别: complexity and periodic change), local rules: a new password
# may not repeat the last N, and one older than the days must be changed before work goes on.
WUSHE_PASSWORD_HISTORY = env_int("WUSHE_PASSWORD_HISTORY", 5)
WUSHE_PASSWORD_MAX_AGE_DAYS = env_int("WUSHE_PASSWORD_MAX_AGE_DAYS", 90)
# Access that ends with its purpose (PIPL Art. 6 minimum necessity, Art. 19 retention "no
# longer than the purpose needs"; #22 item 4), a local rule: an organisation, team or person
# whose assignment on a need was done keeps a read-only view of it, without contact details,
# this many days after the need is resolved (long enough for the follow-up and a complaint
# under the 12345 rules), then the need is closed to it (404).
WUSHE_ASSIGNEE_READ_DAYS = env_int("WUSHE_ASSIGNEE_READ_DAYS", 90)
# Accounts unused for this many days are disabled by the daily job (0 switches it off).
WUSHE_ACCOUNT_DORMANT_DAYS = env_int("WUSHE_ACCOUNT_DORMANT_DAYS", 90)
# A session ends this many hours after login whatever its activity (the absolute lifetime).
WUSHE_SESSION_ABSOLUTE_HOURS = env_int("WUSHE_SESSION_ABSOLUTE_HOURS", 12)
# 三员分立: once a system, a security and an audit administrator exist, the Django superuser
# (for installation only) is refused at login.
WUSHE_SUPERUSER_INSTALL_ONLY = env_bool("WUSHE_SUPERUSER_INSTALL_ONLY", True)
# Second factor (等保 2.0 level 3, 身份鉴别: "双因素认证", two or more authentication techniques
# combined, one of them cryptographic): TOTP for these roles, and for superusers and staff.
WUSHE_OTP_ROLES = [r for r in env_str(
    "WUSHE_OTP_ROLES",
    "district_admin,auditor,fund_manager,system_admin,security_admin,audit_admin").split(",") if r]
# Wrong codes allowed after a right password before the login starts again at the password.
WUSHE_OTP_MAX_FAILURES = env_int("WUSHE_OTP_MAX_FAILURES", 5)
# Minutes a right password waits for its second factor (or the enrolment) before it expires.
WUSHE_OTP_PENDING_MINUTES = env_int("WUSHE_OTP_PENDING_MINUTES", 10)
OTP_TOTP_ISSUER = env_str("WUSHE_OTP_ISSUER", "wushe")
# Staff sign-on through an OpenID Connect provider (#21 item 2; the province's government
# identity platform, e.g. 渝快政): on when the issuer and the client id are set. The claim that
# carries the identity (default ``sub``) is matched to an account linked by `wushe oidc link`;
# MATCH is "subject" (accounts hold no verified mobile number to match on). The provider's
# "amr" saying MFA was done replaces wushe's TOTP only with TRUST_MFA (accounts/oidc.py).
WUSHE_OIDC_ISSUER = env_str("WUSHE_OIDC_ISSUER").rstrip("/")
WUSHE_OIDC_CLIENT_ID = env_str("WUSHE_OIDC_CLIENT_ID")
WUSHE_OIDC_CLIENT_SECRET = env_str("WUSHE_OIDC_CLIENT_SECRET")
WUSHE_OIDC_CLAIM = env_str("WUSHE_OIDC_CLAIM", "sub")
WUSHE_OIDC_MATCH = env_str("WUSHE_OIDC_MATCH", "subject")
WUSHE_OIDC_NAME = env_str("WUSHE_OIDC_NAME")  # the button's label; "" says "the identity provider"
WUSHE_OIDC_TRUST_MFA = env_bool("WUSHE_OIDC_TRUST_MFA", False)
WUSHE_OIDC_TIMEOUT_SECONDS = float(env_str("WUSHE_OIDC_TIMEOUT_SECONDS", "5"))
# The callback URL registered at the provider, when the request's own host is not it (a proxy).
WUSHE_OIDC_REDIRECT_URI = env_str("WUSHE_OIDC_REDIRECT_URI")
# Roles that sign in through the provider only: an account whose every grant is one of these
# cannot sign in with a password on the web (the API's token login is unchanged).
WUSHE_PASSWORD_LOGIN_DISABLED_ROLES = [r.strip() for r in env_str(
    "WUSHE_PASSWORD_LOGIN_DISABLED_ROLES").split(",") if r.strip()]
# Idle session timeout (等保 2.0 requires automatic logout after inactivity).
WUSHE_IDLE_TIMEOUT_MINUTES = env_int("WUSHE_IDLE_TIMEOUT_MINUTES", 30)
# API bearer tokens expire after this many hours.
WUSHE_TOKEN_TTL_HOURS = env_int("WUSHE_TOKEN_TTL_HOURS", 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# TLS (等保 2.0 level 3, 通信传输): WUSHE_TLS=1 when the site is served over HTTPS, directly or
# behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and strips a client's
# own). It turns on HSTS for a year with subdomains, Secure session and CSRF cookies, and trusts
# the proxy's header for request.is_secure(). WUSHE_SECURE_COOKIES, the older name, is an alias.
WUSHE_TLS = env_bool("WUSHE_TLS", env_bool("WUSHE_SECURE_COOKIES", False))
SESSION_COOKIE_SECURE = WUSHE_TLS
CSRF_COOKIE_SECURE = WUSHE_TLS
if WUSHE_TLS:
    SECURE_HSTS_SECONDS = env_int("WUSHE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # "preload" in the header (the list itself takes the domain owner's submission); 0 leaves
    # it out, e.g. for a host name that may one day be served over plain HTTP again.
    SECURE_HSTS_PRELOAD = env_bool("WUSHE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A request that did not come over TLS (nor through the TLS proxy) is redirected to
    # https (nginx redirects port 80 too, deploy/nginx); the load balancer's and monitoring's
    # probes of an app server are not (they reach gunicorn directly, over plain HTTP).
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
SESSION_COOKIE_AGE = 12 * 3600
# The client IP (rate limits, login locks, the audit log; wushe.core.context.client_ip): the
# reverse proxies in front, as a number of hops ("1": one nginx appending $remote_addr to
# X-Forwarded-For) or their addresses and networks ("10.0.0.5,10.1.0.0/16"). Unset, the header
# is ignored (anyone can write it) and the client is the connection's address. Only entries the
# trusted proxies appended count, read from the right. WUSHE_TRUST_PROXY=1 (deprecated) is "1".
WUSHE_TRUSTED_PROXIES = env_str("WUSHE_TRUSTED_PROXIES") or (
    "1" if env_bool("WUSHE_TRUST_PROXY", False) else "")

# --- security headers -----------------------------------------------------------------------
# Every page: nothing loads from anywhere but this server (government intranets are offline).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # ECharts and Swagger UI set inline styles
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("WUSHE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Spreadsheet imports are bounded before they are read (issue #13, 等保 2.0 level 3; the upload
# itself is capped at 64 MB by core.excel.MAX_IMPORT_BYTES). An .xlsx/.ods is a zip: its
# directory's total decompressed size, and each member's compression ratio from 1 MB up, are
# checked before python-calamine opens it. Measured on 2026-12-05: an openpyxl-written roster of
# 100,000 rows × 10 columns (title row, 序号, names, ID numbers, phones, codes, dates) is 5.2 MB
# holding 68.7 MB (687 bytes a row, ratio 13.2, all in the sheet part), so 1,000,000 rows are
# about 52 MB holding 687 MB at the same ratio. Defaults: 1 GiB (1.5× that) and ratio 200
# (15×); a bomb of one 200 MB cell in a 208 KB .xlsx is ratio ~1,000. Rows are capped at Excel's
# own sheet limit (1,048,576: a 1,000,000-row roster with its title and header fits) and a
# cell at Excel's own limit of 32,767 characters, checked as rows are read.
WUSHE_IMPORT_MAX_UNZIPPED_BYTES = env_int("WUSHE_IMPORT_MAX_UNZIPPED_BYTES", 1024 ** 3)
WUSHE_IMPORT_MAX_ZIP_RATIO = env_int("WUSHE_IMPORT_MAX_ZIP_RATIO", 200)
WUSHE_IMPORT_ZIP_RATIO_FROM_BYTES = env_int("WUSHE_IMPORT_ZIP_RATIO_FROM_BYTES", 1024 * 1024)
WUSHE_IMPORT_MAX_ROWS = env_int("WUSHE_IMPORT_MAX_ROWS", 1_048_576)
WUSHE_IMPORT_MAX_CELL_CHARS = env_int("WUSHE_IMPORT_MAX_CELL_CHARS", 32_767)

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "wushe" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Digits grouped by three with a comma in Chinese too (wushe/formats: Django's zh_Hans groups by
# four with no separator); USE_THOUSAND_SEPARATOR stays off so ids and years are never grouped.
FORMAT_MODULE_PATH = ["wushe.formats"]

# --- static assets: served by the app itself (whitenoise), front-end packages from npm ------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"  # `wushe collectstatic` fills it for production
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on a missing root; finders serve meanwhile
STATICFILES_DIRS = [
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
# Every @paginate bounds its offset (ninja's own class does not: 2**64 was a 500).
NINJA_PAGINATION_CLASS = "wushe.core.paging.BoundedLimitOffset"
# A JSON body's size and nesting depth, checked before it is parsed (413 / 400;
# DATA_UPLOAD_MAX_MEMORY_SIZE above is the cap for uploaded forms). 等保 2.0 level 3 (issue #13).
WUSHE_API_MAX_JSON_BYTES = env_int("WUSHE_API_MAX_JSON_BYTES", 1024 * 1024)
WUSHE_API_MAX_JSON_DEPTH = env_int("WUSHE_API_MAX_JSON_DEPTH", 20)

# --- background work -------------------------------------------------------------------------
# Imports, reports, long exports and the periodic jobs are django.tasks tasks run by
# `wushe worker` (never a thread in a web process). The default queue is a table in the main
# database (django-tasks-db); WUSHE_TASKS_URL=redis://… puts it in Redis (django-tasks-rq).
WUSHE_TASKS_URL = env_str("WUSHE_TASKS_URL")
if WUSHE_TASKS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": WUSHE_TASKS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
    INSTALLED_APPS.append("django_rq")  # its rqworker command runs the queue (core/worker.py)
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker writes its heartbeat every few seconds; a job whose worker has been silent this long
# died with it (killed, or its machine lost) and is shown as failed, to be run again.
WUSHE_WORKER_DEAD_SECONDS = env_int("WUSHE_WORKER_DEAD_SECONDS", 30)
# Periodic jobs (`wushe scheduler`, `wushe tick`; core/jobs.py): each job declares how often it is
# due; WUSHE_PERIODIC_EVERY="needs.sla=60,reports.rollup=600" overrides that (seconds per job).
# A job runs under a database lease of WUSHE_PERIODIC_LEASE_SECONDS, so that however many
# schedulers run, one job never runs twice at once; the lease must outlast the longest run.
# A value that is not a whole number of seconds is kept as 0, which the system check refuses.
WUSHE_PERIODIC_EVERY: dict[str, int] = {
    name.strip(): int(seconds) if seconds.strip().isdigit() else 0
    for name, _sep, seconds in (
        item.partition("=") for item in env_str("WUSHE_PERIODIC_EVERY").split(",") if item.strip())
}
WUSHE_PERIODIC_LEASE_SECONDS = env_int("WUSHE_PERIODIC_LEASE_SECONDS", 30 * 60)

# --- state shared across processes (cache) -----------------------------------------------------
# Rate limits, login-failure counters and lockouts live in Django's cache, which every server
# process and worker must share (a per-process cache would let gunicorn -w 4 allow 4× a limit).
# WUSHE_CACHE_URL=redis://… puts it in Redis (needed when servers run on several machines).
# Otherwise it is Django's database cache in its own SQLite file, DATA_DIR/cache.sqlite3 (the
# "cache" alias, wushe.core.cache): apart from the main database because on SQLite an import
# holds the main file's write lock for minutes, and a rate-limit check or a login counter must
# never wait for it. Its table is created on first use; no migration runs there. MAX_ENTRIES is
# high because counters and lock-outs must expire, never be culled to make room.
WUSHE_CACHE_URL = env_str("WUSHE_CACHE_URL")
if WUSHE_CACHE_URL:
    CACHES: dict[str, dict[str, object]] = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": WUSHE_CACHE_URL}}
else:
    DATABASES["cache"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(private_file(DATA_DIR / "cache.sqlite3")),  # 0600
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # IMMEDIATE: an increment holds the write lock from its read to its write.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                             "PRAGMA busy_timeout=20000;"),
        },
    }
    DATABASE_ROUTERS = ["wushe.core.cache.CacheRouter"]
    CACHES = {"default": {"BACKEND": "wushe.core.cache.SQLiteCache", "LOCATION": "wushe_cache",
                          "OPTIONS": {"MAX_ENTRIES": 1_000_000}}}

# The cockpit, big screen, KPI export and reports API may read from the standby: a "replica"
# alias and wushe.core.dbrouter.ReplicaRouter, used only inside reading_from_replica() (GET
# views of the report family); unreachable, they read from default. Issue #18 item 2.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    from wushe.core import dburl

    DATABASES["replica"] = dburl.replica(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASE_ROUTERS = [*DATABASE_ROUTERS, "wushe.core.dbrouter.ReplicaRouter"]

# --- public intake ---------------------------------------------------------------------------
# Per-IP rate limits of the public 点单 and tracking endpoints ("0" turns one off), counted in
# the shared cache above, so the limit holds across all server processes together.
WUSHE_NEEDS_INTAKE_RATE = env_str("WUSHE_NEEDS_INTAKE_RATE", "30/h")
WUSHE_NEEDS_TRACKING_RATE = env_str("WUSHE_NEEDS_TRACKING_RATE", "300/h")

# --- 12345 hotline work orders (issue #21 item 1, docs/hotline-12345.md) -----------------------
# The platform signs its requests with this shared secret (HMAC-SHA256), and we sign our pushes;
# empty: the exchange is off (every request 401). The orders are taken in by the account
# WUSHE_HOTLINE_ACCOUNT (its needs.intake grants decide where an order may land).
WUSHE_HOTLINE_SECRET = env_str("WUSHE_HOTLINE_SECRET")
WUSHE_HOTLINE_ACCOUNT = env_str("WUSHE_HOTLINE_ACCOUNT")
# Where status updates (受理, 办结, 回访) are pushed as JSON; empty: the platform pulls only.
WUSHE_HOTLINE_PUSH_URL = env_str("WUSHE_HOTLINE_PUSH_URL")
WUSHE_HOTLINE_PUSH_TIMEOUT = env_int("WUSHE_HOTLINE_PUSH_TIMEOUT", 10)  # seconds
WUSHE_HOTLINE_RETRY_SECONDS = env_int("WUSHE_HOTLINE_RETRY_SECONDS", 60)  # doubled per attempt
WUSHE_HOTLINE_MAX_ATTEMPTS = env_int("WUSHE_HOTLINE_MAX_ATTEMPTS", 10)
# The platform's category words → need categories (wushe/needs/categories.py); anything else
# that is not one of our own codes or names becomes the default.
WUSHE_HOTLINE_CATEGORIES: dict[str, str] = {
    "养老": "elderly_care", "为老服务": "elderly_care", "社会救助": "temporary_relief",
    "困难救助": "temporary_relief", "法律咨询": "legal_aid", "心理健康": "counselling",
    "未成年人保护": "child_care", "残疾人服务": "disability_support", "医疗卫生": "medical_help",
    "劳动就业": "employment", "政策咨询": "policy", "市容环境": "environment",
    "环境保护": "environment", "城乡建设": "property", "物业": "property",
    "邻里纠纷": "dispute", "矛盾纠纷": "dispute",
}
WUSHE_HOTLINE_DEFAULT_CATEGORY = env_str("WUSHE_HOTLINE_DEFAULT_CATEGORY", "other")

# --- personal data --------------------------------------------------------------------------
# Age under which consent must come from a guardian (《个人信息保护法》 art. 31: under 14).
WUSHE_GUARDIAN_CONSENT_AGE = env_int("WUSHE_GUARDIAN_CONSENT_AGE", 14)
# Age of majority: records of persons younger than this are "about minors".
WUSHE_MINOR_AGE = env_int("WUSHE_MINOR_AGE", 18)
# A copy of a person's data on request (PIPL Art. 45): its files are deleted after this many
# days (the download then answers 410); kept short, they are a full copy of the person's data.
WUSHE_SUBJECT_ACCESS_DAYS = env_int("WUSHE_SUBJECT_ACCESS_DAYS", 7)
WUSHE_PAGE_SIZE = env_int("WUSHE_PAGE_SIZE", 25)

# --- notifications (issue #17; wushe/notifications/channels.py, delivery.py) -----------------
# Links in an SMS or an email are absolute: this base URL + the path.
WUSHE_PUBLIC_BASE_URL = env_str("WUSHE_PUBLIC_BASE_URL", "http://localhost:8000")
# Email goes through Django's mailers; by default (demo) each message is a file under
# DATA_DIR/outbox/email. WUSHE_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with
# WUSHE_EMAIL_HOST/PORT/USER/PASSWORD/TLS for the district's mail server.
WUSHE_EMAIL_BACKEND = env_str("WUSHE_EMAIL_BACKEND",
                              "django.core.mail.backends.filebased.EmailBackend")
_MAIL_OPTIONS: dict[str, object] = {}
if WUSHE_EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    _MAIL_OPTIONS = {"file_path": str(DATA_DIR / "outbox" / "email")}
elif WUSHE_EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {"host": env_str("WUSHE_EMAIL_HOST", "localhost"),
                     "port": env_int("WUSHE_EMAIL_PORT", 25),
                     "username": env_str("WUSHE_EMAIL_USER"),
                     "password": env_str("WUSHE_EMAIL_PASSWORD"),
                     "use_tls": env_bool("WUSHE_EMAIL_TLS"), "timeout": 10}
MAILERS = {"default": {"BACKEND": WUSHE_EMAIL_BACKEND, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wushe@localhost")
# SMS: "file" (demo, tests: one JSON line per message, the number masked, in
# DATA_DIR/outbox/sms.jsonl) or "http" (the government SMS platform's HTTP API).
WUSHE_SMS_BACKEND = env_str("WUSHE_SMS_BACKEND", "file")
WUSHE_SMS_URL = env_str("WUSHE_SMS_URL")
WUSHE_SMS_ACCOUNT = env_str("WUSHE_SMS_ACCOUNT")
WUSHE_SMS_SECRET = env_str("WUSHE_SMS_SECRET")  # a placeholder of the body ({secret}), never logged
WUSHE_SMS_TEMPLATE_ID = env_str("WUSHE_SMS_TEMPLATE_ID")
# The JSON body, placeholders {phone} {text} {template_id} {message_id} {account} {secret}
# (each replaced by its JSON-escaped value inside the quotes of the template).
WUSHE_SMS_BODY = env_str(
    "WUSHE_SMS_BODY",
    '{"account": "{account}", "password": "{secret}", "templateId": "{template_id}", '
    '"mobiles": ["{phone}"], "content": "{text}", "msgId": "{message_id}"}')
WUSHE_SMS_TIMEOUT = env_int("WUSHE_SMS_TIMEOUT", 10)  # seconds, connect and read
# The gateway de-duplicates on msgId: a send whose answer was lost may then be retried.
WUSHE_SMS_IDEMPOTENT = env_bool("WUSHE_SMS_IDEMPOTENT", False)
# At most this many SMS to one phone a day (blind index): the public form cannot bomb a number.
# 10: a request's whole path in one day is a code and four state changes (accepted, dispatched,
# taken, resolved), so a resident with two requests still hears of both.
WUSHE_SMS_PER_PHONE_PER_DAY = env_int("WUSHE_SMS_PER_PHONE_PER_DAY", 10)
# Work chat robot (WeChat Work / DingTalk shape): "file" (DATA_DIR/outbox/chat.jsonl) or "http".
WUSHE_CHAT_BACKEND = env_str("WUSHE_CHAT_BACKEND", "file")
WUSHE_CHAT_WEBHOOK_URL = env_str("WUSHE_CHAT_WEBHOOK_URL", "http://chat.invalid/robot")
WUSHE_CHAT_TIMEOUT = env_int("WUSHE_CHAT_TIMEOUT", 10)
# Retries: 30 s × 4^n after each failure that is safe to retry, then failed after this many tries.
WUSHE_NOTIFY_MAX_ATTEMPTS = env_int("WUSHE_NOTIFY_MAX_ATTEMPTS", 5)
WUSHE_NOTIFY_BACKOFF_SECONDS = env_int("WUSHE_NOTIFY_BACKOFF_SECONDS", 30)
# A delivery left in "sending" this long (its worker died mid-send) is treated as unknown.
WUSHE_NOTIFY_STUCK_SECONDS = env_int("WUSHE_NOTIFY_STUCK_SECONDS", 300)
# The local hour (TIME_ZONE) at which each account's daily digest goes out.
WUSHE_NOTIFY_DIGEST_HOUR = env_int("WUSHE_NOTIFY_DIGEST_HOUR", 8)
# A resident's progress SMS wait out the quiet hours (22:00–08:00); the confirmation code never
# waits (wushe/needs/notify.py). 0: send at once (the browser test, a district that wants it).
WUSHE_NEEDS_SMS_QUIET_HOURS = env_bool("WUSHE_NEEDS_SMS_QUIET_HOURS", True)

# --- figures ---------------------------------------------------------------------------------
# The KPI rollups behind the cockpit: "all" and the current year are recomputed at most every
# WUSHE_REPORTS_ROLLUP_MINUTES (by `wushe tick`), every kept year when the last full refresh
# is older than WUSHE_REPORTS_FULL_ROLLUP_HOURS.
WUSHE_REPORTS_ROLLUP_MINUTES = env_int("WUSHE_REPORTS_ROLLUP_MINUTES", 10)
WUSHE_REPORTS_FULL_ROLLUP_HOURS = env_int("WUSHE_REPORTS_FULL_ROLLUP_HOURS", 24)
# The Chinese font embedded in every PDF (annual report, certificates, receipts): a TrueType
# .ttf/.ttc path; unset, the first free CJK TrueType font of wushe/core/pdffonts.py CANDIDATES
# (Debian fonts-wqy-zenhei first), else the non-embedded STSong-Light with a warning.
WUSHE_PDF_FONT = env_str("WUSHE_PDF_FONT")

# Every handler masks ID numbers and mobile numbers in messages, args and tracebacks
# (wushe/core/logmask.py, issue #22); Django's own handlers (runserver's access log
# django.server, mail_admins) are redefined here so that they carry the filter too.
# --- deployment: surfaces, health, metrics, logs (issue #18) ---------------------------------
# Which URLs this server has (wushe/core/surface.py): "all", "public" (the internet zone: the
# residents' pages and public API only) or "staff" (the back office, on the government network).
WUSHE_SURFACE = env_str("WUSHE_SURFACE", "all")
# /readyz (wushe/core/health.py) answers 503 when the periodic jobs are this late (the scheduler
# is down), or the data directory's disk has less free space than this.
WUSHE_READY_SCHEDULER_LATE_SECONDS = env_int("WUSHE_READY_SCHEDULER_LATE_SECONDS", 300)
WUSHE_READY_MIN_FREE_MB = env_int("WUSHE_READY_MIN_FREE_MB", 1024)
WUSHE_READY_MIN_FREE_PERCENT = env_int("WUSHE_READY_MIN_FREE_PERCENT", 5)
# /metrics (wushe/core/metrics.py) answers only these client addresses or networks (else 404);
# each process writes its counts under DATA_DIR/metrics at most this often.
WUSHE_METRICS_ALLOW = env_str("WUSHE_METRICS_ALLOW", "127.0.0.1/32,::1/128")
WUSHE_METRICS_FLUSH_SECONDS = env_int("WUSHE_METRICS_FLUSH_SECONDS", 5)
# Logs (wushe/core/jsonlog.py): "text", or "json" (one JSON object per line on stdout, plus one
# line per request), for the bureau's log-audit system; optionally to syslog ("host:port", UDP)
# and to a file rotated at WUSHE_LOG_FILE_MAX_MB, keeping WUSHE_LOG_FILE_BACKUPS old files.
WUSHE_LOG_FORMAT = env_str("WUSHE_LOG_FORMAT", "text")
WUSHE_LOG_SYSLOG = env_str("WUSHE_LOG_SYSLOG")
WUSHE_LOG_FILE = env_str("WUSHE_LOG_FILE")
WUSHE_LOG_FILE_MAX_MB = env_int("WUSHE_LOG_FILE_MAX_MB", 50)
WUSHE_LOG_FILE_BACKUPS = env_int("WUSHE_LOG_FILE_BACKUPS", 10)
_LOG_JSON = WUSHE_LOG_FORMAT == "json"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_identifiers": {"()": "wushe.core.logmask.MaskIdentifiers"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter",
                          "format": "[{server_time}] {message}", "style": "{"},
        "json": {"()": "wushe.core.jsonlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_identifiers"],
                    **({"formatter": "json", "stream": "ext://sys.stdout"} if _LOG_JSON else {})},
        "django.server": {"class": "logging.StreamHandler",
                          "formatter": "json" if _LOG_JSON else "django.server",
                          "filters": ["mask_identifiers"]},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false", "mask_identifiers"]},
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # one line per request, in JSON mode only (text mode has gunicorn's access log)
        "wushe.request": {"level": "INFO" if _LOG_JSON else "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("WUSHE_LOG_LEVEL", "WARNING")},
}
if WUSHE_LOG_SYSLOG:
    _host, _sep, _port = WUSHE_LOG_SYSLOG.rpartition(":")
    if not (_host and _port.isdigit()):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("WUSHE_LOG_SYSLOG must be host:port (UDP), e.g. 10.0.0.9:514")
    LOGGING["handlers"]["syslog"] = {  # type: ignore[index]
        "class": "logging.handlers.SysLogHandler", "address": (_host, int(_port)),
        "formatter": "json" if _LOG_JSON else "text", "filters": ["mask_identifiers"]}
    LOGGING["root"]["handlers"].append("syslog")  # type: ignore[index]
if WUSHE_LOG_FILE:
    LOGGING["handlers"]["file"] = {  # type: ignore[index]
        "class": "logging.handlers.RotatingFileHandler", "filename": WUSHE_LOG_FILE,
        "maxBytes": WUSHE_LOG_FILE_MAX_MB * 1024 * 1024, "backupCount": WUSHE_LOG_FILE_BACKUPS,
        "encoding": "utf-8", "formatter": "json" if _LOG_JSON else "text",
        "filters": ["mask_identifiers"]}
    LOGGING["root"]["handlers"].append("file")  # type: ignore[index]

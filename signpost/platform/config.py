"""Configuration from the environment, with safe defaults for a local run."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parents[2] / "instance"


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way (postgres:// or postgresql://)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key() -> str:
    """A secret from SECRET_KEY, or one generated once and kept in instance/ for local runs."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment() -> dict:
    """Settings read from environment variables; see the README's Configuration section."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'signpost.sqlite'}"
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SESSION_COOKIE_SECURE": env_flag("SESSION_COOKIE_SECURE", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME")
        or ("https" if env_flag("SESSION_COOKIE_SECURE", False) else "http"),
        # The canonical host for absolute links (signpost.platform.urls.absolute_url_for); unset for local runs.
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        "BEHIND_PROXY": env_flag("BEHIND_PROXY", False),
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "1")),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", "memory://"),
        # A moving window: "10 per minute" means any 60 seconds, so no burst of twice the limit across the
        # turn of a minute (a fixed window allows one, and made the limit tests fail at a minute's edge).
        "RATELIMIT_STRATEGY": "moving-window",
        # Redis down: count per process instead (each route keeps its own limit), log a warning, and let
        # /readyz say "degraded"; never a 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "RATELIMIT_HEADERS_ENABLED": True,
        "SEARCH_RATE_LIMIT": os.environ.get("SEARCH_RATE_LIMIT", "120 per minute"),
        "ASK_RATE_LIMIT": os.environ.get("ASK_RATE_LIMIT", "30 per minute"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SURVEY_RATE_LIMIT": os.environ.get("SURVEY_RATE_LIMIT", "30 per minute"),
        "REPORT_RATE_LIMIT": os.environ.get("REPORT_RATE_LIMIT", "10 per minute"),
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "Hertfordshire County Council"),
        "SERVICE_NAME": os.environ.get("SERVICE_NAME", "Signpost"),
        "HELPLINE_NAME": os.environ.get("HELPLINE_NAME", "HertsHelp"),
        # Who the caller's text and email come from (never "Signpost", a name callers have not heard).
        "MESSAGE_SENDER": os.environ.get("MESSAGE_SENDER", "HertsHelp, Hertfordshire County Council"),
        # Days after the call that ``surveys send-due`` sends the survey invitation.
        "SURVEY_DELAY_DAYS": int(os.environ.get("SURVEY_DELAY_DAYS", "7")),
        "HELPLINE_PHONE": os.environ.get("HELPLINE_PHONE", "0300 123 4044"),
        "ADULT_CARE_PHONE": os.environ.get("ADULT_CARE_PHONE", "0300 123 4042"),
        # The charging figures (one reviewed JSON file) and, to preview another tax year, the date the guides
        # treat as today (ISO date); both default to the shipped figures and the real date.
        "CHARGING_RATES_FILE": os.environ.get("CHARGING_RATES_FILE") or None,
        "GUIDES_DATE": os.environ.get("GUIDES_DATE") or None,
        # The council profile whose local charging choices the estimate applies (signpost/guides/data/councils).
        "COUNCIL": os.environ.get("COUNCIL") or "hertfordshire",
        "RETENTION_DAYS": int(os.environ.get("RETENTION_DAYS", "365")),
        # The council's data protection officer, named in the privacy notice (/privacy).
        # Set both for a real deployment; until then the notice says to ask the helpline to pass a request on.
        "DPO_EMAIL": os.environ.get("DPO_EMAIL", ""),
        "DPO_ADDRESS": os.environ.get("DPO_ADDRESS", ""),
        "SECURITY_CONTACT": os.environ.get("SECURITY_CONTACT", ""),
    }

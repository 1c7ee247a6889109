"""Absolute links (emails, feeds, API) built from PUBLIC_BASE_URL, never from the request's Host."""

from __future__ import annotations

from flask import current_app, url_for


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

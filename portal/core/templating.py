"""Jinja helpers: Markdown, dates, labels and links that keep the current filters."""

from __future__ import annotations

import datetime as dt

import nh3
from flask import Flask, request, url_for
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup

from portal.core import labels
from portal.i18n import current_language

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "strong", "em", "code",
    "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML, sanitised; a body's top heading level is h2 (the page has the h1)."""
    html = _md.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"})
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def format_date(value: dt.date | dt.datetime | None, precision: str = "day") -> str:
    """A date as people write it in the interface language, honest about its precision."""
    if value is None:
        return ""
    zh = current_language() == "zh"
    if precision == "year":
        return f"{value.year}年" if zh else str(value.year)
    if precision == "month":
        return f"{value.year}年{value.month}月" if zh else value.strftime("%B %Y")
    if zh:
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%B %Y')}"


# China Standard Time: UTC+8 all year (no daylight saving), so a fixed offset is exact.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))


def china_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M", zone: bool = True) -> str:
    """A stored (naive UTC) time as staff and operators read it: China Standard Time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = value.astimezone(CHINA_TZ).strftime(fmt)
    if not zone:
        return text
    return text + " " + _("China time")


def from_china_time(value: dt.datetime | None) -> dt.datetime | None:
    """A time typed by staff (China Standard Time, no zone) as stored: naive UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=CHINA_TZ).astimezone(dt.UTC).replace(tzinfo=None)


def atom_date(value: dt.date | dt.datetime | None) -> str:
    """RFC 3339 time for Atom (dates are taken as midnight UTC)."""
    if value is None:
        return "1970-01-01T00:00:00Z"
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


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
    endpoint = request.endpoint or "core.home"
    try:
        return url_for(endpoint, **(request.view_args or {}), **args)
    except Exception:  # an error page for an unknown URL has no endpoint to rebuild
        return url_for("core.home", lang=code)


def type_label(value: str) -> str:
    """Display name of a search result type: policy, benefit or a kind of place."""
    from portal.places.taxonomy import type_labels

    if value in labels.TYPES:
        return str(labels.TYPES[value])
    return type_labels().get(value, value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["atom_date"] = atom_date
    app.jinja_env.filters["cst"] = china_time
    app.jinja_env.globals.update(
        url_with=url_with, toggle_url=toggle_url, page_url=page_url, lang_url=lang_url,
        labels=labels, type_label=type_label,
    )
    app.jinja_env.add_extension("jinja2.ext.loopcontrols")

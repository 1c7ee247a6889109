"""Jinja helpers: Markdown, dates, labels and links that keep the current filters."""

from __future__ import annotations

import datetime as dt

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

from portal.core import labels
from portal.core.localtime import local_time
from portal.core.urls import lang_url, page_url, toggle_url, url_with
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


def atom_date(value: dt.date | dt.datetime | None) -> str:
    """RFC 3339 time for Atom (dates are taken as midnight UTC)."""
    if value is None:
        return "1970-01-01T00:00:00Z"
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["atom_date"] = atom_date
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals.update(
        url_with=url_with, toggle_url=toggle_url, page_url=page_url, lang_url=lang_url,
        labels=labels,
    )
    from portal.core import audit_labels

    app.jinja_env.globals.update(audit_action=audit_labels.action_label, audit_state=audit_labels.state_label,
                                 audit_entity=audit_labels.entity_label)
    app.jinja_env.add_extension("jinja2.ext.loopcontrols")

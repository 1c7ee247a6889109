"""Jinja helpers: Markdown, dates, labels and links that keep the current filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable
from functools import lru_cache

import nh3
from flask import Flask, current_app, has_request_context, request
from markdown_it import MarkdownIt
from markupsafe import Markup

from portal.core import labels
from portal.core.localtime import local_time
from portal.core.urls import lang_url, page_url, toggle_url, url_with
from portal.core.versioncache import fragment
from portal.i18n import current_language, gettext

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "strong",
    "em",
    "code",
    "pre",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML, sanitised; a body's top heading level is h2 (the page has the h1)."""
    html = _md.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"}
    )
    return Markup(mark_masked_years(clean))  # noqa: S704 - sanitised by nh3 just above


# Seed line references ("S4 L162", "NS L10–12", "L22") are editorial notes: kept in files and staff views.
LINE_REF = re.compile(r"(?:\b(?:S\d|NS|LJ|HD)\s*)?\bL\d+(?:\s*[-–—]\s*L?\d+)?")
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[)）]")
# A remark in brackets about the seed plans ("（种子未写额度）") is a note for staff, not a citation.
_SEED_REMARK = re.compile(r"\s*[（(][^（）()]*(?:种子|\bseeds?\b)[^（）()]*[)）]", re.IGNORECASE)
_EDGE_PUNCT = " ;；,，、。.:："


def policy_body(text: str) -> Markup:
    """A policy's text with stable anchors on every heading and paragraph (三（三）→ #s3-3)."""
    return Markup(_policy_body_html(text or "", current_language()))  # noqa: S704 - sanitised below


@lru_cache(maxsize=256)
def _policy_body_html(text: str, language: str) -> str:
    """The HTML of a policy's text, made once per text and interface language (the masked-year
    label is in that language): Markdown and sanitising cost milliseconds on a long document."""
    from portal.core.outline import number_blocks

    html, _blocks = number_blocks(str(render_markdown(text)))
    return html  # sanitised by render_markdown; only generated ids are added


@lru_cache(maxsize=4096)
def public_source(text: str | None) -> str:
    """A source as the public sees it: the document or clause, without seed line references
    (remembered: result pages ask for the same few hundred sources on every request)."""
    if not text:
        return ""
    cleaned = _EMPTY_BRACKETS.sub("", LINE_REF.sub("", _SEED_REMARK.sub("", text)))
    cleaned = re.sub(r"\s*[;；,，、]\s*(?=[;；,，、]|$)", "", cleaned)
    return cleaned.strip(_EDGE_PUNCT)


MASKED_YEAR = re.compile(r"20XX", re.IGNORECASE)


def masked_year_label() -> str:
    """How a year the original publication masks as "20XX" reads, in the interface language."""
    return gettext("year missing in the original (20XX)")


def mark_masked_years(html: str) -> str:
    """Say plainly that a "20XX" year is missing in the original, with a short explanation."""
    if not MASKED_YEAR.search(html):
        return html
    title = gettext("The published copy hides this year; the portal does not know it.")
    lang = "en" if current_language() == "en" else "zh-Hans"  # the label is in the interface language
    label = str(
        Markup('<abbr class="masked-year" lang="{}" title="{}">{}</abbr>').format(
            lang, title, masked_year_label()
        )
    )
    return MASKED_YEAR.sub(lambda _m: label, html)


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


MAX_LAYOUT_PIECES = 1024  # language × endpoint × piece: a few hundred; all are dropped when full


def layout_piece(name: str, *key: Hashable, caller: Callable[[], Markup]) -> Markup:
    """`{% call layout_piece("name", key…) %}body{% endcall %}`: a part of the layout (navigation,
    footer) rendered once per language, script root and key for the life of the process, as long
    as templates are not reloaded. The body may depend on nothing else: no content, no visitor."""
    app = current_app
    if app.jinja_env.auto_reload or not has_request_context():
        return caller()
    kept: dict = app.extensions.setdefault("layout_pieces", {})
    full_key = (current_language(), request.script_root, name, *key)
    piece = kept.get(full_key)
    if piece is None:
        if len(kept) >= MAX_LAYOUT_PIECES:
            kept.clear()
        piece = kept[full_key] = caller()
    return piece


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["atom_date"] = atom_date
    app.jinja_env.filters["public_source"] = public_source
    app.jinja_env.filters["policy_body"] = policy_body
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals.update(
        url_with=url_with,
        toggle_url=toggle_url,
        page_url=page_url,
        lang_url=lang_url,
        labels=labels,
        fragment=fragment,
        layout_piece=layout_piece,
    )
    from portal.core import audit_labels

    app.jinja_env.globals.update(
        audit_action=audit_labels.action_label,
        audit_state=audit_labels.state_label,
        audit_entity=audit_labels.entity_label,
    )
    app.jinja_env.add_extension("jinja2.ext.loopcontrols")

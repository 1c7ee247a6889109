"""What makes list pages cheap must not change what they show: prepared snippets, cached labels and
outlines, facet links built without url_for."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import g, url_for
from sqlalchemy import select, update

from portal import db
from portal.core.urls import DetailLinks, FilterLinks, toggle_url
from portal.i18n import localized
from portal.policies import services as policies
from portal.policies.models import Policy
from portal.search import services as search
from portal.search.snippets import snippet
from tests.pages import check_page

QUERIES = ["创业担保贷款", "众创空间", "tax relief", "创新券", "incubator", "补贴", "人才", "loan", ""]


def _old_snippet(row, query: str):
    """The snippet as pages cut it before text was prepared at index time: from database text."""
    obj = row.obj
    if row.type == "policy":
        source = "\n".join([localized(obj, "summary"), obj.summary_en or "", obj.body])
    elif row.type == "benefit":
        d = obj.definition
        source = "\n".join([d.get("summary_en") or "", d.get("summary") or ""])
    else:
        source = "\n".join([localized(obj, "description"), obj.description_en or ""])
    return snippet(source, query)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snippets_from_the_prepared_text_match_those_cut_from_the_database(content_app, lang):
    with content_app.test_request_context(f"/search?lang={lang}"):
        session = db.session()
        compared = 0
        for text in QUERIES:
            query = search.SearchQuery(text=text, per_page=30)
            result = search.run(query)
            assert all(h.snippet is not None for h in result.hits), "the index holds no prepared text"
            for row in search.rows(session, result, text):
                assert str(row.snippet) == str(_old_snippet(row, text)), (lang, text, row.id)
                compared += 1
        assert compared > 100


def test_a_hit_without_prepared_text_still_gets_its_snippet(content_app):
    with content_app.test_request_context("/search?lang=zh"):
        session = db.session()
        result = search.run(search.SearchQuery(text="创业担保贷款", per_page=5))
        prepared = [str(r.snippet) for r in search.rows(session, result, "创业担保贷款")]
        result.hits = [type(h)(type=h.type, id=h.id, score=h.score) for h in result.hits]
        assert [str(r.snippet) for r in search.rows(session, result, "创业担保贷款")] == prepared
        assert any("<mark>" in s for s in prepared)


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "q=创业&level=national",
        "category=tax_relief,startup_loans&page=3&lang=en",
        "type=incubator&type=makerspace&sort=title",
        "region=cn&q=a+b%26c&near=兰州%20城关区",
    ],
)
def test_facet_links_equal_toggle_url(content_app, query_string):
    with content_app.test_request_context(f"/policies?{query_string}"):
        links = FilterLinks()
        for name, value in [
            ("level", "national"),
            ("category", "tax_relief"),
            ("type", "makerspace"),
            ("region", "gansu"),
            ("year", "2023"),
            ("q", "x"),
        ]:
            assert links.toggle(name, value) == toggle_url(name, value), (name, value)


def test_facet_labels_follow_the_language_of_each_request(client):
    zh = client.get("/policies?lang=zh").get_data(as_text=True)
    en = client.get("/policies?lang=en").get_data(as_text=True)

    def labels(page: str) -> set[str]:
        return set(re.findall(r"\s([^\s<>]+) <span class=\"count\">", page))

    assert {"国家级", "省级"} <= labels(zh) and not {"National", "Provincial"} & labels(zh)
    assert {"National", "Provincial"} <= labels(en) and not {"国家级", "省级"} & labels(en)
    assert client.get("/policies?lang=zh").get_data(as_text=True) == zh  # labels now from the cache
    check_page(en)


def test_a_changed_policy_text_gets_a_new_outline(staff_app):
    with staff_app.app_context():
        session = db.session()
        policy = session.scalar(
            select(Policy).where(Policy.publication_state == "published", Policy.body.contains("（一）"))
        )
        versions = policies.published_versions(session)
        anchor, label = policies.clause_anchor(session, policy.id, versions[policy.id], "（一）")
        assert anchor and label.endswith("（一）")
        later = dt.datetime(2030, 1, 1)
        session.execute(
            update(Policy)
            .where(Policy.id == policy.id)
            .values(body="# 标题\n\n第一条 只有一条。", updated_at=later)
        )
        assert policies.clause_anchor(session, policy.id, later, "第一条") == ("a1", "第一条")
        assert policies.clause_anchor(session, policy.id, later, "（一）") == (None, "")
        # The version read before the change still names the outline built from the old text.
        assert policies.clause_anchor(session, policy.id, versions[policy.id], "（一）") == (anchor, label)
        g.pop("policy_versions", None)


@pytest.mark.parametrize(
    "policy_id", ["plain", "with space", "斜杠/和？", "a%20b", "semi;colon&x=1", "#hash"]
)
def test_detail_links_equal_url_for(content_app, policy_id):
    with content_app.test_request_context("/search?q=x"):
        assert DetailLinks("policies.detail", "policy_id")(policy_id) == url_for(
            "policies.detail", policy_id=policy_id
        )


TEMPLATE = "\n".join(
    [
        '{{ _("Search") }}|{{ _("%(n)s km away", n=markup) }}|{{ gettext("Home") }}',
        '{{ _("Page %(page)s of %(pages)s", page=1, pages="<b>") }}',
        '{{ ngettext("%(num)s result", "%(num)s results", 1) }}',
        '{{ ngettext("%(num)s result", "%(num)s results", 3) }}',
        '{% trans trimmed q="<i>" %}Search results for “{{ q }}”{% endtrans %}',
    ]
)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_template_gettext_does_what_flask_babels_does(content_app, lang, autoescape):
    """Same strings, plural forms, `%` formatting and escaping as Flask-Babel's own callables."""
    import flask_babel
    from jinja2 import Environment
    from markupsafe import Markup

    theirs = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    theirs.install_gettext_callables(
        gettext=lambda s: flask_babel.get_translations().ugettext(s),
        ngettext=lambda s, p, n: flask_babel.get_translations().ungettext(s, p, n),
        newstyle=True,
    )
    ours = content_app.jinja_env.overlay(autoescape=autoescape)
    values = {"markup": Markup("<b>1</b>")}
    with content_app.test_request_context(f"/?lang={lang}"):
        mine = ours.from_string(TEMPLATE).render(values)
        assert mine == theirs.from_string(TEMPLATE).render(values)
    assert ("搜索" in mine) == (lang == "zh") and ("results" in mine) == (lang == "en")


def test_gettext_follows_force_locale_and_works_without_a_request(content_app):
    import flask_babel

    from portal.i18n import gettext, lazy_gettext, ngettext

    label = lazy_gettext("Search")
    assert gettext("Search") == "Search"  # no application context: the message itself
    with content_app.test_request_context("/?lang=zh"):
        assert gettext("Search") == str(label) == "搜索"
        with flask_babel.force_locale("en"):
            assert gettext("Search") == str(label) == "Search"
            assert ngettext("%(num)s result", "%(num)s results", 2) == "2 results"
        assert gettext("Search") == flask_babel.gettext("Search") == "搜索"
        assert gettext("Page %(page)s of %(pages)s", page=1, pages=2) == flask_babel.gettext(
            "Page %(page)s of %(pages)s", page=1, pages=2
        )


def test_the_navigation_marks_the_page_in_each_language(client):
    """The navigation is kept per endpoint and language: each page still marks its own entry."""
    for path, current in [("/policies", "/policies"), ("/search", "/search"), ("/", "/"), ("/map", "/map")]:
        for lang, home in [("zh", "首页"), ("en", "Home")]:
            page = client.get(f"{path}?lang={lang}").get_data(as_text=True)
            nav = page[page.index('class="wrap main-nav"') : page.index("</nav>", page.index("main-nav"))]
            assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [current], (path, lang)
            assert f">{home}</a>" in nav

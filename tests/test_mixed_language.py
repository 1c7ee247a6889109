"""Mixed-language text: the other language is marked with lang, words are not cut, 中文标点 is kept."""

from __future__ import annotations

import re

from flask import g

from portal.core.langspan import mark_foreign
from portal.search.snippets import snippet
from tests.pages import check_page

ENGLISH = (
    "The guaranteed start-up loan helps founders from supported groups borrow without collateral, "
    "and the state pays part of the interest when the loan is repaid on time."
)


def test_english_in_chinese_is_marked_and_chinese_in_english_too():
    assert (
        str(mark_foreign("城关区 Chengguan District 的政策", "zh"))
        == '城关区 <span lang="en">Chengguan District</span> 的政策'
    )
    assert 'lang="zh-Hans">城关区</span>' in str(mark_foreign("Policies of 城关区 here", "en"))
    # Tags are never touched, and lone letters or numbers are not "English".
    assert str(mark_foreign("<mark>贷款</mark> 20万元 A", "zh")) == "<mark>贷款</mark> 20万元 A"


def test_snippets_keep_chinese_punctuation_and_whole_words(app):
    with app.test_request_context("/?lang=zh"):
        cut = str(snippet("对小型微利企业，减按25%计入应纳税所得额；执行至２０２７年。", "企业"))
        assert "，" in cut and "；" in cut and "2027" in cut  # full-width digits folded, punctuation kept
        long = str(snippet("中文摘要。" + ENGLISH + " " + ENGLISH, "interest"))
        assert '<span lang="en">' in long
        visible = re.sub(r"<[^>]+>", "", long).strip("…")
        words = set(re.findall(r"[A-Za-z-]+", ENGLISH))
        assert all(w in words for w in re.findall(r"[A-Za-z-]+", visible)), visible
    with app.test_request_context("/?lang=en"):
        g.pop("lang", None)  # the test's app context outlives the first request context
        assert 'lang="zh-Hans"' in str(snippet("城关区创业担保贷款 guaranteed loans", "loans"))


def test_search_results_mark_english_snippets_on_chinese_pages(client):
    page = client.get("/search?q=guaranteed+loan").get_data(as_text=True)
    check_page(page)
    assert re.search(r'<p class="snippet">.*?<span lang="en">', page, re.S)

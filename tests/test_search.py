"""Search on the real library, and what is particular to Whoosh (index folders and their swap).

What every backend must do is in test_search_contract.py."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from portal import db
from portal.policies.models import Policy
from portal.search.analysis import query_terms
from portal.search.backend import IndexDoc, SearchQuery
from portal.search.snippets import snippet
from portal.search.whoosh_backend import WhooshBackend
from tests.pgsearch import backends, loaded


@pytest.fixture(scope="session", params=backends())
def searched_app(request, content_app):
    """All of content/ loaded and indexed, once per backend whose server is here."""
    return loaded(request, content_app)


@pytest.fixture
def client(searched_app):
    return searched_app.test_client()


def test_full_width_letters_are_folded():
    assert query_terms("ＡＩ创业") == ["ai", "创业"]


def test_domain_words_stay_whole():
    assert "众创空间" in query_terms("众创空间")
    assert "创新券" in query_terms("申请创新券")


def test_english_words_are_stemmed_alike():
    assert query_terms("subsidies") == query_terms("subsidy")


# Each named query must find the named document among the first five results.
NAMED_QUERIES = [
    ("雁滩", "chengguan-base-work-plan"),
    ("金城创客地图", "chengguan-base-work-plan"),
    ("国办发〔2016〕35号", "guobanfa-2016-35"),
    ("留学人员创业园 两江", "liangjiang-base-work-plan"),
    ("中关村 创业大街", "haidian-base-work-plan"),
    ("仪器 共享 沧州", "cangzhou-innovation-opinions"),
    ("首批省级双创示范基地名单", "shanxi-first-batch-bases"),
    ("评价标准要点", "shijiazhuang-base-evaluation-criteria"),
    ("Haidian demonstration base", "haidian-base-work-plan"),
    ("Shanxi opinions on building provincial demonstration bases", "shanxi-provincial-base-opinions"),
    ("Chengguan national regional demonstration base work plan", "chengguan-base-work-plan"),
    (
        "transformation of scientific and technological achievements law",
        "tech-achievement-transformation-law",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NAMED_QUERIES)
def test_named_queries_find_named_documents(searched_app, text, expected):
    with searched_app.app_context():
        if db.session().get(Policy, expected) is None:
            pytest.fail(f"content lacks {expected}")
        query = SearchQuery(text=text, per_page=5, types=("policy",))
        result = searched_app.extensions["search"].search(query)
    assert expected in [h.id for h in result.hits], f"{text!r} → {[h.id for h in result.hits]}"


# Places by Chinese name, English name and pinyin, across the whole index (every type).
NAMED_PLACES = [
    ("柴火空间", "nanshan-chaihuo-makerspace"),
    ("chaihuo", "nanshan-chaihuo-makerspace"),
    ("Chaihuo Makerspace", "nanshan-chaihuo-makerspace"),
    ("车库咖啡", "haidian-garage-cafe"),
    ("cheku kafei", "haidian-garage-cafe"),
    ("雁滩创新大街", "chengguan-yantan-innovation-street"),
    ("兰州科技大市场", "chengguan-lanzhou-tech-market"),
    ("Shenzhen Bay Venture Plaza", "nanshan-shenzhen-bay-venture-plaza"),
]


@pytest.mark.parametrize(("text", "expected"), NAMED_PLACES)
def test_named_places_are_found(searched_app, text, expected):
    result = searched_app.extensions["search"].search(SearchQuery(text=text, per_page=3))
    assert expected in [h.id for h in result.hits], f"{text!r} → {[h.id for h in result.hits]}"


def test_no_document_has_every_word_then_some_words_are_used(searched_app):
    result = searched_app.extensions["search"].search(SearchQuery(text="孵化器 zzzqqq"))
    assert result.relaxed is True
    assert result.total > 0


def test_facet_counts_agree_with_the_database(searched_app):
    result = searched_app.extensions["search"].search(SearchQuery(text="", per_page=5, types=("policy",)))
    with searched_app.app_context():
        session = db.session()
        total = session.scalar(select(func.count()).select_from(Policy))
        by_level = dict(session.execute(select(Policy.level, func.count()).group_by(Policy.level)).all())
    assert result.total == total
    assert result.facets["level"] == by_level
    assert result.facets["region"]["cn"] == total  # every region descends from cn


def test_filters_restrict_results(searched_app):
    backend = searched_app.extensions["search"]
    result = backend.search(
        SearchQuery(text="", filters={"region": ("gansu",)}, per_page=100, types=("policy",))
    )
    with searched_app.app_context():
        session = db.session()
        for hit in result.hits:
            assert session.get(Policy, hit.id).region_id.startswith("gansu")
    assert result.total >= 2


def test_sorting_newest_first(searched_app):
    backend = searched_app.extensions["search"]
    result = backend.search(SearchQuery(text="", sort="newest", per_page=100, types=("policy",)))
    with searched_app.app_context():
        session = db.session()
        dates = [session.get(Policy, h.id).issued_on for h in result.hits]
    known = [d for d in dates if d is not None]
    assert known == sorted(known, reverse=True)


def test_pages_do_not_overlap(searched_app):
    backend = searched_app.extensions["search"]
    first = backend.search(SearchQuery(text="", page=1, per_page=10, sort="title"))
    second = backend.search(SearchQuery(text="", page=2, per_page=10, sort="title"))
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert len(first.hits) == 10


def test_snippet_marks_the_words_and_escapes_html():
    out = snippet("<b>申请</b>创新券需要提交材料", "创新券")
    assert "<mark>创新券</mark>" in out
    assert "&lt;b&gt;" in out


def _doc(key: str, text: str) -> IndexDoc:
    return IndexDoc(key=f"policy:{key}", type="policy", title=key, text=text, regions=("cn",))


def test_rebuild_swaps_atomically_and_readers_follow(tmp_path):
    backend = WhooshBackend(tmp_path / "search")
    assert backend.is_ready() is False
    backend.rebuild([_doc("one", "众创空间")])
    first_target = os.path.realpath(tmp_path / "search" / "current")
    assert backend.search(SearchQuery(text="众创空间")).total == 1
    backend.rebuild([_doc("two", "众创空间"), _doc("three", "众创空间")])
    assert os.path.realpath(tmp_path / "search" / "current") != first_target
    assert backend.search(SearchQuery(text="众创空间")).total == 2
    backend.rebuild([_doc("four", "孵化器")])
    # The build before the previous one is pruned; the previous one stays for open readers.
    assert len(list((tmp_path / "search").glob("index-*"))) == 2


def test_filtered_word_queries_rank_without_error(searched_app):
    """Regression: block-quality skipping under a filter raised an AssertionError in Whoosh."""
    backend = searched_app.extensions["search"]
    for text in ("众创空间", "孵化器", "创新", "人才 住房", "innovation"):
        for page in (1, 2):
            result = backend.search(
                SearchQuery(text=text, types=("policy",), page=page, per_page=5, filters={"region": ("cn",)})
            )
            assert result.total > 0, text
            assert len(result.hits) <= 5 and {h.type for h in result.hits} <= {"policy"}

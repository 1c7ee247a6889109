"""What every search backend must do, run against each one `make_backend` knows.

Whoosh always; PostgreSQL too when TEST_DATABASE_URL names a server (scripts/with_postgres.sh).
"""

from __future__ import annotations

import pytest

from portal.search.backend import IndexDoc, SearchQuery, doc_version, make_backend
from portal.search.plan import analyse_synonyms
from tests.pgsearch import backends, fresh_database


@pytest.fixture(params=backends())
def backend(request, tmp_path):
    """Each backend whose server is here; PostgreSQL on a database of its own per test."""
    if request.param != "postgres":
        yield make_backend({"SEARCH_BACKEND": request.param, "SEARCH_DIR": tmp_path / "search"})
        return
    from portal.search.postgres_backend import install_schema

    with fresh_database() as url:
        made = make_backend({"SEARCH_BACKEND": "postgres", "DATABASE_URL": url})
        install_schema(made.engine)
        yield made
        made.engine.dispose()


def doc(key: str, title: str, text: str = "", type_: str = "policy", **kw) -> IndexDoc:
    return IndexDoc(
        key=f"{type_}:{key}",
        type=type_,
        title=title,
        text=text,
        names=(title,),
        regions=kw.pop("regions", ("cn",)),
        **kw,
    )


LIBRARY = [
    doc(
        "voucher-plan",
        "创新券管理办法",
        "企业使用创新券购买科技服务",
        date_ordinal=737000,
        year="2019",
        regions=("cn", "beijing"),
    ),
    doc("loan", "创业担保贷款贴息", "对创业担保贷款给予贴息", date_ordinal=738000, year="2021"),
    doc("rent", "场地租金补贴", "初创企业场地租金补贴", date_ordinal=736000, year="2017"),
    doc("street", "中关村创业大街", "众创空间集聚区", type_="place", regions=("cn", "beijing")),
    doc("street-fund", "中关村创业大街双创母基金", "中关村创业大街 中关村创业大街 基金", type_="place"),
    doc("voucher", "海淀创新券", "创新券 补贴", type_="benefit", guide=True),
]


def keys(result) -> list[str]:
    return [f"{h.type}:{h.id}" for h in result.hits]


def test_not_ready_before_the_first_build(backend):
    assert backend.is_ready() is False


def test_rebuild_makes_every_document_searchable(backend):
    assert backend.rebuild(LIBRARY) == len(LIBRARY)
    assert backend.is_ready() is True
    assert backend.count() == len(LIBRARY)
    assert keys(backend.search(SearchQuery(text="贴息")))[0] == "policy:loan"


def test_upsert_replaces_and_delete_removes(backend):
    backend.rebuild(LIBRARY)
    backend.upsert([doc("rent", "人才公寓", "人才公寓")])
    assert backend.search(SearchQuery(text="场地租金")).total == 0
    assert keys(backend.search(SearchQuery(text="人才公寓"))) == ["policy:rent"]
    backend.delete(["policy:rent"])
    assert backend.search(SearchQuery(text="人才公寓")).total == 0
    assert backend.count() == len(LIBRARY) - 1


def test_versions_follow_every_change(backend):
    backend.rebuild(LIBRARY)
    assert backend.versions() == {d.key: doc_version(d) for d in LIBRARY}
    changed = doc("rent", "场地租金补贴", "新的正文")
    backend.upsert([changed])
    assert backend.versions()["policy:rent"] == doc_version(changed) != doc_version(LIBRARY[2])


def test_keys_lists_every_match(backend):
    backend.rebuild(LIBRARY)
    assert sorted(backend.keys(SearchQuery(text="中关村"))) == ["place:street", "place:street-fund"]


def test_traditional_characters_and_full_width_find_simplified_text(backend):
    backend.rebuild(LIBRARY)
    assert "policy:loan" in keys(backend.search(SearchQuery(text="創業擔保貸款")))
    assert backend.search(SearchQuery(text="創新券")).total == 2


def test_synonyms_in_the_query_widen_it(backend):
    backend.rebuild(LIBRARY)
    assert backend.search(SearchQuery(text="房租")).total == 0
    synonyms = analyse_synonyms({"房租": ("租金",)})
    assert keys(backend.search(SearchQuery(text="房租", synonyms=synonyms))) == ["policy:rent"]


def test_a_compound_finds_texts_with_its_parts(backend):
    backend.rebuild(LIBRARY)
    assert "policy:rent" in keys(backend.search(SearchQuery(text="租金补贴")))


def test_exact_name_ranks_first(backend):
    backend.rebuild(LIBRARY)
    assert keys(backend.search(SearchQuery(text="中关村创业大街")))[0] == "place:street"


def test_a_benefit_ranks_above_a_plan_when_the_query_names_one(backend):
    backend.rebuild(LIBRARY)
    assert keys(backend.search(SearchQuery(text="创新券")))[0] == "benefit:voucher"


def test_a_typo_still_finds(backend):
    backend.rebuild(LIBRARY)
    assert "benefit:voucher" in keys(backend.search(SearchQuery(text="海淀创新卷")))


def test_some_words_when_none_has_all(backend):
    backend.rebuild(LIBRARY)
    result = backend.search(SearchQuery(text="贴息 zzqq"))
    assert result.relaxed is True
    assert keys(result) == ["policy:loan"]


def test_types_and_filters_restrict_and_facets_count(backend):
    backend.rebuild(LIBRARY)
    result = backend.search(SearchQuery(text="", types=("place",)))
    assert sorted(keys(result)) == ["place:street", "place:street-fund"]
    result = backend.search(SearchQuery(text="", filters={"region": ("beijing",)}))
    assert sorted(keys(result)) == ["place:street", "policy:voucher-plan"]
    assert result.facets["type"] == {"place": 1, "policy": 1}


def test_sorting_and_pages(backend):
    backend.rebuild(LIBRARY)
    newest = backend.search(SearchQuery(text="", types=("policy",), sort="newest"))
    assert keys(newest) == ["policy:loan", "policy:voucher-plan", "policy:rent"]
    first = backend.search(SearchQuery(text="", sort="title", per_page=3))
    second = backend.search(SearchQuery(text="", sort="title", per_page=3, page=2))
    assert len(first.hits) == len(second.hits) == 3
    assert not set(keys(first)) & set(keys(second))


def test_a_failed_rebuild_keeps_the_old_index(backend):
    backend.rebuild(LIBRARY)

    def broken():
        yield LIBRARY[0]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert backend.count() == len(LIBRARY)
    assert backend.is_ready() is True


def test_unknown_backend_is_refused_with_the_option_named(tmp_path):
    with pytest.raises(ValueError, match="SEARCH_BACKEND"):
        make_backend({"SEARCH_BACKEND": "elastic", "SEARCH_DIR": tmp_path})

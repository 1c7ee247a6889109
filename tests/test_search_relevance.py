"""Search as founders type it: judged queries within budget, synonyms, directory and map search."""

from __future__ import annotations

import pytest
import yaml

from bench.relevance import BUDGET, read_queries, run_queries
from bench.relevance import metrics as relevance_metrics
from portal import db
from portal.config import ROOT
from portal.search import plan, services
from portal.search.backend import SearchQuery
from portal.search.documents import all_documents
from portal.search.models import Synonym
from portal.search.text import exact_form, normalise, pinyin_forms, query_words, sub_words
from tests.pages import check_page
from tests.pgsearch import backends, loaded


@pytest.fixture(scope="session", params=backends())
def searched_app(request, content_app):
    """All of content/ loaded and indexed, once per backend whose server is here."""
    return loaded(request, content_app)


@pytest.fixture
def client(searched_app):
    return searched_app.test_client()


def test_traditional_and_full_width_fold_to_one_form():
    assert normalise("創業擔保貸款") == "创业担保贷款"
    assert normalise("ＡＩ創新") == "ai创新"
    assert query_words("Maker Space") == query_words("makerspace") == query_words("maker-spaces")


def test_a_compound_also_matches_its_smaller_words_at_lower_weight():
    assert sub_words("房租补贴") == ["房租", "补贴"]
    assert sub_words("个人所得税") == ["个人", "所得税"]
    group = plan.plan("房租补贴")[0]
    assert group.alternatives[0].slots == (("房租补贴",),)
    assert group.alternatives[-1].slots == (("房租",), ("补贴",))
    assert group.alternatives[-1].weight < group.alternatives[0].weight


def test_synonyms_expand_words_and_runs_of_words():
    synonyms = plan.analyse_synonyms({"房租": ("租金",), "开公司": ("创业",)})
    groups = plan.plan("大学生开公司房租补贴", synonyms)
    assert [g.word for g in groups] == ["大学生", "开公司", "房租补贴"]
    assert plan.Alternative((("创业",),), plan.SYNONYM_WEIGHT) in groups[1].alternatives
    assert ("房租", "租金") in groups[2].alternatives[-1].slots


def test_pinyin_of_titles_per_word_and_initials():
    forms = pinyin_forms("柴火空间").split()
    assert {"chaihuo", "kongjian", "chaihuokongjian", "chkj"} <= set(forms)
    assert {"chuangye", "danbao", "daikuan"} <= set(pinyin_forms("个人创业担保贷款及贴息").split())


def test_exact_form_ignores_brackets_and_spaces():
    assert exact_form("国办发〔2016〕35号") == exact_form("国办发 2016 35号")


def test_judged_queries_meet_the_budget(searched_app):
    outcomes = run_queries(searched_app, read_queries())
    m = relevance_metrics(outcomes)
    assert m["queries"] >= 60
    assert not m["zero_results"], m["zero_results"]
    assert m["mrr"] >= BUDGET["mrr"], m
    assert m["hit@5"] >= BUDGET["hit@5"], m
    places = relevance_metrics([o for o in outcomes if o.judged.scope == "places"])
    assert places["hit@5"] >= BUDGET["hit@5"], places


def _synonym_entries():
    return yaml.safe_load((ROOT / "content" / "synonyms.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", _synonym_entries(), ids=lambda e: e["id"])
def test_each_synonym_test_query_finds_its_answer(searched_app, entry):
    with searched_app.test_request_context("/"):
        result = services.run(SearchQuery(text=entry["test"]["query"], per_page=5, facets=()))
    keys = [f"{h.type}:{h.id}" for h in result.hits]
    assert entry["test"]["expect"] in keys, f"{entry['test']['query']!r} → {keys}"


def test_exact_title_comes_first(searched_app):
    with searched_app.test_request_context("/"):
        result = services.run(SearchQuery(text="中关村创业大街", per_page=3, facets=()))
    assert (result.hits[0].type, result.hits[0].id) == ("place", "haidian-zgc-innovation-street")


def test_benefit_ranks_above_plans_that_mention_it(searched_app):
    with searched_app.test_request_context("/"):
        result = services.run(SearchQuery(text="创新券", per_page=4, facets=()))
    assert all(h.type == "benefit" for h in result.hits), result.hits


def test_a_synonym_change_applies_without_a_rebuild(app, make_policy):
    make_policy("rent", title="场地租金补贴办法", body="对初创企业给予场地租金补贴。")
    session = db.session()
    session.commit()
    app.extensions["search"].rebuild(all_documents(session))
    with app.app_context(), app.test_request_context("/"):  # a request of its own, as a visitor's
        assert services.run(SearchQuery(text="房租", facets=())).total == 0
    session.add(
        Synonym(
            id="fangzu",
            word="房租",
            terms=["租金"],
            reason="test",
            test_query="房租",
            test_expect="policy:rent",
        )
    )
    session.commit()
    # The next request reads the content version the commit moved, so the list it uses is new.
    with app.app_context(), app.test_request_context("/"):
        assert [h.id for h in services.run(SearchQuery(text="房租", facets=())).hits] == ["rent"]


def test_directory_api_finds_places_by_region_and_type(client):
    body = client.get("/api/v1/places", query_string={"q": "南山 孵化器", "per_page": 10}).get_json()
    ids = [r["id"] for r in body["results"]]
    assert "nanshan-bgi-blue-rainbow-incubator" in ids[:10]
    # The open incubator comes first; Nanshan's planned incubators come after open places (the
    # directory ranks open before planned), but still on the first page.
    assert body["results"][0]["type"] == "incubator", ids
    assert sum(r["type"] == "incubator" for r in body["results"]) >= 3, ids


def test_directory_page_finds_maker_spaces_written_apart(client):
    resp = client.get("/places", query_string={"q": "maker space Shenzhen Nanshan"})
    assert resp.status_code == 200
    check_page(resp.get_data(as_text=True))
    assert "/places/nanshan-chaihuo-makerspace" in resp.get_data(as_text=True)


def test_map_search_box_finds_traditional_and_pinyin(client):
    for text in ("蘭州 眾創空間", "zhongchuang kongjian lanzhou"):
        body = client.get("/api/v1/places.geojson", query_string={"q": text}).get_json()
        ids = {f["properties"]["id"] for f in body["features"]}
        assert "chengguan-western-maker-complex" in ids, (text, ids)

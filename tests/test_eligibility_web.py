"""The wizard pages, the benefit pages and the eligibility API, on the real content."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from portal import db
from portal.eligibility.models import ResultFeedback
from tests.pages import check_page, parse
from tests.rulesets import content_ruleset

RULES = content_ruleset()
FOUNDED = "company_founded_on"
# A graduate founding a small company in Chengguan, hosted in a recognised space.
FOUNDER = {
    "applicant": "company",
    "region": "gansu-lanzhou-chengguan",
    "person_groups": ["college_graduate"],
    "graduation_year": 2026,
    "age": 24,
    "company_registered": True,
    "company_founded_on": "2026-03-01",
    "employees": 6,
    "annual_revenue_cny": 500000,
    "annual_taxable_income_cny": 100000,
    "total_assets_cny": 800000,
    "tech_sme": True,
    "high_tech_enterprise": False,
    "has_rd_expenses": True,
    "hosted_in_recognized_space": True,
    "has_invention_patent": False,
    "patent_pledge_financing": False,
    "first_patent_insurance": False,
    "operates_space": "no",
    "talent_programmes": [],
    "rural_return": False,
    "enterprise_size": "small",
    "guaranteed_loan_new_hires": 1,
    "restricted_industry": False,
    "small_scale_taxpayer": True,
    "hires_key_groups": False,
    "hires_veterans": False,
    "patent_equity_contribution": False,
    "ma_loan": False,
    "above_designated_size": False,
    "new_equipment": True,
}


def _walk(client, answers: dict, lang: str = "zh", limit: int = 30):
    """Answer every question the wizard asks from `answers`, as the form would; return the pages."""
    response = client.get(f"/eligibility/questions/applicant?lang={lang}")
    pages = []
    for _step in range(limit):
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        html = response.get_data(as_text=True)
        pages.append(html)
        doc = parse(html)
        form = doc.find("form", action="/eligibility/answer")
        hidden = [(i.attrs["name"], i.attrs["value"]) for i in form.find_all("input", type="hidden")]
        qid = dict(hidden)["question"]
        value = answers[qid]
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            values = ["none"]
        values = ["yes" if v is True else "no" if v is False else str(v) for v in values]
        query = hidden + [(qid, v) for v in values]
        response = client.get("/eligibility/answer", query_string=query)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        location = response.headers["Location"]
        if "/eligibility/results" in location:
            return pages, location
        response = client.get(location)
    raise AssertionError("the wizard did not finish")


def test_start_page(client):
    for lang, html_lang in (("zh", "zh-Hans"), ("en", "en")):
        doc = check_page(client.get(f"/eligibility?lang={lang}").get_data(as_text=True), html_lang)
        assert doc.find("a", href="/eligibility/questions/applicant") is not None


def test_walk_through_to_results_asks_only_what_matters(client):
    pages, location = _walk(client, FOUNDER)
    asked = [re.search(r'name="question" value="([a-z_]+)"', p).group(1) for p in pages]
    assert asked[0] == "applicant" and len(asked) == len(set(asked))
    assert "angel_investor" not in asked  # a company is never asked the individual investor question
    assert "age" not in asked  # no rule reads it
    for page in pages:
        check_page(page, "zh-Hans")
    results = client.get(location).get_data(as_text=True)
    doc = check_page(results, "zh-Hans")
    eligible = doc.find("section", **{"aria-labelledby": "group-eligible"})
    ids = {a.attrs["id"] for a in eligible.find_all("article")}
    assert "benefit-small-low-profit-enterprise-income-tax" in ids
    assert "benefit-rd-expense-super-deduction" in ids
    assert "benefit-chengguan-makerspace-operating-subsidy" not in ids  # that one is for operators


def test_results_show_reasons_amounts_checklist_share_and_print(client):
    _pages, location = _walk(client, FOUNDER, lang="en")
    html = client.get(location + "&lang=en").get_data(as_text=True)
    doc = check_page(html, "en")
    assert "Met:" in html and "Not met:" in html  # states in words, not colour only
    assert doc.find("section", **{"aria-labelledby": "checklist-heading"}) is not None
    share = doc.find("input", id="share-link").attrs["value"]
    assert parse_qs(urlsplit(share).query)["region"] == ["gansu-lanzhou-chengguan"]
    assert "Rules version" in html or "rules version" in html
    printed = client.get(location + "&view=print&lang=en")
    check_page(printed.get_data(as_text=True), "en")
    assert 'id="feedback"' not in printed.get_data(as_text=True)
    printed_doc = parse(printed.get_data(as_text=True))
    assert printed_doc.find("nav", **{"class": "main-nav"}) is None  # no site navigation in print
    assert printed_doc.find("button", id="print-button") is not None
    assert "js/print.js" in printed.get_data(as_text=True)


def test_change_an_answer_and_back_link(client):
    _pages, location = _walk(client, FOUNDER)
    results = parse(client.get(location).get_data(as_text=True))
    change = [
        a.attrs["href"]
        for a in results.find_all("a")
        if "/eligibility/questions/region" in a.attrs.get("href", "")
    ][0]
    page = client.get(change)
    doc = check_page(page.get_data(as_text=True), "zh-Hans")
    assert doc.find("option", value="gansu-lanzhou-chengguan").attrs.get("selected") is not None
    back = doc.find("a", **{"class": "back-link"})
    assert back is not None and "/eligibility/questions/applicant" in back.attrs["href"]


def test_a_local_benefit_is_ineligible_elsewhere_with_the_region_named(client):
    answers = {**FOUNDER, "region": "cn"}
    _pages, location = _walk(client, answers)
    doc = parse(client.get(location).get_data(as_text=True))
    ineligible = doc.find("section", **{"aria-labelledby": "group-ineligible"})
    entry = ineligible.find(id="benefit-chengguan-guaranteed-startup-loan")
    assert entry is not None and "城关区" in entry.text  # listed with the region it is open to


@pytest.mark.parametrize(
    "query,field",
    [
        ("question=age&age=abc", "age"),
        ("question=age&age=-5", "age"),
        ("question=employees&employees=1.5&company_registered=yes", "employees"),
        ("question=applicant&applicant=martian", "applicant"),
        ("question=company_founded_on&company_founded_on=2023-02-30&company_registered=yes", FOUNDED),
        ("question=company_founded_on&company_founded_on=2999-01-01&company_registered=yes", FOUNDED),
        ("question=region&region=atlantis", "region"),
        ("question=person_groups&person_groups=wizard", "person_groups"),
        ("question=applicant", "applicant"),
    ],
)
def test_bad_answers_show_the_question_again_naming_it(client, query, field):
    response = client.get(f"/eligibility/answer?{query}")
    assert response.status_code == 400
    doc = check_page(response.get_data(as_text=True))
    summary = doc.find("div", id="error-summary")
    assert summary is not None
    question = RULES.question(field)
    assert question.text in summary.text
    assert doc.find("input", type="hidden", name="question").attrs["value"] == field


def test_a_tampered_results_link_asks_the_bad_question_again(client):
    response = client.get("/eligibility/results?applicant=company&employees=lots&company_registered=yes")
    assert response.status_code == 400
    assert "员工" in parse(response.get_data(as_text=True)).find("h1").text


def test_unknown_question_is_404(client):
    assert client.get("/eligibility/questions/shoe_size").status_code == 404


def test_feedback_has_its_own_page_linked_from_the_results(content_app):
    client = content_app.test_client()
    answers = "applicant=individual&region=cn"
    results = parse(client.get(f"/eligibility/results?{answers}&lang=en").get_data(as_text=True))
    assert results.find("form", method="post") is None  # nothing to post from the results page
    link = results.find("section", id="feedback").find("a").attrs["href"]
    assert urlsplit(link).path == "/eligibility/results/feedback"
    assert parse_qs(urlsplit(link).query) == {"applicant": ["individual"], "region": ["cn"]}
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    doc = check_page(page.get_data(as_text=True), "en")
    form = doc.find("form", method="post")
    assert form.attrs["action"] == "/eligibility/feedback"
    assert form.find("input", name="answers").attrs["value"] == answers
    assert form.find("input", name="csrf_token") is not None
    options = [o.attrs["value"] for o in form.find("select", name="benefit_id").find_all("option")]
    assert options == ["", *(b.id for b in RULES.benefits)]
    back = [a for a in doc.find_all("a") if a.text == "Back to your results"][0]
    assert back.attrs["href"] == f"/eligibility/results?{answers}"


def test_feedback_is_stored_and_needs_csrf(content_app):
    client = content_app.test_client()
    page = client.get("/eligibility/results/feedback?applicant=individual&region=cn").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/eligibility/feedback", data={"message": "x"}).status_code == 400
    response = client.post(
        "/eligibility/feedback",
        data={
            "csrf_token": token,
            "message": "我符合条件",
            "benefit_id": RULES.benefits[0].id,
            "answers": "applicant=individual&region=cn",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/eligibility/results?applicant=individual&region=cn"
    with content_app.app_context():
        item = db.session().query(ResultFeedback).order_by(ResultFeedback.id.desc()).first()
        assert item.message == "我符合条件" and item.answers == "applicant=individual&region=cn"
        assert item.benefit_id == RULES.benefits[0].id and item.ruleset_version
    # Back on the results, the thanks are shown once: that page is the visitor's own, not cached.
    thanked = client.get(response.headers["Location"])
    assert thanked.headers["Cache-Control"] == "private, no-store" and "X-Cache" not in thanked.headers
    assert parse(thanked.get_data(as_text=True)).find("div", **{"class": "flash flash-success"}) is not None
    assert "flash" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_empty_or_long_message_comes_back_with_the_error_named(content_app):
    client = content_app.test_client()
    page = client.get("/eligibility/results/feedback?applicant=individual&region=cn&lang=en")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(
        1
    )
    benefit = RULES.benefits[1].id
    for message in (" ", "长" * 2001):
        response = client.post(
            "/eligibility/feedback",
            data={"csrf_token": token, "message": message, "benefit_id": benefit, "answers": "region=cn"},
        )
        assert response.status_code == 400
        doc = check_page(response.get_data(as_text=True), "en")
        summary = doc.find("div", id="error-summary")
        assert "What looks wrong?: Write between 1 and 2000 characters." in summary.text
        assert summary.find("a").attrs["href"] == "#feedback-message"
        field = doc.find("textarea", id="feedback-message")
        assert field.attrs["aria-invalid"] == "true" and field.text == message.strip()
        assert doc.find("option", value=benefit).attrs.get("selected") is not None  # the choice is kept
        assert doc.find("input", name="answers").attrs["value"] == "region=cn"
    with content_app.app_context():
        assert db.session().query(ResultFeedback).filter_by(benefit_id=benefit).count() == 0


@pytest.mark.parametrize("lang,html_lang", [("zh", "zh-Hans"), ("en", "en")])
def test_benefit_pages(client, lang, html_lang):
    doc = check_page(client.get(f"/benefits?lang={lang}").get_data(as_text=True), html_lang)
    links = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("href", "").startswith("/benefits/")]
    assert len(set(links)) == len(RULES.benefits)
    for href in sorted(set(links))[:40]:
        check_page(client.get(f"{href}?lang={lang}").get_data(as_text=True), html_lang)
    filtered = parse(client.get(f"/benefits?kind=tax_relief&lang={lang}").get_data(as_text=True))
    shown = {
        a.attrs["href"] for a in filtered.find_all("a") if a.attrs.get("href", "").startswith("/benefits/")
    }
    assert shown and all(RULES.benefit(h.rsplit("/", 1)[1]).kind == "tax_relief" for h in shown)


def test_benefit_page_shows_amounts_rules_and_sources(client):
    html = client.get("/benefits/small-low-profit-enterprise-income-tax?lang=en").get_data(as_text=True)
    assert "Who can get it" in html and "Amounts" in html
    assert client.get("/benefits/nope").status_code == 404


def test_benefits_appear_in_site_search(client):
    body = client.get("/api/v1/search", query_string={"q": "创业担保贷款", "type": "benefit"}).get_json()
    assert body["total"] >= 1
    assert all(r["type"] == "benefit" and "/benefits/" in r["url"] for r in body["results"])


# API


def test_api_benefits_shape(client):
    body = client.get("/api/v1/benefits").get_json()
    assert len(body["results"]) == len(RULES.benefits)
    for item in body["results"]:
        assert {"id", "name", "name_en", "kind", "issuer", "region", "policy_ids", "url"} <= set(item)
    tax = client.get("/api/v1/benefits?kind=tax_relief").get_json()["results"]
    assert tax and {b["kind"] for b in tax} == {"tax_relief"}
    assert client.get("/api/v1/benefits?kind=magic").status_code == 400
    one = client.get(f"/api/v1/benefits/{RULES.benefits[0].id}").get_json()
    assert one["conditions"] and one["cases"]
    assert client.get("/api/v1/benefits/nope").status_code == 404


def test_api_questions_shape(client):
    body = client.get("/api/v1/eligibility/questions").get_json()
    ids = [q["id"] for q in body["questions"]]
    for key in (
        "applicant",
        "region",
        "person_groups",
        "graduation_year",
        "age",
        "company_registered",
        "company_founded_on",
        "employees",
        "annual_revenue_cny",
        "tech_sme",
        "high_tech_enterprise",
        "hosted_in_recognized_space",
        "has_invention_patent",
    ):
        assert key in ids
    for q in body["questions"]:
        assert {"id", "type", "text", "text_en"} <= set(q)
        if q["type"] in ("choice", "multi"):
            assert q["options"]


def test_api_eligibility_shape(client):
    response = client.post("/api/v1/eligibility", json={"answers": FOUNDER, "on": "2026-12-01"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["on"] == "2026-12-01" and body["ruleset_version"]
    assert len(body["results"]) == len(RULES.benefits)
    for r in body["results"]:
        assert {"benefit_id", "kind", "status", "criteria", "missing", "unlock_hints"} <= set(r)
        assert r["status"] in ("eligible", "ineligible", "needs_info")
        for c in r["criteria"]:
            assert {"id", "text", "met", "source"} <= set(c)
            assert c["met"] in (True, False, None)
    statuses = {r["benefit_id"]: r["status"] for r in body["results"]}
    assert statuses["small-low-profit-enterprise-income-tax"] == "eligible"


def test_api_needs_info_lists_missing_questions(client):
    body = client.post("/api/v1/eligibility", json={"answers": {"applicant": "company"}}).get_json()
    assert body["next_question"] == "region"
    assert any("region" in r["missing"] for r in body["results"] if r["status"] == "needs_info")


def test_api_dated_rules_follow_on(client):
    answers = {
        "applicant": "company",
        "region": "cn",
        "company_registered": True,
        "employees": 10,
        "annual_taxable_income_cny": 1000000,
        "total_assets_cny": 1000000,
        "restricted_industry": False,
    }
    now = client.post("/api/v1/eligibility", json={"answers": answers, "on": "2026-12-01"}).get_json()
    later = client.post("/api/v1/eligibility", json={"answers": answers, "on": "2028-06-01"}).get_json()

    def status(body):
        return {r["benefit_id"]: r for r in body["results"]}["small-low-profit-enterprise-income-tax"]

    assert status(now)["status"] == "eligible"
    assert status(now)["amounts"] and status(now)["amounts"][0]["in_force"] is not None
    assert status(later)["amounts"][0]["in_force"] is None  # the relief runs to 2027-12-31
    assert status(later)["status"] == "ineligible"
    assert [c["met"] for c in status(later)["criteria"] if c["id"] == "in_force"] == [False]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"answers": {"age": "old"}}, "answers.age"),
        ({"answers": {"employees": -1, "company_registered": True}}, "answers.employees"),
        ({"answers": {"applicant": "alien"}}, "answers.applicant"),
        ({"answers": {"company_founded_on": "2021-13-01"}}, "answers.company_founded_on"),
        ({"answers": {"tech_sme": "maybe"}}, "answers.tech_sme"),
        ({"answers": {"person_groups": "veteran"}}, None),
        ({"answers": {"favourite_colour": "red"}}, "answers.favourite_colour"),
        ({"answers": []}, "answers"),
        ({"answers": {}, "on": "2026-02-30"}, "on"),
        ({"answers": {}, "extra": 1}, "extra"),
    ],
)
def test_api_bad_answers_are_400_naming_the_field(client, body, field):
    response = client.post("/api/v1/eligibility", json=body)
    if field is None:  # a single value for a list question is accepted as a one-item list
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == field and error["message"]


def test_api_body_that_is_not_json(client):
    bodies = ((b"not json", "application/json"), (b"{}", "text/plain"), (b"[1,2]", "application/json"))
    for data, kind in bodies:
        response = client.post("/api/v1/eligibility", data=data, content_type=kind)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "invalid_json"


def test_hosting_benefits_point_to_recognised_spaces_in_the_region(client):
    html = client.get(
        "/eligibility/results?applicant=individual&region=beijing-haidian"
        "&person_groups=none&hosted_in_recognized_space=no"
    ).get_data(as_text=True)
    doc = parse(html)
    section = doc.find("section", **{"aria-labelledby": "spaces-heading"})
    assert section is not None
    links = [a.attrs["href"] for a in section.find_all("a")]
    places = [h for h in links if h.startswith("/places/")]
    assert places, "Haidian has maker spaces and incubators in the directory"
    assert any(h.startswith("/map?") and "region=beijing-haidian" in h for h in links)
    with client.application.app_context():
        from portal.places.models import Place

        for href in places:
            place = db.session().get(Place, href.rsplit("/", 1)[1])
            assert place.type in ("makerspace", "incubator", "accelerator", "science_park")
            assert place.region_id.startswith("beijing")


def test_benefit_region_filter_keeps_what_is_open_there(client):
    page = parse(client.get("/benefits?region=gansu-lanzhou-chengguan").get_data(as_text=True))
    shown = {
        a.attrs["href"].rsplit("/", 1)[1]
        for a in page.find_all("a")
        if a.attrs.get("href", "").startswith("/benefits/")
    }
    api = client.get("/api/v1/benefits?region=gansu-lanzhou-chengguan").get_json()["results"]
    assert shown == {b["id"] for b in api}
    assert "chengguan-guaranteed-startup-loan" in shown and "rd-expense-super-deduction" in shown
    assert not any(b.startswith("cangzhou-") for b in shown)


def test_progress_never_says_about_zero_more_questions(client):
    pages, _location = _walk(client, FOUNDER, lang="en")
    assert not any("about 0 more" in p for p in pages)
    assert "probably the last question" in pages[-1]


def test_graduation_year_reads_2025_and_accepts_the_year_character(client):
    base = "applicant=individual&region=cn&person_groups=college_graduate"
    response = client.get(f"/eligibility/answer?{base}&graduation_year=2025年&question=graduation_year")
    assert response.status_code == 302 and "graduation_year=2025&" in response.headers["Location"] + "&"
    results = parse(client.get(f"/eligibility/results?{base}&graduation_year=2025").get_data(as_text=True))
    answers = results.find("dl", **{"class": "answers"}).text
    assert "2025" in answers and "2,025" not in answers
    future = client.get(
        "/eligibility/answer?applicant=individual&region=cn&person_groups=college_graduate"
        "&graduation_year=2999&question=graduation_year"
    )
    assert future.status_code == 400


def test_none_of_these_with_another_choice_gets_a_sentence(client):
    response = client.get(
        "/eligibility/answer?applicant=individual&region=cn&question=person_groups"
        "&person_groups=none&person_groups=veteran&lang=en"
    )
    assert response.status_code == 400
    text = parse(response.get_data(as_text=True)).find(id="answer-error").text
    assert "none of these" in text and "Unknown option" not in text


def test_no_business_licence_for_someone_without_a_business(client):
    html = client.get(
        "/eligibility/results?applicant=individual&region=cn&person_groups=veteran"
        "&company_registered=no&lang=en"
    ).get_data(as_text=True)
    checklist = parse(html).find("section", **{"aria-labelledby": "checklist-heading"})
    assert checklist is not None and "Business licence" not in checklist.text
    registered = client.get(
        "/eligibility/results?applicant=individual&region=cn&person_groups=veteran"
        "&company_registered=yes&company_founded_on=2026-01-05&lang=en"
    ).get_data(as_text=True)
    heading = {"aria-labelledby": "checklist-heading"}
    assert "Business licence" in parse(registered).find("section", **heading).text


def test_discretionary_funds_are_to_approach_not_to_get(client):
    html = client.get(
        "/eligibility/results?applicant=individual&region=gansu-lanzhou-chengguan&person_groups=student"
    ).get_data(as_text=True)
    doc = check_page(html, "zh-Hans")
    approach = doc.find("section", **{"aria-labelledby": "group-approach"})
    assert approach is not None and approach.find(id="benefit-chengguan-social-angel-funds") is not None
    eligible = doc.find("section", **{"aria-labelledby": "group-eligible"})
    assert eligible.find(id="benefit-chengguan-social-angel-funds") is None
    body = client.post(
        "/api/v1/eligibility",
        json={
            "answers": {
                "applicant": "individual",
                "region": "gansu-lanzhou-chengguan",
                "person_groups": ["student"],
            }
        },
    )
    by_id = {r["benefit_id"]: r for r in body.get_json()["results"]}
    fund = by_id["chengguan-social-angel-funds"]
    assert fund["approach"] is True and fund["status"] == "eligible"  # the status values stay as they were
    assert by_id["national-suspend-studies-to-found"]["approach"] is False


def test_api_accepts_an_empty_group_list_as_none_of_these(client):
    body = client.post(
        "/api/v1/eligibility",
        json={"answers": {"applicant": "individual", "region": "cn", "person_groups": []}},
    ).get_json()
    assert body["answers"]["person_groups"] == []
    loan = {r["benefit_id"]: r for r in body["results"]}["national-guaranteed-startup-loan-individual"]
    assert loan["status"] == "ineligible"


def test_an_undefined_term_is_shown_as_the_office_deciding(client):
    html = client.get(
        "/eligibility/results?applicant=individual&region=guangdong-shenzhen-nanshan&lang=en"
    ).get_data(as_text=True)
    doc = parse(html)
    needs = doc.find("section", **{"aria-labelledby": "group-needs_info"})
    assert needs.find("article", id="benefit-nanshan-youth-housing-card") is not None
    card = needs.find("article", id="benefit-nanshan-youth-housing-card")
    assert "Not defined by the published text" in card.text
    body = client.post(
        "/api/v1/eligibility",
        json={"answers": {"applicant": "individual", "region": "guangdong-shenzhen-nanshan", "age": 52}},
    ).get_json()
    card = {r["benefit_id"]: r for r in body["results"]}["nanshan-youth-housing-card"]
    assert card["status"] == "needs_info" and card["missing"] == []
    assert [c["id"] for c in card["criteria"] if c["undefined"]] == ["youth"]


def test_a_fund_with_answers_missing_stays_with_the_benefits_that_need_them(client):
    body = client.post(
        "/api/v1/eligibility",
        json={"answers": {"applicant": "individual", "region": "gansu-lanzhou-chengguan"}},
    ).get_json()
    fund = {r["benefit_id"]: r for r in body["results"]}["chengguan-social-angel-funds"]
    assert fund["status"] == "needs_info" and fund["approach"] is False

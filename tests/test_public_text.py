"""Public pages show no editorial notes: no seed line references, no "seed" for the source plans."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from portal import db
from portal.eligibility import services as eligibility
from portal.places.models import Place
from portal.policies.models import Policy
from portal.regions.models import Region

LINE_REF = re.compile(r"\b(?:S[0-9]|NS|LJ|HD)\s*L\s*\d+|\bL\d+\s*[-–]\s*L?\d+")
# 种子基金、种子期、种子轮… and "seed fund", "seed stage" are real terms; anything else calls the plans seeds.
SEED_ZH = re.compile(r"种子(?!基金|期|轮|阶段|资金|投资|项目|企业|用户|、|\+)")
SEED_EN = re.compile(
    r"(?<!idea and )\bseeds?\b(?![ -](?:funds?|stages?|rounds?|capital|investments?|money|"
    r"funding|financing|projects?|companies|firms|enterprises)|, angel| and early-stage)",
    re.IGNORECASE,
)
OUTSIDE = re.compile(r"outside knowledge|外部知识|常识补充")
MASK = re.compile(r"20XX", re.IGNORECASE)
MASK_OK = {"zh": "原文年份缺失（20XX）", "en": "year missing in the original (20XX)"}


def visible_text(page: str) -> str:
    """The text a reader sees or hears: no scripts, styles or tags; attributes a reader hears kept."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    heard = " ".join(re.findall(r'\b(?:title|aria-label|alt)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + heard)


def problems_in(text: str, lang: str) -> list[str]:
    found = []
    for name, pattern in (
        ("line reference", LINE_REF),
        ("seed wording", SEED_ZH),
        ("seed wording", SEED_EN),
        ("outside knowledge", OUTSIDE),
    ):
        for m in pattern.finditer(text):
            found.append(f"{name}: …{text[max(0, m.start() - 30) : m.end() + 30]}…")
    # Every masked year is announced as missing in the original, in the page's language.
    masks = len(MASK.findall(text))
    if masks and text.count(MASK_OK[lang]) != masks:
        found.append(f"{masks - text.count(MASK_OK[lang])} masked year(s) without '{MASK_OK[lang]}'")
    return found


def public_urls(app) -> list[str]:
    with app.app_context():
        session = db.session()
        rules = eligibility.ruleset(session)
        urls = [
            "/",
            "/policies",
            "/places",
            "/map",
            "/benefits",
            "/eligibility",
            "/search?q=创业",
            "/guides",
            "/service-points",
        ]
        urls += [f"/policies/{pid}" for pid in session.scalars(select(Policy.id))]
        urls += [f"/places/{pid}" for pid in session.scalars(select(Place.id))]
        urls += [f"/benefits/{b.id}" for b in rules.benefits]
        pages = -(-session.query(Place).count() // 20)
        urls += [f"/places?page={n}" for n in range(2, pages + 1)]
        for region in session.scalars(select(Region.id)):
            for applicant in ("company", "individual"):
                urls.append(f"/eligibility/results?applicant={applicant}&region={region}")
        from portal.service_points.models import ServicePoint
        from portal.service_points.topics import TOPICS

        urls += [f"/service-points/{sid}" for sid in session.scalars(select(ServicePoint.id))]

        urls += [f"/guides/{t.id}" for t in TOPICS]
    return urls


def test_the_checks_catch_what_they_should():
    assert problems_in("依据 S4 L162 的规定", "zh")
    assert problems_in("见 NS L10", "zh")
    assert problems_in("种子未说明地址", "zh") and problems_in("种子中的提及", "zh")
    assert problems_in("the seed gives no location", "en") and problems_in("seed text", "en")
    assert problems_in("coordinates (outside knowledge)", "en")
    assert problems_in("成立于20XX年", "zh")
    assert not problems_in("设立种子基金，投资种子期企业", "zh")
    assert not problems_in("a seed fund for seed-stage firms; idea and seed; seed, angel and funds", "en")
    assert not problems_in("成立于原文年份缺失（20XX）年", "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_editorial_notes_on_public_pages(client, content_app, lang):
    failures = []
    for url in public_urls(content_app):
        response = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert response.status_code == 200, url
        failures += [f"{url}: {p}" for p in problems_in(visible_text(response.get_data(as_text=True)), lang)]
    assert not failures, "\n".join(failures[:400]) + f"\n… {len(failures)} in all"


def test_public_source_keeps_the_document_and_drops_line_references():
    from portal.core.templating import public_source

    assert public_source("财金〔2020〕21号；S4 L270") == "财金〔2020〕21号"
    assert public_source("S4 L162; S4 L270") == ""
    assert public_source("财金〔2020〕21号（种子未写额度）") == "财金〔2020〕21号"
    assert public_source("第十三条（S3 L13）") == "第十三条"
    assert public_source("LJ L448–632") == ""

"""Reviewer-written profiles (tests/data/reviewer_profiles.yaml) give the results the texts give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from portal.eligibility import engine
from portal.eligibility.answers import parse_answers
from tests.rulesets import content_ruleset

PROFILES = yaml.safe_load((Path(__file__).parent / "data" / "reviewer_profiles.yaml").read_text("utf-8"))
RULES = content_ruleset()


def _raw(answers: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in answers.items()}


@pytest.mark.parametrize("profile", PROFILES, ids=[p["profile"] for p in PROFILES])
def test_profile(profile):
    on = profile["on"]
    answers, problems = parse_answers(_raw(profile["answers"]), RULES, today=on, strict=True)
    if "invalid" in profile:
        assert [p.path for p in problems] == [profile["invalid"]]
        return
    assert problems == []
    evaluation = engine.evaluate(answers, RULES, on, hints=False)
    got = {r.benefit.id: r for r in evaluation.results}
    for benefit_id, status in (profile.get("expect") or {}).items():
        result = got[benefit_id]
        assert result.status == status, (benefit_id, [(c.id, c.met) for c in result.criteria])
    for benefit_id in profile.get("approach") or []:
        assert got[benefit_id].benefit.discretionary and got[benefit_id].status == engine.ELIGIBLE


def test_profiles_cover_the_issue_examples():
    assert len(PROFILES) >= 25

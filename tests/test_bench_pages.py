"""The page benchmark's workload asks only for pages that exist, and its report judges budgets right."""

from __future__ import annotations

from collections import Counter

from bench import workload
from bench.pages import report


def test_every_request_of_the_workload_is_answered(content_app, tmp_path):
    facts = workload.read_facts(content_app)
    assert facts.policies and facts.places and facts.results and facts.questions and facts.near
    lists = tmp_path / "requests.txt"
    made = workload.write_list(lists, facts, dict.fromkeys(workload.SHARES, 1), 100, seed=3)
    lines = lists.read_text(encoding="utf-8").splitlines()
    assert made["requests"] == len(lines) == 100
    client = content_app.test_client()
    failed = []
    for line in sorted(set(lines)):
        lang, path = line.split("\t")
        if lang:
            client.set_cookie("lang", lang)
        else:
            client.delete_cookie("lang")
        answer = client.get(path)
        if answer.status_code >= 400:
            failed.append(f"{answer.status_code} {path}")
    assert failed == []
    paths = [line.split("\t")[1] for line in lines]
    for prefix in (
        "/policies/",
        "/policies?",
        "/places/",
        "/places?near=",
        "/eligibility/questions/",
        "/eligibility/results?",
        "/api/v1/places.geojson",
        "/api/v1/",
        "/search?q=",
        "/map",
    ):
        assert any(p.startswith(prefix) for p in paths), prefix


def test_the_mixed_list_repeats_popular_pages_and_keeps_distinct_queries(content_app, tmp_path):
    facts = workload.read_facts(content_app)
    made = workload.write_list(tmp_path / "mixed.txt", facts, workload.SHARES, 4000, seed=11)
    lines = (tmp_path / "mixed.txt").read_text(encoding="utf-8").splitlines()
    counts = Counter(lines)
    assert counts["\t/"] > 100  # the home page, popular
    assert 0.15 < made["distinct"] / made["requests"] < 0.7
    policies = sum(1 for line in lines if line.split("\t")[1].startswith("/policies"))
    assert abs(policies / 4000 - (workload.SHARES["policies"] + workload.SHARES["policy"]) / 100) < 0.03


def _row(run: str, kind: str, rps: float, errors: int = 0, hits: float | None = None) -> dict:
    return {
        "run": run,
        "kind": kind,
        "rps": rps,
        "p50_ms": 10.0,
        "p95_ms": 20.0,
        "p99_ms": 30.0,
        "status_errors": errors,
        "socket_errors": 0,
        "cache_hit_rate": hits,
    }


def test_report_measures_against_the_mean_hello_and_fails_budgets_on_errors():
    rows = [
        _row("hello (start)", "hello", 900),
        _row("hello (end)", "hello", 1100),
        _row("mixed warm", "mixed", 300, hits=0.8),
        _row("mixed with an error", "mixed", 600, errors=1),
        _row("policies alone", "type", 150),
        _row("search alone", "type", 250),
    ]
    table = report(rows).splitlines()
    assert [r["of_hello"] for r in rows] == [0.9, 1.1, 0.3, 0.6, 0.15, 0.25]
    assert "| mixed warm | 300.0 | 30.0% |" in table[4] and "80%" in table[4] and "not met" not in table[4]
    assert "not met" in table[5]
    assert "≥ 10%, 0 errors: met" in table[6] and "not met" not in table[6]
    assert len(table) == 2 + len(rows)

"""Eligibility performance on the real ruleset, against baselines measured in the same process.

Measures:
  * the engine evaluating every benefit for one founder's answers (with unlock hints, and without),
    over the answer sets of every benefit's YAML cases, beside a baseline that only turns the same
    answers into facts (the floor any evaluation pays);
  * server time of a wizard question page and of a results page through the Flask test client,
    beside a bare Flask "hello" page served by the same kind of client.

Usage: python bench/eligibility.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from flask import Flask  # noqa: E402

from bench.timing import summary as _summary  # noqa: E402
from bench.timing import timed  # noqa: E402
from portal import create_app, db  # noqa: E402
from portal.cli import alembic_config  # noqa: E402
from portal.content.loader import load_content  # noqa: E402
from portal.eligibility import engine, services  # noqa: E402
from portal.eligibility.answers import to_query  # noqa: E402


def summary(samples: list[float]) -> dict:
    return {"n": len(samples), **_summary(samples, digits=3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-elig-"))
    os.environ["INSTANCE_PATH"] = str(tmp / "instance")
    url = f"sqlite:///{tmp / 'bench.db'}"
    command.upgrade(alembic_config(url), "head")
    app = create_app(
        {
            "DATABASE_URL": url,
            "SEARCH_DIR": tmp / "search",
            "SECRET_KEY": "bench",
            "PUBLISHING_SCHEDULER": "cron",
            "PAGE_CACHE_SIZE": 0,  # the pages' own cost: repeats would be page-cache hits
        }
    )
    with app.app_context():
        session = db.session()
        load_content(session, ROOT / "content")
        session.commit()
        rules = services.ruleset(session)
    profiles = [(case.answers, case.on) for b in rules.benefits for case in b.cases]
    with_hints, without, floor = [], [], []
    for answers, on in profiles:
        with_hints += timed(lambda a=answers, d=on: engine.evaluate(a, rules, d), args.repeat)
        without += timed(lambda a=answers, d=on: engine.evaluate(a, rules, d, hints=False), args.repeat)
        floor += timed(lambda a=answers, d=on: engine.facts_for(a, rules, d), args.repeat)

    client = app.test_client()
    full = max(profiles, key=lambda p: len(p[0]))[0]
    query = "&".join(f"{k}={v}" for k, v in to_query(full, rules))
    client.get("/eligibility/questions/region?" + query)  # warm the ruleset cache and templates
    question = timed(lambda: client.get("/eligibility/questions/region?" + query), args.repeat * 10)
    results = timed(lambda: client.get("/eligibility/results?" + query), args.repeat * 10)
    hello_app = Flask("hello")
    hello_app.add_url_rule("/", "hello", lambda: "hello")
    hello = hello_app.test_client()
    bare = timed(lambda: hello.get("/"), args.repeat * 10)
    print(
        json.dumps(
            {
                "benefits": len(rules.benefits),
                "answer_sets": len(profiles),
                "evaluate_all_benefits_with_hints": summary(with_hints),
                "evaluate_all_benefits_without_hints": summary(without),
                "baseline_facts_only": summary(floor),
                "wizard_question_page": summary(question),
                "wizard_results_page": summary(results),
                "baseline_flask_hello": summary(bare),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""The API v1 description, and a schema-driven fuzzer run in-process against it: no 500, every
response valid against the description."""

from __future__ import annotations

import time

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FIGURES = {"cases": 0, "requests": 0, "failures": 0}
EXAMPLES = 25  # per operation: about 250 requests, well under a minute


def test_the_description_is_openapi_3_1_and_covers_the_contract(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    for path in (
        "/api/v1/search",
        "/api/v1/policies",
        "/api/v1/policies/{policy_id}",
        "/api/v1/places",
        "/api/v1/places.geojson",
        "/api/v1/regions",
        "/api/v1/benefits",
        "/api/v1/eligibility/questions",
        "/api/v1/eligibility",
        "/api/v1/openapi.json",
    ):
        assert path in doc["paths"], path


def test_api_conforms_to_its_description(content_app):
    started = time.monotonic()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", content_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13  # the description itself is left out by the loader
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case):
            FIGURES["requests"] += 1
            try:
                case.call_and_validate(checks=CHECKS)
            except Exception:
                FIGURES["failures"] += 1
                raise

        FIGURES["cases"] += 1
        run()
    print(
        f"schemathesis: {FIGURES['cases']} operations, {FIGURES['requests']} generated requests, "
        f"{FIGURES['failures']} failures, {time.monotonic() - started:.0f} s"
    )

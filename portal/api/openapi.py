"""The OpenAPI 3.1 description of API v1 (the PRODUCT.md contract), served at /api/v1/openapi.json.

Response schemas name the fields partners rely on as required and allow more (fields are added,
never renamed or removed). The schema-driven test (tests/test_openapi.py) checks every response
against this description.
"""

from __future__ import annotations

from typing import Any

from portal.policies.fields import GUIDE_TEXTS
from portal.regions.models import LEVELS

ERROR = {"$ref": "#/components/schemas/Error"}


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


STRING, INTEGER, NUMBER, BOOLEAN = (
    {"type": "string"},
    {"type": "integer"},
    {"type": "number"},
    {"type": "boolean"},
)
DATE = _nullable("string", format="date")
STRINGS = {"type": "array", "items": STRING}
FACETS = {
    "type": "object",
    "additionalProperties": {"type": "object", "additionalProperties": INTEGER},
    "description": "Counts per value for each facet (an empty value counts items without one).",
}


def _filter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "maxLength": 400},
    }


PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "description": "Page number, from 1.",
    "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1},
}
PER_PAGE = {
    "name": "per_page",
    "in": "query",
    "required": False,
    "description": "Results per page, 1–100.",
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
}
Q = {
    "name": "q",
    "in": "query",
    "required": False,
    "description": "Search words (at most 200 characters).",
    "schema": {"type": "string", "maxLength": 200},
}
SEVERAL = "One or more values, repeated or comma-separated"

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": _object(
                {"code": STRING, "field": _nullable("string"), "message": STRING},
                {"errors": {"type": "array", "items": {"type": "object"}}},
            )
        }
    ),
    "SearchResults": _object(
        {
            "query": STRING,
            "total": INTEGER,
            "page": INTEGER,
            "per_page": INTEGER,
            "results": {
                "type": "array",
                "items": _object(
                    {"id": STRING, "type": STRING, "title": STRING, "url": STRING, "snippet": STRING},
                    {"snippet_html": STRING},
                ),
            },
            "facets": FACETS,
        },
        {"relaxed": BOOLEAN},
    ),
    "PolicySummary": _object(
        {
            "id": STRING,
            "title": STRING,
            "title_en": _nullable("string"),
            "doc_number": _nullable("string"),
            "issuer": _nullable("string"),
            "level": STRING,
            "region": STRING,
            "issued_on": DATE,
            "status": STRING,
            "categories": STRINGS,
            "url": STRING,
        }
    ),
    "Policy": _object(
        {
            "id": STRING,
            "title": STRING,
            "title_en": _nullable("string"),
            "doc_number": _nullable("string"),
            "issuer": _nullable("string"),
            "level": STRING,
            "region": STRING,
            "issued_on": DATE,
            "effective_from": DATE,
            "effective_to": DATE,
            "status": STRING,
            "categories": STRINGS,
            "url": STRING,
            "guide": _object(
                {
                    "steps": {
                        "type": "array",
                        "items": _object({"title": STRING}, {"detail": _nullable("string")}),
                    }
                },
                {k: _nullable("string") for k in GUIDE_TEXTS},
            ),
        },
        {
            "issuer_en": _nullable("string"),
            "date_precision": STRING,
            "summary": STRING,
            "summary_en": _nullable("string"),
            "verified": BOOLEAN,
            "source": {"type": "object"},
        },
    ),
    "Place": _object(
        {
            "id": STRING,
            "type": STRING,
            "name": STRING,
            "name_en": _nullable("string"),
            "region": STRING,
            "address": _nullable("string"),
            "lat": _nullable("number"),
            "lon": _nullable("number"),
            "level": _nullable("string"),
            "url": STRING,
        },
        {
            "distance_km": _nullable("number"),
            "desks_free": _nullable("integer"),
            "confirmed": BOOLEAN,
            "status": STRING,
        },
    ),
    "Event": _object(
        {
            "id": STRING,
            "title": STRING,
            "title_en": _nullable("string"),
            "kind": STRING,
            "starts_at": _nullable("string", format="date-time"),
            "ends_at": _nullable("string", format="date-time"),
            "place_id": _nullable("string"),
            "region": STRING,
            "url": STRING,
        },
        {"all_day": BOOLEAN, "series_id": _nullable("string"), "recurrence": _nullable("string")},
    ),
    "Region": _object(
        {"id": STRING, "name": STRING, "name_en": STRING, "level": STRING, "parent_id": _nullable("string")},
        {"lat": _nullable("number"), "lon": _nullable("number")},
    ),
    "BenefitSummary": _object(
        {
            "id": STRING,
            "name": STRING,
            "name_en": _nullable("string"),
            "kind": STRING,
            "issuer": _nullable("string"),
            "region": STRING,
            "policy_ids": STRINGS,
            "url": STRING,
        },
        {
            "summary": _nullable("string"),
            "verified": BOOLEAN,
            "verified_on": DATE,
            "amounts": {"type": "array", "items": {"type": "object"}},
        },
    ),
    "Question": _object(
        {"id": STRING, "type": STRING, "text": STRING, "text_en": _nullable("string")},
        {
            "options": {
                "type": "array",
                "items": _object({"value": STRING, "text": STRING}, {"text_en": _nullable("string")}),
            },
            "min": _nullable("number"),
            "max": _nullable("number"),
        },
    ),
    "EligibilityRequest": {
        "type": "object",
        "properties": {
            "answers": {
                "type": "object",
                "description": "Answers keyed by question id (GET /api/v1/eligibility/questions).",
            },
            "on": {"type": "string", "format": "date", "description": "Evaluate as of this day."},
        },
        "additionalProperties": False,
    },
    "EligibilityResult": _object(
        {
            "ruleset_version": STRING,
            "on": {"type": "string", "format": "date"},
            "next_question": _nullable("string"),
            "results": {
                "type": "array",
                "items": _object(
                    {
                        "benefit_id": STRING,
                        "kind": STRING,
                        "status": {"enum": ["eligible", "ineligible", "needs_info"]},
                        "criteria": {
                            "type": "array",
                            "items": _object(
                                {
                                    "id": STRING,
                                    "text": STRING,
                                    "met": {"type": ["boolean", "null"]},
                                    "source": _nullable("string"),
                                }
                            ),
                        },
                        "missing": STRINGS,
                        "unlock_hints": STRINGS,
                    }
                ),
            },
        },
        {"answers": {"type": "object"}},
    ),
}


def _json(schema: dict[str, Any], description: str = "OK", media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(items: str, *, facets: bool = True, paged: bool = True) -> dict[str, Any]:
    required: dict[str, Any] = {"results": {"type": "array", "items": _ref(items)}}
    if paged:
        required.update(total=INTEGER, page=INTEGER, per_page=INTEGER)
    if facets:
        required["facets"] = FACETS
    return _object(required)


BAD = {"400": _json(ERROR, "A parameter is invalid; `field` names it.")}
NOT_FOUND = {"404": _json(ERROR, "No such item.")}


def _get(summary: str, params: list[dict[str, Any]], ok: dict[str, Any], *extra: dict[str, Any]) -> dict:
    responses = {"200": ok, **BAD}
    for more in extra:
        responses.update(more)
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "maxLength": 200}}


def description(base_url: str) -> dict[str, Any]:
    """The whole OpenAPI document; `base_url` is where the portal is served."""
    region = _filter("region", f"{SEVERAL}: region ids (GET /api/v1/regions); includes what lies below.")
    level = _filter("level", f"{SEVERAL}: {', '.join(LEVELS)}.")
    lang = {"name": "lang", "in": "query", "required": False, "schema": {"enum": ["zh", "en"]}}
    place_filters = [
        Q,
        _filter("type", f"{SEVERAL}: place types."),
        region,
        level,
        _filter("industry", SEVERAL),
        _filter("service", SEVERAL),
        _filter("desks", "`free`: only places with free desks."),
        _filter("status", SEVERAL),
        _filter("near", "A place or `lat,lon` to sort by distance."),
        _filter("sort", "Order of results."),
    ]
    paths = {
        "/api/v1/search": _get(
            "Search policies, benefits and places",
            [
                Q,
                _filter("type", f"{SEVERAL}: policy, benefit or a place type."),
                region,
                level,
                _filter("category", SEVERAL),
                _filter("status", SEVERAL),
                _filter("year", SEVERAL),
                PAGE,
                PER_PAGE,
                lang,
            ],
            _json(_ref("SearchResults")),
        ),
        "/api/v1/policies": _get(
            "The policy library",
            [
                Q,
                level,
                region,
                _filter("category", SEVERAL),
                _filter("status", SEVERAL),
                _filter("year", SEVERAL),
                PAGE,
                PER_PAGE,
            ],
            _json(_list("PolicySummary")),
        ),
        "/api/v1/policies/{policy_id}": {
            **_get(
                "One policy with its application guide",
                [_path_id("policy_id")],
                _json(_ref("Policy")),
                NOT_FOUND,
            )
        },
        "/api/v1/places": _get(
            "The directory of places", [*place_filters, PAGE, PER_PAGE], _json(_list("Place"))
        ),
        "/api/v1/places.geojson": _get(
            "Places with coordinates as GeoJSON",
            [*place_filters, _filter("bbox", "minlon,minlat,maxlon,maxlat in WGS-84 degrees.")],
            _json(
                {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"const": "FeatureCollection"},
                        "features": {
                            "type": "array",
                            "items": _object(
                                {
                                    "type": {"const": "Feature"},
                                    "geometry": {"type": "object"},
                                    "properties": _object(
                                        {"id": STRING, "type": STRING, "name": STRING, "url": STRING}
                                    ),
                                }
                            ),
                        },
                    },
                },
                media="application/geo+json",
            ),
        ),
        "/api/v1/regions": _get("Regions", [], _json(_list("Region", facets=False, paged=False))),
        "/api/v1/benefits": _get(
            "Benefits",
            [
                _filter("kind", f"{SEVERAL}: benefit kinds."),
                _filter("region", f"{SEVERAL}: keeps the benefits open to someone in these regions."),
            ],
            _json(
                {
                    **_list("BenefitSummary", facets=False, paged=False),
                    "properties": {
                        **_list("BenefitSummary", facets=False, paged=False)["properties"],
                        "ruleset_version": STRING,
                    },
                }
            ),
        ),
        "/api/v1/benefits/{benefit_id}": _get(
            "One benefit with its rules, amounts and cases",
            [_path_id("benefit_id")],
            _json(_ref("BenefitSummary")),
            NOT_FOUND,
        ),
        "/api/v1/eligibility/questions": _get(
            "The eligibility questions",
            [],
            _json(
                _object(
                    {"questions": {"type": "array", "items": _ref("Question")}}, {"ruleset_version": STRING}
                )
            ),
        ),
        "/api/v1/eligibility": {
            "post": {
                "summary": "Evaluate every benefit for the given answers",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("EligibilityRequest")}},
                },
                "responses": {
                    "200": _json(_ref("EligibilityResult")),
                    "400": _json(ERROR, "The body or an answer is invalid; `field` names it."),
                },
            }
        },
        "/api/v1/events": _get(
            "Events (双创活动); a series without announced dates has starts_at null",
            [
                Q,
                _filter("kind", f"{SEVERAL}: event kinds."),
                region,
                _filter("place", f"{SEVERAL}: place ids."),
                _filter("audience", SEVERAL),
                _filter("fee", f"{SEVERAL}: free, paid, unknown."),
                _filter("month", "YYYY-MM: events in that month (China Standard Time)."),
                _filter("from", "First day, YYYY-MM-DD (China Standard Time)."),
                _filter("to", "Last day, YYYY-MM-DD (China Standard Time)."),
                _filter("when", "upcoming, past or all (default all)."),
                PAGE,
                PER_PAGE,
            ],
            _json(_list("Event")),
        ),
        "/api/v1/events/{event_id}": _get(
            "One event with every public field", [_path_id("event_id")], _json(_ref("Event")), NOT_FOUND
        ),
        "/api/v1/events.geojson": _get(
            "Events of a month as GeoJSON, for the map layer",
            [_filter("month", "YYYY-MM; this month by default.")],
            _json({"type": "object", "required": ["type", "features"]}, media="application/geo+json"),
        ),
        "/api/v1/openapi.json": _get("This description", [], _json({"type": "object"})),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "双创 one-stop portal API",
            "version": "1",
            "description": "Public API v1: policies, places, regions, benefits, search and the "
            "eligibility check. JSON in UTF-8; errors are "
            '`{"error": {"code", "field", "message"}}` with a 4xx status. '
            "Fields are added over time, never renamed or removed.",
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }

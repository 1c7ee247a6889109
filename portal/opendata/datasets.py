"""The open datasets, each described field by field (the data dictionary) and built from the database.

Records are built on every request from what is published now, so a download is never stale.
Editorial notes (seed line references, how a fact was found) are left out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.core.labels import PLACE_TYPES
from portal.i18n import lazy_gettext as _l

# References into the seed plans ("S3 L12; S1 L87") are editorial notes.
SEED_REF = re.compile(r"[A-Z]{1,3}\d*\s+L\d+(?:\s*[-–]\s*L?\d+)?\s*[;；,，、]?\s*")


@dataclass(frozen=True)
class Field:
    """One column: its name, type and meaning, and how to read it from a record's source."""

    name: str
    type: str
    description: object
    get: Callable[[Any], Any]


@dataclass(frozen=True)
class Dataset:
    id: str
    title: object
    description: object
    fields: tuple[Field, ...]
    rows: Callable[[Session], Iterator[Any]]
    formats: tuple[str, ...] = ("csv", "json")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def scrub(value: Any) -> Any:
    """A copy without editorial notes: seed-only sources, notes and test cases are dropped."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("note", "cases"):
                continue
            if key == "source" and isinstance(item, str):
                item = SEED_REF.sub("", item).strip(" ;；,，、")
                if not item:
                    continue
            if key == "source" and isinstance(item, dict):
                item = {k: v for k, v in item.items() if k in ("kind", "url")}
            out[key] = scrub(item)
        return out
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):  # explanations written for staff may cite a seed line in passing
        return SEED_REF.sub("", value)
    return value


def _url(endpoint: str, **values) -> str:
    from portal.core.urls import absolute_url

    return absolute_url(endpoint, **values)


# --- policies ---------------------------------------------------------------------------------


def _policies(db: Session):
    from portal.policies.models import Policy

    return db.scalars(
        select(Policy)
        .where(Policy.publication_state == "published")
        .options(selectinload(Policy.categories), selectinload(Policy.steps))
        .order_by(Policy.id)
    )


def _guide(p, name):
    return getattr(p.guide, name) if p.guide else None


POLICY_FIELDS = (
    Field(
        "id",
        "string",
        _l("Stable identifier; the policy's address on the portal ends with it."),
        lambda p: p.id,
    ),
    Field(
        "url",
        "url",
        _l("The policy's page on the portal."),
        lambda p: _url("policies.detail", policy_id=p.id),
    ),
    Field("title", "string", _l("Title in Chinese, as issued."), lambda p: p.title),
    Field("title_en", "string", _l("Title in English, where the portal has one."), lambda p: p.title_en),
    Field(
        "doc_number", "string", _l("Document number (文号), e.g. 国发〔2017〕37号."), lambda p: p.doc_number
    ),
    Field("issuer", "string", _l("Issuing body, in Chinese."), lambda p: p.issuer),
    Field("issuer_en", "string", _l("Issuing body, in English."), lambda p: p.issuer_en),
    Field("level", "code", _l("national, provincial, city or district."), lambda p: p.level),
    Field("region", "code", _l("Region identifier (see /api/v1/regions)."), lambda p: p.region_id),
    Field(
        "issued_on", "date", _l("Date of issue (ISO 8601); see date_precision."), lambda p: _iso(p.issued_on)
    ),
    Field(
        "date_precision",
        "code",
        _l("How exact issued_on is: day, month, year or unknown."),
        lambda p: p.date_precision,
    ),
    Field("effective_from", "date", _l("First day in force, when known."), lambda p: _iso(p.effective_from)),
    Field("effective_to", "date", _l("Last day in force, when known."), lambda p: _iso(p.effective_to)),
    Field(
        "status",
        "code",
        _l("in_force, expired, withdrawn, to_draft, proposed or unknown."),
        lambda p: p.status,
    ),
    Field(
        "categories",
        "list",
        _l("Category identifiers (separated by | in CSV)."),
        lambda p: [c.id for c in p.categories],
    ),
    Field("summary", "text", _l("Summary in Chinese."), lambda p: p.summary),
    Field("summary_en", "text", _l("Summary in English."), lambda p: p.summary_en),
    Field(
        "verified",
        "boolean",
        _l("true when compared with the official published text."),
        lambda p: p.verified,
    ),
    Field("source_url", "url", _l("Address of the official text, when online."), lambda p: p.source_url),
    Field(
        "guide_conditions",
        "text",
        _l("申兑指南: who qualifies and on what conditions."),
        lambda p: _guide(p, "conditions"),
    ),
    Field("guide_address", "text", _l("申兑指南: where to apply."), lambda p: _guide(p, "address")),
    Field("guide_phone", "string", _l("申兑指南: telephone for enquiries."), lambda p: _guide(p, "phone")),
    Field(
        "guide_online_url", "url", _l("申兑指南: where to apply online."), lambda p: _guide(p, "online_url")
    ),
    Field(
        "steps",
        "list",
        _l("办事流程: the steps' titles in order (separated by | in CSV)."),
        lambda p: [s.title for s in p.steps],
    ),
    Field(
        "updated_at",
        "datetime",
        _l("When the portal last changed the record (UTC)."),
        lambda p: p.updated_at.isoformat(timespec="seconds") + "Z" if p.updated_at else None,
    ),
)

# --- benefits ---------------------------------------------------------------------------------

RULE_KEYS = (
    "conditions",
    "also_checked",
    "amounts",
    "basis",
    "documents",
    "apply",
    "excludes",
    "effective_from",
    "effective_to",
)


def _benefits(db: Session):
    from portal.eligibility.models import Benefit

    return db.scalars(select(Benefit).order_by(Benefit.id))


BENEFIT_FIELDS = (
    Field("id", "string", _l("Stable identifier of the benefit."), lambda b: b.id),
    Field(
        "url",
        "url",
        _l("The benefit's page on the portal."),
        lambda b: _url("eligibility.benefit_detail", benefit_id=b.id),
    ),
    Field("name", "string", _l("Name in Chinese."), lambda b: b.name),
    Field("name_en", "string", _l("Name in English."), lambda b: b.name_en),
    Field(
        "kind",
        "code",
        _l(
            "Kind: voucher, guaranteed_loan, interest_subsidy, rent_subsidy, grant, tax_relief, "
            "talent_housing, equity_investment, risk_compensation, service or other."
        ),
        lambda b: b.kind,
    ),
    Field("issuer", "string", _l("Who grants it, in Chinese."), lambda b: b.issuer),
    Field("issuer_en", "string", _l("Who grants it, in English."), lambda b: b.issuer_en),
    Field(
        "region", "code", _l("Region where it is open (and every region inside it)."), lambda b: b.region_id
    ),
    Field(
        "policy_ids",
        "list",
        _l("Policies it rests on (identifiers of the policies dataset)."),
        lambda b: list(b.policy_ids or []),
    ),
    Field("summary", "text", _l("Summary in Chinese."), lambda b: (b.definition or {}).get("summary")),
    Field("summary_en", "text", _l("Summary in English."), lambda b: (b.definition or {}).get("summary_en")),
    Field(
        "verified",
        "boolean",
        _l("true when the rules were compared with the official texts."),
        lambda b: b.verified,
    ),
    Field("verified_on", "date", _l("The day they were last compared."), lambda b: _iso(b.verified_on)),
    Field(
        "version",
        "integer",
        _l("Goes up by one with every published change of the rules."),
        lambda b: b.version,
    ),
    Field(
        "rules",
        "object",
        _l(
            "The rules as the eligibility check reads them: conditions (an all/any/not tree "
            "over the wizard's answers), amounts by date, basis, documents, how to apply, "
            "exclusions (JSON text in CSV)."
        ),
        lambda b: scrub({k: (b.definition or {}).get(k) for k in RULE_KEYS if k in (b.definition or {})}),
    ),
    Field(
        "updated_at",
        "datetime",
        _l("When the rules were last published (UTC)."),
        lambda b: b.updated_at.isoformat(timespec="seconds") + "Z" if b.updated_at else None,
    ),
)

# --- places -----------------------------------------------------------------------------------


def _places(db: Session):
    from portal.places.models import Place

    return db.scalars(select(Place).where(Place.publication_state == "published").order_by(Place.id))


PLACE_FIELDS = (
    Field("id", "string", _l("Stable identifier of the place."), lambda p: p.id),
    Field(
        "url", "url", _l("The place's page on the portal."), lambda p: _url("places.detail", place_id=p.id)
    ),
    Field(
        "type",
        "code",
        _l("One of %(codes)s.", codes=", ".join(PLACE_TYPES)),
        lambda p: p.type,
    ),
    Field("name", "string", _l("Name in Chinese."), lambda p: p.name),
    Field("name_en", "string", _l("Name in English."), lambda p: p.name_en),
    Field("region", "code", _l("Region identifier."), lambda p: p.region_id),
    Field(
        "level",
        "code",
        _l("Level of recognition: national, provincial, city or district."),
        lambda p: p.level,
    ),
    Field("recognition", "string", _l("Recognition title, as granted."), lambda p: p.recognition),
    Field("status", "code", _l("active, planned, closed or unknown."), lambda p: p.status),
    Field("address", "string", _l("Street address."), lambda p: p.address),
    Field("lat", "number", _l("Latitude, WGS-84."), lambda p: p.lat),
    Field("lon", "number", _l("Longitude, WGS-84."), lambda p: p.lon),
    Field(
        "geo_precision",
        "code",
        _l("How exact the coordinates are: exact, street, district or city."),
        lambda p: p.geo_precision,
    ),
    Field(
        "industries",
        "list",
        _l("Focus industries (separated by | in CSV)."),
        lambda p: list(p.industries or []),
    ),
    Field(
        "services", "list", _l("Services offered (separated by | in CSV)."), lambda p: list(p.services or [])
    ),
    Field("website", "url", _l("Website."), lambda p: p.website),
    Field("phone", "string", _l("Public telephone."), lambda p: p.phone),
    Field("capacity", "integer", _l("Desks or places in total."), lambda p: p.capacity),
    Field("desks_free", "integer", _l("Free desks, as last reported."), lambda p: p.desks_free),
    Field("verified", "boolean", _l("true when compared with an official source."), lambda p: p.verified),
    Field(
        "last_confirmed_on",
        "date",
        _l("When the operator last confirmed the listing."),
        lambda p: _iso(p.last_confirmed_on),
    ),
    Field(
        "updated_at",
        "datetime",
        _l("When the portal last changed the record (UTC)."),
        lambda p: p.updated_at.isoformat(timespec="seconds") + "Z" if p.updated_at else None,
    ),
)

DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> None:
    DATASETS[dataset.id] = dataset


register(
    Dataset(
        "policies",
        _l("Policies"),
        _l("Every published policy of the library with its 申兑指南."),
        POLICY_FIELDS,
        _policies,
    )
)
register(
    Dataset(
        "benefits",
        _l("Benefits"),
        _l("Every benefit of the eligibility check, with its rules."),
        BENEFIT_FIELDS,
        _benefits,
    )
)
register(
    Dataset(
        "places",
        _l("Places"),
        _l("The directory of spaces, incubators, parks and funds."),
        PLACE_FIELDS,
        _places,
        ("csv", "json", "geojson"),
    )
)


def records(db: Session, dataset: Dataset) -> list[dict[str, Any]]:
    return [{f.name: f.get(row) for f in dataset.fields} for row in dataset.rows(db)]


def to_csv(dataset: Dataset, rows: list[dict[str, Any]]) -> str:
    """UTF-8 CSV with a BOM (so spreadsheet programs read Chinese right); lists joined by |."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.name for f in dataset.fields])
    for row in rows:
        writer.writerow([_cell(row[f.name]) for f in dataset.fields])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "|".join(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)

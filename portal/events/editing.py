"""Proposed events: checking a form's values, storing a pending revision, and the decisions on it.

Services flush, never commit. Each transition writes one audit entry (entity "event_revision").
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from pypinyin import lazy_pinyin
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User, roles_of
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.events import dates, workflow
from portal.events.locations import coordinate_problem
from portal.events.models import FEES, Event, EventRevision
from portal.events.services import apply_event_data
from portal.i18n import lazy_gettext as _l
from portal.places.models import Place
from portal.regions.models import Region

EDITABLE = (
    "title",
    "title_en",
    "kind",
    "series_id",
    "starts_at",
    "ends_at",
    "all_day",
    "place_id",
    "region_id",
    "address",
    "lat",
    "lon",
    "organiser",
    "organiser_en",
    "registration_url",
    "fee",
    "fee_note",
    "audience",
    "description",
    "description_en",
    "source_url",
)
MESSAGES = {
    "starts_at.format": _l(
        "Give the start as a date and time, e.g. 2026-10-15 09:30 (China Standard "
        "Time), or a date for an all-day event."
    ),
    "ends_at.format": _l(
        "Give the end like the start: a date and time, or only a date for an all-day event."
    ),
    "ends_at.before_start": _l("The event would end before it starts: the end must come after the start."),
    "starts_at.required": _l("Give the start: a date and time, or a date for an all-day event."),
    "starts_at.end_without_start": _l("Give a start when you give an end."),
    "starts_at.past": _l("This date has passed: a new event must start in the future."),
    "registration_url": _l("Give an address starting with https:// or http://."),
    "source_url": _l("Give an address starting with https:// or http://."),
    "lat.number": _l("Latitude and longitude must be numbers, e.g. 36.06 and 103.84."),
    "lat.pair": _l("Give both latitude and longitude, or neither."),
    "lat.china": _l("These coordinates are outside China."),
    "lat.region": _l("These coordinates are far from the chosen region: check them or the region."),
    "region_id": _l("Choose a region, or a place."),
    "place_id": _l("Choose one of your listings."),
    "series_id": _l("Choose a recurring event from the list."),
}


class EventInputError(Exception):
    """The values cannot be saved; `problems` maps form fields to messages."""

    def __init__(self, problems: dict[str, Any]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def _url_ok(value: str | None) -> bool:
    return not value or value.startswith(("https://", "http://"))


def clean(
    db: Session,
    raw: dict[str, Any],
    *,
    is_new: bool,
    allowed_places: set[str] | None,
    undated_ok: bool = False,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Checked values ready for a revision (times as naive-UTC ISO text); EventInputError otherwise.

    `allowed_places` limits an operator to their own listings (None: any published place);
    `undated_ok` lets a recurring series keep "dates not yet announced"."""
    problems: dict[str, Any] = {}
    now = now or utcnow()
    try:
        starts, start_is_date = dates.parse_time(raw.get("starts_at"), "starts_at")
        ends, end_is_date = dates.parse_time(raw.get("ends_at"), "ends_at")
        if starts is not None and ends is not None and start_is_date != end_is_date:
            raise dates.DateProblem("ends_at", "format")
        all_day = start_is_date
        dates.check_order(starts, ends, all_day=all_day, now=now if is_new else None)
    except dates.DateProblem as exc:
        problems[exc.field] = MESSAGES[f"{exc.field}.{exc.code}"]
        starts = ends = None
        all_day = False
    if starts is None and not problems and not undated_ok:
        problems["starts_at"] = MESSAGES["starts_at.required"]
    place_id = raw.get("place_id") or None
    place = db.get(Place, place_id) if place_id else None
    if place_id and (
        place is None
        or place.publication_state != "published"
        or (allowed_places is not None and place_id not in allowed_places)
    ):
        problems["place_id"] = MESSAGES["place_id"]
    if allowed_places is not None and not place_id:
        problems["place_id"] = MESSAGES["place_id"]
    region_id = place.region_id if place is not None else (raw.get("region_id") or None)
    if region_id is None or db.get(Region, region_id) is None:
        problems.setdefault("region_id", MESSAGES["region_id"])
    lat, lon = _number(raw.get("lat")), _number(raw.get("lon"))
    if lat == "bad" or lon == "bad":
        problems["lat"] = MESSAGES["lat.number"]
        lat = lon = None
    elif region_id and "region_id" not in problems:
        regions = {r.id: r for r in db.scalars(select(Region))}
        where = coordinate_problem(regions, region_id, lat, lon)
        if where:
            problems["lat"] = MESSAGES[f"lat.{where}"]
    for name in ("registration_url", "source_url"):
        if not _url_ok(raw.get(name)):
            problems[name] = MESSAGES[name]
    series_id = raw.get("series_id") or None
    if (
        series_id
        and db.scalar(select(Event.id).where(Event.id == series_id, Event.recurrence.is_not(None))) is None
    ):
        problems["series_id"] = MESSAGES["series_id"]
    if problems:
        raise EventInputError(problems)
    return {
        "title": raw["title"].strip(),
        "title_en": (raw.get("title_en") or "").strip() or None,
        "kind": raw["kind"],
        "series_id": series_id,
        "starts_at": starts.isoformat() if starts else None,
        "ends_at": dates.stored_end(ends, all_day).isoformat() if ends else None,
        "all_day": all_day,
        "place_id": place_id,
        "region_id": region_id,
        "address": raw.get("address") or None,
        "lat": lat,
        "lon": lon,
        "organiser": raw.get("organiser") or None,
        "organiser_en": raw.get("organiser_en") or None,
        "registration_url": raw.get("registration_url") or None,
        "fee": raw.get("fee") if raw.get("fee") in FEES else "unknown",
        "fee_note": raw.get("fee_note") or None,
        "audience": list(raw.get("audience") or []),
        "description": raw["description"].strip(),
        "description_en": (raw.get("description_en") or "").strip() or None,
        "source_url": raw.get("source_url") or None,
    }


def _number(value: Any):
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return "bad"
    return number if -180 <= number <= 180 else "bad"


def event_fields(event: Event) -> dict[str, Any]:
    """The approved values of every editable field, as a revision stores them."""
    out = {name: getattr(event, name) for name in EDITABLE}
    for name in ("starts_at", "ends_at"):
        out[name] = out[name].isoformat() if out[name] else None
    out["audience"] = list(out["audience"] or [])
    return out


def form_values(data: dict[str, Any]) -> dict[str, Any]:
    """A revision's or event's values as the form shows them (China time, inclusive last day)."""
    values = dict(data)
    all_day = bool(data.get("all_day"))
    for name in ("starts_at", "ends_at"):
        stored = dt.datetime.fromisoformat(data[name]) if data.get(name) else None
        if stored is None:
            values[name] = ""
        elif all_day:
            day = dates.local(stored).date() if name == "starts_at" else dates.last_day(stored, True)
            values[name] = day.isoformat()
        else:
            values[name] = dates.local(stored).strftime("%Y-%m-%d %H:%M")
    values["lat"] = "" if data.get("lat") is None else str(data["lat"])
    values["lon"] = "" if data.get("lon") is None else str(data["lon"])
    return values


def open_revision(db: Session, event_id: str) -> EventRevision | None:
    return db.scalar(
        select(EventRevision).where(
            EventRevision.event_id == event_id, EventRevision.state.in_(workflow.OPEN_STATES)
        )
    )


def submit_new(db: Session, user: User, data: dict[str, Any]) -> EventRevision:
    """Propose a new event; nothing is public until a reviewer approves."""
    return _submit(db, user, new_event_id(db, data["title"]), "new", data, None)


def submit_change(db: Session, user: User, event: Event, data: dict[str, Any]) -> EventRevision:
    """Propose new values for an event (e.g. the dates of a series); the public keeps the old ones."""
    revision = open_revision(db, event.id)
    if revision is not None:
        raise EventInputError({"title": _l("A change to this event is already waiting for a decision.")})
    base = event_fields(event)
    if data == {k: base.get(k) for k in data}:
        raise EventInputError({"title": _l("Nothing was changed.")})
    return _submit(db, user, event.id, "edit", data, base)


def _submit(
    db: Session, user: User, event_id: str, kind: str, data: dict, base: dict | None
) -> EventRevision:
    now = utcnow()
    numbers = db.scalars(select(EventRevision.number).where(EventRevision.event_id == event_id))
    revision = EventRevision(
        event_id=event_id,
        number=max(numbers, default=0) + 1,
        kind=kind,
        state="pending",
        data=data,
        base=base,
        author_id=user.id,
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )
    db.add(revision)
    db.flush()
    audit(
        db, user, "event_revision", event_id, "submit", None, "pending", revision=revision.number, kind=kind
    )
    return revision


def new_event_id(db: Session, title: str) -> str:
    """A readable, unused identifier from the title's pinyin."""
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(title)).lower()).strip("-")[:60] or "event"
    while True:
        candidate = f"{slug}-{secrets.token_hex(3)}"
        taken = db.get(Event, candidate) or db.scalar(
            select(EventRevision.id).where(EventRevision.event_id == candidate)
        )
        if not taken:
            return candidate


def act(db: Session, user: User, revision: EventRevision, action: str, reason: str | None = None) -> str:
    """Take a moderation action; approving publishes the event. Returns the new state."""
    now = utcnow()
    t = workflow.check_action(
        action,
        revision.state,
        roles=roles_of(user),
        actor_id=user.id,
        author_id=revision.author_id,
        reason=reason,
    )
    before = revision.state
    revision.state = t.target
    revision.updated_at = now
    if action in workflow.STAFF_ACTIONS:
        revision.reviewer_id = user.id
        revision.decided_at = now
        revision.reason = reason
    if action == "answer":
        revision.submitted_at = now
    if t.target == "approved":
        _apply(db, revision)
    audit(
        db,
        user,
        "event_revision",
        revision.event_id,
        action,
        before,
        t.target,
        reason,
        revision=revision.number,
    )
    db.flush()
    return t.target


def _apply(db: Session, revision: EventRevision) -> Event:
    """Publish an approved revision: only the fields it changed are written over the event."""
    data = revision.data
    event = db.get(Event, revision.event_id)
    base = revision.base or {}
    changed = [n for n in EDITABLE if event is None or data.get(n) != base.get(n)]
    values: dict[str, Any] = {"id": revision.event_id}
    for name in changed:
        value = data.get(name)
        if name in ("starts_at", "ends_at") and value:
            value = dt.datetime.fromisoformat(value)
        values[name] = value
    if event is None:
        values.update(
            description=values.get("description") or "",
            audience=values.get("audience") or [],
            verified=True,
            content_hash="",
            source_note="Posted on the portal and approved by staff",
        )
    apply_event_data(db, values)
    return db.get(Event, revision.event_id)


def field_changes(base: dict[str, Any] | None, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field differences, in form terms, between the approved event and a revision."""
    before, after = form_values(base or {}), form_values(data)
    out = []
    for name in EDITABLE:
        b, a = before.get(name), after.get(name)
        if b in (None, "", []) and a in (None, "", []):
            continue
        if b != a:
            out.append({"field": name, "before": b, "after": a})
    return out

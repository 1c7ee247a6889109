"""Who operates which listing, claims and listing revisions, and their moderation.

They flush but never commit: the request (or command) owns the transaction, so a decision, the
listing it changes, its audit entry and its search-outbox row are committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from typing import Any

from pypinyin import lazy_pinyin
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User, roles_of
from portal.core.audit import AuditEntry, audit
from portal.core.clock import utcnow
from portal.core.outbox import enqueue
from portal.operators import workflow
from portal.operators.models import PlaceClaim, PlaceRevision
from portal.places.models import Place

# Every field an operator keeps current, in the order the editor and the diff show them.
EDITABLE = (
    "type",
    "status",
    "name",
    "name_en",
    "description",
    "description_en",
    "region_id",
    "address",
    "lat",
    "lon",
    "geo_precision",
    "level",
    "recognition",
    "recognition_year",
    "certificate_file_id",
    "services",
    "industries",
    "capacity",
    "desks_free",
    "offices_free",
    "desk_price",
    "opening_hours",
    "contact_name",
    "phone",
    "email",
    "website",
    "photos",
)
DESK_FIELDS = ("desks_free", "offices_free", "desk_price")


class OperatorError(Exception):
    """A problem the operator can act on; `code` names it, `field` the form field if any."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


# -- who operates what ---------------------------------------------------------------------------
def operated_place_ids(db: Session, user_id: int) -> list[str]:
    stmt = select(PlaceClaim.place_id).where(PlaceClaim.user_id == user_id, PlaceClaim.state == "approved")
    return list(dict.fromkeys(db.scalars(stmt.order_by(PlaceClaim.id))))


def is_operator_of(db: Session, user: User, place_id: str) -> bool:
    return (
        db.scalar(
            select(PlaceClaim.id)
            .where(
                PlaceClaim.user_id == user.id, PlaceClaim.place_id == place_id, PlaceClaim.state == "approved"
            )
            .limit(1)
        )
        is not None
    )


def operators_of(db: Session, place_id: str) -> list[User]:
    stmt = (
        select(User)
        .join(PlaceClaim, PlaceClaim.user_id == User.id)
        .where(PlaceClaim.place_id == place_id, PlaceClaim.state == "approved", User.active)
    )
    return list(dict.fromkeys(db.scalars(stmt)))


def operator_managed_ids(db: Session) -> set[str]:
    """Listings with an approved operator change: the content files no longer overwrite them."""
    return set(db.scalars(select(PlaceRevision.place_id).where(PlaceRevision.state == "approved")))


def history(db: Session, entity_type: str, place_id: str, key: str, value: int) -> list[AuditEntry]:
    """Audit entries of one claim or revision (a listing's log also holds other operators' items)."""
    rows = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == place_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [e for e in rows if (e.detail or {}).get(key) == value]


def can_see_revision(db: Session, user: User, revision: PlaceRevision) -> bool:
    return revision.author_id == user.id or is_operator_of(db, user, revision.place_id)


# -- claims --------------------------------------------------------------------------------------
def open_claim(db: Session, user: User, place_id: str) -> PlaceClaim | None:
    return db.scalar(
        select(PlaceClaim).where(
            PlaceClaim.user_id == user.id,
            PlaceClaim.place_id == place_id,
            PlaceClaim.state.in_(workflow.OPEN_STATES),
        )
    )


def start_claim(db: Session, user: User, place: Place, evidence_file_id: str | None, note: str) -> PlaceClaim:
    """Ask to manage an existing listing; staff approve it after checking the evidence."""
    if is_operator_of(db, user, place.id):
        raise OperatorError("already_operator")
    if open_claim(db, user, place.id) is not None:
        raise OperatorError("open_claim")
    now = utcnow()
    claim = PlaceClaim(
        place_id=place.id,
        user_id=user.id,
        state="pending",
        note=note,
        evidence_file_id=evidence_file_id,
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )
    db.add(claim)
    db.flush()
    audit(db, user, "place_claim", place.id, "submit", None, "pending", claim=claim.id)
    return claim


# -- revisions -----------------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def place_fields(place: Place) -> dict[str, Any]:
    """The approved values of every editable field."""
    return {name: jsonable(getattr(place, name)) for name in EDITABLE}


def open_revision(db: Session, place_id: str) -> PlaceRevision | None:
    """The change waiting for a decision on a listing, if any (at most one is open)."""
    return db.scalar(
        select(PlaceRevision).where(
            PlaceRevision.place_id == place_id, PlaceRevision.state.in_(workflow.OPEN_STATES)
        )
    )


def edit_token(db: Session, place: Place) -> str:
    """What an edit form was opened on: a second submit of the same form, or a form opened before
    someone else's change, no longer matches and is refused instead of overwriting."""
    revision = open_revision(db, place.id)
    if revision is not None:
        return f"r{revision.id}.{revision.version}"
    digest = hashlib.sha256(json.dumps(place_fields(place), sort_keys=True, default=str).encode())
    return "p" + digest.hexdigest()[:24]


def current_data(db: Session, place: Place) -> dict[str, Any]:
    """What the editor starts from: the open change if there is one, else the approved listing."""
    revision = open_revision(db, place.id)
    return dict(revision.data) if revision is not None else place_fields(place)


def submit_change(db: Session, user: User, place: Place, data: dict[str, Any], token: str) -> PlaceRevision:
    """Propose new values for a listing; the public keeps seeing the approved ones meanwhile."""
    if token != edit_token(db, place):
        raise OperatorError("stale")
    data = {name: jsonable(data.get(name)) for name in EDITABLE}
    revision = open_revision(db, place.id)
    base = revision.base if revision is not None else place_fields(place)
    if revision is not None and revision.author_id != user.id:
        # Another operator's change is waiting: editing it would put words under their name.
        raise OperatorError("other_author")
    if data == (revision.data if revision is not None else base):
        raise OperatorError("no_change")
    now = utcnow()
    if revision is not None:
        revision.data = data
        revision.updated_at = now
        audit(
            db,
            user,
            "place_revision",
            place.id,
            "edit",
            revision.state,
            revision.state,
            revision=revision.number,
        )
        db.flush()
        return revision
    return _submit(db, user, place.id, _next_number(db, place.id), "edit", data, base)


def submit_new(db: Session, user: User, data: dict[str, Any]) -> PlaceRevision:
    """Propose a listing that is not in the directory yet."""
    data = {name: jsonable(data.get(name)) for name in EDITABLE}
    return _submit(db, user, new_place_id(db, data["name"]), 1, "new", data, None)


def _submit(
    db: Session,
    user: User,
    place_id: str,
    number: int,
    kind: str,
    data: dict[str, Any],
    base: dict[str, Any] | None,
) -> PlaceRevision:
    """Store a pending revision and its audit entry."""
    now = utcnow()
    revision = PlaceRevision(
        place_id=place_id,
        number=number,
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
    extra = {"kind": "new"} if kind == "new" else {}
    audit(db, user, "place_revision", place_id, "submit", None, "pending", revision=number, **extra)
    return revision


def new_place_id(db: Session, name: str) -> str:
    """A readable, unused identifier from the name's pinyin."""
    words = "-".join(lazy_pinyin(name))
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:60] or "place"
    while True:
        candidate = f"{slug}-{secrets.token_hex(3)}"
        taken = db.get(Place, candidate) or db.scalar(
            select(PlaceRevision.id).where(PlaceRevision.place_id == candidate)
        )
        if not taken:
            return candidate


def _next_number(db: Session, place_id: str) -> int:
    numbers = db.scalars(select(PlaceRevision.number).where(PlaceRevision.place_id == place_id))
    return max(numbers, default=0) + 1


# -- moderation ----------------------------------------------------------------------------------
def act(
    db: Session,
    user: User | None,
    item: PlaceClaim | PlaceRevision,
    action: str,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Take a moderation action on a claim or revision; returns the new state."""
    now = now or utcnow()
    t = workflow.check_action(
        action, item.state, roles=roles_of(user), actor_id=user.id, author_id=item.author_id, reason=reason
    )
    before = item.state
    item.state = t.target
    item.updated_at = now
    if action in workflow.STAFF_ACTIONS:
        item.reviewer_id = user.id
        item.decided_at = now
        item.reason = reason
    if action == "answer":
        item.submitted_at = now  # back in the queue: its age counts from the answer
    is_claim = isinstance(item, PlaceClaim)
    if t.target == "approved" and not is_claim:
        _apply(db, item, now)
    entity = "place_claim" if is_claim else "place_revision"
    detail = {"claim": item.id} if is_claim else {"revision": item.number}
    audit(db, user, entity, item.place_id, action, before, t.target, reason, **detail)
    db.flush()
    return t.target


def _apply(db: Session, revision: PlaceRevision, now: dt.datetime) -> Place:
    """Make an approved revision public. Only the fields it changed are written, so a change
    approved meanwhile for another field (by another operator, or the content files) is kept."""
    data = revision.data
    place = db.get(Place, revision.place_id)
    if place is None:
        place = Place(
            id=revision.place_id,
            aliases=[],
            fund_stages=[],
            industries=[],
            services=[],
            photos=[],
            verified=True,
            content_hash="",
            publication_state="published",
            source_note="Listed by its operator on the portal",
            created_at=now,
        )
        db.add(place)
        changed = list(EDITABLE)
    else:
        base = revision.base or {}
        changed = [name for name in EDITABLE if data.get(name) != base.get(name)]
    for name in changed:
        value = data.get(name)
        setattr(place, name, [] if value is None and name in _LISTS else value)
    if any(name in changed for name in DESK_FIELDS):
        place.desks_updated_at = revision.submitted_at
    place.last_confirmed_on = now.date()  # staff have just checked what the operator confirmed
    place.verified = True
    place.updated_at = now
    db.flush()
    if revision.kind == "new" and not db.scalar(
        select(PlaceClaim.id).where(PlaceClaim.place_id == place.id, PlaceClaim.user_id == revision.author_id)
    ):
        db.add(
            PlaceClaim(
                place_id=place.id,
                user_id=revision.author_id,
                state="approved",
                note="",
                reviewer_id=revision.reviewer_id,
                created_at=now,
                updated_at=now,
                submitted_at=now,
                decided_at=now,
            )
        )
    enqueue(db, "place", place.id)
    return place


_LISTS = ("services", "industries", "photos")


def field_changes(base: dict[str, Any] | None, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field differences between the approved listing and a revision."""
    base = base or {}
    out = []
    for name in EDITABLE:
        before, after = base.get(name), data.get(name)
        if before in (None, "", []) and after in (None, "", []):
            continue
        if before != after:
            out.append({"field": name, "before": before, "after": after})
    return out

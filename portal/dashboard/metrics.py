"""The dashboard's figures: each panel is a table (the numbers) and, over time, a chart.

Pure reading: counts from the content, the audit log and the anonymous counters. Region figures
are grouped by province (or the region itself when it has no province above it).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core.audit import AuditEntry
from portal.i18n import lazy_gettext as _l
from portal.regions.models import Region

MONTHLY_AFTER_DAYS = 62


@dataclass
class Panel:
    """One dashboard item: what it measures, which 评价标准要点 item it serves, its table and chart."""

    id: str
    title: object
    criterion: object
    headers: list
    rows: list = field(default_factory=list)
    series: dict = field(default_factory=dict)  # name → values per bucket, drawn when present
    labels: list = field(default_factory=list)  # bucket labels of the chart
    note: object = None


@dataclass(frozen=True)
class Range:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def monthly(self) -> bool:
        return (self.end - self.start).days > MONTHLY_AFTER_DAYS

    def buckets(self) -> list[str]:
        out, day = [], self.start
        while day <= self.end:
            key = self.key(day)
            if not out or out[-1] != key:
                out.append(key)
            day += dt.timedelta(days=1)
        return out

    def key(self, day: dt.date | dt.datetime) -> str:
        day = day.date() if isinstance(day, dt.datetime) else day
        return day.strftime("%Y-%m") if self.monthly else day.isoformat()

    def contains(self, value: dt.date | dt.datetime | None) -> bool:
        if value is None:
            return False
        day = value.date() if isinstance(value, dt.datetime) else value
        return self.start <= day <= self.end

    @property
    def lo(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time())

    @property
    def hi(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())


def within(db: Session, region_id: str | None) -> set[str] | None:
    """The region and every region inside it; None (everything) when no region is chosen."""
    if not region_id:
        return None
    parents = dict(db.execute(select(Region.id, Region.parent_id)).all())
    found = set()
    for rid in parents:
        current: str | None = rid
        while current:
            if current == region_id:
                found.add(rid)
                break
            current = parents.get(current)
    return found


def _per_bucket(rng: Range, values) -> list[int]:
    counts = Counter(rng.key(v) for v in values if rng.contains(v))
    return [counts.get(b, 0) for b in rng.buckets()]


def _over_time(panel: Panel, rng: Range, series: dict[str, list[int]]) -> Panel:
    panel.labels = rng.buckets()
    panel.series = series
    panel.rows = [[label, *(values[i] for values in series.values())] for i, label in enumerate(panel.labels)]
    return panel


def province_of(db: Session, top: str | None = None) -> tuple[dict[str, str], dict[str, Region]]:
    """Each region's group: its province, or (when `top` is chosen) the region just below `top`."""
    regions = {r.id: r for r in db.scalars(select(Region))}
    out = {}
    for region_id in regions:
        current = regions[region_id]
        while (
            current.parent_id in regions
            and current.id != top
            and (current.parent_id != top if top else current.level not in ("provincial", "national"))
        ):
            current = regions[current.parent_id]
        out[region_id] = current.id
    return out, regions


def _by_region(db: Session, pairs, localized_name, top: str | None = None) -> list[list]:
    """Rows (region, total, with, share %) from (region_id, bool) pairs, by province or below `top`."""
    province, regions = province_of(db, top)
    totals: Counter = Counter()
    good: Counter = Counter()
    for region_id, ok in pairs:
        key = province.get(region_id, region_id)
        totals[key] += 1
        good[key] += 1 if ok else 0
    rows = []
    for key in sorted(totals, key=lambda k: (-totals[k], k)):
        name = localized_name(regions[key]) if key in regions else key
        rows.append([name, totals[key], good[key], round(100 * good[key] / totals[key])])
    all_total, all_good = sum(totals.values()), sum(good.values())
    if all_total:
        rows.append([_l("All regions"), all_total, all_good, round(100 * all_good / all_total)])
    return rows


def policies_published(db: Session, rng: Range, scope: set[str] | None = None) -> Panel:
    from portal.policies.models import Policy

    created_stmt = select(Policy.created_at).where(
        Policy.publication_state == "published", Policy.created_at >= rng.lo, Policy.created_at < rng.hi
    )
    changes_stmt = select(AuditEntry.at).where(
        AuditEntry.entity_type == "policy",
        AuditEntry.to_state == "published",
        AuditEntry.at >= rng.lo,
        AuditEntry.at < rng.hi,
    )
    if scope is not None:
        created_stmt = created_stmt.where(Policy.region_id.in_(scope))
        changes_stmt = changes_stmt.where(
            AuditEntry.entity_id.in_(select(Policy.id).where(Policy.region_id.in_(scope)))
        )
    created, changes = db.scalars(created_stmt), db.scalars(changes_stmt)
    panel = Panel(
        "policies",
        _l("Policies published and updated"),
        "R1.4",
        [_l("Period"), _l("New in the library"), _l("Changes published")],
    )
    return _over_time(
        panel,
        rng,
        {
            str(_l("New in the library")): _per_bucket(rng, created),
            str(_l("Changes published")): _per_bucket(rng, changes),
        },
    )


def usable_guide(policy) -> bool:
    """A 申兑指南 a founder can act on: who or what qualifies, and a way to reach someone."""
    guide = policy.guide
    if guide is None:
        return False
    says_who = bool((guide.conditions or "").strip() or (guide.beneficiaries or "").strip())
    contact = bool(
        (guide.phone or "").strip() or (guide.address or "").strip() or (guide.online_url or "").strip()
    )
    return says_who and contact


def guides(db: Session, localized_name, scope: set[str] | None = None, top: str | None = None) -> Panel:
    from sqlalchemy.orm import selectinload

    from portal.policies.models import Policy

    stmt = select(Policy).where(Policy.publication_state == "published").options(selectinload(Policy.guide))
    if scope is not None:
        stmt = stmt.where(Policy.region_id.in_(scope))
    policies = db.scalars(stmt)
    panel = Panel(
        "guides",
        _l("Policies with a usable 申兑指南 and contact"),
        "R1.4",
        [_l("Region"), _l("Published policies"), _l("With guide and contact"), _l("Share (%)")],
        note=_l(
            "Now, by province. A guide counts when it says who qualifies and gives a telephone, "
            "an address or an online service."
        ),
    )
    panel.rows = _by_region(db, ((p.region_id, usable_guide(p)) for p in policies), localized_name, top)
    return panel


def listings(
    db: Session,
    localized_name,
    days: int,
    today: dt.date,
    scope: set[str] | None = None,
    top: str | None = None,
) -> Panel:
    from portal.places.models import Place

    stmt = select(Place.region_id, Place.last_confirmed_on).where(
        Place.publication_state == "published", Place.status != "closed"
    )
    if scope is not None:
        stmt = stmt.where(Place.region_id.in_(scope))
    rows = db.execute(stmt)
    since = today - dt.timedelta(days=days)
    panel = Panel(
        "listings",
        _l("Listings confirmed within %(days)s days", days=days),
        "R2.4",
        [_l("Region"), _l("Listings"), _l("Confirmed"), _l("Share (%)")],
        note=_l("Now, by province: open or planned places whose operator or staff confirmed them."),
    )
    panel.rows = _by_region(db, ((r, c is not None and c >= since) for r, c in rows), localized_name, top)
    return panel


def moderation(db: Session, rng: Range, scope: set[str] | None = None) -> Panel:
    from portal.operators.models import PlaceClaim, PlaceRevision
    from portal.places.models import Place

    def scoped(stmt, model):
        if scope is None:
            return stmt
        return stmt.where(model.place_id.in_(select(Place.id).where(Place.region_id.in_(scope))))

    waits: dict[str, list[float]] = defaultdict(list)
    for model in (PlaceClaim, PlaceRevision):
        for submitted, decided in db.execute(
            scoped(
                select(model.submitted_at, model.decided_at).where(
                    model.decided_at >= rng.lo, model.decided_at < rng.hi
                ),
                model,
            )
        ):
            waits[rng.key(decided)].append((decided - submitted).total_seconds() / 86400)
    panel = Panel(
        "moderation",
        _l("Moderation waiting times"),
        "R1.5",
        [_l("Period"), _l("Decided"), _l("Median wait (days)"), _l("Longest wait (days)")],
    )
    panel.labels = rng.buckets()
    panel.rows = [
        [
            b,
            len(waits[b]),
            round(statistics.median(waits[b]), 1) if waits[b] else "",
            round(max(waits[b]), 1) if waits[b] else "",
        ]
        for b in panel.labels
    ]
    panel.series = {str(_l("Median wait (days)")): [r[2] or 0 for r in panel.rows]}
    waiting = sum(
        db.scalar(scoped(select(func.count()).select_from(m).where(m.state == "pending"), m)) or 0
        for m in (PlaceClaim, PlaceRevision)
    )
    panel.note = _l("Waiting now: %(n)s claims and listing changes.", n=waiting)
    return panel


def searches(db: Session, rng: Range) -> tuple[Panel, Panel]:
    from portal.dashboard.models import SearchQueryCount

    rows = list(
        db.execute(
            select(
                SearchQueryCount.day,
                SearchQueryCount.query,
                SearchQueryCount.results,
                SearchQueryCount.searches,
            ).where(SearchQueryCount.day >= rng.start, SearchQueryCount.day <= rng.end)
        )
    )
    total: Counter = Counter()
    empty: Counter = Counter()
    empty_queries: Counter = Counter()
    for day, query, results, n in rows:
        total[rng.key(day)] += n
        if results == 0:
            empty[rng.key(day)] += n
            empty_queries[query] += n
    panel = Panel(
        "searches",
        _l("Searches and searches with no result"),
        "R1.3",
        [_l("Period"), _l("Searches"), _l("With no result")],
    )
    _over_time(
        panel,
        rng,
        {
            str(_l("Searches")): [total.get(b, 0) for b in rng.buckets()],
            str(_l("With no result")): [empty.get(b, 0) for b in rng.buckets()],
        },
    )
    top = Panel(
        "no_results",
        _l("Top searches with no result"),
        "R1.3",
        [_l("Query"), _l("Searches")],
        note=_l(
            "Add content or synonyms for these. Queries that look like a phone number, an ID or "
            "an email address are counted without their text."
        ),
    )
    top.rows = [[q, n] for q, n in empty_queries.most_common(20)]
    return panel, top


def wizard(
    db: Session, rng: Range, localized_name, scope: set[str] | None = None, top: str | None = None
) -> tuple[Panel, Panel]:
    from portal.dashboard.models import UsageCount

    rows = list(
        db.execute(
            select(UsageCount.day, UsageCount.metric, UsageCount.region_id, UsageCount.hits).where(
                UsageCount.day >= rng.start, UsageCount.day <= rng.end
            )
        )
    )
    started: Counter = Counter()
    completed: Counter = Counter()
    regions: Counter = Counter()
    for day, metric, region_id, hits in rows:
        if metric == "wizard_started":
            started[rng.key(day)] += hits
        elif metric == "wizard_completed" and (scope is None or region_id in scope):
            completed[rng.key(day)] += hits
            regions[region_id] += hits
    panel = Panel(
        "wizard",
        _l("Eligibility wizard started and completed"),
        "R1.5",
        [_l("Period"), _l("Started"), _l("Results shown")],
    )
    _over_time(
        panel,
        rng,
        {
            str(_l("Started")): [started.get(b, 0) for b in rng.buckets()],
            str(_l("Results shown")): [completed.get(b, 0) for b in rng.buckets()],
        },
    )
    if scope is not None:
        panel.note = _l("Starts are counted for all regions: the region is only known once it is answered.")
    province, all_regions = province_of(db, top)
    grouped: Counter = Counter()
    for region_id, hits in regions.items():
        grouped[province.get(region_id, region_id) if region_id else ""] += hits
    by_region = Panel(
        "wizard_regions", _l("Wizard results by region"), "R1.5", [_l("Region"), _l("Results shown")]
    )
    by_region.rows = [
        [localized_name(all_regions[k]) if k in all_regions else _l("Region not answered"), n]
        for k, n in grouped.most_common()
    ]
    return panel, by_region


def feedback(db: Session, rng: Range, scope: set[str] | None = None) -> Panel:
    from portal.eligibility.models import ResultFeedback
    from portal.operators.models import PlaceFeedback
    from portal.places.models import Place

    place_stmt = select(PlaceFeedback.created_at).where(
        PlaceFeedback.created_at >= rng.lo, PlaceFeedback.created_at < rng.hi
    )
    answered_stmt = select(AuditEntry.at).where(
        AuditEntry.action.in_(("resolve", "feedback_handled")),
        AuditEntry.entity_type.in_(("feedback", "place_feedback")),
        AuditEntry.at >= rng.lo,
        AuditEntry.at < rng.hi,
    )
    received = []
    if scope is None:
        received += db.scalars(
            select(ResultFeedback.created_at).where(
                ResultFeedback.created_at >= rng.lo, ResultFeedback.created_at < rng.hi
            )
        )
    else:  # result feedback belongs to no region: only listings' feedback is counted
        in_scope = select(Place.id).where(Place.region_id.in_(scope))
        place_stmt = place_stmt.where(PlaceFeedback.place_id.in_(in_scope))
        answered_stmt = answered_stmt.where(
            AuditEntry.entity_type == "place_feedback", AuditEntry.entity_id.in_(in_scope)
        )
    received += db.scalars(place_stmt)
    answered = db.scalars(answered_stmt)
    panel = Panel(
        "feedback",
        _l("Feedback received and answered"),
        "R1.5",
        [_l("Period"), _l("Received"), _l("Answered")],
        note=_l("Result feedback from the eligibility wizard and corrections to listings."),
    )
    return _over_time(
        panel,
        rng,
        {str(_l("Received")): _per_bucket(rng, received), str(_l("Answered")): _per_bucket(rng, answered)},
    )


def subscribers(db: Session, rng: Range) -> Panel:
    from portal.alerts.models import AlertSubscription, SavedCheck

    alerts = db.scalars(
        select(AlertSubscription.confirmed_at).where(AlertSubscription.confirmed_at.is_not(None))
    )
    checks = db.scalars(select(SavedCheck.confirmed_at).where(SavedCheck.confirmed_at.is_not(None)))
    panel = Panel(
        "subscribers",
        _l("Subscribers (new, confirmed)"),
        "R1.3",
        [_l("Period"), _l("Email alerts"), _l("Saved eligibility answers")],
    )
    _over_time(
        panel,
        rng,
        {
            str(_l("Email alerts")): _per_bucket(rng, alerts),
            str(_l("Saved eligibility answers")): _per_bucket(rng, checks),
        },
    )
    counts = dict(
        db.execute(
            select(AlertSubscription.frequency, func.count())
            .where(AlertSubscription.confirmed_at.is_not(None))
            .group_by(AlertSubscription.frequency)
        ).all()
    )
    saved = db.scalar(
        select(func.count()).select_from(SavedCheck).where(SavedCheck.confirmed_at.is_not(None))
    )
    panel.note = _l(
        "Now: %(daily)s daily and %(weekly)s weekly alert subscriptions, %(saved)s saved answers. "
        "Counts only: addresses are never shown.",
        daily=counts.get("daily", 0),
        weekly=counts.get("weekly", 0),
        saved=saved or 0,
    )
    return panel


def all_panels(
    db: Session, rng: Range, localized_name, confirm_days: int, today: dt.date, region: str | None = None
) -> list[Panel]:
    """Every panel; `region` limits them to that region and the regions inside it."""
    scope = within(db, region)
    search_panel, top = searches(db, rng)
    wizard_panel, wizard_regions = wizard(db, rng, localized_name, scope, region)
    return [
        policies_published(db, rng, scope),
        guides(db, localized_name, scope, region),
        listings(db, localized_name, confirm_days, today, scope, region),
        moderation(db, rng, scope),
        search_panel,
        top,
        wizard_panel,
        wizard_regions,
        feedback(db, rng, scope),
        subscribers(db, rng),
    ]

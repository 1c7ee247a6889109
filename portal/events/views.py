"""Event pages: the upcoming list with facets, the month calendar and an event."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask import abort, render_template, request
from sqlalchemy import select

from portal import db
from portal.core import params
from portal.core.clock import utcnow
from portal.core.params import BadParameter
from portal.core.urls import absolute_url
from portal.events import bp, dates, services, taxonomy
from portal.events.models import FEES, Event
from portal.i18n import current_language, localized
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.places.directory import map_config
from portal.places.models import Place
from portal.places.services import PUBLIC as PUBLIC_PLACE
from portal.places.services import mentioning_policy_ids
from portal.regions.models import Region

FACET_TITLES = {
    "kind": _l("Kind of event"),
    "region": _l("Region"),
    "month": _l("Month"),
    "audience": _l("For whom"),
    "fee": _l("Fee"),
}
WHEN_LABELS = {"upcoming": _l("Upcoming"), "past": _l("Past"), "all": _l("All")}


# -- reading the request ---------------------------------------------------------------------------
def _month_values(name: str) -> tuple[str, ...]:
    values = []
    for raw in request.args.getlist(name):
        for value in raw.split(","):
            value = value.strip()
            if not value:
                continue
            try:
                dates.parse_month(value, dt.date.today())
            except ValueError:
                raise BadParameter(name, _l("Give a month as YYYY-MM, e.g. 2026-10.")) from None
            values.append(value)
    return tuple(dict.fromkeys(values))


def _time_param(name: str, end_of_day: bool) -> dt.datetime | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value, is_date = dates.parse_time(raw, name)
    except dates.DateProblem:
        raise BadParameter(
            name, _l("Give a date as YYYY-MM-DD, or a time in ISO 8601 (2026-10-15T09:30+08:00).")
        ) from None
    return value + dt.timedelta(days=1) if is_date and end_of_day else value


def filter_from_request(default_when: str = "upcoming", per_page: int = 20) -> services.EventFilter:
    """Validate the query string; BadParameter names a bad field."""
    session = db.session()
    f = services.EventFilter(
        text=params.query_text("q"),
        kinds=params.choices("kind", taxonomy.kinds()),
        regions=params.choices("region", session.scalars(select(Region.id))),
        places=params.choices("place", session.scalars(select(Place.id).where(PUBLIC_PLACE))),
        months=_month_values("month"),
        audiences=params.choices("audience", taxonomy.audiences()),
        fees=params.choices("fee", FEES),
        start=_time_param("from", end_of_day=False),
        end=_time_param("to", end_of_day=True),
        when=params.choice("when", services.WHEN, default_when),
        page=params.positive_int("page", 1, params.MAX_PAGE),
        per_page=params.positive_int("per_page", per_page, 100),
    )
    if f.start and f.end and f.end <= f.start:
        raise BadParameter("to", _l("“to” is before “from”: the dates are out of order."))
    if f.start or f.end or f.months:
        f.when = request.args.get("when") or "all"
    return f


def facets_for_display(result: services.EventResult, f: services.EventFilter) -> list[dict]:
    """Facet values with label, count and whether chosen, in a sensible order."""
    session = db.session()
    regions = list(session.scalars(select(Region).order_by(Region.position)))
    order = {r.id: i for i, r in enumerate(regions)}
    label_maps = {
        "kind": taxonomy.kinds(),
        "audience": taxonomy.audiences(),
        "fee": taxonomy.fees(),
        "region": {r.id: localized(r, "name") for r in regions},
    }
    chosen = {"kind": f.kinds, "region": f.regions, "month": f.months, "audience": f.audiences, "fee": f.fees}
    out = []
    for name in services.FACETS:
        counts = result.facets.get(name, {})
        values = list(counts.items())
        if name == "region":
            values.sort(key=lambda kv: order.get(kv[0], 10**6))
        elif name == "month":
            values.sort()
        else:
            values.sort(key=lambda kv: (-kv[1], kv[0]))
        out.append(
            {
                "name": name,
                "title": str(FACET_TITLES[name]),
                "values": [
                    {
                        "value": v,
                        "label": month_label(v) if name == "month" else label_maps[name].get(v, v),
                        "count": c,
                        "chosen": v in chosen[name],
                    }
                    for v, c in values
                ],
            }
        )
    return out


# -- words for times ---------------------------------------------------------------------------------
def month_label(value: str | dt.date) -> str:
    first = value if isinstance(value, dt.date) else dates.parse_month(value, dt.date.today())
    return f"{first.year}年{first.month}月" if current_language() == "zh" else first.strftime("%B %Y")


def _day(value: dt.date) -> str:
    if current_language() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%B %Y')}"


def when_text(event: Event) -> str:
    """When an event takes place, in China Standard Time, in the interface language."""
    if event.starts_at is None:
        return _("Dates not yet announced")
    start = dates.local(event.starts_at)
    if event.all_day:
        last = dates.last_day(event.ends_at, True) if event.ends_at else start.date()
        if last == start.date():
            return _day(start.date())
        return _("%(start)s to %(end)s", start=_day(start.date()), end=_day(last))
    end = dates.local(event.ends_at)
    if end is None:
        text = f"{_day(start.date())} {start:%H:%M}"
    elif end.date() == start.date():
        text = f"{_day(start.date())} {start:%H:%M}–{end:%H:%M}"
    else:
        text = _(
            "%(start)s to %(end)s",
            start=f"{_day(start.date())} {start:%H:%M}",
            end=f"{_day(end.date())} {end:%H:%M}",
        )
    return _("%(when)s (China Standard Time)", when=text)


bp.add_app_template_global(when_text, "event_when")


def event_url(event_id: str) -> str:
    return absolute_url("events.detail", event_id=event_id)


# -- pages ---------------------------------------------------------------------------------------------
@bp.get("/events")
def index():
    f = filter_from_request()
    result = services.find(db.session(), f)
    return render_template(
        "events/index.html",
        f=f,
        result=result,
        facets=facets_for_display(result, f),
        pages=max(1, -(-result.total // f.per_page)),
        now=utcnow(),
        when_labels=WHEN_LABELS,
        kind_labels=taxonomy.kinds(),
    )


@bp.get("/events/calendar")
def calendar():
    today = dates.local(utcnow()).date()
    try:
        first = dates.parse_month(request.args.get("month"), today)
    except ValueError:
        raise BadParameter("month", _l("Give a month as YYYY-MM, e.g. 2026-10.")) from None
    events = services.in_month(db.session(), first)
    by_day: dict[dt.date, list[Event]] = {}
    for e in events:
        for day in dates.days_of(e.starts_at, e.ends_at, e.all_day):
            if day.month == first.month:
                by_day.setdefault(day, []).append(e)
    return render_template(
        "events/calendar.html",
        first=first,
        weeks=dates.month_weeks(first),
        by_day=by_day,
        events=events,
        month_label=month_label,
        today=today,
        previous=dates.shift_month(first, -1),
        following=dates.shift_month(first, 1),
        now=utcnow(),
        kind_labels=taxonomy.kinds(),
    )


@bp.get("/events/<event_id>")
def detail(event_id: str):
    session = db.session()
    event = services.get_event(session, event_id)
    if event is None:
        abort(404)
    series = services.get_event(session, event.series_id) if event.series_id else None
    point = event.point
    plans = mentioning_policy_ids(SimpleNamespace(source_ref=event.source_ref))
    return render_template(
        "events/detail.html",
        event=event,
        series=series,
        point=point,
        occurrences=services.occurrences(session, event.id),
        past=event.is_past(utcnow()),
        map_config=map_config(),
        permalink=event_url(event.id),
        plans=plans,
        kind_labels=taxonomy.kinds(),
        audience_labels=taxonomy.audiences(),
        fee_labels=taxonomy.fees(),
    )

"""The staff dashboard: figures with charts, a date range and a CSV download."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import abort, current_app, render_template, request

from portal import db
from portal.accounts.auth import role_required
from portal.core.clock import utcnow
from portal.core.params import BadParameter
from portal.dashboard import bp, charts, counting, metrics
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import localized

MAX_DAYS = 3 * 366
# The 评价标准要点 items (seed 000, attachment) each panel serves.
CRITERIA = {
    "R1.3": _l("R1.3 An online and offline 双创 information-sharing platform"),
    "R1.4": _l("R1.4 A platform publishing entrepreneurship policies"),
    "R1.5": _l("R1.5 A specialised, networked service system for makers and small firms"),
    "R2.4": _l("R2.4 Incubators, maker spaces and innovation platforms built and growing"),
}


def _date(name: str, default: dt.date) -> dt.date:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        label = _("From") if name == "start" else _("To")
        raise BadParameter(label, _("write a date as YYYY-MM-DD, e.g. 2026-01-31.")) from None


def date_range() -> metrics.Range:
    today = utcnow().date()
    end = _date("end", today)
    start = _date("start", (end.replace(day=1) - dt.timedelta(days=365)).replace(day=1))
    if start > end:
        raise BadParameter(_("From"), _("the first day must not be after the last day."))
    if (end - start).days > MAX_DAYS:
        raise BadParameter(_("From"), _("choose at most three years."))
    return metrics.Range(start, end)


def chosen_region() -> str | None:
    from portal.regions.models import Region

    region = request.args.get("region", "").strip()
    if region and db.session().get(Region, region) is None:
        raise BadParameter(_("Region"), _("choose a region from the list."))
    return region or None


def _panels(rng: metrics.Range) -> list[metrics.Panel]:
    counting.flush()  # this worker's latest counts
    return metrics.all_panels(
        db.session(),
        rng,
        lambda r: localized(r, "name"),
        current_app.config["LISTING_CONFIRM_DAYS"],
        utcnow().date(),
        chosen_region(),
    )


@bp.get("/")
@role_required("editor")
def index():
    rng = date_range()
    from portal.dashboard.oversight import solo_publications
    from portal.regions.services import all_regions

    return render_template(
        "dashboard/index.html",
        panels=_panels(rng),
        rng=rng,
        criteria=CRITERIA,
        solo=solo_publications(db.session(), rng),
        region=chosen_region(),
        regions=all_regions(db.session()),
    )


@bp.get("/charts/<panel_id>.svg")
@role_required("editor")
def chart(panel_id: str):
    panel = next((p for p in _panels(date_range()) if p.id == panel_id and p.series), None)
    if panel is None:
        abort(404)
    response = current_app.response_class(charts.svg(panel), mimetype="image/svg+xml")
    # pygal styles its SVG with an inline <style>; as an image it can run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/dashboard.csv")
@role_required("editor")
def download():
    rng = date_range()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Dashboard"), rng.start.isoformat(), rng.end.isoformat(), chosen_region() or ""])
    for panel in _panels(rng):
        writer.writerow([])
        writer.writerow([panel.id, str(panel.title)])
        writer.writerow([str(h) for h in panel.headers])
        for row in panel.rows:
            writer.writerow([str(v) for v in row])
    response = current_app.response_class(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=dashboard-{rng.start.isoformat()}-{rng.end.isoformat()}.csv"
    )
    return response

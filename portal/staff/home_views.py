"""The staff home: my drafts, my reviews, what is scheduled, expiring or missing a guide."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal import db
from portal.accounts.auth import role_required
from portal.staff import bp, services


@bp.get("/")
@role_required("editor")
def home():
    from portal.dashboard.counting import top_misses

    return render_template(
        "staff/home.html",
        queues=services.queues(db.session(), current_user),
        misses=top_misses(db.session(), 5),
    )

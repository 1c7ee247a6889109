"""The audit log, filterable by who, what and which item."""

from __future__ import annotations

from flask import render_template, request

from portal import db
from portal.accounts.auth import role_required
from portal.core import params
from portal.i18n import gettext as _
from portal.staff import bp, services
from portal.staff.forms import AuditFilterForm


@bp.get("/audit")
@role_required("reviewer")
def audit():
    session = db.session()
    form = AuditFilterForm(request.args)
    from portal.core.audit_labels import action_label

    form.action.choices = [("", _("All actions"))] + [
        (a, action_label("policy", a)) for a in services.audit_actions(session)
    ]
    page = params.positive_int("page", 1, params.MAX_PAGE)
    entries = services.audit_log(session, form.entity.data or None, form.action.data or None, page)
    return render_template(
        "staff/audit.html", form=form, entries=entries[:50], more=len(entries) > 50, page=page
    )

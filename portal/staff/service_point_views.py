"""Back-office pages for service points: edit as YAML, submit, review, publish, with the audit trail."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from portal import db
from portal.accounts.auth import role_required
from portal.core.actions import decide
from portal.core.audit import AuditEntry
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.publishing import workflow
from portal.service_points import revisions, services
from portal.service_points.models import ServicePoint, ServicePointRevision
from portal.staff import bp

TEMPLATE = """id: region-id-kind
kind: government_service   # government_service | hr | tax | science | ip | market
region: cn
name: 名称
name_en: Name
handles: 办理什么业务
handles_en: What it handles
address: null
phone: "12345"
hours: null
online: {name: 网上入口名称, name_en: Online entry, url: "https://"}
unknown: 哪些信息尚未核实
unknown_en: What has not been checked
source: {url: null, note: 在哪里核对}
checked_on: 2026-12-02
verified: false
"""


class SourceForm(FlaskForm):
    source = TextAreaField(
        _l("Service point (YAML)"),
        [DataRequired()],
        description=_l(
            "Address, phone, hours, online entry, source and the day checked. Format: content/README.md."
        ),
    )


class DecisionForm(FlaskForm):
    """CSRF only; the reason and version are read from the form."""


@bp.get("/service-points/")
@role_required("editor")
def service_points():
    session = db.session()
    drafts = {
        r.service_point_id: r
        for r in session.scalars(
            select(ServicePointRevision).where(ServicePointRevision.state.in_(revisions.OPEN))
        )
    }
    return render_template(
        "staff/service_points.html",
        rows=services.all_points(session),
        drafts=drafts,
        new_drafts=[r for k, r in drafts.items() if session.get(ServicePoint, k) is None],
    )


def _editor(point_id: str | None):
    session = db.session()
    point = session.get(ServicePoint, point_id) if point_id else None
    draft = revisions.open_revision(session, point_id) if point_id else None
    if point_id and point is None and draft is None:
        abort(404)
    form = SourceForm()
    if request.method == "GET":
        form.source.data = (
            draft.source_text if draft else (revisions.yaml_text(point.definition) if point else TEMPLATE)
        )
    status = 200
    if form.validate_on_submit():
        definition, problems = revisions.check_source(session, form.source.data, point_id)
        if definition is None:
            form.source.errors = [*form.source.errors, *problems]
            status = 400
        elif point_id is None and (
            session.get(ServicePoint, definition["id"]) or revisions.open_revision(session, definition["id"])
        ):
            form.source.errors = [_("id: this identifier is already used by another service point.")]
            status = 400
        else:
            try:
                revision = revisions.save_draft(
                    session, current_user, definition["id"], form.source.data, definition
                )
            except workflow.WorkflowError:
                form.source.errors = [_("This change is in review: recall it before editing.")]
                return render_template(
                    "staff/service_point_form.html", form=form, point=point, draft=draft
                ), 409
            flash(_("Draft saved. Submit it for review when it is ready."), "success")
            return redirect(url_for(".service_point_revision", revision_id=revision.id), 303)
    elif form.is_submitted():
        status = 400
    return render_template("staff/service_point_form.html", form=form, point=point, draft=draft), status


@bp.route("/service-points/new", methods=["GET", "POST"])
@role_required("editor")
def new_service_point():
    return _editor(None)


@bp.route("/service-points/<point_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit_service_point(point_id: str):
    return _editor(point_id)


@bp.get("/service-points/revisions/<int:revision_id>")
@role_required("editor")
def service_point_revision(revision_id: int):
    session = db.session()
    rev = session.get(ServicePointRevision, revision_id)
    if rev is None:
        abort(404)
    point = session.get(ServicePoint, rev.service_point_id)
    diff = revisions.diff_lines(
        revisions.yaml_text(point.definition) if point else "", revisions.yaml_text(rev.definition)
    )
    entries = list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "service_point", AuditEntry.entity_id == rev.service_point_id)
            .order_by(AuditEntry.at.desc())
            .limit(50)
        )
    )
    actions = [
        a for a in workflow.actions_for(workflow.REVISION_TRANSITIONS, rev.state) if a in revisions.ACTIONS
    ]
    return render_template(
        "staff/service_point_revision.html",
        rev=rev,
        point=point,
        diff=diff,
        actions=actions,
        entries=entries,
        form=DecisionForm(),
    )


# Refusals worded for a service point revision (core.messages words the rest).
REFUSALS = {
    "own_change": _l("A reviewer cannot approve or return their own change; another reviewer must."),
    "not_author": _l("Only the author can recall a submission."),
    "stale": _l("Someone else acted on this revision while you were reading it. Check it again."),
    "reason_required": _l("Reason: write why the change is returned, so the author can fix it."),
    "not_allowed": _l("This action is not possible in the revision's current state."),
}
DONE = {
    "submit": _l("Submitted for review."),
    "recall": _l("Recalled: it is a draft again."),
    "approve": _l("Published: the directory, the map and every how-to-apply box use it now."),
    "reject": _l("Returned to the author with your reason."),
    "discard": _l("Draft discarded."),
}


@bp.post("/service-points/revisions/<int:revision_id>/<action>")
@role_required("editor")
def service_point_action(revision_id: int, action: str):
    session = db.session()
    rev = session.get(ServicePointRevision, revision_id)
    if rev is None or action not in revisions.ACTIONS:
        abort(404)
    if not DecisionForm().validate_on_submit():
        abort(400, description=_("The form has expired. Reload the page and try again."))
    reason = (request.form.get("reason") or "").strip() or None
    return decide(
        lambda: revisions.act(session, current_user, rev, action, reason),
        version=rev.lock_version,
        back=url_for(".service_point_revision", revision_id=revision_id),
        done=DONE[action],
        refusals=REFUSALS,
    )

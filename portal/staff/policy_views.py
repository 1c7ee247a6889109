"""Policies: the list, the editor for a new policy or a change, withdrawal, history, attachments."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import db
from portal.accounts.auth import role_required
from portal.core import files, params
from portal.core.actions import decide
from portal.core.files import StoredFile
from portal.core.messages import message
from portal.core.textmatch import contains
from portal.i18n import gettext as _
from portal.i18n import localized
from portal.policies.fields import DATE_FIELDS, FORM_FIELDS, GUIDE_TEXTS, OPTIONAL_TEXTS
from portal.policies.models import PUBLICATION_STATES, Category, Policy
from portal.policies.services import as_json, policy_data
from portal.publishing import services as publishing
from portal.publishing import workflow
from portal.publishing.models import PolicyRevision
from portal.regions.services import all_regions
from portal.staff import bp, services
from portal.staff.forms import ActionForm, PolicyForm, parse_ids, parse_steps


@bp.get("/policies")
@role_required("editor")
def policies():
    session = db.session()
    state = params.choice("state", PUBLICATION_STATES, "")
    stmt = select(Policy).order_by(Policy.updated_at.desc())
    if state:
        stmt = stmt.where(Policy.publication_state == state)
    text = params.query_text("q")
    if text:
        stmt = stmt.where(contains(Policy.title, text) | contains(Policy.id, text))
    page = params.positive_int("page", 1, params.MAX_PAGE)
    rows = session.scalars(stmt.offset((page - 1) * 50).limit(51)).all()
    open_revisions = {
        r.policy_id: r
        for r in session.scalars(select(PolicyRevision).where(PolicyRevision.state.in_(workflow.OPEN_STATES)))
    }
    return render_template(
        "staff/policies.html",
        rows=rows[:50],
        more=len(rows) > 50,
        page=page,
        state=state,
        q=text,
        open_revisions=open_revisions,
    )


def _policy_form(data: dict | None = None) -> PolicyForm:
    session = db.session()
    form = PolicyForm()
    form.region_id.choices = [(r.id, localized(r, "name")) for r in all_regions(session)]
    form.categories.choices = [
        (c.id, localized(c, "name")) for c in session.scalars(select(Category).order_by(Category.position))
    ]
    attachments = (data or {}).get("attachments", [])
    form.remove_attachments.choices = [(str(i), a["title"]) for i, a in enumerate(attachments)]
    if data and request.method == "GET":
        for name in ("id", *FORM_FIELDS):
            getattr(form, name).data = data.get(name)
        for name in DATE_FIELDS:
            getattr(form, name).data = _date(data.get(name))
        form.categories.data = data.get("categories", [])
        guide = data.get("guide") or {}
        for name in GUIDE_TEXTS:
            getattr(form, name).data = guide.get(name)
        form.guide_source.data = guide.get("source")
        form.steps.data = "\n".join(
            s["title"] + (f" | {s['detail']}" if s.get("detail") else "") for s in data.get("steps", [])
        )
        form.cites.data = ", ".join(data.get("cites", []))
    return form


def _date(value):
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return value


def _form_data(form: PolicyForm, previous: dict | None) -> dict:
    """Turn a valid form into revision data, storing new uploads; raises UploadError."""
    session = db.session()
    attachments = list((previous or {}).get("attachments", []))
    remove = {int(i) for i in form.remove_attachments.data or [] if i.isascii() and i.isdigit()}
    attachments = [a for i, a in enumerate(attachments) if i not in remove]
    for upload in form.uploads.data or []:
        if not getattr(upload, "filename", ""):
            continue
        data = upload.read(current_app.config["MAX_UPLOAD_BYTES"] + 1)
        record = files.store(
            session,
            current_app.config["UPLOAD_DIR"],
            data,
            upload.filename,
            current_app.config["MAX_UPLOAD_BYTES"],
            current_user.id,
        )
        title = record.original_name.rsplit(".", 1)[0]
        attachments.append({"title": title, "note": None, "url": None, "file_id": record.id})
    guide = {k: getattr(form, k).data or None for k in GUIDE_TEXTS}
    guide["source"] = form.guide_source.data or None
    values = {"id": form.id.data, **{k: getattr(form, k).data for k in (*FORM_FIELDS, *DATE_FIELDS)}}
    values.update({k: values[k] or None for k in OPTIONAL_TEXTS})
    return {
        **values,
        "body": values["body"] or "",
        "categories": form.categories.data or [],
        "guide": guide if any(guide.values()) else None,
        "steps": parse_steps(form.steps.data),
        "cites": parse_ids(form.cites.data),
        "attachments": attachments,
    }


def _check_cites(form: PolicyForm) -> bool:
    session = db.session()
    unknown = [c for c in parse_ids(form.cites.data) if session.get(Policy, c) is None]
    if unknown:
        form.cites.errors = [
            *form.cites.errors,
            _("Unknown policy identifiers: %(ids)s", ids=", ".join(unknown)),
        ]
        return False
    return True


@bp.route("/policies/new", methods=["GET", "POST"])
@role_required("editor")
def new_policy():
    form = _policy_form()
    status = 200
    if form.validate_on_submit() and _check_cites(form):
        session = db.session()
        if session.get(Policy, form.id.data) or publishing.open_revision(session, form.id.data):
            form.id.errors = [_("This identifier is already used by another policy.")]
            status = 400
        else:
            if "preview" in request.form:  # show the text; store nothing yet
                return render_template(
                    "staff/policy_form.html", form=form, preview=form.body.data, revision=None, policy=None
                )
            try:
                data = _form_data(form, None)
            except files.UploadError as exc:
                form.uploads.errors = [message(exc)]
                status = 400
            else:
                revision = publishing.start_revision(session, current_user, None, data)
                flash(_("Draft saved."), "info")
                return redirect(url_for(".revision", revision_id=revision.id))
    elif form.is_submitted():
        status = 400
    return render_template("staff/policy_form.html", form=form, revision=None, policy=None), status


@bp.route("/policies/<policy_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit_policy(policy_id: str):
    session = db.session()
    policy = session.get(Policy, policy_id)
    revision = publishing.open_revision(session, policy_id)
    if policy is None and revision is None:
        abort(404)
    if revision is not None and revision.state not in workflow.EDITABLE_STATES:
        flash(_("This policy has a change under review. Recall it or wait for the decision."), "error")
        return redirect(url_for(".revision", revision_id=revision.id))
    current = revision.data if revision else as_json(policy_data(policy))
    form = _policy_form(current)
    form.id.render_kw = {"readonly": True}
    status = 200
    if form.is_submitted():
        form.id.data = policy_id  # the identifier never changes
    if form.validate_on_submit() and _check_cites(form):
        if "preview" in request.form:  # show the text; store nothing yet
            return render_template(
                "staff/policy_form.html", form=form, preview=form.body.data, revision=revision, policy=policy
            )
        try:
            data = _form_data(form, current)
        except files.UploadError as exc:
            form.uploads.errors = [message(exc)]
            status = 400
        else:
            if revision is None:
                revision = publishing.start_revision(session, current_user, policy, data)
            else:
                publishing.save_revision(session, current_user, revision, data)
            flash(_("Draft saved."), "info")
            return redirect(url_for(".revision", revision_id=revision.id))
    elif form.is_submitted():
        status = 400
    return render_template("staff/policy_form.html", form=form, revision=revision, policy=policy), status


@bp.post("/policies/<policy_id>/<action>")
@role_required("reviewer")
def policy_action(policy_id: str, action: str):
    session = db.session()
    policy = session.get(Policy, policy_id)
    if policy is None or action not in ("withdraw", "republish"):
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form could not be read. Try again."), "error")
        return redirect(url_for(".policies")), 303
    return decide(
        lambda: publishing.change_policy_state(session, current_user, policy, action, form.reason.data),
        back=url_for(".policies"),
        done=_("Withdrawn from the public site.") if action == "withdraw" else _("Published again."),
    )


@bp.get("/policies/<policy_id>/history")
@role_required("editor")
def policy_history(policy_id: str):
    session = db.session()
    policy = session.get(Policy, policy_id)
    revisions = session.scalars(
        select(PolicyRevision)
        .where(PolicyRevision.policy_id == policy_id)
        .order_by(PolicyRevision.number.desc())
    ).all()
    if policy is None and not revisions:
        abort(404)
    return render_template(
        "staff/history.html",
        policy=policy,
        policy_id=policy_id,
        revisions=revisions,
        form=ActionForm(),
        entries=services.audit_log(session, policy_id, None, 1, 200),
    )


@bp.get("/files/<file_id>")
@role_required("editor")
def file(file_id: str):
    record = db.session().get(StoredFile, file_id)
    if record is None:
        abort(404)
    return send_file(
        files.path_of(current_app.config["UPLOAD_DIR"], record),
        mimetype=record.content_type,
        as_attachment=True,
        download_name=files.download_name(record),
    )

"""Back-office pages for benefits: edit the rules as YAML, test, publish; read result feedback."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from portal import db
from portal.accounts.auth import role_required
from portal.core import params
from portal.core.actions import decide
from portal.core.audit import AuditEntry
from portal.eligibility import revisions, services
from portal.eligibility.models import FEEDBACK_STATES, Benefit, BenefitRevision, ResultFeedback
from portal.eligibility.wizard import problem_message
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.staff import bp

TEMPLATE = """id: new-benefit-id
name: 名称
name_en: Name
kind: grant
issuer: 发布机关
issuer_en: Issuing office
region: cn
summary: 一两句话：是什么、给谁。
summary_en: One or two sentences.
basis:
  - {policy: null, document: 文件名称, clause: 第几条}
amounts: []
conditions:
  all:
    - id: applicant
      text: 申请人是企业
      text_en: The applicant is a company
      source: 第几条
      fact: applicant
      is: company
documents: []
apply: null
excludes: []
verified: false
verified_on: 2026-12-01
source: {kind: public, ref: null, url: null, note: 说明来源}
cases:
  - {name: 企业, on: 2026-12-01, expect: eligible, answers: {applicant: company, region: cn}}
  - {name: 个人, on: 2026-12-01, expect: ineligible, answers: {applicant: individual, region: cn}}
"""


class BenefitSourceForm(FlaskForm):
    source = TextAreaField(
        _l("Definition (YAML)"),
        [DataRequired()],
        description=_l(
            "The benefit's rules, amounts, how to apply and its cases. "
            "Saving checks every field and runs the cases."
        ),
    )


class DecisionForm(FlaskForm):
    """CSRF only; the action and the version come from the URL and a hidden field."""


@bp.get("/benefits")
@role_required("editor")
def benefits():
    session = db.session()
    rows = list(session.scalars(select(Benefit).order_by(Benefit.kind, Benefit.id)))
    drafts = {
        r.benefit_id: r
        for r in session.scalars(select(BenefitRevision).where(BenefitRevision.state == "draft"))
    }
    return render_template(
        "staff/benefits.html",
        rows=rows,
        drafts=drafts,
        new_drafts=[d for k, d in drafts.items() if session.get(Benefit, k) is None],
    )


def _editor(benefit_id: str | None):
    session = db.session()
    rules = services.ruleset(session)
    benefit = session.get(Benefit, benefit_id) if benefit_id else None
    if benefit_id and benefit is None and revisions.open_draft(session, benefit_id) is None:
        abort(404)
    draft = revisions.open_draft(session, benefit_id) if benefit_id else None
    form = BenefitSourceForm()
    if request.method == "GET":
        form.source.data = (
            draft.source_text if draft else (revisions.yaml_text(benefit.definition) if benefit else TEMPLATE)
        )
    problems, status = [], 200
    if form.validate_on_submit():
        checked = revisions.check_source(session, form.source.data, rules, benefit_id)
        if checked.definition is None:
            problems, status = checked.problems, 400
        elif benefit_id is None and (
            session.get(Benefit, checked.definition["id"])
            or revisions.open_draft(session, checked.definition["id"])
        ):
            form.source.errors = [_("id: this identifier is already used by another benefit.")]
            status = 400
        else:
            revision = revisions.save_draft(
                session, current_user, checked.definition["id"], form.source.data, checked
            )
            if checked.cases_pass:
                flash(_("Draft saved; every case passes. A reviewer can now publish it."), "success")
            else:
                flash(_("Draft saved, but some cases fail: it cannot be published until they pass."), "error")
            return redirect(url_for(".benefit_revision", revision_id=revision.id))
    elif form.is_submitted():
        status = 400
    messages = [f"{p.path}: {problem_message(p)}" for p in problems]
    if messages:
        form.source.errors = [*form.source.errors, *messages]
    return render_template("staff/benefit_form.html", form=form, benefit=benefit, draft=draft), status


@bp.route("/benefits/new", methods=["GET", "POST"])
@role_required("editor")
def new_benefit():
    return _editor(None)


@bp.route("/benefits/<benefit_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit_benefit(benefit_id: str):
    return _editor(benefit_id)


@bp.get("/benefits/revisions/<int:revision_id>")
@role_required("editor")
def benefit_revision(revision_id: int):
    session = db.session()
    rev = session.get(BenefitRevision, revision_id)
    if rev is None:
        abort(404)
    benefit = session.get(Benefit, rev.benefit_id)
    history = list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "benefit", AuditEntry.entity_id == rev.benefit_id)
            .order_by(AuditEntry.at.desc())
            .limit(50)
        )
    )
    actions = revisions.available_actions(rev.state)
    from portal.publishing.readable import definition_changes

    def as_text(value) -> str:
        return revisions.yaml_text(value).strip() if isinstance(value, dict | list) else str(value)

    changes = definition_changes(benefit.definition if benefit else None, rev.definition, as_text)
    return render_template(
        "staff/benefit_revision.html",
        rev=rev,
        benefit=benefit,
        changes=changes,
        actions=actions,
        entries=history,
        form=DecisionForm(),
    )


@bp.post("/benefits/revisions/<int:revision_id>/<action>")
@role_required("editor")
def benefit_revision_action(revision_id: int, action: str):
    session = db.session()
    rev = session.get(BenefitRevision, revision_id)
    if rev is None or action not in ("publish", "discard"):
        abort(404)
    if not DecisionForm().validate_on_submit():
        abort(400, description=_("The form has expired. Reload the page and try again."))
    version = request.form.get("version", "")
    expected = int(version) if version.isascii() and version.isdigit() else -1
    return decide(
        lambda: revisions.act(session, current_user, rev, action, expected, services.ruleset(session)),
        back=url_for(".benefit_revision", revision_id=revision_id),
        done=_("Published: the wizard uses the new rules now.")
        if action == "publish"
        else _("Draft discarded."),
    )


@bp.get("/feedback")
@role_required("editor")
def result_feedback():
    session = db.session()
    state = params.choice("state", FEEDBACK_STATES, "new")
    rows = list(
        session.scalars(
            select(ResultFeedback)
            .where(ResultFeedback.state == state)
            .order_by(ResultFeedback.created_at.desc())
            .limit(200)
        )
    )
    return render_template("staff/feedback.html", rows=rows, state=state, form=DecisionForm())


@bp.post("/feedback/<int:feedback_id>/resolve")
@role_required("editor")
def resolve_feedback(feedback_id: int):
    session = db.session()
    item = session.get(ResultFeedback, feedback_id)
    if item is None:
        abort(404)
    if not DecisionForm().validate_on_submit():
        abort(400, description=_("The form has expired. Reload the page and try again."))
    item.state = "resolved"
    from portal.core.audit import audit

    audit(session, current_user, "feedback", str(item.id), "resolve", "new", "resolved")
    flash(_("Marked as resolved."), "success")
    return redirect(url_for(".result_feedback"), 303)

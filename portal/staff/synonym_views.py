"""Back office: the search synonym list, proposals to change it, and the searches that found nothing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from portal import db
from portal.accounts.auth import role_required
from portal.i18n import lazy_gettext as _l
from portal.search import synonyms
from portal.search.models import Synonym, SynonymChange
from portal.staff import bp
from portal.staff.forms import SynonymForm

MESSAGES = {
    "terms": _l("Give one to twelve official terms, each at most 80 characters."),
    "expect_format": _l("Write the expected result as type:id, e.g. benefit:rd-expense-super-deduction."),
    "expect_unknown": _l("No policy, benefit or place has this id."),
    "not_found": _l("This proposal does not exist."),
    "decided": _l("This proposal has already been decided."),
    "own": _l("A colleague must decide on your proposal."),
}


def _page(form: SynonymForm, status: int = 200):
    session = db.session()
    return render_template(
        "staff/synonyms.html",
        form=form,
        entries=session.scalars(select(Synonym).order_by(Synonym.word)).all(),
        proposals=session.scalars(
            select(SynonymChange).where(SynonymChange.state == "proposed").order_by(SynonymChange.created_at)
        ).all(),
    ), status


@bp.get("/synonyms")
@role_required("editor")
def synonyms_page():
    form = SynonymForm(formdata=None, word=request.args.get("word", "")[:80])
    return _page(form)


@bp.post("/synonyms")
@role_required("editor")
def propose_synonym():
    form = SynonymForm()
    if not form.validate():
        return _page(form, 400)
    try:
        synonyms.propose(
            db.session(),
            current_user,
            word=form.word.data.strip(),
            terms=synonyms.parse_terms(form.terms.data),
            reason=form.reason.data.strip(),
            test_query=form.test_query.data.strip(),
            test_expect=form.test_expect.data.strip(),
        )
    except synonyms.SynonymError as exc:
        getattr(form, exc.field).errors = [str(MESSAGES[exc.code])]
        return _page(form, 400)
    flash(str(_l("Proposal saved: a reviewer will approve or reject it.")), "success")
    return redirect(url_for(".synonyms_page"))


@bp.post("/synonyms/changes/<int:change_id>")
@role_required("reviewer")
def decide_synonym(change_id: int):
    form = FlaskForm()
    decision = request.form.get("decision")
    if not form.validate() or decision not in ("approve", "reject"):
        abort(400)
    try:
        synonyms.decide(db.session(), current_user, change_id, approve=decision == "approve")
    except synonyms.SynonymError as exc:
        if exc.code == "not_found":
            abort(404)
        flash(str(MESSAGES[exc.code]), "error")
        return redirect(url_for(".synonyms_page"), 303)
    flash(
        str(
            _l("Synonym approved: it applies to the next search.")
            if decision == "approve"
            else _l("Proposal rejected.")
        ),
        "success",
    )
    return redirect(url_for(".synonyms_page"), 303)

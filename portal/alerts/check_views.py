"""Saving an eligibility result's answers, to hear when the result changes."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from portal import db
from portal.alerts import bp, messages, services
from portal.i18n import current_language
from portal.i18n import gettext as _


@bp.route("/results/save", methods=["GET", "POST"])
def save_check():
    """ "Tell me if this changes": keep a result's answers with an address, with consent."""
    from portal.alerts import checks
    from portal.alerts.forms import SaveCheckForm

    form = SaveCheckForm()
    if request.method == "GET":
        form.answers.data = request.query_string.decode("utf-8", "replace")[:4000]
    answers_qs = form.answers.data or ""
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                check = checks.save(
                    db.session(), form.email.data.strip().lower(), answers_qs, current_language()
                )
            except services.AlertError:
                return render_template(
                    "errors/400.html",
                    field=_("Answers"),
                    message=_(
                        "These answers do not make a result. Go back to the results page and try again."
                    ),
                ), 400
            messages.send_confirmation(check)
            return redirect(url_for("alerts.sent"))
        status = 400
    return render_template(
        "alerts/save_check.html", form=form, back=url_for("eligibility.results") + "?" + answers_qs
    ), status

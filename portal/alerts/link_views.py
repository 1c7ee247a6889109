"""What the emailed links open: confirm, manage, one-click unsubscribe, and asking for fresh links."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from portal import db
from portal.alerts import bp, links, messages, services
from portal.alerts.forms import FreshLinkForm, ManageForm
from portal.alerts.kinds import KINDS
from portal.alerts.models import AlertSubscription
from portal.alerts.subscribe_views import filter_summary, kind_choices
from portal.core.security import csrf


def _item(purpose: str, token: str):
    """The subscription or saved check behind a link, or the page explaining why the link fails."""
    try:
        data = links.read(purpose, token)
    except links.LinkError as exc:
        return None, _link_problem(exc.reason)
    item = services.find(db.session(), data)
    if item is None:
        return None, _link_problem("gone")
    return item, None


def _link_problem(reason: str):
    status = {"invalid": 400, "expired": 410, "gone": 410, "used": 410}[reason]
    return render_template("alerts/link_problem.html", reason=reason, form=FreshLinkForm()), status


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    item, problem = _item("confirm", token)
    if problem:
        return problem
    if item.confirmed_at is not None:
        return render_template("alerts/link_problem.html", reason="used", form=FreshLinkForm()), 410
    if request.method == "POST":  # a button, so link scanners that open URLs confirm nothing
        from portal.alerts import checks

        if isinstance(item, AlertSubscription):
            services.confirm(db.session(), item)
        else:
            checks.confirm(db.session(), item)
        what = "alert" if isinstance(item, AlertSubscription) else "check"
        return redirect(
            url_for("alerts.manage", token=links.make("manage", what, item.id, item.nonce), done="confirmed")
        )
    return render_template("alerts/confirm.html", item=item, is_alert=isinstance(item, AlertSubscription))


@bp.route("/manage/<token>", methods=["GET", "POST"])
def manage(token: str):
    item, problem = _item("manage", token)
    if problem:
        return problem
    session = db.session()
    is_alert = isinstance(item, AlertSubscription)
    form = ManageForm()
    form.kinds.choices = kind_choices()
    status = 200
    if is_alert and request.method == "GET":
        form.kinds.data, form.frequency.data = list(item.kinds), item.frequency
    if is_alert and request.method == "POST":
        if form.validate():
            services.change(session, item, form.frequency.data, form.kinds.data)
            return redirect(url_for("alerts.manage", token=token, done="saved"))
        status = 400
    unsubscribe_token = links.make("unsubscribe", "alert" if is_alert else "check", item.id, item.nonce)
    return render_template(
        "alerts/manage.html",
        item=item,
        is_alert=is_alert,
        form=form,
        done=request.args.get("done"),
        summary=filter_summary(item.filters) if is_alert else [],
        kind_labels={k.id: str(k.label) for k in KINDS.values()},
        unsubscribe_token=unsubscribe_token,
        results_url=None if is_alert else url_for("eligibility.results") + "?" + item.answers,
    ), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no form token
def unsubscribe(token: str):
    try:
        data = links.read("unsubscribe", token)
    except links.LinkError as exc:
        return _link_problem(exc.reason)
    item = services.find(db.session(), data)
    if request.method == "GET":
        if item is None:
            return render_template("alerts/unsubscribed.html", already=True)
        return render_template(
            "alerts/unsubscribe.html", token=token, is_alert=isinstance(item, AlertSubscription)
        )
    if item is not None:
        services.delete(db.session(), item)
    return render_template("alerts/unsubscribed.html", already=item is None)


@bp.route("/link", methods=["GET", "POST"])
def fresh_link():
    """Send new links to an address; says the same whether or not it holds anything."""
    form = FreshLinkForm()
    if request.method == "POST":
        if form.validate():
            messages.send_fresh_links(services.held_by(db.session(), form.email.data.strip().lower()))
            return redirect(url_for("alerts.sent", fresh=1))
        return render_template("alerts/fresh_link.html", form=form), 400
    return render_template("alerts/fresh_link.html", form=form)

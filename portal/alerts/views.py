"""Alert pages: subscribe, confirm, manage, one-click unsubscribe, and fresh links."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal import db
from portal.alerts import bp, links, messages, services
from portal.alerts.forms import FreshLinkForm, ManageForm, SubscribeForm
from portal.alerts.kinds import FILTER_LABELS, KINDS, allowed_filter_values
from portal.alerts.models import AlertSubscription
from portal.core.security import csrf
from portal.i18n import current_language


def _kind_choices() -> list[tuple[str, str]]:
    return [(k.id, str(k.label)) for k in KINDS.values()]


def _filter_problem(exc: services.AlertError):
    field = exc.field
    label = _("What to hear about") if field == "what" else str(FILTER_LABELS.get(field, field))
    message = _(
        "“%(value)s” is not a value this filter knows. Go back to the list and choose from its filters.",
        value=str(exc)[:80],
    )
    return render_template("errors/400.html", field=label, message=message), 400


def filter_summary(filters: dict) -> list[tuple[str, str]]:
    """(filter label, chosen values in words) for the page."""
    from portal.alerts.labels import value_label

    session = db.session()
    return [
        (str(FILTER_LABELS[name]), "、".join(value_label(session, name, v) for v in values))
        for name, values in filters.items()
    ]


@bp.route("/subscribe", methods=["GET", "POST"])
def subscribe():
    session = db.session()
    source = (
        MultiDict(request.args)
        if request.method == "GET"
        else MultiDict(_parse_qs(request.form.get("filters", "")))
    )
    try:
        kinds, filters = services.parse_filters(source, allowed_filter_values(session))
    except services.AlertError as exc:
        return _filter_problem(exc)
    form = SubscribeForm()
    form.kinds.choices = _kind_choices()
    if request.method == "GET":
        form.kinds.data = kinds
        form.frequency.data = "weekly"
        form.filters.data = urlencode([(k, v) for k, vs in filters.items() for v in vs])
    status = 200
    if request.method == "POST":
        if form.validate():
            email = form.email.data.strip().lower()
            try:
                sub = services.subscribe(
                    session, email, form.kinds.data, filters, form.frequency.data, current_language()
                )
            except services.AlertError:  # kinds and frequency were checked by the form: too many held
                form.email.errors.append(
                    _("This address already has as many alerts as one address may hold. "
                      "Open a manage link from one of our emails to change them.")
                )
                status = 400
            else:
                messages.send_confirmation(sub)
                return redirect(url_for("alerts.sent"))
        else:
            status = 400
    return render_template("alerts/subscribe.html", form=form, summary=filter_summary(filters)), status


def _parse_qs(text: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(text[:4000], keep_blank_values=False)


@bp.get("/sent")
def sent():
    return render_template("alerts/sent.html")


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
    form.kinds.choices = _kind_choices()
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


@bp.app_template_global("alert_offer_url")
def alert_offer_url(what: str | None = None) -> str:
    """The subscribe form with this list page's filters; `what` None reads types (search page)."""
    from portal.places.models import TYPES

    def values(name: str) -> list[str]:
        return [v for raw in request.args.getlist(name) for v in raw.split(",") if v]

    types = values("type")
    if what is None:
        kinds = [t for t in types if t in KINDS]
        if any(t in TYPES for t in types):
            kinds.append("place")
    else:
        kinds = [what]
    args: dict[str, list[str]] = {
        "what": kinds,
        "region": values("region"),
        "category": values("category"),
        "kind": values("kind"),
        "type": [t for t in types if t in TYPES],
    }
    return url_for("alerts.subscribe", **{k: v for k, v in args.items() if v})


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

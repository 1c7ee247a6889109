"""Subscribing to alerts: the form, its filters, and the link list pages offer to it."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from portal import db
from portal.alerts import bp, messages, services
from portal.alerts.forms import SubscribeForm
from portal.alerts.kinds import FILTER_LABELS, KINDS, allowed_filter_values
from portal.i18n import current_language
from portal.i18n import gettext as _


def kind_choices() -> list[tuple[str, str]]:
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
    form.kinds.choices = kind_choices()
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
                    _(
                        "This address already has as many alerts as one address may hold. "
                        "Open a manage link from one of our emails to change them."
                    )
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

"""Emails to operators and staff about claims, listing changes and feedback (via the mail module)."""

from __future__ import annotations

from flask import current_app

from portal.accounts import mail
from portal.accounts.models import User
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.operators import registration
from portal.operators.models import PlaceFeedback
from portal.places.models import Place


def verification(user: User, next_path: str | None = None) -> None:
    """The confirmation link; `next_path` (a claim started before signing up) is where it leads."""
    token = registration.verification_token(current_app.config["SECRET_KEY"], user)
    link = absolute_url("operators.verify", token=token, next=next_path or None)
    mail.send(
        user.email,
        _("Confirm your email address"),
        _("Open this link within three days to confirm your address and start listing your space:")
        + f"\n\n{link}\n",
    )


def staff(subject: str, link: str) -> None:
    """Tell the moderation address, when one is configured."""
    address = current_app.config["MODERATION_EMAIL"]
    if address:
        mail.send(address, subject, link + "\n")


def decision(to: User, what: str, action: str, reason: str | None, link: str) -> None:
    """Tell the operator what the staff decided, and why."""
    heading = {
        "approve": _("Approved."),
        "reject": _("Not approved."),
        "ask": _("The staff need more information."),
    }[action]
    body = f"{what}\n\n{heading}\n"
    if reason:
        body += "\n" + _("Reason given by the staff:") + f"\n{reason}\n"
    if action == "ask":
        body += "\n" + _("Answer on the portal, where you can also add evidence:") + "\n"
    body += f"\n{link}\n"
    mail.send(to.email, _("Decision on your listing: %(what)s", what=what), body)


def feedback(place: Place, item: PlaceFeedback, operators: list[User]) -> None:
    """A visitor's correction or report reaches the listing's operators and the staff."""
    kind = _("Correction suggested") if item.kind == "correction" else _("Problem reported")
    subject = f"{kind}: {place.name}"
    body = item.body + "\n\n" + absolute_url("operators.home") + "\n"
    for user in operators:
        mail.send(user.email, subject, body)
    staff(subject, item.body + "\n\n" + absolute_url("moderation.queue_page"))

"""The emails alerts send, each in the subscriber's language."""

from __future__ import annotations

from flask_babel import force_locale

from portal.accounts import mail
from portal.alerts import links
from portal.alerts.kinds import KINDS
from portal.alerts.models import AlertSubscription, SavedCheck
from portal.core.urls import absolute_url
from portal.i18n import LANGUAGES
from portal.i18n import gettext as _


def locale_of(language: str) -> str:
    return LANGUAGES.get(language, LANGUAGES["zh"])


def _what(item) -> str:
    return "alert" if isinstance(item, AlertSubscription) else "check"


def manage_url(item) -> str:
    return absolute_url("alerts.manage", token=links.make("manage", _what(item), item.id, item.nonce))


def unsubscribe_url(item) -> str:
    return absolute_url(
        "alerts.unsubscribe", token=links.make("unsubscribe", _what(item), item.id, item.nonce)
    )


def unsubscribe_headers(item) -> dict[str, str]:
    """RFC 2369 and RFC 8058 one-click unsubscribe."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(item)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _footer(item) -> str:
    return (
        "\n\n-- \n"
        + _("Change or stop these emails: %(url)s", url=manage_url(item))
        + "\n"
        + _("Unsubscribe at once: %(url)s", url=unsubscribe_url(item))
        + "\n"
    )


def send_confirmation(item) -> None:
    """Double opt-in: nothing more is sent until this link is opened."""
    url = absolute_url("alerts.confirm", token=links.make("confirm", _what(item), item.id, item.nonce))
    with force_locale(locale_of(item.language)):
        if isinstance(item, AlertSubscription):
            subject = _("Confirm your email alerts")
            intro = _(
                "Someone, probably you, asked the portal to email this address about new and changed "
                "content. Open this link within three days to start the emails:"
            )
        else:
            subject = _("Confirm: tell me if my eligibility results change")
            intro = _(
                "Someone, probably you, asked the portal to keep eligibility answers and tell this "
                "address when a result changes. Open this link within three days to confirm:"
            )
        body = (
            intro
            + "\n\n"
            + url
            + "\n\n"
            + _(
                "If it was not you, ignore this email: nothing is sent "
                "and the address is deleted after three days."
            )
            + "\n"
        )
        mail.send(item.email, subject, body)


def send_fresh_links(items: list) -> None:
    """Links for everything one address holds (asked for on the "send me a new link" page)."""
    for item in items:
        if item.confirmed_at is None:
            send_confirmation(item)
            continue
        with force_locale(locale_of(item.language)):
            body = (
                _("Here is a new link to manage your emails from the portal:")
                + "\n\n"
                + manage_url(item)
                + "\n"
            )
            mail.send(item.email, _("Your link to manage your emails"), body, unsubscribe_headers(item))


def send_digest(sub: AlertSubscription, changes: list) -> None:
    with force_locale(locale_of(sub.language)):
        zh = sub.language != "en"
        lines = [_("New and changed on the portal since the last email:"), ""]
        for kind_id in sub.kinds:
            mine = [c for c in changes if c.kind == kind_id]
            if not mine or kind_id not in KINDS:
                continue
            lines.append(f"{KINDS[kind_id].label} ({len(mine)})")
            for change in mine:
                title = change.title if zh or not change.title_en else change.title_en
                state = _("new") if change.new else _("changed")
                url = absolute_url(change.endpoint, **change.values, lang=sub.language)
                lines.append(f"- [{state}] {title}\n  {url}")
            lines.append("")
        subject = _("%(n)s new or changed items on the portal", n=len(changes))
        mail.send(sub.email, subject, "\n".join(lines) + _footer(sub), unsubscribe_headers(sub))


def send_check_changes(check: SavedCheck, changes: list[tuple[str, str, str]], results_url: str) -> None:
    """`changes`: (benefit name, "newly"/"no_longer", reason) in the founder's language."""
    with force_locale(locale_of(check.language)):
        lines = [_("The rules of some benefits changed. With the answers you saved:"), ""]
        for name, direction, reason in changes:
            if direction == "newly":
                lines.append("+ " + _("You can now probably get: %(name)s", name=name))
            else:
                lines.append("- " + _("You can no longer get: %(name)s", name=name))
            if reason:
                lines.append("  " + reason)
        lines += ["", _("See all your results:"), results_url]
        mail.send(
            check.email,
            _("Your eligibility results changed"),
            "\n".join(lines) + _footer(check),
            unsubscribe_headers(check),
        )


def results_link(answers: str, language: str) -> str:
    return absolute_url("eligibility.results") + "?" + answers + ("&lang=en" if language == "en" else "")

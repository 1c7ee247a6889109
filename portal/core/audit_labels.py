"""The audit log in words: actions, states and kinds of record as staff read them, not codes."""

from __future__ import annotations

from portal.core import labels
from portal.i18n import lazy_gettext as _l

ENTITIES = {
    "policy": _l("Policy"),
    "benefit": _l("Benefit"),
    "place": _l("Listing"),
    "place_claim": _l("Claim"),
    "place_revision": _l("Listing change"),
    "place_feedback": _l("Public feedback"),
    "user": _l("Account"),
    "feedback": _l("Result feedback"),
}
# Actions not named by the workflow labels.
OTHER_ACTIONS = {
    "create_revision": _l("Draft started"),
    "edit": _l("Draft edited"),
    "edit_revision": _l("Draft edited"),
    "schedule": _l("Scheduled for publication"),
    "publish_due": _l("Published at the scheduled time"),
    "publish": _l("Published"),
    "expire": _l("Expired (past its end date)"),
    "resolve": _l("Marked as handled"),
    "create_user": _l("Account created"),
    "change_user": _l("Role changed"),
    "sign_in": _l("Signed in"),
    "enrol_second_factor": _l("Authenticator app set up"),
    "reset_password": _l("Password reset"),
    "operator_sign_up": _l("Operator signed up"),
    "verify_email": _l("Email address confirmed"),
}
MODERATED = ("place", "place_claim", "place_revision", "place_feedback")


def action_label(entity_type: str, action: str) -> str:
    if entity_type in MODERATED and action in labels.MODERATION_ACTIONS:
        return str(labels.MODERATION_ACTIONS[action])
    if action in labels.ACTIONS:
        return str(labels.ACTIONS[action])
    return str(OTHER_ACTIONS.get(action, labels.MODERATION_ACTIONS.get(action, action)))


def state_label(entity_type: str, state: str | None) -> str:
    if not state:
        return ""
    tables = {
        "policy": (labels.REVISION_STATES, labels.PUBLICATION_STATES, labels.STATUSES),
        "benefit": (labels.REVISION_STATES,),
        "user": (labels.ROLES, labels.MODERATION_STATES),
        "feedback": ({"new": _l("New"), "resolved": _l("Handled")},),
    }.get(entity_type, (labels.MODERATION_STATES,))
    for table in tables:
        if state in table:
            return str(table[state])
    return state


def entity_label(entity_type: str) -> str:
    return str(ENTITIES.get(entity_type, entity_type))

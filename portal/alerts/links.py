"""Signed links in alert emails: confirm, manage and unsubscribe, voided by a new nonce."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_MAX_AGE = 3 * 24 * 3600
MANAGE_MAX_AGE = 60 * 24 * 3600  # every digest carries a fresh one
# Unsubscribe links never expire: List-Unsubscribe must keep working in old messages.
PURPOSES = {"confirm": CONFIRM_MAX_AGE, "manage": MANAGE_MAX_AGE, "unsubscribe": None}


class LinkError(Exception):
    """A link that cannot be used: `reason` is "expired" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LinkData:
    what: str  # "alert" (a subscription) or "check" (saved eligibility answers)
    id: int
    nonce: str


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"alerts-{purpose}")


def make(purpose: str, what: str, id_: int, nonce: str) -> str:
    return _serializer(purpose).dumps({"w": what, "i": id_, "n": nonce})


def read(purpose: str, token: str) -> LinkData:
    """The link's content; LinkError("expired") or LinkError("invalid") (tampered or cut short)."""
    try:
        data = _serializer(purpose).loads(token, max_age=PURPOSES[purpose])
    except SignatureExpired as exc:
        raise LinkError("expired") from exc
    except BadSignature as exc:
        raise LinkError("invalid") from exc
    if not (
        isinstance(data, dict)
        and data.get("w") in ("alert", "check")
        and isinstance(data.get("i"), int)
        and isinstance(data.get("n"), str)
    ):
        raise LinkError("invalid")
    return LinkData(data["w"], data["i"], data["n"])

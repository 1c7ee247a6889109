"""Operator accounts: signing up and proving the email address."""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.operators.models import OperatorProfile
from portal.operators.services import OperatorError

VERIFY_MAX_AGE = 3 * 24 * 3600


def sign_up(db: Session, email: str, password: str, organisation: str, contact_name: str, phone: str) -> User:
    """An operator account waiting for its email address to be proven."""
    user = accounts.create_user(db, email, password, "operator", contact_name)
    db.add(
        OperatorProfile(
            user_id=user.id,
            organisation=organisation,
            contact_name=contact_name,
            phone=phone,
            created_at=utcnow(),
        )
    )
    audit(db, user, "user", str(user.id), "operator_sign_up", to_state="unverified")
    db.flush()
    return user


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="operator-email")


def verification_token(secret: str, user: User) -> str:
    return _serializer(secret).dumps({"id": user.id, "e": user.email})


def verify_email(db: Session, secret: str, token: str) -> User:
    """Mark the address proven; OperatorError("bad_token") when the link is not valid."""
    try:
        data = _serializer(secret).loads(token, max_age=VERIFY_MAX_AGE)
    except (SignatureExpired, BadSignature) as exc:
        raise OperatorError("bad_token") from exc
    user = db.get(User, data.get("id")) if isinstance(data, dict) else None
    profile = db.get(OperatorProfile, user.id) if user else None
    if user is None or profile is None or user.email != data.get("e"):
        raise OperatorError("bad_token")
    if profile.email_verified_at is None:
        profile.email_verified_at = utcnow()
        audit(db, user, "user", str(user.id), "verify_email", "unverified", "verified")
    return user


def is_verified(db: Session, user: User) -> bool:
    profile = db.get(OperatorProfile, user.id)
    return profile is not None and profile.email_verified_at is not None

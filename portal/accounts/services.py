"""Account operations: creating users, checking passwords with throttling, second factors, resets."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts import totp
from portal.accounts.models import ROLES, LoginAttempt, User, utcnow

MAX_FAILURES = 5            # per account or per address ...
WINDOW = dt.timedelta(minutes=15)  # ... within this window, then sign-in waits
MIN_PASSWORD = 12
RESET_MAX_AGE = 3600
# A stored hash to compare against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(Exception):
    """A problem the user can act on; `field` names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"at least {MIN_PASSWORD} characters", field="password", code="too_short")


def create_user(db: Session, email: str, password: str, role: str, name: str = "") -> User:
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}'", field="role")
    if "@" not in email or len(email) > 254:
        raise AccountError("not an email address", field="email")
    if db.scalar(select(User).where(User.email == email)):
        raise AccountError("an account with this email exists", field="email", code="exists")
    check_password_rules(password)
    user = User(email=email, name=name, role=role, password_hash=hash_password(password),
                recovery_codes=[], created_at=utcnow())
    db.add(user)
    db.flush()
    return user


def is_throttled(db: Session, email: str, ip: str, now: dt.datetime | None = None) -> bool:
    """Too many recent failures for this account or from this address."""
    since = (now or utcnow()) - WINDOW
    base = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.at >= since, LoginAttempt.success.is_(False))
    by_email = db.scalar(base.where(LoginAttempt.email == normalise_email(email))) or 0
    by_ip = db.scalar(base.where(LoginAttempt.ip == ip)) or 0
    return by_email >= MAX_FAILURES or by_ip >= MAX_FAILURES * 4


def authenticate(db: Session, email: str, password: str, ip: str) -> User:
    """The user for these credentials, or AccountError; every attempt is recorded."""
    email = normalise_email(email)
    if is_throttled(db, email, ip):
        raise AccountError("too many failed attempts; try again in 15 minutes", code="throttled")
    user = db.scalar(select(User).where(User.email == email))
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    ok = ok and user is not None and user.active
    db.add(LoginAttempt(email=email, ip=ip, at=utcnow(), success=ok, user_id=user.id if user else None))
    db.flush()
    if not ok:
        raise AccountError("email or password is not right", code="bad_credentials")
    return user


def verify_second_factor(db: Session, user: User, code: str) -> bool:
    """Accept a current TOTP code (once) or an unused recovery code (then spent)."""
    code = code.strip()
    if user.totp_secret:
        step = totp.verify(user.totp_secret, code, last_step=user.totp_last_step)
        if step is not None:
            user.totp_last_step = step
            return True
    digest = _code_hash(code.replace("-", "").lower())
    remaining = list(user.recovery_codes or [])
    for stored in remaining:
        if hmac.compare_digest(stored, digest):
            remaining.remove(stored)
            user.recovery_codes = remaining
            return True
    return False


def new_recovery_codes(user: User, count: int = 10) -> list[str]:
    """Fresh one-time recovery codes; only their hashes are kept."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(count)]
    user.recovery_codes = [_code_hash(c.replace("-", "")) for c in codes]
    return codes


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="password-reset")


def reset_token(secret: str, user: User) -> str:
    # The session generation makes the token single-use (a reset bumps it) without putting any
    # part of the password hash in a link.
    return _serializer(secret).dumps({"id": user.id, "g": user.session_generation or 0})


def user_for_reset_token(db: Session, secret: str, token: str) -> User:
    try:
        data = _serializer(secret).loads(token, max_age=RESET_MAX_AGE)
    except SignatureExpired as exc:
        raise AccountError("this reset link has expired; ask for a new one", code="expired") from exc
    except BadSignature as exc:
        raise AccountError("this reset link is not valid", code="invalid_token") from exc
    user = db.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or data.get("g") != (user.session_generation or 0):
        raise AccountError("this reset link has already been used", code="used")
    return user


def record_failure(db: Session, user: User, ip: str) -> None:
    """Count a wrong second-factor code like a wrong password."""
    db.add(LoginAttempt(email=user.email, ip=ip, at=utcnow(), success=False, user_id=user.id))

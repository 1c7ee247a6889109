"""Account operations: creating users, checking passwords with throttling, second factors, resets."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import math
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts import totp
from portal.accounts.models import ROLES, LoginAttempt, User
from portal.accounts.passwords import is_common
from portal.core import lengths
from portal.core.clock import utcnow

MAX_FAILURES = FREE_FAILURES = 5  # wrong attempts in a row on an account before it slows down
BACKOFF_START = 30  # seconds of wait after FREE_FAILURES, doubling with each further failure ...
BACKOFF_MAX = 15 * 60  # ... up to this
BACKOFF_MEMORY = dt.timedelta(days=1)  # failures older than this are forgotten
WINDOW = dt.timedelta(minutes=15)  # per-address limit: at most ...
MAX_FAILURES_PER_ADDRESS = 20  # ... failures from one address within WINDOW
UNLOCK_MAX_AGE = 24 * 3600
MIN_PASSWORD = 12
RESET_MAX_AGE = 3600


class AccountError(Exception):
    """A problem the user can act on; `field` names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"] if current_app else "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


@functools.cache
def _dummy_hash(method: str) -> str:
    """A stored hash to compare against when the email is unknown, so timing reveals no account."""
    return generate_password_hash("not-a-real-password", method=method)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"at least {MIN_PASSWORD} characters", field="password", code="too_short")
    if is_common(password):
        raise AccountError("one of the most common passwords", field="password", code="common")


def create_user(db: Session, email: str, password: str, role: str, name: str = "") -> User:
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}'", field="role")
    if "@" not in email or lengths.too_long(email, User.email):
        raise AccountError("not an email address", field="email")
    if lengths.too_long(name, User.name):
        raise AccountError(f"at most {lengths.limit(User.name)} characters", field="name", code="too_long")
    check_password_rules(password)
    # Hash before looking the address up: an existing account must not answer faster (timing).
    password_hash = hash_password(password)
    if db.scalar(select(User).where(User.email == email)):
        raise AccountError("an account with this email exists", field="email", code="exists")
    user = User(
        email=email, name=name, role=role, password_hash=password_hash, recovery_codes=[], created_at=utcnow()
    )
    db.add(user)
    db.flush()
    return user


def wait_seconds(db: Session, email: str, ip: str, now: dt.datetime | None = None) -> int:
    """Seconds before this account or address may try again (0: now).

    Per account: after FREE_FAILURES wrong attempts in a row the wait doubles with each further
    one (30 s, 1 min, 2 min … at most 15 min); a success or the emailed unlock link starts the count
    again. Unknown addresses are counted the same way, so the answer reveals no account. Per
    address: many failures in WINDOW (addresses are real ones only behind PROXY_COUNT proxies).
    """
    now = now or utcnow()
    email = normalise_email(email)
    last_success = (
        db.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.email == email, LoginAttempt.success.is_(True)
            )
        )
        or dt.datetime.min
    )
    since = max(last_success, now - BACKOFF_MEMORY)
    failures, last_failure = db.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.email == email, LoginAttempt.success.is_(False), LoginAttempt.at > since
        )
    ).one()
    wait = 0
    if failures >= FREE_FAILURES and last_failure is not None:
        backoff = min(BACKOFF_START * 2 ** (failures - FREE_FAILURES), BACKOFF_MAX)
        # Rounded up, and 0 once the moment has passed (not "wait 1 second" for the last fraction).
        wait = max(0, math.ceil((last_failure + dt.timedelta(seconds=backoff) - now).total_seconds()))
    by_ip = (
        db.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.ip == ip, LoginAttempt.success.is_(False), LoginAttempt.at >= now - WINDOW)
        )
        or 0
    )
    if by_ip >= MAX_FAILURES_PER_ADDRESS:
        wait = max(wait, int(WINDOW.total_seconds()))
    return wait


def is_throttled(db: Session, email: str, ip: str, now: dt.datetime | None = None) -> bool:
    return wait_seconds(db, email, ip, now) > 0


def authenticate(db: Session, email: str, password: str, ip: str) -> User:
    """The user for these credentials, or AccountError; every attempt is recorded."""
    email = normalise_email(email)
    if is_throttled(db, email, ip):
        raise AccountError("too many failed attempts; wait and try again", code="throttled")
    user = db.scalar(select(User).where(User.email == email))
    ok = check_password_hash(user.password_hash if user else _dummy_hash(_method()), password)
    ok = ok and user is not None and user.active
    db.add(LoginAttempt(email=email, ip=ip, at=utcnow(), success=ok, user_id=user.id if user else None))
    db.flush()
    if not ok:
        raise AccountError("email or password is not right", code="bad_credentials")
    return user


def failures_in_a_row(db: Session, email: str) -> int:
    """Wrong attempts on this address since its last success (or unlock)."""
    email = normalise_email(email)
    last_success = (
        db.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.email == email, LoginAttempt.success.is_(True)
            )
        )
        or dt.datetime.min
    )
    return (
        db.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.email == email, LoginAttempt.success.is_(False), LoginAttempt.at > last_success
            )
        )
        or 0
    )


def _unlock_serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="sign-in-unlock")


def unlock_token(secret: str, user: User) -> str:
    return _unlock_serializer(secret).dumps({"id": user.id, "g": user.session_generation or 0})


def unlock(db: Session, secret: str, token: str, ip: str) -> User:
    """The emailed link: the owner's next attempt is not slowed by someone else's failures."""
    try:
        data = _unlock_serializer(secret).loads(token, max_age=UNLOCK_MAX_AGE)
    except BadSignature as exc:  # expired included
        raise AccountError("this unlock link is not valid", code="invalid_token") from exc
    user = db.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or data.get("g") != (user.session_generation or 0):
        raise AccountError("this unlock link is not valid", code="invalid_token")
    # A marker counted like a success: the failures before it no longer slow this account.
    db.add(LoginAttempt(email=user.email, ip=f"unlock:{ip}"[:64], at=utcnow(), success=True, user_id=user.id))
    db.flush()
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

"""User accounts and sign-in attempts (kept in the database so throttling spans workers)."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.db import Base, UtcDateTime, one_of

STAFF_ROLES = ("editor", "reviewer", "admin")
ROLES = (*STAFF_ROLES, "operator", "founder")
# What each role may do besides its own name: admin can do everything a reviewer can, and so on.
ROLE_INCLUDES = {
    "admin": {"admin", "reviewer", "editor"},
    "reviewer": {"reviewer", "editor"},
    "editor": {"editor"},
    "operator": {"operator"},
    "founder": {"founder"},
}


def roles_of(user: User) -> set[str]:
    """Every role `user` holds, its own and those it includes."""
    return set(ROLE_INCLUDES.get(user.role, set()))


class User(UserMixin, Base):
    """A person who signs in."""

    __tablename__ = "users"
    __table_args__ = (one_of("users", "role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int] = mapped_column(default=0)  # refuses a code used twice
    recovery_codes: Mapped[list] = mapped_column(JSON, default=list)  # hashes of unused codes
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Bumped by sign-out and password changes: a session signed at an older generation is over.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def can(self, role: str) -> bool:
        """Whether this user holds `role` or a role that includes it."""
        return role in ROLE_INCLUDES.get(self.role, set())

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginAttempt(Base):
    """One sign-in attempt, for throttling by account and by address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    success: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

"""Benefits, the wizard's questions, staff revisions of a benefit's rules and result feedback."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base, UtcDateTime, one_of
from portal.eligibility.rules import KINDS, STATUSES
from portal.regions.models import Region

# A benefit revision is drafted by an editor and published by a reviewer once all its cases pass.
REVISION_STATES = ("draft", "published", "discarded")
FEEDBACK_STATES = ("new", "resolved")


class Benefit(PublicContent, Base):
    """A benefit as published; `definition` is the whole rule definition the engine reads."""

    __tablename__ = "benefits"
    __table_args__ = (one_of("benefits", "kind", KINDS),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    issuer: Mapped[str | None] = mapped_column(String(300))
    issuer_en: Mapped[str | None] = mapped_column(String(400))
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id"), index=True)
    policy_ids: Mapped[list] = mapped_column(JSON, default=list)
    definition: Mapped[dict] = mapped_column(JSON)
    verified: Mapped[bool] = mapped_column(default=False)
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Hash of the content file as last loaded (or decided on): see portal/content/conflicts.py.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)  # bumped by every published change
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    region: Mapped[Region] = relationship(lazy="joined")


class EligibilityQuestion(PublicContent, Base):
    """One wizard question, in `position` order."""

    __tablename__ = "eligibility_questions"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int]
    definition: Mapped[dict] = mapped_column(JSON)


class BenefitRevision(Base):
    """A staff change to a benefit's definition, with the result of its cases."""

    __tablename__ = "benefit_revisions"
    __table_args__ = (one_of("benefit_revisions", "state", REVISION_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[str] = mapped_column(String(80), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), index=True)
    definition: Mapped[dict] = mapped_column(JSON)
    source_text: Mapped[str] = mapped_column(Text)  # the YAML as the editor typed it
    case_report: Mapped[list] = mapped_column(JSON, default=list)
    cases_pass: Mapped[bool] = mapped_column(default=False)
    base_hash: Mapped[str | None] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Optimistic locking: two reviewers publishing the same revision cannot both succeed.
    lock_version: Mapped[int] = mapped_column(default=1)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id], lazy="joined")

    __mapper_args__ = {"version_id_col": lock_version}


class ResultFeedback(Base):
    """ "This result looks wrong": what the founder saw and said, for staff to check."""

    __tablename__ = "eligibility_feedback"
    __table_args__ = (
        one_of("eligibility_feedback", "state", FEEDBACK_STATES),
        one_of("eligibility_feedback", "status_shown", STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    benefit_id: Mapped[str | None] = mapped_column(String(80), index=True)
    answers: Mapped[str] = mapped_column(Text)  # the result page's query string
    ruleset_version: Mapped[str] = mapped_column(String(40))
    status_shown: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="new")

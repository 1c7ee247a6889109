"""Policy documents, their application guide (申兑指南), steps, attachments and categories."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core import labels
from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base, UtcDateTime, one_of
from portal.policies.fields import GUIDE_TEXTS
from portal.regions.models import LEVELS, Region

STATUSES = tuple(labels.STATUSES)
# Whether the public sees the policy: a draft was never published; withdrawn was taken down.
PUBLICATION_STATES = tuple(labels.PUBLICATION_STATES)
DATE_PRECISIONS = tuple(labels.DATE_PRECISIONS)
SOURCE_KINDS = tuple(labels.SOURCE_KINDS)
# A successor replaces the document wholly or in part.
SUPERSEDED_SCOPES = ("fully", "partly")

policy_categories = Table(
    "policy_categories",
    Base.metadata,
    Column("policy_id", ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id"), primary_key=True),
    info={"public_content": True},  # bulk statements on it move the content version
)

policy_citations = Table(
    "policy_citations",
    Base.metadata,
    Column("policy_id", ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
    Column("cited_id", ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
    info={"public_content": True},
)


class Category(PublicContent, Base):
    """A policy category (企业注册, 贷款贴息 …)."""

    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)


class Policy(PublicContent, Base):
    """One policy document as published in the library."""

    __tablename__ = "policies"
    __table_args__ = (
        one_of("policies", "level", LEVELS),
        one_of("policies", "status", STATUSES),
        one_of("policies", "publication_state", PUBLICATION_STATES),
        one_of("policies", "date_precision", DATE_PRECISIONS),
        one_of("policies", "source_kind", SOURCE_KINDS),
        one_of("policies", "superseded_scope", SUPERSEDED_SCOPES),
    )

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(400))
    doc_number: Mapped[str | None] = mapped_column(String(120))
    issuer: Mapped[str | None] = mapped_column(String(300))
    issuer_en: Mapped[str | None] = mapped_column(String(400))
    level: Mapped[str] = mapped_column(String(20), index=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id"), index=True)
    issued_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[str] = mapped_column(String(10), default="unknown")
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    full_text: Mapped[bool] = mapped_column(default=False)
    source_kind: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_note: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(default=False)
    # The document that replaces this one, wholly or in part (SUPERSEDED_SCOPES); from content files.
    superseded_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("policies.id", name="fk_policies_superseded_by_id")
    )
    superseded_scope: Mapped[str | None] = mapped_column(String(10))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # Hash of the content file as last loaded (or decided on); a load compares it with the file and
    # with `content_hash` to tell a changed file from a change staff published.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    publication_state: Mapped[str] = mapped_column(
        String(20), default="published", server_default="published", index=True
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    region: Mapped[Region] = relationship(lazy="joined")
    categories: Mapped[list[Category]] = relationship(secondary=policy_categories, order_by=Category.position)
    cites: Mapped[list[Policy]] = relationship(
        secondary=policy_citations,
        primaryjoin=id == policy_citations.c.policy_id,
        secondaryjoin=id == policy_citations.c.cited_id,
        back_populates="cited_by",
    )
    cited_by: Mapped[list[Policy]] = relationship(
        secondary=policy_citations,
        primaryjoin=id == policy_citations.c.cited_id,
        secondaryjoin=id == policy_citations.c.policy_id,
        back_populates="cites",
        viewonly=True,
    )
    superseded_by: Mapped[Policy | None] = relationship(remote_side=[id], foreign_keys=[superseded_by_id])
    guide: Mapped[PolicyGuide | None] = relationship(
        back_populates="policy", cascade="all, delete-orphan", uselist=False
    )
    steps: Mapped[list[PolicyStep]] = relationship(
        cascade="all, delete-orphan", order_by="PolicyStep.position"
    )
    attachments: Mapped[list[PolicyAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="PolicyAttachment.position"
    )

    @property
    def is_public(self) -> bool:
        return self.publication_state == "published"

    @property
    def has_usable_guide(self) -> bool:
        """A guide a founder can act on: steps, or at least one filled field (its source alone is not)."""
        guide = self.guide
        return bool(self.steps) or (guide is not None and any(getattr(guide, f) for f in GUIDE_TEXTS))

    @property
    def has_contact(self) -> bool:
        """The guide itself names where or how to apply."""
        guide = self.guide
        return guide is not None and any((guide.address, guide.phone, guide.online_url))

    def __repr__(self) -> str:
        return f"<Policy {self.id}>"


class PolicyGuide(PublicContent, Base):
    """The structured application guide (申兑指南) of a policy."""

    __tablename__ = "policy_guides"

    policy_id: Mapped[str] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True)
    beneficiaries: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    time_limit: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(120))
    online_url: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(300))

    policy: Mapped[Policy] = relationship(back_populates="guide")


class PolicyStep(PublicContent, Base):
    """One step of the procedure (办事流程) for a policy."""

    __tablename__ = "policy_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[str] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)


class PolicyAttachment(PublicContent, Base):
    """An attachment named by a policy (a file, or a note on where it is)."""

    __tablename__ = "policy_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[str] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    file_id: Mapped[str | None] = mapped_column(ForeignKey("stored_files.id"))

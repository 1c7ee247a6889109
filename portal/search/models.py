"""The synonym list, staff changes to it, and the PostgreSQL backend's tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base, UtcDateTime, one_of


class Synonym(PublicContent, Base):
    """One entry of content/synonyms.yaml; applied to queries, never to the index."""

    __tablename__ = "search_synonyms"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    word: Mapped[str] = mapped_column(String(80))
    terms: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")  # why the words mean the same, or the source
    source_url: Mapped[str | None] = mapped_column(String(500))
    test_query: Mapped[str] = mapped_column(String(200))
    test_expect: Mapped[str] = mapped_column(String(120))  # "<type>:<id>" the test query must find
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # Set once staff approved a change: `content load` then leaves the entry alone.
    managed_by_staff: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


CHANGE_STATES = ("proposed", "approved", "rejected")


class SynonymChange(Base):
    """A staff proposal to add or change a synonym entry; a reviewer approves or rejects it."""

    __tablename__ = "search_synonym_changes"
    __table_args__ = (one_of("search_synonym_changes", "state", CHANGE_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    synonym_id: Mapped[str] = mapped_column(String(80))
    word: Mapped[str] = mapped_column(String(80))
    terms: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    test_query: Mapped[str] = mapped_column(String(200))
    test_expect: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# The PostgreSQL search backend's tables (SEARCH_BACKEND=postgres). Kept out of Base.metadata: they
# exist only on PostgreSQL (migration 0017 skips them on SQLite), so the SQLite schema check ignores
# them.
pg_metadata = MetaData()

search_documents = Table(
    "search_documents",
    pg_metadata,
    Column("key", String(200), primary_key=True),  # "<type>:<id>"
    Column("id", BigInteger, Identity(), nullable=False, unique=True),  # a short handle for facet counting
    Column("generation", BigInteger, nullable=False),  # the write that last changed the row
    Column("type", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("names", postgresql.ARRAY(Text), nullable=False),  # exact forms (text.exact_form)
    Column("regions", postgresql.ARRAY(String(80)), nullable=False),
    Column("categories", postgresql.ARRAY(String(80)), nullable=False),
    Column("industries", postgresql.ARRAY(String(80)), nullable=False),
    Column("services", postgresql.ARRAY(String(80)), nullable=False),
    Column("level", String(40), nullable=False),
    Column("year", String(8), nullable=False),
    Column("status", String(40), nullable=False),
    Column("desks", String(20), nullable=False),
    # Every facet value as "<facet>:<value>": one GIN index serves all filters, and one unnest
    # counts every facet of a match in a single pass.
    Column("facets", postgresql.ARRAY(Text), nullable=False),
    Column("date_ordinal", Integer, nullable=False),
    Column("sort_title", Text, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("prior", Float, nullable=False),  # IndexDoc.boost: status and freshness, set when indexing
    Column("guide", Boolean, nullable=False),
    Column("version", String(16), nullable=False),  # doc_version, for `search check`
    Column("title_len", Integer, nullable=False),  # words, for length normalisation
    Column("text_len", Integer, nullable=False),
    Column("tsv", postgresql.TSVECTOR, nullable=False),  # title words weighted A, text words D
    Column("title_tsv", postgresql.TSVECTOR, nullable=False),  # small: a cheap pre-rank
    Column("snippet", postgresql.ARRAY(Text)),  # the prepared snippet text (IndexDoc.snippet), read for hits
    # fastupdate off: a search never walks a pending list that the many small writes of content
    # transactions would otherwise leave.
    Index("ix_search_documents_tsv", "tsv", postgresql_using="gin", postgresql_with={"fastupdate": "off"}),
    Index(
        "ix_search_documents_title_tsv",
        "title_tsv",
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},
    ),
    Index("ix_search_documents_facets", "facets", postgresql_using="gin"),
    Index("ix_search_documents_date", "date_ordinal"),
    Index("ix_search_documents_sort_title", "sort_title"),
    Index("ix_search_documents_generation", "generation"),
)

# Title words ever indexed (names and pinyin included): trigram-indexed for typo correction.
search_words = Table(
    "search_words",
    pg_metadata,
    Column("word", Text, primary_key=True),
    Index("ix_search_words_trgm", "word", postgresql_using="gin", postgresql_ops={"word": "gin_trgm_ops"}),
)

# What the index was built with: `is_ready` compares the analyzer version.
search_state = Table(
    "search_state",
    pg_metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

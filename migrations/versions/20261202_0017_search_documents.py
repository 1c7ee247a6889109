"""search documents: the PostgreSQL search backend's tables (pg_trgm, tsvector and trigram indexes)

Only on PostgreSQL: the embedded default (SQLite + Whoosh) has no use for them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 11:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "search_documents",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("names", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("regions", postgresql.ARRAY(sa.String(length=80)), nullable=False),
        sa.Column("categories", postgresql.ARRAY(sa.String(length=80)), nullable=False),
        sa.Column("industries", postgresql.ARRAY(sa.String(length=80)), nullable=False),
        sa.Column("services", postgresql.ARRAY(sa.String(length=80)), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("year", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("desks", sa.String(length=20), nullable=False),
        sa.Column("facets", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("date_ordinal", sa.Integer(), nullable=False),
        sa.Column("sort_title", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("prior", sa.Float(), nullable=False),
        sa.Column("guide", sa.Boolean(), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("title_len", sa.Integer(), nullable=False),
        sa.Column("text_len", sa.Integer(), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR(), nullable=False),
        sa.Column("title_tsv", postgresql.TSVECTOR(), nullable=False),
        sa.Column("snippet", postgresql.ARRAY(sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("key"),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_search_documents_tsv", "search_documents", ["tsv"], postgresql_using="gin",
                    postgresql_with={"fastupdate": "off"})
    op.create_index("ix_search_documents_title_tsv", "search_documents", ["title_tsv"],
                    postgresql_using="gin", postgresql_with={"fastupdate": "off"})
    op.create_index("ix_search_documents_facets", "search_documents", ["facets"], postgresql_using="gin")
    op.create_index("ix_search_documents_date", "search_documents", ["date_ordinal"])
    op.create_index("ix_search_documents_sort_title", "search_documents", ["sort_title"])
    op.create_index("ix_search_documents_generation", "search_documents", ["generation"])
    op.create_table(
        "search_words",
        sa.Column("word", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("word"),
    )
    op.create_index("ix_search_words_trgm", "search_words", ["word"], postgresql_using="gin",
                    postgresql_ops={"word": "gin_trgm_ops"})
    op.create_table(
        "search_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("search_state")
    op.drop_table("search_words")
    op.drop_table("search_documents")

"""The content version: one number in the database that moves with every change the public sees.

Models whose rows public pages or the API show inherit `PublicContent`. A session that adds,
changes or deletes such a row (through the ORM, a bulk `update()`/`delete()`/`insert()` on their
tables, or raw SQL that writes) moves the version in the same transaction, just before it commits;
so does a change to the search outbox, whose rows say the index changed. Caches key on the version,
read from the database once per request, so every worker and host sees a change at once.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, g
from sqlalchemy import Integer, TextClause, event, insert, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.sql.dml import UpdateBase

from portal.db import Base, UtcDateTime

CHANGED = "content_changed"  # session.info key: this transaction changed public content
WRITES = ("insert", "update", "delete", "replace", "merge", "upsert")
READ_SQL = "SELECT version FROM content_version WHERE id = 1"  # what `read` asks, as plain SQL


class PublicContent:
    """Mixin for models the public sees: any change to their rows moves the content version."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        table = getattr(cls, "__table__", None)
        if table is not None:
            table.info["public_content"] = True  # bulk statements are recognised by their table


class ContentVersion(Base):
    """The single row holding the content version and when it last moved."""

    __tablename__ = "content_version"
    # Its one row is written by the migration that creates it: a copy replaces it (core/copying.py).
    __table_args__ = {"info": {"seeded_by_migration": True}}

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def read(db: Session) -> int:
    """The version as the database holds it now (0 before anything moved it)."""
    return db.scalar(select(ContentVersion.version).where(ContentVersion.id == 1)) or 0


def current(db: Session) -> int:
    """The version for this request: one query, then remembered in `flask.g`."""
    if "content_version" not in g:
        g.content_version = read(db)
    return g.content_version


def current_quick(app: Flask) -> int:
    """The version for this request, read on a pooled connection without an ORM session (a page
    served from the cache then opens none); remembered in `flask.g` as `current` does."""
    if "content_version" not in g:
        with app.extensions["db_engine"].connect() as connection:  # returned to the pool at once
            g.content_version = connection.exec_driver_sql(READ_SQL).scalar() or 0
    return g.content_version


def _bump(db: Session) -> None:
    now = dt.datetime.now(dt.UTC)
    moved = db.execute(
        update(ContentVersion)
        .where(ContentVersion.id == 1)
        .values(version=ContentVersion.version + 1, changed_at=now)
    )
    if moved.rowcount == 0:  # a database created without the migration's first row
        db.execute(insert(ContentVersion).values(id=1, version=1, changed_at=now))


def _is_public_row(session: Session, obj) -> bool:
    return isinstance(obj, PublicContent) and (
        obj in session.new or obj in session.deleted or session.is_modified(obj)
    )


def _writes_public_table(state: ORMExecuteState) -> bool:
    statement = state.statement
    if isinstance(statement, UpdateBase):
        table = getattr(statement, "table", None)
        return table is not None and bool(table.info.get("public_content"))
    if isinstance(statement, TextClause):
        # Raw SQL is not parsed: any statement that writes counts, so nothing slips past.
        return statement.text.lstrip().split(None, 1)[0].lower() in WRITES
    return False


def listen(sessions) -> None:
    """Move the version in every transaction of `sessions` (a sessionmaker) that changes public content."""

    @event.listens_for(sessions, "before_flush")
    def _note_rows(session: Session, _context, _instances) -> None:
        if not session.info.get(CHANGED) and any(
            _is_public_row(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)
        ):
            session.info[CHANGED] = True

    @event.listens_for(sessions, "do_orm_execute")
    def _note_statements(state: ORMExecuteState) -> None:
        if _writes_public_table(state):
            state.session.info[CHANGED] = True

    @event.listens_for(sessions, "before_commit")
    def _move(session: Session) -> None:
        session.flush()  # changes still pending are seen by _note_rows first
        if session.info.pop(CHANGED, False):
            _bump(session)

    @event.listens_for(sessions, "after_rollback")
    @event.listens_for(sessions, "after_commit")
    def _forget(session: Session) -> None:
        # Also after a commit: writes made by other before-commit hooks after _move (the search
        # index marking its outbox rows done in the same transaction) belong to this transaction,
        # which already moved the version, not to the next one.
        session.info.pop(CHANGED, None)


def init_app(app: Flask) -> None:
    """Watch every session the app's factory makes."""
    listen(app.extensions["db_sessionmaker"])

"""Copy every table of one database into another, empty, migrated one (SQLite → PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import MetaData, Table, delete, false, func, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine

BATCH = 1000


class CopyRefused(Exception):
    """The target cannot receive the copy (not migrated like the source, or not empty)."""


@dataclass
class TableCount:
    table: str
    source: int
    target: int

    @property
    def matches(self) -> bool:
        return self.source == self.target


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.scalar(text("SELECT version_num FROM alembic_version"))


def check_target(source: Connection, target: Connection, metadata: MetaData) -> None:
    """Refuse a target at another migration than the source, or one holding any row."""
    wanted, found = _revision(source), _revision(target)
    if found is None or found != wanted:
        raise CopyRefused(
            f"the target is at migration {found or 'none'}, the source at {wanted}: "
            f"run `flask --app portal db upgrade` against the target first"
        )
    filled = [
        t.name
        for t in metadata.sorted_tables
        if not t.info.get("seeded_by_migration") and target.scalar(select(func.count()).select_from(t))
    ]
    if filled:
        raise CopyRefused(f"the target is not empty (rows in {', '.join(filled)}); nothing copied")


def _self_reference(table: Table) -> str | None:
    """The column of a table pointing at its own rows (a parent region, a superseding policy)."""
    for fk in table.foreign_keys:
        if fk.column.table is table:
            return fk.parent.name
    return None


def _rows(conn: Connection, table: Table) -> Iterator[dict]:
    """The table's rows; where rows point at rows of the same table, each after the one it names."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execute(select(table).order_by(*order)).mappings()
    column = _self_reference(table)
    if column is None:
        for row in result:
            yield dict(row)
        return
    key = table.primary_key.columns.keys()[0]
    waiting = [dict(row) for row in result]
    done: set = set()
    while waiting:
        ready = [r for r in waiting if r[column] is None or r[column] in done or r[column] == r[key]]
        if not ready:  # a cycle: the database would refuse it anyway, so insert as it stands
            ready = waiting
        done.update(r[key] for r in ready)
        yield from ready
        ready_ids = {id(r) for r in ready}
        waiting = [r for r in waiting if id(r) not in ready_ids]


def copy_all(
    source: Engine,
    target: Engine,
    metadata: MetaData,
    progress: Callable[[str, int], None] = lambda _t, _n: None,
) -> list[TableCount]:
    """Copy every table in foreign-key order in one transaction, reset PostgreSQL's sequences past
    the copied ids, and return the row counts of both sides, table by table."""
    with source.connect() as src, target.begin() as dst:
        check_target(src, dst, metadata)
        for table in metadata.sorted_tables:
            if table.info.get("seeded_by_migration"):
                dst.execute(delete(table))  # the source's rows replace what the migration wrote
            batch: list[dict] = []
            copied = 0
            for row in _rows(src, table):
                batch.append(row)
                if len(batch) == BATCH:
                    dst.execute(insert(table), batch)
                    copied += len(batch)
                    batch = []
            if batch:
                dst.execute(insert(table), batch)
                copied += len(batch)
            progress(table.name, copied)
        if dst.dialect.name == "postgresql":
            _reset_sequences(dst, metadata)
    with source.connect() as src, target.connect() as dst:
        return [
            TableCount(
                t.name,
                src.scalar(select(func.count()).select_from(t)),
                dst.scalar(select(func.count()).select_from(t)),
            )
            for t in metadata.sorted_tables
        ]


def _reset_sequences(conn: Connection, metadata: MetaData) -> None:
    """Explicit ids do not move a serial column's sequence: set each one past the highest id."""
    for table in metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        highest = select(func.max(column)).scalar_subquery()
        conn.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(table.name, column.name),
                    func.coalesce(highest, 0) + 1,
                    false(),
                )
            )
        )

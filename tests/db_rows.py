"""Every row of a tracker database, read the same way on SQLite and
PostgreSQL: what tests compare to show that a command changed nothing (or
exactly what it should), without reading a database file's internals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tracker.db.search import is_search_table

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

Rows = dict[str, list[tuple[object, ...]]]


def engine_for(target: str | Path) -> Engine:
    """An engine for ``--db``'s value: a URL, or the path of an SQLite file."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    text = str(target)
    url = text if "://" in text else f"sqlite:///{text}"
    return create_engine(url, poolclass=NullPool)


def rows_on(con: Connection, *, search: bool = True) -> Rows:
    """Every row of every table, sorted; SQLite's full-text index by its
    visible content when ``search`` (its shadow tables never)."""
    from sqlalchemy import inspect, text

    tables = inspect(con).get_table_names()
    names = [name for name in tables if not is_search_table(name)]
    rows: Rows = {
        name: sorted(
            (tuple(row) for row in con.execute(text(f'SELECT * FROM "{name}"'))),  # noqa: S608
            key=repr,
        )
        for name in names
    }
    if search and "search_index" in tables:  # SQLite's FTS5 table
        rows["search_index"] = sorted(
            tuple(row) for row in con.execute(text("SELECT rowid, kind, body FROM search_index"))
        )
    return rows


def rows_of(target: str | Path, *, search: bool = True) -> Rows:
    """:func:`rows_on` through a connection of its own (only what was committed)."""
    engine = engine_for(target)
    try:
        with engine.connect() as con:
            return rows_on(con, search=search)
    finally:
        engine.dispose()


def count_rows(target: str | Path, table: str) -> int:
    from sqlalchemy import text

    engine = engine_for(target)
    try:
        with engine.connect() as con:
            return int(con.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())  # noqa: S608
    finally:
        engine.dispose()


def execute(target: str | Path, sql: str, **params: object) -> None:
    """Write as something else would (an old version, a script): plain SQL,
    committed, with no audit entry."""
    from sqlalchemy import text

    engine = engine_for(target)
    try:
        with engine.begin() as con:
            con.execute(text(sql), params)
    finally:
        engine.dispose()

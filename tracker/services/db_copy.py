"""Copying a whole tracker database into an empty one (``tracker db copy``):
SQLite to PostgreSQL and back, ids, audit log and verdict history intact.

How (docs/postgresql.md, "Moving a desk"):

- The source is read in one read-only transaction (one snapshot): SQLite
  through a connection with ``PRAGMA query_only``, PostgreSQL in a
  ``REPEATABLE READ, READ ONLY`` transaction. It must be at the schema
  revision this code knows as head; it is never migrated or written.
- The target must hold no tracker data (a new file or database, or one
  migrated but empty). It is migrated to head by the real migrations, then
  every table of the models' metadata is copied in foreign-key order
  (``metadata.sorted_tables``), so a table added by a later migration is
  copied without a change here. Search tables are skipped and the target's
  search index is rebuilt; ``alembic_version`` is the target's own.
- Everything is written in one transaction on the target (the write lock
  taken first): all or nothing. A copy that fails or is killed leaves the
  target migrated and empty, which the next copy accepts.
- Rows are streamed: read and written ``batch_size`` at a time, never a
  whole table in memory. Ids are kept; every id counter (PostgreSQL
  sequences, SQLite's ``sqlite_sequence``) is set to the highest id the
  source ever gave out, so an id deleted in the source is not handed out
  again in the target.
- JSON columns are copied as their stored text, so a JSON ``null`` and an
  SQL NULL stay what they were.
- Indexes are built, and foreign keys checked, once the rows are in (the
  target's own definitions, dropped and made again in the same transaction;
  :meth:`tracker.services.db_copy_rows.Copier.copy_all`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, StatementError
from sqlalchemy.pool import NullPool

from tracker.config import to_url
from tracker.db import search
from tracker.db.base import Base
from tracker.db.database import Database
from tracker.db.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    create_db_engine,
    describe_db_error,
    foreign_keys_off,
    writing,
)
from tracker.db.ownership import check_sqlite_file, sqlite_path
from tracker.db.schema import HEAD_REVISION, KNOWN_REVISIONS
from tracker.errors import DatabaseError
from tracker.services.db_copy_rows import Copier, Progress

if TYPE_CHECKING:
    pass

BATCH_SIZE = 5_000
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class TableCopied:
    table: str
    rows: int


@dataclass(frozen=True)
class CopyReport:
    """What :func:`copy_database` did (docs/postgresql.md has the JSON shape)."""

    source: str
    target: str
    revision: str
    tables: tuple[TableCopied, ...]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "revision": self.revision,
            "tables": [{"table": t.table, "rows": t.rows} for t in self.tables],
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
        }


def shown_url(url: str) -> str:
    """How a database is named in messages: an SQLite file's path, else the
    URL with its password hidden."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError("not a database path or URL (check its spelling)") from None
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed.database or "")
        if path is not None:
            return path
    return parsed.render_as_string(hide_password=True)


def copied_tables() -> list[Table]:
    """The tables a copy writes, parents before children: every table of
    the models' metadata but full-text search's own."""
    return [t for t in Base.metadata.sorted_tables if not search.is_search_table(t.name)]


def copy_database(
    source_url: str,
    target_url: str,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> CopyReport:
    """Copy every record of the database at ``source_url`` into the empty
    database at ``target_url`` (paths or SQLAlchemy URLs), in one unit of
    work on the target. Raises :class:`~tracker.errors.DatabaseError`, with
    the target left without tracker data, when the source is not a tracker
    database at head, the target is not empty, or the copy fails."""
    try:
        return _copy(source_url, target_url, actor, progress, batch_size)
    except DatabaseError as exc:
        # A driver's message may span lines (a hint on the next): one line.
        raise DatabaseError(" ".join(exc.message.split())) from None


def _copy(
    source_url: str,
    target_url: str,
    actor: str | None,
    progress: Progress | None,
    batch_size: int,
) -> CopyReport:
    started = time.perf_counter()
    source_url, target_url = to_url(source_url), to_url(target_url)
    source_where, target_where = shown_url(source_url), shown_url(target_url)
    _refuse_same(source_url, target_url, source_where)
    tables = copied_tables()
    source = _open_source(source_url, source_where)
    try:
        with _reading(source, source_where) as reader:
            totals = _check_source(reader, source_where, tables)
            _check_target_empty(target_url, target_where, tables)
            copied = _write_target(
                reader,
                target_url,
                target_where,
                tables,
                totals,
                actor=actor,
                progress=progress,
                batch_size=max(1, batch_size),
            )
    finally:
        source.dispose()
    return CopyReport(
        source=source_where,
        target=target_where,
        revision=HEAD_REVISION,
        tables=tuple(TableCopied(t.name, copied[t.name]) for t in tables),
        seconds=time.perf_counter() - started,
    )


# -- the source -------------------------------------------------------------


def _refuse_same(source_url: str, target_url: str, where: str) -> None:
    a, b = make_url(source_url), make_url(target_url)
    if a.get_backend_name() == b.get_backend_name() == "sqlite":
        pa, pb = sqlite_path(a.database or ""), sqlite_path(b.database or "")
        same = pa is not None and pb is not None and os.path.realpath(pa) == os.path.realpath(pb)
    else:
        same = _server_key(a) == _server_key(b)
    if same:
        raise DatabaseError(f"the source and the target are the same database ({where})")


def _server_key(url: URL) -> tuple[object, ...]:
    return (url.get_backend_name(), url.host, url.port, url.database, url.query.get("host"))


def _sqlite_reader(url: str, where: str) -> Engine:
    """An engine that only reads an SQLite file: ``PRAGMA query_only`` makes
    SQLite refuse any write, and nothing else is changed (the journal mode
    is left as it is). It is not opened with ``mode=ro``: a read-only
    connection cannot remove the ``-wal`` and ``-shm`` files it creates,
    while this one, closing last, leaves the folder as it found it."""
    parsed = make_url(url)
    database = parsed.database or ""
    path = sqlite_path(database)
    if path is None:
        raise DatabaseError(f"{where}: an in-memory database cannot be copied")
    file = Path(path)
    if not file.is_file() or file.stat().st_size == 0:
        raise DatabaseError(f"{where}: no such database file (or it is empty)")
    check_sqlite_file(database)

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA query_only=ON")
        cur.close()

    engine = create_engine(url, poolclass=NullPool)
    event.listen(engine, "connect", on_connect)
    # One deferred BEGIN: the whole copy reads one snapshot of the file.
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def _open_source(url: str, where: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_reader(url, where)
    return create_db_engine(url)


@contextmanager
def _reading(engine: Engine, where: str) -> Iterator[Connection]:
    """One read-only transaction on ``engine`` (one snapshot), with driver
    errors as one line naming the database."""
    try:
        with engine.connect() as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn
    except DBAPIError as exc:
        raise DatabaseError(describe_db_error(exc, where)) from None


def _table_names(conn: Connection) -> set[str]:
    names = set(inspect(conn).get_table_names())
    return {n for n in names if not n.startswith("sqlite_") and not search.is_search_table(n)}


def _check_source(conn: Connection, where: str, tables: Sequence[Table]) -> dict[str, int]:
    """Refuse a source that is not a tracker database at head; its row counts."""
    present = _table_names(conn)
    if VERSION_TABLE not in present:
        raise DatabaseError(f"{where} is not a tracker database (it has no schema revision)")
    revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if revision != HEAD_REVISION:
        if revision in KNOWN_REVISIONS:
            raise DatabaseError(
                f"{where} is at schema revision {revision}, older than this tracker's "
                f"{HEAD_REVISION}: upgrade it first (tracker --db SOURCE db upgrade, or open "
                "it with tracker once), then copy it"
            )
        raise DatabaseError(
            f"{where} is at schema revision {revision or '(none)'}, which this version of "
            f"tracker does not know (its newest is {HEAD_REVISION}): copy it with the tracker "
            "that wrote it"
        )
    unknown = present - {t.name for t in tables} - {VERSION_TABLE}
    if unknown:
        raise DatabaseError(
            f"{where} holds tables tracker does not know ({', '.join(sorted(unknown))}); "
            "db copy copies a tracker database whole or not at all"
        )
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables
    }


# -- the target -------------------------------------------------------------


def _check_target_empty(url: str, where: str, tables: Sequence[Table]) -> None:
    """Refuse, touching nothing, a target that holds any tracker record or
    another program's tables. A new file, an empty database and a migrated
    but empty tracker database pass."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed.database or "")
        if path is None:
            raise DatabaseError(f"{where}: an in-memory database cannot be a copy's target")
        file = Path(path)
        if not file.exists() or (file.is_file() and file.stat().st_size == 0):
            return
        engine = _sqlite_reader(url, where)
    else:
        engine = create_db_engine(url)
    try:
        with _reading(engine, where) as conn:
            present = _table_names(conn)
            ours = {t.name for t in tables} | {VERSION_TABLE}
            foreign = present - ours
            if foreign:
                shown = ", ".join(sorted(foreign)[:5]) + (", ..." if len(foreign) > 5 else "")
                raise DatabaseError(
                    f"{where} is not empty: it holds tables that are not tracker's ({shown}); "
                    "give a new file or a new database"
                )
            _refuse_records(conn, where, [t for t in tables if t.name in present])
    finally:
        engine.dispose()


def _refuse_records(conn: Connection, where: str, tables: Sequence[Table]) -> None:
    full = [t.name for t in tables if conn.execute(select(1).select_from(t).limit(1)).first()]
    if full:
        raise DatabaseError(
            f"{where} is not empty (it holds {', '.join(full[:4])}"
            f"{', ...' if len(full) > 4 else ''}): db copy writes only into an empty database; "
            "give a new file or a new database (CREATE DATABASE ...), or remove this one first"
        )


def _write_target(
    reader: Connection,
    url: str,
    where: str,
    tables: Sequence[Table],
    totals: dict[str, int],
    *,
    actor: str | None,
    progress: Progress | None,
    batch_size: int,
) -> dict[str, int]:
    parsed = make_url(url)
    new_file: Path | None = None
    if parsed.get_backend_name() == "sqlite":
        path = Path(sqlite_path(parsed.database or "") or "")
        if not path.exists():
            new_file = path
    done = False
    try:
        with Database(url, actor) as target:  # migrates it to head
            try:
                # SQLite's foreign keys are checked once the rows are in
                # (Copier); the pragma is set before the transaction begins.
                with (
                    writing(target.engine).connect() as conn,
                    foreign_keys_off(conn),
                    conn.begin(),
                ):
                    _refuse_records(conn, where, tables)  # someone wrote since the check
                    copier = Copier(reader, conn, totals, progress, batch_size)
                    copied = copier.copy_all(tables)
                    _check_counts(conn, where, tables, copied)
            except DBAPIError as exc:
                raise DatabaseError(f"not copied: {describe_db_error(exc, where)}") from None
            except StatementError as exc:  # a value the driver could not send
                raise DatabaseError(f"not copied: {where}: {exc.orig}") from None
            _analyze(target.engine)
        done = True
        return copied
    finally:
        if not done and new_file is not None:
            # A file this copy created holds nothing committed: remove it.
            for suffix in ("", "-wal", "-shm", "-journal"):
                with suppress(OSError):
                    Path(f"{new_file}{suffix}").unlink()


def _check_counts(
    conn: Connection, where: str, tables: Sequence[Table], copied: dict[str, int]
) -> None:
    for t in tables:
        held = int(conn.execute(select(func.count()).select_from(t)).scalar_one())
        if held != copied[t.name]:
            raise DatabaseError(
                f"not copied: {where}: {t.name} holds {held} rows after copying "
                f"{copied[t.name]}; nothing was committed"
            )


def _analyze(engine: Engine) -> None:
    """Planner statistics for the new rows (best effort: the copy is done)."""
    with suppress(DBAPIError), engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()

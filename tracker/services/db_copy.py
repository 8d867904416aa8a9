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
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Engine,
    ForeignKeyConstraint,
    Table,
    Text,
    bindparam,
    cast,
    create_engine,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import sort_tables_and_constraints

from tracker.config import to_url
from tracker.db import search
from tracker.db.base import Base
from tracker.db.database import Database
from tracker.db.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    create_db_engine,
    describe_db_error,
    writing,
)
from tracker.db.ownership import check_sqlite_file, sqlite_path
from tracker.db.schema import HEAD_REVISION, KNOWN_REVISIONS
from tracker.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

BATCH_SIZE = 5_000
VERSION_TABLE = "alembic_version"

# (table, rows copied in it, its rows in all, rows copied in all, rows in all)
Progress = Callable[[str, int, int, int, int], None]


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
    except ArgumentError:
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
                with writing(target.engine).connect() as conn, conn.begin():
                    _refuse_records(conn, where, tables)  # someone wrote since the check
                    copier = _Copier(reader, conn, totals, progress, batch_size)
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


# -- the rows ---------------------------------------------------------------


def _deferred_constraints(tables: Sequence[Table]) -> dict[str, list[ForeignKeyConstraint]]:
    """Foreign keys that cannot be satisfied by table order: a table naming
    itself (a source reporting on a later source) or tables naming each
    other. Their columns are written NULL, then set once every row is in."""
    deferred: dict[str, list[ForeignKeyConstraint]] = {}
    for table in tables:
        for fk in table.foreign_key_constraints:
            if fk.referred_table is table:
                deferred.setdefault(table.name, []).append(fk)
    for _table, fkcs in sort_tables_and_constraints(tables):  # type: ignore[no-untyped-call]
        if _table is None:
            for fk in fkcs:
                if fk.table is not None:
                    deferred.setdefault(fk.table.name, []).append(fk)
    return deferred


def _first_line(exc: BaseException | None) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _copied_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if c.computed is None]


def _read_column(column: Column[Any]) -> Any:
    # JSON as its stored text: a JSON null stays a JSON null, SQL NULL NULL.
    if isinstance(column.type, JSON):
        return cast(column, Text).label(column.name)
    return column


class _Copier:
    def __init__(
        self,
        reader: Connection,
        writer: Connection,
        totals: dict[str, int],
        progress: Progress | None,
        batch_size: int,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.totals = totals
        self.total = sum(totals.values())
        self.progress = progress
        self.batch_size = batch_size
        self.dialect: Dialect = writer.dialect
        self.done = 0

    def copy_all(self, tables: Sequence[Table]) -> dict[str, int]:
        deferred = _deferred_constraints(tables)
        copied: dict[str, int] = {}
        for table in tables:
            later = {c.name for fk in deferred.get(table.name, []) for c in fk.columns}
            with self._naming(table.name):
                copied[table.name] = self._copy_table(table, later)
        for table in tables:
            if table.name in deferred:
                with self._naming(table.name):
                    self._set_deferred(table, deferred[table.name])
        self._set_id_counters(tables)
        self._report("search index", 0)
        with Session(bind=self.writer) as session:
            search.rebuild(session)
            session.flush()
        return copied

    @contextmanager
    def _naming(self, table: str) -> Iterator[None]:
        """An error writing ``table`` as one line naming it (the driver's own
        errors too: COPY runs on the driver's connection)."""
        driver_error: type[Exception] = getattr(self.dialect.loaded_dbapi, "Error", DBAPIError)
        try:
            yield
        except DBAPIError as exc:
            raise DatabaseError(f"not copied: table {table}: {_first_line(exc.orig)}") from None
        except StatementError as exc:  # a value the driver could not send
            raise DatabaseError(f"not copied: table {table}: {_first_line(exc.orig)}") from None
        except driver_error as exc:
            raise DatabaseError(f"not copied: table {table}: {_first_line(exc)}") from None

    def _batches(self, stmt: Any) -> Iterator[Sequence[Any]]:
        result = self.reader.execution_options(yield_per=self.batch_size).execute(stmt)
        yield from result.partitions()

    def _copy_table(self, table: Table, later: set[str]) -> int:
        columns = _copied_columns(table)
        order = list(table.primary_key.columns) or columns
        stmt = select(*(_read_column(c) for c in columns)).order_by(*order)
        write = self._copy_writer(table, columns)
        nulled = [i for i, c in enumerate(columns) if c.name in later]
        count = 0
        self._report(table.name, 0)
        for rows in self._batches(stmt):
            values = [list(r) for r in rows]
            for row in values:
                for i in nulled:
                    row[i] = None
            write(values)
            count += len(values)
            self.done += len(values)
            self._report(table.name, count)
        return count

    def _report(self, table: str, count: int) -> None:
        if self.progress is not None:
            self.progress(table, count, self.totals.get(table, 0), self.done, self.total)

    def _copy_writer(
        self, table: Table, columns: list[Column[Any]]
    ) -> Callable[[list[list[Any]]], None]:
        """A function that writes rows (values in ``columns``' order): COPY on
        PostgreSQL (psycopg), the driver's executemany on SQLite, each value
        converted by its column type for the target's dialect first."""
        convert = [self._bind_processor(c) for c in columns]
        names = [self.dialect.identifier_preparer.quote(c.name) for c in columns]
        table_name = self.dialect.identifier_preparer.format_table(table)

        def converted(rows: list[list[Any]]) -> list[list[Any]]:
            for row in rows:
                for i, f in enumerate(convert):
                    if f is not None and row[i] is not None:
                        row[i] = f(row[i])
            return rows

        driver = self.writer.connection.driver_connection
        if self.dialect.name == "postgresql" and driver is not None:
            sql = f"COPY {table_name} ({', '.join(names)}) FROM STDIN"
            copy_from = getattr(driver.cursor(), "copy", None)
            if copy_from is not None:

                def write_copy(rows: list[list[Any]]) -> None:
                    with copy_from(sql) as copy:
                        for row in converted(rows):
                            copy.write_row(row)

                return write_copy
        if self.dialect.name == "sqlite":
            marks = ", ".join("?" * len(names))
            sql = f"INSERT INTO {table_name} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608 (names from the metadata, quoted)

            def write_many(rows: list[list[Any]]) -> None:
                self.writer.exec_driver_sql(sql, [tuple(r) for r in converted(rows)])

            return write_many
        # Another driver: Core's executemany (JSON text cast back on the server).
        values = {
            c.name: cast(bindparam(f"v_{c.name}", type_=Text), c.type)
            if isinstance(c.type, JSON)
            else bindparam(f"v_{c.name}", type_=c.type)
            for c in columns
        }
        stmt = insert(table).values(values)

        def write_core(rows: list[list[Any]]) -> None:
            keys = [f"v_{c.name}" for c in columns]
            self.writer.execute(stmt, [dict(zip(keys, r, strict=True)) for r in rows])

        return write_core

    def _bind_processor(self, column: Column[Any]) -> Callable[[Any], Any] | None:
        if isinstance(column.type, JSON):
            return None  # already the stored text
        impl = column.type.dialect_impl(self.dialect)
        return impl.bind_processor(self.dialect)

    def _set_deferred(self, table: Table, fks: list[ForeignKeyConstraint]) -> None:
        """Set the columns written NULL (see :func:`_deferred_constraints`),
        with the columns an update would otherwise change (``updated_at``)
        written as they were."""
        later = [c for fk in fks for c in fk.columns]
        keep = [c for c in table.columns if c.onupdate is not None and c not in later]
        keys = list(table.primary_key.columns)
        stmt = (
            select(*keys, *(_read_column(c) for c in (*later, *keep)))
            .where(or_(*(c.is_not(None) for c in later)))
            .order_by(*keys)
        )
        upd = (
            update(table)
            .where(*(k == bindparam(f"k_{k.name}") for k in keys))
            .values({c.name: bindparam(f"v_{c.name}", type_=c.type) for c in (*later, *keep)})
        )
        names = [f"k_{k.name}" for k in keys] + [f"v_{c.name}" for c in (*later, *keep)]
        for rows in self._batches(stmt):
            self.writer.execute(upd, [dict(zip(names, r, strict=True)) for r in rows])

    def _set_id_counters(self, tables: Sequence[Table]) -> None:
        """Every id counter of the target at the highest id the source ever
        handed out, so that no id is handed out twice across the move."""
        for table in tables:
            column = table.autoincrement_column
            if column is None:
                continue
            highest = max(
                int(self.reader.execute(select(func.max(column))).scalar() or 0),
                _counter(self.reader, table.name, column.name),
            )
            if highest == 0:
                continue
            if self.dialect.name == "postgresql":
                seq = self.writer.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": column.name},
                ).scalar()
                if seq is not None:
                    self.writer.execute(
                        text("SELECT setval(CAST(:s AS regclass), :v, true)"),
                        {"s": seq, "v": highest},
                    )
            elif self.dialect.name == "sqlite" and table.dialect_options["sqlite"].get(
                "autoincrement"
            ):
                self.writer.execute(
                    text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table.name}
                )
                self.writer.execute(
                    text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"),
                    {"t": table.name, "v": highest},
                )


def _counter(conn: Connection, table: str, column: str) -> int:
    """The highest id the source's counter has handed out for ``table``
    (deleted rows included), 0 when it has none."""
    if conn.dialect.name == "sqlite":
        if not inspect(conn).has_table("sqlite_sequence"):
            return 0
        value = conn.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
        ).scalar()
        return int(value or 0)
    if conn.dialect.name == "postgresql":
        seq = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table, "c": column}
        ).scalar()
        if seq is None:
            return 0
        value = conn.execute(
            text("SELECT pg_sequence_last_value(CAST(:s AS regclass))"), {"s": seq}
        ).scalar()
        return int(value or 0)
    return 0

"""The rows of a copy (:mod:`tracker.services.db_copy`): every table
streamed from the source's connection into the target's, in batches, ids
kept, with the indexes built and the foreign keys checked after the rows
are in; foreign keys that table order cannot satisfy set afterwards; the id
counters and the search index brought up to date."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    ForeignKeyConstraint,
    Table,
    Text,
    bindparam,
    cast,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.schema import sort_tables_and_constraints

from tracker.db import search
from tracker.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

# SQLite's page cache for the copy's connection, in KiB (the default is 2 MiB).
SQLITE_CACHE_KIB = 65_536
# (table, rows copied in it, its rows in all, rows copied in all, rows in all)
Progress = Callable[[str, int, int, int, int], None]


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


def first_line(exc: BaseException | None) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _copied_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if c.computed is None]


def _read_column(column: Column[Any]) -> Any:
    # JSON as its stored text: a JSON null stays a JSON null, SQL NULL NULL.
    if isinstance(column.type, JSON):
        return cast(column, Text).label(column.name)
    return column


class Copier:
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
        with self._indexes_built_after(tables):
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
    def _indexes_built_after(self, tables: Sequence[Table]) -> Iterator[None]:
        """Load the rows first, then build the indexes and check the foreign
        keys, as pg_restore does: filling an index (above all PostgreSQL's
        GIN search index) or checking a foreign key row by row costs several
        times building or checking it once.

        The target's own index definitions (primary keys and unique
        constraints aside) are read from its catalogue, dropped, and created
        again exactly as they were once the rows are in, in the same
        transaction, so what is committed has the schema the migrations
        made. Foreign keys: on PostgreSQL dropped and added again the same
        way (adding one checks every row); SQLite's are off for the copy's
        connection (the caller turns them off) and checked here with
        ``PRAGMA foreign_key_check``."""
        if self.dialect.name == "postgresql":
            foreign_keys, indexes = self._pg_definitions([t.name for t in tables])
        else:
            foreign_keys = []
            indexes = self._sqlite_indexes([t.name for t in tables])
            # A bigger page cache for the index builds (this connection only).
            self.writer.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        try:
            with self.writer.begin_nested():
                for table, name, _ in foreign_keys:
                    self.writer.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
                for index, _ in indexes:
                    self.writer.exec_driver_sql(f"DROP INDEX {index}")
        except DBAPIError as exc:
            # Only a table's owner may drop its indexes: a user who was
            # granted writing on a database someone else migrated copies
            # into the indexes as they are (slower, the same result).
            if getattr(exc.orig, "sqlstate", None) != "42501":
                raise
            foreign_keys, indexes = [], []
        yield
        self._report("indexes", 0)
        if self.dialect.name == "postgresql":
            self.writer.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            self.writer.exec_driver_sql(definition)
        for table, name, definition in foreign_keys:
            with self._naming(table):
                self.writer.exec_driver_sql(
                    f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
                )
        if self.dialect.name == "sqlite":
            self._check_sqlite_foreign_keys()

    def _pg_definitions(
        self, names: list[str]
    ) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
        """The foreign keys (table, name, definition) and the indexes that
        back no constraint (name, definition) of these tables."""
        foreign_keys = self.writer.execute(
            text(
                "SELECT c.conrelid::regclass::text, quote_ident(c.conname), "
                "pg_get_constraintdef(c.oid) FROM pg_constraint c"
                " JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = ANY(:names)"
                " AND t.relnamespace = current_schema()::regnamespace AND c.contype = 'f'"
                " ORDER BY c.oid"
            ),
            {"names": names},
        ).all()
        indexes = self.writer.execute(
            text(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                " WHERE t.relname = ANY(:names)"
                " AND t.relnamespace = current_schema()::regnamespace AND NOT EXISTS"
                " (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
                " ORDER BY i.indexrelid"
            ),
            {"names": names},
        ).all()
        return [tuple(r) for r in foreign_keys], [tuple(r) for r in indexes]

    def _sqlite_indexes(self, names: list[str]) -> list[tuple[str, str]]:
        """The indexes made by CREATE INDEX (not a constraint's own) of these
        tables: (quoted name, definition)."""
        quote = self.dialect.identifier_preparer.quote
        rows = self.writer.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                " AND tbl_name IN :names ORDER BY name"
            ).bindparams(bindparam("names", expanding=True)),
            {"names": names},
        ).all()
        return [(quote(str(name)), str(sql)) for name, sql in rows]

    def _check_sqlite_foreign_keys(self) -> None:
        problem = self.writer.exec_driver_sql("PRAGMA foreign_key_check").first()
        if problem is not None:
            table, rowid, parent, _ = problem
            raise DatabaseError(
                f"not copied: table {table}: row {rowid} names a row of {parent} that does "
                "not exist (a foreign key the source does not hold to)"
            )

    @contextmanager
    def _naming(self, table: str) -> Iterator[None]:
        """An error writing ``table`` as one line naming it (the driver's own
        errors too: COPY runs on the driver's connection)."""
        driver_error: type[Exception] = getattr(self.dialect.loaded_dbapi, "Error", DBAPIError)
        try:
            yield
        except DBAPIError as exc:
            raise DatabaseError(f"not copied: table {table}: {first_line(exc.orig)}") from None
        except StatementError as exc:  # a value the driver could not send
            raise DatabaseError(f"not copied: table {table}: {first_line(exc.orig)}") from None
        except driver_error as exc:
            raise DatabaseError(f"not copied: table {table}: {first_line(exc)}") from None

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

"""Engines, sessions and the one place database errors become messages."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker.errors import DatabaseError

# How long a unit of work waits for another process's write to finish
# before giving up. Writes are short (milliseconds), so this is only reached
# when something holds the lock far longer than tracker ever does.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# The execution option that makes SQLite start a transaction with BEGIN
# IMMEDIATE (see :func:`writing`).
BEGIN_OPTION = "tracker_begin"


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers work while
    # someone writes; the busy timeout waits for a lock instead of failing.
    # SQLAlchemy's own transaction handling is kept (pysqlite's is disabled
    # via isolation_level=None and BEGIN is emitted below), per the dialect docs.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # A read-only file cannot switch journal mode (reading still works);
    # a file that is not a database fails here and is reported on first use.
    with contextlib.suppress(sqlite3.DatabaseError):
        cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    # A transaction that may write takes the write lock when it starts
    # (BEGIN IMMEDIATE). A deferred BEGIN that reads and then writes must
    # upgrade its lock part-way, and SQLite cannot wait for that upgrade: it
    # fails at once with "database is locked" whatever the busy timeout, so
    # concurrent writers lose work. Waiting at BEGIN is what the busy timeout
    # is for, and "look up, then create" cannot race another process.
    # Reads keep a deferred BEGIN, so they never wait for a writer (WAL).
    mode = conn.get_execution_options().get(BEGIN_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "immediate" else "BEGIN")


# PostgreSQL has no BEGIN IMMEDIATE: write transactions take this
# transaction-scoped advisory lock first instead, so that there too one
# writer at a time runs "look up, then create" (one "Ada Example", not two).
# Readers never take it. The number is arbitrary; it names tracker's lock.
PG_WRITE_LOCK = 0x7472_6163  # "trac"


def _pg_on_begin(conn: Any) -> None:
    if conn.get_execution_options().get(BEGIN_OPTION) == "immediate":
        # Wait as long as SQLite's busy timeout, then a clear error.
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{SQLITE_BUSY_TIMEOUT_MS}ms'")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


def writing(bind: Engine) -> Engine:
    """The same engine, whose transactions are write transactions: on SQLite
    they begin with ``BEGIN IMMEDIATE``, on PostgreSQL they take tracker's
    advisory write lock (:data:`PG_WRITE_LOCK`); either way they wait for
    other writers, never for readers."""
    return bind.execution_options(**{BEGIN_OPTION: "immediate"})


# SQLite URI options (https://sqlite.org/uri.html): the driver takes them only
# with uri=true, and SQLAlchemy otherwise drops them with a warning, so
# ``?mode=ro`` alone would open the file for writing.
_SQLITE_URI_OPTIONS = {"mode", "cache", "immutable", "vfs", "nolock", "psow", "modeof"}
_SQLITE_DRIVER_OPTIONS = {"uri", "timeout", "check_same_thread", "cached_statements"}
# Drivers tracker is tested with, and what to install for them.
_DRIVERS = {
    "postgresql": "PostgreSQL needs the psycopg driver: pip install 'tracker[postgres]'",
}


def create_db_engine(url: str) -> Engine:
    """Create an engine; for SQLite, with the connection pragmas set.

    Raises :class:`~tracker.errors.DatabaseError` for a URL tracker cannot
    use: a database kind it does not support, a driver that is not
    installed, SQLite options that would be ignored, a missing folder, or an
    SQLite file that belongs to another program (see :mod:`tracker.db.ownership`)."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database path or URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        _check_sqlite_options(parsed.query, url)
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).parent
            if not folder.exists():
                raise DatabaseError(f"cannot open {database}: folder {folder} does not exist")
        if database and database != ":memory:":
            from tracker.db.ownership import check_sqlite_file

            check_sqlite_file(database)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if backend not in _DRIVERS:
        raise DatabaseError(
            f"tracker works with SQLite and PostgreSQL, not {backend!r} "
            f"({parsed.render_as_string(hide_password=True)})"
        )
    try:
        # psycopg prepares a statement on the server once it has run five
        # times on a connection, and the server may then plan it once for
        # every parameter (a generic plan): a search planned for another
        # word could walk a million rows for a rare one. Unprepared, each
        # statement is planned with its own values (tracker.db.search).
        connect_args = {"prepare_threshold": None} if parsed.get_driver_name() == "psycopg" else {}
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
        event.listen(engine, "begin", _pg_on_begin)
        return engine
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            f"cannot use {parsed.drivername}: {_DRIVERS[backend]} ({exc})"
        ) from None


def _check_sqlite_options(query: Any, url: str) -> None:
    keys = set(query)
    unknown = sorted(keys - _SQLITE_URI_OPTIONS - _SQLITE_DRIVER_OPTIONS)
    if unknown:
        raise DatabaseError(f"unknown SQLite option(s) {', '.join(unknown)} in {url}")
    uri = str(query.get("uri", "")).lower() in {"true", "1", "yes", "on"}
    uri_options = sorted(keys & _SQLITE_URI_OPTIONS)
    if uri_options and not uri:
        raise DatabaseError(
            f"SQLite option {uri_options[0]}= works only in an SQLite URI: "
            "write sqlite:///file:PATH?"
            + "&".join(f"{k}={query[k]}" for k in uri_options)
            + "&uri=true"
        )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def describe_db_error(exc: BaseException, where: str) -> str:
    """One clear sentence for a driver error, naming the database."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(orig).strip()
    low = text.lower()
    if "file is not a database" in low or "not a database" in low:
        return f"{where} is not an SQLite database (or it is encrypted or damaged)"
    if "readonly database" in low or "read-only" in low:
        return f"{where} is read-only: cannot save changes"
    if "database is locked" in low:
        return f"{where} is locked by another program; try again in a moment"
    if "unable to open database file" in low:
        return f"cannot open {where}: check the path and permissions"
    if isinstance(exc, OperationalError):
        return f"database error in {where}: {text}"
    return f"database error in {where}: {text}"


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """Turn SQLite foreign keys off while batch migrations recreate tables.

    The pragma is a no-op inside a transaction, so it is sent straight to the
    driver before SQLAlchemy begins one. Other dialects are left alone."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys=ON")

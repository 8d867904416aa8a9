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

SQLITE_BUSY_TIMEOUT_MS = 5000


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
    conn.exec_driver_sql("BEGIN")


def create_db_engine(url: str) -> Engine:
    """Create an engine; for SQLite, with the connection pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).parent
            if not folder.exists():
                raise DatabaseError(f"cannot open {database}: folder {folder} does not exist")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


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

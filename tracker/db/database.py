"""The database a tracker works on: engine, sessions, migrations, errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.config import current_user
from tracker.db import search
from tracker.db.engine import create_db_engine, describe_db_error, make_sessionmaker
from tracker.db.schema import HEAD_REVISION
from tracker.errors import ConflictError, DatabaseError, ValidationError


class Database:
    """An open tracker database.

    Opening migrates the schema to head (refusing a database written by a
    newer tracker). :meth:`unit_of_work` gives one session per unit of work:
    committed whole on success, rolled back whole on any error, with driver
    errors turned into :class:`~tracker.errors.TrackerError` messages.
    """

    def __init__(self, url: str, actor: str | None = None, *, upgrade: bool = True) -> None:
        self.url = url
        parsed = make_url(url)
        where = parsed.database if parsed.get_backend_name() == "sqlite" else None
        if where and where.startswith("file:"):  # an SQLite URI filename: show the path
            where = where[len("file:") :].split("?", 1)[0]
        self.where: str = where or parsed.render_as_string(hide_password=True)
        self.actor = actor or current_user()
        self.engine: Engine = create_db_engine(url)
        self.sessions = make_sessionmaker(self.engine)
        search.install(self.sessions)
        if upgrade:
            self.upgrade()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self, revision: str = "head") -> None:
        """Migrate to ``revision``. A database already at head is recognised
        with one query, without importing Alembic (a fifth of start-up)."""
        try:
            if revision == "head" and self._revision() == HEAD_REVISION:
                return
            from tracker.db import migrate

            migrate.upgrade(self.engine, self.where, revision)
        except DBAPIError as exc:
            raise DatabaseError(describe_db_error(exc, self.where)) from None

    def _revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not self.engine.dialect.has_table(conn, "alembic_version"):
                return None
            value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            return str(value) if value is not None else None

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session in a transaction: commit on success, roll back on error."""
        try:
            with self.sessions.begin() as session:
                yield session
        except StaleDataError:
            raise ConflictError(
                "someone else changed this record since it was opened; reload it and try again"
            ) from None
        except IntegrityError as exc:
            raise ValidationError(f"not saved: {_integrity_message(exc)}") from None
        except DBAPIError as exc:
            raise DatabaseError(describe_db_error(exc, self.where)) from None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (nothing is committed)."""
        try:
            with self.sessions() as session:
                yield session
        except DBAPIError as exc:
            raise DatabaseError(describe_db_error(exc, self.where)) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc.orig)
    if "UNIQUE" in text or "unique" in text:
        return f"a record with the same value exists already ({text})"
    if "FOREIGN KEY" in text or "foreign key" in text:
        return "it is still referred to by other records"
    return text

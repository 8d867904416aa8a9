"""The database a tracker works on: engine, sessions, migrations, errors.

Importing this module imports no SQLAlchemy: that happens when a database is
opened, so the terminal UI can draw its first list before paying for it
(see :mod:`tracker.services.first_page`)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tracker.config import check_actor, current_user
from tracker.db.schema import HEAD_REVISION
from tracker.errors import ConflictError, DatabaseError, ValidationError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session, sessionmaker


def sqlite_file(url: str) -> str | None:
    """The file of a plain ``sqlite:///PATH`` URL (as :func:`tracker.config.to_url`
    makes them), else None: other databases, in-memory ones, SQLite URI
    filenames, and paths that SQLAlchemy would read differently (with ``?``
    or ``%``)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix) :]
    if not path or path == ":memory:" or path.startswith("file:") or any(c in path for c in "?%"):
        return None
    return path


class Database:
    """An open tracker database.

    Opening migrates the schema to head (refusing a database written by a
    newer tracker). :meth:`unit_of_work` gives one session per unit of work:
    committed whole on success, rolled back whole on any error, with driver
    errors turned into :class:`~tracker.errors.TrackerError` messages.
    """

    def __init__(
        self, url: str, actor: str | None = None, *, upgrade: bool = True, lazy: bool = False
    ) -> None:
        """Open the database at ``url`` (migrating it unless ``upgrade`` is
        false). With ``lazy``, nothing is opened or imported until the first
        session is asked for, in whichever thread asks first."""
        self.url = url
        self.actor = check_actor(actor, "the user name") if actor else current_user()
        self._upgrade = upgrade
        self._engine: Engine | None = None
        self._writer: Engine | None = None  # the engine, for write transactions
        self._sessions: sessionmaker[Session] | None = None
        self._opening = threading.RLock()
        self._local = threading.local()  # the unit of work running in each thread
        path = sqlite_file(url)
        if path is not None:
            self.where: str = path
        else:
            from sqlalchemy.engine import make_url
            from sqlalchemy.exc import ArgumentError

            try:
                parsed = make_url(url)
            except (ArgumentError, ValueError) as exc:  # a port that is not a number, say
                shown = re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)
                raise DatabaseError(f"{shown} is not a database URL I can read: {exc}") from None
            where = parsed.database if parsed.get_backend_name() == "sqlite" else None
            if where and where.startswith("file:"):  # an SQLite URI filename: show the path
                where = where[len("file:") :].split("?", 1)[0]
            self.where = where or parsed.render_as_string(hide_password=True)
        if not lazy:
            self.open()

    def open(self) -> None:
        """Create the engine and migrate (once; later calls do nothing).

        The engine is published only once migrated, so another thread asking
        for a session meanwhile waits here rather than reading an old schema."""
        if self._engine is not None:
            return
        with self._opening:
            if self._engine is not None:
                return
            from tracker.db import search
            from tracker.db.engine import create_db_engine, make_sessionmaker, writing

            engine = create_db_engine(self.url)
            sessions = make_sessionmaker(engine)
            search.install(sessions)
            if self._upgrade:
                try:
                    self._migrate(engine, "head")
                except BaseException:
                    engine.dispose()
                    raise
            self._sessions = sessions
            self._writer = writing(engine)
            self._engine = engine  # last: is_open and engine then see it ready

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self.open()
        assert self._engine is not None
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        if self._sessions is None:
            self.open()
        assert self._sessions is not None
        return self._sessions

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self, revision: str = "head") -> None:
        """Migrate to ``revision``."""
        self._migrate(self.engine, revision)

    def _migrate(self, engine: Engine, revision: str) -> None:
        """A database already at head is recognised with one query, without
        importing Alembic (a fifth of start-up)."""
        from sqlalchemy.exc import DBAPIError

        from tracker.db.engine import describe_db_error

        try:
            if revision == "head" and _revision(engine) == HEAD_REVISION:
                return
            from tracker.db import migrate

            migrate.upgrade(engine, self.where, revision)
        except DBAPIError as exc:
            raise DatabaseError(describe_db_error(exc, self.where)) from None

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session in a transaction: commit on success, roll back on error.

        Inside another unit of work in the same thread, it joins that one as
        a savepoint: its changes are committed with the outer unit (and its
        audit entries share the outer change id), or, if it fails, rolled
        back alone, leaving the outer unit to go on or fail as a whole. This
        is how a change made of several service calls (an undo, a form
        that saves a speaker and its aliases) is one unit of work."""
        outer: Session | None = getattr(self._local, "session", None)
        if outer is not None:
            with self._translating_errors(), outer.begin_nested():
                yield outer
            return
        sessions = self.sessions
        # A unit of work may write, so on SQLite it takes the write lock when
        # it begins (waiting for another writer), never part-way through.
        with (
            self._translating_errors(),
            sessions(bind=self._writer) as session,
            session.begin(),
        ):
            self._local.session = session
            try:
                yield session
            finally:
                self._local.session = None

    def in_unit_of_work(self) -> bool:
        """Whether this thread is inside a unit of work (whose changes only
        its own session sees)."""
        return getattr(self._local, "session", None) is not None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (nothing is committed). Inside a unit of
        work in the same thread, that unit's session, so its changes show."""
        outer: Session | None = getattr(self._local, "session", None)
        if outer is not None:
            with self._translating_errors():
                yield outer
            return
        sessions = self.sessions
        with self._translating_errors(), sessions() as session:
            yield session

    @contextmanager
    def _translating_errors(self) -> Iterator[None]:
        """Driver and ORM errors as :class:`~tracker.errors.TrackerError` messages."""
        from sqlalchemy.exc import DBAPIError, IntegrityError
        from sqlalchemy.orm.exc import StaleDataError

        from tracker.db.engine import describe_db_error

        try:
            yield
        except StaleDataError:
            raise ConflictError(
                "someone else changed this record since it was opened; reload it and try again"
            ) from None
        except IntegrityError as exc:
            raise ValidationError(f"not saved: {_integrity_message(exc)}") from None
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "22003":  # PostgreSQL: out of range
                raise ValidationError(
                    "not done: a number given is too large for the database"
                ) from None
            raise DatabaseError(describe_db_error(exc, self.where)) from None
        except OverflowError:
            # The driver cannot bind a whole number this large (an id or an
            # offset of 2**63 or more): it matches no record.
            raise ValidationError(
                "not done: a number given is too large (ids and offsets are below 2**63)"
            ) from None

    def close(self) -> None:
        with self._opening:
            if self._engine is not None:
                self._engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "alembic_version"):
            return None
        value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return str(value) if value is not None else None


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc.orig)
    if "UNIQUE" in text or "unique" in text:
        return f"a record with the same value exists already ({text})"
    if "FOREIGN KEY" in text or "foreign key" in text:
        return "it is still referred to by other records"
    return text

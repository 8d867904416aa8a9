"""What every command shares: the open database, and reading text typed or
piped in. What commands print is :mod:`tracker.cli.output`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from tracker.config import check_actor, current_user, database_url, default_db_path, to_url
from tracker.db.database import Database
from tracker.errors import DatabaseError, ValidationError

if TYPE_CHECKING:
    from tracker.services.fast_read import Snapshot

T = TypeVar("T")


class AppContext:
    """Opens the database on first use, so ``--help`` never touches it."""

    def __init__(self, db: str | None, user: str | None) -> None:
        self.db_option = db
        self.user = user
        self._db: Database | None = None

    @property
    def url(self) -> str:
        return database_url(self.db_option)

    @property
    def db(self) -> Database:
        return self.open_db()

    def open_db(self, *, lazy: bool = False) -> Database:
        """The database, opened now (and migrated), or with ``lazy`` when first used."""
        if self._db is None:
            self._db = self.new_database(lazy=lazy)
        return self._db

    def new_database(self, *, upgrade: bool = True, lazy: bool = False) -> Database:
        """A :class:`Database` for the URL. The default one (no ``--db``, no
        ``$TRACKER_DB``) lives in the user data folder, which a fresh account
        does not have yet: it is made, and a new database file is announced
        on stderr, so the user knows where their records are. A folder given
        with ``--db`` that does not exist stays an error (probably a typo)."""
        default = default_db_path()
        if self.url != to_url(str(default)):
            return Database(self.url, self.user, upgrade=upgrade, lazy=lazy)
        try:
            default.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"cannot create the folder for the database, {default.parent}: "
                f"{exc.strerror or exc}"
            ) from None
        existed = default.exists()
        database = Database(self.url, self.user, upgrade=upgrade, lazy=lazy)
        if not existed and default.exists():
            click.echo(f"tracker: created a new database at {default}", err=True)
        return database

    def read_directly(self, reader: Callable[[Snapshot], T | None]) -> T | None:
        """What ``reader`` finds in the database file read with plain sqlite3
        (:mod:`tracker.services.fast_read`: no SQLAlchemy, nothing opened,
        created or migrated), or None: the caller then asks the services
        (``self.db``), which open the database and report errors as usual.
        None for a database that is not a plain SQLite file at the expected
        revision, a record that is not there, or a database opened already."""
        if self._db is not None:
            return None
        url = self.url
        # What opening checks before any reading, so that a read fails alike.
        if self.user:
            check_actor(self.user, "the user name")
        else:
            current_user()
        # By its own name: `from tracker.services import ...` loads every service.
        from tracker.services.fast_read import read

        return read(url, reader)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


pass_app = click.make_pass_decorator(AppContext)


def read_text_arg(value: str) -> str:
    """``-`` means: read the text from standard input."""
    if value == "-":
        return read_stdin_text()
    return value


def read_stdin_text() -> str:
    """All of standard input, which must be UTF-8 text (else a ValidationError
    saying where the first bad byte is)."""
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # already text (an embedding program replaced stdin)
        return sys.stdin.read()
    return decode_utf8(binary.read(), "<stdin>")


def decode_utf8(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text, strictly: a ValidationError naming ``name``
    and the first byte that is not UTF-8 (counting from 1)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{name}: not UTF-8 text (bad byte 0x{data[exc.start]:02X} at byte {exc.start + 1})"
        ) from None

"""What every command shares: the open database, output helpers, errors."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.config import database_url, default_db_path, to_url
from tracker.db.database import Database
from tracker.display import SPECIAL_CHARACTERS, visible_pieces
from tracker.errors import DatabaseError, ValidationError
from tracker.services.records import to_jsonable


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

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


pass_app = click.make_pass_decorator(AppContext)

CONTROL_STYLE = "reverse"


def shown(value: object, style: str = "", *, single_line: bool = False) -> Text:
    """``value`` as Rich Text printed as stored: never markup, never emoji
    codes, control and invisible characters as visible symbols (the rule in
    :mod:`tracker.display`, shared with the terminal UI)."""
    text = Text(style=style, end="")
    for piece, is_symbol in visible_pieces(value, single_line=single_line):
        text.append(piece, style=CONTROL_STYLE if is_symbol else None)
    return text


class LiteralConsole(Console):
    """A Console that prints every ``str`` it is given as :func:`shown` text.

    Messages echo names and text from the database or the command line, so
    no string is ever read as markup or emoji codes, or reaches the terminal
    with an escape sequence in it. Rich objects (tables, Text) are printed as
    they are: build them from :func:`shown`."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(shown(o) if isinstance(o, str) else o for o in objects), **kwargs)


out = LiteralConsole(highlight=False, soft_wrap=False)
err = LiteralConsole(stderr=True, highlight=False)


def _escape_for_json(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:  # json.dumps escapes these in strings: this is layout
        return char
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON carrying the exact text, with every control or
    invisible character escaped (``\\u202e``), so that JSON read on a
    terminal cannot reorder or restyle it either."""
    dumped = json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent)
    return SPECIAL_CHARACTERS.sub(_escape_for_json, dumped)


def print_json(value: Any) -> None:
    click.echo(json_text(value, indent=2))


def json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


WIDE_COLUMNS = {"quote", "claim", "text", "title", "why", "aliases"}
NARROW_COLUMNS = {
    "id",
    "kind",
    "due",
    "status",
    "said",
    "mode",
    "score",
    "quotes",
    "published",
    "reports on",
}


def table(
    columns: Sequence[str], rows: Iterable[Sequence[object]], title: str | None = None
) -> None:
    """A Rich table whose cells are literal text (never markup)."""
    t = Table(title=title, show_lines=False, header_style="bold", expand=True)
    for column in columns:
        if column in WIDE_COLUMNS:
            t.add_column(column, overflow="fold", ratio=2)
        else:
            narrow = column in NARROW_COLUMNS
            t.add_column(
                column,
                overflow="fold",
                ratio=None if narrow else 1,
                no_wrap=narrow,
            )
    count = 0
    for row in rows:
        t.add_row(*(shown(v) for v in row))
        count += 1
    if count == 0:
        out.print(Text("(nothing)", style="dim"))
    else:
        out.print(t)


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

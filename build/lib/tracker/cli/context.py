"""What every command shares: the open database, output helpers, errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.config import database_url
from tracker.db.database import Database
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
            self._db = Database(self.url, self.user, lazy=lazy)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


pass_app = click.make_pass_decorator(AppContext)

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def print_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


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
        t.add_row(*(Text("" if v is None else str(v)) for v in row))
        count += 1
    if count == 0:
        out.print(Text("(nothing)", style="dim"))
    else:
        out.print(t)


def read_text_arg(value: str) -> str:
    """``-`` means: read the text from standard input."""
    if value == "-":
        return sys.stdin.read()
    return value

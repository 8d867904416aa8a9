"""Rich output for people: the console every command prints through, stored
text shown literally, and tables of records.

Kept apart from :mod:`tracker.cli.output` so that a command printing JSON
(``tracker show quote 12 --json``) does not import Rich: this module is
imported when something is printed for a person."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.cli.output import Column
from tracker.display import visible_pieces

T = TypeVar("T")

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


def table(records: Iterable[T], columns: Sequence[Column[T]], title: str | None = None) -> None:
    """``records`` as a Rich table, one row each, whose cells are literal
    text (never markup); ``(nothing)`` when there are none."""
    t = Table(title=title, show_lines=False, header_style="bold", expand=True)
    for header, _ in columns:
        if header in WIDE_COLUMNS:
            t.add_column(header, overflow="fold", ratio=2)
        else:
            narrow = header in NARROW_COLUMNS
            t.add_column(header, overflow="fold", ratio=None if narrow else 1, no_wrap=narrow)
    count = 0
    for record in records:
        t.add_row(*(shown(cell(record)) for _, cell in columns))
        count += 1
    if count == 0:
        out.print(Text("(nothing)", style="dim"))
    else:
        out.print(t)

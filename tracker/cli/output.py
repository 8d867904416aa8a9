"""What commands print, decided in one place: JSON for scripts, Rich for people.

Every command that lists or reports ends in :func:`emit`, which prints the
records as JSON with ``--json`` and otherwise as a table or a message.
Stored text is printed literally either way: in Rich output through
:func:`shown` (the rule in :mod:`tracker.display`, shared with the terminal
UI), in JSON with every control or invisible character escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, overload

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.display import SPECIAL_CHARACTERS, visible_pieces
from tracker.services.records import to_jsonable

T = TypeVar("T")

# A table column: its header, and how to get the cell from a record.
Column = tuple[str, Callable[[T], object]]

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


def json_option(func: Any) -> Any:
    """``--json``, for every command that lists or reports (passed as ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


@overload
def emit(
    data: Sequence[T],
    as_json: bool,
    *,
    columns: Sequence[Column[T]],
    title: str | None = None,
) -> None: ...


@overload
def emit(data: object, as_json: bool, *, human: str | Callable[[], object]) -> None: ...


def emit(
    data: Any,
    as_json: bool,
    *,
    columns: Sequence[Column[Any]] | None = None,
    title: str | None = None,
    human: str | Callable[[], object] | None = None,
) -> None:
    """Print what a command lists or reports.

    With ``as_json``: ``data`` (records, lists of them, dicts) as JSON.
    Otherwise a list of records is a table of ``columns`` (with ``title``),
    and anything else is ``human``: one line of text, or a function that
    prints the record for a person (:mod:`tracker.cli.render`)."""
    if as_json:
        click.echo(json_text(data, indent=2))
    elif columns is not None:
        table(data, columns, title=title)
    elif isinstance(human, str):
        # One line, wrapped by the terminal rather than cut by Rich, so a
        # long path or name stays whole for copying and grep.
        out.print(human, soft_wrap=True)
    elif human is not None:
        human()
    else:
        raise TypeError("emit() needs columns or human output")


def json_line(value: Any) -> None:
    """``value`` as one line of JSON (JSON Lines, for streams of results)."""
    click.echo(json_text(value))


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

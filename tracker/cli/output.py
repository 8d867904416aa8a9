"""What commands print, decided in one place: JSON for scripts, Rich for people.

Every command that lists or reports ends in :func:`emit`, which prints the
records as JSON with ``--json`` and otherwise as a table or a message.
Stored text is printed literally either way: in Rich output through
:func:`shown` (the rule in :mod:`tracker.display`, shared with the terminal
UI), in JSON with every control or invisible character escaped.

JSON needs neither Rich nor SQLAlchemy: the Rich side (the console ``out``,
:func:`shown`, :func:`table`) lives in :mod:`tracker.cli.console`, imported
when something is printed for a person; its names can still be imported
from here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click

from tracker.display import SPECIAL_CHARACTERS
from tracker.services.records import to_jsonable

if TYPE_CHECKING:
    from tracker.cli.console import CONTROL_STYLE, LiteralConsole, out, shown, table

__all__ = [
    "CONTROL_STYLE",
    "Column",
    "LiteralConsole",
    "emit",
    "json_line",
    "json_option",
    "json_text",
    "out",
    "shown",
    "table",
]

T = TypeVar("T")

# A table column: its header, and how to get the cell from a record.
Column = tuple[str, Callable[[T], object]]

_CONSOLE_NAMES = frozenset({"CONTROL_STYLE", "LiteralConsole", "out", "shown", "table"})


def __getattr__(name: str) -> Any:
    # The Rich side, imported when first asked for (tracker.cli.console).
    if name in _CONSOLE_NAMES:
        from tracker.cli import console

        return getattr(console, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        return
    from tracker.cli.console import out, table

    if columns is not None:
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

"""Turning text from the database into Rich ``Text`` that is safe to draw.

Text that came from a user or a file is never interpreted as markup, and
control and invisible format characters are drawn as visible symbols (ESC as
U+241B, an override as ``<U+202E>``), never sent to the terminal raw. Which
characters, and what is drawn instead, is decided in :mod:`tracker.display`
(shared with the command line); this module only styles the symbols. Every
widget that shows stored text goes through :func:`literal`."""

from __future__ import annotations

from typing import Literal

from rich.text import Text

from tracker.display import make_visible, may_change, visible_control, visible_pieces

__all__ = ["CONTROL_STYLE", "cell", "fit", "literal", "plain", "visible_control"]

CONTROL_STYLE = "reverse"


def literal(value: object, style: str = "", *, single_line: bool = False) -> Text:
    """``value`` as a Text drawn exactly as stored: no markup, controls made visible
    (in :data:`CONTROL_STYLE`).

    With ``single_line`` newlines and tabs become spaces (for table cells)."""
    raw = "" if value is None else str(value)
    if not may_change(raw):
        return Text(raw, style=style, no_wrap=single_line, end="")
    text = Text(style=style, no_wrap=single_line, end="")
    for piece, is_symbol in visible_pieces(raw, single_line=single_line):
        text.append(piece, style=CONTROL_STYLE if is_symbol else None)
    return text


def _cut(text: Text, width: int) -> None:
    """Cut ``text`` (in place) to ``width`` cells, the last one an ellipsis."""
    if width > 1:
        text.truncate(width - 1)
        text.append("…")
    else:
        text.truncate(max(0, width))


def cell(value: object, width: int | None = None, style: str = "") -> Text:
    """A one-line table cell, cut to ``width`` cells with an ellipsis."""
    text = literal(value, style, single_line=True)
    if width is not None and text.cell_len > width:
        _cut(text, width)
    return text


def fit(text: Text, width: int, justify: Literal["left", "right"] = "left") -> Text:
    """A copy of one-line ``text`` exactly ``width`` cells wide: cut with an
    ellipsis, or padded on the right (on the left when justified right)."""
    text = text.copy()
    length = text.cell_len
    if length > width:
        _cut(text, width)
    elif justify == "right":
        text.pad_left(width - length)
    else:
        text.pad_right(width - length)
    return text


def plain(value: object) -> str:
    """``value`` as a plain string with control characters made visible
    (for places that take a str and do not interpret markup)."""
    return make_visible(value)

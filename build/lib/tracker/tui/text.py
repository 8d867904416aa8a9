"""Turning text from the database into something safe to draw.

Text that came from a user or a file is never interpreted as markup, and
control characters are drawn as visible symbols (ESC as U+241B), never sent
to the terminal raw. Every widget that shows stored text goes through
:func:`literal`."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from rich.text import Text

# Bidirectional controls can reorder what follows them on screen; show them.
_BIDI = {
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
}
CONTROL_STYLE = "reverse"


def visible_control(char: str) -> str:
    """The symbol drawn for a control character: U+2400.. for C0, \\x.. for C1."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if char in _BIDI:
        return f"<U+{code:04X}>"
    return f"\\x{code:02x}"


def _is_control(char: str) -> bool:
    return char in _BIDI or unicodedata.category(char) == "Cc"


# Anything literal() changes: C0 (newline and tab included), DEL, C1 (the
# "Cc" category) and the bidirectional controls. Most text has none, and
# then it is used as it is.
_SPECIAL = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")


def literal(value: object, style: str = "", *, single_line: bool = False) -> Text:
    """``value`` as a Text drawn exactly as stored: no markup, controls made visible.

    With ``single_line`` newlines and tabs become spaces (for table cells)."""
    raw = "" if value is None else str(value)
    if _SPECIAL.search(raw) is None:
        return Text(raw, style=style, no_wrap=single_line, end="")
    text = Text(style=style, no_wrap=single_line, end="")
    start = 0
    for index, char in enumerate(raw):
        if char in "\n\t" and not single_line:
            continue
        if char in "\n\t" or _is_control(char):
            if start < index:
                text.append(raw[start:index])
            if char in "\n\t":
                text.append(" ")
            else:
                text.append(visible_control(char), style=CONTROL_STYLE)
            start = index + 1
    if start < len(raw):
        text.append(raw[start:])
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
    return literal(value).plain

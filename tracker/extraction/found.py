"""An attribution while the rules assemble it, and the small helpers the
rules share (offsets into the text throughout)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.extraction.model import Mode
from tracker.extraction.sources import Speaker
from tracker.extraction.text import Token

_STRIP = " \t\r\n,;:\u2014\u2013-"


@dataclass
class Found:
    """An attribution being assembled (offsets into the text)."""

    mode: Mode
    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    speaker: Speaker | None
    confidence: float
    paragraph: int = 0
    continuation: bool = False
    name: str | None = field(default=None)
    lower_start: bool = False


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without white space, commas, colons or dashes at its edges."""
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def char_range(toks: list[Token], pair: tuple[int, int] | None) -> tuple[int, int] | None:
    """The characters a token range [start, end) covers (None for none)."""
    if pair is None or pair[0] >= pair[1]:
        return None
    return (toks[pair[0]].start, toks[pair[1] - 1].end)

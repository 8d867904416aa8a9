"""An article's text cut into what the rules look at: paragraphs, sentences,
tokens and quotation regions, all as offsets into the text as given.

Nothing here reads a word's meaning; :mod:`tracker.extraction.lexicon`
holds the words the rules know.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from tracker.extraction.lexicon import ABBREVIATIONS, SENTENCE_STARTERS, SPEECH_VERBS

# Double quotation marks. True: the glyph opens, False: it closes, None:
# straight (decided by context, else by whether a quote is open).
DOUBLE_MARKS = {
    '"': None,
    "\u201c": True,
    "\u201e": True,
    "\u00ab": True,
    "\u201d": False,
    "\u00bb": False,
}
# Before an opening mark: a space, the start, or opening punctuation.
_OPEN_AFTER = set("([{\u2014\u2013-/:;,")

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., D.C., a.m.
    r"|[A-Z]\.(?=\s+[A-Z][a-z])"  # an initial: "Elijah E. Cummings"
    r"|\w+(?:['\u2019\-]\w+)*"  # words, with apostrophes and hyphens inside
    r"|\S"  # any other character on its own
)
# A sentence ends at . ? ! (or an ellipsis), with any closing marks after
# them, before white space and a capital, a digit or an opening mark.
_SENTENCE_END = re.compile(r"[.?!\u2026]+[\"\u201d\u2019')\]]*(?=\s+[\"\u201c\u2018'(\[A-Z0-9])")


_CLOSING_DOUBLE = '"\u201d'
# A short attribution after a closing quotation mark: "Clinton said." or
# "Rep. Elijah E. Cummings said,"
_ATTRIBUTION_AFTER = re.compile(
    r"\s+(?:[A-Z][\w.'\u2019-]*\s+){1,5}(?:"
    + "|".join(
        sorted(
            f for f in SPEECH_VERBS if f.endswith("ed") or f in ("said", "says", "told", "wrote")
        )
    )
    + r")\b(?:[.,]| in | on | at )"
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word or a punctuation mark: ``text == article[start:end]``;
    ``lower`` is its lower case (kept, as the rules ask for it often)."""

    start: int
    end: int
    text: str
    lower: str = ""

    def __post_init__(self) -> None:
        if not self.lower:
            object.__setattr__(self, "lower", self.text.lower())


@dataclass(frozen=True)
class Region:
    """A quotation in double marks: ``start`` at the opening mark, ``end``
    after the closing mark (or at the paragraph's end when it never closes)."""

    start: int
    end: int
    closed: bool

    @property
    def inner_start(self) -> int:
        return self.start + 1

    @property
    def inner_end(self) -> int:
        return self.end - 1 if self.closed else self.end


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words and punctuation of ``text[start:end]``; an abbreviation
    keeps its full stop ("Mr.", "Sen.")."""
    end = len(text) if end is None else end
    found: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        s, e = match.span()
        word = match.group()
        if found and s < found[-1].end:
            continue  # the full stop an abbreviation took
        if e < end and text[e] == "." and word.lower() in ABBREVIATIONS:
            e += 1
            word += "."
        elif found and word == "." and found[-1].end == s and found[-1].text.endswith("."):
            continue  # the stop of "U.S." at a sentence's end is already in it
        found.append(Token(s, e, word, word.lower()))
    return found


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The non-blank lines of the text, as (start, end) without the line
    break or surrounding white space."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        s, e = match.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            found.append((s, e))
    return found


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of one paragraph, as (start, end)."""
    found = []
    s = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _is_abbreviation_stop(text, start, match.start(), match.end()):
            continue
        if match.group()[-1] in _CLOSING_DOUBLE and _ATTRIBUTION_AFTER.match(text, match.end()):
            continue  # "...?" Clinton said.: the quotation's attribution goes with it
        e = match.end()
        found.append((s, e))
        s = e
        while s < end and text[s].isspace():
            s += 1
    if s < end:
        found.append((s, end))
    return found


def _is_abbreviation_stop(text: str, para_start: int, stop: int, after: int) -> bool:
    """A full stop that ends "Mr." or "J." rather than a sentence; "U.S."
    ends one only when a usual sentence opener follows."""
    if text[stop] != ".":
        return False
    word = re.search(r"[\w.]+$", text[max(para_start, stop - 40) : stop])
    if word is None:
        return False
    before = word.group().lower()
    if before in {a.rstrip(".") for a in ABBREVIATIONS}:
        return True
    if len(before) == 1 and before.isalpha():  # an initial: "George W. Bush"
        return True
    if "." in before:  # U.S., D.C.
        following = re.match(r"\s+[\"\u201c]?(\w+)", text[after : after + 40])
        return following is None or following.group(1) not in SENTENCE_STARTERS
    return False


def quote_regions(text: str, start: int, end: int) -> list[Region]:
    """The outermost double-quoted regions of one paragraph. A mark opens
    when it follows a space or opening punctuation and precedes a
    non-space, closes when it follows a non-space and precedes no letter or
    digit; when that does not decide, the glyph does (a straight mark closes
    an open quote). A quote still open at the paragraph's end runs to it."""
    found: list[Region] = []
    depth = 0
    opened = start
    for i in range(start, end):
        char = text[i]
        if char not in DOUBLE_MARKS:
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        opening = (prev.isspace() or prev in _OPEN_AFTER) and not nxt.isspace()
        closing = not prev.isspace() and not nxt.isalnum()
        if opening == closing:
            glyph = DOUBLE_MARKS[char]
            opening = glyph if glyph is not None else depth == 0
        if opening:
            if depth == 0:
                opened = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                found.append(Region(opened, i + 1, True))
    if depth:
        found.append(Region(opened, end, False))
    return sorted(found + _single_regions(text, start, end, found), key=lambda r: r.start)


_SINGLE_OPEN = "\u2018'"
_SINGLE_CLOSE = "\u2019'"


def _single_regions(text: str, start: int, end: int, double: list[Region]) -> list[Region]:
    """Quotations in single marks outside the double ones, only where clearly
    paired ("‘Reclaim Our Schools.’" in a headline): an opening mark after a
    space, opening punctuation or the start and before a letter, closed by the
    next closing mark after a non-space and before no letter or digit (so
    "don't" and "it's" are never quotations)."""
    found: list[Region] = []
    opened: int | None = None
    for i in range(start, end):
        char = text[i]
        if char not in _SINGLE_OPEN and char not in _SINGLE_CLOSE:
            continue
        if any(r.start <= i < r.end for r in double):
            opened = None
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if opened is None:
            if char in _SINGLE_OPEN and (prev.isspace() or prev in _OPEN_AFTER) and nxt.isalpha():
                opened = i
        elif char in _SINGLE_CLOSE and not prev.isspace() and not nxt.isalnum():
            found.append(Region(opened, i + 1, True))
            opened = None
    return found


class Layout:
    """Paragraphs, sentences and quotation regions of a whole text, with
    look-ups by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs = paragraphs(text)
        self.sentences: list[tuple[int, int]] = []
        self.sentence_paragraph: list[int] = []
        self.regions: list[Region] = []
        self.region_paragraph: list[int] = []
        for number, (s, e) in enumerate(self.paragraphs):
            for sentence in sentences(text, s, e):
                self.sentences.append(sentence)
                self.sentence_paragraph.append(number)
            for region in quote_regions(text, s, e):
                self.regions.append(region)
                self.region_paragraph.append(number)
        self._sentence_starts = [s for s, _ in self.sentences]
        self._paragraph_starts = [s for s, _ in self.paragraphs]
        # regions do not overlap: sorted by start, they are sorted by end too
        self._region_starts = [r.start for r in self.regions]
        self._region_ends = [r.end for r in self.regions]

    def sentence_at(self, offset: int) -> int:
        """The index of the sentence holding ``offset`` (or just before it)."""
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def paragraph_at(self, offset: int) -> int:
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def in_region(self, offset: int) -> Region | None:
        """The quotation region holding ``offset``, if any."""
        index = bisect_right(self._region_starts, offset) - 1
        if index >= 0 and offset < self.regions[index].end:
            return self.regions[index]
        return None

    def overlaps_region(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a quotation region."""
        index = bisect_left(self._region_starts, end) - 1
        return index >= 0 and self.regions[index].end > start

    def last_region_end(self, start: int, end: int) -> int | None:
        """The end of the last region ending within [start, end], if any."""
        index = bisect_right(self._region_ends, end) - 1
        if index >= 0 and self._region_ends[index] >= start:
            return self._region_ends[index]
        return None

    def first_region_start(self, start: int, end: int) -> int | None:
        """The start of the first region starting within [start, end), if any."""
        index = bisect_left(self._region_starts, start)
        if index < len(self.regions) and self._region_starts[index] < end:
            return self._region_starts[index]
        return None

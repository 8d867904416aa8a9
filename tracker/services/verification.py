"""Is a quote really in its source's text? ``verbatim``, ``altered`` or
``not_found`` (``no_text`` when there is no text to check against).

Both texts are normalised first (:func:`normalise`): typographic quotation
marks to plain ``'`` and ``"``, dashes to ``-``, ``…`` to ``...``, runs of
whitespace to one space, and lower case. A quote whose normalised text occurs
in the normalised source is ``verbatim``. Otherwise rapidfuzz's
``partial_ratio_alignment`` finds the closest passage; the passage is
widened to whole words and trimmed to the words that match the quote's, and
if its similarity to the quote (``fuzz.ratio`` of their normalised words,
quotation marks around words left out, 0-100) is at least :data:`ALTERED_THRESHOLD` the quote is ``altered``, with
the word-level difference; below, ``not_found``.

``start``/``end`` are character offsets into the source text as stored
(a map from normalised to original positions is kept while normalising), so
``full_text[start:end]`` is the passage.

Results are derived data: :func:`verify_quotes` stores them on the quote
with a plain UPDATE that neither bumps the quote's ``version`` nor writes an
audit entry (``tracker undo`` never takes a check back), with a digest of
the two texts checked; :func:`is_stale` compares that digest with the
current texts."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import cast

from tracker.db.database import Database
from tracker.errors import NotFoundError
from tracker.services.validation import clean_id

VERBATIM = "verbatim"
ALTERED = "altered"
NOT_FOUND = "not_found"
NO_TEXT = "no_text"
STATUSES = (VERBATIM, ALTERED, NOT_FOUND, NO_TEXT)

# The least similarity (0-100) of the closest passage for ``altered``;
# below it the quote is ``not_found``.
ALTERED_THRESHOLD = 75.0

# Every quotation mark, single or double, straight or curly, folds to one
# (a quote printed with "double" marks inside a source with 'single' ones is
# the same words), and so does the apostrophe.
_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a\u0060\u00b4", "'"),
    **dict.fromkeys('"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb', "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
}
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Change:
    """One difference between the quote's words and the passage's.

    ``op``: ``removed`` (words of the source left out of the quote),
    ``added`` (words of the quote not in the source) or ``changed``;
    ``quote`` and ``source`` are the words on each side ("" when none)."""

    op: str
    quote: str
    source: str


@dataclass(frozen=True)
class Verification:
    status: str
    start: int | None = None
    end: int | None = None
    similarity: float | None = None
    diff: tuple[Change, ...] = field(default=())


@dataclass(frozen=True)
class Checked:
    """A quote checked by :func:`verify_quotes` (or read back with its
    stored result): ``stale`` when its text or its source's changed since."""

    quote_id: int
    status: str
    start: int | None
    end: int | None
    similarity: float | None
    difference: tuple[Change, ...]
    stale: bool = False


# The marks and dashes of _FOLD that stay one character, and whitespace other
# than a space: few in a text, so regular expressions find them (faster than
# str.translate with a table, which looks up every character).
_ONE_FOR_ONE = {k: v for k, v in _FOLD.items() if len(v) == 1}
_MARK = re.compile("[" + re.escape("".join(_ONE_FOR_ONE)) + "]")
_OTHER_SPACE = re.compile(r"[^\S ]")
_SPACES = re.compile(r" {2,}")


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` normalised for comparison, and for each of its characters
    the index in ``text`` it comes from."""
    folded = _MARK.sub(lambda m: _ONE_FOR_ONE[m.group()], _OTHER_SPACE.sub(" ", text)).lower()
    if len(folded) == len(text) and "\u2026" not in text:
        # Each character stays one character: only runs of two or more
        # spaces move positions, so the map is built a run at a time.
        pieces: list[str] = []
        where: list[int] = []
        at = 0
        for run in _SPACES.finditer(folded):
            pieces.append(folded[at : run.start()])
            where.extend(range(at, run.start()))
            pieces.append(" ")
            where.append(run.start())
            at = run.end()
        pieces.append(folded[at:])
        where.extend(range(at, len(folded)))
        return "".join(pieces), where
    return _normalise_slowly(text)


def _normalise_slowly(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, char in enumerate(text):
        if char.isspace():
            if not in_space:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        folded = _FOLD.get(char, char).lower()
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


@functools.lru_cache(maxsize=8)
def _normalised_source(text: str) -> tuple[str, list[int]]:
    # Many quotes share a source (verify_quotes goes through them by id): a
    # source is normalised once, not once per quote. Callers never mutate it.
    return normalise(text)


@functools.lru_cache(maxsize=65536)
def _key(word: str) -> str:
    return normalise(word)[0]


def digest(quote_text: str, source_text: str | None) -> str:
    """A fingerprint of the two texts a check was made on."""
    h = hashlib.sha256()
    h.update(quote_text.encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update((source_text or "").encode("utf-8", "surrogatepass"))
    return h.hexdigest()


_MARKS = frozenset("'\"" + "".join(k for k, v in _FOLD.items() if v in ("'", '"')))


def _words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` with their offsets in ``text``;
    quotation marks around a word are not part of it."""
    end = len(text) if end is None else end
    found = []
    for m in _WORD.finditer(text, start, end):
        a, b = m.start(), m.end()
        while a < b and text[a] in _MARKS:
            a += 1
        while b > a and text[b - 1] in _MARKS:
            b -= 1
        if a < b:
            found.append((a, b, text[a:b]))
    return found


def _difference(quote: list[str], passage: list[str]) -> tuple[Change, ...]:
    matcher = SequenceMatcher(
        None, [_key(w) for w in quote], [_key(w) for w in passage], autojunk=False
    )
    changes = []
    for op, q1, q2, p1, p2 in matcher.get_opcodes():
        if op == "equal":
            continue
        name = {"replace": "changed", "delete": "added", "insert": "removed"}[op]
        changes.append(Change(name, " ".join(quote[q1:q2]), " ".join(passage[p1:p2])))
    return tuple(changes)


def _find_whole(source: str, quote: str) -> int:
    """Where ``quote`` stands in ``source`` as whole words ("ear" is not in
    "year"), or -1."""
    at = source.find(quote)
    while at >= 0:
        end = at + len(quote)
        cut_before = at > 0 and quote[0].isalnum() and source[at - 1].isalnum()
        cut_after = end < len(source) and quote[-1].isalnum() and source[end].isalnum()
        if not cut_before and not cut_after:
            return at
        at = source.find(quote, at + 1)
    return -1


def verify_text(quote_text: str, source_text: str | None) -> Verification:
    """Where ``quote_text`` is in ``source_text``, and how faithfully."""
    if not source_text or not source_text.strip():
        return Verification(NO_TEXT)
    from rapidfuzz import fuzz

    # Quotation marks around the whole quote are not part of it.
    quote = normalise(quote_text)[0].strip(" '\"")
    source, where = _normalised_source(source_text)
    if not quote:
        return Verification(NOT_FOUND, similarity=0.0)
    at = _find_whole(source, quote)
    if at >= 0:
        return Verification(VERBATIM, where[at], where[at + len(quote) - 1] + 1, 100.0)
    aligned = fuzz.partial_ratio_alignment(quote, source)
    if aligned is None or aligned.dest_end <= aligned.dest_start:
        return Verification(NOT_FOUND, similarity=0.0)
    # The aligned window has the quote's length; widen it by a third of that
    # on each side (words may have been left out or added), to whole words.
    margin = len(quote) // 3 + 1
    lo = where[max(0, aligned.dest_start - margin)]
    hi = where[min(len(source), aligned.dest_end + margin) - 1] + 1
    while lo > 0 and not source_text[lo - 1].isspace():
        lo -= 1
    while hi < len(source_text) and not source_text[hi].isspace():
        hi += 1
    window = _words(source_text, lo, hi)
    quote_words = [w[2] for w in _words(quote_text)]
    matcher = SequenceMatcher(
        None, [_key(w) for w in quote_words], [_key(w[2]) for w in window], autojunk=False
    )
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return Verification(NOT_FOUND, similarity=round(aligned.score, 1))
    first, last = blocks[0].b, blocks[-1].b + blocks[-1].size - 1
    # Words of the quote before its first match (or after its last) stand
    # against the source's words just outside the matched run.
    first = max(0, first - blocks[0].a)
    last = min(len(window) - 1, last + (len(quote_words) - blocks[-1].a - blocks[-1].size))
    start, end = window[first][0], window[last][1]
    passage_words = [w[2] for w in window[first : last + 1]]
    # Compared word by word, quotation marks around words left out.
    similarity = round(
        fuzz.ratio(
            " ".join(_key(w) for w in quote_words), " ".join(_key(w) for w in passage_words)
        ),
        1,
    )
    if similarity < ALTERED_THRESHOLD:
        return Verification(NOT_FOUND, similarity=similarity)
    changes = _difference(quote_words, passage_words)
    if not changes:  # the same words, differing only in spacing or punctuation marks
        return Verification(ALTERED, start, end, similarity)
    return Verification(ALTERED, start, end, similarity, changes)


def _checked(quote_id: int, found: Verification, stale: bool = False) -> Checked:
    return Checked(
        quote_id, found.status, found.start, found.end, found.similarity, found.diff, stale
    )


def verify_quotes(db: Database, quote_id: int | None = None) -> list[Checked]:
    """Check one quote (or every quote) against its source's text and store
    the results, in one unit of work. A NotFoundError for an unknown id."""
    from sqlalchemy import Table, bindparam, select, update

    from tracker.db.models import Quote, Source

    wanted = None if quote_id is None else clean_id(quote_id, "quote id")
    quotes = cast(Table, Quote.__table__)
    query = (
        select(Quote.id, Quote.text, Source.full_text)
        .outerjoin(Source, Source.id == Quote.source_id)
        .order_by(Quote.id)
    )
    if wanted is not None:
        query = query.where(Quote.id == wanted)
    results: list[Checked] = []
    with db.unit_of_work() as session:
        rows = session.execute(query).all()
        if wanted is not None and not rows:
            raise NotFoundError(f"there is no quote with id {quote_id}", "quote")
        now = dt.datetime.now(dt.UTC)
        stored = []
        for qid, text, full_text in rows:
            found = verify_text(text, full_text)
            results.append(_checked(qid, found))
            stored.append(
                {
                    "qid": qid,
                    "verify_status": found.status,
                    "verify_start": found.start,
                    "verify_end": found.end,
                    "verify_similarity": found.similarity,
                    "verify_checked_at": now,
                    "verify_digest": digest(text, full_text),
                }
            )
        if stored:
            # A plain UPDATE: derived data, so neither ``version`` nor
            # ``updated_at`` moves and no audit entry is written.
            statement = (
                update(quotes)
                .where(quotes.c.id == bindparam("qid"))
                .values(
                    {name: bindparam(name) for name in stored[0] if name != "qid"}
                    | {"updated_at": quotes.c.updated_at}
                )
            )
            session.execute(statement, stored)
    return results


def is_stale(stored_digest: str | None, quote_text: str, source_text: str | None) -> bool:
    """Whether a stored check no longer describes these texts."""
    return stored_digest is not None and stored_digest != digest(quote_text, source_text)


def stored_check(db: Database, quote_id: int) -> Checked | None:
    """The stored result of the last check of a quote (None if never
    checked), ``stale`` when the texts changed since. The difference is not
    stored: it is recomputed here for an ``altered`` quote that is not stale."""
    from sqlalchemy import select

    from tracker.db.models import Quote, Source

    query = (
        select(
            Quote.text,
            Source.full_text,
            Quote.verify_status,
            Quote.verify_start,
            Quote.verify_end,
            Quote.verify_similarity,
            Quote.verify_digest,
        )
        .outerjoin(Source, Source.id == Quote.source_id)
        .where(Quote.id == clean_id(quote_id, "quote id"))
    )
    with db.reading() as session:
        row = session.execute(query).first()
    if row is None:
        raise NotFoundError(f"there is no quote with id {quote_id}", "quote")
    text, full_text, status, start, end, similarity, stored_digest = row
    if status is None:
        return None
    stale = is_stale(stored_digest, text, full_text)
    difference: tuple[Change, ...] = ()
    if status == ALTERED and not stale:
        difference = verify_text(text, full_text).diff
    return Checked(quote_id, status, start, end, similarity, difference, stale)


def describe(changes: tuple[Change, ...]) -> str:
    """The word difference in one line of plain text, for people:
    ``"never" for "NOT"; left out "quietly"; added "angrily"``."""
    parts = []
    for change in changes:
        if change.op == "changed":
            parts.append(f"\u201c{change.quote}\u201d for \u201c{change.source}\u201d")
        elif change.op == "removed":
            parts.append(f"left out \u201c{change.source}\u201d")
        else:
            parts.append(f"added \u201c{change.quote}\u201d")
    return "; ".join(parts)

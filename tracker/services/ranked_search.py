"""Search across quotes, claims and speakers, best matches first.

Ranking every match before taking the first page costs as much as there
are matches (a quarter of a million quotes for a common word). So the
ranking is done within a window: the newest :data:`WINDOW` matches (below
the window's top), which the full-text index yields newest first without
reading the rest (:func:`tracker.db.search.matching_ids`). The order, the
same on SQLite and PostgreSQL because it is computed here from the texts:

1. Windows go from the newest matches to the oldest: every match of a
   window comes before every match of the next, older one. A search with
   at most :data:`WINDOW` matches is one window, ranked as a whole.
2. Within a window, by score, highest first: BM25's term part (Robertson
   and Zaragoza), summed over the words searched, ``tf * (k1 + 1) / (tf +
   k1 * (1 - b + b * length / average length))`` with ``k1`` 1.2 and ``b``
   0.75, where ``tf`` is how often the word appears in the record's text
   (for the last word, words beginning with it), ``length`` is the text's
   number of words and the average is over the window. Every searched word
   appears in every match, so there is no rarity weight (BM25's IDF): more
   occurrences, in a shorter text, rank higher.
3. Equal scores: newer (higher id) first.

A page's cursor names its window (the id it starts below) and how many of
the window's ranked matches came before: the next page continues exactly
where the last one stopped, as long as the window's records are not edited
in between; records added since are above the window and do not move it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    bindparam,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from tracker.db import search as fts
from tracker.db.database import Database
from tracker.db.models import Claim, Quote, Speaker
from tracker.errors import ValidationError
from tracker.services.conditions import claim_conditions, quote_conditions
from tracker.services.filters import Filters
from tracker.services.records import SearchHit

KINDS = ("quote", "claim", "speaker")
WINDOW = 500  # matches ranked together (newest first)
K1 = 1.2
B = 0.75
_TERM = re.compile(r"[^\W_]+")  # letters and digits, as the indexes split words


@dataclass(frozen=True)
class SearchPage:
    """One page of ranked hits of one kind. ``next_cursor`` goes to the
    next call's ``after``; ``None`` means this is the last page."""

    items: tuple[SearchHit, ...]
    next_cursor: str | None = None


def search(
    db: Database,
    text: str,
    filters: Filters | None = None,
    *,
    kinds: Iterable[str] = KINDS,
    limit: int = 50,
) -> list[SearchHit]:
    """Full-text search: every word must appear (the last may be a prefix).

    Hits come grouped by kind (quotes, claims, speakers), each kind's best
    first (the order is in this module's docstring). Filters that only make
    sense for one kind (claim kind, status, quote mode) leave the other
    kinds out; speaker hits are left out whenever a filter narrows records."""
    _check_words(text)
    f = (filters or Filters()).validated()
    wanted = _kinds(kinds)
    limit = max(1, min(limit, 1000))
    searched = [kind for kind in wanted if _left_out(kind, f) is None]
    if APART and len(searched) > 1 and db.dialect == "postgresql" and not db.in_unit_of_work():
        hits = _ranked_apart(db, text, searched, f, limit)
    else:
        with db.reading() as session:
            found = [
                (kind, _ranked(session, text, kind, f, None, 0, limit)[0]) for kind in searched
            ]
            hits = _hits(session, found)
    return hits[:limit] if len(wanted) == 1 else hits


# On PostgreSQL each kind's matches, and then its hits, are found on a
# connection of its own, at the same time: the server's work for three kinds
# (most of a search's time there) then takes about as long as the longest,
# not their sum. Not inside a unit of work, whose uncommitted changes only
# its own connection sees.
APART = True


def _ranked_apart(
    db: Database, text: str, kinds: list[str], f: Filters, limit: int
) -> list[SearchHit]:
    def one(kind: str) -> list[SearchHit]:
        with db.reading() as session:
            ids = _ranked(session, text, kind, f, None, 0, limit)[0]
            return _hits(session, [(kind, ids)])

    with ThreadPoolExecutor(max_workers=len(kinds), thread_name_prefix="search") as pool:
        return [hit for hits in pool.map(one, kinds) for hit in hits]


def search_page(
    db: Database,
    text: str,
    kind: str,
    filters: Filters | None = None,
    *,
    after: str | None = None,
    limit: int = 50,
) -> SearchPage:
    """One page of ``kind`` hits, best first; ``after`` is the previous
    page's ``next_cursor``. A filter that cannot apply to ``kind`` is
    refused."""
    _check_words(text)
    f = (filters or Filters()).validated()
    (kind,) = _kinds([kind])
    reason = _left_out(kind, f)
    if reason is not None:
        raise ValidationError(reason, "filters")
    top, skip = _read_cursor(after)
    limit = max(1, min(limit, 1000))
    with db.reading() as session:
        ids, cursor = _ranked(session, text, kind, f, top, skip, limit)
        hits = _hits(session, [(kind, ids)])
    return SearchPage(tuple(hits), cursor)


def _check_words(text: str) -> None:
    if not fts.words(text or ""):
        raise ValidationError("give some words to search for", "text")


def _kinds(kinds: Iterable[str]) -> list[str]:
    given = set(kinds)
    unknown = given - set(KINDS)
    if unknown:
        raise ValidationError(
            f"cannot search {', '.join(sorted(unknown))}; use quote, claim or speaker", "kind"
        )
    return [k for k in KINDS if k in given]


def _left_out(kind: str, f: Filters) -> str | None:
    """Why filters ``f`` leave ``kind`` out of a search, or None."""
    if kind == "quote" and f.only_claims():
        return "claim kind, status and due date narrow claims, not quotes"
    if kind == "claim" and f.only_quotes():
        return "the quote mode narrows quotes, not claims"
    if kind == "speaker" and f.narrows_records():
        return "filters narrow quotes and claims, not speakers"
    return None


def _read_cursor(after: str | None) -> tuple[int | None, int]:
    if after is None:
        return None, 0
    top, dot, skip = after.partition(".")
    if not (dot and top.isdigit() and skip.isdigit() and len(after) < 40):
        raise ValidationError(f"{after!r} is not a search page's cursor", "after")
    return (int(top) or None), int(skip)


def _ranked(
    session: Session,
    text: str,
    kind: str,
    f: Filters,
    top: int | None,
    skip: int,
    limit: int,
) -> tuple[list[int], str | None]:
    """The ids of ``limit`` hits from window ``top`` on, after the first
    ``skip`` of it; and the cursor of what follows."""
    ids: list[int] = []
    terms = _query_terms(text)
    while True:
        found = _window(session, text, kind, f, top, WINDOW)
        window = [i for i, _ in found]
        if top is None and window:
            top = window[0] + 1  # pinned: records added later stay out of it
        order = _rank(found, terms)
        taken = order[skip : skip + limit - len(ids)]
        ids += taken
        skip += len(taken)
        older = len(window) == WINDOW
        if skip < len(order):
            cursor: str | None = f"{top or 0}.{skip}"
            break
        if not older:
            cursor = None  # the last window, read to its end
            break
        top, skip = min(window), 0
        if len(ids) == limit:
            # A full page at a window's end: is there an older match at all?
            more = _window(session, text, kind, f, top, 1)
            cursor = f"{top}.0" if more else None
            break
    return ids, cursor


def _kind(kind: str) -> fts.Kind:
    return "quote" if kind == "quote" else "claim" if kind == "claim" else "speaker"


def _window(
    session: Session, text: str, kind: str, f: Filters, top: int | None, size: int
) -> list[tuple[int, str]]:
    """The newest ``size`` matches below ``top`` (that pass the filters),
    newest first, with their searched texts."""
    conds: list[ColumnElement[bool]] = []
    if kind == "quote":
        conds = quote_conditions(f)
    elif kind == "claim":
        conds = claim_conditions(f)
    if not conds:
        return fts.matching_texts(session, text, _kind(kind), before=top, limit=size)
    # Filters drive (they use the table's indexes); each candidate is
    # checked against the matches, as the lists do.
    model = Quote if kind == "quote" else Claim
    sub = fts.matching(session, text, _kind(kind))
    assert sub is not None
    stmt = select(model.id).where(*conds, model.id.in_(select(sub.c.ref_id)))
    if top is not None:
        stmt = stmt.where(model.id < top)
    ids = list(session.scalars(stmt.order_by(model.id.desc()).limit(size)))
    texts = fts.searched_texts(session, _kind(kind), ids)
    return [(i, texts.get(i, "")) for i in ids]


def _fold(text: str) -> str:
    """Lower case without diacritics, as both indexes compare words."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _query_terms(text: str) -> list[tuple[str, bool]]:
    """The searched words, folded, each with whether it may be a prefix."""
    words = fts.words(text)
    prefix = len(words[-1]) >= fts.MIN_PREFIX
    terms = [(t, False) for w in words[:-1] for t in _TERM.findall(_fold(w))]
    last = _TERM.findall(_fold(words[-1]))
    terms += [(t, prefix and i == len(last) - 1) for i, t in enumerate(last)]
    return terms


def _rank(found: Sequence[tuple[int, str]], terms: list[tuple[str, bool]]) -> list[int]:
    """The window's ids, best first (see the module's docstring)."""
    # Each text as its words between spaces, two between neighbours, so
    # that counting " word " counts every occurrence and " word" every
    # word that begins so (bytes.count runs in C; a regex per word did not).
    # UTF-8, so that an ASCII text (most) is split by bytes.translate, four
    # times quicker than the regex; counts of a needle that starts with a
    # space are the same in UTF-8 as in the text.
    spaced: dict[int, tuple[bytes, int]] = {}
    for i, body in found:
        if body.isascii():
            parts = body.encode().translate(_ASCII_SPACED).split()
        else:
            parts = [t.encode() for t in _TERM.findall(_fold(body))]
        spaced[i] = (b" " + b"  ".join(parts) + b" ", len(parts))
    average = max(1.0, sum(n for _, n in spaced.values()) / max(1, len(spaced)))
    needles = [(" " + term + ("" if prefix else " ")).encode() for term, prefix in terms]
    scores: dict[int, float] = {}
    for i, (words, length) in spaced.items():
        norm = K1 * (1 - B + B * length / average)
        score = 0.0
        for needle in needles:
            tf = words.count(needle)
            score += tf * (K1 + 1) / (tf + norm)
        scores[i] = score
    return sorted(scores, key=lambda i: (-scores[i], -i))


def _ascii_spaced() -> bytes:
    """A bytes.translate table: ASCII letters lowercased, digits kept,
    every other byte a space (an ASCII text's words, as ``_TERM`` finds
    them in its folded text, are then what ``split()`` returns)."""
    table = bytearray(b" " * 256)
    for c in b"abcdefghijklmnopqrstuvwxyz0123456789":
        table[c] = c
    for c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[c] = c + 32
    return bytes(table)


_ASCII_SPACED = _ascii_spaced()


def _hits(session: Session, found: list[tuple[str, list[int]]]) -> list[SearchHit]:
    """The records of each kind's ids as hits, kind after kind, each in
    its order: the columns a hit shows, for every kind in one statement
    (on PostgreSQL each statement is a round trip to the server)."""
    shown = [(kind, ids) for kind, ids in found if ids]
    if not shown:
        return []
    statement = _hits_statement(tuple(kind for kind, _ in shown))
    # Through the connection: Core rows, none of the ORM's result handling.
    result = session.connection().execute(statement, {f"{k}_ids": ids for k, ids in shown})
    rows = {
        (str(k), int(i)): SearchHit(str(k), int(i), str(t), name, who, said)
        for k, i, t, name, who, said in result
    }
    return [rows[(kind, i)] for kind, ids in found for i in ids if (kind, i) in rows]


@lru_cache(maxsize=16)
def _hits_statement(kinds: tuple[str, ...]) -> Select[Any] | CompoundSelect[Any]:
    """The statement of :func:`_hits` for these kinds, their ids the
    parameters ``:quote_ids``, ``:claim_ids``, ``:speaker_ids``: built
    once (building it for every search cost a millisecond of CPU)."""
    parts: list[Select[Any]] = []
    for kind in kinds:
        ids: BindParameter[int] = bindparam(f"{kind}_ids", expanding=True)
        if kind == "quote":
            parts.append(
                select(literal("quote"), Quote.id, Quote.text, Speaker.name)
                .add_columns(Quote.speaker_id, Quote.said_on)
                .join(Speaker, Speaker.id == Quote.speaker_id)
                .where(Quote.id.in_(ids))
            )
        elif kind == "claim":
            parts.append(
                select(literal("claim"), Claim.id, Claim.text, Speaker.name)
                .add_columns(Claim.claimant_id, Claim.said_on)
                .outerjoin(Speaker, Speaker.id == Claim.claimant_id)
                .where(Claim.id.in_(ids))
            )
        else:
            none = null().cast(String)
            parts.append(
                select(literal("speaker"), Speaker.id, Speaker.name, none)
                .add_columns(Speaker.id, none)
                .where(Speaker.id.in_(ids))
            )
    return parts[0] if len(parts) == 1 else union_all(*parts)

"""Full-text search over quote text, claim text and speaker names/aliases.

This is the only module that knows which database it is talking to for
search. On SQLite it uses an FTS5 table, ``search_index``, created by the
migrations and kept in sync on every flush by a session hook (so every
write made through the ORM, in any service, updates it in the same
transaction). On PostgreSQL each searchable text has a stored generated
``tsvector`` column, ``search_vector``, with a GIN index (migration 0006):
the server keeps it current on every write. Other databases fall back to
portable ``LIKE`` matching.

The meaning is the same on both: every word of the query must appear (a
word is a run of letters and digits; case and diacritics do not count),
the last one may be a prefix of two letters or more (search as you type).

Text typed by a user is never query syntax: it is split into words and
each word is quoted (FTS5) or turned into a query by the server's own
functions from a bound parameter (PostgreSQL), so ``"``, ``*``, ``:``,
``&``, ``!``, ``NEAR`` or ``OR`` are just text.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Engine,
    Float,
    Integer,
    Select,
    Subquery,
    Text,
    bindparam,
    case,
    cast,
    func,
    intersect,
    literal,
    literal_column,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal

from tracker.db.models import Claim, Quote, Speaker, SpeakerAlias

Kind = Literal["quote", "claim", "speaker"]
TABLE = "search_index"
_CODES: dict[str, int] = {"quote": 1, "claim": 2, "speaker": 3}
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_PREFIX = 2  # letters typed before the last word matches as a prefix


VECTOR = "search_vector"  # PostgreSQL: the tsvector column of each searchable table


def is_search_table(name: str) -> bool:
    """Tables that belong to full-text search (FTS5 and its shadow tables)."""
    return name == TABLE or name.startswith(TABLE + "_")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's comparison of the database with the models: leave out
    what search adds outside the models (FTS5 tables on SQLite; the
    ``search_vector`` columns and their GIN indexes on PostgreSQL), which
    migrations create with dialect-specific DDL."""
    if name is None:
        return True
    if type_ == "table":
        return not is_search_table(name)
    if type_ == "column":
        return name != VECTOR
    if type_ == "index":
        return not name.endswith("_" + VECTOR)
    return True


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _uses_fts5(session: Session) -> bool:
    return _dialect(session) == "sqlite"


def words(query: str) -> list[str]:
    """The words of a search query, as the index splits them."""
    return _WORD.findall(query)


def fts5_query(query: str, prefix_last: bool = True) -> str | None:
    """Build a safe FTS5 MATCH expression: every word must appear; the last
    word may be a prefix (the user may still be typing it)."""
    tokens = words(query)
    if not tokens:
        return None
    parts = ['"' + t.replace('"', '""') + '"' for t in tokens]
    # A one-letter prefix would merge the doclists of every word starting
    # with it (over 100 ms on a million quotes, for a result nobody reads),
    # so prefixes start counting from the second letter.
    if prefix_last and len(tokens[-1]) >= MIN_PREFIX:
        parts[-1] += "*"
    return " ".join(parts)


# FTS5's prefix indexes (migration 0002: ``prefix = '2 3'``) answer a
# two- or three-letter last word at once. A longer one has no prefix index:
# FTS5 would merge the doclists of every word it begins into one list before
# returning a row (16-24 ms for "killer", a quarter of a million quotes,
# paid again by each statement). When the index's vocabulary holds at most
# EXPAND_MAX words that begin so, the prefix is searched as those words
# joined with OR, which FTS5 walks newest first and stops (1-2 ms); the
# matches are the same, the prefix being exactly those words.
INDEXED_PREFIXES = (2, 3)
EXPAND_MAX = 32
VOCAB = TABLE + "_vocab"  # temp.search_index_vocab: FTS5's vocabulary, per connection
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
# The words of the index from :low up to :high, one seek each: the
# ``instance`` vocabulary starts at the first entry of the first word at or
# after its bound (the ``row`` one would count every word's matches first,
# 6 ms for "killer"); a word followed by char(1), which no word holds (the
# tokenizer splits at control characters), is a bound just past it.
_VOCAB_WORDS = text(
    "WITH RECURSIVE found(term) AS ("
    f" SELECT (SELECT term FROM temp.{VOCAB} WHERE term >= :low AND term < :high LIMIT 1)"
    " UNION ALL"
    f" SELECT (SELECT v.term FROM temp.{VOCAB} v"
    "  WHERE v.term >= found.term || char(1) AND v.term < :high LIMIT 1)"
    " FROM found WHERE found.term IS NOT NULL LIMIT :n"
    ") SELECT term FROM found WHERE term IS NOT NULL"
)


def _fts5_expr(session: Session, query: str, prefix_last: bool = True) -> str | None:
    """:func:`fts5_query`, with a last-word prefix longer than the prefix
    indexes cover written as the words of the index it begins (when they
    are few)."""
    expr = fts5_query(query, prefix_last)
    tokens = words(query)
    if expr is None or not (prefix_last and len(tokens[-1]) > max(INDEXED_PREFIXES)):
        return expr
    last = tokens[-1]
    # Only a word of ASCII letters and digits: FTS5 folds it by lowercasing
    # alone, so the index's terms beginning with it are known exactly.
    if not _ASCII_WORD.fullmatch(last) or not session.connection().info.get(VOCAB):
        return expr
    low = last.lower()
    high = low[:-1] + chr(ord(low[-1]) + 1)
    terms = session.scalars(_VOCAB_WORDS, {"low": low, "high": high, "n": EXPAND_MAX + 1}).all()
    if not terms or len(terms) > EXPAND_MAX:
        return expr  # none (the prefix query finds nothing, at once) or many
    quoted = " OR ".join('"' + str(t).replace('"', '""') + '"' for t in terms)
    head = expr.rsplit(" ", 1)[0] + " AND " if len(tokens) > 1 else ""
    return f"{head}({quoted})"


def matching(session: Session, query: str, kind: Kind, prefix_last: bool = True) -> Subquery | None:
    """A subquery of ``(ref_id, rank)`` for records of ``kind`` matching
    ``query``; lower rank is better. ``None`` when the query has no words."""
    if _uses_fts5(session):
        expr = _fts5_expr(session, query, prefix_last)
        if expr is None:
            return None
        stmt = (
            text(
                f"SELECT rowid / 4 AS ref_id, bm25({TABLE}) AS rank FROM {TABLE} "
                f"WHERE {TABLE} MATCH :expr AND rowid % 4 = :code"
            )
            .bindparams(expr=expr, code=_CODES[kind])
            .columns(ref_id=Integer, rank=Float)
        )
        return stmt.subquery(f"fts_{kind}")
    if _dialect(session) == "postgresql":
        return _pg_matching(session, query, kind, prefix_last)
    return _like_matching(query, kind, prefix_last)


def matching_ids(
    session: Session, query: str, kind: Kind, *, before: int | None = None, limit: int = 500
) -> list[int]:
    """Ids of ``kind`` records matching ``query``, newest (highest id) first,
    below ``before`` when given: one keyset page of matches.

    On SQLite this walks the FTS5 doclist backwards by rowid and stops after
    ``limit`` hits; on PostgreSQL the primary key is walked backwards and each
    row's stored ``search_vector`` tested, or, when the walk finds matches
    to be rarer, the GIN index read, alone or intersected with a range of
    recent ids (:func:`_pg_newest`). Either way paging
    through a common word costs the same on page 1000 as on page 1, instead
    of sorting every match."""
    return [i for i, _text in _newest(session, query, kind, before, limit, False)]


def matching_texts(
    session: Session, query: str, kind: Kind, *, before: int | None = None, limit: int = 500
) -> list[tuple[int, str]]:
    """As :func:`matching_ids`, with the text search read for each record
    (see :func:`searched_texts`), for ranking."""
    found = _newest(session, query, kind, before, limit, True)
    if any(t is None for _, t in found):  # LIKE (other databases)
        texts = searched_texts(session, kind, [i for i, _ in found])
        return [(i, texts.get(i, "")) for i, _ in found]
    return [(i, t or "") for i, t in found]


def _newest(
    session: Session, query: str, kind: Kind, before: int | None, limit: int, with_text: bool
) -> list[tuple[int, str | None]]:
    if _uses_fts5(session):
        expr = _fts5_expr(session, query)
        if expr is None:
            return []
        if before is None and kind != "quote":
            # Rowids interleave the kinds (id * 4 + code): start at this
            # kind's newest record rather than walk past the quotes above it.
            model = Claim if kind == "claim" else Speaker
            newest = session.scalar(select(func.max(model.id)))
            if newest is None:
                return []
            before = int(newest) + 1
        bound = " AND rowid < :bound" if before is not None else ""
        body = "body" if with_text else "NULL"
        stmt = text(
            f"SELECT rowid / 4, {body} FROM {TABLE} WHERE {TABLE} MATCH :expr{bound} "
            "AND rowid % 4 = :code ORDER BY rowid DESC LIMIT :limit"
        )
        params: dict[str, object] = {"expr": expr, "code": _CODES[kind], "limit": limit}
        if before is not None:
            params["bound"] = before * 4
        return [(int(i), t) for i, t in session.execute(stmt, params)]
    if _dialect(session) == "postgresql":
        tokens = words(query)
        if not tokens:
            return []
        if kind != "speaker":
            return _pg_newest(session, tokens, kind, before, limit, with_text)
        values: dict[str, object] = {f"w{i}": t for i, t in enumerate(tokens)}
        values.update(low=before, lim=limit)
        prefix = len(tokens[-1]) >= MIN_PREFIX
        shaped = _pg_speakers_newest(len(tokens), prefix, before is not None, with_text)
        rows = session.connection().execute(shaped, values).all()  # all(): not a fetch per row
        return [(int(i), None if t is None else str(t)) for i, t in rows]
    sub = _like_matching(query, kind, True)
    if sub is None:
        return []
    ids = select(sub.c.ref_id)
    if before is not None:
        ids = ids.where(sub.c.ref_id < before)
    ids = ids.order_by(sub.c.ref_id.desc()).limit(limit)
    return [(int(i), None) for i in session.scalars(ids)]


@lru_cache(maxsize=64)
def _pg_speakers_newest(
    words: int, prefix: bool, bounded: bool, with_text: bool
) -> Select[Any, Any]:
    """The newest ``:lim`` speakers matching the words ``:w0``... (the last
    a prefix if ``prefix``; below ``:low`` if ``bounded``), each with its
    name and aliases if ``with_text``: one statement, built once per shape."""
    found = _pg_speaker_ids(list(range(words)), prefix)
    ids = select(found.c.ref_id)
    if bounded:
        ids = ids.where(found.c.ref_id < bindparam("low", type_=Integer))
    ids = ids.order_by(found.c.ref_id.desc()).limit(bindparam("lim", type_=Integer))
    if not with_text:
        newest = ids.subquery()
        return select(newest.c.ref_id, literal(None, Text)).order_by(newest.c.ref_id.desc())
    # Name and aliases in the same statement (a second one with the ids as
    # 500 bound parameters cost more than the search).
    aliases = (
        select(func.string_agg(SpeakerAlias.text, literal(" ")))
        .where(SpeakerAlias.speaker_id == Speaker.id)
        .correlate(Speaker)
        .scalar_subquery()
    )
    searched = func.concat_ws(literal(" "), Speaker.name, aliases)
    # The newest matches first, kept whole (as ``IN``, the planner hashed
    # them again before reading each speaker: 2-3 ms more).
    top = ids.cte("top").prefix_with("MATERIALIZED")
    return (
        select(Speaker.id, searched)
        .select_from(top)
        .join(Speaker, Speaker.id == top.c.ref_id)
        .order_by(Speaker.id.desc())
    )


WALK = 2000  # PostgreSQL: ids walked first, back from the newest


def _pg_newest(
    session: Session, tokens: list[str], kind: Kind, before: int | None, limit: int, with_text: bool
) -> list[tuple[int, str | None]]:
    """The newest ``limit`` quotes or claims matching, on PostgreSQL.

    Three ways: walk the primary key back from ``before``, testing each
    row's stored vector (cheap per row; good when matches are dense); read
    every match from the GIN index and keep the newest (good when they are
    few); or intersect the index's matches with a range of recent ids and
    read only the rows in both (between the two: a word in one quote of a
    hundred). PostgreSQL's planner picks from estimates, which for a prefix
    it cannot know (a word that is nowhere had it walk the whole table:
    1.4 s). So: walk the newest :data:`WALK` ids first, then choose from the
    density found there (:func:`_next_way`), again after each step.

    A walk is a range of ids (``low - span <= id < low``) tested with a
    LIMIT, so it stops at the matches still wanted and never reads past the
    range, and only matching rows are read whole (an earlier walk numbered
    every row it passed with a window function, carrying each text along:
    twice the cost).

    Each statement is built once per shape (:class:`_PgShape`) with the
    words, ids and limits as named parameters: building and keying them
    afresh took about a third of the client's CPU in a search."""
    model = Quote if kind == "quote" else Claim
    values: dict[str, object] = {f"w{i}": t for i, t in enumerate(tokens)}
    shape = _PgShape(model, len(tokens), len(tokens[-1]) >= MIN_PREFIX, False, with_text)
    hit: str | None = None  # how the ways that read the index test (_pg_hit)
    run = session.connection().execute  # Core rows: none of the ORM's result handling
    found: list[tuple[int, str | None]] = []
    walked, span, low, way = 0, max(WALK, 4 * limit), before, "first"
    while True:
        if way == "range" and hit is None:
            shape, hit = _pg_hit(session, shape, tokens, values)
        values.update(span=span, lim=limit - len(found))
        if low is not None:
            values.update(top=low - 1, low=low, floor=low - span)
        stmt = _pg_step(shape, way, low is None, hit if way == "range" else None)
        if way == "range":
            # The index's matches intersected with the range's ids (a
            # BitmapAnd): planned so only with plain index scans off, as the
            # planner prices a prefix's index scan too high to choose it.
            session.execute(_INDEXSCAN_OFF)
            rows = run(stmt, values).all()
            session.execute(_INDEXSCAN_ON)
        else:
            rows = run(stmt, values).all()
        found += [(int(i), t) for i, t, _ in rows]
        walked += span
        if len(found) >= limit:
            return found
        if low is None and not rows:
            break  # nothing in the newest ids: the index, below them all
        low = int(rows[0][2]) + 1 - span if low is None else low - span
        if low <= 1:
            return found  # walked down to the first id (ids start at 1)
        way, span = _next_way(len(found), walked, limit, low)
        if way == "index":
            break
    # Few matches below ``low``: read them from the GIN index.
    if hit is None:
        shape, hit = _pg_hit(session, shape, tokens, values)
    values.update(lim=limit - len(found), low=low)
    rows = run(_pg_rest(shape, hit, low is not None), values).all()
    return found + [(int(i), None if t is None else str(t)) for i, t in rows]


class _PgShape(NamedTuple):
    """What a statement of :func:`_pg_newest` depends on besides values:
    the table, the number of words, whether the last is a prefix, and
    whether it is spelled out (as ``:spelled``), and whether texts are read."""

    model: type[Quote] | type[Claim]
    words: int
    prefix: bool
    spelled: bool
    with_text: bool


_INDEXSCAN_OFF = text("SET LOCAL enable_indexscan = off")
_INDEXSCAN_ON = text("SET LOCAL enable_indexscan TO DEFAULT")


@lru_cache(maxsize=512)
def _pg_step(shape: _PgShape, way: str, from_newest: bool, hit: str | None) -> Select[Any]:
    """One step of :func:`_pg_newest`'s walk down the ids: ``way`` is
    "first" (the first walk), "walk" or "range" (``hit``: see
    :func:`_pg_hit`); ``from_newest``: from the newest id (read by the
    statement itself) rather than below ``:low``. Parameters: the words,
    ``:span`` (ids spanned), ``:lim`` (rows wanted), and ``:top``,
    ``:low`` and ``:floor`` (``low - span``) when not from the newest."""
    model = shape.model
    vector = _vector(model.__tablename__)
    shown = model.text if shape.with_text else literal(None, Text)
    # Walks test each row for the prefix as typed; the ways that read the
    # index ask it for the words it is spelled out as (see _pg_hit).
    query = _pg_shaped(shape.words, shape.prefix, False)
    span = bindparam("span", type_=Integer)
    top: ColumnElement[int]
    if from_newest:
        top = select(func.max(model.id)).scalar_subquery()
        bounds = [model.id > top - span]
    else:
        top = bindparam("top", type_=Integer)
        bounds = [model.id < bindparam("low", type_=Integer)]
        bounds.append(model.id >= bindparam("floor", type_=Integer))
    if way == "first":
        # The first walk is a walk whatever the planner thinks (the test
        # is outside a subquery with a LIMIT): for a rare word it would
        # read the index, then again below.
        recent = (
            select(model.id.label("id"), shown.label("shown"), vector.label("v"))
            .where(*bounds)
            .order_by(model.id.desc())
            .limit(span)
            .subquery()
        )
        stmt = select(recent.c.id, recent.c.shown, top).where(recent.c.v.op("@@")(query))
    elif way == "range":
        assert hit is not None
        stmt = select(model.id, shown, top).where(_pg_hit_test(shape, hit), *bounds)
    else:
        # A walk: the test as a plain function, which no index serves,
        # so the range is walked newest first and the LIMIT stops it
        # (with ``@@`` the planner read the whole GIN entry of a common
        # prefix for a BitmapAnd: 68 ms against 3 ms for "pro").
        stmt = select(model.id, shown, top).where(func.ts_match_vq(vector, query), *bounds)
    lim = bindparam("lim", type_=Integer)
    return stmt.order_by(stmt.selected_columns[0].desc()).limit(lim)


@lru_cache(maxsize=256)
def _pg_rest(shape: _PgShape, hit: str, bounded: bool) -> Select[Any, Any]:
    """The newest ``:lim`` matches (below ``:low`` if ``bounded``) read from
    the GIN index, with their texts if the shape reads them (the CTE is
    kept whole, so the planner cannot turn it back into a walk)."""
    model = shape.model
    rest = select(model.id).where(_pg_hit_test(shape, hit))
    if bounded:
        rest = rest.where(model.id < bindparam("low", type_=Integer))
    matches = rest.cte("matches").prefix_with("MATERIALIZED")
    lim = bindparam("lim", type_=Integer)
    newest = select(matches.c.id).order_by(matches.c.id.desc()).limit(lim)
    if not shape.with_text:
        ids = newest.subquery()
        return select(ids.c.id, literal(None, Text)).order_by(ids.c.id.desc())
    return select(model.id, model.text).where(model.id.in_(newest)).order_by(model.id.desc())


# A heap row fetched by its id from the index's matches, in walked rows.
# Measured on the million quotes (docs/benchmarks.md, "the client's CPU"):
# reading every match below the newest 2,000 ids cost 1.3-2.6 us a match
# beyond a fixed 7 ms ("well", 14,500 matches: 26 ms; "leave tariffs",
# 2,700: 14 ms, where the intersection with a range of 247,000 ids took 30).
# It was 12, which sent two-word searches with a few thousand matches to
# that intersection, the slowest searches of the sweep.
HEAP_FETCH = 3


def _next_way(found: int, walked: int, limit: int, low: int) -> tuple[str, int]:
    """How :func:`_pg_newest` goes on below ``low`` ("walk", "range" or
    "index"), and how many ids a walk or a range spans.

    Each way's cost in rows walked (about a microsecond each on the bench
    machine, docs/benchmarks.md), at the density of matches seen so far:
    walking on, as many ids as hold the matches still wanted; reading every
    match below ``low`` through the index (half a walked row each), each a
    heap row fetched apart (:data:`HEAP_FETCH` walked rows: the rows are
    spread over the table); or the index's matches intersected with the ids
    of a range expected to hold half as many again as still wanted (0.07
    each), then only those rows fetched."""
    density = found / walked
    if not density:
        return "index", 0
    wanted = limit - found
    to_walk = wanted / density
    below = density * low
    costs = {
        "walk": to_walk,
        "index": (0.5 + HEAP_FETCH) * below,
        "range": 0.5 * below + 0.07 * 1.5 * to_walk + HEAP_FETCH * 1.5 * wanted,
    }
    way = min(costs, key=costs.__getitem__)
    if way == "range":
        return way, int(to_walk * 1.5) + 1
    return way, int(min(to_walk * 1.5, 50 * WALK)) + 1


def searched_texts(session: Session, kind: Kind, ids: Iterable[int]) -> dict[int, str]:
    """The text search reads for each of these records (a quote's or
    claim's text; a speaker's name and aliases), by id."""
    id_list = sorted(set(ids))
    if not id_list:
        return {}
    if kind != "speaker":
        model = Quote if kind == "quote" else Claim
        rows = session.execute(select(model.id, model.text).where(model.id.in_(id_list)))
        return {int(i): str(t) for i, t in rows}
    found = {
        int(i): [str(n)]
        for i, n in session.execute(select(Speaker.id, Speaker.name).where(Speaker.id.in_(id_list)))
    }
    aliases = select(SpeakerAlias.speaker_id, SpeakerAlias.text).where(
        SpeakerAlias.speaker_id.in_(id_list)
    )
    for i, alias in session.execute(aliases.order_by(SpeakerAlias.id)):
        if int(i) in found:
            found[int(i)].append(str(alias))
    return {i: " ".join(parts) for i, parts in found.items()}


# PostgreSQL: tsvector columns (migration 0006).
#
# A query is built by the server from bound parameters, never from text
# pasted into tsquery syntax: each word goes through the same
# ``tracker_search_text`` as the stored texts, then ``phraseto_tsquery``
# (a word the normaliser splits in two, "foo_bar", is a phrase, as FTS5
# reads ``"foo_bar"``); the words are joined with ``&&``. For the prefix,
# the server's own rendering of the last word's tsquery (lexemes quoted by
# PostgreSQL) gets ``:*`` appended and is read back as a tsquery.


def _pg_word(word: str | int, prefix: bool) -> ColumnElement[object]:
    """The tsquery of one word: ``word`` itself, or for an int ``i`` the
    parameter ``:w<i>`` (see :func:`_pg_shaped`)."""
    if isinstance(word, int):
        bound = bindparam(f"w{word}", type_=Text)
    else:
        bound = bindparam(None, word, type_=Text)
    normalised = func.tracker_search_text(bound)
    phrase = func.phraseto_tsquery(literal_column("'simple'::regconfig"), normalised)
    if not prefix:
        return phrase
    # ``||``, not concat(): concat() is only stable, so the planner left the
    # whole query to be built again for every row a walk tests; with ``||``
    # it is folded into a constant when the statement is planned.
    marked = cast(cast(phrase, Text).op("||")(literal(":*", Text)), TSQUERY)
    # A word with no letters left after normalising has no lexeme to mark.
    return case((func.numnode(phrase) == 0, phrase), else_=marked)


# A last word typed as a prefix is, as on SQLite, spelled out as the words
# of the index that begin so when they are at most EXPAND_MAX: the GIN
# index answers ``summer & jobs:*`` by gathering every entry of every word
# beginning "jobs" first (30 ms on a million quotes), and ``summer &
# ('jobs' | 'jobsite')`` as fast as whole words (7 ms). The words come from
# ``search_index_words`` (migration 0008: every lexeme of the
# ``search_vector`` columns, kept by triggers), for the typed word's one
# lexeme, normalised as the stored texts are. They are read back into a
# tsquery in its own input syntax (quoted, quotes and backslashes doubled),
# one bound parameter. The matches are the same: the prefix matches exactly
# those words.
# One statement: the typed word's lexeme (normalised by the server as the
# texts are; only a word that is one lexeme), then the words beginning with
# it, read through the migration's function, which runs with its owner's
# rights (a member's grants need not name the table).
_PG_WORDS = text(
    "SELECT w FROM (SELECT pg_catalog.tsvector_to_array(pg_catalog.to_tsvector("
    "'simple'::regconfig, tracker_search_text(:typed))) AS lex) AS p, "
    "LATERAL tracker_search_words(p.lex[1], p.lex[1] || pg_catalog.chr(1114111), :n) AS w "
    "WHERE pg_catalog.cardinality(p.lex) = 1 AND pg_catalog.char_length(p.lex[1]) >= :least"
)
_SPELLED = "tracker_search_spelled"


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_spelled(session: Session, word: str) -> str | None:
    """``word`` as a prefix spelled out as the words that begin so (``('jobs'
    | 'jobsite')``), or None to search the prefix itself. Asked once per
    word in a transaction (a search of all kinds asks three times)."""
    session.connection()  # the transaction begun (no round trip), to key the words by
    transaction = session.get_transaction()
    held = session.info.get(_SPELLED)
    if held is None or held[0] is not transaction:
        held = session.info[_SPELLED] = (transaction, {})
    known: dict[str, str | None] = held[1]
    if word in known:
        return known[word]
    spelled = None
    asked = {"typed": word, "n": EXPAND_MAX + 1, "least": MIN_PREFIX}
    found = session.scalars(_PG_WORDS, asked).all()
    if found and len(found) <= EXPAND_MAX:
        spelled = "(" + " | ".join(_lexeme(str(w)) for w in found) + ")"
    known[word] = spelled
    return spelled


@lru_cache(maxsize=128)
def _pg_shaped(words: int, prefix: bool, spelled: bool) -> ColumnElement[object]:
    """The tsquery of ``words`` words given as parameters ``:w0``,
    ``:w1``...; the last a prefix (``prefix``), spelled out as the
    parameter ``:spelled`` (``spelled``, see :func:`_pg_spelled`) or as
    typed (``jobs:*``). Built once per shape."""
    parts = [_pg_word(i, False) for i in range(words - 1)]
    parts.append(_pg_words_of(None) if spelled else _pg_word(words - 1, prefix))
    return _pg_and(parts)


def _pg_tsquery(
    session: Session, tokens: list[str], prefix_last: bool, spell: bool = True
) -> ColumnElement[object]:
    """The tsquery of ``tokens``, their values bound; a last word typed as
    a prefix is spelled out for the GIN index (``spell``) or left a prefix
    (``jobs:*``), which a row is tested for two to five times as fast as
    for the words spelled out (a walk of 100,000 quotes: 45 ms for
    ``bl:*``, 99 ms for its 10 words; ``ch:*`` 37 ms, its 40 words 312 ms)."""
    prefix = prefix_last and len(tokens[-1]) >= MIN_PREFIX
    spelled = _pg_spelled(session, tokens[-1]) if prefix and spell else None
    parts = [_pg_word(t, False) for t in tokens[:-1]]
    parts.append(_pg_words_of(spelled) if spelled else _pg_word(tokens[-1], prefix))
    return _pg_and(parts)


def _pg_words_of(spelled: str | None) -> ColumnElement[object]:
    """A prefix spelled out (:func:`_pg_spelled`) as a tsquery: ``spelled``,
    or the parameter ``:spelled`` for None."""
    bound = bindparam("spelled" if spelled is None else None, spelled, type_=Text)
    return cast(bound, TSQUERY)


def _pg_and(parts: list[ColumnElement[object]]) -> ColumnElement[object]:
    query = parts[0]
    for part in parts[1:]:
        query = query.op("&&")(part)
    return query


# The most rows with the words before a typed prefix that are read to test
# the prefix on them rather than have the GIN index answer the prefix; see
# :func:`_pg_indexed`.
RECHECK_MAX = 5000
SPELLED_FEW = 8  # a prefix spelled out as this many words or fewer: the index reads it


def _pg_hit(
    session: Session, shape: _PgShape, tokens: list[str], values: dict[str, object]
) -> tuple[_PgShape, str]:
    """How the ways that read the GIN index test a row (:func:`_pg_hit_test`),
    and the shape with the prefix spelled out (as ``values["spelled"]``)
    if it is. "full": ``vector @@`` the query with the prefix spelled out;
    "recheck": when the last word is a prefix after other words, the index
    asked for the other words alone and the prefix as typed tested on the
    rows it gives.

    GIN answers a prefix, or the words spelled out for one, by reading the
    entries of every word it stands for before the AND: on the million
    quotes, ``big & view & (side | sign | since | ...)`` took 24 ms, and
    ``big & view`` 1.5 ms, with its 153 rows tested for the prefix 0.1 ms
    more (``climate & environmental & to...``: 23 ms against 13 ms for
    2,848 rows). Testing rows costs in proportion to their number (a
    common word alone, 216,243 rows: 2 s), so the other words are used
    alone only when the planner expects at most :data:`RECHECK_MAX` rows
    with them (its estimate from the column's statistics, asked with
    ``EXPLAIN``: a round trip, only on these ways)."""
    if not shape.prefix:
        return shape, "full"
    spelled = _pg_spelled(session, tokens[-1])
    if spelled is not None:
        values["spelled"] = spelled
        shape = shape._replace(spelled=True)
    if len(tokens) < 2:
        return shape, "full"
    if spelled is not None and spelled.count(" | ") + 1 <= SPELLED_FEW:
        return shape, "full"  # a few whole words: as cheap for the index as any
    explained = session.connection().execute(_pg_estimate(shape), values)
    expected = float(explained.scalar_one()[0]["Plan"]["Plan Rows"])
    return shape, "full" if expected > RECHECK_MAX else "recheck"


def _pg_hit_test(shape: _PgShape, hit: str) -> ColumnElement[bool]:
    """The test of :func:`_pg_hit`'s answer, in the words' parameters."""
    vector = _vector(shape.model.__tablename__)
    spelled_query = _pg_shaped(shape.words, shape.prefix, shape.spelled)
    if hit == "full":
        return vector.op("@@")(spelled_query)
    typed = _pg_shaped(shape.words, shape.prefix, False)
    return vector.op("@@")(_pg_before(shape)) & func.ts_match_vq(vector, typed)


def _pg_before(shape: _PgShape) -> ColumnElement[object]:
    """The words before the last; words that normalise to nothing leave an
    empty tsquery, which matches no row: then the whole query."""
    before = _pg_shaped(shape.words - 1, False, False)
    spelled_query = _pg_shaped(shape.words, shape.prefix, shape.spelled)
    return case((func.numnode(before) == 0, spelled_query), else_=before)


@lru_cache(maxsize=128)
def _pg_estimate(shape: _PgShape) -> _Explain:
    """The planner's estimate of the rows with the words before the last."""
    vector = _vector(shape.model.__tablename__)
    return _Explain(select(shape.model.id).where(vector.op("@@")(_pg_before(shape))))


class _Explain(Executable, ClauseElement):
    """``EXPLAIN (FORMAT JSON)`` of a statement, compiled once per shape
    through SQLAlchemy's statement cache like any other statement
    (compiling it afresh for each search cost about 1 ms of the client's
    CPU, of 15-25 for a search of all kinds)."""

    inherit_cache = True
    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]
    # Read by position: EXPLAIN's one column is not the statement's, so a
    # cached compilation's result columns are not matched to it by name.
    _all_selected_columns: tuple[()] = ()

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def _vector(table: str) -> ColumnElement[object]:
    return literal_column(f"{table}.{VECTOR}")


def _pg_matching(session: Session, query: str, kind: Kind, prefix_last: bool) -> Subquery | None:
    tokens = words(query)
    if not tokens:
        return None
    if kind != "speaker":
        model = Quote if kind == "quote" else Claim
        q = _pg_tsquery(session, tokens, prefix_last)
        vector = _vector(model.__tablename__)
        return (
            select(model.id.label("ref_id"), (-func.ts_rank(vector, q)).label("rank"))
            .where(vector.op("@@")(q))
            .subquery(f"pg_{kind}")
        )
    return _pg_speaker_ids(tokens, prefix_last)


def _pg_speaker_ids(tokens: Sequence[str | int], prefix_last: bool) -> Subquery:
    """``(ref_id, rank)`` of the speakers with every word of ``tokens``
    (ints: the parameters ``:w0``...), the last a prefix if ``prefix_last``
    and, when typed here, of at least two letters (for parameters, the
    caller has checked)."""
    # A speaker matches when each word is in the name or in an alias (one
    # record, as FTS5 indexes them together): per word, the speakers whose
    # name or an alias has it; then those found for every word.
    # A prefix is not spelled out here: the GIN indexes of names and aliases
    # are small, and answer ``ch:*`` in half the time of its 40 words (6 and
    # 12 ms for the newest 500 of 100,000 speakers), without the round trip
    # that spells it.
    per_word = []
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        prefix = prefix_last and i == last and (isinstance(token, int) or len(token) >= MIN_PREFIX)
        q = _pg_word(token, prefix)
        per_word.append(
            union(
                select(Speaker.id).where(_vector("speakers").op("@@")(q)),
                select(SpeakerAlias.speaker_id).where(_vector("speaker_aliases").op("@@")(q)),
            )
        )
    found = (per_word[0] if len(per_word) == 1 else intersect(*per_word)).subquery()
    return select(found.c[0].label("ref_id"), literal(0.0).label("rank")).subquery("pg_speaker")


def _like_matching(query: str, kind: Kind, prefix_last: bool) -> Subquery | None:
    tokens = [t.lower() for t in words(query)]
    if not tokens:
        return None

    def pattern(token: str) -> str:
        escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    if kind == "speaker":
        alias_text = (
            select(func.lower(SpeakerAlias.text))
            .where(SpeakerAlias.speaker_id == Speaker.id)
            .correlate(Speaker)
        )
        conds = [
            or_(
                func.lower(Speaker.name).like(pattern(t), escape="\\"),
                alias_text.where(
                    func.lower(SpeakerAlias.text).like(pattern(t), escape="\\")
                ).exists(),
            )
            for t in tokens
        ]
        return (
            select(Speaker.id.label("ref_id"), literal(0.0).label("rank")).where(*conds).subquery()
        )
    model = Quote if kind == "quote" else Claim
    conds = [func.lower(model.text).like(pattern(t), escape="\\") for t in tokens]
    return select(model.id.label("ref_id"), literal(0.0).label("rank")).where(*conds).subquery()


def reindex(session: Session, kind: Kind, ids: Iterable[int]) -> None:
    """Bring the index entries of these records up to date (deleted records
    are removed)."""
    id_list = sorted(set(ids))
    if not id_list or not _uses_fts5(session):
        return
    code = _CODES[kind]
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        session.execute(
            text(f"DELETE FROM {TABLE} WHERE rowid IN :rowids").bindparams(
                bindparam("rowids", expanding=True)
            ),
            {"rowids": [i * 4 + code for i in chunk]},
        )
        session.execute(
            text(_insert_sql(kind) + " WHERE t.id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        )


def _insert_sql(kind: Kind) -> str:
    code = _CODES[kind]
    if kind == "speaker":
        body = (
            "t.name || ' ' || coalesce((SELECT group_concat(a.text, ' ') "
            "FROM speaker_aliases a WHERE a.speaker_id = t.id), '')"
        )
        table = "speakers"
    else:
        body = "t.text"
        table = "quotes" if kind == "quote" else "claims"
    return f"INSERT INTO {TABLE} (rowid, kind, body) SELECT t.id * 4 + {code}, '{kind}', {body} FROM {table} t"


def rebuild(session: Session) -> None:
    """Rebuild the whole index from the tables (after bulk loads)."""
    if not _uses_fts5(session):
        return
    session.execute(text(f"DELETE FROM {TABLE}"))
    kinds: tuple[Kind, ...] = ("quote", "claim", "speaker")
    for kind in kinds:
        session.execute(text(_insert_sql(kind)))


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    touched: dict[Kind, set[int]] = {"quote": set(), "claim": set(), "speaker": set()}
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Quote):
            touched["quote"].add(obj.id)
        elif isinstance(obj, Claim):
            touched["claim"].add(obj.id)
        elif isinstance(obj, Speaker):
            touched["speaker"].add(obj.id)
        elif isinstance(obj, SpeakerAlias) and obj.speaker_id is not None:
            touched["speaker"].add(obj.speaker_id)
    for kind, ids in touched.items():
        reindex(session, kind, ids)


def _open_vocabulary(dbapi_conn: Any, record: Any) -> None:
    """On each new SQLite connection: FTS5's vocabulary of the index, a
    ``fts5vocab`` table in the connection's own ``temp`` schema (nothing
    is written to the database file; it reads ``search_index`` when
    queried, including the connection's uncommitted changes)."""
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCAB} "
            f"USING fts5vocab(main, {TABLE}, instance)"
        )
    except sqlite3.Error:
        return  # an SQLite without FTS5's vocabulary: prefixes stay prefix queries
    finally:
        cursor.close()
    record.info[VOCAB] = True


def install(factory: sessionmaker[Session]) -> None:
    """Keep the index in sync on every flush of sessions from ``factory``;
    on SQLite, give each connection the index's vocabulary (``_fts5_expr``)."""
    from sqlalchemy import event

    event.listen(factory, "after_flush", _after_flush)
    engine = factory.kw.get("bind")
    if isinstance(engine, Engine) and engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _open_vocabulary)

"""The first page of a search without ranking more than it must (issue 12's
50 ms): a long last word searched as the index's words that begin with it
(SQLite), hits read as plain rows, and the ranking's faster text split.
Each must give exactly what the slower way gave."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tracker import services as svc
from tracker.db import search as fts
from tracker.db.database import Database
from tracker.services import ranked_search as rs

WORDS = [
    "killer",
    "killers",
    "Killerwhale",
    "killed",
    "kilt",
    "KILLÉRS",  # folds to "killers"
    "killer_app",  # two words: "killer", "app"
    "killer2",
]


@pytest.fixture
def word_quotes(db: Database) -> dict[str, int]:
    ada = svc.add_speaker(db, "Ada")
    return {w: svc.add_quote(db, f"said {w} once", speaker_id=ada.id).id for w in WORDS}


def _quote_ids(db: Database, query: str) -> set[int]:
    return {q.id for q in svc.list_quotes(db, text=query, limit=100).items}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "kille",
            {"killer", "killers", "Killerwhale", "killed", "KILLÉRS", "killer_app", "killer2"},
        ),
        ("killer", {"killer", "killers", "Killerwhale", "KILLÉRS", "killer_app", "killer2"}),
        ("KILLERS", {"killers", "KILLÉRS"}),
        ("killerw", {"Killerwhale"}),
        ("killer2", {"killer2"}),
        ("killerz", set()),
        (
            "said kille",
            {"killer", "killers", "Killerwhale", "killed", "KILLÉRS", "killer_app", "killer2"},
        ),
        ("once killers", {"killers", "KILLÉRS"}),
        (
            "killé",
            {"killer", "killers", "Killerwhale", "killed", "KILLÉRS", "killer_app", "killer2"},
        ),
    ],
)
def test_a_long_last_word_finds_every_word_it_begins(
    db: Database, word_quotes: dict[str, int], query: str, expected: set[str]
) -> None:
    want = {word_quotes[w] for w in expected}
    assert _quote_ids(db, query) == want, query
    assert {h.id for h in svc.search(db, query, kinds=["quote"])} == want, query


def test_more_words_than_are_spelled_out_still_match(
    db: Database, word_quotes: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Over EXPAND_MAX words the prefix stays one prefix query: same matches.
    monkeypatch.setattr(fts, "EXPAND_MAX", 2)
    everything = {word_quotes[w] for w in WORDS if w != "kilt"}
    assert _quote_ids(db, "kille") == everything
    monkeypatch.setattr(fts, "EXPAND_MAX", 1)
    assert _quote_ids(db, "killerw") == {word_quotes["Killerwhale"]}


def test_a_word_written_in_the_same_unit_of_work_is_found(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada")
    with db.unit_of_work():
        quote = svc.add_quote(db, "the zebraphone plays", speaker_id=ada.id)
        assert _quote_ids(db, "zebrap") == {quote.id}
        assert [h.id for h in svc.search(db, "zebrapho", kinds=["quote"])] == [quote.id]
    assert _quote_ids(db, "zebraph") == {quote.id}


def test_words_added_by_an_edit_or_a_new_speaker_are_spelled_out_too(db: Database) -> None:
    # On PostgreSQL a prefix is spelled out from the index's words, kept by
    # triggers on insert and update (migration 0008): a word missing there
    # while another word with the prefix is present would lose its rows.
    ada = svc.add_speaker(db, "Ada")
    first = svc.add_quote(db, "a zebra crossed", speaker_id=ada.id)
    second = svc.add_quote(db, "nothing yet", speaker_id=ada.id)
    svc.update_quote(db, second.id, text="the zebraphone plays")
    assert _quote_ids(db, "zebr") == {first.id, second.id}
    assert _quote_ids(db, "zebrap") == {second.id}
    assert {h.id for h in svc.search(db, "zebr", kinds=["quote"])} == {first.id, second.id}
    zed = svc.add_speaker(db, "Zebulon Quartermaine")
    svc.add_alias(db, zed.id, "Zebedee Q", "variant")
    assert {h.id for h in svc.search(db, "zebe", kinds=["speaker"])} == {zed.id}
    assert {h.id for h in svc.search(db, "quarterm", kinds=["speaker"])} == {zed.id}


def test_the_spelled_out_tsquery_matches_as_the_prefix_does(
    db: Database, word_quotes: dict[str, int]
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL's spelling out of a prefix")
    queries = ["kille", "killer", "killers", "killerw", "killé", "ki", "killerz", "zzzz", "o"]
    with db.reading() as session:
        for query in queries:
            word = fts.words(query)[-1]
            spelled = fts._pg_spelled(session, word)
            if query in ("kille", "killer", "killers", "killerw", "killé", "ki"):
                assert spelled is not None and spelled.startswith("("), query
            else:
                assert spelled is None, query
            rows = text(
                "SELECT id FROM quotes WHERE search_vector @@ CAST(:q AS tsquery) ORDER BY id"
            )
            prefix = session.scalar(
                text(
                    "SELECT CAST(CAST(phraseto_tsquery('simple', tracker_search_text(:w)) AS text)"
                    " || ':*' AS text)"
                ),
                {"w": word},
            )
            if spelled is not None:
                assert list(session.scalars(rows, {"q": spelled})) == list(
                    session.scalars(rows, {"q": prefix})
                ), query


@pytest.mark.sqlite_only("the FTS5 expression and its vocabulary are SQLite's")
def test_the_spelled_out_expression_matches_as_the_prefix_does(
    db: Database, word_quotes: dict[str, int]
) -> None:
    queries = ["kille", "killer", "killers", "killerw", "said kille", "killerz", "zzzz", "once"]
    with db.reading() as session:
        for query in queries:
            spelled = fts._fts5_expr(session, query)
            prefix = fts.fts5_query(query)
            if len(fts.words(query)[-1]) > max(fts.INDEXED_PREFIXES):
                assert spelled != prefix or query in ("killerz", "zzzz"), query
            rows = text("SELECT rowid FROM search_index WHERE search_index MATCH :e ORDER BY rowid")
            assert list(session.scalars(rows, {"e": spelled})) == list(
                session.scalars(rows, {"e": prefix})
            ), query


def test_hits_show_the_speaker_and_date_of_each_kind(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada Lovelace", aliases=["Countess"])
    quote = svc.add_quote(db, "the engine weaves", speaker_id=ada.id, said_on="1843-07")
    claimed = svc.add_claim(db, "the engine can compose", claimant_id=ada.id, said_on="1843")
    unclaimed = svc.add_claim(db, "the engine is a loom")
    hits = {(h.kind, h.id): h for h in svc.search(db, "engine")}
    assert hits[("quote", quote.id)] == svc.SearchHit(
        "quote", quote.id, "the engine weaves", "Ada Lovelace", ada.id, "1843-07"
    )
    assert hits[("claim", claimed.id)] == svc.SearchHit(
        "claim", claimed.id, "the engine can compose", "Ada Lovelace", ada.id, "1843"
    )
    assert hits[("claim", unclaimed.id)] == svc.SearchHit(
        "claim", unclaimed.id, "the engine is a loom", None, None, None
    )
    (speaker,) = svc.search(db, "countess", kinds=["speaker"])
    assert speaker == svc.SearchHit("speaker", ada.id, "Ada Lovelace", None, ada.id)


# The ranking as it was written first (a regex over the folded text), to
# check the faster split against.
_TERM = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _reference_rank(found: list[tuple[int, str]], terms: list[tuple[str, bool]]) -> list[int]:
    spaced = {}
    for i, body in found:
        tokens = _TERM.findall(_fold(body))
        spaced[i] = (" " + "  ".join(tokens) + " ", len(tokens))
    average = max(1.0, sum(n for _, n in spaced.values()) / max(1, len(spaced)))
    needles = [" " + term + ("" if prefix else " ") for term, prefix in terms]
    scores = {}
    for i, (body, length) in spaced.items():
        norm = rs.K1 * (1 - rs.B + rs.B * length / average)
        score = 0.0
        for needle in needles:
            tf = body.count(needle)
            score += tf * (rs.K1 + 1) / (tf + norm)
        scores[i] = score
    return sorted(scores, key=lambda i: (-scores[i], -i))


_ALPHABET = st.sampled_from(list("aab kilerK Ä_-.,'\t\n0é1ßİı日\x00\u0301👍"))


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(_ALPHABET, max_size=40), min_size=1, max_size=12),
    query=st.text(_ALPHABET, min_size=1, max_size=12),
)
def test_the_faster_split_ranks_as_the_regex_did(texts: list[str], query: str) -> None:
    if not fts.words(query):
        return
    terms = rs._query_terms(query)
    found = list(enumerate(texts, start=1))
    assert rs._rank(found, terms) == _reference_rank(found, terms)


@pytest.mark.parametrize("way", ["walk", "range", "index"])
def test_newest_matches_whichever_way_goes_on(
    db: Database, backend: str, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    # PostgreSQL walks the newest ids first, then walks on, intersects the
    # index with a range of ids, or reads the index; each way, forced here
    # with spans of a few ids, must find the same newest matches.
    asked: list[str] = []

    def forced(*_: object) -> tuple[str, int]:
        asked.append(way)
        return way, 4

    monkeypatch.setattr(fts, "WALK", 3)
    monkeypatch.setattr(fts, "_next_way", forced)
    monkeypatch.setattr(rs, "WINDOW", 2)
    ada = svc.add_speaker(db, "Ada")
    made: list[int] = []
    for i in range(45):
        quote = svc.add_quote(
            db, f"shuttle {i}" if i % 9 == 0 else f"filler {i}", speaker_id=ada.id
        )
        if i % 9 == 0:
            made.append(quote.id)
    newest = sorted(made, reverse=True)
    for query in ("shuttle", "shutt"):
        seen: list[int] = []
        page = svc.list_quotes(db, text=query, limit=2)
        while True:
            seen += [q.id for q in page.items]
            if page.next_cursor is None:
                break
            page = svc.list_quotes(db, text=query, after=page.next_cursor, limit=2)
        assert seen == newest, query
    hits = [h.id for h in svc.search(db, "shuttle", kinds=["quote"], limit=2)]
    assert hits == newest[:2]
    assert svc.list_quotes(db, text="nowhere", limit=2).items == ()
    assert bool(asked) == (backend == "postgresql")


def test_every_kind_at_once_sees_a_unit_of_works_own_changes(db: Database) -> None:
    # On PostgreSQL the kinds are searched on connections of their own,
    # except inside a unit of work, whose changes only its connection sees.
    ada = svc.add_speaker(db, "Ada Zebrafinch")
    with db.unit_of_work():
        quote = svc.add_quote(db, "the zebrafinch sings", speaker_id=ada.id)
        hits = svc.search(db, "zebrafin")
        assert {(h.kind, h.id) for h in hits} == {("quote", quote.id), ("speaker", ada.id)}
    hits = svc.search(db, "zebrafin")
    assert {(h.kind, h.id) for h in hits} == {("quote", quote.id), ("speaker", ada.id)}


def _paged(db: Database, query: str) -> list[int]:
    """Every quote a list with ``query`` shows, two to a page."""
    seen: list[int] = []
    page = svc.list_quotes(db, text=query, limit=2)
    while True:
        seen += [q.id for q in page.items]
        if page.next_cursor is None:
            return seen
        page = svc.list_quotes(db, text=query, after=page.next_cursor, limit=2)


@pytest.mark.parametrize("way", ["range", "index"])
@pytest.mark.parametrize("recheck_max", [0, 10_000])
def test_the_words_before_a_prefix_read_alone_find_the_same(
    db: Database, monkeypatch: pytest.MonkeyPatch, way: str, recheck_max: int
) -> None:
    # On PostgreSQL the ways that read the index may ask it for the words
    # before a typed prefix alone and test the prefix on the rows it gives
    # (when the planner expects at most RECHECK_MAX of them); the prefix
    # here is one query (EXPAND_MAX 0) or spelled out as its 9 words.
    def forced(*_: object) -> tuple[str, int]:
        return way, 4

    monkeypatch.setattr(fts, "WALK", 3)
    monkeypatch.setattr(fts, "_next_way", forced)
    monkeypatch.setattr(fts, "RECHECK_MAX", recheck_max)
    monkeypatch.setattr(rs, "WINDOW", 2)
    ada = svc.add_speaker(db, "Ada")
    endings = ["launch", "lander", "landed", "lane", "large", "last", "late", "law", "lay"]
    wanted: list[int] = []
    for i in range(60):
        first = "shuttle" if i % 3 == 0 else "rocket"
        second = endings[i % len(endings)] if i % 2 == 0 else "dock"
        quote = svc.add_quote(db, f"{first} {second} {i}", speaker_id=ada.id)
        if first == "shuttle" and second != "dock":
            wanted.append(quote.id)
    newest = sorted(wanted, reverse=True)
    for expand in (0, fts.EXPAND_MAX):
        monkeypatch.setattr(fts, "EXPAND_MAX", expand)
        assert _paged(db, "shuttle la") == newest
        assert [h.id for h in svc.search(db, "shuttle la", kinds=["quote"], limit=2)] == newest[:2]
        # A word with no letters for the index: as the whole query finds.
        found = _paged(db, "___ lande")
        monkeypatch.setattr(fts, "RECHECK_MAX", 0)
        assert _paged(db, "___ lande") == found
        monkeypatch.setattr(fts, "RECHECK_MAX", recheck_max)


def test_no_search_statement_is_planned_for_other_words(db: Database) -> None:
    # A statement psycopg prepares on the server (after five runs) may get
    # one plan for every word, made for another (a walk of every row for a
    # rare word): tracker's PostgreSQL connections prepare none.
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")
    ada = svc.add_speaker(db, "Ada")
    svc.add_quote(db, "the shuttle launched", speaker_id=ada.id)
    with db.reading() as session:
        for word in ["shuttle", "launch", "the", "shut", "shuttle", "launched", "la"]:
            assert fts.matching_ids(session, word, "quote")
        prepared = session.execute(text("SELECT count(*) FROM pg_prepared_statements"))
        assert prepared.scalar_one() == 0

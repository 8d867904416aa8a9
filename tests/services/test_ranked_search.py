"""Ranked search (``tracker search``) on both backends: the order it
promises (tracker/services/ranked_search.py), paging that continues where
the last page stopped, hostile text taken as words, and the same hits on
SQLite and PostgreSQL for the demo's searches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.services import Filters
from tracker.services import ranked_search as rs
from tracker.services.records import SearchHit


def ids(hits: list[SearchHit] | tuple[SearchHit, ...]) -> list[int]:
    return [h.id for h in hits]


def every_page(db: Database, text: str, kind: str, limit: int) -> Iterator[rs.SearchPage]:
    after: str | None = None
    while True:
        page = rs.search_page(db, text, kind, after=after, limit=limit)
        yield page
        if page.next_cursor is None:
            return
        after = page.next_cursor


def test_more_of_the_words_in_a_shorter_text_ranks_first(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada Lovelace")
    once = svc.add_quote(db, "the engine and the loom and the cards", speaker_id=ada.id)
    twice = svc.add_quote(db, "engine engine", speaker_id=ada.id)
    long_once = svc.add_quote(
        db, "an engine among very many other words in a long text here", speaker_id=ada.id
    )
    short_once = svc.add_quote(db, "one engine", speaker_id=ada.id)
    assert ids(svc.search(db, "engine", kinds=["quote"])) == [
        twice.id,
        short_once.id,
        once.id,
        long_once.id,
    ]


def test_equal_scores_put_the_newer_record_first(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada")
    first = svc.add_quote(db, "weaving patterns", speaker_id=ada.id)
    second = svc.add_quote(db, "weaving numbers", speaker_id=ada.id)
    assert ids(svc.search(db, "weaving", kinds=["quote"])) == [second.id, first.id]


def test_the_last_word_counts_as_a_prefix_in_the_score(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada")
    plain = svc.add_quote(db, "one analytical note and more words", speaker_id=ada.id)
    many = svc.add_quote(db, "analysis analyst analytical note here", speaker_id=ada.id)
    assert ids(svc.search(db, "note ana", kinds=["quote"])) == [many.id, plain.id]
    # As a whole word, "ana" is in neither.
    assert svc.search(db, "ana note", kinds=["quote"]) == []


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> int:
    """A window of 7 matches, so a few dozen records cross several windows."""
    monkeypatch.setattr(rs, "WINDOW", 7)
    return 7


def _many_quotes(db: Database, n: int) -> list[int]:
    ada = svc.add_speaker(db, "Ada")
    made = []
    for i in range(n):
        # Scores vary within each window (1 to 3 times the word, lengths vary).
        text = " ".join(["loom"] * (1 + i % 3) + ["thread"] * (i % 5))
        made.append(svc.add_quote(db, text, speaker_id=ada.id).id)
        if i % 4 == 0:
            svc.add_quote(db, f"no match here {i}", speaker_id=ada.id)
    return made


def test_pages_continue_without_gaps_or_repeats(db: Database, small_window: int) -> None:
    made = _many_quotes(db, 40)
    pages = list(every_page(db, "loom", "quote", limit=5))
    seen = [i for page in pages for i in ids(page.items)]
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))
    assert [len(p.items) for p in pages] == [5] * 8
    assert pages[-1].next_cursor is None
    # Windows go newest first: the 7 newest matches fill the first page and
    # the start of the second, best first within their window.
    newest = sorted(made, reverse=True)[:small_window]
    assert set(seen[:small_window]) == set(newest)
    # Each page is what the whole first window ranked says it is.
    assert seen[:5] == ids(svc.search(db, "loom", kinds=["quote"], limit=5))


def test_a_page_that_ends_a_window_points_at_the_next(db: Database, small_window: int) -> None:
    made = _many_quotes(db, 14)  # two windows of 7, exactly
    first = rs.search_page(db, "loom", "quote", limit=7)
    assert first.next_cursor is not None
    second = rs.search_page(db, "loom", "quote", after=first.next_cursor, limit=7)
    assert sorted(ids(first.items) + ids(second.items)) == sorted(made)
    assert second.next_cursor is None  # nothing older: no empty third page


def test_records_added_while_paging_do_not_move_the_pages(db: Database, small_window: int) -> None:
    made = _many_quotes(db, 20)
    first = rs.search_page(db, "loom", "quote", limit=5)
    ada = svc.find_by_name(db, "Ada")[0]
    svc.add_quote(db, "loom loom loom", speaker_id=ada.id)  # newer than every page
    rest = [i for page in every_page_after(db, first.next_cursor) for i in ids(page.items)]
    assert sorted(ids(first.items) + rest) == sorted(made)


def every_page_after(db: Database, after: str | None) -> Iterator[rs.SearchPage]:
    while after is not None:
        page = rs.search_page(db, "loom", "quote", after=after, limit=5)
        yield page
        after = page.next_cursor


def test_search_page_with_filters_and_kinds(demo_db: Database) -> None:
    biden = svc.find_by_name(demo_db, "Joe Biden")[0].id
    page = rs.search_page(demo_db, "May", "quote", Filters(speaker_id=biden))
    assert page.items
    assert {h.speaker for h in page.items} == {"Joe Biden"}
    with pytest.raises(svc.ValidationError, match="not speakers"):
        rs.search_page(demo_db, "May", "speaker", Filters(speaker_id=biden))
    with pytest.raises(svc.ValidationError, match="cannot search"):
        rs.search_page(demo_db, "May", "source")


@pytest.mark.parametrize("cursor", ["", "x", "1", "1.x", "-1.0", "1.2.3", "9" * 50 + ".0"])
def test_a_bad_cursor_is_refused(db: Database, cursor: str) -> None:
    with pytest.raises(svc.ValidationError, match="cursor"):
        rs.search_page(db, "loom", "quote", after=cursor)


# Text that is syntax somewhere: FTS5 ("*", "NEAR", "OR", quotes, "-", ":"),
# tsquery ("&", "|", "!", ":*", "<->", "'", "\\", parentheses), LIKE ("%",
# "_"), SQL ("'", ";", "--").
HOSTILE = 'Ein Bäcker sagte: "x & y!" (a|b) \\ c\'s :* NEAR OR <-> 50% n_1; --z'


@pytest.fixture
def hostile_quote(db: Database) -> int:
    ada = svc.add_speaker(db, "Ada")
    return svc.add_quote(db, HOSTILE, speaker_id=ada.id).id


@pytest.mark.parametrize(
    "query",
    [
        '"x',
        "x & y",
        "y!",
        "!y",
        "(a|b)",
        "a | b",
        "c's",
        "'c'",
        "\\ c",
        "c\\",
        "sagte:",
        "sagte:*",
        "NEAR OR",
        "OR",
        "NEAR(x y)",
        "y <-> x",
        "50%",
        "n_1",
        "--z",
        "z;",
        "BACKER",
        "bäcker",
        "baecker bä",
        "ein bä",
    ],
)
def test_hostile_text_is_words(db: Database, hostile_quote: int, query: str) -> None:
    hits = svc.search(db, query, kinds=["quote"])
    if query == "baecker bä":
        assert hits == []  # "ä" is "a" without its diacritic, not "ae"
    else:
        assert ids(hits) == [hostile_quote], query


@pytest.mark.parametrize(
    "query",
    [
        "x | nobody",
        "x OR nobody",
        "!nobody x",
        "x & !y & nobody",
        "nobody:*",
        "x' | 'nobody",
        "x') OR 9=9 --",
        "\\' nobody",
        "a" * 500,
        ("x & y! " * 80)[:500] + " nobody",
        "日本語",
        "👍 x",
        "\u202ex\u202c",
        "x\u0000y",
        "x\u0000nobody",
    ],
)
def test_hostile_queries_find_only_what_they_say(
    db: Database, hostile_quote: int, query: str
) -> None:
    found = ids(svc.search(db, query, kinds=["quote"]))
    expected = [hostile_quote] if query in ("👍 x", "\u202ex\u202c", "x\u0000y") else []
    assert found == expected, query


def test_list_search_takes_the_same_words(db: Database, hostile_quote: int) -> None:
    for query in ("x & y", "(a|b)", "sagte:*", "c's", "bäcker"):
        assert [q.id for q in svc.list_quotes(db, text=query).items] == [hostile_quote]
    assert svc.list_quotes(db, text="x | nobody").items == ()


DEMO_QUERIES = [
    "killer",
    "kil",
    "putin kil",
    "kil putin",
    "deadline",
    "May",
    "the",
    "Biden",
    "biden pres",
    "Kremlin",
    "Sergey",
    "troops withdrawal",
    "afghan",
    "AFGHANISTAN peace",
    "u.s.",
    '"killer"',
    "killer:*",
    "it's",
]


@pytest.fixture
def sqlite_and_pg_demo(
    demo_template: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Database, Database]]:
    import shutil

    server = request.getfixturevalue("pg_server")
    name = server.create(template=request.getfixturevalue("pg_demo_template"))
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    lite, pg = Database(f"sqlite:///{path}", actor="tester"), Database(server.url_of(name))
    try:
        yield lite, pg
    finally:
        lite.close()
        pg.close()
        server.drop(name)


@pytest.mark.pg
def test_the_demo_searches_give_the_same_hits_on_both_backends(
    sqlite_and_pg_demo: tuple[Database, Database],
) -> None:
    lite, pg = sqlite_and_pg_demo
    for query in DEMO_QUERIES:
        on_sqlite = [(h.kind, h.id) for h in svc.search(lite, query)]
        assert on_sqlite == [(h.kind, h.id) for h in svc.search(pg, query)], query
        # The lists (search as you type) too, newest first.
        pairs: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = [
            (svc.list_quotes(lite, text=query).items, svc.list_quotes(pg, text=query).items),
            (svc.list_claims(lite, text=query).items, svc.list_claims(pg, text=query).items),
            (svc.list_speakers(lite, query).items, svc.list_speakers(pg, query).items),
        ]
        for on_lite, on_pg in pairs:
            assert [r.id for r in on_lite] == [r.id for r in on_pg], query
    assert [(h.kind, h.id) for h in svc.search(lite, "killer")]  # the list is not empty


@pytest.mark.parametrize("walk", [3, 2000])
def test_newest_matches_whatever_way_they_are_found(
    db: Database, monkeypatch: pytest.MonkeyPatch, walk: int
) -> None:
    # PostgreSQL walks back WALK rows, then walks on or reads the GIN index
    # from the density it saw; a short walk takes every path here.
    from tracker.db import search

    monkeypatch.setattr(search, "WALK", walk)
    ada = svc.add_speaker(db, "Ada")
    dense = [svc.add_quote(db, f"shuttle {i}", speaker_id=ada.id).id for i in range(12)]
    rare = svc.add_quote(db, "the only bobbin", speaker_id=ada.id).id
    for i in range(25):
        svc.add_quote(db, f"filler {i}", speaker_id=ada.id)
    later = [svc.add_quote(db, f"shuttle late {i}", speaker_id=ada.id).id for i in range(3)]
    assert [q.id for q in svc.list_quotes(db, text="bobbin").items] == [rare]
    assert [q.id for q in svc.list_quotes(db, text="bob").items] == [rare]
    shuttles = sorted(dense + later, reverse=True)
    assert [q.id for q in svc.list_quotes(db, text="shuttle").items] == shuttles
    first = svc.list_quotes(db, text="shutt", limit=4)
    assert [q.id for q in first.items] == shuttles[:4]
    rest = svc.list_quotes(db, text="shutt", after=first.next_cursor, limit=20)
    assert [q.id for q in rest.items] == shuttles[4:]
    assert {h.id for h in svc.search(db, "shuttle", kinds=["quote"])} == set(shuttles)
    assert svc.list_quotes(db, text="nowhere").items == ()


def test_where_the_backends_differ(db: Database, backend: str) -> None:
    # As docs/data-model.md says: both are rare in what people search.
    ada = svc.add_speaker(db, "Ada")
    long_word = "b" * 3000
    quote = svc.add_quote(db, f"x {long_word} y", speaker_id=ada.id)
    street = svc.add_quote(db, "Die Straße", speaker_id=ada.id)
    on_pg = backend == "postgresql"
    # PostgreSQL leaves a word over 2,047 bytes out of the index (and out of
    # the query); FTS5 keeps it.
    assert ids(svc.search(db, long_word, kinds=["quote"])) == ([] if on_pg else [quote.id])
    assert ids(svc.search(db, f"x {long_word}", kinds=["quote"])) == [quote.id]
    # unaccent spells "ß" as "ss"; FTS5 keeps "ß".
    assert ids(svc.search(db, "strasse", kinds=["quote"])) == ([street.id] if on_pg else [])
    assert ids(svc.search(db, "STRASSE", kinds=["quote"])) == ([street.id] if on_pg else [])
    assert ids(svc.search(db, "straße", kinds=["quote"])) == [street.id]

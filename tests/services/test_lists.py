"""Lists: keyset paging returns every row once; filters narrow by speaker,
source, kind, status, date (partial dates overlap) and tag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.services import Filters


def all_pages(fetch: Callable[..., Any], limit: int) -> list[int]:
    ids: list[int] = []
    after = None
    pages = 0
    while True:
        page = fetch(after=after, limit=limit)
        ids += [r.id for r in page.items]
        pages += 1
        assert pages < 100
        if page.next_cursor is None:
            return ids
        after = page.next_cursor


def test_keyset_paging_returns_every_row_exactly_once(demo_db: Database) -> None:
    for limit in (1, 4, 13, 50):
        check_paging(demo_db, limit)


def check_paging(db: Database, limit: int) -> None:
    quotes = all_pages(lambda **kw: svc.list_quotes(db, **kw), limit)
    assert len(quotes) == 13
    assert sorted(quotes, reverse=True) == quotes  # newest first, no repeats
    assert len(all_pages(lambda **kw: svc.list_claims(db, **kw), limit)) == 8
    assert len(set(all_pages(lambda **kw: svc.list_speakers(db, **kw), limit))) == 12
    assert len(set(all_pages(lambda **kw: svc.list_sources(db, **kw), limit))) == 3


def test_paging_with_a_filter(demo_db: Database) -> None:
    biden = svc.find_by_name(demo_db, "Joe Biden")[0].id
    f = Filters(speaker_id=biden)
    paged = all_pages(lambda **kw: svc.list_quotes(demo_db, f, **kw), 2)
    assert paged == [q.id for q in svc.list_quotes(demo_db, f, limit=1000).items]
    assert len(paged) == 4


def test_last_page_has_no_cursor(demo_db: Database) -> None:
    assert svc.list_quotes(demo_db, limit=13).next_cursor is None
    assert svc.list_quotes(demo_db, limit=12).next_cursor is not None


@pytest.fixture
def world(db: Database) -> dict[str, int]:
    ada = svc.add_speaker(db, "Ada").id
    bob = svc.add_speaker(db, "Bob").id
    notes = svc.add_source(db, "Notes").id
    letters = svc.add_source(db, "Letters").id
    ids = {
        "ada": ada,
        "bob": bob,
        "notes": notes,
        "letters": letters,
        "q_day": svc.add_quote(db, "a", speaker_id=ada, source_id=notes, said_on="2021-03-17").id,
        "q_month": svc.add_quote(db, "b", speaker_id=ada, said_on="2021-03", tags=["x"]).id,
        "q_year": svc.add_quote(db, "c", speaker_id=bob, source_id=letters, said_on="2021").id,
        "q_feb": svc.add_quote(db, "d", speaker_id=bob, said_on="2021-02-28", mode="indirect").id,
        "q_undated": svc.add_quote(db, "e", speaker_id=bob).id,
    }
    ids["c_fact"] = svc.add_claim(db, "f", quote_ids=[ids["q_day"]], tags=["X"]).id
    ids["c_pred"] = svc.add_claim(db, "g", kind="prediction", claimant_id=bob, said_on="2020").id
    ids["c_prom"] = svc.add_claim(db, "h", kind="promise", claimant_id=bob, said_on="2021-04").id
    svc.add_review(db, ids["c_fact"], rating="Mostly True")
    svc.add_review(db, ids["c_pred"], rating="Pending")
    return ids


def quote_ids(db: Database, **filters: Any) -> set[int]:
    return {q.id for q in svc.list_quotes(db, Filters(**filters), limit=1000).items}


def claim_ids(db: Database, **filters: Any) -> set[int]:
    return {c.id for c in svc.list_claims(db, Filters(**filters), limit=1000).items}


def test_filter_by_speaker_and_source(db: Database, world: dict[str, int]) -> None:
    w = world
    assert quote_ids(db, speaker_id=w["ada"]) == {w["q_day"], w["q_month"]}
    assert quote_ids(db, source_id=w["letters"]) == {w["q_year"]}
    assert claim_ids(db, speaker_id=w["bob"]) == {w["c_pred"], w["c_prom"]}
    # Claims "from a source" are those resting on its quotes.
    assert claim_ids(db, source_id=w["notes"]) == {w["c_fact"]}


def test_filter_by_claim_kind_and_quote_mode(db: Database, world: dict[str, int]) -> None:
    w = world
    assert claim_ids(db, kind="prediction") == {w["c_pred"]}
    assert quote_ids(db, kind="prediction") == set()  # a claim-only filter
    assert quote_ids(db, mode="indirect") == {w["q_feb"]}
    assert claim_ids(db, mode="indirect") == set()  # a quote-only filter


def test_filter_by_status(db: Database, world: dict[str, int]) -> None:
    w = world
    assert claim_ids(db, status="open") == {w["c_pred"], w["c_prom"]}
    assert claim_ids(db, status="final") == {w["c_fact"]}
    assert claim_ids(db, status="unreviewed") == {w["c_prom"]}
    assert claim_ids(db, status="mostly true") == {w["c_fact"]}
    assert claim_ids(db, status="Pending") == {w["c_pred"]}


DATE_CASES: list[tuple[str | None, str | None, set[str]]] = [
    # A quote known to the month or year matches when its span overlaps the range.
    ("2021-03-15", "2021-03-20", {"q_day", "q_month", "q_year"}),
    ("2021-03", "2021-03", {"q_day", "q_month", "q_year"}),
    ("2021-03-18", None, {"q_month", "q_year"}),
    (None, "2021-02-28", {"q_feb", "q_year"}),
    (None, "2021-02", {"q_feb", "q_year"}),
    ("2021-04-01", None, {"q_year"}),
    ("2022", None, set()),
    ("2020", "2020", set()),
    ("2021", "2021", {"q_day", "q_month", "q_year", "q_feb"}),
]


def test_filter_by_date_range_with_partial_dates(db: Database, world: dict[str, int]) -> None:
    for date_from, date_to, expected in DATE_CASES:
        got = quote_ids(db, date_from=date_from, date_to=date_to)
        assert got == {world[name] for name in expected}, (date_from, date_to)


def test_claim_date_filter(db: Database, world: dict[str, int]) -> None:
    assert claim_ids(db, date_from="2021-04-30") == {world["c_prom"]}
    assert claim_ids(db, date_to="2020-06") == {world["c_pred"]}


def test_filter_by_tag_ignores_case(db: Database, world: dict[str, int]) -> None:
    assert quote_ids(db, tag="X") == {world["q_month"]}
    assert claim_ids(db, tag=" x ") == {world["c_fact"]}
    assert quote_ids(db, tag="nope") == set()


def test_bad_filters_are_refused(db: Database) -> None:
    with pytest.raises(svc.ValidationError, match="ends .* before it starts"):
        svc.list_quotes(db, Filters(date_from="2021-05", date_to="2021-04-30"))
    with pytest.raises(svc.ValidationError, match="from date"):
        svc.list_quotes(db, Filters(date_from="2021-02-30"))
    with pytest.raises(svc.ValidationError, match="claim kind"):
        svc.list_claims(db, Filters(kind="rumour"))


def test_filter_up_to_the_last_month_of_year_9999(db: Database, world: dict[str, int]) -> None:
    assert world["q_day"] in quote_ids(db, date_to="9999-12")


def test_list_text_narrows_by_words(demo_db: Database) -> None:
    quotes = svc.list_quotes(demo_db, text="killer").items
    assert {q.speaker for q in quotes} == {"Joe Biden"}
    assert len(quotes) == 2
    speakers = svc.list_speakers(demo_db, "kremlin").items
    assert [s.name for s in speakers] == ["Russia"]
    sources = svc.list_sources(demo_db, "abc").items
    assert [s.title for s in sources] == ["Joe Biden interviewed by George Stephanopoulos"]


def test_list_counts(demo_db: Database) -> None:
    biden = next(s for s in svc.list_speakers(demo_db, limit=100).items if s.name == "Joe Biden")
    assert biden.quote_count == 4
    full = svc.get_speaker(demo_db, biden.id)
    assert (full.quote_count, full.claim_count) == (4, 3)
    article = next(s for s in svc.list_sources(demo_db).items if s.kind == "article")
    assert article.quote_count == 13
    assert dt.date(2021, 1, 20) in {r.start for r in biden.roles}

"""The review queue (issue 13): an ingested article's attributions wait for a
person; accepting one records exactly one quote through the attribution
service, in one unit of work with the item's status.

The extractor is another engineer's; these tests give :func:`ingest` the
attributions themselves (built with the extractor's own types), so what is
tested here is the queue, whatever the rules find."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import ValidationError
from tracker.extraction.model import Attribution, Span
from tracker.services import review_queue as rq
from tracker.services import undo
from tracker.services.attribution import NeedsChoice, Refused, Who
from tracker.services.extracting import Found, SpeakerGuess

ARTICLE = (
    'Talks in Geneva ended early. "We will not back down," Sergei Lavrov said on Monday.\n'
    "\n"
    'Obama said the plan was "tough but fair".\n'
    '"Nobody [bold]wins[/bold] a trade war," an analyst added.\n'
)


def span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def found(
    text: str,
    content: str,
    source: str | None,
    name: str | None,
    decision: str = "new",
    speaker_id: int | None = None,
    mode: str = "direct",
    cue: str | None = "said",
) -> Found:
    a = Attribution(
        mode=mode,  # type: ignore[arg-type]
        content=(span(text, content),),
        cue=span(text, cue) if cue else None,
        source=span(text, source) if source else None,
        speaker_name=name,
        confidence=0.9,
    )
    guess = None if name is None else SpeakerGuess(name, speaker_id, decision)  # type: ignore[arg-type]
    return Found(a, guess)


def finder(results: Sequence[Found]) -> Any:
    """An extraction service that finds ``results`` (and checks the text it
    is given is the text the spans index)."""

    def find(db: Database, text: str, date: Any) -> Sequence[Found]:
        for f in results:
            for s in f.attribution.content:
                assert text[s.start : s.end] == s.text
        return results

    return find


@pytest.fixture
def lavrov(db: Database) -> int:
    return svc.add_speaker(db, "Sergei Lavrov").id


def the_article(lavrov_id: int) -> list[Found]:
    return [
        found(
            ARTICLE, "We will not back down,", "Sergei Lavrov", "Sergei Lavrov", "same", lavrov_id
        ),
        found(ARTICLE, "tough but fair", "Obama", "Obama", "maybe", mode="mixed"),
        found(
            ARTICLE,
            "Nobody [bold]wins[/bold] a trade war,",
            "an analyst",
            None,
            cue="added",
        ),
    ]


def ingest(db: Database, lavrov_id: int, **kw: Any) -> rq.Ingested:
    kw.setdefault("title", "Talks end early")
    kw.setdefault("published_on", "2024-03-05")
    return rq.ingest(db, ARTICLE, find=finder(the_article(lavrov_id)), **kw)


def quote_count(db: Database) -> int:
    return len(svc.list_quotes(db, limit=1000).items)


def test_ingest_stores_the_article_and_queues_each_attribution_in_order(db, lavrov) -> None:
    done = ingest(db, lavrov, publisher="Example News", url="https://example.org/a")
    source = svc.get_source(db, done.source.id)
    assert source.full_text == ARTICLE.strip()
    assert (source.title, source.publisher, source.published_on) == (
        "Talks end early",
        "Example News",
        "2024-03-05",
    )
    items = rq.list_items(db).items
    assert [i.position for i in items] == [1, 2, 3]
    assert [i.status for i in items] == ["pending"] * 3
    first = rq.get_item(db, items[0].id)
    assert first.text == "We will not back down,"
    assert first.speaker == "Sergei Lavrov" and first.speaker_guess == "same"
    assert first.source_span is not None and first.source_span.text == "Sergei Lavrov"
    assert first.cue is not None and first.cue.text == "said"
    assert source.full_text[first.start_offset : first.end_offset] == first.text
    assert rq.list_items(db, counts=True).extra["counts"]["pending"] == 3


def test_accepting_records_one_quote_with_the_article_speaker_and_date(db, lavrov) -> None:
    item = ingest(db, lavrov).items[0]
    outcome = rq.accept(db, item.id)
    assert isinstance(outcome, rq.Accepted)
    quote = svc.get_quote(db, outcome.quote.id)
    assert (quote.text, quote.speaker_id, quote.source_id, quote.said_on, quote.mode) == (
        "We will not back down,",
        lavrov,
        item.source_id,
        "2024-03-05",
        "direct",
    )
    assert (quote.start_offset, quote.end_offset) == (item.start_offset, item.end_offset)
    after = rq.get_item(db, item.id)
    assert (after.status, after.quote_id, after.decided_by) == ("accepted", quote.id, "tester")
    assert quote_count(db) == 1
    # Accepting it again records nothing more.
    again = rq.accept(db, item.id)
    assert isinstance(again, rq.AlreadyDecided) and "accepted already" in again.message
    assert quote_count(db) == 1


def test_an_ambiguous_speaker_is_a_question_and_nothing_is_written(db, lavrov) -> None:
    svc.add_speaker(db, "Barack Obama")
    svc.add_speaker(db, "Michelle Obama")
    item = ingest(db, lavrov).items[1]
    speakers = len(svc.list_speakers(db, limit=100).items)
    outcome = rq.accept(db, item.id)
    assert isinstance(outcome, NeedsChoice) and outcome.decision == "maybe"
    assert {c.name for c in outcome.candidates} >= {"Barack Obama", "Michelle Obama"}
    assert rq.get_item(db, item.id).status == "pending"
    assert quote_count(db) == 0
    assert len(svc.list_speakers(db, limit=100).items) == speakers
    # The person picks one: recorded against that speaker.
    barack = next(c for c in outcome.candidates if c.name == "Barack Obama")
    picked = rq.accept(db, item.id, Who(speaker_id=barack.speaker_id))
    assert isinstance(picked, rq.Accepted)
    assert picked.quote.speaker == "Barack Obama" and picked.quote.mode == "mixed"


def test_a_new_speaker_is_created_only_when_confirmed(db, lavrov) -> None:
    item = ingest(db, lavrov).items[1]  # "Obama": nobody of that name yet
    asked = rq.accept(db, item.id)
    assert isinstance(asked, NeedsChoice) and asked.decision == "new"
    assert quote_count(db) == 0
    done = rq.accept(db, item.id, Who(name="Obama", confirmed_new=True))
    assert isinstance(done, rq.Accepted) and done.speaker_created
    assert done.quote.speaker == "Obama"


def test_an_item_without_a_speaker_needs_one(db, lavrov) -> None:
    item = ingest(db, lavrov).items[2]
    outcome = rq.accept(db, item.id)
    assert isinstance(outcome, Refused) and "no proposed speaker" in outcome.reason
    done = rq.accept(db, item.id, Who(speaker_id=lavrov))
    assert isinstance(done, rq.Accepted)
    # Markup-like text is kept as typed.
    assert done.quote.text == "Nobody [bold]wins[/bold] a trade war,"


def test_edit_then_accept_keeps_the_edited_text_without_stale_offsets(db, lavrov) -> None:
    item = ingest(db, lavrov).items[0]
    done = rq.accept(db, item.id, text="We will not back down")
    assert isinstance(done, rq.Accepted)
    quote = svc.get_quote(db, done.quote.id)
    assert quote.text == "We will not back down"
    assert quote.start_offset is None
    # The queue keeps what was proposed.
    assert rq.get_item(db, item.id).text == "We will not back down,"


def test_a_refused_edit_writes_nothing(db, lavrov, snapshot) -> None:
    item = ingest(db, lavrov).items[0]
    before = snapshot()
    outcome = rq.accept(db, item.id, text="   ")
    assert isinstance(outcome, Refused) and outcome.field == "quote text"
    assert snapshot() == before


def test_reject_leaves_no_quote_and_skip_leaves_the_item_open(db, lavrov) -> None:
    items = ingest(db, lavrov).items
    rejected = rq.reject(db, items[0].id)
    assert isinstance(rejected, rq.QueueItemRecord) and rejected.status == "rejected"
    assert quote_count(db) == 0
    assert isinstance(rq.accept(db, items[0].id), rq.AlreadyDecided)
    skipped = rq.skip(db, items[2].id)
    assert isinstance(skipped, rq.QueueItemRecord) and skipped.status == "skipped"
    assert [i.id for i in rq.list_items(db, statuses=["pending", "skipped"]).items] == [
        items[1].id,
        items[2].id,
    ]
    assert isinstance(rq.accept(db, items[2].id, Who(speaker_id=lavrov)), rq.Accepted)
    assert rq.list_items(db, statuses=["pending"], counts=True).extra["counts"] == {
        "pending": 1,
        "accepted": 1,
        "rejected": 1,
        "skipped": 0,
    }


def test_the_queue_survives_a_restart(db, lavrov) -> None:
    items = ingest(db, lavrov).items
    rq.reject(db, items[0].id)
    url = db.url
    db.close()
    reopened = Database(url, actor="someone else")
    try:
        listed = rq.list_items(reopened).items
        assert [(i.id, i.status) for i in listed] == [
            (items[0].id, "rejected"),
            (items[1].id, "pending"),
            (items[2].id, "pending"),
        ]
        assert rq.article_text(reopened, items[0].source_id) == ARTICLE.strip()
    finally:
        reopened.close()


def test_undo_of_an_ingest_takes_back_the_source_and_its_queue(db, lavrov) -> None:
    done = ingest(db, lavrov)
    plan = undo.last_change(db)
    assert plan is not None and plan.main.entity == "source"
    undo.undo(db, plan)
    assert rq.list_items(db).items == ()
    with pytest.raises(ValidationError):
        svc.get_source(db, done.source.id)
    # And the article can be ingested again.
    assert len(ingest(db, lavrov).items) == 3


def test_undo_of_an_accept_removes_the_quote_and_reopens_the_item(db, lavrov) -> None:
    item = ingest(db, lavrov).items[1]
    accepted = rq.accept(db, item.id, Who(name="Obama", confirmed_new=True))
    assert isinstance(accepted, rq.Accepted)
    plan = undo.last_change(db)
    assert plan is not None
    undo.undo(db, plan)
    assert quote_count(db) == 0
    again = rq.get_item(db, item.id)
    assert (again.status, again.quote_id, again.decided_by) == ("pending", None, None)
    assert [s.name for s in svc.list_speakers(db, limit=100).items] == ["Sergei Lavrov"]


def test_an_ingest_with_accepted_items_is_not_undone_past_them(db, lavrov) -> None:
    item = ingest(db, lavrov).items[0]
    ingest_plan = undo.last_change(db)
    assert isinstance(rq.accept(db, item.id), rq.Accepted)
    assert ingest_plan is not None
    with pytest.raises(undo.UndoError, match="changed since"):
        undo.undo(db, ingest_plan)
    assert quote_count(db) == 1


def test_the_same_article_is_not_queued_twice(db, lavrov, snapshot) -> None:
    done = ingest(db, lavrov, url="https://example.org/a")
    before = snapshot()
    with pytest.raises(ValidationError, match=f"already source #{done.source.id}"):
        ingest(db, lavrov)
    with pytest.raises(ValidationError, match=f"already source #{done.source.id}"):
        rq.ingest(db, "Another text.", title="x", url="https://example.org/a", find=finder([]))
    assert snapshot() == before


def test_a_source_recorded_by_hand_is_reused(db, lavrov) -> None:
    by_hand = svc.add_source(db, "Talks end early", url="https://example.org/a")
    done = ingest(db, lavrov, url="https://example.org/a")
    assert done.reused_source and done.source.id == by_hand.id
    assert svc.get_source(db, by_hand.id).full_text == ARTICLE.strip()
    assert {i.source_id for i in rq.list_items(db).items} == {by_hand.id}


def test_an_article_with_a_control_character_is_refused_with_its_line(db, snapshot) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match=r"line 2, column 4: control character U\+001B"):
        rq.ingest(db, "First line.\nAbc\x1b[31mred", title="t", find=finder([]))
    assert snapshot() == before


def test_spans_outside_the_article_are_refused(db, snapshot) -> None:
    bad = Found(Attribution("direct", (Span(5, 500, "x"),), None, None, None, 0.5), None)
    before = snapshot()
    with pytest.raises(ValidationError, match="outside the article"):
        rq.ingest(db, "A short article.", title="t", find=finder_unchecked([bad]))
    assert snapshot() == before


def finder_unchecked(results: Sequence[Found]) -> Any:
    return lambda db, text, date: results


def test_two_reviewers_accepting_the_same_item_make_one_quote(db, lavrov) -> None:
    item = ingest(db, lavrov).items[0]
    reviewers = [Database(db.url, actor=name) for name in ("ann", "bob")]
    barrier = threading.Barrier(len(reviewers))
    outcomes: list[Any] = []

    def review(reviewer: Database) -> None:
        barrier.wait()
        outcomes.append(rq.accept(reviewer, item.id))

    try:
        threads = [threading.Thread(target=review, args=(r,)) for r in reviewers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for r in reviewers:
            r.close()
    kinds = sorted(type(o).__name__ for o in outcomes)
    assert kinds == ["Accepted", "AlreadyDecided"]
    assert quote_count(db) == 1
    final = rq.get_item(db, item.id)
    winner = next(o for o in outcomes if isinstance(o, rq.Accepted))
    assert final.quote_id == winner.quote.id and final.decided_by in ("ann", "bob")


def test_the_real_extractor_is_used_by_default(db) -> None:
    done = rq.ingest(db, ARTICLE, title="With the real rules")
    # Whatever the rules find, every item's spans index the stored text.
    text = svc.get_source(db, done.source.id).full_text or ""
    for item in done.items:
        full = rq.get_item(db, item.id)
        for part in full.content:
            assert text[part.start : part.end] == part.text


def test_span_texts_are_read_back_by_characters_not_bytes(db, lavrov) -> None:
    text = 'Café 😀 — «vu».\n\n"Ünïcode wörds 😀 here," Sergei Lavrov said.'
    one = found(text, "Ünïcode wörds 😀 here,", "Sergei Lavrov", "Sergei Lavrov", "same", lavrov)
    done = rq.ingest(db, text, title="Accents", find=finder([one]))
    item = rq.get_item(db, done.items[0].id)
    assert [p.text for p in item.content] == ["Ünïcode wörds 😀 here,"]
    assert item.source_span is not None and item.source_span.text == "Sergei Lavrov"
    accepted = rq.accept(db, item.id)
    assert isinstance(accepted, rq.Accepted)
    assert svc.get_quote(db, accepted.quote.id).start_offset == text.index("Ü")


def test_a_source_with_the_same_text_and_no_queue_is_reused_with_its_date(db, lavrov) -> None:
    # The demo's source, say: its text is the article, nothing was queued.
    known = svc.add_source(db, "Known", published_on="2021-03-17", full_text=ARTICLE)
    dates: list[Any] = []

    def find(db: Database, text: str, date: Any) -> Sequence[Found]:
        dates.append(date)
        return the_article(lavrov)

    done = rq.ingest(db, ARTICLE, title="Known again", find=find)
    assert done.reused_source and done.source.id == known.id
    assert str(dates) == "[datetime.date(2021, 3, 17)]"  # roles resolve on its day
    assert len(rq.list_items(db, source_id=known.id).items) == 3
    accepted = rq.accept(db, done.items[0].id)
    assert isinstance(accepted, rq.Accepted) and accepted.quote.said_on == "2021-03-17"


def test_a_url_that_is_another_texts_is_refused(db, snapshot) -> None:
    svc.add_source(db, "Other", url="https://example.org/a", full_text="Another article.")
    before = snapshot()
    with pytest.raises(ValidationError, match="different text"):
        rq.ingest(db, ARTICLE, title="t", url="https://example.org/a", find=finder([]))
    assert snapshot() == before


def test_the_queue_pages_in_article_order_across_statuses(db, lavrov) -> None:
    first = ingest(db, lavrov).items
    later = rq.ingest(db, "Another text.", title="Later", find=finder([])).source
    other = 'Later: "Yes," Sergei Lavrov said. "No," he added.'
    two = [
        found(other, "Yes,", "Sergei Lavrov", "Sergei Lavrov", "same", lavrov),
        found(other, "No,", "he", "Sergei Lavrov", "same", lavrov, cue="added"),
    ]
    second = rq.ingest(db, other, title="Second", find=finder(two)).items
    rq.skip(db, first[1].id)
    rq.skip(db, second[0].id)
    everything = [*first, *second]
    seen: list[int] = []
    after = None
    while True:
        page = rq.list_items(db, statuses=rq.OPEN_STATUSES, after=after, limit=2)
        seen += [i.id for i in page.items]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == [i.id for i in everything]
    assert later.id not in {i.source_id for i in everything}
    with pytest.raises(ValidationError, match="no queue item with id 999"):
        rq.list_items(db, after=999)


def test_a_passage_recorded_by_hand_on_a_reused_source_is_linked_not_recorded_twice(
    db, lavrov
) -> None:
    by_hand = svc.add_source(db, "Talks end early", url="https://example.org/a")
    recorded = svc.add_quote(
        db, "We will  not back\ndown,", speaker_id=lavrov, source_id=by_hand.id
    )  # typed by hand before the article was ingested (spacing aside, the passage)
    done = ingest(db, lavrov, url="https://example.org/a")
    assert done.reused_source
    # Another item is recorded as usual.
    other = rq.accept(db, done.items[2].id, Who(speaker_id=lavrov))
    assert isinstance(other, rq.Accepted) and not other.already_recorded
    assert quote_count(db) == 2
    outcome = rq.accept(db, done.items[0].id)
    assert isinstance(outcome, rq.Accepted) and outcome.already_recorded
    assert outcome.quote.id == recorded.id and not outcome.speaker_created
    assert quote_count(db) == 2
    after = rq.get_item(db, done.items[0].id)
    assert (after.status, after.quote_id) == ("accepted", recorded.id)
    # Undo of the link reopens the item and leaves the quote typed by hand.
    plan = undo.last_change(db)
    assert plan is not None
    undo.undo(db, plan)
    assert rq.get_item(db, done.items[0].id).status == "pending"
    assert quote_count(db) == 2
    assert svc.get_quote(db, recorded.id).text == recorded.text


def test_the_same_passage_accepted_from_two_items_is_one_quote(db, lavrov) -> None:
    item = ingest(db, lavrov).items[0]
    first = rq.accept(db, item.id)
    assert isinstance(first, rq.Accepted)
    # The passage again, as an edit of another item (edit then accept).
    other = rq.list_items(db).items[1]
    again = rq.accept(db, other.id, Who(speaker_id=lavrov), text="We will not back down,")
    assert isinstance(again, rq.Accepted) and again.already_recorded
    assert again.quote.id == first.quote.id
    assert quote_count(db) == 1


def test_a_passage_recorded_with_its_place_in_the_article_is_linked_when_they_overlap(
    db, lavrov
) -> None:
    by_hand = svc.add_source(db, "Talks end early", url="https://example.org/a")
    start = ARTICLE.index("early.") + len("early. ")
    end = ARTICLE.index(" Sergei Lavrov said")
    # Recorded by hand with more words around it ("... back down," Sergei),
    # and its place in the article: not the same words, the same passage.
    assert ARTICLE[start:end] == '"We will not back down,"'
    start -= len("early. ")
    recorded = svc.add_quote(
        db,
        ARTICLE[start:end],
        speaker_id=lavrov,
        source_id=by_hand.id,
        start_offset=start,
        end_offset=end,
    )
    done = ingest(db, lavrov, url="https://example.org/a")
    outcome = rq.accept(db, done.items[0].id, text="We will not back down")  # edited too
    assert isinstance(outcome, rq.Accepted) and outcome.already_recorded
    assert outcome.quote.id == recorded.id
    # An item elsewhere in the article is its own quote.
    other = rq.accept(db, done.items[2].id, Who(speaker_id=lavrov))
    assert isinstance(other, rq.Accepted) and not other.already_recorded
    assert quote_count(db) == 2

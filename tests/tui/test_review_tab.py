"""The Review tab (issue 13): the queue of attributions found in ingested
articles, the article with the current one highlighted, and one key to
accept, edit then accept, reject or skip.

The queue is filled through the service with attributions built here (the
extractor is tested on its own), so these tests are about the tab."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import OptionList, TextArea

from tracker import services as svc
from tracker.db.database import Database
from tracker.extraction.model import Attribution, Span
from tracker.services import review_queue as rq
from tracker.services.extracting import Found, SpeakerGuess
from tracker.tui.screens.review_forms import ReviewEditForm, SpeakerChoiceModal
from tracker.tui.widgets.review import CONTENT_STYLE, ReviewList, ReviewPane

# Markup-like text and an invisible override before the first quotation:
# both must be drawn as typed, and the highlight must still fall on the words.
ARTICLE = (
    "Talks [bold]ended[/bold] early \u202eon Monday.\n\n"
    '"We will not back down," Sergei Lavrov said.\n\n'
    'Obama said the plan was "tough but fair".\n\n'
    '"Nobody [red]wins[/red] a trade war," Zanzibar Quillfeather told reporters.\n'
)


def _span(part: str) -> Span:
    start = ARTICLE.index(part)
    return Span(start, start + len(part), part)


def _found(content: str, source: str, name: str, decision: str, cue: str) -> Found:
    attribution = Attribution("direct", (_span(content),), _span(cue), _span(source), name, 0.9)
    return Found(attribution, SpeakerGuess(name, None, decision))  # type: ignore[arg-type]


def fill_queue(db: Database) -> rq.Ingested:
    lavrov = svc.add_speaker(db, "Sergei Lavrov").id
    first = _found("We will not back down,", "Sergei Lavrov", "Sergei Lavrov", "same", "said")
    first = Found(first.attribution, SpeakerGuess("Sergei Lavrov", lavrov, "same"))
    found = [
        first,
        _found("tough but fair", "Obama", "Obama", "maybe", "said"),
        _found(
            "Nobody [red]wins[/red] a trade war,",
            "Zanzibar Quillfeather",
            "Zanzibar Quillfeather",
            "new",
            "told",
        ),
    ]

    def find(db: Database, text: str, date: Any) -> Sequence[Found]:
        return found

    return rq.ingest(db, ARTICLE, title="Talks [i]end[/i]", published_on="2024-03-05", find=find)


def highlighted(pane: ReviewPane) -> list[str]:
    text = pane.article.text
    return [text.plain[s.start : s.end] for s in text.spans if s.style == CONTENT_STYLE]


def quotes(db: Database) -> list[Any]:
    return list(svc.list_quotes(db, limit=100).items)


async def open_review(
    app: Any, pilot: Any, settle: Any, main: Any
) -> tuple[ReviewList, ReviewPane]:
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)
    screen = main(pilot)
    listing = screen.lists["review"]
    pane = screen.details["review"]
    assert isinstance(listing, ReviewList) and isinstance(pane, ReviewPane)
    return listing, pane


async def test_the_article_is_shown_with_the_attribution_highlighted_and_a_accepts_it(
    db, make_app, settle, main
):
    done = fill_queue(db)
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        listing, pane = await open_review(app, pilot, settle, main)
        assert len(listing.records) == 3
        assert "Review (3)" in str(main(pilot).query_one("#tabs").get_tab("review").label)
        # The article as typed: markup not interpreted, the override made visible.
        article = pane.article.text.plain
        assert "Talks [bold]ended[/bold] early <U+202E>on Monday." in article
        assert highlighted(pane) == ["We will not back down,"]
        proposal = pane.proposal.text.plain
        assert "Sergei Lavrov" in proposal and "2024-03-05" in proposal
        assert "Talks [i]end[/i]" in proposal
        # The key bar shows the review keys.
        keys = [k[2] for k in main(pilot).query_one("KeyBar").keys]  # type: ignore[attr-defined]
        assert keys[:4] == ["Accept", "Edit & accept", "Reject", "Skip"]
        await pilot.press("a")
        await settle(pilot)
        (quote,) = quotes(db)
        assert (quote.text, quote.speaker, quote.source_id, quote.said_on) == (
            "We will not back down,",
            "Sergei Lavrov",
            done.source.id,
            "2024-03-05",
        )
        assert len(listing.records) == 2
        assert highlighted(pane) == ["tough but fair"]  # on to the next one
        assert "Review (2)" in str(main(pilot).query_one("#tabs").get_tab("review").label)


async def test_an_ambiguous_speaker_is_asked_and_escape_records_nothing(db, make_app, settle, main):
    svc.add_speaker(db, "Barack Obama")
    svc.add_speaker(db, "Michelle Obama")
    fill_queue(db)
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        listing, _pane = await open_review(app, pilot, settle, main)
        await pilot.press("down", "a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, SpeakerChoiceModal)
        await pilot.press("escape")
        await settle(pilot)
        assert quotes(db) == [] and len(listing.records) == 3
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, SpeakerChoiceModal)
        options = modal.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Barack Obama" in p for p in prompts)
        assert any("Michelle Obama" in p for p in prompts)
        assert "+ new speaker Obama" in prompts[-1]
        target = next(i for i, p in enumerate(prompts) if "Barack Obama" in p)
        await pilot.press(*["down"] * target, "enter")
        await settle(pilot)
        (quote,) = quotes(db)
        assert (quote.text, quote.speaker) == ("tough but fair", "Barack Obama")
        assert len(listing.records) == 2


async def test_a_new_speaker_is_created_only_after_confirming(db, make_app, settle, main):
    fill_queue(db)
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        listing, pane = await open_review(app, pilot, settle, main)
        await pilot.press("end")
        await settle(pilot)
        assert highlighted(pane) == ["Nobody [red]wins[/red] a trade war,"]
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, SpeakerChoiceModal)
        options = modal.query_one(OptionList)
        assert options.option_count == 1  # nobody to choose: only "+ new"
        assert [s.name for s in svc.list_speakers(db, limit=10).items] == ["Sergei Lavrov"]
        await pilot.press("enter")
        await settle(pilot)
        (quote,) = quotes(db)
        assert quote.speaker == "Zanzibar Quillfeather"
        assert quote.text == "Nobody [red]wins[/red] a trade war,"


async def test_reject_and_skip(db, make_app, settle, main):
    done = fill_queue(db)
    first, second, third = (i.id for i in done.items)
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        listing, _pane = await open_review(app, pilot, settle, main)
        await pilot.press("r")
        await settle(pilot)
        assert rq.get_item(db, first).status == "rejected"
        assert list(listing.records) == [second, third]
        await pilot.press("s")
        await settle(pilot)
        assert rq.get_item(db, second).status == "skipped"
        # Skipped: still in the queue, marked, and the cursor is on the next one.
        assert list(listing.records) == [second, third]
        assert listing.current_id == third
        assert quotes(db) == []


async def test_edit_then_accept(db, make_app, settle, main):
    fill_queue(db)
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_review(app, pilot, settle, main)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReviewEditForm)
        form.query_one("#text", TextArea).text = "We will never back down"
        await pilot.press("ctrl+s")
        await settle(pilot)
        (quote,) = quotes(db)
        assert (quote.text, quote.speaker, quote.start_offset) == (
            "We will never back down",
            "Sergei Lavrov",
            None,
        )


async def test_the_queue_survives_a_restart(db, make_app, settle, main):
    done = fill_queue(db)
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_review(app, pilot, settle, main)
        await pilot.press("r")
        await settle(pilot)
    reopened = Database(db.url, actor="tester")
    try:
        again = make_app(reopened)
        async with again.run_test(size=(160, 45)) as pilot:
            listing, pane = await open_review(again, pilot, settle, main)
            assert list(listing.records) == [i.id for i in done.items[1:]]
            assert highlighted(pane) == ["tough but fair"]
    finally:
        reopened.close()


async def test_two_reviewers_one_item_one_quote(db, make_app, settle, main, notices):
    done = fill_queue(db)
    app = make_app(db)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_review(app, pilot, settle, main)
        # Someone else accepts the item shown, from another process.
        other = Database(db.url, actor="someone else")
        try:
            assert isinstance(rq.accept(other, done.items[0].id), rq.Accepted)
        finally:
            other.close()
        await pilot.press("a")
        await settle(pilot)
        assert len(quotes(db)) == 1
        assert any("accepted already by someone else" in n.message for n in notices)

"""Adding and editing quotes: the speaker picked from fuzzy suggestions,
validation beside the field, and nothing typed lost when a save fails."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, OptionList, Static, TextArea

from tracker import services as svc
from tracker.errors import DatabaseError
from tracker.tui.modals import ConfirmModal
from tracker.tui.screens.quote_forms import QuoteForm
from tracker.tui.widgets.pickers import SpeakerPicker, matcher_available

needs_matcher = pytest.mark.skipif(not matcher_available(), reason="speaker matcher not built yet")


def speaker_id(db, name):
    return svc.find_by_name(db, name)[0].id


@needs_matcher
async def test_add_quote_with_fuzzy_speaker(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, QuoteForm)
        form.query_one("#text", TextArea).text = "We agreed"
        await pilot.press("tab")
        # The start pasted, the rest typed: each key asks for suggestions
        # again, and only the last answer is shown.
        app.post_message(events.Paste("Stephanoph"))
        await pilot.press(*"oulos")
        await settle(pilot)
        picker = form.query_one("#speaker", SpeakerPicker)
        options = picker.query_one(OptionList)
        assert picker.dropdown_open
        first = str(options.get_option_at_index(0).prompt)
        assert "George Stephanopoulos" in first
        await pilot.press("enter")
        await settle(pilot)
        george = speaker_id(demo_db, "George Stephanopoulos")
        assert picker.record_id == george
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, QuoteForm)
        newest = svc.list_quotes(demo_db, limit=1).items[0]
        assert (newest.text, newest.speaker_id) == ("We agreed", george)
        listing = main(pilot).lists["quotes"]
        assert listing.current_id == newest.id  # shown at the top, cursor on it
        assert listing.records[newest.id].speaker == "George Stephanopoulos"


async def test_choosing_new_creates_the_speaker_when_the_form_is_saved(db, make_app, settle, pick):
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#text", TextArea).text = "Hello"
        picker = app.screen.query_one("#speaker", SpeakerPicker)
        await pick(pilot, picker, "Ann Example")  # the suggestion offered first: "+ new"
        assert picker.pending_new == "Ann Example"
        assert svc.find_by_name(db, "Ann Example") == []  # not until the form is saved
        await pilot.press("ctrl+s")
        await settle(pilot)
        created = svc.find_by_name(db, "Ann Example")
        assert len(created) == 1
        assert svc.list_quotes(db).items[0].speaker_id == created[0].id


async def test_a_cancelled_form_leaves_no_new_speaker(db, make_app, settle, pick):
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        picker = form.query_one("#speaker", SpeakerPicker)
        await pick(pilot, picker, "Ann Example", "+ new")
        assert picker.pending_new == "Ann Example"
        await pilot.press("escape")  # cancel the form
        await settle(pilot)
        if isinstance(app.screen, ConfirmModal):  # "discard unsaved changes?"
            await pilot.press("y")
            await settle(pilot)
        assert not isinstance(app.screen, QuoteForm)
        assert svc.find_by_name(db, "Ann Example") == []
        assert svc.list_speakers(db).items == ()


async def test_a_role_reference_resolves_by_the_date_typed_in_the_form(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#text", TextArea).text = "We are going to do it"
        form.query_one("#said_on", Input).value = "2019-06-01"
        picker = form.query_one("#speaker", SpeakerPicker)
        picker.input.value = "the U.S. president"
        await settle(pilot)
        first = picker.query_one(OptionList).get_option_at_index(0).prompt
        assert "Donald Trump" in str(first)  # suggestions follow the date said
        picker.input.focus()
        await pilot.press("escape")  # no choice made: the name is resolved on save
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, QuoteForm)
        assert svc.list_quotes(demo_db, limit=1).items[0].speaker == "Donald Trump"


async def test_edit_quote_updates_row_in_place(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = main(pilot).lists["quotes"]
        listing.select(12)
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, QuoteForm) and form.record is not None
        text = form.query_one("#text", TextArea)
        text.text = "that Putin is a killer, he agreed"
        form.query_one("#said_on", Input).value = "March 17, 2021"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert svc.get_quote(demo_db, 12).text == "that Putin is a killer, he agreed"
        assert svc.get_quote(demo_db, 12).said_on == "2021-03-17"
        assert listing.table.get_row(12)[1].plain.startswith("that Putin is a killer, he")
        assert listing.table.row_count == 13


async def test_validation_message_beside_field_keeps_input(demo_db, make_app, settle, pick):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, QuoteForm)
        form.query_one("#text", TextArea).text = "Unattributed words"
        form.query_one("#speaker", SpeakerPicker).input.value = "zzqx nobody"
        await settle(pilot)
        form.query_one("#speaker", SpeakerPicker).input.focus()
        await pilot.press("escape")  # close the suggestions without choosing
        assert app.screen is form
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open
        error = form.query_one("#speaker-error", Static)
        assert "choose a speaker" in str(error.render())
        assert form.query_one("#text", TextArea).text == "Unattributed words"
        form.query_one("#said_on", Input).value = "someday"
        picker = form.query_one("#speaker", SpeakerPicker)
        await pick(pilot, picker, "Joe Biden", "Joe Biden")
        assert picker.record_id == speaker_id(demo_db, "Joe Biden")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "date said" in str(form.query_one("#said_on-error", Static).render())
        assert len(svc.list_quotes(demo_db).items) == 13


async def test_locked_database_keeps_what_was_typed(demo_db, make_app, settle, pick, monkeypatch):
    def locked(*args, **kwargs):
        raise DatabaseError("tracker.db is locked by another program; try again in a moment")

    from tracker.services import quotes

    monkeypatch.setattr(quotes, "add_quote", locked)  # what the attribution service calls
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, QuoteForm)
        form.query_one("#text", TextArea).text = "Words to keep"
        await pick(pilot, form.query_one("#speaker", SpeakerPicker), "Joe Biden", "Joe Biden")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "locked" in str(form.query_one("#form-error", Static).render())
        assert form.query_one("#text", TextArea).text == "Words to keep"

"""Forms and dialogs are built once per app and opened again loaded with
what they show (``Dialog.of``): what one opening showed, typed, picked or
failed never shows in the next."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from tracker import services as svc
from tracker.tui.modals import ConfirmModal
from tracker.tui.screens.main import MainScreen
from tracker.tui.screens.quote_forms import ClaimForm, QuoteForm
from tracker.tui.widgets.pickers import SourcePicker, SpeakerPicker


def speaker_id(db, name):
    return svc.find_by_name(db, name)[0].id


def shown_errors(form) -> list[str]:
    """The error lines a person sees on the form (beside fields and under it)."""
    lines = [
        str(error.render())
        for error in form.query(".field-error")
        if isinstance(error, Static) and error.has_class("-shown")
    ]
    below = str(form.query_one("#form-error", Static).render()).strip()
    return lines + ([below] if below else [])


async def open_new_quote(pilot, settle) -> QuoteForm:
    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, QuoteForm)
    return form


async def discard(pilot, settle) -> None:
    """Escape, and answer the "discard unsaved changes?" question yes."""
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmModal)
    await pilot.press("y")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen)


async def test_new_quote_form_opened_again_is_empty_and_not_dirty(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_new_quote(pilot, settle)
        await pilot.press(*"half a thought")
        form.query_one("#said_on", Input).value = "2021-03-17"
        form.query_one("#tags", Input).value = "draft"
        form.query_one("#mode", Select).value = "indirect"
        await discard(pilot, settle)
        again = await open_new_quote(pilot, settle)
        assert again is form  # the same form, loaded again
        assert again.query_one("#text", TextArea).text == ""
        assert again.query_one("#said_on", Input).value == ""
        assert again.query_one("#tags", Input).value == ""
        assert again.query_one("#mode", Select).value == "direct"
        assert str(again.query_one("#form-title", Static).render()) == "New quote"
        assert app.focused is again.query_one("#text", TextArea)  # the first field
        assert shown_errors(again) == []
        # Nothing typed here: Escape leaves without asking.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        # Undo in the text field does not bring back what the last opening had.
        form = await open_new_quote(pilot, settle)
        await pilot.press("ctrl+z")
        assert form.query_one("#text", TextArea).text == ""


async def test_editing_one_quote_then_another_shows_the_second(demo_db, make_app, settle, main):
    biden = speaker_id(demo_db, "Joe Biden")
    other = svc.list_speakers(demo_db, "Stephanopoulos").items[0]
    source = svc.add_source(demo_db, "Town hall transcript")
    a = svc.add_quote(
        demo_db,
        "First words, with everything",
        speaker_id=biden,
        source_id=source.id,
        mode="direct",
        said_on="2021-03-17",
        venue="Hall A",
        tags=["alpha", "beta"],
        notes="note on A",
    )
    b = svc.add_quote(
        demo_db, "Second words, plain", speaker_id=other.id, mode="indirect", tags=["gamma"]
    )
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = main(pilot).lists["quotes"]
        shown = []
        for quote in (a, b):
            listing.select(quote.id)
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, QuoteForm)
            shown.append(form)
            speaker = form.query_one("#speaker", SpeakerPicker)
            picked_source = form.query_one("#source", SourcePicker)
            assert str(form.query_one("#form-title", Static).render()) == f"Edit quote #{quote.id}"
            assert form.query_one("#text", TextArea).text == quote.text
            assert (speaker.record_id, speaker.input.value) == (quote.speaker_id, quote.speaker)
            assert picked_source.record_id == quote.source_id
            assert picked_source.input.value == (quote.source or "")
            assert form.query_one("#mode", Select).value == quote.mode
            assert form.query_one("#said_on", Input).value == (quote.said_on or "")
            assert form.query_one("#venue", Input).value == (quote.venue or "")
            assert form.query_one("#tags", Input).value == ", ".join(quote.tags)
            assert form.query_one("#notes", TextArea).text == (quote.notes or "")
            assert not form.dirty
            await pilot.press("escape")  # unchanged: closes without asking
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        assert shown[0] is shown[1]


async def test_a_save_error_is_gone_when_the_form_opens_again(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_new_quote(pilot, settle)
        form.query_one("#text", TextArea).text = "Unattributed words"
        picker = form.query_one("#speaker", SpeakerPicker)
        picker.input.value = "zzqx nobody"
        await settle(pilot)
        picker.input.focus()
        await pilot.press("escape")  # close the suggestions
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert any("choose a speaker" in line for line in shown_errors(form))
        assert form.query_one("#speaker-error").has_class("-shown")  # beside the field
        await discard(pilot, settle)
        again = await open_new_quote(pilot, settle)
        assert again is form
        assert shown_errors(again) == []
        assert not again.saving
        assert again.query_one("#speaker", SpeakerPicker).input.value == ""
        assert len(svc.list_quotes(demo_db).items) == 13


async def test_a_speaker_picked_or_pending_does_not_carry_over(db, make_app, settle, pick):
    known = svc.add_speaker(db, "Ada Lovelace")
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_new_quote(pilot, settle)
        picker = form.query_one("#speaker", SpeakerPicker)
        await pick(pilot, picker, "Ann Example", "+ new")
        assert picker.pending_new == "Ann Example"
        await discard(pilot, settle)
        form = await open_new_quote(pilot, settle)
        picker = form.query_one("#speaker", SpeakerPicker)
        assert (picker.pending_new, picker.record_id, picker.input.value) == (None, None, "")
        assert not picker.dropdown_open
        assert "no speaker chosen" in str(picker.query_one(".picker-status", Static).render())
        await pick(pilot, picker, "Ada Lovelace", "Ada Lovelace")
        assert picker.record_id == known.id
        await discard(pilot, settle)
        form = await open_new_quote(pilot, settle)
        picker = form.query_one("#speaker", SpeakerPicker)
        assert (picker.pending_new, picker.record_id, picker.input.value) == (None, None, "")
        assert "no speaker chosen" in str(picker.query_one(".picker-status", Static).render())
        # Nothing was created by the cancelled forms.
        assert [s.name for s in svc.list_speakers(db).items] == ["Ada Lovelace"]


async def test_the_confirmation_asks_about_the_record_of_each_opening(
    demo_db, make_app, settle, main
):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = main(pilot).lists["quotes"]
        asked = []
        for quote_id in (12, 3):
            listing.select(quote_id)
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ConfirmModal)
            asked.append(dialog)
            quote = svc.get_quote(demo_db, quote_id)
            assert str(dialog.query_one(".confirm-title", Static).render()) == (
                f"Delete quote #{quote_id}?"
            )
            assert quote.text in str(dialog.query_one("#confirm-body", Static).render())
            assert app.focused is dialog.query_one("#no")
            await pilot.press("n")  # keep it
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        assert asked[0] is asked[1]
        assert len(svc.list_quotes(demo_db).items) == 13


async def test_new_claim_from_a_quote_names_that_quote_each_time(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = main(pilot).lists["quotes"]
        for quote_id in (12, 3):
            listing.select(quote_id)
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ClaimForm)
            quote = svc.get_quote(demo_db, quote_id)
            title = str(form.query_one("#form-title", Static).render())
            assert title.startswith(f"New claim resting on quote #{quote_id}: ")
            assert quote.text[:30] in " ".join(title.split())
            assert form.query_one("#quote_ids", Input).value == str(quote_id)
            claimant = form.query_one("#claimant", SpeakerPicker)
            assert claimant.record_id == quote.speaker_id
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)


async def test_saving_twice_with_the_same_form_records_two_quotes(demo_db, make_app, settle, pick):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entered = [
            ("The first of two", "Joe Biden", "2021-03-17", "one, shared"),
            ("The second of two", "Donald Trump", "", ""),
        ]
        forms = []
        for text, speaker, said_on, tags in entered:
            form = await open_new_quote(pilot, settle)
            forms.append(form)
            form.query_one("#text", TextArea).text = text
            form.query_one("#said_on", Input).value = said_on
            form.query_one("#tags", Input).value = tags
            await pick(pilot, form.query_one("#speaker", SpeakerPicker), speaker, speaker)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen), shown_errors(form)
        assert forms[0] is forms[1]
        newest = svc.list_quotes(demo_db, limit=2).items
        recorded = [(q.text, q.speaker, q.said_on or "", ", ".join(q.tags)) for q in newest]
        assert recorded == list(reversed(entered))
        assert len(svc.list_quotes(demo_db).items) == 15


async def test_forms_built_ahead_open_as_if_new(demo_db, make_app, settle, main, monkeypatch):
    """Once the lists are read, each form is built off screen; the first
    time it opens it shows its record, from the first field."""
    monkeypatch.setattr(MainScreen, "BUILD_FORMS_AHEAD", True)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        kept = QuoteForm.of(app, demo_db)
        claim_form = ClaimForm.of(app, demo_db)
        assert kept.is_mounted and claim_form.is_mounted  # built, not yet shown
        # The speaker index is loaded once a speaker field is on screen, not
        # as its form is built.
        speaker = kept.query_one("#speaker", SpeakerPicker)
        assert not speaker._warming
        listing = main(pilot).lists["quotes"]
        listing.select(12)
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is kept
        quote = svc.get_quote(demo_db, 12)
        assert kept.query_one("#text", TextArea).text == quote.text
        assert str(kept.query_one("#form-title", Static).render()) == "Edit quote #12"
        assert app.focused is kept.query_one("#text", TextArea)
        assert kept.query_one("#text", TextArea).region.height > 0  # laid out and shown
        assert speaker._warming
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("?")
        await settle(pilot)
        assert "Keys" in str(app.screen.query_one(Static).render())


async def test_a_kept_form_takes_a_theme_changed_while_it_was_closed(demo_db, make_app, settle):
    from textual.color import Color

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_new_quote(pilot, settle)
        surface = form.query_one("#dialog").styles.background
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+t")  # the other theme
        await settle(pilot)
        again = await open_new_quote(pilot, settle)
        assert again is form
        now = again.query_one("#dialog").styles.background
        assert now != surface
        assert now == Color.parse(app.theme_variables["surface"])

"""Leaving a form with unsaved edits asks first."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tracker import services as svc
from tracker.tui.modals import ConfirmModal
from tracker.tui.screens.main import MainScreen
from tracker.tui.screens.people_forms import SourceForm
from tracker.tui.screens.quote_forms import QuoteForm


async def test_escape_with_edits_asks_and_keeps_them(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, QuoteForm)
        await pilot.press(*"half")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#text", TextArea).text == "half"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert len(svc.list_quotes(demo_db).items) == 13


async def test_escape_without_edits_just_leaves(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        main(pilot).lists["sources"].select(3)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SourceForm)
        # the source it reports on is shown by title
        assert "Joe Biden interviewed" in form.query_one("#reports_on Input", Input).value
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

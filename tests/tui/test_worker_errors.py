"""A worker that fails is reported once: by the app, as typed (never as
markup), unless the widget that ran it shows it where it happened."""

from __future__ import annotations

import logging

from tracker import services as svc
from tracker.errors import DatabaseError
from tracker.tui.text import plain

HOSTILE = "claims are [bold]locked[/bold] \x1b[31m by [@click=app.quit]x[/]"


async def test_a_failed_list_is_notified_as_typed(
    demo_db, make_app, settle, main, notices, monkeypatch
):
    def locked(*args: object, **kwargs: object) -> None:
        raise DatabaseError(HOSTILE)

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        monkeypatch.setattr(svc, "list_claims", locked)
        await pilot.press("r")  # read the list again
        await settle(pilot)
        [notice] = notices
        assert notice.message == plain(HOSTILE)  # "[bold]" as typed, ESC drawn as a symbol
        assert (notice.severity, notice.markup) == ("error", False)
        claims = main(pilot).lists["claims"]
        assert "loading" not in str(claims.query_one(".list-status").render())
        assert app.is_running  # the [@click=app.quit] text did nothing


async def test_an_unexpected_error_is_shown_where_it_happened_logged_and_notified(
    demo_db, make_app, settle, main, notices, monkeypatch, caplog
):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no [b]detail[/b]")

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(svc, "get_quote", broken)
        with caplog.at_level(logging.ERROR, logger="tracker.tui.app"):
            await pilot.press("down")
            await settle(pilot)
        detail = main(pilot).details["quotes"]
        assert detail.text.plain == "no [b]detail[/b]"
        assert [n.message for n in notices] == [
            "Something went wrong: RuntimeError: no [b]detail[/b]"
        ]
        assert "unexpected error in a worker" in caplog.text


async def test_a_failed_save_stays_in_its_form(demo_db, make_app, settle, notices, monkeypatch):
    from textual.widgets import Select, Static, TextArea

    from tracker.tui.screens.verdict import VerdictForm

    def locked(*args: object, **kwargs: object) -> None:
        raise DatabaseError("the database is locked [by someone]")

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5", "v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VerdictForm)
        form.query_one("#rating", Select).value = "Promise Kept"
        form.query_one("#rationale", TextArea).text = "Words to keep"
        monkeypatch.setattr(svc, "add_review", locked)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        shown = str(form.query_one("#form-error", Static).render())
        assert "locked [by someone]" in shown
        assert form.query_one("#rationale", TextArea).text == "Words to keep"
        assert notices == []  # the form said it; no toast besides

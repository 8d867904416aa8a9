"""Changes made elsewhere show in a running app without a reload: another
window, an import, a colleague on the same server (issue 12). The other
writer here is a second ``Database`` on the same file or server: its own
engine and connections, as another process has."""

from __future__ import annotations

import asyncio

import pytest
from textual.pilot import Pilot

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import DatabaseError
from tracker.tui.screens.main import MainScreen


@pytest.fixture
def polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "POLL_SECONDS", 0.1)


async def until(pilot: Pilot[None], check, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app run (its timer fires, its workers read) until ``check()``."""
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    assert check(), "the change did not show in time"


@pytest.mark.usefixtures("polling")
async def test_a_colleagues_edits_show_without_a_reload(demo_db, make_app, settle, main):
    colleague = Database(demo_db.url, actor="colleague")
    app = make_app(demo_db)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = main(pilot)
            quotes = screen.lists["quotes"]
            await pilot.press("down")  # the user is on the second quote
            await settle(pilot)
            here = quotes.current_id
            assert here is not None

            new = svc.add_quote(colleague, "brand new words from next door", speaker_id=1)
            await until(pilot, lambda: new.id in quotes.records)
            assert quotes.current_id == here, "someone else's new quote moved the cursor"

            svc.update_quote(colleague, here, text="edited next door")
            await until(pilot, lambda: quotes.records[here].text == "edited next door")
            await until(pilot, lambda: "edited next door" in screen.details["quotes"].text.plain)

            svc.delete_quote(colleague, new.id)
            await until(pilot, lambda: new.id not in quotes.records)
            assert quotes.current_id == here
    finally:
        colleague.close()


@pytest.mark.usefixtures("polling")
async def test_a_lost_database_is_said_once_and_recovery_too(
    demo_db, make_app, settle, main, notices, monkeypatch: pytest.MonkeyPatch
):
    from tracker.services import audit

    real = audit.news_since
    down = True

    def flaky(db: Database, after: int, limit: int = 200) -> audit.News:
        if down:
            raise DatabaseError("could not reach the database server")
        return real(db, after, limit)

    monkeypatch.setattr(audit, "news_since", flaky)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await asyncio.sleep(0.5)  # several looks, all failing
        await pilot.pause()
        lost = [n for n in notices if "could not reach" in n.message]
        assert len(lost) == 1 and lost[0].severity == "error" and not lost[0].markup
        down = False
        await until(pilot, lambda: any("answers again" in n.message for n in notices))
        assert len([n for n in notices if "could not reach" in n.message]) == 1


async def test_changes_made_while_a_form_is_open_show_as_it_closes(
    demo_db, make_app, settle, main, monkeypatch
):
    """While a form is open the app does not look for changes (each look
    redrew the form); it looks as the form closes, not at its next look."""
    monkeypatch.setattr(MainScreen, "POLL_SECONDS", 60.0)  # the next look is far off
    colleague = Database(demo_db.url, actor="colleague")
    app = make_app(demo_db)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = main(pilot)
            quotes = screen.lists["quotes"]
            await pilot.press("a")  # a new quote form
            await settle(pilot)
            assert app.screen is not screen
            new = svc.add_quote(colleague, "said while the form was open", speaker_id=1)
            await pilot.press("escape")  # nothing typed: it closes at once
            await until(pilot, lambda: new.id in quotes.records)
            assert app.screen is screen
    finally:
        colleague.close()

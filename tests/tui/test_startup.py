"""The app starts on an empty database and on the demo, and shows its lists."""

from __future__ import annotations

from tracker.tui.widgets.lists import DueList, QuoteList


async def test_starts_on_empty_database(db, make_app, settle, main):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        quotes = screen.lists["quotes"]
        assert isinstance(quotes, QuoteList)
        assert quotes.loaded and quotes.table.row_count == 0
        assert "0 shown" in str(quotes.query_one(".list-status").render())


async def test_starts_on_demo_with_quotes_and_due_count(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        assert screen.lists["quotes"].table.row_count == 13
        due = screen.lists["due"]
        assert isinstance(due, DueList)
        assert list(due.records) == [2]  # Biden's promise is due; claim 1 has a final verdict
        assert "Due for review (1)" in str(screen.query_one("#tabs").get_tab("due").label)


async def test_every_tab_loads(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, tab, count in (("2", "claims", 8), ("3", "speakers", 12), ("4", "sources", 3)):
            await pilot.press(key)
            await settle(pilot)
            screen = main(pilot)
            assert screen.tab == tab
            assert screen.current_list.table.row_count == count

"""Switching tabs: a tab's rows are read before it is first shown."""

from __future__ import annotations


async def test_hidden_tabs_are_read_in_the_background(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        assert screen.tab == "quotes"
        # Once the database is open, every list has its first page...
        assert all(listing.loaded for listing in screen.lists.values())
        await pilot.press("3")
        # ...so a tab shows its rows as it is shown, with no query to wait for.
        speakers = screen.lists["speakers"]
        assert screen.tab == "speakers" and not speakers.loading_page
        assert speakers.table.row_count == 12
        assert screen.focused is speakers.table

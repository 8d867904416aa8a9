"""The detail pane follows the cursor, wraps to its width, scrolls and can be copied from."""

from __future__ import annotations

from textual.selection import Selection

from tracker import services as svc


async def test_detail_shows_where_the_cursor_rests(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        quotes = screen.lists["quotes"]
        await pilot.press(*["down"] * 5)  # faster than the detail follows
        await settle(pilot)
        current = quotes.current
        assert current is not None and current.id == 8  # 13 is first, newest first
        shown = screen.details["quotes"].text.plain
        assert shown.startswith(f"Quote #{current.id}\n")
        await pilot.press("up")
        await settle(pilot)
        assert screen.details["quotes"].text.plain.startswith("Quote #9\n")


async def test_detail_wraps_scrolls_and_copies(demo_db, make_app, settle, main):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:  # the detail under the list
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = main(pilot)
        screen.lists["speakers"].select(biden.id)
        await settle(pilot)
        pane = screen.details["speakers"]
        everything = pane.get_selection(Selection(None, None))
        assert everything is not None
        lines = everything[0].splitlines()
        assert max(len(line) for line in lines) <= pane.scrollable_content_region.width
        assert len(lines) > pane.scrollable_content_region.height  # taller than the pane
        # Wrapped, not cut: every word of the quotes is there.
        assert "that Putin is a killer" in " ".join(lines)
        await pilot.press("enter")  # from the list to the detail
        assert screen.focused is pane
        await pilot.press("end")
        await settle(pilot)
        assert pane.scroll_offset.y == pane.max_scroll_y > 0

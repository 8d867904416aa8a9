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


async def test_a_tab_shown_the_first_time_has_its_scrollbars_and_wrapping(
    long_db, make_app, settle, main
):
    """The list and detail of a tab shown the first time get their scrollbars
    and wrapping from the tab they replace (so the screen is laid out once):
    they must be what Textual would have given them once laid out."""
    from tracker import services as svc

    speaker = svc.find_by_name(long_db, "Ada Lovelace")[0]
    for n in range(60):  # a speaker whose detail is longer than the pane
        svc.add_claim(long_db, f"claim number {n} " * 4, claimant_id=speaker.id)
    app = make_app(long_db)
    async with app.run_test(size=(100, 24)) as pilot:  # narrow: detail under the list
        await settle(pilot)
        screen = main(pilot)
        for key, tab in (("2", "claims"), ("3", "speakers"), ("1", "quotes")):
            await pilot.press(key)
            await settle(pilot)
            table, detail = screen.lists[tab].table, screen.details[tab]
            # A list always has its scrollbar (its rows keep their width as
            # it fills or empties: no layout of the screen while searching).
            assert table.show_vertical_scrollbar, tab
            assert table.scrollable_content_region.width == table.size.width - 2, tab
            assert detail._wrapped_at == detail.scrollable_content_region.width, tab
            lines = len(detail._lines)
            assert detail.show_vertical_scrollbar == (lines > detail.size.height), tab
        # The speaker's detail (60 claims) needed its scrollbar, and has it.
        assert screen.details["speakers"].show_vertical_scrollbar


async def test_a_tab_switch_is_drawn_whole_in_its_first_frames(long_db, make_app, settle, main):
    """A tab switch draws the tab, its key bar and the tab bar's underline in
    the frame of its layout, and drops the repaints asked for before it. What
    is on screen must then be what the widgets show: the underline under the
    active tab, the key bar with the tab's keys, the rows at their width with
    their scrollbar's range, whether the tab is shown the first time or again."""
    from textual.widgets import Tabs
    from textual.widgets._tabs import Underline

    from tracker.tui.widgets.key_bar import KeyBar

    app = make_app(long_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        tabs = screen.query_one(Tabs)
        for key, tab in (("2", "claims"), ("3", "speakers"), ("1", "quotes"), ("2", "claims")):
            await pilot.press(key)
            await settle(pilot)
            active = tabs.query_one("#tabs-list > Tab.-active")
            span = active.virtual_region.shrink(active.styles.gutter).column_span
            underline = tabs.query_one(Underline)
            assert (underline.highlight_start, underline.highlight_end) == span, tab
            # The key bar shows the keys of the tab shown, as a fresh look at
            # the bindings does.
            bar = screen.query_one(KeyBar)
            shown = list(bar.keys)
            bar._bindings_changed(screen)
            assert bar.keys == shown, tab
            table = screen.lists[tab].table
            assert table._width == table.scrollable_content_region.width, tab
            assert table.virtual_size.height == table.row_count + 1, tab

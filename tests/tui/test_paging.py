"""Long lists are read a page at a time as the cursor moves down."""

from __future__ import annotations


async def test_paging_down_a_long_list_reaches_its_end(long_db, make_app, settle, main):
    app = make_app(long_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        quotes = main(pilot).lists["quotes"]
        assert quotes.table.row_count == 100
        for _ in range(12):  # pages of 100 are read ahead and added as the cursor nears them
            await pilot.press("pagedown")
            await settle(pilot)
            if quotes.next_cursor is None and quotes.table.cursor_row == quotes.table.row_count - 1:
                break  # at the end
        assert quotes.table.row_count == 250
        assert quotes.current is not None and quotes.current.text == "note number 1"
        ids = quotes.table.keys
        assert ids == sorted(ids, reverse=True) and len(set(ids)) == 250
        assert "250 shown" in str(quotes.query_one(".list-status").render())
        assert "more below" not in str(quotes.query_one(".list-status").render())


async def test_scrolling_to_the_end_with_the_mouse_reads_the_next_page(
    long_db, make_app, settle, main
):
    app = make_app(long_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = main(pilot).lists["quotes"].table
        assert table.row_count == 100
        table.scroll_end(animate=False)  # what the wheel or the scrollbar does
        await settle(pilot)
        assert table.row_count == 200
        assert table.cursor_key == 250  # the cursor stayed on the first row

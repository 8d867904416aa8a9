"""Long lists are read a page at a time as the cursor moves down."""

from __future__ import annotations

from tracker import services as svc


async def test_paging_down_a_long_list_reaches_its_end(db, make_app, settle, main):
    speaker = svc.add_speaker(db, "Ada Lovelace")
    for n in range(1, 251):
        svc.add_quote(db, f"note number {n}", speaker_id=speaker.id)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        quotes = main(pilot).lists["quotes"]
        assert quotes.table.row_count == 100
        for _ in range(12):  # pages of 100 are read ahead and added as the cursor nears them
            await pilot.press("pagedown")
            await settle(pilot)
        assert quotes.table.row_count == 250
        assert quotes.current is not None and quotes.current.text == "note number 1"
        ids = quotes.table.keys
        assert ids == sorted(ids, reverse=True) and len(set(ids)) == 250
        assert "250 shown" in str(quotes.query_one(".list-status").render())
        assert "more below" not in str(quotes.query_one(".list-status").render())


async def test_scrolling_to_the_end_with_the_mouse_reads_the_next_page(db, make_app, settle, main):
    speaker = svc.add_speaker(db, "Ada Lovelace")
    for n in range(1, 251):
        svc.add_quote(db, f"note number {n}", speaker_id=speaker.id)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = main(pilot).lists["quotes"].table
        assert table.row_count == 100
        table.scroll_end(animate=False)  # what the wheel or the scrollbar does
        await settle(pilot)
        assert table.row_count == 200
        assert table.cursor_key == 250  # the cursor stayed on the first row

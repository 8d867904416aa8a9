"""Search as you type, and filters."""

from __future__ import annotations

from textual.widgets import Input, Select

from tracker import services as svc
from tracker.tui.screens.filters import FilterForm
from tracker.tui.widgets.pickers import SpeakerPicker


async def test_slash_then_typing_searches_the_list(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"killer")
        await settle(pilot)
        screen = main(pilot)
        quotes = screen.lists["quotes"]
        assert set(quotes.records) == {1, 12}
        assert {r.speaker for r in quotes.records.values()} == {"Joe Biden"}
        assert screen.query_one("#search", Input).value == "killer"
        await pilot.press("escape")  # back to the list, search kept
        assert screen.focused is quotes.table
        await pilot.press("2")  # the claims tab has its own search
        await settle(pilot)
        assert screen.query_one("#search", Input).value == ""
        await pilot.press("1")
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "killer"


async def test_filters_by_speaker_and_kind(demo_db, make_app, settle, main, pick):
    kugelman = svc.find_by_name(demo_db, "Michael Kugelman")[0]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FilterForm)
        picker = form.query_one("#speaker", SpeakerPicker)
        await pick(pilot, picker, "Kugelman")
        assert picker.record_id == kugelman.id
        form.query_one("#kind", Select).value = "prediction"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = main(pilot)
        quotes = screen.lists["quotes"]
        assert len(quotes.records) == 0  # a claim-kind filter leaves quotes out
        await pilot.press("2")
        await settle(pilot)
        claims = screen.lists["claims"]
        assert sorted(claims.records) == [3, 4]
        summary = str(screen.query_one("#filter-summary").render())
        assert "Michael Kugelman" in summary and "prediction" in summary
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#kind", Select).clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted(claims.records) == [3, 4]  # still only Kugelman's
        await pilot.press("1")
        await settle(pilot)
        assert {r.speaker_id for r in quotes.records.values()} == {kugelman.id}
        assert len(quotes.records) == 2
        await pilot.press("x")
        await settle(pilot)
        assert len(quotes.records) == 13


async def test_bad_date_filter_shown_beside_field(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        form.query_one("#date_from", Input).value = "2022"
        form.query_one("#date_to", Input).value = "2021"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "ends" in str(form.query_one("#date_to-error").render())


async def test_a_search_shows_its_first_hit_with_the_rows(demo_db, make_app, settle, main):
    """Typing a search that empties the list, then one that fills it: the
    detail pane goes from "Nothing selected" straight to the first hit,
    drawn with the rows (read with them, not after them: no "Loading…"
    in between), and follows the cursor after that."""
    from tracker.tui.widgets.detail import DetailPane

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        pane = screen.details["quotes"]
        shown: list[str] = []
        update = pane.update

        def watched(text):  # what the pane is given to show, in order
            shown.append(text.plain.split("\n", 1)[0])
            update(text)

        pane.update = watched  # type: ignore[method-assign]
        await pilot.press("slash", "k")  # a word in no quote
        await settle(pilot)
        assert shown[-1] == "Nothing selected"
        shown.clear()
        await pilot.press(*"iller")  # "ki", a prefix, fills the list
        await settle(pilot)
        quotes = screen.lists["quotes"]
        first = quotes.current
        assert first is not None and set(quotes.records) == {1, 12}
        assert "Loading…" not in shown
        assert shown[-1] == f"Quote #{first.id}"
        assert isinstance(pane, DetailPane) and pane.text.plain.startswith(f"Quote #{first.id}\n")
        await pilot.press("escape", "down")
        await settle(pilot)
        assert pane.text.plain.startswith(f"Quote #{quotes.current.id}\n")
        assert quotes.current.id != first.id

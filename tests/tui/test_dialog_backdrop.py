"""A form or dialog is drawn over the main screen dimmed. The tracker draws
that backdrop itself (``Dialog.render_line``), from the main screen's
compositor lines: what a person sees must be what Textual draws
(``BackgroundScreen``), and the screen as it is now, not as it was when
the dialog was last open."""

from __future__ import annotations

from rich.segment import Segment
from textual.renderables.background_screen import BackgroundScreen

from tracker.tui.modals import Dialog
from tracker.tui.screens.main import MainScreen


def cells(lines) -> list[list[tuple[str, object]]]:
    """Each line as its characters with their styles (however split into segments)."""
    return [[(char, seg.style) for seg in line for char in seg.text] for line in lines]


def as_textual_draws_it(app, main: MainScreen, dialog: Dialog) -> list[list[tuple[str, object]]]:
    console = app.console
    width, height = dialog.size
    segments = console.render(
        BackgroundScreen(main, dialog.styles.background),
        console.options.update_dimensions(width, height),
    )
    return cells(Segment.split_and_crop_lines(segments, width, pad=True, include_new_lines=False))


def drawn(dialog: Dialog) -> list[list[tuple[str, object]]]:
    return cells(dialog.render_line(y) for y in range(dialog.size.height))


async def test_a_form_shows_the_list_behind_it_as_it_is_now(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        first_row = main.current_list.current_id
        # The cursor moves, and the form opens at once.
        await pilot.press("down", "a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, Dialog)
        assert main.current_list.current_id != first_row
        assert drawn(form) == as_textual_draws_it(app, main, form)
        # The list's second row is under the cursor, dimmed.
        reference = main._compositor.render_strips(main.size)
        assert [line.text for line in reference] == [
            "".join(ch for ch, _style in line) for line in drawn(form)
        ]


async def test_a_form_opened_again_shows_the_list_as_it_is_then(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, Dialog)
        before = drawn(form)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "down", "a")
        await settle(pilot)
        assert app.screen is form  # the same form, kept
        assert drawn(form) == as_textual_draws_it(app, main, form)
        assert drawn(form) != before  # the cursor is two rows down

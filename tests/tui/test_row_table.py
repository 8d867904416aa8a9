"""The list table on its own: what is drawn, where the cursor goes, what it reports."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.strip import Strip

from tracker.tui.text import cell
from tracker.tui.widgets.row_table import Column, RowTable

COLUMNS = (Column("id", "#", 4, "right"), Column("text", "Text", None), Column("who", "Who", 6))


def rows(ids: range) -> list[tuple[int, tuple[Text, ...]]]:
    return [(i, (Text(str(i)), cell(f"row number {i}"), cell("Ada Lovelace"))) for i in ids]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield RowTable(COLUMNS)

    @property
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    @on(RowTable.RowHighlighted)
    def _highlighted(self, event: RowTable.RowHighlighted) -> None:
        self.events.append(("highlighted", event.key))

    @on(RowTable.RowSelected)
    def _selected(self, event: RowTable.RowSelected) -> None:
        self.events.append(("selected", event.key))


def screen_lines(app: App[None]) -> list[str]:
    table = app.query_one(RowTable)
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_draws_a_header_and_cuts_cells_to_their_columns() -> None:
    app = TableApp()
    async with app.run_test(size=(30, 6)) as pilot:
        app.table.replace(rows(range(100, 0, -1)))
        await pilot.pause()
        lines = screen_lines(app)
        # 30 columns less a scrollbar: # takes 4+2, Who 6+2, Text what is left.
        assert lines[0].startswith("    #  Text")
        assert "Who" in lines[0]
        assert lines[1] == "  100  row number …  Ada L… "
        assert all(len(line) == len(lines[0]) for line in lines)


async def test_moving_the_cursor_scrolls_and_reports_the_row() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 6)) as pilot:  # a header and five rows
        table = app.table
        table.replace(rows(range(50, 0, -1)))
        table.focus()
        await pilot.pause()
        await pilot.press("down", "down")
        assert table.cursor_key == 48
        await pilot.press("pagedown")
        assert table.cursor_row == 7 and table.cursor_key == 43
        # The view moved a page too, and the cursor's row is on screen.
        assert [line.split()[0] for line in screen_lines(app)[1:]] == ["45", "44", "43", "42", "41"]
        await pilot.press("end")
        assert table.cursor_key == 1 and "1  row number 1" in screen_lines(app)[-1]
        await pilot.press("home")
        assert table.cursor_key == 50 and "50  row number 50" in screen_lines(app)[1]
        await pilot.press("pageup", "up")  # at the top already: nothing moves
        await pilot.press("enter")
        await pilot.pause()
        assert app.events == [
            ("highlighted", 49),
            ("highlighted", 48),
            ("highlighted", 43),
            ("highlighted", 1),
            ("highlighted", 50),
            ("selected", 50),
        ]


async def test_a_click_moves_the_cursor_and_a_second_click_selects() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 8)) as pilot:
        app.table.replace(rows(range(10, 0, -1)))
        await pilot.pause()
        await pilot.click(RowTable, offset=(5, 3))  # the header, then rows 10, 9, 8
        assert app.table.cursor_key == 8
        await pilot.click(RowTable, offset=(5, 3))
        await pilot.click(RowTable, offset=(5, 0))  # the header does nothing
        await pilot.pause()
        assert app.events == [("highlighted", 8), ("selected", 8)]


async def test_rows_added_inserted_updated_and_removed_keep_the_cursor_on_its_row() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.table
        table.replace(rows(range(10, 5, -1)), cursor_key=7)
        assert table.cursor_key == 7
        table.append(rows(range(6, 0, -1)))  # 6 is shown already: skipped
        assert table.keys == list(range(10, 0, -1))
        table.insert_by_key(12, rows(range(12, 11, -1))[0][1])
        table.insert_by_key(11, rows(range(11, 10, -1))[0][1])
        assert table.keys[:3] == [12, 11, 10] and table.cursor_key == 7
        table.insert_by_key(11, rows(range(11, 10, -1))[0][1])  # there already: updated
        assert table.keys.count(11) == 1
        table.remove_row(12)
        assert table.cursor_key == 7
        table.update_row(7, (Text("7"), Text("[bold]changed[/bold]"), Text("")))
        await pilot.pause()
        assert any("7  [bold]changed[/bold]" in line for line in screen_lines(app))
        table.remove_row(7)
        assert table.cursor_key == 6  # the next row takes the cursor's place
        await pilot.pause()
        assert not any("changed" in line for line in screen_lines(app))
        table.replace([])
        assert table.row_count == 0 and table.cursor_key is None
        await pilot.press("down", "enter")
        assert app.events == []


async def test_text_is_drawn_literally() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 4)) as pilot:
        app.table.replace([(1, (Text("1"), cell("[bold red]x[/] \x1b[2J"), cell("me")))])
        await pilot.pause()
        assert "[bold red]x[/] \u241b[2J" in screen_lines(app)[1]


TRICKY = [
    "",
    "a",
    "ab",
    "x" * 300,
    "tab\there and a\nnew line",
    "escape \x1b[31m red",
    "an override \u202e evil",
    "中文字符测试中文字符测试中文字符测试",
    "e\u0301" * 40,
    "emoji " + "😀" * 30,
    "“curly” ‘quotes’ — and an ellipsis …" * 4,
    "[bold]not markup[/bold]",
    "zero\u200bwidth",
]


async def test_a_row_is_drawn_as_rich_draws_its_cells_side_by_side() -> None:
    """RowTable cuts plain cells as strings, and leaves the others to Rich:
    either way, each row is the cells cut or padded to their columns, as
    Rich's Text draws them, in their styles (the id dim, a cell's own style,
    the symbols of made-visible control characters reversed)."""
    from rich.style import Style

    from tracker.tui.text import fit

    def as_rich_draws_it(table: RowTable, cells, widths) -> list[tuple[str, Style]]:
        line = Text(no_wrap=True, end="")
        for column, one, width in zip(table.columns, cells, widths, strict=True):
            line.append(" ")
            line.append_text(fit(one, width, column.justify))
            line.append(" ")
        strip = Strip(line.render(table.app.console, end="")).adjust_cell_length(table._width)
        return chars(strip)

    def chars(strip: Strip) -> list[tuple[str, Style]]:
        on_red = strip.apply_style(Style(bgcolor="red"))  # as each row is drawn, in a style
        return [(char, seg.style or Style.null()) for seg in on_red for char in seg.text]

    app = TableApp()
    async with app.run_test(size=(60, 10)):
        table = app.table
        for width in (58, 30, 12, 3):
            table._width = width
            widths = table._widths(width)
            for text in TRICKY:
                for style in ("", "italic"):
                    cells = (Text(str(len(text)), style="dim"), cell(text, style=style), cell(text))
                    drawn = table._layout(cells, widths)
                    assert drawn.cell_length == width
                    assert chars(drawn) == as_rich_draws_it(table, cells, widths), (text, width)

"""A table of one-line rows, drawn line by line: only the rows on screen are drawn.

Textual's ``DataTable`` renders every cell through Rich (padding, wrapping,
cropping) and measures rows as they are added. Our lists page in 100 rows at
a time and PageDown shows a whole screen of rows never drawn before, which
cost about 70 ms a key there (docs/benchmarks.md). Here a row is laid out as
one line of fixed-width cells, drawn once when it first comes on screen and
kept; adding rows is a list append, and moving the cursor redraws two lines.

Rows are keyed by record id. Cells are Rich ``Text`` objects already made
literal (see ``tracker.tui.text``); they are cut to their column's width
here, so a resize costs nothing until the rows are drawn again."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tracker.tui.keys import bindings
from tracker.tui.text import fit

Cells = Sequence[Text]
CELL_PADDING = 1  # blank cells either side of every cell, as in DataTable


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None  # None: takes the room left over
    justify: Literal["left", "right"] = "left"


def _style(console: Console, style: str | Style) -> Style:
    """A cell's style as Rich's Text resolves it when it draws the cell."""
    return style if isinstance(style, Style) else console.get_style(style, default=Style.null())


def draw_now(widget: Widget) -> None:
    """Draw what changed on ``widget``'s screen now, rather than at the
    screen's next tick.

    Textual draws a screen's changes on a 60 Hz grid: what a worker read
    (a first page, a record's detail) and came in between two ticks waited up
    to 17 ms (8 on average) to be drawn, a fifth of a search key. This does
    what the tick does (``Screen._on_timer_update``: a layout if one was
    asked for, then the widgets that changed) and leaves the tick nothing
    to do. Private Textual API: tests/tui/test_textual_api.py."""
    screen = widget.screen
    if screen.is_current:
        screen._on_timer_update()


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Give a line-API view a new virtual size without a layout of the screen.

    The view keeps its own size, so only its scrollbars need updating; setting
    ``virtual_size`` would lay out the whole screen. ``_scroll_update`` is
    what ScrollView itself calls on a resize (Textual 8.2, pinned in
    pyproject.toml); tests/tui/test_textual_api.py fails if it changes."""
    if size != view.virtual_size:
        view.set_reactive(ScrollView.virtual_size, size)
        view._scroll_update(size)


class RowTable(ScrollView, can_focus=True):
    """Rows of cells under a header line, with a row cursor."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("table")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--even-row",
        "row-table--cursor",
    }

    # The colours of Textual's DataTable, so the lists look as they did.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .row-table--even-row { background: $surface-darken-1 40%; }
        & > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .row-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .row-table--even-row { background: $surface-lighten-1 50%; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    @dataclass
    class RowHighlighted(Message):
        """The cursor moved to another row (a key press, a click, ``move_cursor``)."""

        table: RowTable
        row: int
        key: int

    @dataclass
    class RowSelected(Message):
        """Enter, or a click on the row under the cursor."""

        table: RowTable
        row: int
        key: int

    @dataclass
    class Scrolled(Message):
        """The view moved (the mouse wheel, the scrollbar): ``bottom`` is the
        row at the bottom of the view, for loading more before it is reached."""

        table: RowTable
        bottom: int

    def __init__(
        self, columns: Sequence[Column], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = tuple(columns)
        self.cursor_row = 0
        self._keys: list[int] = []
        self._cells: list[Cells] = []
        self._index: dict[int, int] = {}  # key -> row, rebuilt lazily after inserts
        self._drawn: dict[int, Strip] = {}  # key -> its line, laid out at _width
        self._header: Strip | None = None
        self._width = 0
        self._row_styles: tuple[Style, Style, Style, Style] | None = None

    # -- reading -------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def keys(self) -> list[int]:
        """The rows' keys, top to bottom."""
        return list(self._keys)

    @property
    def cursor_key(self) -> int | None:
        return self._keys[self.cursor_row] if self._keys else None

    def index_of(self, key: int) -> int | None:
        if len(self._index) != len(self._keys):
            self._index = {k: i for i, k in enumerate(self._keys)}
        return self._index.get(key)

    def get_row(self, key: int) -> Cells:
        index = self.index_of(key)
        if index is None:
            raise KeyError(key)
        return self._cells[index]

    # -- changing the rows -----------------------------------------------------------
    def replace(self, rows: Iterable[tuple[int, Cells]], cursor_key: int | None = None) -> None:
        """Show these rows instead, with the cursor on ``cursor_key`` if it is
        among them (else on the first row). Posts no RowHighlighted: the
        caller knows the cursor's record changed."""
        self._keys, self._cells = [], []
        self._index, self._drawn = {}, {}
        self._append(rows)
        index = self.index_of(cursor_key) if cursor_key is not None else None
        self.cursor_row = index or 0
        self._resized()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_to_cursor()
        self.refresh()

    def append(self, rows: Iterable[tuple[int, Cells]]) -> None:
        """Add rows at the bottom (rows already shown are skipped)."""
        first = len(self._keys)
        self._append(rows)
        self._resized()
        self.refresh_lines(first + 1, len(self._keys) - first)

    def _append(self, rows: Iterable[tuple[int, Cells]]) -> None:
        for key, cells in rows:
            if self.index_of(key) is None:
                self._index[key] = len(self._keys)
                self._keys.append(key)
                self._cells.append(cells)

    def update_row(self, key: int, cells: Cells) -> None:
        index = self.index_of(key)
        if index is None:
            raise KeyError(key)
        self._cells[index] = cells
        self._drawn.pop(key, None)
        self.refresh_line(index + 1)

    def insert_by_key(self, key: int, cells: Cells) -> None:
        """Add a row where its key belongs in keys sorted high to low (newest
        first, as every list is), keeping the cursor on its row."""
        if self.index_of(key) is not None:
            self.update_row(key, cells)
            return
        index = bisect_left([-k for k in self._keys], -key)
        self._keys.insert(index, key)
        self._cells.insert(index, cells)
        self._index = {}
        if index <= self.cursor_row and len(self._keys) > 1:
            self.cursor_row += 1
        self._resized()
        self.refresh()

    def remove_row(self, key: int) -> None:
        index = self.index_of(key)
        if index is None:
            return
        del self._keys[index], self._cells[index]
        self._drawn.pop(key, None)
        self._index = {}
        if index < self.cursor_row or self.cursor_row >= len(self._keys):
            self.cursor_row = max(0, self.cursor_row - 1)
        self._resized()
        self.refresh()

    def _resized(self) -> None:
        set_virtual_size(self, Size(self._width, len(self._keys) + 1))

    def size_like(self, shown: RowTable) -> None:
        """Before this table is first shown where ``shown`` is (a tab switch):
        show its scrollbar now if its rows will not fit, as they will not in
        ``shown``'s room. Textual decides that once the table has a size, and
        a scrollbar that then appears costs another layout of the screen."""
        if self.size.height or not shown.size.height:
            return  # shown before (Textual keeps it right), or no model yet
        room = shown.scrollable_content_region.height
        overflow = self.styles.overflow_y  # "scroll" (DEFAULT_CSS): always shown
        scrolls = overflow == "scroll" or (overflow == "auto" and len(self._keys) + 1 > room)
        self.set_reactive(Widget.show_vertical_scrollbar, scrolls)
        if scrolls == shown.show_vertical_scrollbar and shown._width:
            # Its rows' width too (the same room): as its first lines are
            # drawn it finds the width it was given, and its scrollbar has
            # its range already, rather than taking it in the middle of that
            # drawing (and a frame of its own after it).
            self._width = shown._width
            self._drawn = {}
            self._header = None
            self._resized()

    # -- the cursor ------------------------------------------------------------------
    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        if not self._keys:
            return
        row = max(0, min(row, len(self._keys) - 1))
        old = self.cursor_row
        self.cursor_row = row
        if scroll:
            self._scroll_to_cursor()
        if row != old:
            self.refresh_line(old + 1)
            self.refresh_line(row + 1)
            self.post_message(self.RowHighlighted(self, row, self._keys[row]))

    def move_to_key(self, key: int) -> bool:
        index = self.index_of(key)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    @property
    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._page_rows:
            self.scroll_to(y=self.cursor_row - self._page_rows + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_down(self) -> None:
        # The view moves a page and the cursor with it, as in DataTable.
        page = self._page_rows
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, immediate=True)
        self.move_cursor(self.cursor_row + page)

    def action_page_up(self) -> None:
        page = self._page_rows
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False, immediate=True)
        self.move_cursor(self.cursor_row - page)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._keys) - 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self, round(new_value) + self._page_rows - 1))

    def action_select_cursor(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self.cursor_row, self._keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:  # the header
            return
        row = self.scroll_offset.y + event.y - 1
        if row >= len(self._keys):
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row, scroll=False)

    # -- drawing -------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_styles = None  # the theme or focus changed
        self._header = None

    def on_focus(self) -> None:
        self._row_styles = None  # the cursor is drawn brighter in focus
        self.refresh()

    def on_blur(self) -> None:
        self._row_styles = None
        self.refresh()

    def _styles(self) -> tuple[Style, Style, Style, Style]:
        """Base, even-row, cursor and header styles."""
        if self._row_styles is None:
            base = self.rich_style
            self._row_styles = (
                base,
                base + self.get_component_rich_style("row-table--even-row"),
                base + self.get_component_rich_style("row-table--cursor"),
                base + self.get_component_rich_style("row-table--header"),
            )
        return self._row_styles

    def _widths(self, width: int) -> list[int]:
        pad = 2 * CELL_PADDING
        fixed = sum((c.width or 0) + pad for c in self.columns)
        flexible = sum(1 for c in self.columns if c.width is None)
        rest = max(1, (width - fixed) // flexible) if flexible else 0
        return [c.width if c.width is not None else rest for c in self.columns]

    def _layout(self, cells: Sequence[Text], widths: list[int]) -> Strip:
        """One row's line: each cell cut or padded to its column's width,
        with blank padding either side, as Rich draws the cells side by side.
        A cell of plain one-cell characters in one style (most cells) is cut
        here as a string; Rich's Text does the rest (a made-visible control
        character, a wide or combining one): five times faster a row."""
        console = self.app.console
        null = Style.null()
        segments: list[Segment] = []
        plain: list[str] = []  # text in no style, not yet a segment
        space = " " * CELL_PADDING
        for column, cell, width in zip(self.columns, cells, widths, strict=True):
            plain.append(space)
            text = cell.plain
            if not cell.spans and cell_len(text) == len(text):
                if len(text) > width:
                    text = text[: width - 1] + "…" if width > 1 else text[: max(0, width)]
                elif column.justify == "right":
                    text = text.rjust(width)
                else:
                    text = text.ljust(width)
                style = cell.style
                if not style:
                    plain.append(text)
                else:
                    segments.append(Segment("".join(plain), null))
                    plain.clear()
                    segments.append(Segment(text, _style(console, style)))
            else:
                segments.append(Segment("".join(plain), null))
                plain.clear()
                # In a line of its own, as the cell's style is a span there.
                line = Text(no_wrap=True, end="")
                line.append_text(fit(cell, width, column.justify))
                segments.extend(line.render(console, end=""))
            plain.append(space)
        segments.append(Segment("".join(plain), null))
        return Strip([s for s in segments if s.text]).adjust_cell_length(self._width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._width:  # resized, or a scrollbar came or went
            self._width = width
            self._drawn = {}
            self._header = None
            self._resized()
        base, even, cursor, header = self._styles()
        if y == 0:
            if self._header is None:
                labels = [Text(c.label) for c in self.columns]
                self._header = self._layout(labels, self._widths(width)).apply_style(header)
            return self._header
        row = self.scroll_offset.y + y - 1
        if row >= len(self._keys):
            return Strip.blank(width, base)
        key = self._keys[row]
        strip = self._drawn.get(key)
        if strip is None:
            strip = self._drawn[key] = self._layout(self._cells[row], self._widths(width))
        if row == self.cursor_row:
            return strip.apply_style(cursor)
        # Zebra stripes from the first row, as in DataTable.
        return strip.apply_style(base if row % 2 else even)

"""A table of records keyed by primary key, paged from the database.

Rows are added page by page (keyset pagination: the next page starts after
the last id shown) as the cursor nears the end, so a list of a million
quotes opens as fast as a list of ten. Edits update rows in place. The rows
are drawn by :class:`RowTable`, which draws only the rows on screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from tracker.db.database import Database
from tracker.errors import NotFoundError
from tracker.services.filters import Filters
from tracker.services.records import Page
from tracker.tui.messages import ReportsWorkerErrors, WorkerFailed
from tracker.tui.text import literal
from tracker.tui.widgets.row_table import Cells, Column, RowTable, draw_now

PAGE_SIZE = 100
# The next page is read (and its rows added below) when the cursor is this
# many rows from the end, so paging down rarely waits for the database.
PREFETCH_ROWS = 75


class Follower(Protocol):
    """The pane beside a list that shows the record under its cursor."""

    def show(self, entity: str, record_id: int | None, detail: Any | None = None) -> None: ...

    def prefetch(self, entity: str, record_id: int) -> Any | None:
        """What :meth:`show` would read for this record (called in a
        worker), or None if there is nothing to read ahead."""
        ...


class RecordList(ReportsWorkerErrors, Vertical):
    """Base class: subclasses say how to fetch a page and draw a row."""

    DEFAULT_CSS = """
    RecordList { height: 1fr; }
    RecordList > .list-status { height: 1; width: 1fr; color: $text-muted; padding: 0 1; }
    RecordList > RowTable { height: 1fr; }
    """

    entity: ClassVar[str] = ""
    title: ClassVar[str] = ""
    columns: ClassVar[tuple[Column, ...]] = ()
    uses_filters: ClassVar[bool] = False
    pages: ClassVar[bool] = True

    @dataclass
    class PageLoaded(Message):
        generation: int
        page: Page[Any]
        replace: bool
        rows: list[tuple[int, Cells]]  # the page's records' ids and cells
        detail: tuple[int, Any] | None = None  # what the pane read ahead, by record id

    @dataclass
    class RecordHighlighted(Message):
        """The cursor is on this record (None: the list is empty)."""

        source: RecordList
        record: Any | None

    @dataclass
    class RecordFetched(Message):
        """One record, re-read after a change, to update or add its row."""

        record_id: int
        record: Any | None
        follow: bool = True  # move the cursor to a record that was added

    def __init__(self, db: Database, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.db = db
        self.records: dict[int, Any] = {}
        self.next_cursor: int | None = None
        self.query_text = ""
        self.filters = Filters()
        self.loading_page = False
        self.loaded = False
        self.autoload = False  # load the first page as soon as mounted
        self._generation = 0
        self._table = RowTable(self.columns)
        self.pane: Follower | None = None  # set by the screen

    # -- what subclasses provide (fetch runs in a worker thread) -------------
    def fetch(self, text: str, filters: Filters, after: int | None) -> Page[Any]:
        raise NotImplementedError

    def fetch_one(self, record_id: int) -> Any:
        raise NotImplementedError

    def row(self, record: Any) -> Cells:
        """The record's cells, one per column (the table cuts them to width)."""
        raise NotImplementedError

    def matches(self, record: Any) -> bool:
        """Whether a new record belongs in this list as it is filtered now."""
        return not self.query_text.strip() and not (self.uses_filters and self.filters != Filters())

    # -- composition -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="list-status")
        yield self._table

    @property
    def table(self) -> RowTable:
        return self._table

    def on_mount(self) -> None:
        if self.autoload:
            self.reload()

    # -- state -----------------------------------------------------------------
    @property
    def current_id(self) -> int | None:
        return self._table.cursor_key

    @property
    def current(self) -> Any | None:
        ident = self.current_id
        return self.records.get(ident) if ident is not None else None

    def select(self, record_id: int) -> None:
        self._table.move_to_key(record_id)

    def _status(self, loading: bool = False) -> None:
        parts: list[Text | str] = [Text(self.title, style="bold")]
        shown = len(self.records)
        more = " (more below)" if self.next_cursor is not None else ""
        parts.append(f" · {shown} shown{more}" if self.loaded else " · loading…")
        if self.query_text.strip():
            parts += [" · search “", literal(self.query_text, single_line=True), "”"]
        if loading and self.loaded:
            parts.append(" · loading…")
        # One line of fixed size: no layout of the screen needed.
        self.query_one(".list-status", Static).update(Text.assemble(*parts), layout=False)
        if self.loaded:
            self.post_message(self.Counted(self, len(self.records), self.next_cursor is not None))

    # -- loading ---------------------------------------------------------------
    def reload(self) -> None:
        """Load the first page again for the current search and filters."""
        self._generation += 1
        self.loading_page = True
        self._status(loading=True)
        self._load(self._generation, self.query_text, self.filters, None, True)

    def search(self, text: str, filters: Filters | None = None) -> None:
        self.query_text = text
        if filters is not None:
            self.filters = filters
        self.reload()

    def load_more(self) -> None:
        if self.loading_page or self.next_cursor is None:
            return
        self.loading_page = True
        self._status(loading=True)
        self._load_page(self._generation, self.query_text, self.filters, self.next_cursor)

    @work(thread=True, exclusive=True, exit_on_error=False, group="list")
    def _load(
        self, generation: int, text: str, filters: Filters, after: int | None, replace: bool
    ) -> None:
        self._fetch_rows(generation, text, filters, after, replace)

    @work(thread=True, exclusive=True, exit_on_error=False, group="page")
    def _load_page(self, generation: int, text: str, filters: Filters, after: int) -> None:
        self._fetch_rows(generation, text, filters, after, False)

    def _fetch_rows(
        self, generation: int, text: str, filters: Filters, after: int | None, replace: bool
    ) -> None:
        """Read a page and make its cells here, in the worker: the UI thread only adds rows."""
        page = self.fetch(text, filters, after)
        rows = [(record.id, self.row(record)) for record in page.items]
        detail = None
        if replace and page.items and self.pane is not None:
            # The detail of the record the cursor will be on (where
            # RowTable.replace puts it), read now and drawn in the rows'
            # frame, rather than read once they are drawn: a frame and a
            # worker later (30 ms of a search key on a million quotes).
            kept = self.current_id
            target: int = page.items[0].id
            if kept is not None and any(r.id == kept for r in page.items):
                target = kept
            if not get_current_worker().is_cancelled:
                read = self.pane.prefetch(self.entity, target)
                detail = (target, read) if read is not None else None
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(generation, page, replace, rows, detail))

    @on(WorkerFailed)
    def _load_failed(self, message: WorkerFailed) -> None:
        """A load failed: stop saying we are loading (the app shows the message)."""
        if message.origin is self:
            self.loading_page = False
            self.loaded = True
            self._status()

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.next_cursor = message.page.next_cursor
        self.loading_page = False
        if not message.replace:
            self._add_rows(message)
        elif list(self.records.values()) != list(message.page.items):
            self.records = {record.id: record for record in message.page.items}
            self._table.replace(message.rows, cursor_key=self.current_id)
        # else the same records, as when typing the end of a word: keep the rows
        # (and where the view is scrolled to).
        first = not self.loaded
        self.loaded = True
        if message.replace:
            read = message.detail
            self._follow(self.current, read[1] if read and read[0] == self.current_id else None)
        self._status()
        if first:
            self.post_message(self.FirstPage(self))
        draw_now(self)  # not at the screen's next tick: 8 ms sooner on average

    def _add_rows(self, message: PageLoaded) -> None:
        for record in message.page.items:
            self.records.setdefault(record.id, record)
        self._table.append(message.rows)

    def _rows_below(self) -> int:
        return self._table.row_count - self._table.cursor_row

    @dataclass
    class Counted(Message):
        source: RecordList
        count: int
        more: bool = False  # further pages not loaded yet

    @dataclass
    class FirstPage(Message):
        """The first page is in the table (used to time start-up)."""

        source: RecordList

    @on(RowTable.RowHighlighted)
    def _row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        event.stop()
        if self.pages and self._rows_below() <= PREFETCH_ROWS:
            self.load_more()
        self._follow(self.records.get(event.key))

    def _follow(self, record: Any | None, detail: Any | None = None) -> None:
        """The cursor is on ``record``: the pane shows it now (in this
        frame), and the screen is told."""
        if self.pane is not None:
            self.pane.show(self.entity, record.id if record is not None else None, detail)
        self.post_message(self.RecordHighlighted(self, record))

    @on(RowTable.Scrolled)
    def _scrolled(self, event: RowTable.Scrolled) -> None:
        # Scrolled with the mouse: read the next page before the view reaches the end.
        event.stop()
        if self.pages and self._table.row_count - event.bottom <= PREFETCH_ROWS:
            self.load_more()

    # -- changes made elsewhere ---------------------------------------------------
    def refresh_record(self, record_id: int, *, follow: bool = True) -> None:
        """Re-read one record and update (or add) its row; ``follow``: move
        the cursor to it if it was added (not for someone else's change)."""
        self._fetch_one(record_id, follow)

    @work(thread=True, exclusive=False, exit_on_error=False, group="one")
    def _fetch_one(self, record_id: int, follow: bool = True) -> None:
        try:
            record = self.fetch_one(record_id)
        except NotFoundError:
            record = None
        self.post_message(self.RecordFetched(record_id, record, follow))

    @on(RecordFetched)
    def _record_fetched(self, message: RecordFetched) -> None:
        message.stop()
        record = message.record
        if record is None:
            self.remove_record(message.record_id)
            return
        table = self._table
        if record.id in self.records:
            self.records[record.id] = record
            table.update_row(record.id, self.row(record))
        elif self.matches(record):
            self.records[record.id] = record
            table.insert_by_key(record.id, self.row(record))
            if message.follow:
                table.move_to_key(record.id)
        elif self.pages:
            # Searched or filtered: let the database say whether it belongs here.
            self.reload()
            return
        self._status()
        if self.current_id == record.id:
            self._follow(record)

    def remove_record(self, record_id: int) -> None:
        if record_id not in self.records:
            return
        del self.records[record_id]
        self._table.remove_row(record_id)
        self._status()
        self._follow(self.current)

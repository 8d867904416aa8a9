"""The main screen: tabs of lists with a detail pane, a search box and filters."""

from __future__ import annotations

import gc
import time
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.geometry import Size
from textual.messages import Layout, Update
from textual.widget import Widget
from textual.widgets import Header, Input, Static, TabbedContent, TabPane, Tabs
from textual.widgets._tabs import Underline

from tracker.db.database import Database
from tracker.errors import TrackerError
from tracker.services.filters import Filters
from tracker.tui.keys import bindings, keymap_of
from tracker.tui.messages import RecordsChanged
from tracker.tui.screens.actions import RecordActions
from tracker.tui.text import literal
from tracker.tui.widgets.detail import DetailPane
from tracker.tui.widgets.key_bar import KeyBar
from tracker.tui.widgets.lists import ClaimList, DueList, QuoteList, SourceList, SpeakerList
from tracker.tui.widgets.record_list import RecordList
from tracker.tui.widgets.review import ReviewList, ReviewPane
from tracker.tui.widgets.row_table import RowTable

TABS: tuple[tuple[str, str, type[RecordList]], ...] = (
    ("quotes", "Quotes", QuoteList),
    ("claims", "Claims", ClaimList),
    ("speakers", "Speakers", SpeakerList),
    ("sources", "Sources", SourceList),
    ("due", "Due for review", DueList),
    ("review", "Review", ReviewList),
)


class SearchInput(Input):
    """The search box: Escape or Enter go back to the list, keeping the search."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("search")

    def action_back(self) -> None:
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.set_focus(screen.current_list.table)


class MainScreen(RecordActions):
    """What a fact-checker sees all day."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("main")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    # Collect and freeze the heap once the database is open (_started). The
    # TUI tests turn it off: there the heap is the whole test run's, and
    # collecting it cost every app 0.2 s (tests/tui/conftest.py).
    FREEZE_HEAP: ClassVar[bool] = True
    # Changes made elsewhere (another window, an import, a colleague on the
    # same PostgreSQL server) are looked for this often, in seconds, by
    # reading the audit log's newest entries (0: never; the TUI tests that
    # are not about it turn it off, tests/tui/conftest.py).
    POLL_SECONDS: ClassVar[float] = 1.5
    # Build the forms and dialogs ahead of time, off screen, once the lists
    # are read (_build_forms_ahead); the TUI tests turn it off but for the
    # test about it (building them made every app's start-up slower there).
    BUILD_FORMS_AHEAD: ClassVar[bool] = True
    # Once the app has been idle this long after a key (or a click), the
    # garbage made since is collected and what is left frozen (_tidy_heap).
    TIDY_AFTER: ClassVar[float] = 0.25
    # And this often at most, after RECLAIM_IDLE seconds idle, the frozen
    # heap is collected too (reference cycles among objects that died after
    # being frozen).
    RECLAIM_EVERY: ClassVar[float] = 300.0
    RECLAIM_IDLE: ClassVar[float] = 3.0

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.filters = Filters()
        self.filter_labels = ("", "")
        self.lists: dict[str, RecordList] = {}
        self.details: dict[str, DetailPane | ReviewPane] = {}
        self._binding_state: tuple[str, bool] | None = None
        self._summary_shown = Text()
        self._preload: list[RecordList] = []  # lists still to read in the background
        self._preloading = False  # reading them (then building the forms ahead)
        self._seen_change: int | None = None  # the newest audit entry taken into account
        self._lost: str | None = None  # why the last look for changes failed
        self._shown_tab = "quotes"  # the tab on screen before the one just activated
        # A tab was activated and not yet laid out; when the layout that
        # showed the last one began, and what it drew (see _refresh_layout).
        self._tab_switched = False
        self._tab_drawn_at: float | None = None
        self._drawn_with_tab: set[Widget] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="topbar"):
            yield SearchInput(placeholder="/ search this list", id="search", compact=True)
            yield Static("", id="filter-summary")
        with TabbedContent(initial="quotes", id="tabs"):
            for tab_id, title, cls in TABS:
                listing = cls(self.db, id=f"{tab_id}-list")
                detail: DetailPane | ReviewPane = (
                    ReviewPane(self.db, id=f"{tab_id}-detail")
                    if tab_id == "review"
                    else DetailPane(self.db, id=f"{tab_id}-detail")
                )
                self.lists[tab_id] = listing
                self.details[tab_id] = detail
                listing.pane = detail  # the list has it show the record under its cursor
                # The list and its detail go straight in the tab's pane (no
                # container of their own: one layer fewer to draw on every
                # frame). The hidden tabs' are mounted once the first list is
                # on screen (see _mount_rest), to show it sooner.
                with TabPane(title, id=tab_id, classes="browse"):
                    if tab_id == "quotes":
                        yield listing
                        yield detail
        yield KeyBar()

    def on_mount(self) -> None:
        self.lists["quotes"].reload()
        self.lists["due"].autoload = True  # for the count on its tab, once mounted
        self._rest_mounted = False

    @on(RecordList.FirstPage)
    def _first_page(self, message: RecordList.FirstPage) -> None:
        if message.source is self.lists["quotes"]:
            self.call_after_refresh(self._mount_rest)
        elif self._preloading:
            self._preload_next()

    def _mount_rest(self) -> None:
        if self._rest_mounted:
            return
        self._rest_mounted = True
        for tab_id, _title, _cls in TABS[1:]:
            pane = self.query_one(f"#{tab_id}", TabPane)
            pane.mount(self.lists[tab_id], self.details[tab_id])
        self.lists["quotes"].table.focus()
        self._open_database()

    @work(thread=True, exit_on_error=False, group="startup")
    def _open_database(self) -> None:
        """Once the database layer is loaded and the database open, start-up is over."""
        try:
            self.db.open()
        except TrackerError:
            return  # the lists, which need it too, report it
        self.app.call_from_thread(self._started)

    def _started(self) -> None:
        # What exists now (modules, SQLAlchemy's mappers, this screen) lives as
        # long as the app: out of the garbage collector's sight, a full
        # collection takes a few ms instead of 30-60 ms on a big database,
        # which showed as stalls while typing a search. Refcounting still
        # frees these objects; reference cycles among them wait until the
        # screen goes (on_unmount), so start-up's garbage is collected first.
        if self.FREEZE_HEAP:
            gc.collect()
            gc.freeze()
        # Read the other tabs' first pages now, in the background, so that
        # switching to a tab shows its rows at once instead of after a query:
        # one after another (see _first_page), not to slow the first detail.
        self._preload = list(self.lists.values())
        self._preloading = True
        self._preload_next()
        if self.POLL_SECONDS > 0:
            self._look_for_changes()
            self.set_interval(self.POLL_SECONDS, self._look_for_changes)
        if self.FREEZE_HEAP:
            self._tidied = self._reclaimed = time.monotonic()
            self.set_interval(self.TIDY_AFTER / 2, self._tidy_heap)

    def _tidy_heap(self) -> None:
        """Collect the garbage made since the last key, once the app is idle,
        and freeze what is left with what start-up froze.

        Left to itself, Python collected the whole heap every so often, in
        the middle of whatever key was being handled: the lists and forms
        drawn leave Textual's caches of rendered lines behind, 145,000
        objects a full collection went through (13-113 ms, 26 times in the
        bench's 56 form openings; each opening over 100 ms held one).
        Collected and frozen as soon as the app is idle, the heap a
        collection goes through is only what was made since, and the
        collections that come in a key are short. What dies in a reference
        cycle after it was frozen is collected now and then, once the app
        has been idle for a while (RECLAIM_EVERY, RECLAIM_IDLE)."""
        now = time.monotonic()
        last = getattr(self.app, "last_input", 0.0)
        if now - last < self.TIDY_AFTER:
            return
        if now - self._reclaimed >= self.RECLAIM_EVERY and now - last >= self.RECLAIM_IDLE:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._tidied = self._reclaimed = now
        elif last > self._tidied:
            gc.collect()
            gc.freeze()
            self._tidied = now

    def _preload_next(self) -> None:
        while self._preload:
            listing = self._preload.pop(0)
            if listing.loaded or listing.loading_page:
                continue
            if listing.is_mounted:
                listing.reload()
            else:
                listing.autoload = True  # as soon as it is mounted
            return
        if self._preloading:  # every list is read (or being read)
            self._preloading = False
            if self.BUILD_FORMS_AHEAD:
                self._build_forms_ahead()

    @work(exclusive=True, exit_on_error=False, group="forms-ahead")
    async def _build_forms_ahead(self) -> None:
        """Compose, mount and style each form and dialog now, off screen, one
        after another, so that the first time one opens it is only loaded
        and drawn (Dialog.build_ahead): composing, mounting and styling a
        form's 30-60 widgets cost as much as drawing it. Keys are handled
        between one widget's mounting and the next."""
        from tracker.tui.keys import KEYS
        from tracker.tui.modals import ConfirmModal, Dialog, HelpScreen
        from tracker.tui.screens.filters import FilterForm
        from tracker.tui.screens.merge import MergePicker
        from tracker.tui.screens.people_forms import SourceForm, SpeakerForm
        from tracker.tui.screens.quote_forms import ClaimForm, QuoteForm
        from tracker.tui.screens.verdict import VerdictForm

        app, db = self.app, self.db
        ahead: list[tuple[type[Dialog[Any]], tuple[Any, ...]]] = [
            (QuoteForm, (db,)),
            (ConfirmModal, ()),
            (ClaimForm, (db,)),
            (FilterForm, (db, self.filters, *self.filter_labels)),
            (SpeakerForm, (db,)),
            (SourceForm, (db,)),
            (VerdictForm, (db,)),
            (MergePicker, (db,)),
            (HelpScreen, (list(KEYS.values()), keymap_of(app))),
        ]
        for dialog, args in ahead:
            await dialog.build_ahead(app, *args)
        if self.FREEZE_HEAP:
            # The forms live as long as the app, like what _started froze:
            # out of the collector's sight too (a full collection went
            # through their widgets and styles each time, 20-30 ms).
            gc.collect()
            gc.freeze()

    # -- changes made elsewhere ------------------------------------------------------
    def _look_for_changes(self) -> None:
        if self.app.screen is not self:
            # Not while a form or dialog is open over this screen: each look
            # wakes this screen, and Textual then draws the whole dialog
            # again, twice (a screen under another repaints in full when it
            # wakes), 20-60 ms every 1.5 s. Looked for again as it comes back.
            return
        self._read_news(self._seen_change)

    def on_screen_resume(self) -> None:
        if self.POLL_SECONDS > 0 and self._seen_change is not None:
            self._look_for_changes()

    @work(thread=True, exclusive=True, exit_on_error=False, group="news")
    def _read_news(self, after: int | None) -> None:
        from tracker.services.audit import News, newest_change, news_since

        try:
            news = News(newest_change(self.db), ()) if after is None else news_since(self.db, after)
        except TrackerError as error:  # the server went away, say: tell once, keep trying
            self.app.call_from_thread(self._news_failed, error.message)
            return
        self.app.call_from_thread(self._news, news)

    def _news_failed(self, why: str) -> None:
        if self._lost is None:
            self._lost = why
            self.notify(
                f"{why}\nStill trying; what is on screen may be out of date.",
                title="Lost the database",
                severity="error",
                markup=False,
                timeout=10,
            )

    def _news(self, news: Any) -> None:
        if self._lost is not None:
            self._lost = None
            self.notify("The database answers again.", markup=False, timeout=4)
        first = self._seen_change is None
        self._seen_change = news.newest
        if first or not news.changed:
            return
        if news.records is None:  # too many to go through: read everything again
            for listing in self.lists.values():
                if listing is self.current_list:
                    listing.reload()
                else:
                    listing.loaded = False
        else:
            for entity, record_id, action in news.records:
                for listing in self.lists.values():
                    if listing.entity != entity or not listing.loaded:
                        continue
                    if action == "delete":
                        listing.remove_record(record_id)
                    elif record_id in listing.records or action == "create":
                        listing.refresh_record(record_id, follow=False)
        for detail in self.details.values():
            detail.reload()

    def on_unmount(self) -> None:
        if self.FREEZE_HEAP:
            gc.unfreeze()

    # -- where we are ----------------------------------------------------------------
    @property
    def tab(self) -> str:
        active = self.query_one(TabbedContent).active
        return active or "quotes"

    @property
    def current_list(self) -> RecordList:
        return self.lists[self.tab]

    @property
    def current(self) -> Any | None:
        return self.current_list.current

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        listing = self.current_list
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = listing.query_text
        if listing.uses_filters and listing.filters != self.filters:
            listing.filters = self.filters
            listing.loaded = False
        if not listing.is_mounted:
            listing.autoload = True
            self._mount_rest()
        elif not listing.loaded and not listing.loading_page:
            listing.reload()
        if not search.has_focus:
            # Now, so that the focus moves in the frame that shows the tab
            # (after a refresh, it cost a second frame of the whole screen).
            self.set_focus(listing.table, scroll_visible=False)
        self._size_like_shown(self.tab, self._shown_tab)
        self._shown_tab = self.tab
        self._summary()
        self._bindings_changed()
        # The key bar and the tab's underline now, so that the layout that
        # shows the tab draws them too (_refresh_layout): Textual updates
        # them after it (the key bar when the bindings' signal is sent, the
        # underline after the next refresh), and drew them in a frame of
        # their own, 20-30 ms after the tab. Both update again, to the same.
        self.query_one(KeyBar)._bindings_changed(self)
        self._underline_active_tab()
        self._tab_switched = True

    def _underline_active_tab(self) -> None:
        """Put the tab bar's underline under the active tab, as Textual's
        Tabs._highlight_active does after a refresh (a tab keeps its place
        when another becomes active). Private Textual API:
        tests/tui/test_textual_api.py."""
        tabs = self.query_one(TabbedContent).query_one(Tabs)
        active = tabs.query("#tabs-list > Tab.-active")
        if not active or not active.first().region:
            return  # not laid out yet: Textual's own move does it
        tab = active.first()
        start, end = tab.virtual_region.shrink(tab.styles.gutter).column_span
        underline = tabs.query_one(Underline)
        underline.highlight_start = start
        underline.highlight_end = end

    def _size_like_shown(self, tab: str, shown: str) -> None:
        """A tab shown the first time: its list and detail get their
        scrollbars (and the detail its wrapped text) from the tab that was on
        screen, which they replace at the same place and size, so that the
        frame that shows them lays the screen out once (see _refresh_layout).
        The review tab has a layout of its own."""
        if "review" in (tab, shown) or tab == shown:
            return
        listing, model = self.lists[tab], self.lists[shown]
        if listing.is_mounted and model.is_mounted:
            listing.table.size_like(model.table)
        detail, model_detail = self.details[tab], self.details[shown]
        if isinstance(detail, DetailPane) and isinstance(model_detail, DetailPane):
            detail.size_like(model_detail)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        # Textual lays the screen out again after laying out widgets shown
        # for the first time (a tab's list and detail): the layout gives them
        # their sizes, and each asks for a layout as it gets one. That second
        # layout is needed only when a scrollbar came or went (the content is
        # narrower or wider then); otherwise what they ask for is what was
        # just done. Private Textual API: tests/tui/test_textual_api.py.
        if scroll and not self._layout_widgets:
            super()._refresh_layout(size, scroll)  # a scroll: no widget is sized
            return
        widgets = list(self.walk_children(Widget))
        scrollbars = [(w.show_vertical_scrollbar, w.show_horizontal_scrollbar) for w in widgets]
        switched, self._tab_switched = self._tab_switched, False
        began = get_time()
        if switched:
            # The key bar and the tabs (their underline) changed with the
            # tab: drawn in this layout's frame.
            tabs = self.query_one(TabbedContent).query_one(Tabs)
            drawn = {self.query_one(KeyBar), tabs, *tabs.walk_children(Widget)}
            self._dirty_widgets.update(drawn & self._compositor.visible_widgets.keys())
            pane = self.query_one(TabbedContent).get_pane(self.tab)
            widths = {table: table._width for table in pane.query(RowTable)}
        super()._refresh_layout(size, scroll)
        if scrollbars != [
            (w.show_vertical_scrollbar, w.show_horizontal_scrollbar) for w in widgets
        ]:
            return
        for widget in widgets:
            widget._layout_required = False
            for bar in (widget._vertical_scrollbar, widget._horizontal_scrollbar):
                if bar is not None:
                    bar._layout_required = False
        if switched:
            # The tab shown, the key bar and the tabs were drawn in that frame,
            # as they are now: what they asked for as the layout gave them
            # their sizes (their scrollbars too), and what they asked for
            # before it (the focus, the key bar, the underline), is what it
            # did. Left to Textual, each was sent after that frame, and drawn
            # in a third one, 20-30 ms later. A list whose rows took another
            # width as they were drawn keeps its scrollbars' (their range).
            drawn |= {pane, *pane.walk_children(Widget)}
            for widget in drawn:
                widget._repaint_required = False
                if isinstance(widget, RowTable) and widget._width != widths.get(widget):
                    continue
                for bar in (widget._vertical_scrollbar, widget._horizontal_scrollbar):
                    if bar is not None:
                        bar._repaint_required = False
            self._drawn_with_tab = drawn
            self._tab_drawn_at = began
            # The screen's own repaint, asked as the focus moved to the tab's
            # list, would draw its widgets as they are drawn now: a frame of
            # the whole screen, 5 ms after the tab (see _on_update too).
            self._repaint_required = False

    async def _on_layout(self, message: Layout) -> None:
        drawn_at = self._tab_drawn_at
        if drawn_at is not None and message.time < drawn_at:
            # Asked for before the layout that showed a tab, which laid the
            # whole screen out: done. (The shown list's scrollbar, restyled
            # as its tab was shown, asked for one, sent after that layout's
            # frame: a third frame, 40-50 ms later.)
            message.stop()
            message.prevent_default()

    async def _on_update(self, message: Update) -> None:
        widget = message.widget
        if widget is not self and widget not in self._compositor.visible_widgets:
            # Not on screen: a hidden tab's list or detail, read or restyled
            # in the background, or the tab just left. Its lines are drawn
            # again when a layout shows it (it is drawn whole then). Taken
            # by Textual, a widget off screen made the compositor arrange
            # every widget of every tab again at the next drawing (3-4 ms
            # of most tab switches).
            message.stop()
            message.prevent_default()
            return
        drawn_at = self._tab_drawn_at
        if drawn_at is None or message.time >= drawn_at:
            return
        if widget in self._drawn_with_tab or widget is self:
            # Asked for before the layout that showed a tab: drawn by it. The
            # screen's own repaint (asked as the focus moved to the tab's
            # list) would draw its widgets as they are drawn already: a frame
            # of the whole screen, 5 ms after the tab.
            message.stop()
            message.prevent_default()

    # -- search and filters --------------------------------------------------------
    def action_focus_search(self) -> None:
        # Focus now, not after a refresh: keys typed right after "/" go to the box.
        self.set_focus(self.query_one("#search", Input))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        listing = self.current_list
        listing.search(event.value, self.filters if listing.uses_filters else None)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.current_list.table.focus()

    def apply_filters(self, filters: Filters, labels: tuple[str, str] = ("", "")) -> None:
        self.filters = filters
        self.filter_labels = labels
        for listing in self.lists.values():
            if listing.uses_filters:
                listing.filters = filters
                if listing is self.current_list:
                    listing.reload()
                else:
                    listing.loaded = False
        self._summary()

    def action_clear_filters(self) -> None:
        self.apply_filters(Filters())

    def _summary(self) -> None:
        f = self.filters
        parts: list[tuple[str, str]] = []
        if f.speaker_id is not None:
            parts.append(("speaker", self.filter_labels[0] or f"#{f.speaker_id}"))
        if f.source_id is not None:
            parts.append(("source", self.filter_labels[1] or f"#{f.source_id}"))
        for name in ("kind", "status", "mode", "tag"):
            value = getattr(f, name)
            if value:
                parts.append((name, value))
        if f.date_from or f.date_to:
            parts.append(("said", f"{f.date_from or '…'} to {f.date_to or '…'}"))
        text = Text()
        if parts:
            text.append("Filters: ", style="bold")
            for i, (name, value) in enumerate(parts):
                text.append((" · " if i else "") + f"{name} ")
                text.append_text(literal(value[:30], single_line=True))
            if not self.current_list.uses_filters:
                text.append(" (not on this list)", style="dim")
        if text != self._summary_shown:
            # Only on change: an update lays out the top bar, a frame of its own.
            self._summary_shown = text
            self.query_one("#filter-summary", Static).update(text)

    def _bindings_changed(self) -> None:
        # Which actions apply depends on the tab and whether a record is
        # selected; refreshing the footer costs a recompose, so only on change.
        state = (self.tab, self.current is not None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    # -- lists and details -------------------------------------------------------------
    @on(RecordList.RecordHighlighted)
    def _highlighted(self, message: RecordList.RecordHighlighted) -> None:
        tab = next((k for k, v in self.lists.items() if v is message.source), None)
        if tab is None:
            return
        if tab == self.tab:
            self._bindings_changed()

    @on(RecordList.Counted)
    def _counted(self, message: RecordList.Counted) -> None:
        if message.source is self.lists["due"]:
            tabs = self.query_one(TabbedContent)
            more = "+" if message.more else ""
            tabs.get_tab("due").label = f"Due for review ({message.count}{more})"
        elif message.source is self.lists["review"]:
            more = "+" if message.more else ""
            self.query_one(TabbedContent).get_tab(
                "review"
            ).label = f"Review ({message.count}{more})"

    @on(RowTable.RowSelected)
    def _row_selected(self) -> None:
        self.details[self.tab].focus()

    def action_refresh(self) -> None:
        self.current_list.reload()
        self.details[self.tab].reload()

    @on(RecordsChanged)
    def _records_changed(self, message: RecordsChanged) -> None:
        for listing in self.lists.values():
            wanted = listing.entity in message.entities
            if not wanted or not listing.loaded:
                continue
            if message.action == "reload" or message.record_id is None:
                listing.reload()
            elif message.action == "delete":
                listing.remove_record(message.record_id)
            else:
                listing.refresh_record(message.record_id)
        for detail in self.details.values():
            detail.reload()

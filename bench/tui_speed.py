"""How fast the terminal UI is on a big database (see docs/benchmarks.md).

    python bench/make_big_db.py /tmp/big.db        # once, a few minutes
    python bench/tui_speed.py /tmp/big.db [--runs 5] [--pages 30] [--json out.json]
    python bench/tui_speed.py /tmp/big.db --forms-only [--runs 5]   # tabs, forms, baselines
    python bench/tui_speed.py /tmp/big.db --paging-after-launch [--runs 3] [--pages 20]

Measures, in one run, each against plain Textual doing the same thing:
- launch to the first list on screen (a fresh process each time, headless,
  120x40, bytecode cached), against a bare Textual app that shows a static
  100-row table (they alternate, so a busy machine slows all alike): as the
  ``tracker --db FILE`` command does it (click, the database opened lazily,
  the app), and as ``TrackerApp(Database(url, lazy=True)).run()`` from
  Python; and, for both, launch to the first quote's detail drawn (the
  database layer loaded and opened);
- key press to updated screen when paging (PageDown through the quote list,
  pages loading from the database; against PageDown in a bare DataTable that
  adds rows the same way, without a database) and
  when typing a search (each word typed a key at a time, waiting for the
  results after each key; and typed in one burst, 60 ms a key);
- switching tabs (``2`` ``3`` ``4`` ``5`` ``1``, then again): from the key to
  the first frame showing the new tab's rows, and to the last frame before
  the app went quiet (the detail pane filled, no animation running);
- opening each form and dialog (``a`` ``e`` ``c`` ``f`` ``d`` ``v`` ``m`` ``?``
  on the tabs where they apply): from the key to the last frame before the
  app went quiet (the form drawn, its first field focused), the first time
  (in a fresh app: imports, styles, and the speaker index starting to build
  in a worker) and again; against a bare Textual app that pushes a modal
  screen with as many labelled plain Inputs as the quote form has fields
  (the framework's own floor), and a bare ``TabbedContent`` of five
  ``DataTable``s for the tab switches. Text cursors do not blink (a blink is
  a frame);
- peak memory (RSS) of the app process, and what building the speaker index
  for the first speaker field costs (time and memory);
- with ``--paging-after-launch`` only: PageDown from the moment the first
  list shows, a key every 0.15 s without waiting in between, while the app
  reads the other tabs and builds its forms ahead of time: key to first frame.

"Key press to updated screen" is timed from sending the key to the frames
the app draws (``App._display``), not to when the pilot notices the app is
idle (its idle detection sleeps in 20 ms steps): *first frame* is the first
one drawn after the key (the cursor moved, the character echoed), *done* the
last one drawn before the app went quiet (detail pane and search results
shown, including any debounce delay). A key counts as done once no worker
runs and nothing was drawn for QUIET seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUIET = 0.3  # seconds without a frame or a running worker: the key is done
BURST_GAP = 0.06  # seconds between keys when typing a search in one burst

# What both ways of launching the tracker add: the time to the first list of
# quotes drawn (the target), then to the first quote's detail drawn (the
# database layer loaded and opened, every part of the screen filled).
CHILD_MARKS = """
import sys, time
start = float(sys.argv[1])
marks = {}
from tracker.tui.app import TrackerApp
from tracker.tui.widgets import detail
from tracker.tui.widgets.lists import QuoteList

def mark(app, name):
    marks[name] = time.time() - start
    if len(marks) == 2:
        print(marks["list"], marks["detail"], flush=True)
        app.exit()

def first_page(self, message):
    if isinstance(message.source, QuoteList):
        self.call_after_refresh(mark, self, "list")

_render = detail.render_detail

def render_detail(value, *args):
    if "detail" not in marks:
        from textual._context import active_app

        app = active_app.get()
        app.call_after_refresh(mark, app, "detail")
    return _render(value, *args)

detail.render_detail = render_detail
TrackerApp.on_record_list_first_page = first_page
"""

CHILD_TRACKER = (
    CHILD_MARKS
    + """
from tracker.db.database import Database

db = Database(sys.argv[2], lazy=True)  # as the tracker command opens an up-to-date file
TrackerApp(db, config_path=None).run(headless=True, size=(120, 40))
"""
)

CHILD_COMMAND = (
    CHILD_MARKS
    + """
from tracker.cli import main  # what the tracker command runs

_run = TrackerApp.run
TrackerApp.run = lambda self, **options: _run(self, headless=True, size=(120, 40))
sys.argv = ["tracker", "--db", sys.argv[2]]
try:
    main()
except SystemExit:
    pass
"""
)

CHILD_BARE = """
import sys, time
start = float(sys.argv[1])
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Quote", "Speaker", "Said")
        for i in range(100):
            table.add_row(str(i), f"quote number {i} " * 3, "Someone Speaking", "2021-03-17")
        self.call_after_refresh(self.done)

    def done(self) -> None:
        print(time.time() - start, flush=True)
        self.exit()

Bare().run(headless=True, size=(120, 40))
"""


def launch_once(code: str, url: str, env: dict[str, str]) -> list[float]:
    """Seconds from starting the process to each mark it prints."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, repr(start), url],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return [float(x) for x in out.stdout.strip().splitlines()[-1].split()]


def launch_times(url: str, runs: int) -> dict[str, list[float]]:
    """Launch the tracker command, the app from Python, and the bare app in
    turn, ``runs`` times each: the first list drawn (``command``, ``python``,
    ``bare``) and the first detail drawn (``command_detail``,
    ``python_detail``).

    Bytecode is cached (in a temporary folder) as it is for an installed
    package, even where PYTHONDONTWRITEBYTECODE is set; a first launch of
    each, not counted, fills the cache."""
    children = {"command": CHILD_COMMAND, "python": CHILD_TRACKER, "bare": CHILD_BARE}
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for code in children.values():
            launch_once(code, url, env)
        for _ in range(runs):
            for name, code in children.items():
                marks = launch_once(code, url, env)
                times.setdefault(name, []).append(marks[0])
                if len(marks) > 1:
                    times.setdefault(f"{name}_detail", []).append(marks[1])
    return times


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class FrameClock:
    """When the app draws its frames, and waiting until it has finished drawing."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames: list[float] = []
        draw = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.frames.append(time.perf_counter())
            draw(screen, renderable)

        app._display = display

    async def settle(self) -> None:
        """Until no worker runs and nothing was drawn for QUIET seconds."""
        from textual.worker import WorkerCancelled, WorkerFailed

        while True:
            try:
                await self.app.workers.wait_for_complete()
            except (WorkerCancelled, WorkerFailed):
                continue
            await asyncio.sleep(0.02)
            last = self.frames[-1] if self.frames else 0.0
            busy = any(w.is_running for w in self.app.workers)
            if not busy and time.perf_counter() - last >= QUIET:
                return

    async def press(self, pilot: Any, *keys: str, gap: float = 0.0) -> tuple[float, float]:
        """Press keys (``gap`` seconds apart); seconds from the last key to the
        first frame after it, and to the last frame before the app went quiet."""
        sent = 0.0
        for key in keys:
            if sent and gap:
                await asyncio.sleep(max(0.0, sent + gap - time.perf_counter()))
            sent = time.perf_counter()
            await pilot.press(key)
        await self.settle()
        after = [t for t in self.frames if t > sent]
        if not after:  # nothing changed on screen
            return 0.0, 0.0
        return after[0] - sent, after[-1] - sent


class RowsClock:
    """When each list's rows are first drawn after a moment (a tab switch)."""

    def __init__(self) -> None:
        from tracker.tui.widgets.row_table import RowTable

        self.drawn: dict[int, float] = {}  # id(table) -> first row line drawn since reset
        render_line = RowTable.render_line
        clock = self

        def traced(table: Any, y: int) -> Any:
            if y >= 1 and table.row_count and id(table) not in clock.drawn:
                clock.drawn[id(table)] = time.perf_counter()
            return render_line(table, y)

        RowTable.render_line = traced  # type: ignore[method-assign]

    def reset(self) -> None:
        self.drawn = {}


async def tab_switch(
    clock: FrameClock, rows: RowsClock, pilot: Any, key: str, table: Any
) -> tuple[float, float]:
    """Seconds from the key to the first frame showing ``table``'s rows, and
    to the last frame before the app went quiet."""
    rows.reset()
    sent = time.perf_counter()
    await pilot.press(key)
    await clock.settle()
    drawn = rows.drawn.get(id(table))
    frames = [t for t in clock.frames if t > sent]
    if drawn is None or not frames:
        raise RuntimeError(f"tab {key}: the list's rows were never drawn")
    shown = next(t for t in frames if t >= drawn)
    return shown - sent, frames[-1] - sent


def tab_latencies(timings: list[tuple[float, float]]) -> dict[str, dict[str, float]]:
    return {
        "rows_drawn": summary([rows for rows, _ in timings]),
        "settled": summary([done for _, done in timings]),
    }


def latencies(timings: list[tuple[float, float]]) -> dict[str, dict[str, float]]:
    return {
        "first_frame": summary([first for first, _ in timings]),
        "done": summary([done for _, done in timings]),
    }


def bare_table_app() -> Any:
    """Plain Textual doing what the quote list does: a DataTable with the same
    columns, 100 rows more added when the cursor is 40 rows from the end."""
    from textual import on
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_column("#", width=7)
            table.add_column("Quote", width=60)
            table.add_column("Speaker", width=18)
            table.add_column("Said", width=10)
            self.add_page()
            table.focus()

        def add_page(self) -> None:
            table = self.query_one(DataTable)
            start = table.row_count
            for i in range(start, start + 100):
                table.add_row(str(i), f"quote number {i} " * 5, "Someone Speaking", "2021")

        @on(DataTable.RowHighlighted)
        def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
            if event.cursor_row >= event.data_table.row_count - 40:
                self.add_page()

    return Bare()


async def bare_paging(pages: int) -> dict[str, Any]:
    app = bare_table_app()
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await clock.settle()
        return latencies([await clock.press(pilot, "pagedown") for _ in range(pages)])


def no_blinking() -> None:
    """Text cursors stay on: a blink is a frame, which would count as the
    last frame of whatever key came before it."""
    from textual.widgets import Input, TextArea

    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]
    TextArea._toggle_cursor_blink_visible = lambda self: None  # type: ignore[method-assign]


# The forms and dialogs, each opened from the tab where its key applies:
# (tab key, key, the screen it opens). Edit, verdict and new claim read the
# record in a worker first; that is part of what the key costs.
FORM_KEYS: tuple[tuple[str, str, str], ...] = (
    ("1", "a", "QuoteForm"),
    ("1", "e", "QuoteForm"),
    ("1", "c", "ClaimForm"),
    ("1", "f", "FilterForm"),
    ("1", "d", "ConfirmModal"),
    ("2", "a", "ClaimForm"),
    ("2", "e", "ClaimForm"),
    ("2", "v", "VerdictForm"),
    ("3", "a", "SpeakerForm"),
    ("3", "e", "SpeakerForm"),
    ("3", "m", "MergePicker"),
    ("4", "a", "SourceForm"),
    ("4", "e", "SourceForm"),
    ("1", "question_mark", "HelpScreen"),
)
BARE_FORM_FIELDS = 8  # the quote form's fields


@dataclass(frozen=True)
class Opened:
    """What opening a form cost: seconds from the key to the last frame
    before the app went quiet; the UI thread's CPU seconds meanwhile (less
    sensitive than wall time to other work on the machine); frames drawn."""

    done: float
    cpu: float
    frames: int


async def open_form(clock: FrameClock, pilot: Any, tab: str, key: str, expect: str) -> Opened:
    """Press ``key`` on ``tab``: the form ``expect`` must open; it is closed
    again (Escape) after."""
    app = pilot.app
    await clock.press(pilot, tab)
    cpu = time.thread_time()
    drawn = len(clock.frames)
    _first, done = await clock.press(pilot, key)
    cpu = time.thread_time() - cpu
    frames = len(clock.frames) - drawn
    opened = type(app.screen).__name__
    if opened != expect:
        raise RuntimeError(f"key {key} on tab {tab} opened {opened}, not {expect}")
    while len(app.screen_stack) > 1:
        await clock.press(pilot, "escape")
    return Opened(done, cpu, frames)


def opened_summary(opens: list[Opened]) -> dict[str, Any]:
    return {
        "done": summary([o.done for o in opens]),
        "ui_cpu": summary([o.cpu for o in opens]),
        "frames_p50": statistics.median(o.frames for o in opens),
    }


async def form_opens(clock: FrameClock, pilot: Any, again: int) -> dict[str, Any]:
    """Each form the first time in this app, then ``again`` times more."""
    first: dict[str, Opened] = {}
    later: dict[str, list[Opened]] = {}
    for tab, key, expect in FORM_KEYS:
        name = f"{tab}:{key} {expect}"
        first[name] = await open_form(clock, pilot, tab, key, expect)
    for _ in range(again):
        for tab, key, expect in FORM_KEYS:
            name = f"{tab}:{key} {expect}"
            later.setdefault(name, []).append(await open_form(clock, pilot, tab, key, expect))
    return {
        "form_open_first_time": opened_summary(list(first.values())),
        "form_open_again": opened_summary([o for opens in later.values() for o in opens]),
        # each form: [done ms, UI CPU ms, frames]
        "form_open_first_time_each": {
            k: [round(o.done * 1000, 1), round(o.cpu * 1000, 1), o.frames] for k, o in first.items()
        },
        "form_open_again_each_p50": {
            k: [
                round(statistics.median(o.done for o in v) * 1000, 1),
                round(statistics.median(o.cpu for o in v) * 1000, 1),
                statistics.median(o.frames for o in v),
            ]
            for k, v in later.items()
        },
    }


def bare_form_app(fields: int) -> Any:
    """Plain Textual's floor for a form: the bare table app, where ``a``
    pushes a modal screen of ``fields`` labelled Inputs and two buttons,
    styled like the tracker's forms (a bordered dialog over the dimmed list)."""
    from textual.app import ComposeResult
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.screen import ModalScreen
    from textual.widgets import Button, Input, Label, Static

    class BareForm(ModalScreen[None]):
        DEFAULT_CSS = """
        BareForm { align: center middle; }
        BareForm > Vertical {
            width: 96; height: auto; max-height: 100%;
            border: thick $primary; background: $surface; padding: 0 1;
        }
        BareForm VerticalScroll { height: auto; max-height: 1fr; }
        BareForm Horizontal { height: auto; }
        """
        BINDINGS = [("escape", "dismiss", "Cancel")]

        def compose(self) -> ComposeResult:
            with Vertical():
                yield Static("A form")
                with VerticalScroll():
                    for i in range(fields):
                        yield Label(f"Field {i}")
                        yield Input(id=f"field{i}")
                with Horizontal():
                    yield Button("Cancel")
                    yield Button("Save", variant="primary")

    base = type(bare_table_app())

    class BareWithForm(base):  # type: ignore[misc, valid-type]
        BINDINGS = [("a", "form", "Add")]

        def action_form(self) -> None:
            self.push_screen(BareForm())

    return BareWithForm()


async def bare_forms(runs: int) -> dict[str, Any]:
    app = bare_form_app(BARE_FORM_FIELDS)
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await clock.settle()
        opens = [await open_form(clock, pilot, "escape", "a", "BareForm") for _ in range(runs + 1)]
        return {
            "bare_form_open_first_time": opened_summary(opens[:1]),
            "bare_form_open_again": opened_summary(opens[1:]),
        }


def bare_tabs_app() -> Any:
    """Plain Textual's floor for a tab switch: five tabs of a 100-row
    DataTable each, with the same keys."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, TabbedContent, TabPane

    names = ("quotes", "claims", "speakers", "sources", "due")

    class BareTabs(App[None]):
        BINDINGS = [(str(i + 1), f"show('{name}')", name) for i, name in enumerate(names)]

        def compose(self) -> ComposeResult:
            yield Header()
            with TabbedContent(initial="quotes"):
                for name in names:
                    with TabPane(name.title(), id=name):
                        yield DataTable(cursor_type="row", id=f"{name}-table")
            yield Footer()

        def on_mount(self) -> None:
            self.animation_level = "none"  # as the tracker has it (no sliding underline)
            for table in self.query(DataTable):
                table.add_column("#", width=7)
                table.add_column("Text", width=60)
                table.add_column("Who", width=18)
                for i in range(100):
                    table.add_row(str(i), f"row number {i} " * 5, "Someone Speaking")

        def action_show(self, name: str) -> None:
            self.query_one(TabbedContent).active = name
            self.query_one(f"#{name}-table", DataTable).focus()

    return BareTabs()


async def bare_tab_switches() -> dict[str, Any]:
    app = bare_tabs_app()
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await clock.settle()
        results: dict[str, Any] = {}
        for name in ("bare_tab_switch_first_time", "bare_tab_switch_again"):
            timings = [await clock.press(pilot, key) for key in ("2", "3", "4", "5", "1")]
            results[name] = summary([done for _, done in timings])
        return results


async def forms_and_tabs(url: str, runs: int) -> dict[str, Any]:
    """Tab switches and form opens in a fresh app, beside the bare apps."""
    from tracker.db.database import Database
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.main import MainScreen

    no_blinking()
    results: dict[str, Any] = {}
    results.update(await bare_tab_switches())
    results.update(await bare_forms(runs))
    db = Database(url)
    app = TrackerApp(db, config_path=None)
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await clock.settle()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        results.update(await tab_switches(clock, pilot, screen))
        results.update(await form_opens(clock, pilot, runs))
    db.close()
    for what in ("done", "ui_cpu"):
        bare = results["bare_form_open_again"][what]["p50_ms"]
        for name in ("form_open_first_time", "form_open_again"):
            results[f"{name}_{what}_ratio_to_bare"] = round(results[name][what]["p50_ms"] / bare, 2)
    return results


async def paging_right_after_launch(url: str, presses: int) -> dict[str, Any]:
    """PageDown pressed from the moment the first list is on screen, every
    PRESS_GAP seconds, without waiting for the app to go quiet in between:
    while it reads the other tabs' first pages and builds the forms ahead
    of time (MainScreen._build_forms_ahead), work that must not hold keys
    up. Seconds from each key to the first frame after it (the cursor
    moved); and how many forms were built by the last key."""
    from tracker.db.database import Database
    from tracker.tui.app import TrackerApp

    db = Database(url)
    app = TrackerApp(db, config_path=None)
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        screen = app.screen
        while not (getattr(screen, "lists", None) and screen.lists["quotes"].loaded):
            await asyncio.sleep(0.005)
        first = []
        for _ in range(presses):
            sent = time.perf_counter()
            await pilot.press("pagedown")
            while not [t for t in clock.frames if t > sent]:
                await asyncio.sleep(0.002)
            first.append(next(t for t in clock.frames if t > sent) - sent)
            await asyncio.sleep(max(0.0, sent + PRESS_GAP - time.perf_counter()))
        built = sum(1 for name in app._installed_screens if name.startswith("tracker-dialog:"))
        await clock.settle()
        built_in_all = sum(
            1 for name in app._installed_screens if name.startswith("tracker-dialog:")
        )
    db.close()
    return {
        "paging_right_after_launch_first_frame": summary(first),
        "forms_built_by_last_key": built,
        "forms_built": built_in_all,
        "peak_rss_mb": round(rss_mb(), 1),  # of the process: one app, its forms built
    }


PRESS_GAP = 0.15  # seconds between keys in paging_right_after_launch

WORDS = ("killer", "withdrawal", "troops deadline", "president", "vaccine")


def keys_of(word: str) -> list[str]:
    return [char if char != " " else "space" for char in word]


TAB_KEYS = {"2": "claims", "3": "speakers", "4": "sources", "5": "due", "1": "quotes"}


async def tab_switches(clock: FrameClock, pilot: Any, screen: Any) -> dict[str, Any]:
    """Each tab the first time (its list loads), then each again."""
    rows = RowsClock()
    results: dict[str, Any] = {}
    for name in ("tab_switch_first_time", "tab_switch_again"):
        timings = []
        for key, tab in TAB_KEYS.items():
            timings.append(await tab_switch(clock, rows, pilot, key, screen.lists[tab].table))
        results[name] = tab_latencies(timings)
        results[f"{name}_ms"] = [[round(x * 1000, 1) for x in t] for t in timings]
    return results


async def interactive(url: str, pages: int, tabs_only: bool = False) -> dict[str, Any]:
    from tracker.db.database import Database
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.main import MainScreen
    from tracker.tui.widgets.pickers import warm_speaker_index

    db = Database(url)
    app = TrackerApp(db, config_path=None)
    results: dict[str, Any] = {}

    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await clock.settle()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.query_one("#search").cursor_blink = False  # a blink is a frame
        results["animation_level"] = app.animation_level
        if tabs_only:
            results.update(await tab_switches(clock, pilot, screen))
            db.close()
            return results
        quotes = screen.lists["quotes"]
        paging = [await clock.press(pilot, "pagedown") for _ in range(pages)]
        results["rows_loaded_after_paging"] = quotes.table.row_count
        results["paging"] = latencies(paging)

        typing = []
        for word in WORDS:
            await pilot.press("slash")
            for key in keys_of(word):
                typing.append(await clock.press(pilot, key))
            await clock.press(pilot, *(["backspace"] * len(word)))
            await pilot.press("escape")
        results["typing_search_key_by_key"] = latencies(typing)

        burst = []
        for word in WORDS:
            await pilot.press("slash")
            burst.append(await clock.press(pilot, *keys_of(word), gap=BURST_GAP))
            await clock.press(pilot, *(["backspace"] * len(word)))
            await pilot.press("escape")
        results["typing_search_burst_last_key"] = latencies(burst)

        results.update(await tab_switches(clock, pilot, screen))
        results["rss_before_speaker_index_mb"] = round(rss_mb(), 1)

    t = time.perf_counter()
    warm_speaker_index(db)
    results["speaker_index_build_s"] = round(time.perf_counter() - t, 2)
    results["rss_after_speaker_index_mb"] = round(rss_mb(), 1)
    from tracker.services.speaker_index import suggest_speakers

    suggest = []
    for typed in ("Stephanophoulos", "Jon Smi", "Maria Garc", "Robert", "Wil"):
        t = time.perf_counter()
        suggest_speakers(db, typed)
        suggest.append(time.perf_counter() - t)
    results["speaker_suggest"] = summary(suggest)
    db.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "db", help="an SQLite file, or a database URL (e.g. postgresql+psycopg://...)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--tabs-only", action="store_true", help="only switch tabs (no launches, paging, search)"
    )
    parser.add_argument(
        "--paging-after-launch",
        action="store_true",
        help="only PageDown from the moment the first list shows (while the app reads "
        "the other tabs and builds forms ahead), RUNS fresh apps of PAGES keys",
    )
    parser.add_argument(
        "--forms-only",
        action="store_true",
        help="only tab switches and opening forms, beside the bare Textual apps",
    )
    args = parser.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    if args.tabs_only:
        report = asyncio.run(interactive(url, args.pages, tabs_only=True))
        print(json.dumps(report, indent=2))
        return
    if args.paging_after_launch:
        # One fresh process per run would be fairer for the peak memory; the
        # first run's is the app's (later runs reuse the same process).
        runs = [asyncio.run(paging_right_after_launch(url, args.pages)) for _ in range(args.runs)]
        report = {
            "runs": runs,
            "first_frame_p50_ms": [
                r["paging_right_after_launch_first_frame"]["p50_ms"] for r in runs
            ],
            "first_frame_max_ms": [
                r["paging_right_after_launch_first_frame"]["max_ms"] for r in runs
            ],
        }
        text = json.dumps(report, indent=2)
        print(text)
        if args.json:
            args.json.write_text(text + "\n", encoding="utf-8")
        return
    if args.forms_only:
        report = asyncio.run(forms_and_tabs(url, args.runs))
        text = json.dumps(report, indent=2)
        print(text)
        if args.json:
            args.json.write_text(text + "\n", encoding="utf-8")
        return
    launches = launch_times(url, args.runs)
    report: dict[str, Any] = {"db": str(args.db)}
    bare = statistics.median(launches["bare"])
    for name, times in launches.items():
        report[f"launch_{name}_s"] = [round(x, 3) for x in times]
        report[f"launch_{name}_median_s"] = round(statistics.median(times), 3)
        if name != "bare" and not name.endswith("_detail"):
            report[f"launch_{name}_ratio"] = round(statistics.median(times) / bare, 2)
    report["bare_paging"] = asyncio.run(bare_paging(args.pages))
    report.update(asyncio.run(interactive(url, args.pages)))
    report["forms"] = asyncio.run(forms_and_tabs(url, args.runs))
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

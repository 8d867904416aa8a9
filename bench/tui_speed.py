"""How fast the terminal UI is on a big database (see docs/benchmarks.md).

    python bench/make_big_db.py /tmp/big.db        # once, a few minutes
    python bench/tui_speed.py /tmp/big.db [--runs 5] [--json out.json]

Measures, in one run:
- launch to the first list on screen (a fresh process each time, headless,
  120x40), against a bare Textual app that shows a static 100-row table;
- key press to updated screen when paging (PageDown through the quote list,
  pages loading from the database) and when typing a search (each key runs a
  full-text query), p50/p95/max;
- peak memory (RSS) of the app process, and what building the speaker index
  for the first speaker field costs (time and memory).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CHILD_TRACKER = """
import sys, time
start = float(sys.argv[1])
from tracker.db.database import Database
from tracker.tui.app import TrackerApp
from tracker.tui.widgets.lists import QuoteList
from tracker.tui.widgets.record_list import RecordList

class Timed(TrackerApp):
    def on_record_list_first_page(self, message: RecordList.FirstPage) -> None:
        if isinstance(message.source, QuoteList):
            self.call_after_refresh(self.done)

    def done(self) -> None:
        print(time.time() - start, flush=True)
        self.exit()

db = Database(sys.argv[2])
Timed(db, config_path=None).run(headless=True, size=(120, 40))
"""

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


def launch_time(code: str, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run(
            [sys.executable, "-c", code, repr(start), url],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
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


async def interactive(url: str, pages: int) -> dict[str, Any]:
    from textual.worker import WorkerCancelled, WorkerFailed

    from tracker.db.database import Database
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.main import MainScreen
    from tracker.tui.widgets.pickers import warm_speaker_index

    db = Database(url)
    app = TrackerApp(db, config_path=None)
    results: dict[str, Any] = {}

    async def settled(pilot: Any) -> None:
        # Until every worker started by the key has reported and the screen redrawn.
        for _ in range(3):
            try:
                await app.workers.wait_for_complete()
            except (WorkerCancelled, WorkerFailed):
                continue
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return

    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        quotes = screen.lists["quotes"]
        paging = []
        for _ in range(pages):
            t = time.perf_counter()
            await pilot.press("pagedown")
            await settled(pilot)
            paging.append(time.perf_counter() - t)
        results["rows_loaded_after_paging"] = quotes.table.row_count
        results["paging"] = summary(paging)

        typing = []
        for word in ("killer", "withdrawal", "troops deadline", "president", "vaccine"):
            await pilot.press("slash")
            for char in word:
                t = time.perf_counter()
                await pilot.press(char if char != " " else "space")
                await settled(pilot)
                typing.append(time.perf_counter() - t)
            await pilot.press(*(["backspace"] * len(word)))
            await settled(pilot)
            await pilot.press("escape")
        results["typing_search"] = summary(typing)

        tabs = []
        for key in "23451":
            t = time.perf_counter()
            await pilot.press(key)
            await settled(pilot)
            tabs.append(time.perf_counter() - t)
        results["tab_switch_first_time"] = summary(tabs)
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
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    url = f"sqlite:///{args.db.resolve()}"
    tracker_launch = launch_time(CHILD_TRACKER, url, args.runs)
    bare_launch = launch_time(CHILD_BARE, url, args.runs)
    report: dict[str, Any] = {
        "db": str(args.db),
        "launch_tracker_s": [round(x, 3) for x in tracker_launch],
        "launch_bare_s": [round(x, 3) for x in bare_launch],
        "launch_tracker_median_s": round(statistics.median(tracker_launch), 3),
        "launch_bare_median_s": round(statistics.median(bare_launch), 3),
    }
    report["launch_ratio"] = round(
        report["launch_tracker_median_s"] / report["launch_bare_median_s"], 2
    )
    report.update(asyncio.run(interactive(url, args.pages)))
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

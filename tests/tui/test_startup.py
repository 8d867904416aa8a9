"""The app starts on an empty database and on the demo, and shows its lists."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tracker import services as svc
from tracker.db import migrate
from tracker.db.database import Database
from tracker.db.schema import HEAD_REVISION
from tracker.tui.app import TrackerApp
from tracker.tui.screens.main import MainScreen
from tracker.tui.widgets.lists import DueList, QuoteList


async def test_starts_on_empty_database(db, make_app, settle, main):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        quotes = screen.lists["quotes"]
        assert isinstance(quotes, QuoteList)
        assert quotes.loaded and quotes.table.row_count == 0
        assert "0 shown" in str(quotes.query_one(".list-status").render())


async def test_starts_on_demo_with_quotes_and_due_count(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        assert screen.lists["quotes"].table.row_count == 13
        due = screen.lists["due"]
        assert isinstance(due, DueList)
        assert list(due.records) == [2]  # Biden's promise is due; claim 1 has a final verdict
        assert "Due for review (1)" in str(screen.query_one("#tabs").get_tab("due").label)


async def test_every_tab_loads(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, tab, count in (("2", "claims", 8), ("3", "speakers", 12), ("4", "sources", 3)):
            await pilot.press(key)
            await settle(pilot)
            screen = main(pilot)
            assert screen.tab == tab
            assert screen.current_list.table.row_count == count


# ------------------------------------------------------------ launch before the database opens


class WatchedDatabase(Database):
    """A lazy database that notes how many quotes the app showed when it was opened."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"sqlite:///{path}", actor="tester", lazy=True)
        self.app: TrackerApp | None = None
        self.shown_when_opened: int | None = None

    def open(self) -> None:
        if not self.is_open and self.shown_when_opened is None:
            # Runs in a worker thread: only reads plain attributes of the app.
            assert self.app is not None
            screens = [s for s in self.app.screen_stack if isinstance(s, MainScreen)]
            self.shown_when_opened = len(screens[0].lists["quotes"].records) if screens else 0
        super().open()


@pytest.mark.sqlite_only("the quick first page reads an SQLite file")
async def test_starts_on_a_lazy_database_before_opening_it(
    demo_db, db_path, make_app, settle, main
):
    newest = svc.get_quote(demo_db, 13)
    demo_db.close()
    db = WatchedDatabase(db_path)
    app = make_app(db)
    db.app = app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        quotes = screen.lists["quotes"]
        assert quotes.table.row_count == 13
        # The whole first page was on screen before the database was opened.
        assert db.shown_when_opened == 13
        # The rest works as usual once it is open: the detail, the Due count...
        assert db.is_open
        shown = screen.details["quotes"].text.plain
        assert shown.startswith("Quote #13\n")
        assert newest.speaker in shown
        assert "Due for review (1)" in str(screen.query_one("#tabs").get_tab("due").label)
        # ...and search.
        await pilot.press("slash", *"killer")
        await settle(pilot)
        assert set(quotes.records) == {1, 12}
        assert {r.speaker for r in quotes.records.values()} == {"Joe Biden"}
    db.close()


@pytest.mark.sqlite_only("the quick first page reads an SQLite file")
async def test_a_lazy_database_that_cannot_be_read_quickly_still_starts(
    demo_db, db_path, make_app, settle, main
):
    # An older file: the first page comes from the services, which migrate it.
    migrate.downgrade(demo_db.engine, "0001")
    demo_db.close()
    db = WatchedDatabase(db_path)
    app = make_app(db)
    db.app = app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        assert screen.lists["quotes"].table.row_count == 13
        assert db.shown_when_opened == 0
        assert screen.details["quotes"].text.plain.startswith("Quote #13\n")
    db.close()


# ------------------------------------------------------------ `tracker` with no sub-command


def launched(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Result, list[dict[str, Any]]]:
    """Run ``tracker --db PATH``; instead of running the app, note its database."""
    from tracker.cli import cli

    seen: list[dict[str, Any]] = []

    def run(self: TrackerApp, *args: object, **kwargs: object) -> None:
        seen.append(
            {
                "db": self.db,
                "open": self.db.is_open,
                "revision": revision(path) if path.exists() else None,
            }
        )

    monkeypatch.setattr(TrackerApp, "run", run)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(path.parent / "config"))  # no user keymap
    result = CliRunner().invoke(cli, ["--db", str(path), "--user", "tester"])
    return result, seen


def revision(path: Path) -> str | None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            return None
    return str(row[0]) if row else None


def test_launch_opens_an_up_to_date_file_lazily(
    db_path: Path, demo_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copyfile(demo_template, db_path)
    before = db_path.read_bytes()
    result, seen = launched(db_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert len(seen) == 1
    assert seen[0]["open"] is False  # the app draws the first page before opening it
    assert seen[0]["db"].where == str(db_path)
    assert db_path.read_bytes() == before


def test_launch_creates_a_new_file_before_the_app_runs(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, seen = launched(db_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert len(seen) == 1
    assert seen[0]["open"] is True
    assert seen[0]["revision"] == HEAD_REVISION


@pytest.mark.sqlite_only("reads the SQLite file's revision")
def test_launch_migrates_an_older_file_before_the_app_runs(
    demo_db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate.downgrade(demo_db.engine, "0001")
    demo_db.close()
    assert revision(db_path) == "0001"
    result, seen = launched(db_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert len(seen) == 1
    assert seen[0]["open"] is True
    assert seen[0]["revision"] == HEAD_REVISION
    assert len(svc.list_quotes(seen[0]["db"]).items) == 13


def test_launch_reports_a_file_that_is_not_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes\n" * 100, encoding="utf-8")
    result, seen = launched(path, monkeypatch)
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output
    assert seen == []  # the app never started
    assert path.read_text(encoding="utf-8") == "my notes\n" * 100


async def test_the_heap_is_frozen_once_the_database_is_open(demo_db, make_app, settle, monkeypatch):
    import gc

    monkeypatch.setattr(MainScreen, "FREEZE_HEAP", True)  # as in a real launch
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0  # the screen gone, its objects are collectable again


async def test_the_garbage_of_a_key_is_collected_once_idle_and_frozen_cycles_later(
    demo_db, make_app, settle, monkeypatch
):
    # Once the app is idle after a key, what the key left is collected and
    # the rest frozen (so a collection in the next key is short); a cycle
    # that dies after it was frozen is collected when the app has been idle
    # a while, so nothing stays for good.
    import gc
    import weakref

    monkeypatch.setattr(MainScreen, "FREEZE_HEAP", True)
    monkeypatch.setattr(MainScreen, "RECLAIM_EVERY", 3600.0)
    app = make_app(demo_db)

    class Node:
        pass

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        node = Node()
        node.me = node  # a reference cycle: only the collector frees it
        gone = weakref.ref(node)
        frozen = gc.get_freeze_count()
        await pilot.press("j")
        await pilot.pause(MainScreen.TIDY_AFTER * 3)
        assert gc.get_freeze_count() > frozen  # what was left after the key: frozen
        del node
        gc.collect()
        assert gone() is not None  # frozen: out of the collector's sight
        monkeypatch.setattr(MainScreen, "RECLAIM_EVERY", 0.0)
        monkeypatch.setattr(MainScreen, "RECLAIM_IDLE", 0.2)
        await pilot.pause(0.6)
        assert gone() is None  # collected once the app was idle a while

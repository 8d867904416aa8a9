"""Helpers for driving the real app against a database under tmp_path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from tracker.db.database import Database
from tracker.tui.app import TrackerApp
from tracker.tui.screens.main import MainScreen

Settle = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., TrackerApp]:
    """Build the app with no user keymap (a config path that does not exist)."""

    def build(db: Database, keys: str | None = None) -> TrackerApp:
        config = tmp_path / "keys.toml"
        if keys is not None:
            config.write_text(keys, encoding="utf-8")
        app = TrackerApp(db, config_path=config)
        app.animation_level = "none"  # tests wait for animations; skip them
        return app

    return build


async def _settle(pilot: Pilot[None]) -> None:
    # Workers post messages whose handlers may start more workers.
    # Cancelled (superseded) and failed workers are expected here: the app
    # handles them; waiting must not raise.
    for round_ in range(6):
        for _attempt in range(10):
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except (WorkerCancelled, WorkerFailed):
                continue
        await pilot.pause()
        busy = any(w.is_running for w in pilot.app.workers)
        if round_ >= 1 and not busy:
            return


@dataclass(frozen=True)
class Notice:
    """A notification the app showed (a toast)."""

    message: str
    severity: str
    markup: bool


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[Notice]:
    """What the app notifies, in order: ``TrackerApp.notify`` is wrapped to
    note each call (widgets' and screens' ``notify`` call the app's)."""
    shown: list[Notice] = []
    original = TrackerApp.notify

    def notify(self: TrackerApp, message: str, **options: Any) -> None:
        shown.append(
            Notice(message, options.get("severity", "information"), options.get("markup", True))
        )
        original(self, message, **options)

    monkeypatch.setattr(TrackerApp, "notify", notify)
    return shown


@pytest.fixture
def settle() -> Settle:
    return _settle


@pytest.fixture
def main() -> Callable[[Pilot[None]], MainScreen]:
    def find(pilot: Pilot[None]) -> MainScreen:
        for screen in pilot.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise AssertionError("the main screen is not open")

    return find

"""The tracker's terminal UI: ``TrackerApp(db).run()``."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import App
from textual.binding import BindingType
from textual.screen import Screen

from tracker.db.database import Database
from tracker.errors import TrackerError
from tracker.tui.commands import TrackerCommands
from tracker.tui.keys import DEFAULT_THEMES, KEYS, bindings, load_config
from tracker.tui.messages import WorkerFailed
from tracker.tui.modals import HelpScreen
from tracker.tui.screens.main import MainScreen
from tracker.tui.text import plain

log = logging.getLogger(__name__)


class TrackerApp(App[None]):
    """Browse, search and edit quotes, claims, speakers and sources."""

    TITLE = "tracker"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere work
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")
    COMMANDS = App.COMMANDS | {TrackerCommands}

    def __init__(self, db: Database, config_path: Path | None = None) -> None:
        super().__init__()
        self.db = db
        self.config = load_config(config_path)
        self.sub_title = db.where
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self.theme = DEFAULT_THEMES[0]
        # A key should be drawn in full within 100 ms (docs/benchmarks.md),
        # and each of Textual's animations takes longer: the tab underline
        # slides for 0.3 s on every tab switch, the detail pane scrolls
        # smoothly. So none, unless the user asks (TEXTUAL_ANIMATIONS=full).
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"

    # When the user last pressed a key, clicked, scrolled or pasted
    # (time.monotonic()); MainScreen tidies the heap once the app is idle.
    last_input: float = 0.0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event,
            events.Key
            | events.MouseDown
            | events.MouseScrollDown
            | events.MouseScrollUp
            | events.Paste,
        ):
            self.last_input = time.monotonic()
        await super().on_event(event)

    @property
    def keymap(self) -> Mapping[str, str]:
        """The user's remapped keys, by binding id (from keys.toml)."""
        return self.config.keymap

    def on_mount(self) -> None:
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.problem:
            self.notify(plain(self.config.problem), severity="warning", markup=False, timeout=10)

    def get_default_screen(self) -> Screen[None]:
        # The main screen is the app's first screen rather than pushed over a
        # blank one: one screen fewer to build, style and switch at launch.
        return MainScreen(self.db)

    # -- worker errors: reported here, in one place ------------------------------------------
    @on(WorkerFailed)
    def _worker_failed(self, message: WorkerFailed) -> None:
        """Every worker that fails ends here (``ReportsWorkerErrors``), unless
        the widget that ran it showed the error itself (a form, beside the
        field) and stopped the message."""
        error = message.error
        if isinstance(error, TrackerError):
            self.notify(plain(error.message), severity="error", markup=False, timeout=8)
            return
        log.error("unexpected error in a worker of %r", message.origin, exc_info=error)
        self.notify(
            plain(f"Something went wrong: {type(error).__name__}: {error}"),
            severity="error",
            markup=False,
            timeout=10,
        )

    # -- app-wide actions ------------------------------------------------------------------
    def action_toggle_theme(self) -> None:
        self.theme = DEFAULT_THEMES[1] if self.theme == DEFAULT_THEMES[0] else DEFAULT_THEMES[0]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen.of(self, list(KEYS.values()), self.config.keymap).load())

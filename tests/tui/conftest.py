"""Helpers for driving the real app against a database under tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from tracker import services as svc
from tracker.db.database import Database
from tracker.tui.app import TrackerApp
from tracker.tui.screens.main import MainScreen
from tracker.tui.widgets.picker import PickerField

Settle = Callable[[Pilot[None]], Awaitable[None]]


LONG_LIST = 250  # quotes in long_db: two and a half pages


def _fill_long(db: Database) -> None:
    """LONG_LIST quotes by one speaker ("note number 1" the oldest), in one
    unit of work."""
    with db.unit_of_work():
        speaker = svc.add_speaker(db, "Ada Lovelace")
        for n in range(1, LONG_LIST + 1):
            svc.add_quote(db, f"note number {n}", speaker_id=speaker.id)


@pytest.fixture(scope="session")
def long_template(empty_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of LONG_LIST quotes (see _fill_long), written once per run
    and copied per test."""
    path = tmp_path_factory.mktemp("templates") / "long.db"
    shutil.copyfile(empty_template, path)
    db = Database(f"sqlite:///{path}", actor="tester")
    _fill_long(db)
    db.close()
    return path


@pytest.fixture
def long_db(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if backend == "postgresql":
        db = request.getfixturevalue("db")
        _fill_long(db)
        yield db
        return
    shutil.copyfile(request.getfixturevalue("long_template"), db_path)
    db = Database(f"sqlite:///{db_path}", actor="tester")
    yield db
    db.close()


@pytest.fixture(autouse=True)
def _heap_not_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps in tests do not collect and freeze the heap once started: here
    the heap is the whole test run's, and collecting it took 0.2 s an app.
    test_startup.py checks that a real launch does."""
    monkeypatch.setattr(MainScreen, "FREEZE_HEAP", False)
    # Nor do they look for changes made elsewhere unless the test is about
    # that (test_live_changes.py): a timer firing mid-test makes work to wait for.
    monkeypatch.setattr(MainScreen, "POLL_SECONDS", 0)
    # Nor do they build the forms ahead of time (test_reused_forms.py does):
    # the settling helpers would wait for it in every test.
    monkeypatch.setattr(MainScreen, "BUILD_FORMS_AHEAD", False)


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


async def _workers_done(pilot: Pilot[None]) -> None:
    # Cancelled (superseded) and failed workers are expected here: the app
    # handles them; waiting must not raise.
    for _attempt in range(10):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except (WorkerCancelled, WorkerFailed):
            continue


async def _settle(pilot: Pilot[None]) -> None:
    """Until no worker runs and the app has handled what they posted.

    Workers post messages whose handlers may start more workers, so this
    loops: wait for the workers, let the screen handle its messages
    (``pause(0)``: no sleep), and once nothing runs, one ``pause()`` (which
    waits until the process is idle, so frames and ``call_after_refresh``
    callbacks have run) and a last look."""
    app = pilot.app

    def busy() -> bool:
        # The look for changes made elsewhere runs on a timer (when a test
        # turns it on): it is not work the test waits for.
        return any(w.is_running and w.group != "news" for w in app.workers)

    for _round in range(20):
        await _workers_done(pilot)
        await pilot.pause(0)
        if busy():
            continue
        await pilot.pause()
        if not busy():
            return
    raise AssertionError("the app did not settle: workers kept starting")


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


Pick = Callable[..., Awaitable[list[str]]]


async def _pick(pilot: Pilot[None], picker: PickerField, text: str, choose: str = "") -> list[str]:
    """Choose in a speaker or source field as a person does: click the field
    (and clear it), paste the name (as copied from the article being checked: one paste, so
    one round of suggestions rather than one a key), then move to the
    suggestion whose line holds ``choose`` (the highlighted one if not
    given) with the arrow keys and press Enter. Returns the suggestions' lines."""
    await pilot.click(picker.input)
    assert pilot.app.focused is picker.input
    if picker.input.value:
        await pilot.press("home", "ctrl+k")  # clear what is there
    pilot.app.post_message(events.Paste(text))  # what the terminal sends on a paste
    await _settle(pilot)
    options = picker.options
    assert picker.dropdown_open, f"no suggestions for {text!r}"
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    at = options.highlighted or 0
    target = next((i for i, p in enumerate(prompts) if choose in p), None) if choose else at
    assert target is not None, f"no suggestion with {choose!r} in {prompts}"
    step = "down" if target > at else "up"
    await pilot.press(*[step] * abs(target - at), "enter")
    await _settle(pilot)
    return prompts


@pytest.fixture
def pick() -> Pick:
    return _pick


@pytest.fixture
def main() -> Callable[[Pilot[None]], MainScreen]:
    def find(pilot: Pilot[None]) -> MainScreen:
        for screen in pilot.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise AssertionError("the main screen is not open")

    return find

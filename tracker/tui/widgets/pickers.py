"""The speaker and source fields."""

from __future__ import annotations

import datetime as dt
import sys
from typing import ClassVar

from textual import work

from tracker import services as svc
from tracker.db.database import Database
from tracker.tui.widgets.picker import Choice, PickerField, Suggestions


def matcher_available() -> bool:
    try:
        from tracker.services import speaker_index  # noqa: F401
    except ImportError:
        return False
    return True


def index_is_built(db: Database) -> bool:
    from tracker.services.speaker_index import directory

    return directory(db).is_built


def warm_speaker_index(db: Database) -> None:
    """Build the speaker index for ``db`` (slow on big databases; call in a worker)."""
    if not matcher_available():
        return
    from tracker.services.speaker_index import directory

    directory(db).build()


class SpeakerPicker(PickerField):
    """Suggests speakers from the matching index as a name is typed."""

    noun: ClassVar[str] = "speaker"
    placeholder: ClassVar[str] = "speaker's name as written"
    defer_create: ClassVar[bool] = True  # the form's save creates it (attribution)

    def __init__(self, db: Database, *, on: dt.date | None = None, **kwargs: object) -> None:
        super().__init__(db, **kwargs)  # type: ignore[arg-type]
        self.on_date = on

    _warming = False

    def on_mount(self) -> None:
        # Build the index (or load it) in the background so that it is ready
        # by the time a name is typed; but only once the form is on screen
        # (not as a form is built ahead of time, off screen): the build
        # holds the interpreter most of the time, and started as the form
        # was being drawn it made opening the first speaker form take two
        # to four times as long.
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._screen_changed(self.app.screen)

    def _screen_changed(self, screen: object) -> None:
        if screen is self.screen and not self._warming:
            self._warming = True
            self.call_after_refresh(self._warm)

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm")
    def _warm(self) -> None:
        # Here, not on mount: the first look imports the matcher (0.1 s).
        if matcher_available() and not index_is_built(self.db):
            warm_speaker_index(self.db)

    def looking(self) -> str:
        # On the UI thread: only asked if the matcher is loaded already (the
        # warming worker imports it), never imported here.
        loaded = sys.modules.get("tracker.services.speaker_index")
        if loaded is not None and not loaded.directory(self.db).is_built:
            # No saved copy for this database yet (or the matcher changed):
            # the index is being built, seconds on a big database, once.
            return "building the speaker index (once for this database)…"
        return super().looking()

    def suggest(self, typed: str) -> Suggestions:
        if not matcher_available():
            page = svc.list_speakers(self.db, typed, limit=8)
            choices = tuple(Choice(s.id, s.name, s.kind) for s in page.items)
            return Suggestions(typed, "maybe" if choices else "new", choices, "name search")
        from tracker.services.speaker_index import suggest_speakers

        building = not index_is_built(self.db)
        result = suggest_speakers(self.db, typed, on=self.on_date, limit=8)
        return Suggestions(
            typed,
            result.decision,
            tuple(Choice(c.speaker_id, c.name, c.why, c.score) for c in result.candidates),
            "index built" if building else "",
        )


class SourcePicker(PickerField):
    """Suggests sources whose title or publisher has the words typed."""

    noun: ClassVar[str] = "source"
    placeholder: ClassVar[str] = "source title or publisher"

    def suggest(self, typed: str) -> Suggestions:
        page = svc.list_sources(self.db, typed, limit=8)
        choices = tuple(
            Choice(s.id, s.title, ", ".join(x for x in (s.publisher, s.published_on) if x))
            for s in page.items
        )
        return Suggestions(typed, None, choices)

    def create(self, typed: str) -> tuple[int, str]:
        record = svc.add_source(self.db, typed)
        return record.id, record.title

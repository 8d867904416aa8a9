"""The filter dialog: speaker, source, claim kind and status, quote mode,
date range, tag. Filters apply to the quote and claim lists."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Select

from tracker.db.database import Database
from tracker.scales import SCALES
from tracker.services.filters import Filters
from tracker.tui.screens.form import FormScreen, field
from tracker.tui.widgets.pickers import SourcePicker, SpeakerPicker
from tracker.vocab import CLAIM_KINDS, QUOTE_MODES

STATUSES = [("open (no final verdict)", "open"), ("final", "final"), ("unreviewed", "unreviewed")]


def status_options() -> list[tuple[str, str]]:
    seen = {v for _, v in STATUSES}
    options = list(STATUSES)
    for scale in SCALES.values():
        for rating in scale.ratings:
            if rating.label not in seen:
                seen.add(rating.label)
                options.append((f"rated {rating.label}", rating.label))
    return options


class FilterForm(FormScreen):
    """Returns the new :class:`Filters` (or None when cancelled)."""

    heading = "Filters (quotes and claims)"
    ERROR_FIELDS: ClassVar[dict[str, str]] = {
        "speaker id": "speaker",
        "source id": "source",
        "claim kind": "kind",
        "quote mode": "mode",
        "from date": "date_from",
        "to date": "date_to",
    }

    def __init__(
        self, db: Database, current: Filters, speaker_label: str = "", source_label: str = ""
    ) -> None:
        super().__init__(db)
        self.load(current, speaker_label, source_label)

    def load(self, current: Filters, speaker_label: str = "", source_label: str = "") -> Self:
        """Open on the filters in force (``speaker_label`` and ``source_label``
        the names of the speaker and source they name)."""
        self.current = current
        self.labels = (speaker_label, source_label)
        return self.opened()

    def fields(self) -> ComposeResult:
        yield field("Speaker", SpeakerPicker(self.db, allow_new=False, id="speaker"), "speaker")
        yield field("Source", SourcePicker(self.db, allow_new=False, id="source"), "source")
        yield field(
            "Claim kind", Select([(k, k) for k in CLAIM_KINDS], id="kind"), "kind", "claims only"
        )
        yield field("Status", Select(status_options(), id="status"), "status", "claims only")
        yield field(
            "Quote mode", Select([(m, m) for m in QUOTE_MODES], id="mode"), "mode", "quotes only"
        )
        yield field("Said from", Input(id="date_from"), "date_from", "YYYY[-MM[-DD]]")
        yield field("Said until", Input(id="date_to"), "date_to")
        yield field("Tag", Input(id="tag"), "tag")
        yield Button("Clear all filters", id="clear-filters")

    def fill(self) -> None:
        f = self.current
        self.picked("speaker").load(f.speaker_id, self.labels[0])
        self.picked("source").load(f.source_id, self.labels[1])
        for name, value in (("kind", f.kind), ("status", f.status), ("mode", f.mode)):
            self.query_one(f"#{name}", Select).value = value or Select.NULL
        for name, text in (("date_from", f.date_from), ("date_to", f.date_to), ("tag", f.tag)):
            self.query_one(f"#{name}", Input).value = text or ""

    @on(Button.Pressed, "#clear-filters")
    def _clear(self) -> None:
        self.picked("speaker").clear_choice()
        self.picked("source").clear_choice()
        for name in ("kind", "status", "mode"):
            self.query_one(f"#{name}", Select).clear()
        for name in ("date_from", "date_to", "tag"):
            self.query_one(f"#{name}", Input).value = ""

    def values(self) -> dict[str, Any]:
        speaker, source = self.picked("speaker"), self.picked("source")
        return {
            "speaker_id": speaker.record_id,
            "speaker_label": speaker.chosen_label,
            "source_id": source.record_id,
            "source_label": source.chosen_label,
            "kind": self.choice_of("kind"),
            "status": self.choice_of("status"),
            "mode": self.choice_of("mode"),
            "date_from": self.text_of("date_from") or None,
            "date_to": self.text_of("date_to") or None,
            "tag": self.text_of("tag") or None,
        }

    def save(self, values: dict[str, Any]) -> tuple[Filters, str, str]:
        speaker_label = values.pop("speaker_label")
        source_label = values.pop("source_label")
        filters = Filters(**values)
        filters.validated()  # raises ValidationError naming the field at fault
        return filters, speaker_label, source_label

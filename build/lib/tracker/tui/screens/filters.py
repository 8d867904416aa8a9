"""The filter dialog: speaker, source, claim kind and status, quote mode,
date range, tag. Filters apply to the quote and claim lists."""

from __future__ import annotations

from typing import Any, ClassVar

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
        self.current = current
        self.labels = (speaker_label, source_label)

    def fields(self) -> ComposeResult:
        f = self.current
        yield field(
            "Speaker",
            SpeakerPicker(
                self.db, record_id=f.speaker_id, label=self.labels[0], allow_new=False, id="speaker"
            ),
            "speaker",
        )
        yield field(
            "Source",
            SourcePicker(
                self.db, record_id=f.source_id, label=self.labels[1], allow_new=False, id="source"
            ),
            "source",
        )
        yield field(
            "Claim kind",
            Select([(k, k) for k in CLAIM_KINDS], value=f.kind or Select.NULL, id="kind"),
            "kind",
            "claims only",
        )
        yield field(
            "Status",
            Select(status_options(), value=f.status or Select.NULL, id="status"),
            "status",
            "claims only",
        )
        yield field(
            "Quote mode",
            Select([(m, m) for m in QUOTE_MODES], value=f.mode or Select.NULL, id="mode"),
            "mode",
            "quotes only",
        )
        yield field(
            "Said from", Input(f.date_from or "", id="date_from"), "date_from", "YYYY[-MM[-DD]]"
        )
        yield field("Said until", Input(f.date_to or "", id="date_to"), "date_to")
        yield field("Tag", Input(f.tag or "", id="tag"), "tag")
        yield Button("Clear all filters", id="clear-filters")

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

"""Recording a verdict on a claim: scale, rating, rationale, evidence links."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from tracker import services as svc
from tracker.db.database import Database
from tracker.scales import DEFAULT_SCALE_FOR_KIND, SCALES
from tracker.services.records import ClaimRecord, ReviewRecord
from tracker.tui.screens.form import FormScreen, field, split_list
from tracker.tui.text import literal


def rating_options(scale_key: str) -> list[tuple[str, str]]:
    scale = SCALES[scale_key]
    return [(r.label + ("" if r.final else " (not final)"), r.label) for r in scale.ratings]


class VerdictForm(FormScreen):
    """Append a verdict to a claim's review history."""

    heading = "Record a verdict"
    # The form opens on the first field, the scale, which follows the
    # claim's kind. (It used to ask for the rating's focus as it mounted,
    # but Textual had focused the scale by then, and it kept it.)
    ERROR_FIELDS: ClassVar[dict[str, str]] = {"evidence link": "evidence"}

    def __init__(self, db: Database, claim: ClaimRecord) -> None:
        super().__init__(db)
        self.claim = claim
        self.scale_key = DEFAULT_SCALE_FOR_KIND.get(claim.kind, "truth-o-meter")

    def title_text(self) -> Text:
        text = Text(f"Verdict on claim #{self.claim.id} ({self.claim.kind}): ")
        text.append_text(literal(self.claim.text[:120], "italic", single_line=True))
        return text

    def fields(self) -> ComposeResult:
        yield field(
            "Scale",
            Select(
                [(s.name, s.key) for s in SCALES.values()],
                value=self.scale_key,
                allow_blank=False,
                id="scale",
            ),
            "scale",
        )
        yield field("Rating", Select(rating_options(self.scale_key), id="rating"), "rating")
        yield field("Rationale", TextArea("", id="rationale"), "rationale", "why this rating")
        yield field(
            "Evidence",
            TextArea("", id="evidence", classes="short"),
            "evidence",
            "links, one per line",
        )
        yield field("Reviewer", Input("", placeholder=self.db.actor, id="reviewer"), "reviewer")

    @on(Select.Changed, "#scale")
    def _scale_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.scale_key:
            self.scale_key = event.value
            self.query_one("#rating", Select).set_options(rating_options(event.value))

    def values(self) -> dict[str, Any]:
        return {
            "scale": self.choice_of("scale"),
            "rating": self.choice_of("rating"),
            "rationale": self.text_of("rationale") or None,
            "evidence": split_list(self.text_of("evidence"), "\n"),
            "reviewer": self.text_of("reviewer") or None,
        }

    def save(self, values: dict[str, Any]) -> ReviewRecord:
        if values["rating"] is None:
            from tracker.errors import ValidationError

            raise ValidationError("choose a rating", "rating")
        return svc.add_review(self.db, self.claim.id, **values)

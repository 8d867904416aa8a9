"""Recording a verdict on a claim: scale, rating, rationale, evidence links."""

from __future__ import annotations

from typing import Any, ClassVar, Self

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

    def __init__(self, db: Database, claim: ClaimRecord | None = None) -> None:
        """``claim`` None: built ahead of time, to be loaded with one."""
        super().__init__(db)
        self.claim: ClaimRecord | None = None
        self.scale_key = "truth-o-meter"
        if claim is not None:
            self.load(claim)

    def load(self, claim: ClaimRecord) -> Self:
        """Open on a verdict for ``claim``, on the scale its kind takes."""
        self.claim = claim
        self.scale_key = DEFAULT_SCALE_FOR_KIND.get(claim.kind, "truth-o-meter")
        return self.opened()

    def title_text(self) -> Text:
        if self.claim is None:
            return Text(self.heading)
        text = Text(f"Verdict on claim #{self.claim.id} ({self.claim.kind}): ")
        text.append_text(literal(self.claim.text[:120], "italic", single_line=True))
        return text

    def fields(self) -> ComposeResult:
        yield field(
            "Scale",
            Select([(s.name, s.key) for s in SCALES.values()], allow_blank=False, id="scale"),
            "scale",
        )
        yield field("Rating", Select([], id="rating"), "rating")
        yield field("Rationale", TextArea(id="rationale"), "rationale", "why this rating")
        yield field(
            "Evidence",
            TextArea(id="evidence", classes="short"),
            "evidence",
            "links, one per line",
        )
        yield field("Reviewer", Input(placeholder=self.db.actor, id="reviewer"), "reviewer")

    def fill(self) -> None:
        self.query_one("#scale", Select).value = self.scale_key
        self._rating_options(self.scale_key)
        self.query_one("#rating", Select).clear()  # none chosen
        self.query_one("#rationale", TextArea).text = ""
        self.query_one("#evidence", TextArea).text = ""
        self.query_one("#reviewer", Input).value = ""

    @on(Select.Changed, "#scale")
    def _scale_changed(self, event: Select.Changed) -> None:
        # The scale chosen now, not the message's: a Select posts its first
        # option as its value as it mounts, which arrives after fill chose.
        value = event.select.value
        if isinstance(value, str) and value != self.scale_key:
            self.scale_key = value
            self._rating_options(value)

    _ratings_of: str | None = None  # the scale whose ratings the rating field offers

    def _rating_options(self, scale_key: str) -> None:
        if scale_key != self._ratings_of:
            self.query_one("#rating", Select).set_options(rating_options(scale_key))
            self._ratings_of = scale_key

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
        assert self.claim is not None, "opened without a claim (load one)"
        return svc.add_review(self.db, self.claim.id, **values)

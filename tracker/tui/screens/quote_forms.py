"""Forms for quotes and claims: adapters over the attribution service
(:mod:`tracker.services.attribution`), which decides who said it and
records the quote or claim, a new speaker included, in one unit of work."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Self

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from tracker.db.database import Database
from tracker.errors import ValidationError
from tracker.services.records import ClaimRecord, QuoteRecord
from tracker.tui.screens.form import FormScreen, field, split_list
from tracker.tui.text import literal
from tracker.tui.widgets.picker import PickerField
from tracker.tui.widgets.pickers import SourcePicker, SpeakerPicker
from tracker.vocab import CLAIM_KINDS, QUOTE_MODES

if TYPE_CHECKING:
    from tracker.services.attribution import ClaimOutcome, QuoteOutcome, Who


def who_from(picker: PickerField, field: str) -> Who | None:
    """What the speaker field knows, as the attribution service takes it: a
    speaker picked, a new one confirmed ("+ new"), or a name typed and not
    picked (resolved on save: a confident match is used, else a question)."""
    from tracker.services.attribution import Who

    if picker.record_id is not None:
        return Who(speaker_id=picker.record_id)
    if picker.pending_new is not None:
        return Who(name=picker.pending_new, confirmed_new=True)
    typed = picker.input.value.strip()
    return Who(name=typed) if typed else None


def recorded(outcome: QuoteOutcome | ClaimOutcome) -> Any:
    """The saved record, or the error shown beside the field at fault."""
    from tracker.services.attribution import NeedsChoice, Refused

    if isinstance(outcome, NeedsChoice):
        if outcome.decision == "maybe":
            names = ", ".join(f"{c.name} (#{c.speaker_id})" for c in outcome.candidates[:4])
            message = f"{outcome.name!r} could be: {names}; choose one from the suggestions"
        else:
            message = (
                f"no {outcome.field} matches {outcome.name!r}: choose a {outcome.field} "
                "from the suggestions, or “+ new” to create one"
            )
        raise ValidationError(message, outcome.field)
    if isinstance(outcome, Refused):
        raise ValidationError(outcome.reason, outcome.field)
    return outcome.record


def day_of(value: str) -> dt.date | None:
    """The day a date typed in the form names, if it names one (for role
    references such as "the U.S. president")."""
    from tracker.services.attribution import day_for_roles

    try:
        return day_for_roles(value)
    except ValidationError:
        return None


class QuoteForm(FormScreen):
    """Add a quote, or edit one (``record`` given)."""

    heading = "New quote"
    ERROR_FIELDS: ClassVar[dict[str, str]] = {
        "quote text": "text",
        "quote mode": "mode",
        "date said": "said_on",
        "tag": "tags",
        "start_offset": "text",
        "end_offset": "text",
    }

    def __init__(self, db: Database, record: QuoteRecord | None = None) -> None:
        super().__init__(db)
        self.load(record)

    def load(self, record: QuoteRecord | None = None) -> Self:
        """Open on ``record`` (edit), or on an empty quote (add)."""
        self.record = record
        return self.opened()

    def title_text(self) -> Text:
        if self.record is None:
            return Text(self.heading)
        return Text(f"Edit quote #{self.record.id}")

    def fields(self) -> ComposeResult:
        yield field("Quote", TextArea(id="text"), "text", "the words as said")
        yield field(
            "Speaker",
            SpeakerPicker(self.db, id="speaker"),
            "speaker",
            "type a name, ↑/↓ and Enter to pick",
        )
        yield field("Source", SourcePicker(self.db, id="source"), "source", "optional")
        yield field(
            "Mode",
            Select([(m, m) for m in QUOTE_MODES], allow_blank=False, id="mode"),
            "mode",
        )
        yield field("Said on", Input(id="said_on"), "said_on", "2021, 2021-03 or 2021-03-17")
        yield field("Venue", Input(id="venue"), "venue")
        yield field("Tags", Input(id="tags"), "tags", "comma separated")
        yield field("Notes", TextArea(id="notes", classes="short"), "notes")

    def fill(self) -> None:
        r = self.record
        self.query_one("#text", TextArea).text = r.text if r else ""
        speaker = self.query_one("#speaker", SpeakerPicker)
        speaker.load(r.speaker_id if r else None, r.speaker if r else "")
        self.picked("source").load(r.source_id if r else None, (r.source or "") if r else "")
        self.query_one("#mode", Select).value = r.mode if r else "direct"
        said_on = (r.said_on or "") if r else ""
        self.query_one("#said_on", Input).value = said_on
        # Suggestions for a role reference follow the date said.
        speaker.on_date = day_of(said_on)
        self.query_one("#venue", Input).value = (r.venue or "") if r else ""
        self.query_one("#tags", Input).value = ", ".join(r.tags) if r else ""
        self.query_one("#notes", TextArea).text = (r.notes or "") if r else ""

    @on(Input.Changed, "#said_on")
    def _date_said_changed(self) -> None:
        # Suggestions for a role reference follow the date said.
        picker = self.query_one("#speaker", SpeakerPicker)
        day = day_of(self.text_of("said_on"))
        if day != picker.on_date:
            picker.on_date = day
            picker.refresh_suggestions()

    def values(self) -> dict[str, Any]:
        return {
            "text": self.text_of("text"),
            "who": who_from(self.picked("speaker"), "speaker"),
            "source_id": self.picked("source").record_id,
            "source_typed": self.picked("source").input.value,
            "mode": self.choice_of("mode"),
            "said_on": self.text_of("said_on"),
            "venue": self.text_of("venue"),
            "tags": split_list(self.text_of("tags")),
            "notes": self.text_of("notes"),
        }

    def save(self, values: dict[str, Any]) -> QuoteRecord:
        from tracker.services.attribution import amend_quote, record_quote

        who = values.pop("who")
        if who is None:
            raise ValidationError("a quote needs a speaker", "speaker")
        if values["source_id"] is None and values["source_typed"].strip():
            raise ValidationError(
                "choose a source from the suggestions, or clear the field", "source"
            )
        fields = {k: v for k, v in values.items() if not k.endswith("_typed")}
        fields["said_on"] = fields["said_on"] or None
        fields["venue"] = fields["venue"] or None
        fields["notes"] = fields["notes"] or None
        if self.record is None:
            text = fields.pop("text")
            outcome = record_quote(self.db, text, who, **fields)
        else:
            outcome = amend_quote(
                self.db, self.record.id, who, expected_version=self.record.version, **fields
            )
        record: QuoteRecord = recorded(outcome)
        return record


class ClaimForm(FormScreen):
    """Add a claim (optionally resting on quotes), or edit one."""

    heading = "New claim"
    ERROR_FIELDS: ClassVar[dict[str, str]] = {
        "claim text": "text",
        "claim kind": "kind",
        "claimant": "claimant",
        "speaker": "claimant",
        "quotes": "quote_ids",
        "quote id": "quote_ids",
        "date said": "said_on",
        "due date": "due",
        "tag": "tags",
    }

    def __init__(
        self,
        db: Database,
        record: ClaimRecord | None = None,
        *,
        quote: QuoteRecord | None = None,
    ) -> None:
        super().__init__(db)
        self.load(record, quote=quote)

    def load(self, record: ClaimRecord | None = None, *, quote: QuoteRecord | None = None) -> Self:
        """Open on ``record`` (edit), or on a new claim, resting on ``quote``
        if given (its speaker, date and tags filled in)."""
        self.record = record
        self.quote = quote
        return self.opened()

    def title_text(self) -> Text:
        if self.record is not None:
            return Text(f"Edit claim #{self.record.id}")
        if self.quote is not None:
            text = Text("New claim resting on quote ")
            text.append(f"#{self.quote.id}: ")
            text.append_text(literal(self.quote.text[:60], "italic", single_line=True))
            return text
        return Text(self.heading)

    def fields(self) -> ComposeResult:
        yield field("Claim", TextArea(id="text"), "text", "in your words")
        yield field(
            "Kind",
            Select([(k, k) for k in CLAIM_KINDS], allow_blank=False, id="kind"),
            "kind",
        )
        yield field("Claimant", SpeakerPicker(self.db, id="claimant"), "claimant", "optional")
        yield field("Quotes", Input(id="quote_ids"), "quote_ids", "quote numbers, comma separated")
        yield field("Said on", Input(id="said_on"), "said_on")
        yield field("Due", Input(id="due"), "due", "predictions and promises: YYYY-MM-DD")
        yield field("Tags", Input(id="tags"), "tags")
        yield field("Notes", TextArea(id="notes", classes="short"), "notes")

    def fill(self) -> None:
        r, q = self.record, self.quote
        quote_ids = r.quote_ids if r else ((q.id,) if q else ())
        claimant_id = r.claimant_id if r else (q.speaker_id if q else None)
        claimant = (r.claimant or "") if r else (q.speaker if q else "")
        said = r.said_on if r else (q.said_on if q else None)
        self.query_one("#text", TextArea).text = r.text if r else ""
        self.query_one("#kind", Select).value = r.kind if r else "fact"
        picker = self.query_one("#claimant", SpeakerPicker)
        picker.load(claimant_id, claimant)
        picker.on_date = day_of(said or "")
        self.query_one("#quote_ids", Input).value = ", ".join(str(i) for i in quote_ids)
        self.query_one("#said_on", Input).value = said or ""
        self.query_one("#due", Input).value = r.due.isoformat() if r and r.due else ""
        self.query_one("#tags", Input).value = ", ".join(r.tags if r else (q.tags if q else ()))
        self.query_one("#notes", TextArea).text = (r.notes or "") if r else ""

    @on(Input.Changed, "#said_on")
    def _date_said_changed(self) -> None:
        picker = self.query_one("#claimant", SpeakerPicker)
        day = day_of(self.text_of("said_on"))
        if day != picker.on_date:
            picker.on_date = day
            picker.refresh_suggestions()

    def values(self) -> dict[str, Any]:
        return {
            "text": self.text_of("text"),
            "kind": self.choice_of("kind"),
            "who": who_from(self.picked("claimant"), "claimant"),
            "quote_ids": split_list(self.text_of("quote_ids")),
            "said_on": self.text_of("said_on"),
            "due": self.text_of("due"),
            "tags": split_list(self.text_of("tags")),
            "notes": self.text_of("notes"),
        }

    def save(self, values: dict[str, Any]) -> ClaimRecord:
        from tracker.services.attribution import amend_claim, record_claim

        who = values.pop("who")
        ids: list[int] = []
        for part in values["quote_ids"]:
            if not part.lstrip("#").isdigit():
                raise ValidationError(f"{part!r} is not a quote number", "quote_ids")
            ids.append(int(part.lstrip("#")))
        values["quote_ids"] = ids
        for name in ("said_on", "due", "notes"):
            values[name] = values[name] or None
        if self.record is None:
            text = values.pop("text")
            outcome = record_claim(self.db, text, who, **values)
        else:
            if who is None:
                values["claimant_id"] = None
            outcome = amend_claim(
                self.db, self.record.id, who, expected_version=self.record.version, **values
            )
        record: ClaimRecord = recorded(outcome)
        return record

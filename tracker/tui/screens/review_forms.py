"""The Review tab's dialogs: edit a queue item then accept it, and choose
who said it when the matcher is unsure (or the speaker would be new).

Both are adapters over :func:`tracker.services.review_queue.accept`, which
records the quote through the attribution service: the same decision as the
quote form's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from tracker.db.database import Database
from tracker.errors import ValidationError
from tracker.services.attribution import Who
from tracker.tui.keys import bindings
from tracker.tui.modals import Dialog
from tracker.tui.screens.form import FormScreen, field
from tracker.tui.screens.quote_forms import day_of, recorded, who_from
from tracker.tui.text import literal
from tracker.tui.widgets.pickers import SpeakerPicker
from tracker.vocab import QUOTE_MODES

if TYPE_CHECKING:
    from tracker.services.attribution import NeedsChoice
    from tracker.services.review_queue import QueueItemRecord


class ReviewEditForm(FormScreen):
    """Change the proposed quote, mode or speaker, then accept. Dismisses
    with the service's :class:`~tracker.services.review_queue.Accepted`."""

    heading = "Edit, then accept"
    ERROR_FIELDS: ClassVar[dict[str, str]] = {"quote text": "text", "quote mode": "mode"}

    def __init__(self, db: Database, item: QueueItemRecord, on_date: str | None = None) -> None:
        super().__init__(db)
        self.load(item, on_date)

    def load(self, item: QueueItemRecord, on_date: str | None = None) -> Self:
        """Open on queue item ``item`` (``on_date`` the day its source was
        published, for a role such as "the president")."""
        self.item = item
        self.on_date = on_date
        return self.opened()

    def title_text(self) -> Text:
        title = Text(f"Edit, then accept item #{self.item.id} (")
        title.append_text(literal(self.item.source, single_line=True))
        title.append(")")
        return title

    def fields(self) -> ComposeResult:
        yield field("Quote", TextArea(id="text"), "text", "the words as said")
        yield field(
            "Speaker",
            SpeakerPicker(self.db, id="speaker"),
            "speaker",
            "type a name, ↑/↓ and Enter to pick, “+ new” to create",
        )
        yield field(
            "Mode", Select([(m, m) for m in QUOTE_MODES], allow_blank=False, id="mode"), "mode"
        )

    def fill(self) -> None:
        item = self.item
        known = item.speaker_guess == "same" and item.speaker_id is not None
        self.query_one("#text", TextArea).text = item.text
        picker = self.query_one("#speaker", SpeakerPicker)
        picker.load(
            item.speaker_id if known else None,
            (item.speaker or "") if known else (item.speaker_name or ""),
        )
        picker.on_date = day_of(self.on_date or "")
        self.query_one("#mode", Select).value = item.mode

    def values(self) -> dict[str, Any]:
        return {
            "text": self.text_of("text"),
            "who": who_from(self.picked("speaker"), "speaker"),
            "mode": self.choice_of("mode"),
        }

    def save(self, values: dict[str, Any]) -> Any:
        from tracker.services import review_queue as rq
        from tracker.services.attribution import NeedsChoice, Refused

        who = values["who"]
        if who is None:
            raise ValidationError("a quote needs a speaker", "speaker")
        text = values["text"]
        outcome = rq.accept(
            self.db,
            self.item.id,
            who,
            text=None if text == self.item.text else text,
            mode=values["mode"],
            expected_version=self.item.version,
        )
        if isinstance(outcome, NeedsChoice | Refused):
            recorded(outcome)  # raises the error shown beside the field, as the quote form does
        if isinstance(outcome, rq.AlreadyDecided):
            raise ValidationError(outcome.message)
        return outcome


NEW = -1  # the option that creates a new speaker


class SpeakerChoiceModal(Dialog[Who | None]):
    """Who said it: one of the candidates, or a new speaker with the name
    as written (the confirmation that creating it needs). Dismisses with
    the :class:`~tracker.services.attribution.Who` to accept with, or None."""

    DEFAULT_CSS = """
    SpeakerChoiceModal { align: center middle; }
    SpeakerChoiceModal > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    SpeakerChoiceModal .choice-title { text-style: bold; margin-bottom: 1; }
    SpeakerChoiceModal OptionList { height: auto; max-height: 12; }
    SpeakerChoiceModal .choice-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("choose")

    def __init__(self, question: NeedsChoice) -> None:
        super().__init__()
        self.load(question)

    def load(self, question: NeedsChoice) -> Self:
        """Ask ``question`` (the candidates, and "+ new" with the name as written)."""
        self.question = question
        if self.is_mounted:
            self._fill()
        return self

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(classes="choice-title")
            yield OptionList(id="choices")
            yield Static(
                Text("↑/↓ and Enter to choose · Esc to go back (nothing is recorded)"),
                classes="choice-hint",
            )

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        q = self.question
        title = Text("Who said it? ")
        title.append_text(literal(q.name, single_line=True))
        if q.decision == "maybe":
            title.append(" could be more than one speaker")
        else:
            title.append(" matches no speaker yet")
        options: list[Option] = []
        for c in q.candidates:
            prompt = Text.assemble(literal(c.name, "bold", single_line=True), f"  #{c.speaker_id}")
            why = getattr(c, "why", "")
            if why:
                prompt.append("  ")
                prompt.append_text(literal(why, "dim", single_line=True))
            options.append(Option(prompt, id=str(c.speaker_id)))
        new = Text("+ new speaker ", style="bold")
        new.append_text(literal(q.name, single_line=True))
        options.append(Option(new, id=str(NEW)))
        self.query_one(".choice-title", Static).update(title)
        choices = self.query_one(OptionList)
        choices.clear_options()
        choices.add_options(options)
        choices.highlighted = 0
        self.set_focus(choices, scroll_visible=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = int(event.option.id or NEW)
        if chosen == NEW:
            self.dismiss(Who(name=self.question.name, confirmed_new=True))
        else:
            self.dismiss(Who(speaker_id=chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)

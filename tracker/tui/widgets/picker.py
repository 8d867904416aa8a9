"""A field that picks a record as you type: an input with a list of
suggestions under it, fetched in a worker. The speaker field shows the
matcher's decision (same, maybe, new) and why each candidate matched.
Choosing "new" creates the record at once, or, in a field that defers it
(the speaker field), marks it to be created when the form is saved, so a
cancelled form leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from tracker.db.database import Database
from tracker.errors import TrackerError
from tracker.tui.keys import bindings
from tracker.tui.messages import ReportsWorkerErrors, WorkerFailed
from tracker.tui.text import literal

NEW = "new"


@dataclass(frozen=True)
class Choice:
    record_id: int | None  # None: create a new record from what was typed
    label: str
    why: str = ""
    score: float | None = None


@dataclass(frozen=True)
class Suggestions:
    typed: str
    decision: str | None  # "same" | "maybe" | "new" (speakers), None otherwise
    choices: tuple[Choice, ...]
    note: str = ""


class PickerInput(Input):
    """The typing part: up/down move through the suggestions, enter picks one."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("picker")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("suggestion", "close_suggestions"):
            picker = self.parent
            return isinstance(picker, PickerField) and picker.dropdown_open
        return True

    def action_suggestion(self, step: int) -> None:
        picker = self.parent
        if isinstance(picker, PickerField):
            picker.move_highlight(step)

    def action_close_suggestions(self) -> None:
        picker = self.parent
        if isinstance(picker, PickerField):
            picker.close_dropdown()


class PickerField(ReportsWorkerErrors, Vertical):
    """Base class: subclasses say how to suggest and how to create."""

    DEFAULT_CSS = """
    PickerField { height: auto; }
    PickerField > OptionList {
        display: none; max-height: 9; height: auto;
        border: round $primary 60%; padding: 0;
    }
    PickerField.-open > OptionList { display: block; }
    PickerField > .picker-status { height: auto; color: $text-muted; padding: 0 1; }
    """

    noun: ClassVar[str] = "record"
    placeholder: ClassVar[str] = "type to search"
    # Choosing "+ new" only marks the name (``pending_new``); the form's save
    # creates the record in the same unit of work as what it saves.
    defer_create: ClassVar[bool] = False

    @dataclass
    class Suggested(Message):
        generation: int
        suggestions: Suggestions

    @dataclass
    class Chosen(Message):
        """A record was picked (or created); posted for the form around the field."""

        picker: PickerField
        record_id: int | None

    @dataclass
    class Created(Message):
        record_id: int
        label: str
        loads: int  # the field's opening it was asked for in (see load)

    def __init__(
        self,
        db: Database,
        *,
        record_id: int | None = None,
        label: str = "",
        allow_new: bool = True,
        exclude: frozenset[int] = frozenset(),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.db = db
        self.record_id = record_id
        self.pending_new: str | None = None  # a new record's name, to create on save
        self.chosen_label = label if record_id is not None else ""
        self.allow_new = allow_new
        self.exclude = exclude
        self._initial = label
        # Counts what was typed: suggestions for something typed before are
        # dropped (so are those from before a load).
        self._generation = 0
        self._loads = 0  # counts loads: a record created before one is dropped
        self._choices: list[Choice] = []
        # Lookups and creates started before the last load: their errors are
        # not this opening's.
        self._before_load: set[Worker[object]] = set()

    # -- subclasses (both run in a worker thread) -------------------------------
    def suggest(self, typed: str) -> Suggestions:
        raise NotImplementedError

    def create(self, typed: str) -> tuple[int, str]:
        raise NotImplementedError

    # -- widget ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield PickerInput(value=self._initial, placeholder=self.placeholder)
        options = OptionList()
        options.can_focus = False
        yield options
        yield Static(self._status_text(), classes="picker-status")

    @property
    def input(self) -> PickerInput:
        return self.query_one(PickerInput)

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def dropdown_open(self) -> bool:
        return self.has_class("-open")

    def close_dropdown(self) -> None:
        self.remove_class("-open")

    def _status_text(self, extra: str = "") -> Text:
        if self.pending_new is not None:
            text = Text("+ new ", style="green")
            text.append_text(literal(self.pending_new, single_line=True))
            text.append(f" (a new {self.noun}, created when you save)", style="dim")
        elif self.record_id is not None:
            text = Text("✓ ", style="green")
            text.append_text(literal(self.chosen_label, single_line=True))
            text.append(f" (#{self.record_id})", style="dim")
        else:
            text = Text(f"no {self.noun} chosen", style="dim")
        if extra:
            text.append(f"  {extra}", style="dim italic")
        return text

    def _set_status(self, extra: str = "") -> None:
        self.query_one(".picker-status", Static).update(self._status_text(extra))

    def clear_choice(self) -> None:
        self.record_id = None
        self.pending_new = None
        self.chosen_label = ""
        self.input.value = ""
        self._set_status()

    def load(
        self,
        record_id: int | None = None,
        label: str = "",
        *,
        exclude: frozenset[int] | None = None,
    ) -> None:
        """Show ``record_id`` chosen (``label`` its name), or ``label`` typed
        and nothing chosen, as a new field would: for a form opened again.
        Nothing of before stays: no "+ new" pending, no suggestions open,
        and whatever a lookup or create started before brings is dropped."""
        self._generation += 1
        self._loads += 1
        self._before_load = {w for w in self.app.workers if w.node is self}
        self.record_id = record_id
        self.pending_new = None
        self.chosen_label = label if record_id is not None else ""
        if exclude is not None:
            self.exclude = exclude
        self._choices = []
        self.close_dropdown()
        self.options.clear_options()
        typed = self.input
        with typed.prevent(Input.Changed):
            typed.value = label
        typed.cursor_position = len(label)
        self._set_status()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        typed = event.value
        if self.pending_new is not None and typed != self.pending_new:
            self.pending_new = None
        if self.record_id is not None and typed != self.chosen_label:
            self.record_id = None
            self.chosen_label = ""
            self.post_message(self.Chosen(self, None))
        if (
            not typed.strip()
            or (self.record_id is not None and typed == self.chosen_label)
            or typed == self.pending_new
        ):
            self.close_dropdown()
            self._set_status()
            return
        self._generation += 1
        self._set_status(self.looking())
        self._suggest(self._generation, typed)

    def looking(self) -> str:
        """What the status line says while suggestions are being looked up."""
        return "looking…"

    def refresh_suggestions(self) -> None:
        """Ask again for what is typed (something the suggestions depend on,
        such as the date said, changed); nothing if a record is chosen."""
        typed = self.input.value
        if typed.strip() and self.record_id is None and self.pending_new is None:
            self._generation += 1
            self._suggest(self._generation, typed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest")
    def _suggest(self, generation: int, typed: str) -> None:
        found = self.suggest(typed)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Suggested(generation, found))

    @on(Suggested)
    def _suggested(self, message: Suggested) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        found = message.suggestions
        choices = [c for c in found.choices if c.record_id not in self.exclude]
        if self.allow_new:
            choices.append(Choice(None, found.typed.strip(), f"create a new {self.noun}"))
        self._choices = choices
        options = self.options
        options.clear_options()
        options.add_options([Option(self._prompt(c), id=str(i)) for i, c in enumerate(choices)])
        if choices:
            best = 0
            if found.decision == NEW and self.allow_new:
                best = len(choices) - 1
            options.highlighted = best
            self.add_class("-open")
        else:
            self.close_dropdown()
        note = found.note
        if found.decision is not None:
            note = f"decision: {found.decision}" + (f" · {note}" if note else "")
        self._set_status(note)

    def _prompt(self, choice: Choice) -> Text:
        if choice.record_id is None:
            text = Text("+ new: ", style="bold green")
            text.append_text(literal(choice.label, single_line=True))
            return text
        text = literal(choice.label, "bold", single_line=True)
        text.append(f" #{choice.record_id}", style="dim")
        if choice.score is not None:
            text.append(f" {choice.score:.2f}", style="dim")
        if choice.why:
            text.append("  ")
            text.append_text(literal(choice.why, "italic", single_line=True))
        return text

    def move_highlight(self, step: int) -> None:
        options = self.options
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = (current + step) % options.option_count

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.dropdown_open and self.options.highlighted is not None:
            event.stop()
            self._pick(self.options.highlighted)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)
        self.input.focus()

    def _pick(self, index: int) -> None:
        if not 0 <= index < len(self._choices):
            return
        choice = self._choices[index]
        self.close_dropdown()
        if choice.record_id is None and self.defer_create:
            self.record_id = None
            self.chosen_label = ""
            self.pending_new = choice.label
            with self.input.prevent(Input.Changed):
                self.input.value = choice.label
            self._set_status()
            self.post_message(self.Chosen(self, None))
        elif choice.record_id is None:
            self._set_status(f"creating {self.noun}…")
            self._create(choice.label, self._loads)
        else:
            self._accept(choice.record_id, choice.label)

    def _accept(self, record_id: int, label: str) -> None:
        self.pending_new = None
        self.record_id = record_id
        self.chosen_label = label
        with self.input.prevent(Input.Changed):
            self.input.value = label
        self._set_status()
        self.post_message(self.Chosen(self, record_id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="create")
    def _create(self, typed: str, loads: int) -> None:
        record_id, label = self.create(typed)
        self.post_message(self.Created(record_id, label, loads))

    @on(Created)
    def _created(self, message: Created) -> None:
        message.stop()
        if message.loads != self._loads:
            return  # created for a form opened before this one
        self._accept(message.record_id, message.label)
        self.app.notify(f"Created {self.noun} #{message.record_id}", markup=False)

    @on(WorkerFailed)
    def _work_failed(self, message: WorkerFailed) -> None:
        """A suggestion or create failed: say so under the field (anything
        unexpected goes on to the app too, which logs it)."""
        if message.origin is not self:
            return
        error = message.error
        if isinstance(error, TrackerError):
            message.stop()
        if message.worker in self._before_load:
            return  # a lookup or create for the form opened before

        text = error.message if isinstance(error, TrackerError) else str(error)
        self.query_one(".picker-status", Static).update(literal(text, "red"))

"""The form dialog every add/edit form is built on.

Saving runs in a worker; a failed save (a validation error, a stale version,
a locked database) is shown beside the field at fault, or under the form,
and everything typed stays. Leaving with unsaved edits asks first.

A form is built once per app (``Dialog.of``) and loaded with what it shows
each time it opens: ``fields`` yields its widgets, empty, and ``fill`` sets
them from the record (or the defaults), the one place a form's values come
from; ``load`` (each form's own, which sets the record) then ``opened``
clears everything the last opening left (errors, picks, a save on its way,
scroll, focus)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.worker import Worker

from tracker.db.database import Database
from tracker.errors import TrackerError
from tracker.tui.keys import bindings, key_hint
from tracker.tui.messages import ReportsWorkerErrors, WorkerFailed
from tracker.tui.modals import ConfirmModal, Dialog
from tracker.tui.text import literal
from tracker.tui.widgets.picker import PickerField


def field(label: str, widget: Widget, name: str, hint: str = "") -> Vertical:
    """A labelled field with room for its error message under it."""
    title = Text(label, style="bold")
    if hint:
        title.append(f"  {hint}", style="dim")
    return Vertical(
        Label(title, classes="field-label"),
        widget,
        Static("", classes="field-error", id=f"{name}-error"),
        classes="field",
        id=f"{name}-field",
    )


def split_list(value: str, sep: str = ",") -> list[str]:
    return [part.strip() for part in value.replace("\n", sep).split(sep) if part.strip()]


class FormScreen(ReportsWorkerErrors, Dialog[Any]):
    """Base class: subclasses yield fields, read values and save them."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #dialog {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FormScreen #form-title { text-style: bold; padding: 0 1; }
    FormScreen #fields { height: auto; max-height: 1fr; }
    FormScreen .field { height: auto; margin-bottom: 0; }
    FormScreen .field-label { padding: 0 1; }
    FormScreen .field-error { color: $error; padding: 0 1; height: auto; display: none; }
    FormScreen .field-error.-shown { display: block; }
    FormScreen TextArea { height: 5; }
    FormScreen TextArea.short { height: 3; }
    FormScreen #form-error { color: $error; height: auto; padding: 0 1; }
    FormScreen #form-footer { height: auto; }
    FormScreen #form-hint { color: $text-muted; width: 1fr; padding: 1 1 0 1; }
    FormScreen #form-footer Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("form")

    heading: ClassVar[str] = "Edit"
    # Service field names (ValidationError.field) that differ from widget names.
    ERROR_FIELDS: ClassVar[dict[str, str]] = {}

    @dataclass
    class Saved(Message):
        result: Any
        opening: int  # which opening of the form saved it

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self._initial: dict[str, Any] | None = None
        self.saving = False
        self._opening = 0  # counts loads: a save from an earlier opening is dropped
        self._save_worker: Worker[None] | None = None

    # -- subclasses ------------------------------------------------------------------
    def fields(self) -> ComposeResult:
        """The fields' widgets, empty: ``fill`` sets what they show."""
        raise NotImplementedError
        yield  # pragma: no cover

    def fill(self) -> None:
        """Set every field from what the form shows (its record, or the
        defaults of a new one); the value-changed messages are held back."""
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> Any:
        """Write ``values`` through the services (runs in a worker thread)."""
        raise NotImplementedError

    def title_text(self) -> Text:
        return Text(self.heading)

    # -- helpers for subclasses ----------------------------------------------------
    def text_of(self, name: str) -> str:
        widget = self.query_one(f"#{name}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Input):
            return widget.value
        raise TypeError(name)

    def choice_of(self, name: str) -> str | None:
        value = self.query_one(f"#{name}", Select).value
        return value if isinstance(value, str) else None

    def picked(self, name: str) -> PickerField:
        return self.query_one(f"#{name}", PickerField)

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="form-title")
            # Not focusable itself: the fields are (focusing it first, then the
            # first field, restyled every field twice on opening a form).
            with VerticalScroll(id="fields", can_focus=False):
                yield from self.fields()
            yield Static("", id="form-error")
            with Horizontal(id="form-footer"):
                yield Static(self._hint(), id="form-hint")
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def _hint(self) -> Text:
        save, cancel = (key_hint(self.app, f"form.{name}") for name in ("save", "cancel"))
        return Text(f"{save} save · {cancel} cancel · tab next field")

    def on_mount(self) -> None:
        self._show()

    def opened(self) -> Self:
        """Open on what the form's state says (each form's ``load`` sets it,
        then calls this): on a form shown before, every field is set again
        and nothing of the last opening stays."""
        self._opening += 1
        self.saving = False
        self._save_worker = None
        if self.is_mounted:
            self._show()
        return self

    def _show(self) -> None:
        self.query_one("#form-title", Static).update(self.title_text())
        self._clear_errors()
        with self.prevent(Input.Changed, Select.Changed, TextArea.Changed):
            self.fill()
        for select in self.query(Select):
            select.expanded = False
        for area in self.query(TextArea):
            area.move_cursor((0, 0))
            area.scroll_home(animate=False, immediate=True)
        for typed in self.query(Input):
            typed.cursor_position = len(typed.value)
        self.query_one("#fields", VerticalScroll).scroll_home(animate=False, immediate=True)
        self._initial = self.values()
        # The first field has the focus. On a new form Textual has focused it
        # as the form was composed (AUTO_FOCUS), so it is drawn once, focused.
        first = self.query(".field Input, .field TextArea, .field Select").first()
        self.set_focus(first, scroll_visible=False)

    @property
    def dirty(self) -> bool:
        return self._initial is not None and self.values() != self._initial

    # -- saving ------------------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return
        self._clear_errors()
        self.saving = True
        self.query_one("#form-error", Static).update(Text("Saving…", style="dim"))
        self._save_worker = self._save(self.values(), self._opening)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, values: dict[str, Any], opening: int) -> None:
        self.post_message(self.Saved(self.save(values), opening))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        message.stop()
        if message.opening != self._opening or self not in self.app.screen_stack:
            return  # saved from an opening left meanwhile (discarded while saving)
        self.saving = False
        self.dismiss(message.result)

    def _clear_errors(self) -> None:
        for error in self.query(".field-error"):
            if isinstance(error, Static):
                error.update("")
                error.remove_class("-shown")
        self.query_one("#form-error", Static).update("")

    @on(WorkerFailed)
    def _save_failed(self, message: WorkerFailed) -> None:
        """A failed save is shown here, beside the field at fault or under
        the form, and what was typed stays. An error the tracker expects
        (a bad value, a locked database) stops here; anything else goes on
        to the app, which logs it."""
        if message.origin is not self:
            return
        if isinstance(message.error, TrackerError):
            message.stop()
        if message.worker is not None and message.worker is not self._save_worker:
            return  # from an opening left meanwhile: not this one's error
        self._show_save_error(message.error)

    def _show_save_error(self, error: BaseException) -> None:
        self.saving = False
        self.query_one("#form-error", Static).update("")
        message = error.message if isinstance(error, TrackerError) else f"not saved: {error}"
        where = error.field if isinstance(error, TrackerError) else None
        name = self.ERROR_FIELDS.get(where or "", where or "")
        targets = self.query(f"#{name}-error") if name and name.isidentifier() else None
        if targets:
            target = targets.first(Static)
            target.update(literal(message))
            target.add_class("-shown")
            field_box = self.query_one(f"#{name}-field")
            focusable = field_box.query("Input, TextArea, Select")
            if focusable:
                focusable.first().focus()
            field_box.scroll_visible()
        else:
            self.query_one("#form-error", Static).update(literal(f"Not saved: {message}"))

    # -- leaving -------------------------------------------------------------------------
    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal.of(self.app).load(
                "Discard unsaved changes?",
                "You have typed into this form. Leave without saving?",
                yes="Discard",
                no="Keep editing",
            ),
            answered,
        )

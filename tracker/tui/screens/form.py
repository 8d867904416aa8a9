"""The form dialog every add/edit form is built on.

Saving runs in a worker; a failed save (a validation error, a stale version,
a locked database) is shown beside the field at fault, or under the form,
and everything typed stays. Leaving with unsaved edits asks first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

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

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self._initial: dict[str, Any] | None = None
        self.saving = False

    # -- subclasses ------------------------------------------------------------------
    def fields(self) -> ComposeResult:
        raise NotImplementedError
        yield  # pragma: no cover

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
            yield Static(self.title_text(), id="form-title")
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
        self._initial = self.values()
        # Textual has focused the first field (AUTO_FOCUS, or the field a
        # form names) as the form was composed, so it is drawn once, focused.
        if self.focused is None:
            self.query(".field Input, .field TextArea, .field Select").first().focus()

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
        self._save(self.values())

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, values: dict[str, Any]) -> None:
        self.post_message(self.Saved(self.save(values)))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        message.stop()
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
            ConfirmModal(
                "Discard unsaved changes?",
                "You have typed into this form. Leave without saving?",
                yes="Discard",
                no="Keep editing",
            ),
            answered,
        )

"""Merging speakers: pick the one to merge in, then confirm what will move."""

from __future__ import annotations

from typing import ClassVar, Self

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tracker.db.database import Database
from tracker.services.merges import MergePlan
from tracker.services.records import SpeakerRecord
from tracker.tui.keys import bindings
from tracker.tui.modals import Dialog
from tracker.tui.text import literal
from tracker.tui.widgets.picker import PickerField
from tracker.tui.widgets.pickers import SpeakerPicker


class MergePicker(Dialog[int | None]):
    """Choose the speaker to merge into ``keep``; returns their id."""

    DEFAULT_CSS = """
    MergePicker { align: center middle; }
    MergePicker > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    MergePicker .merge-title { text-style: bold; padding: 1 1; }
    MergePicker Horizontal { height: auto; align-horizontal: right; }
    MergePicker Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("merge")

    def __init__(self, db: Database, keep: SpeakerRecord | None = None) -> None:
        """``keep`` None: built ahead of time, to be loaded with one."""
        super().__init__()
        self.db = db
        self.keep: SpeakerRecord | None = None
        if keep is not None:
            self.load(keep)

    def load(self, keep: SpeakerRecord) -> Self:
        """Open on merging another speaker into ``keep``, nothing typed."""
        self.keep = keep
        if self.is_mounted:
            self._fill()
        return self

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(classes="merge-title")
            yield SpeakerPicker(self.db, allow_new=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Next…", id="next", variant="primary")

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        if self.keep is None:
            return  # built ahead of time: filled when loaded
        title = Text("Merge another speaker into ")
        title.append_text(literal(self.keep.name, "bold", single_line=True))
        title.append(f" (#{self.keep.id})")
        self.query_one(".merge-title", Static).update(title)
        picker = self.query_one(SpeakerPicker)
        picker.load(exclude=frozenset({self.keep.id}))
        self.set_focus(picker.input, scroll_visible=False)

    @on(PickerField.Chosen)
    def _chosen(self, message: PickerField.Chosen) -> None:
        if message.record_id is not None:
            self.dismiss(message.record_id)

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        chosen = self.query_one(SpeakerPicker).record_id
        if chosen is not None:
            self.dismiss(chosen)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def describe_plan(plan: MergePlan, undo_keys: str = "ctrl+z") -> Text:
    """What a merge will move, for the confirmation."""
    out = Text()
    out.append_text(literal(plan.other.name, "bold"))
    out.append(f" (#{plan.other.id}) will be merged into ")
    out.append_text(literal(plan.keep.name, "bold"))
    out.append(f" (#{plan.keep.id}) and removed.\n\n")
    out.append(f"Quotes that move: {len(plan.quote_ids)}")
    if plan.quote_ids:
        out.append(
            f"  (#{', #'.join(map(str, plan.quote_ids[:12]))}{'…' if len(plan.quote_ids) > 12 else ''})",
            style="dim",
        )
    out.append(f"\nClaims that move: {len(plan.claim_ids)}")
    if plan.claim_ids:
        out.append(
            f"  (#{', #'.join(map(str, plan.claim_ids[:12]))}{'…' if len(plan.claim_ids) > 12 else ''})",
            style="dim",
        )
    out.append("\nNames that become aliases: ")
    out.append_text(literal(", ".join(plan.aliases) or "none"))
    out.append("\nRoles that move: ")
    out.append_text(literal(", ".join(plan.roles) or "none"))
    out.append(f"\n\nUndo ({undo_keys}) separates them again.", style="dim")
    return out

"""Small dialogs: confirm (delete, merge, undo, discard edits) and help."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.tui.keys import KeyGroup, bindings, keys_for


class ConfirmModal(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmModal .confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmModal VerticalScroll { height: auto; max-height: 14; }
    ConfirmModal Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmModal Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("confirm")

    def __init__(self, title: str, body: Text | str = "", *, yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.question = title
        self.body = body if isinstance(body, Text) else Text(body)
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), classes="confirm-title")
            with VerticalScroll():
                yield Static(self.body)
            with Horizontal():
                yield Button(self.no_label, id="no")
                yield Button(self.yes_label, id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class HelpScreen(ModalScreen[None]):
    """Every key, as remapped by the user's keymap."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("help")

    def __init__(self, groups: Sequence[KeyGroup], keymap: Mapping[str, str]):
        super().__init__()
        self.groups = groups
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Keys\n", style="bold")
        for group in self.groups:
            text.append(f"\n{group.title}\n", style="bold underline")
            for key in group.keys:
                text.append(f"  {keys_for(key.id, self.keymap):<16}", style="bold")
                text.append(f"{key.description}")
                text.append(f"  {key.id}\n", style="dim")
        text.append(
            "\nIn a form, Tab moves to the next field; in a speaker or source field,\n"
            "Enter picks the suggestion. Ctrl+P opens the command palette with every action.\n"
            "Keys are remapped by their ids in keys.toml (see docs/tui.md).\n",
            style="dim",
        )
        with VerticalScroll():
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)

"""The footer: the screen's main keys on one line.

Textual's ``Footer`` is a container with a widget per key, composed again
each time the screen's bindings change (a tab switch, focus moving to the
search box, a record selected or not): on our main screen that cost about
60 ms of every tab switch, plus as much again to draw the new widgets. This
bar draws the same keys as one line of text and redraws only that line, and
only when the keys shown change. Clicking a key presses it, as in Textual's
footer."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

PALETTE_LABEL = "palette"


class KeyBar(Widget):
    """Shows the bindings marked ``show=True`` that apply where the focus is."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
        "key-bar--palette",
    }

    # The colours of Textual's Footer.
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled { text-style: dim; }
        & > .key-bar--palette { color: $foreground 20%; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # (key pressed, what the key shows, description, enabled), left to right.
        self.keys: list[tuple[str, str, str, bool]] = []
        self.palette: tuple[str, str] | None = None  # (key pressed, what it shows)
        self._spans: list[tuple[int, int, str]] = []  # x range of each key on the line

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen:
            return
        app = self.app
        keys: list[tuple[str, str, str, bool]] = []
        palette: tuple[str, str] | None = None
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding.key, app.get_key_display(binding))
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)  # one key per action, as in Footer
                keys.append(
                    (binding.key, app.get_key_display(binding), binding.description, enabled)
                )
        if keys != self.keys or palette != self.palette:
            self.keys, self.palette = keys, palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        for key, shown, description, enabled in self.keys:
            start = line.cell_len
            line.append(f" {shown} ", key_style if enabled else key_style + disabled)
            line.append(f"{description} ", description_style if enabled else disabled)
            spans.append((start, line.cell_len, key))
        if self.palette is not None:
            key, shown = self.palette
            right = Text.assemble(
                ("▏", self.get_component_rich_style("key-bar--palette")),
                (shown, key_style),
                (f" {PALETTE_LABEL} ", description_style),
            )
            gap = self.size.width - line.cell_len - right.cell_len
            if gap >= 1:
                line.append(" " * gap)
                spans.append((line.cell_len, line.cell_len + right.cell_len, key))
                line.append_text(right)
        self._spans = spans
        return line

    def on_resize(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                enabled = next((k[3] for k in self.keys if k[0] == key), True)
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return

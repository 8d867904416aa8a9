"""Key bindings, each with an id, and the user's keymap file that remaps them.

The file is TOML, ``keys.toml`` in the user config folder (platformdirs), or
the path given to :class:`~tracker.tui.app.TrackerApp`::

    [keys]
    "tracker.add" = "n"
    "tracker.search" = "slash,ctrl+f"

    [ui]
    theme = "textual-light"

Keys use Textual's names ("ctrl+z", "question_mark", "f1"); several keys for
one binding are separated by commas.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from textual.binding import Binding

from tracker.config import APP_NAME

# Actions of the main screen: they act on the list being shown.
MAIN_BINDINGS: list[Binding] = [
    # Priority, so that keys typed right after "/" land in the search box
    # (the main screen turns it off while a text field has focus).
    Binding("slash", "focus_search", "Search", id="tracker.search", priority=True),
    Binding("a", "add", "Add", id="tracker.add"),
    Binding("e", "edit", "Edit", id="tracker.edit"),
    Binding("d,delete", "delete", "Delete", id="tracker.delete"),
    Binding("v", "verdict", "Verdict", id="tracker.verdict"),
    Binding("c", "add_claim", "New claim", id="tracker.claim_from_quote", show=False),
    Binding("m", "merge", "Merge", id="tracker.merge", show=False),
    Binding("f", "filters", "Filters", id="tracker.filters"),
    Binding("x", "clear_filters", "Clear filters", id="tracker.clear_filters", show=False),
    Binding("ctrl+z,u", "undo", "Undo", id="tracker.undo"),
    Binding("r,f5", "refresh", "Reload", id="tracker.refresh", show=False),
    Binding("1", "show_tab('quotes')", "Quotes", id="tracker.tab.quotes", show=False),
    Binding("2", "show_tab('claims')", "Claims", id="tracker.tab.claims", show=False),
    Binding("3", "show_tab('speakers')", "Speakers", id="tracker.tab.speakers", show=False),
    Binding("4", "show_tab('sources')", "Sources", id="tracker.tab.sources", show=False),
    Binding("5", "show_tab('due')", "Due for review", id="tracker.tab.due", show=False),
    Binding("q", "app.quit", "Quit", id="tracker.quit", show=False),
]

# Actions available everywhere, in forms and dialogs too.
APP_BINDINGS: list[Binding] = [
    Binding("question_mark,f1", "help", "Help", id="tracker.help"),
    Binding("ctrl+t", "toggle_theme", "Theme", id="tracker.theme", show=False),
]

DEFAULT_THEMES = ("textual-dark", "textual-light")


@dataclass(frozen=True)
class UiConfig:
    """What the config file says: key overrides and the theme."""

    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problem: str | None = None  # why the file could not be read, to show the user


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "keys.toml"


def load_config(path: Path | None = None) -> UiConfig:
    """Read the keymap file; a missing file is no keymap, a broken one a problem."""
    where = path or default_config_path()
    try:
        raw = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UiConfig()
    except OSError as exc:
        return UiConfig(problem=f"cannot read {where}: {exc.strerror}")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        return UiConfig(problem=f"{where} is not valid TOML: {exc}")
    keys = data.get("keys", {})
    ui = data.get("ui", {})
    if not isinstance(keys, dict) or not isinstance(ui, dict):
        return UiConfig(problem=f"{where}: [keys] and [ui] must be tables")
    known = {b.id for b in MAIN_BINDINGS + APP_BINDINGS}
    keymap: dict[str, str] = {}
    unknown: list[str] = []
    for binding_id, value in keys.items():
        if binding_id not in known:
            unknown.append(binding_id)
        elif isinstance(value, str) and value.strip():
            keymap[binding_id] = value.strip()
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            keymap[binding_id] = ",".join(v.strip() for v in value)
    theme = ui.get("theme")
    problem = f"{where}: unknown binding id(s) {', '.join(sorted(unknown))}" if unknown else None
    return UiConfig(keymap, theme if isinstance(theme, str) else None, problem)


def keys_for(binding: Binding, keymap: dict[str, str]) -> str:
    """The keys a binding answers to after the keymap, as the user would type them."""
    keys = keymap.get(binding.id or "", binding.key)
    names = {"slash": "/", "question_mark": "?", "delete": "Del"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))

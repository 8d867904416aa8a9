"""Every key binding of the terminal UI, each with an id, in one table; and
the user's keymap file that remaps them.

Screens and widgets take their ``BINDINGS`` from :data:`KEYS`
(``bindings("form")``), the help screen lists it, the command palette offers
the entries that have a palette title, and ``keys.toml`` may remap any id in
it. The file is TOML, ``keys.toml`` in the user config folder (platformdirs),
or the path given to :class:`~tracker.tui.app.TrackerApp`::

    [keys]
    "tracker.add" = "n"
    "tracker.search" = "slash,ctrl+f"
    "form.save" = "ctrl+enter"

    [ui]
    theme = "textual-light"

Keys use Textual's names ("ctrl+z", "question_mark", "f1"); several keys for
one binding are separated by commas (or given as a list).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import platformdirs
from textual.binding import Binding, BindingType

from tracker.config import APP_NAME


@dataclass(frozen=True)
class Key:
    """One binding: what Textual binds, and how help and the palette show it."""

    id: str
    keys: str  # Textual key names, comma separated
    action: str
    description: str  # in the footer and the help screen
    show: bool = False  # in the footer
    priority: bool = False
    palette: str = ""  # the command palette's title; "" keeps it out of the palette
    palette_help: str = ""

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


@dataclass(frozen=True)
class KeyGroup:
    """The bindings of one screen or widget, under a title in the help screen.

    ``runs_on`` says where the palette runs the group's actions: on the screen
    it was opened over, or on the app."""

    title: str
    keys: tuple[Key, ...]
    runs_on: Literal["screen", "app"] = "screen"


# The ids are what users write in keys.toml: never rename one.
KEYS: dict[str, KeyGroup] = {
    # Actions of the main screen: they act on the list being shown.
    "main": KeyGroup(
        "Lists",
        (
            # Priority, so that keys typed right after "/" land in the search
            # box (the main screen turns it off while a text field has focus).
            Key(
                "tracker.search", "slash", "focus_search", "Search", show=True, priority=True,
                palette="Search…",
                palette_help="Focus the search box (full-text search of the list)",
            ),
            Key(
                "tracker.add", "a", "add", "Add", show=True,
                palette="Add…", palette_help="Add a record to the list being shown",
            ),
            Key(
                "tracker.edit", "e", "edit", "Edit", show=True,
                palette="Edit…", palette_help="Edit the selected record",
            ),
            Key(
                "tracker.delete", "d,delete", "delete", "Delete", show=True,
                palette="Delete…", palette_help="Delete the selected record (asks first)",
            ),
            Key(
                "tracker.verdict", "v", "verdict", "Verdict", show=True,
                palette="Record verdict…",
                palette_help="Record a verdict on the selected claim",
            ),
            Key(
                "tracker.claim_from_quote", "c", "add_claim", "New claim",
                palette="New claim from this quote…",
                palette_help="A claim resting on the selected quote",
            ),
            Key(
                "tracker.merge", "m", "merge", "Merge",
                palette="Merge speaker…",
                palette_help="Merge another speaker into the selected one",
            ),
            Key(
                "tracker.filters", "f", "filters", "Filters", show=True,
                palette="Filters…",
                palette_help="Filter quotes and claims by speaker, source, kind, status, dates, tag",
            ),
            Key(
                "tracker.clear_filters", "x", "clear_filters", "Clear filters",
                palette="Clear filters", palette_help="Show every quote and claim again",
            ),
            Key(
                "tracker.undo", "ctrl+z,u", "undo", "Undo", show=True,
                palette="Undo last change",
                palette_help="Undo your last change (from the audit log)",
            ),
            Key(
                "tracker.refresh", "r,f5", "refresh", "Reload",
                palette="Reload", palette_help="Read the list again from the database",
            ),
            Key(
                "tracker.tab.quotes", "1", "show_tab('quotes')", "Quotes",
                palette="Show quotes",
            ),
            Key(
                "tracker.tab.claims", "2", "show_tab('claims')", "Claims",
                palette="Show claims",
            ),
            Key(
                "tracker.tab.speakers", "3", "show_tab('speakers')", "Speakers",
                palette="Show speakers",
            ),
            Key(
                "tracker.tab.sources", "4", "show_tab('sources')", "Sources",
                palette="Show sources",
            ),
            Key(
                "tracker.tab.due", "5", "show_tab('due')", "Due for review",
                palette="Show claims due for review",
            ),
            Key(
                "tracker.tab.review", "6", "show_tab('review')", "Review queue",
                palette="Show the review queue",
            ),
            # Textual's palette has its own "Quit the application".
            Key("tracker.quit", "q", "app.quit", "Quit"),
        ),
    ),
    # Actions of the app: on every screen but forms and dialogs.
    "app": KeyGroup(
        "Everywhere but forms and dialogs",
        (
            Key(
                "tracker.help", "question_mark,f1", "help", "Help", show=True,
                palette="Help: every key",
                palette_help="Every key of the tracker, as remapped in keys.toml",
            ),
            Key(
                "tracker.theme", "ctrl+t", "toggle_theme", "Theme",
                palette="Toggle light/dark theme",
            ),
        ),
        runs_on="app",
    ),
    "table": KeyGroup(
        "In a list",
        (
            Key("table.up", "up", "cursor_up", "Cursor up"),
            Key("table.down", "down", "cursor_down", "Cursor down"),
            Key("table.page_up", "pageup", "page_up", "Page up"),
            Key("table.page_down", "pagedown", "page_down", "Page down"),
            Key("table.first", "home,ctrl+home", "first", "First row"),
            Key("table.last", "end,ctrl+end", "last", "Last row"),
            Key("table.select", "enter", "select_cursor", "Open the detail"),
        ),
    ),
    # The Review tab's list and article (tracker/tui/widgets/review.py): they
    # take over a, e and r of the lists' screen there.
    "review": KeyGroup(
        "The review queue",
        (
            Key("review.accept", "a", "accept", "Accept", show=True),
            Key("review.edit", "e", "edit_accept", "Edit & accept", show=True),
            Key("review.reject", "r", "reject", "Reject", show=True),
            Key("review.skip", "s", "skip", "Skip", show=True),
            Key("review.reload", "f5", "reload_queue", "Reload"),
        ),
    ),
    "detail": KeyGroup(
        "In the detail",
        (
            Key("detail.up", "up", "scroll_up", "Scroll up"),
            Key("detail.down", "down", "scroll_down", "Scroll down"),
            Key("detail.page_up", "pageup", "page_up", "Page up"),
            Key("detail.page_down", "pagedown", "page_down", "Page down"),
            Key("detail.top", "home", "scroll_home", "Top"),
            Key("detail.bottom", "end", "scroll_end", "Bottom"),
        ),
    ),
    "search": KeyGroup(
        "In the search box",
        (Key("search.back", "escape,down", "back", "Back to the list, keeping the search"),),
    ),
    "form": KeyGroup(
        "In a form",
        (
            Key("form.save", "ctrl+s", "save", "Save", show=True),
            Key("form.cancel", "escape", "cancel", "Cancel (asks first if you typed)", show=True),
        ),
    ),
    "picker": KeyGroup(
        "In a speaker or source field",
        (
            Key("picker.next", "down", "suggestion(1)", "Next suggestion"),
            Key("picker.previous", "up", "suggestion(-1)", "Previous suggestion"),
            Key("picker.close", "escape", "close_suggestions", "Close the suggestions"),
        ),
    ),
    "confirm": KeyGroup(
        "In a dialog",
        (
            Key("confirm.yes", "y", "answer(True)", "Yes"),
            Key("confirm.no", "escape,n", "answer(False)", "No"),
        ),
    ),
    "choose": KeyGroup(
        "Choosing who said it (review queue)",
        (Key("choose.cancel", "escape", "cancel", "Back, recording nothing"),),
    ),
    "merge": KeyGroup(
        "Choosing a speaker to merge",
        (Key("merge.cancel", "escape", "cancel", "Cancel"),),
    ),
    "help": KeyGroup(
        "This screen",
        (Key("help.close", "escape,q,question_mark,f1", "close", "Close"),),
    ),
}  # fmt: skip


def bindings(group: str) -> list[BindingType]:
    """The ``BINDINGS`` of a screen or widget: its group of :data:`KEYS`."""
    return [key.binding() for key in KEYS[group].keys]


def all_keys() -> Iterator[Key]:
    for group in KEYS.values():
        yield from group.keys


def key_by_id(binding_id: str) -> Key:
    for key in all_keys():
        if key.id == binding_id:
            return key
    raise KeyError(binding_id)


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
    known = {key.id for key in all_keys()}
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


KEY_NAMES = {"slash": "/", "question_mark": "?", "delete": "Del", "escape": "Esc"}


def keys_for(binding_id: str, keymap: Mapping[str, str]) -> str:
    """The keys a binding answers to after the keymap, as the user would type them."""
    keys = keymap.get(binding_id) or key_by_id(binding_id).keys
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


@runtime_checkable
class HasKeymap(Protocol):
    """An app that knows the user's keymap (the tracker's app)."""

    @property
    def keymap(self) -> Mapping[str, str]: ...


def keymap_of(app: object) -> Mapping[str, str]:
    """The user's remapped keys in ``app`` (none if it has no keymap)."""
    return app.keymap if isinstance(app, HasKeymap) else {}


def key_hint(app: object, binding_id: str) -> str:
    """The keys of ``binding_id`` in ``app``, for a hint in text ("Undo (ctrl+z)…")."""
    return keys_for(binding_id, keymap_of(app))

"""The parts of Textual's private API the tracker relies on, checked by name
and signature, so an upgrade that changes them fails here, saying what to
look at, rather than as scrollbars that quietly stop updating."""

from __future__ import annotations

import inspect

import textual
from textual.reactive import Reactive
from textual.scroll_view import ScrollView

WHAT_TO_CHECK = (
    f"Textual {textual.__version__} changed ScrollView._scroll_update, which "
    "tracker.tui.widgets.row_table.set_virtual_size calls so that RowTable and "
    "DetailPane can grow without a layout of the whole screen. Read how the new "
    "ScrollView updates its scrollbars when its virtual size changes "
    "(watch_virtual_size, _scroll_update), fix set_virtual_size to match, run "
    "tests/tui/test_row_table.py and test_detail.py and bench/tui_speed.py, then "
    "move the textual pin in pyproject.toml."
)


def test_scroll_view_private_api_is_what_set_virtual_size_calls():
    update = getattr(ScrollView, "_scroll_update", None)
    assert callable(update), f"ScrollView._scroll_update is gone. {WHAT_TO_CHECK}"
    parameters = list(inspect.signature(update).parameters.values())
    assert [p.name for p in parameters] == ["self", "virtual_size"], (
        f"ScrollView._scroll_update{inspect.signature(update)} takes other arguments. "
        f"{WHAT_TO_CHECK}"
    )
    assert parameters[1].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, WHAT_TO_CHECK
    # set_virtual_size sets the reactive without its watcher (set_reactive).
    assert isinstance(inspect.getattr_static(ScrollView, "virtual_size"), Reactive), (
        f"ScrollView.virtual_size is no longer a reactive. {WHAT_TO_CHECK}"
    )

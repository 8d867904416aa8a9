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


DIALOG_CHECK = (
    f"Textual {textual.__version__} changed how a pushed screen is laid out, which "
    "tracker.tui.modals.Dialog relies on to lay a form out once as it opens (not "
    "three times). Read Screen._on_screen_resume, Screen._on_resize, Screen._on_layout, "
    "AwaitMount.__await__ and App._get_screen, fix Dialog to match (or drop its "
    "overrides), run tests/tui and bench/tui_speed.py --forms-only, then move the "
    "textual pin in pyproject.toml."
)


def test_screen_private_api_is_what_dialog_overrides():
    from textual import _time
    from textual.events import Resize, ScreenResume
    from textual.message import Message
    from textual.messages import Layout
    from textual.screen import Screen
    from textual.widget import AwaitMount

    for name, argument in (
        ("_on_screen_resume", ScreenResume),
        ("_on_resize", Resize),
        ("_on_layout", Layout),
    ):
        handler = getattr(Screen, name, None)
        assert callable(handler), f"Screen.{name} is gone. {DIALOG_CHECK}"
        parameters = list(inspect.signature(handler).parameters)
        assert parameters == ["self", "event" if argument is not Layout else "message"], (
            f"Screen.{name}{inspect.signature(handler)} takes other arguments. {DIALOG_CHECK}"
        )
    # The wait for a pushed screen to mount, and what it waits for.
    source = inspect.getsource(AwaitMount.__await__)
    assert "async def await_mount" in source and "self._parent.refresh(layout=True)" in source, (
        f"AwaitMount no longer asks for a layout the way Dialog.refresh expects. {DIALOG_CHECK}"
    )
    assert "self._widgets" in inspect.getsource(AwaitMount.__init__), DIALOG_CHECK
    # A message's time and the clock Dialog compares it with.
    assert "self.time: float = _time.get_time()" in inspect.getsource(Message), DIALOG_CHECK
    assert callable(_time.get_time), DIALOG_CHECK
    # The flags and compositor Dialog reads and clears.
    screen_source = inspect.getsource(Screen)
    for name in ("self._layout_required", "self._compositor", "_background_screens"):
        assert name in screen_source, f"Screen no longer has {name}. {DIALOG_CHECK}"


def test_screen_layout_private_api_is_what_the_main_screen_overrides():
    """MainScreen._refresh_layout (one layout for a tab shown the first time)
    wraps Screen._refresh_layout and clears the widgets' (and their
    scrollbars') layout requests."""
    from textual.screen import Screen
    from textual.widget import Widget

    what = (
        f"Textual {textual.__version__} changed Screen._refresh_layout or the widgets' "
        "layout flags, which tracker.tui.screens.main.MainScreen._refresh_layout relies "
        "on. Read Screen._refresh_layout and Widget._check_refresh, fix the override (or "
        "drop it), run tests/tui/test_tabs.py and bench/tui_speed.py --forms-only."
    )
    layout = getattr(Screen, "_refresh_layout", None)
    assert callable(layout), what
    assert list(inspect.signature(layout).parameters) == ["self", "size", "scroll"], what
    assert "self._layout_widgets" in inspect.getsource(layout), what
    check = inspect.getsource(Widget._check_refresh)
    assert "if self._layout_required:" in check, what
    widget_source = inspect.getsource(Widget)
    for name in ("self._vertical_scrollbar", "self._horizontal_scrollbar"):
        assert name in widget_source, what


def test_app_and_screen_private_api_is_what_kept_dialogs_use():
    """Dialog.of / build_ahead keep one instance of each form per app and
    mount it off screen; a kept dialog opened again skips the restyle when
    the app's styles did not change, and draws itself, with the screen
    under it, in one frame (Dialog._on_screen_resume,
    Dialog._draw_background_with_it)."""
    from textual._compositor import Compositor
    from textual.app import App
    from textual.screen import Screen

    what = (
        f"Textual {textual.__version__} changed what tracker.tui.modals.Dialog uses to keep "
        "a form per app and draw it again in one frame. Read App._get_screen, "
        "App.install_screen, App._invalidate_css, App._replace_screen (an installed screen "
        "is not removed when popped), Screen._on_timer_update and Screen._compositor_refresh "
        "(what a screen under a dialog does with its repaint), fix Dialog (or drop the "
        "overrides), run tests/tui/test_reused_forms.py and bench/tui_speed.py --forms-only, "
        "then move the textual pin in pyproject.toml."
    )
    get_screen = getattr(App, "_get_screen", None)
    assert callable(get_screen), what
    assert list(inspect.signature(get_screen).parameters) == ["self", "screen"], what
    assert "self._register(self, _screen)" in inspect.getsource(get_screen), what
    assert "self._css_update_count += 1" in inspect.getsource(App._invalidate_css), what
    assert "self._screen_stacks" in inspect.getsource(App), what
    replace = inspect.getsource(App._replace_screen)
    assert "if not self.is_screen_installed(screen)" in replace, what
    timer = inspect.getsource(Screen._on_timer_update)
    assert "self._dirty_widgets.add(self)" in timer and "self._repaint_required" in timer, what
    background = inspect.getsource(Screen._compositor_refresh)
    assert "self in self.app._background_screens and self._compositor._dirty_regions" in (
        background
    ), what
    assert "self._dirty_widgets" in inspect.getsource(Screen.__init__), what
    assert callable(getattr(Compositor, "update_widgets", None)), what
    assert "self._dirty_regions" in inspect.getsource(Compositor.__init__), what
    resume = inspect.getsource(Screen._on_screen_resume)
    assert "if event.refresh_styles:" in resume and "self._refresh_layout(size)" in resume, what


def test_tab_switch_private_api_is_what_the_main_screen_uses():
    """A tab switch is drawn in the frame of its layout (MainScreen
    _tab_activated, _refresh_layout, _on_update, _on_layout): the tab bar's
    underline is placed as Tabs._highlight_active places it, repaints and
    layouts asked for before that layout are dropped by their message's time,
    and only widgets the compositor shows are made dirty."""
    from textual.messages import Update
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets import Tabs
    from textual.widgets._tabs import Underline

    what = (
        f"Textual {textual.__version__} changed how tabs are underlined or how a "
        "screen takes its widgets' repaints, which tracker.tui.screens.main.MainScreen "
        "(_underline_active_tab, _refresh_layout, _on_update, _on_layout) relies on. Read "
        "Tabs._highlight_active, Screen._on_update, Screen._on_timer_update and "
        "Widget._check_refresh, fix MainScreen (or drop what no longer applies), run "
        "tests/tui/test_tabs.py and bench/tui_speed.py --forms-only."
    )
    highlight = inspect.getsource(Tabs._highlight_active)
    assert "active_tab.virtual_region.shrink(" in highlight, what
    assert "active_tab.styles.gutter" in highlight, what
    assert "call_after_refresh(move_underline" in highlight, what
    assert "highlight_start" in Underline.__dict__ and "highlight_end" in Underline.__dict__, what
    update = inspect.getsource(Screen._on_update)
    assert "self._dirty_widgets.add(widget)" in update or "_dirty_widgets" in update, what
    assert "time" in inspect.signature(Update.__init__).parameters or hasattr(
        Update(Widget()), "time"
    ), what
    check = inspect.getsource(Widget._check_refresh)
    assert "if self._repaint_required:" in check, what
    assert "messages.Update(self)" in check, what
    # A layout asked for before the tab's (MainScreen._on_layout drops it).
    assert "screen.post_message(messages.Layout(self))" in check, what
    layout = inspect.getsource(Screen._on_layout)
    assert "self._layout_required = True" in layout, what
    timer = inspect.getsource(Screen._on_timer_update)
    assert "self._refresh_layout(" in timer, what
    assert hasattr(Screen, "_compositor") or "_compositor" in inspect.getsource(Screen), what


def test_background_private_api_is_what_dialogs_draw_their_backdrop_with():
    """A dialog draws the screen under it dimmed from that screen's
    compositor lines (Dialog.render_line), as Textual's
    BackgroundScreen does: the line cache a widget renders again when it has
    dirty regions, and the screen's lines. tests/tui/test_dialog_backdrop.py
    compares what is drawn with BackgroundScreen itself."""
    from textual._compositor import Compositor
    from textual.renderables.background_screen import BackgroundScreen
    from textual.screen import Screen
    from textual.widget import Widget

    what = (
        f"Textual {textual.__version__} changed how a screen under a modal screen is drawn, "
        "which tracker.tui.modals.Dialog.render_line does itself. Read "
        "Screen.render, BackgroundScreen, Widget.render_line and Compositor.render_strips, "
        "fix them (or drop render_line), run tests/tui/test_dialog_backdrop.py and "
        "bench/tui_speed.py --forms-only."
    )
    assert "BackgroundScreen(base_screen, background)" in inspect.getsource(Screen.render), what
    assert "console.render(self.screen._compositor" in inspect.getsource(BackgroundScreen), what
    assert list(inspect.signature(Compositor.render_strips).parameters) == ["self", "size"], what
    assert "if self._dirty_regions:" in inspect.getsource(Widget.render_line), what
    assert "self._dirty_regions" in inspect.getsource(Widget.__init__), what


def test_screen_tick_private_api_is_what_a_list_draws_its_first_page_with():
    """draw_now draws a first page or a detail as it arrives by doing what
    the screen's update timer does."""
    from textual.screen import Screen

    what = (
        f"Textual {textual.__version__} changed how a screen draws what changed "
        "(Screen._on_timer_update, its _update_timer), which "
        "tracker.tui.widgets.row_table.draw_now calls to draw a first page or a detail "
        "without waiting for the next tick. Read Screen._on_timer_update, fix draw_now (or "
        "drop it), run tests/tui/test_search.py and bench/tui_speed.py."
    )
    tick = inspect.getsource(Screen._on_timer_update)
    assert list(inspect.signature(Screen._on_timer_update).parameters) == ["self"], what
    assert "self._update_timer.pause()" in tick, what
    assert "if self.is_current and not self.app._batch_count:" in tick, what
    assert "self._compositor_refresh()" in tick, what

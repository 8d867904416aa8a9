"""Small dialogs: confirm (delete, merge, undo, discard edits) and help; and
the base of every dialog and form, which is laid out once as it opens, and
built once per app: opened again, it is loaded with what it shows and drawn
in one frame."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Mount, Resize, ScreenResume
from textual.geometry import Region, Size
from textual.messages import Layout, Update
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Static

from tracker.tui.keys import KeyGroup, bindings, keys_for

if TYPE_CHECKING:
    from textual.app import App

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen (form or dialog) that is drawn once as it opens.

    Textual styled, laid out and drew a screen it pushes several times over,
    at the same size: styles computed as it mounts are computed again as it
    resumes; it is laid out as it resumes, then again for the Resize event
    that this layout sends the screen itself (which lays out the screens
    under it too, and so draws the dialog over them once more), and again
    for the layouts its widgets ask for as the first one gives them their
    sizes, and that the push asks for once the screen is mounted; and the
    whole screen is repainted after each. Each layout and drawing of a form
    over the dimmed screen costs 15-60 ms on the benchmark machine, so a
    form took four to six frames to open. Here it is styled once, laid out
    and drawn once, in one frame, unless that layout showed a scrollbar (a
    small terminal: the fields are narrower then, and are laid out again,
    as Textual does).

    Each dialog is also built once per app (``of``), ahead of time if asked
    (``build_ahead``: composed, mounted, styled and laid out off screen), and
    kept (installed) when it closes: opened again, it is loaded with what it
    shows (each dialog's ``load``) and laid out and drawn in one frame, with
    the screen under it, and not restyled unless the app's styles changed.

    This relies on private parts of Textual (``_on_screen_resume``,
    ``_on_resize``, ``_on_layout``, ``_on_update``, ``_compositor``,
    ``_layout_required``, ``_repaint_required``, ``_dirty_widgets``,
    ``_refresh_layout``, ``App._get_screen``, ``App._css_update_count``,
    ``App._background_screens``, ``AwaitMount``, and ``_time.get_time`` as
    the messages' clock): tests/tui/test_textual_api.py checks them, and
    says what to do when an upgrade changes them.
    """

    # -- built once per app ------------------------------------------------------------
    @classmethod
    def of(cls, app: App[Any], *args: Any, **kwargs: Any) -> Self:
        """The app's one instance of this dialog, made from ``args`` the first
        time it is asked for and kept (installed) after it closes; the caller
        loads it with what it is to show (each dialog's ``load``), then
        pushes it. Composing, mounting and styling a form's widgets cost more
        than drawing it; a kept form is only loaded and drawn. A new, unkept
        one if this one is open already (a dialog over itself)."""
        name = f"tracker-dialog:{cls.__module__}.{cls.__qualname__}"
        if app.is_screen_installed(name):
            kept = app.get_screen(name)
            assert isinstance(kept, cls)
            if not any(kept in stack for stack in app._screen_stacks.values()):
                return kept
            return cls(*args, **kwargs)
        made = cls(*args, **kwargs)
        app.install_screen(made, name)
        return made

    @classmethod
    async def build_ahead(cls, app: App[Any], *args: Any, **kwargs: Any) -> None:
        """Make the app's kept instance now (``of``), mount it off screen
        (composed, mounted and styled; Textual mounts a screen this way as it
        pushes it) and lay it out at the app's size, while the app is idle:
        its first opening is then as an opening again, loaded and drawn.
        Nothing if it was made already."""
        screen = cls.of(app, *args, **kwargs)
        if screen.is_running or not app.is_screen_installed(screen):
            return
        _screen, mounted = app._get_screen(screen)
        await mounted
        if screen not in app.screen_stack:  # not opened meanwhile
            # Not drawn (it is not on screen); its widgets get their sizes,
            # and the layouts and repaints they ask for then wait until it
            # is shown, which lays it out again and draws it whole.
            screen._refresh_layout(app.size)

    # -- drawn once ----------------------------------------------------------------------
    # Textual calls the handler of each class in the MRO; these call
    # Screen's themselves, and stop it being called again (prevent_default).
    _laid_out_at: float | None = None  # when its first layout began
    # What its styles were computed for (see _style_key), as it mounted or
    # when it was last shown.
    _styled_for: tuple[object, ...] | None = None

    def _style_key(self) -> tuple[object, ...]:
        """What the styles of a screen kept off the stack depend on beyond its
        own widgets (whose classes and focus restyle them as they change):
        the app's stylesheet (a theme change counts it) and the app's classes
        and pseudo-classes."""
        app = self.app
        return (app._css_update_count, app.classes, app.pseudo_classes)

    def _on_mount(self, event: Mount) -> None:
        self._styled_for = self._style_key()  # each widget is styled as it mounts

    def _on_screen_resume(self, event: ScreenResume) -> None:
        event.prevent_default()
        first_layout = self._size != self.app.size  # Textual lays it out now
        style_key = self._style_key()
        if self._styled_for == style_key:
            # It was styled as it was mounted (a moment ago, or ahead of time
            # while the app was idle), or when it was last shown, and nothing
            # it depends on changed since: styling every widget again cost as
            # much as a layout.
            event.refresh_styles = False
        # Shown before, or laid out ahead of time, at this size.
        reopened = not first_layout
        self._styled_for = style_key
        began = get_time()
        self._tinted_lines = None  # the screen under it is drawn as it is now
        self._draw_background_with_it()
        super()._on_screen_resume(event)
        if reopened:
            # Kept, and loaded with what it shows now (its widgets asked for
            # a layout and repaints as they were set): laid out and drawn
            # now, with the screen under it, in one frame.
            self._dirty_widgets.add(self)  # all of it (the resume asked for that)
            self._refresh_layout(self.app.size)
        if (first_layout or reopened) and not self._scrollbars_shown():
            # Done: that layout drew every widget for the first time, at the
            # size it gave them. What they asked for as they got their sizes
            # (a layout, a repaint), what was asked while mounting, and the
            # repaint of the whole screen that Textual asks for after
            # resuming, is what it just did.
            self._laid_out_at = began
            self._layout_required = False
            self._repaint_required = False
            self._dirty_widgets.clear()
            for widget in self.walk_children(Widget):
                widget._layout_required = False
                widget._repaint_required = False

    def _draw_background_with_it(self) -> None:
        """Take the repaint the push asked of the screen under this one (and
        any it had pending) into this screen's next frame: a full drawing of
        it shows the screens under it as they are. Left to the screen under
        it, that repaint came a moment later as a repaint of the whole
        dialog over it, a second frame."""
        for screen in self.app._background_screens:
            if screen._repaint_required:
                screen._repaint_required = False
                screen._dirty_widgets.add(screen)
            if screen._dirty_widgets:
                screen._compositor.update_widgets(screen._dirty_widgets)
                screen._dirty_widgets.clear()
                screen._compositor._dirty_regions.clear()

    async def _on_layout(self, message: Layout) -> None:
        if self._laid_out_at is not None and message.time < self._laid_out_at:
            # Asked for while mounting, before the first layout, which did it.
            message.stop()
            message.prevent_default()

    async def _on_update(self, message: Update) -> None:
        if self._laid_out_at is not None and message.time < self._laid_out_at:
            # A widget changed while mounting, before the first layout drew it.
            message.stop()
            message.prevent_default()

    # -- the screen under it, dimmed ------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """A line of the screen under this one, tinted with this screen's
        background, as Textual draws it (``BackgroundScreen``) but line by
        line. Textual had the screen under it composed as Rich segments,
        tinted each one (blending its colours) and cut them into lines again:
        15.5 ms of a form's opening on the million quotes. Here the lines are
        the compositor's own (7.5 ms of what is left), and each style is
        tinted once (``_tinted``): 11 ms."""
        background = self.styles.background
        under = self.app._background_screens
        if background.a >= 1 or not under or under[-1] is self:
            return super().render_line(y)
        size = self.size
        if self._dirty_regions or self._tinted_lines is None or self._tinted_size != size:
            lines = under[-1]._compositor.render_strips(size)
            self._tinted_lines = [_tint(line, background) for line in lines]
            self._tinted_size = size
            self._dirty_regions.clear()
        lines = self._tinted_lines
        return lines[y] if y < len(lines) else Strip.blank(size.width, self.rich_style)

    _tinted_lines: list[Strip] | None = None
    _tinted_size: Size | None = None

    def _scrollbars_shown(self) -> bool:
        return any(
            widget.show_vertical_scrollbar or widget.show_horizontal_scrollbar
            for widget in self.walk_children(Widget)
            if widget.is_scrollable
        )

    async def _on_resize(self, event: Resize) -> None:
        already = self._compositor.size == event.size and all(
            screen._compositor.size == event.size for screen in self.app._background_screens
        )
        breakpoints = (
            self.app.HORIZONTAL_BREAKPOINTS
            if self.HORIZONTAL_BREAKPOINTS is None
            else self.HORIZONTAL_BREAKPOINTS
        ) or (
            self.app.VERTICAL_BREAKPOINTS
            if self.VERTICAL_BREAKPOINTS is None
            else self.VERTICAL_BREAKPOINTS
        )
        event.prevent_default()
        if already and not breakpoints:
            event.stop()  # laid out at this size already, and the screens under it too
            return
        await super()._on_resize(event)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if layout and not regions and _pushed_mount(self, sys._getframe(1)):
            # Every widget in it is mounted, and the screen resumes (or has
            # resumed) with a layout and a drawing of the whole screen.
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


_NULL_STYLE = Style()


@lru_cache(maxsize=4096)
def _tinted(style: Style | None, color: Color) -> Style:
    """``style`` under ``color`` (with alpha), without links or meta: what
    Textual's ``BackgroundScreen.process_segments`` makes of it."""
    style = _NULL_STYLE if style is None else style.clear_meta_and_links()
    if color.a == 0:
        return style
    return style + Style.from_color(
        (Color.from_rich_color(style.color) + color).rich_color
        if style.color is not None
        else None,
        (Color.from_rich_color(style.bgcolor) + color).rich_color
        if style.bgcolor is not None
        else None,
    )


def _tint(line: Strip, color: Color) -> Strip:
    return Strip(
        [
            segment if control else Segment(text, _tinted(style, color))
            for segment in line
            for text, style, control in (segment,)
        ],
        line.cell_length,
    )


def _pushed_mount(screen: Widget, caller: Any) -> bool:
    """Whether ``caller`` (a frame) is Textual's wait for ``screen`` itself
    to mount, which ``push_screen`` schedules and which then asks for a
    layout of the whole screen."""
    if caller.f_code.co_name != "await_mount":
        return False
    awaited = caller.f_locals.get("self")
    return isinstance(awaited, AwaitMount) and list(awaited._widgets) == [screen]


class ConfirmModal(Dialog[bool]):
    """Ask a yes/no question; dismisses with True for yes. Kept per app
    (``ConfirmModal.of(app).load(question, ...)``), or made for one question
    (``ConfirmModal(question, ...)``)."""

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
    # Focused as the dialog is composed, so it is drawn once, focused.
    AUTO_FOCUS = "#no"

    def __init__(
        self, title: str = "", body: Text | str = "", *, yes: str = "Yes", no: str = "No"
    ) -> None:
        super().__init__()
        self.load(title, body, yes=yes, no=no)

    def load(self, title: str, body: Text | str = "", *, yes: str = "Yes", no: str = "No") -> Self:
        """Ask this question (on the widgets, if it has been shown before)."""
        self.question = title
        self.body = body if isinstance(body, Text) else Text(body)
        self.yes_label = yes
        self.no_label = no
        if self.is_mounted:
            self._fill()
        return self

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(classes="confirm-title")
            with VerticalScroll():
                yield Static(id="confirm-body")
            with Horizontal():
                yield Button("", id="no")
                yield Button("", id="yes", variant="warning")

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        self.query_one(".confirm-title", Static).update(Text(self.question))
        self.query_one("#confirm-body", Static).update(self.body)
        self.query_one("#no", Button).label = self.no_label
        self.query_one("#yes", Button).label = self.yes_label
        self.query_one(VerticalScroll).scroll_home(animate=False, immediate=True)
        self.set_focus(self.query_one("#no", Button), scroll_visible=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class HelpScreen(Dialog[None]):
    """Every key, as remapped by the user's keymap (which does not change
    while the app runs: kept per app, it shows the same each time)."""

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

    def load(self) -> Self:
        """Shown again from the top."""
        if self.is_mounted:
            self.query_one(VerticalScroll).scroll_home(animate=False, immediate=True)
        return self

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

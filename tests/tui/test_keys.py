"""One table of keys: every screen and widget binds from it, keys.toml remaps
any of its ids, and the help screen and the command palette list it."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Select, Static

from tracker import services as svc
from tracker.tui.app import TrackerApp
from tracker.tui.commands import palette_commands
from tracker.tui.keys import KEYS, all_keys, load_config
from tracker.tui.modals import ConfirmModal, HelpScreen
from tracker.tui.screens.form import FormScreen
from tracker.tui.screens.main import MainScreen, SearchInput
from tracker.tui.screens.merge import MergePicker
from tracker.tui.screens.quote_forms import ClaimForm, QuoteForm
from tracker.tui.screens.review_forms import SpeakerChoiceModal
from tracker.tui.screens.verdict import VerdictForm
from tracker.tui.widgets.detail import DetailPane
from tracker.tui.widgets.key_bar import KeyBar
from tracker.tui.widgets.picker import PickerInput
from tracker.tui.widgets.review import ReviewList, ReviewPane
from tracker.tui.widgets.row_table import RowTable

KEYS_TOML = """
[keys]
"tracker.add" = "n"
"tracker.undo" = ["ctrl+z", "U"]

[ui]
theme = "textual-light"
"""

BOUND_FROM = {
    "main": MainScreen,
    "app": TrackerApp,
    "table": RowTable,
    "detail": DetailPane,
    "search": SearchInput,
    "form": FormScreen,
    "picker": PickerInput,
    "confirm": ConfirmModal,
    "merge": MergePicker,
    "help": HelpScreen,
    "review": ReviewList,
    "choose": SpeakerChoiceModal,
}


def test_every_screen_and_widget_binds_from_the_table():
    assert set(BOUND_FROM) == set(KEYS)
    for group, cls in BOUND_FROM.items():
        bound = [(b.id, b.key, b.action) for b in cls.BINDINGS]  # type: ignore[union-attr]
        assert bound == [(k.id, k.keys, k.action) for k in KEYS[group].keys], group
    assert ReviewPane.BINDINGS == ReviewList.BINDINGS  # the review keys work from the article too
    ids = [key.id for key in all_keys()]
    assert len(ids) == len(set(ids)), "binding ids are unique"


def test_load_config(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text(KEYS_TOML)
    config = load_config(path)
    assert config.keymap == {"tracker.add": "n", "tracker.undo": "ctrl+z,U"}
    assert config.theme == "textual-light"
    path.write_text('[keys]\n"tracker.nonsense" = "z"\n"form.sav" = "f2"\n"form.save" = "f2"\n')
    config = load_config(path)
    # One warning naming every unknown id; the known ones still apply.
    assert config.problem == f"{path}: unknown binding id(s) form.sav, tracker.nonsense"
    assert config.keymap == {"form.save": "f2"}
    path.write_text("[keys\nbroken")
    assert "not valid TOML" in (load_config(path).problem or "")
    assert load_config(tmp_path / "missing.toml").keymap == {}


def test_any_id_in_the_table_can_be_remapped(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text("[keys]\n" + "".join(f'"{key.id}" = "f12"\n' for key in all_keys()))
    config = load_config(path)
    assert config.problem is None
    assert set(config.keymap) == {key.id for key in all_keys()}


async def test_remapped_keys_in_forms_dialogs_and_lists(demo_db, make_app, settle, main):
    keys = '[keys]\n"form.save" = "f2"\n"table.down" = "j"\n"confirm.yes" = "o"\n'
    app = make_app(demo_db, keys=keys)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        quotes = main(pilot).lists["quotes"]
        first = quotes.current_id
        await pilot.press("j")  # the list's "down", remapped
        assert quotes.table.cursor_row == 1
        await pilot.press("down")  # no longer bound
        assert quotes.table.cursor_row == 1
        await pilot.press("5", "v")  # a verdict on the claim due for review
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VerdictForm)
        assert "f2 save" in str(form.query_one("#form-hint", Static).render())
        form.query_one("#rating", Select).value = "Promise Broken"
        await pilot.press("ctrl+s")  # no longer bound
        assert app.screen is form
        await pilot.press("f2")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert svc.get_claim(demo_db, 2).status == "Promise Broken"
        await pilot.press("1", "d")  # delete the quote under the cursor, after a question
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")  # no longer bound
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert first is not None and first in quotes.records  # the cursor was on the second
        assert len(svc.list_quotes(demo_db).items) == 12


async def test_remapped_key_and_help(demo_db, make_app, settle):
    app = make_app(demo_db, keys=KEYS_TOML)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        await pilot.press("a")  # no longer bound
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("Static").render())
        assert "n               Add" in shown
        assert "ctrl+z, U       Undo" in shown
        for group in KEYS.values():  # every key of the table, under its group's title
            assert group.title in shown
            for key in group.keys:
                assert key.id in shown
        await pilot.press("escape")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, QuoteForm)


async def test_broken_config_warns_and_starts(demo_db, make_app, settle, notices):
    app = make_app(demo_db, keys="[keys\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        [notice] = notices
        assert "not valid TOML" in notice.message
        assert (notice.severity, notice.markup) == ("warning", False)


async def test_theme_toggle_and_palette_commands(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("3")  # speakers: everything applies but verdicts and claims from quotes
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        listed = app.screen.query_one(CommandList)
        titles = [listed.get_option_at_index(i).hit.text for i in range(listed.option_count)]
        table = [key.palette for key in all_keys() if key.palette]
        assert [c.title for c in palette_commands()] == table
        not_here = {"Record verdict…", "New claim from this quote…"}
        assert [t for t in titles if t in table] == [t for t in table if t not in not_here]
        await pilot.press(*"merge")  # the palette runs the table's action
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MergePicker)


async def test_footer_shows_the_keys_that_apply_and_a_click_presses_one(
    demo_db, make_app, settle, main
):
    app = make_app(demo_db, keys=KEYS_TOML)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = main(pilot).query_one(KeyBar)
        line = str(bar.render())
        assert " n Add " in line and " e Edit " in line and " ? Help " in line
        assert "Verdict" not in line  # quotes take no verdict
        assert line.rstrip().endswith("^p palette")
        await pilot.press("5")  # Due for review: claims take verdicts
        await settle(pilot)
        assert " v Verdict " in str(bar.render())
        await pilot.press("slash")  # typing in the search box: letters are text
        assert " n Add " not in str(bar.render())
        await pilot.press("escape")
        line = str(bar.render())
        x = line.index(" n Add ") + 2
        await pilot.click(KeyBar, offset=(x, 0))
        await settle(pilot)
        assert isinstance(app.screen, ClaimForm)  # "add" on a list of claims

"""Keys can be remapped in keys.toml; the help screen lists them."""

from __future__ import annotations

from tracker.tui.keys import load_config
from tracker.tui.modals import HelpScreen
from tracker.tui.screens.main import MainScreen
from tracker.tui.screens.quote_forms import ClaimForm, QuoteForm
from tracker.tui.widgets.key_bar import KeyBar

KEYS = """
[keys]
"tracker.add" = "n"
"tracker.undo" = ["ctrl+z", "U"]

[ui]
theme = "textual-light"
"""


def test_load_config(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text(KEYS)
    config = load_config(path)
    assert config.keymap == {"tracker.add": "n", "tracker.undo": "ctrl+z,U"}
    assert config.theme == "textual-light"
    path.write_text('[keys]\n"tracker.nonsense" = "z"\n')
    assert "unknown binding id(s) tracker.nonsense" in (load_config(path).problem or "")
    path.write_text("[keys\nbroken")
    assert "not valid TOML" in (load_config(path).problem or "")
    assert load_config(tmp_path / "missing.toml").keymap == {}


async def test_remapped_key_and_help(demo_db, make_app, settle):
    app = make_app(demo_db, keys=KEYS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        await pilot.press("a")  # no longer bound
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("Static").render())
        assert "n               Add" in shown
        await pilot.press("escape")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, QuoteForm)


async def test_broken_config_warns_and_starts(demo_db, make_app, settle):
    app = make_app(demo_db, keys="[keys\n")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("not valid TOML" in str(n.message) for n in app._notifications)


async def test_theme_toggle_and_palette_commands(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"merge")
        await settle(pilot)
        # "Merge speaker…" applies to speakers only, so quotes offer no merge
        from textual.command import CommandList

        listed = app.screen.query_one(CommandList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert not any("Merge speaker" in p for p in prompts)


async def test_footer_shows_the_keys_that_apply_and_a_click_presses_one(
    demo_db, make_app, settle, main
):
    app = make_app(demo_db, keys=KEYS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = main(pilot).query_one(KeyBar)
        line = str(bar.render())
        assert " n Add " in line and " e Edit " in line and "Verdict" not in line
        assert line.rstrip().endswith("^p palette")
        await pilot.press("5")  # Due for review: claims take verdicts
        await settle(pilot)
        assert " v Verdict " in str(bar.render())
        await pilot.press("slash")  # typing in the search box: letters are text
        await settle(pilot)
        assert " n Add " not in str(bar.render())
        await pilot.press("escape")
        await settle(pilot)
        line = str(bar.render())
        x = line.index(" n Add ") + 2
        await pilot.click(KeyBar, offset=(x, 0))
        await settle(pilot)
        assert isinstance(app.screen, ClaimForm)  # "add" on a list of claims

"""A few pictures of the app at fixed sizes (regenerate with --snapshot-update)."""

from __future__ import annotations

import pytest

from tracker import services as svc

# One set of reference pictures, taken on SQLite: the same screens on
# PostgreSQL show the same text (checked) but are not compared pixel for pixel.
pytestmark = pytest.mark.sqlite_only("the reference pictures are taken on SQLite")


def _prepared(make_app, db, settle, keys=(), theme=None, select=None):
    app = make_app(db)
    app.sub_title = "demo.db"  # not the tmp path

    async def run_before(pilot):
        if theme:
            app.theme = theme
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if select is not None:
            tab, record_id = select
            app.screen.lists[tab].select(record_id)
            await settle(pilot)
        await settle(pilot)

    return app, run_before


def test_demo_at_80x24(demo_db, make_app, settle, snap_compare):
    app, run_before = _prepared(make_app, demo_db, settle)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_speaker_report_card_light_120x40(demo_db, make_app, settle, snap_compare):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    app, run_before = _prepared(
        make_app, demo_db, settle, keys=("3",), theme="textual-light", select=("speakers", biden.id)
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_verdict_form_at_80x24(demo_db, make_app, settle, snap_compare):
    app, run_before = _prepared(make_app, demo_db, settle, keys=("5", "v"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

"""Merging speakers after a confirmation, undoing it, and the report card."""

from __future__ import annotations

from tracker import services as svc
from tracker.tui.modals import ConfirmModal
from tracker.tui.screens.merge import MergePicker
from tracker.tui.widgets.pickers import SpeakerPicker


async def test_merge_then_undo(demo_db, make_app, settle, main, pick):
    dup = svc.add_speaker(demo_db, "Joseph Biden")
    quote = svc.add_quote(demo_db, "We will be back", speaker_id=dup.id)
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        speakers = main(pilot).lists["speakers"]
        speakers.select(biden.id)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MergePicker)
        await pick(pilot, app.screen.query_one(SpeakerPicker), "Joseph Biden", f"#{dup.id} ")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        assert "Quotes that move: 1" in confirm.body.plain
        await pilot.press("y")
        await settle(pilot)
        assert dup.id not in speakers.records
        assert svc.get_quote(demo_db, quote.id).speaker_id == biden.id
        assert "Joseph Biden" in [a.text for a in svc.get_speaker(demo_db, biden.id).aliases]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "merged speaker" in app.screen.body.plain
        await pilot.press("y")
        await settle(pilot)
        assert svc.get_quote(demo_db, quote.id).speaker_id == dup.id
        assert dup.id in speakers.records


async def test_speaker_detail_has_report_card(demo_db, make_app, settle, main):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = main(pilot)
        screen.lists["speakers"].select(biden.id)
        await settle(pilot)
        shown = screen.details["speakers"].text.plain
        assert "Report card (3 claims)" in shown
        assert "Came True" in shown  # claim 1's verdict, on the prediction scale
        assert "President, United States" in shown


async def test_speaker_edit_is_one_change_to_undo(demo_db, make_app, settle, main):
    from textual.widgets import Input, TextArea

    from tracker.services import undo
    from tracker.tui.screens.people_forms import SpeakerForm

    lavrov = svc.find_by_name(demo_db, "Sergei Lavrov")[0]
    before = svc.get_speaker(demo_db, lavrov.id)
    names = [a.text for a in before.aliases if a.kind != "role"]
    assert names, "the demo gives Lavrov aliases"
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        main(pilot).lists["speakers"].select(lavrov.id)
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SpeakerForm)
        form.query_one("#name", Input).value = "Sergey V. Lavrov"
        # Drop the first alias, keep the rest, add one.
        form.query_one("#aliases", TextArea).text = "\n".join([*names[1:], "S. Lavrov"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = svc.get_speaker(demo_db, lavrov.id)
        assert edited.name == "Sergey V. Lavrov"
        assert "S. Lavrov" in [a.text for a in edited.aliases]
        assert names[0] not in [a.text for a in edited.aliases]
        # The name and both alias edits are one change...
        plan = undo.last_change(demo_db)
        assert plan is not None and len(plan.entries) == 3
        # ...so one undo puts all of it back.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        back = svc.get_speaker(demo_db, lavrov.id)
        assert back.name == before.name
        assert sorted(a.text for a in back.aliases) == sorted(a.text for a in before.aliases)

"""Verdicts, the due list, and deleting only after a confirmation."""

from __future__ import annotations

import pytest
from textual.widgets import Select, TextArea

from tracker import services as svc
from tracker.errors import NotFoundError
from tracker.tui.modals import ConfirmModal
from tracker.tui.screens.verdict import VerdictForm


async def test_verdict_removes_claim_from_due(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = main(pilot)
        due = screen.lists["due"]
        assert list(due.records) == [2]
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VerdictForm)
        assert form.query_one("#scale", Select).value == "promise"  # from the claim's kind
        form.query_one("#rating", Select).value = "Promise Broken"
        form.query_one("#rationale", TextArea).text = "The withdrawal moved to September 11."
        form.query_one("#evidence", TextArea).text = "https://example.org/postponed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert due.table.row_count == 0
        assert "Due for review (0)" in str(screen.query_one("#tabs").get_tab("due").label)
        claim = svc.get_claim(demo_db, 2)
        assert (claim.status, claim.status_final) == ("Promise Broken", True)
        assert claim.reviews[-1].evidence == ("https://example.org/postponed",)
        assert svc.due_claims(demo_db) == []
        # A verdict recorded by mistake is undone: the claim is due again.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "recorded verdict" in app.screen.body.plain
        await pilot.press("y")
        await settle(pilot)
        assert list(due.records) == [2]
        assert "Due for review (1)" in str(screen.query_one("#tabs").get_tab("due").label)
        assert svc.get_claim(demo_db, 2).reviews == ()


async def test_bad_evidence_link_shown_beside_field(demo_db, make_app, settle):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VerdictForm)
        form.query_one("#rating", Select).value = "Promise Kept"
        form.query_one("#evidence", TextArea).text = "not a link"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "not an http(s) URL" in str(form.query_one("#evidence-error").render())
        assert svc.get_claim(demo_db, 2).reviews == ()


async def test_delete_only_after_confirming_and_undo(demo_db, make_app, settle, main):
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        claims = main(pilot).lists["claims"]
        claims.select(7)
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert svc.get_claim(demo_db, 7).id == 7
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        with pytest.raises(NotFoundError):
            svc.get_claim(demo_db, 7)
        assert 7 not in claims.records
        assert claims.table.row_count == 7
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        restored = svc.get_claim(demo_db, 7)  # back with its old id
        assert restored.text == "Elections should be the only way to form a new Afghan government"
        assert 7 in claims.records
        assert claims.table.keys[:3] == [8, 7, 6]  # and back in its place in the list

"""Undo of the last change, from the audit log (tracker.services.undo)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from tracker import services as svc
from tracker.errors import NotFoundError
from tracker.services import undo
from tracker.services.merges import merge_speakers


def undo_last(db):
    plan = undo.last_change(db)
    assert plan is not None
    return undo.undo(db, plan)


def test_undo_create_update_delete_quote(demo_db):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    quote = svc.add_quote(demo_db, "first words", speaker_id=biden.id, tags=["x"])
    assert "added quote" in undo.last_change(demo_db).describe()
    undo_last(demo_db)
    with pytest.raises(NotFoundError):
        svc.get_quote(demo_db, quote.id)

    svc.update_quote(demo_db, 12, text="changed", said_on="2021")
    undo_last(demo_db)
    back = svc.get_quote(demo_db, 12)
    assert (back.text, back.said_on) == ("that Putin is a killer", "2021-03-17")

    svc.delete_quote(demo_db, 12)  # claim 8 rests on quotes 1 and 12
    result = undo_last(demo_db)
    restored = svc.get_quote(demo_db, 12)  # with its old id: notes citing #12 still hold
    assert restored.text == "that Putin is a killer" and restored.tags == ("russia",)
    assert svc.get_claim(demo_db, 8).quote_ids == (1, 12)
    assert result.message == "restored the deleted quote #12"


def test_undo_delete_claim_brings_back_reviews(demo_db):
    svc.delete_claim(demo_db, 1)
    undo_last(demo_db)
    full = svc.get_claim(demo_db, 1)
    assert [r.rating for r in full.reviews] == ["Came True"]
    assert full.due is not None and full.status == "Came True"


def test_undo_merge(demo_db):
    dup = svc.add_speaker(demo_db, "J. Biden")
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    merge_speakers(demo_db, biden.id, dup.id)
    undo_last(demo_db)
    assert svc.get_speaker(demo_db, dup.id).name == "J. Biden"


def test_undo_a_verdict_puts_the_claim_back_in_due(demo_db):
    day = dt.date(2021, 6, 1)
    assert [c.id for c in svc.due_claims(demo_db, on=day)] == [2]
    svc.add_review(demo_db, 2, rating="Promise Broken", rationale="a mis-click")
    assert svc.due_claims(demo_db, on=day) == []
    assert undo.last_change(demo_db).describe().startswith("recorded verdict #")
    result = undo_last(demo_db)
    assert result.message == "took back the verdict on claim #2"
    claim = svc.get_claim(demo_db, 2)
    assert (claim.status, claim.status_final, claim.reviews) == (None, False, ())
    assert [c.id for c in svc.due_claims(demo_db, on=day)] == [2]
    # The audit log keeps the verdict, and undoing the undo records it again.
    undo_last(demo_db)
    again = svc.get_claim(demo_db, 2)
    assert [(r.rating, r.rationale) for r in again.reviews] == [("Promise Broken", "a mis-click")]
    assert again.status == "Promise Broken" and svc.due_claims(demo_db, on=day) == []


def test_undo_a_verdict_goes_back_to_the_one_before(demo_db):
    before = svc.get_claim(demo_db, 1)  # one verdict: Came True
    svc.add_review(demo_db, 1, rating="Pending")
    undo_last(demo_db)
    after = svc.get_claim(demo_db, 1)
    assert (after.status, after.status_final) == (before.status, before.status_final)
    assert [r.id for r in after.reviews] == [r.id for r in before.reviews]


def test_undo_a_verdict_is_refused_once_the_claim_changed(demo_db):
    svc.add_review(demo_db, 2, rating="Promise Kept")
    plan = undo.last_change(demo_db)
    claim = svc.get_claim(demo_db, 2)
    svc.update_claim(demo_db, 2, expected_version=claim.version, notes="edited since")
    with pytest.raises(undo.UndoError, match="changed since"):
        undo.undo(demo_db, plan)
    assert svc.get_claim(demo_db, 2).status == "Promise Kept"


def test_an_undo_is_all_or_nothing(demo_db, monkeypatch):
    # Undoing the delete of quote 12 adds it back, then links it to claim 8:
    # if linking fails, the quote must not be back either.
    svc.delete_quote(demo_db, 12)
    plan = undo.last_change(demo_db)
    changes = len(svc.list_changes(demo_db, limit=500))

    def broken(*args, **kwargs):
        raise svc.DatabaseError("disk full")

    monkeypatch.setattr(svc, "update_claim", broken)
    with pytest.raises(svc.DatabaseError):
        undo.undo(demo_db, plan)
    with pytest.raises(NotFoundError):
        svc.get_quote(demo_db, 12)
    assert svc.get_claim(demo_db, 8).quote_ids == (1,)
    assert len(svc.list_changes(demo_db, limit=500)) == changes
    monkeypatch.undo()
    undo.undo(demo_db, plan)  # and it works once nothing fails
    assert svc.get_claim(demo_db, 8).quote_ids == (1, 12)


def test_an_undo_is_one_change_that_can_be_undone(demo_db):
    svc.delete_quote(demo_db, 12)
    undo_last(demo_db)
    plan = undo.last_change(demo_db)
    assert plan is not None
    assert {(e.action, e.entity) for e in plan.entries} == {
        ("create", "quote"),
        ("update", "claim"),
    }
    undo_last(demo_db)  # deletes it again, in one step
    with pytest.raises(NotFoundError):
        svc.get_quote(demo_db, 12)
    assert svc.get_claim(demo_db, 8).quote_ids == (1,)


def test_ids_are_never_reused_so_a_restore_keeps_its_id(demo_db):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    newest = svc.add_quote(demo_db, "last words", speaker_id=biden.id)
    svc.delete_quote(demo_db, newest.id)
    plan = undo.last_change(demo_db)
    taker = svc.add_quote(demo_db, "someone else's words", speaker_id=biden.id)
    assert taker.id > newest.id  # the deleted number is not handed out again
    result = undo.undo(demo_db, plan)
    assert result.message == f"restored the deleted quote #{newest.id}"
    assert svc.get_quote(demo_db, newest.id).text == "last words"
    assert svc.get_quote(demo_db, taker.id).text == "someone else's words"


def test_only_my_changes(demo_db):
    other = svc.Database(demo_db.url, actor="someone else")
    svc.add_speaker(other, "Not Mine")
    plan = undo.last_change(demo_db)
    assert plan is not None and "Not Mine" not in plan.describe()
    other.close()


def test_undo_module_does_not_import_textual():
    code = "import sys, tracker.services.undo; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_undo_adding_and_removing_a_role(demo_db):
    lavrov = svc.find_by_name(demo_db, "Sergei Lavrov")[0]
    start = svc.get_speaker(demo_db, lavrov.id)
    svc.add_role(
        demo_db,
        lavrov.id,
        svc.RoleInput("Ambassador", "Russia", "1994-01-01", "2004-03-09", ("the ambassador",)),
    )
    undo_last(demo_db)
    back = svc.get_speaker(demo_db, lavrov.id)
    assert [r.title for r in back.roles] == [r.title for r in start.roles]
    assert "the ambassador" not in [a.text for a in back.aliases]

    # Biden's presidency, with "the U.S. president" tied to it, removed and back.
    biden = svc.get_speaker(demo_db, svc.find_by_name(demo_db, "Joe Biden")[0].id)
    role = next(r for r in biden.roles if any(a.role_id == r.id for a in biden.aliases))
    references = sorted(a.text for a in biden.aliases if a.role_id == role.id)
    assert "the U.S. president" in references
    svc.remove_role(demo_db, biden.id, role.id)
    undo_last(demo_db)
    again = svc.get_speaker(demo_db, biden.id)
    assert sorted(r.label() for r in again.roles) == sorted(r.label() for r in biden.roles)
    restored = next(r for r in again.roles if r.label() == role.label())
    assert sorted(a.text for a in again.aliases if a.role_id == restored.id) == references


def test_undo_a_speaker_edit_is_refused_once_it_changed_again(demo_db):
    lavrov = svc.find_by_name(demo_db, "Sergei Lavrov")[0]
    svc.add_alias(demo_db, lavrov.id, "S. Lavrov")
    plan = undo.last_change(demo_db)
    other = svc.Database(demo_db.url, actor="someone else")
    svc.update_speaker(other, lavrov.id, notes="edited by a colleague")
    other.close()
    with pytest.raises(undo.UndoError, match="changed since"):
        undo.undo(demo_db, plan)
    assert "S. Lavrov" in [a.text for a in svc.get_speaker(demo_db, lavrov.id).aliases]

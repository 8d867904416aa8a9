"""Undo of the last change, from the audit log (tracker.services.undo)."""

from __future__ import annotations

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
    restored = svc.list_quotes(demo_db, limit=1).items[0]
    assert restored.text == "that Putin is a killer" and restored.tags == ("russia",)
    assert restored.id in svc.get_claim(demo_db, 8).quote_ids
    assert "restored" in result.message


def test_undo_delete_claim_brings_back_reviews(demo_db):
    svc.delete_claim(demo_db, 1)
    undo_last(demo_db)
    claim = svc.list_claims(demo_db, limit=1).items[0]
    full = svc.get_claim(demo_db, claim.id)
    assert [r.rating for r in full.reviews] == ["Came True"]
    assert full.due is not None and full.status == "Came True"


def test_undo_merge_and_refuse_verdict(demo_db):
    dup = svc.add_speaker(demo_db, "J. Biden")
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    merge_speakers(demo_db, biden.id, dup.id)
    undo_last(demo_db)
    assert svc.get_speaker(demo_db, dup.id).name == "J. Biden"
    svc.add_review(demo_db, 2, rating="Promise Kept")
    with pytest.raises(undo.UndoError):
        undo_last(demo_db)


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

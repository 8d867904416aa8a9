"""Undo never touches what its change did not leave: one rule for every kind
of undo (refuse, naming who changed what), and ids that are never reused."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tracker import services as svc
from tracker.services import undo
from tracker.services.merges import merge_speakers


@pytest.fixture
def bob(demo_db):
    other = svc.Database(demo_db.url, actor="bob")
    yield other
    other.close()


def biden_id(db) -> int:
    return svc.find_by_name(db, "Joe Biden")[0].id


def test_undoing_an_add_never_deletes_a_record_someone_else_added(demo_db, bob):
    # alice adds #N; bob deletes it and adds a quote; alice undoes her add.
    mine = svc.add_quote(demo_db, "alice's quote", speaker_id=biden_id(demo_db))
    plan = undo.last_change(demo_db)
    svc.delete_quote(bob, mine.id)
    bobs = svc.add_quote(bob, "bob's quote", speaker_id=biden_id(bob))
    assert bobs.id != mine.id  # ids are never reused
    with pytest.raises(
        undo.UndoError, match=rf"quote #{mine.id} has changed since \(deleted by bob"
    ):
        undo.undo(demo_db, plan)
    assert svc.get_quote(demo_db, bobs.id).text == "bob's quote"


def test_undoing_an_add_is_refused_once_someone_edited_the_record(demo_db, bob):
    mine = svc.add_quote(demo_db, "alice's quote", speaker_id=biden_id(demo_db))
    plan = undo.last_change(demo_db)
    svc.update_quote(bob, mine.id, expected_version=mine.version, notes="checked by bob")
    with pytest.raises(
        undo.UndoError, match=rf"quote #{mine.id} has changed since \(edited by bob"
    ):
        undo.undo(demo_db, plan)
    kept = svc.get_quote(demo_db, mine.id)
    assert (kept.text, kept.notes) == ("alice's quote", "checked by bob")


def test_undoing_an_edit_is_refused_once_someone_edited_it_again(demo_db, bob):
    quote = svc.get_quote(demo_db, 3)
    svc.update_quote(demo_db, 3, expected_version=quote.version, notes="alice")
    plan = undo.last_change(demo_db)
    svc.update_quote(bob, 3, expected_version=quote.version + 1, notes="bob")
    with pytest.raises(undo.UndoError, match="quote #3 has changed since .edited by bob"):
        undo.undo(demo_db, plan)
    assert svc.get_quote(demo_db, 3).notes == "bob"


def test_undoing_an_add_is_refused_once_a_merge_moved_the_record(demo_db):
    twin = svc.add_speaker(demo_db, "Joseph Biden the Second")
    mine = svc.add_quote(demo_db, "words", speaker_id=twin.id)
    plan = undo.last_change(demo_db)
    merge_speakers(demo_db, biden_id(demo_db), twin.id)
    with pytest.raises(undo.UndoError, match="has changed since"):
        undo.undo(demo_db, plan)
    assert svc.get_quote(demo_db, mine.id).speaker == "Joe Biden"


def test_undo_is_refused_when_another_program_changed_the_record(demo_db):
    mine = svc.add_quote(demo_db, "words", speaker_id=biden_id(demo_db))
    plan = undo.last_change(demo_db)
    with demo_db.engine.begin() as con:  # no audit entry: only the version moves
        con.execute(
            text("UPDATE quotes SET notes = 'x', version = version + 1 WHERE id = :id"),
            {"id": mine.id},
        )
    with pytest.raises(
        undo.UndoError, match=rf"quote #{mine.id} has changed since \(by a merge or another program"
    ):
        undo.undo(demo_db, plan)
    assert svc.get_quote(demo_db, mine.id).notes == "x"


def test_a_refused_undo_writes_nothing(demo_db, bob):
    mine = svc.add_quote(demo_db, "alice's quote", speaker_id=biden_id(demo_db))
    plan = undo.last_change(demo_db)
    svc.update_quote(bob, mine.id, expected_version=mine.version, notes="bob")
    before = len(svc.list_changes(demo_db, limit=1000))
    with pytest.raises(undo.UndoError):
        undo.undo(demo_db, plan)
    assert len(svc.list_changes(demo_db, limit=1000)) == before


def test_my_own_undo_still_works_when_nobody_else_touched_it(demo_db, bob):
    svc.add_quote(bob, "bob's own", speaker_id=biden_id(bob))  # another record: no effect
    mine = svc.add_quote(demo_db, "alice's quote", speaker_id=biden_id(demo_db))
    plan = undo.last_change(demo_db)
    assert undo.undo(demo_db, plan).message == f"removed the quote #{mine.id} that was added"


@pytest.mark.parametrize("kind", ["quote", "claim", "source", "speaker"])
def test_no_kind_of_record_reuses_the_highest_id(demo_db, kind):
    def add(text: str) -> int:
        if kind == "quote":
            return svc.add_quote(demo_db, text, speaker_id=biden_id(demo_db)).id
        if kind == "claim":
            return svc.add_claim(demo_db, text).id
        if kind == "source":
            return svc.add_source(demo_db, text).id
        return svc.add_speaker(demo_db, text).id

    delete = {
        "quote": svc.delete_quote,
        "claim": svc.delete_claim,
        "source": svc.delete_source,
        "speaker": svc.delete_speaker,
    }[kind]
    first = add("Zed Firstadded")
    delete(demo_db, first)
    assert add("Zed Secondadded") == first + 1

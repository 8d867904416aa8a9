"""The speaker index has one owner, which keeps it current from the audit
log: changes by this process, by another process, and never a change that
was rolled back."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tracker import services as svc
from tracker.services.merges import merge_speakers
from tracker.services.speaker_index import directory


def names(result) -> list[str]:
    return [c.name for c in result.candidates]


def test_one_directory_per_database(demo_db) -> None:
    assert directory(demo_db) is directory(demo_db)
    assert not directory(demo_db).is_built
    directory(demo_db).build()
    assert directory(demo_db).is_built


def test_a_speaker_added_by_another_process_is_suggested_without_a_restart(demo_db) -> None:
    assert "Wilhelmina Okonkwo" not in names(directory(demo_db).suggest("Okonkw"))
    code = (
        "from tracker import services as svc; "
        f"db = svc.Database({demo_db.url!r}, actor='colleague'); "
        "svc.add_speaker(db, 'Wilhelmina Okonkwo'); db.close()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert names(directory(demo_db).suggest("Okonkw"))[:1] == ["Wilhelmina Okonkwo"]
    assert directory(demo_db).match("Wilhelmina Okonkwo").decision == "same"


def test_edits_renames_deletes_and_merges_are_seen(demo_db) -> None:
    d = directory(demo_db)
    d.build()
    added = svc.add_speaker(demo_db, "Zebulon Quartermaine")
    assert d.match("Zebulon Quartermaine").decision == "same"
    svc.update_speaker(demo_db, added.id, name="Zebulon Harcourt")
    assert d.match("Zebulon Harcourt").candidates[0].speaker_id == added.id
    assert d.match("Zebulon Quartermaine").decision != "same"
    twin = svc.add_speaker(demo_db, "Zeb Harcourt-Twin")
    merge_speakers(demo_db, added.id, twin.id)
    assert twin.id not in d.index()
    svc.delete_speaker(demo_db, added.id)
    assert added.id not in d.index()


def test_a_speaker_whose_creation_was_rolled_back_is_never_offered(demo_db) -> None:
    d = directory(demo_db)
    d.build()
    with pytest.raises(RuntimeError), demo_db.unit_of_work():
        svc.add_speaker(demo_db, "Ephemeral Nobody")
        assert d.match("Ephemeral Nobody").decision != "same"  # not committed yet
        raise RuntimeError("cancelled")
    assert d.match("Ephemeral Nobody").decision != "same"
    kept = svc.add_speaker(demo_db, "Ephemeral Somebody")
    assert d.match("Ephemeral Somebody").candidates[0].speaker_id == kept.id


def test_quote_counts_follow_an_import_and_its_undo(demo_db) -> None:
    """An import writes one audit entry for all the quotes it adds: the
    index, caught up, recounts (quote counts rank suggestions)."""
    import io

    from tracker.services import undo
    from tracker.services.transfer.pipeline import ImportRequest, run_import

    d = directory(demo_db)
    lavrov = svc.list_speakers(demo_db, text="Lavrov", limit=5).items[0]
    before = d.index().quote_counts().get(lavrov.id, 0)
    rows = "text,speaker\n" + "".join(f"imported words {n},Sergei Lavrov\n" for n in range(7))
    other = svc.Database(demo_db.url, actor="importer")
    try:
        run_import(other, io.BytesIO(rows.encode()), ImportRequest(name="q.csv", fmt="csv"))
    finally:
        other.close()
    assert d.index().quote_counts().get(lavrov.id, 0) == before + 7
    assert directory_of_a_new_process(demo_db).quote_counts().get(lavrov.id, 0) == before + 7
    plan = undo.last_change(demo_db, actor="importer")
    assert plan is not None and any(e.entity == "import" for e in plan.entries)
    undo.undo(demo_db, plan)
    assert d.index().quote_counts().get(lavrov.id, 0) == before


def directory_of_a_new_process(db):
    from tracker.services.speaker_index import SpeakerDirectory

    return SpeakerDirectory(db).index()

"""The saved speaker index: used only when it is ours, signed, from this
code and this database's history; caught up when behind; the same answers
as an index built from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracker import services as svc
from tracker.services import index_snapshot
from tracker.services.speaker_index import SpeakerDirectory

QUERIES = ["Stephanophoulos", "Biden", "the U.S. president", "Lavrov", "Kugelman", "Nobody Atall"]


def answers(directory: SpeakerDirectory) -> list[tuple[str, list[int]]]:
    out = []
    for query in QUERIES:
        result = directory.match(query)
        out.append((result.decision, [c.speaker_id for c in result.candidates]))
    return out


def fresh(db) -> SpeakerDirectory:
    return SpeakerDirectory(db)  # a new process, as far as the index goes


@pytest.mark.sqlite_only("the saved speaker index is kept for SQLite files only")
def test_a_cold_start_loads_the_saved_copy_with_the_same_answers(demo_db, monkeypatch) -> None:
    built = fresh(demo_db)
    expected = answers(built)
    path = index_snapshot.path_for(demo_db)
    assert path is not None and path.exists()
    calls = []
    monkeypatch.setattr(
        "tracker.services.speaker_index.SpeakerIndex",
        lambda *a, **k: calls.append(1) or pytest.fail("built instead of loaded"),
    )
    assert answers(fresh(demo_db)) == expected
    assert calls == []


def test_a_copy_behind_the_audit_log_is_caught_up(demo_db) -> None:
    fresh(demo_db).build()
    added = svc.add_speaker(demo_db, "Wilhelmina Okonkwo")
    loaded = fresh(demo_db)
    assert loaded.match("Wilhelmina Okonkwo").candidates[0].speaker_id == added.id


@pytest.mark.sqlite_only("the saved speaker index is kept for SQLite files only")
@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "foreign key"])
def test_a_damaged_or_foreign_copy_is_ignored(demo_db, damage: str) -> None:
    expected = answers(fresh(demo_db))
    path = index_snapshot.path_for(demo_db)
    assert path is not None
    blob = bytearray(path.read_bytes())
    if damage == "flip a byte":
        blob[-10] ^= 0xFF
        path.write_bytes(bytes(blob))
    elif damage == "truncate":
        path.write_bytes(bytes(blob[:100]))
    else:
        (index_snapshot.folder() / "key").write_bytes(b"k" * 32)
    assert index_snapshot.load(demo_db) is None
    assert answers(fresh(demo_db)) == expected


def test_a_database_replaced_under_the_same_name_is_not_answered_from_the_old_copy(
    demo_template: Path, empty_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "desk.db"
    shutil.copyfile(demo_template, path)
    with svc.Database(f"sqlite:///{path}") as demo:
        assert fresh(demo).match("Stephanophoulos").decision == "same"  # and a copy saved
    shutil.copyfile(empty_template, path)  # another database, same file name
    with svc.Database(f"sqlite:///{path}") as other:
        svc.add_speaker(other, "Only In This One")
        replaced = fresh(other)
        assert replaced.match("Stephanophoulos").decision != "same"
        assert replaced.match("Only In This One").decision == "same"


def test_only_sqlite_files_get_a_copy() -> None:
    class Url:
        url = "postgresql+psycopg://u@h/db"

    assert index_snapshot.path_for(Url()) is None  # type: ignore[arg-type]

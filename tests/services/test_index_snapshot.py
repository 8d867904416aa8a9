"""The saved speaker index (an SQLite file, or a PostgreSQL database): used
only when it is from this code and this database's history; caught up when
behind; the same answers as an index built from scratch; a damaged or
foreign file is ignored."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tracker import services as svc
from tracker.matching import SpeakerIndex
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


def test_a_cold_start_loads_the_saved_copy_with_the_same_answers(demo_db, monkeypatch) -> None:
    built = fresh(demo_db)
    expected = answers(built)
    path = path_for(demo_db)
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


@pytest.mark.parametrize("damage", ["garbage", "truncate", "not an index", "other code"])
def test_a_damaged_or_foreign_copy_is_ignored(demo_db, damage: str) -> None:
    expected = answers(fresh(demo_db))
    path = path_for(demo_db)
    assert path.exists()
    if damage == "garbage":
        path.write_bytes(b"\x00garbage" * 1000)
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:3000])
    elif damage == "not an index":
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE meta (name TEXT, value TEXT)")
            conn.execute("INSERT INTO meta VALUES ('meta', '{\"format\": 1}')")
        conn.close()
    else:
        index, _meta = SpeakerIndex.open(path)
        index.save(path, {"code": "another version", "database": str(path)})
        index.close()
    assert answers(fresh(demo_db)) == expected
    assert SpeakerIndex.open(path) is not None  # built again, and saved again


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


def test_an_in_memory_database_gets_no_copy(tmp_path: Path) -> None:
    db = svc.Database("sqlite://")  # in memory
    try:
        svc.add_speaker(db, "Memory Only")
        assert fresh(db).match("Memory Only").decision == "same"
    finally:
        db.close()
    assert not index_snapshot.folder().exists() or all(
        "Memory" not in p.read_bytes().decode("latin-1")
        for p in index_snapshot.folder().glob("*.sqlite")
    )


def test_the_cache_folder_is_the_users_own(demo_db) -> None:
    fresh(demo_db).build()
    assert index_snapshot.folder().stat().st_mode & 0o077 == 0


def path_for(db) -> Path:
    path = SpeakerDirectory(db)._copy_path()
    assert path is not None
    return path


def test_a_copy_damaged_after_it_was_opened_is_dropped_and_built_again(demo_db) -> None:
    expected = answers(fresh(demo_db))
    path = path_for(demo_db)
    directory = fresh(demo_db)
    assert directory.match("Biden").decision == expected[1][0]  # reads the saved copy
    # The file's pages after its first two (the header and the metadata)
    # overwritten in place, as a disk error or another program might.
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[2 * page :] = b"\xa5" * (len(data) - 2 * page)
    path.write_bytes(bytes(data))
    assert answers(directory) == expected  # the same directory, still answering
    assert answers(fresh(demo_db)) == expected  # and a new one
    assert SpeakerIndex.open(path) is not None  # a good copy saved again


@pytest.mark.sqlite_only("copies of SQLite files whose file is gone are removed")
def test_the_copy_of_a_database_file_that_is_gone_is_removed(
    demo_template: Path, tmp_path: Path
) -> None:
    paths = [tmp_path / "kept.db", tmp_path / "deleted.db"]
    copies = []
    for path in paths:
        shutil.copyfile(demo_template, path)
        with svc.Database(f"sqlite:///{path}") as db:
            fresh(db).build()
            copies.append(path_for(db))
    assert all(c.exists() for c in copies)
    paths[1].unlink()
    copies[0].unlink()  # the kept database's copy is saved again...
    with svc.Database(f"sqlite:///{paths[0]}") as db:
        fresh(db).build()
    assert copies[0].exists()
    assert not copies[1].exists()  # ... and the deleted one's goes


def test_a_save_killed_on_the_way_leaves_no_file_for_long(demo_db) -> None:
    import os
    import time

    fresh(demo_db).build()
    path = path_for(demo_db)
    old = path.with_name(f"{path.name}.999999.tmp")
    young = path.with_name(f"{path.name}.999998.tmp")
    for left in (old, young):
        left.write_bytes(b"half a copy")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    path.unlink()
    fresh(demo_db).build()  # saves again
    assert path.exists() and not old.exists()
    assert young.exists()  # perhaps another process's save, under way

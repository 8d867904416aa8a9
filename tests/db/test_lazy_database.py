"""``Database(url, lazy=True)`` opens nothing (no file, no SQLAlchemy) until
first used; then it opens and migrates once, whichever thread asks first,
and reports a database it cannot open on that first use."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from tracker import services as svc
from tracker.db import migrate
from tracker.db.base import Base
from tracker.db.database import Database
from tracker.db.schema import HEAD_REVISION
from tracker.errors import DatabaseError

PROBE = """
import os, sys
from tracker.db.database import Database
db = Database(sys.argv[1], lazy=True)
print("sqlalchemy" in sys.modules, os.path.exists(sys.argv[2]), db.is_open, db.where)
with db.reading():
    pass
print("sqlalchemy" in sys.modules, os.path.exists(sys.argv[2]), db.is_open)
"""


def test_nothing_is_opened_or_imported_until_first_use(db_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, f"sqlite:///{db_path}", str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    constructed, used = result.stdout.splitlines()
    assert constructed == f"False False False {db_path}"
    assert used == "True True True"


def test_first_reading_creates_and_migrates_a_new_file(db_path: Path) -> None:
    db = Database(f"sqlite:///{db_path}", lazy=True)
    assert not db.is_open
    assert db.where == str(db_path)
    assert not db_path.exists()
    assert svc.list_quotes(db).items == ()  # the first use
    assert db.is_open and db_path.exists()
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == HEAD_REVISION
    # Usable for writing like any other database.
    ada = svc.add_speaker(db, "Ada Lovelace")
    assert svc.add_quote(db, "the engine weaves", speaker_id=ada.id).speaker == "Ada Lovelace"
    db.close()


def test_first_unit_of_work_opens_it_too(db_path: Path) -> None:
    db = Database(f"sqlite:///{db_path}", actor="tester", lazy=True)
    source = svc.add_source(db, "Notes")  # a write as the first use
    assert db.is_open
    db.close()
    with Database(f"sqlite:///{db_path}") as again:
        assert [s.id for s in svc.list_sources(again).items] == [source.id]


@pytest.mark.sqlite_only(
    "reads or writes the SQLite file with sqlite3 (to make dialect-neutral, issue 12)"
)
def test_an_older_file_is_migrated_on_first_use(demo_db: Database, db_path: Path) -> None:
    migrate.downgrade(demo_db.engine, "0001")
    demo_db.close()
    db = Database(f"sqlite:///{db_path}", lazy=True)
    assert not db.is_open
    assert len(svc.list_quotes(db).items) == 13
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == HEAD_REVISION
    db.close()


def test_close_before_any_use_is_fine(db_path: Path) -> None:
    db = Database(f"sqlite:///{db_path}", lazy=True)
    db.close()
    with db:
        pass
    assert not db.is_open
    assert not db_path.exists()


def test_threads_using_it_at_once_open_one_engine(db_path: Path, empty_template: Path) -> None:
    shutil.copyfile(empty_template, db_path)  # an up-to-date file, as the app opens lazily
    db = Database(f"sqlite:///{db_path}", lazy=True)
    start = threading.Barrier(8)
    engines: list[Any] = []
    errors: list[BaseException] = []

    def read() -> None:
        start.wait()
        try:
            with db.reading() as session:
                assert session.execute(text("SELECT count(*) FROM quotes")).scalar() == 0
            engines.append(db.engine)
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(engines) == 8
    assert len({id(engine) for engine in engines}) == 1
    db.close()


def test_a_thread_waits_while_another_migrates_a_new_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{db_path}", lazy=True)
    migrating = threading.Event()
    go_on = threading.Event()
    real_upgrade = migrate.upgrade

    def slow_upgrade(*args: Any, **kwargs: Any) -> None:
        migrating.set()
        go_on.wait(timeout=10)
        real_upgrade(*args, **kwargs)

    monkeypatch.setattr(migrate, "upgrade", slow_upgrade)
    results: dict[str, object] = {}

    def count_quotes(name: str) -> None:
        try:
            with db.reading() as session:
                results[name] = session.execute(text("SELECT count(*) FROM quotes")).scalar()
        except BaseException as exc:
            results[name] = exc

    first = threading.Thread(target=count_quotes, args=("first",))
    first.start()
    assert migrating.wait(timeout=10)  # the first thread is migrating the new file
    second = threading.Thread(target=count_quotes, args=("second",))
    second.start()
    second.join(timeout=0.3)  # it should be waiting for the migration, not reading
    go_on.set()
    first.join(timeout=30)
    second.join(timeout=30)
    db.close()
    assert results == {"first": 0, "second": 0}


def test_a_missing_folder_is_reported_on_first_use(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/nope/tracker.db", lazy=True)  # no error yet
    assert not db.is_open
    with pytest.raises(DatabaseError, match="does not exist"):
        svc.list_quotes(db)
    assert not db.is_open
    with pytest.raises(DatabaseError, match="does not exist"), db.reading():
        pass  # asked again: the same clear error, not a half-open database
    assert not (tmp_path / "nope").exists()


def test_a_file_that_is_not_a_database_is_reported_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"These are my notes, not a database.\n" * 50
    path.write_bytes(content)
    db = Database(f"sqlite:///{path}", lazy=True)
    with pytest.raises(DatabaseError, match="is not an SQLite database"):
        svc.list_quotes(db)
    assert not db.is_open
    with pytest.raises(DatabaseError, match="is not an SQLite database"), db.unit_of_work():
        pass
    assert path.read_bytes() == content
    db.close()


@pytest.mark.sqlite_only(
    "reads or writes the SQLite file with sqlite3 (to make dialect-neutral, issue 12)"
)
def test_a_newer_database_is_refused_on_first_use(db: Database, db_path: Path) -> None:
    db.close()
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    con.close()
    lazy = Database(f"sqlite:///{db_path}", lazy=True)
    with pytest.raises(DatabaseError, match="newer"):
        svc.list_quotes(lazy)
    assert not lazy.is_open

"""What tracker agrees to open, and that what it refuses is left unchanged:
another program's SQLite file, SQLite options that would be ignored,
database kinds and drivers it cannot use, unknown revisions, numbers too
large for the database; and migration 0003 keeping every id."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import DatabaseError, ValidationError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tracker_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture
def other_app(tmp_path: Path) -> Path:
    path = tmp_path / "other-app.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        con.execute("INSERT INTO notes (body) VALUES ('keep me')")
    con.close()
    return path


def test_another_programs_file_is_refused_and_left_unchanged(other_app: Path, tmp_path: Path):
    before = digest(other_app)
    result = tracker_cli("--db", str(other_app), "list", "quotes", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a tracker database" in lines[0] and "notes" in lines[0]
    assert digest(other_app) == before
    assert not Path(f"{other_app}-wal").exists()
    with sqlite3.connect(other_app) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_another_alembic_apps_file_is_refused(tmp_path: Path):
    path = tmp_path / "alembic-app.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        con.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    con.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="not a tracker database"):
        Database(f"sqlite:///{path}")
    assert digest(path) == before


def test_an_empty_file_becomes_a_tracker_database(tmp_path: Path):
    path = tmp_path / "empty.db"
    path.touch()
    with Database(f"sqlite:///{path}") as db:
        assert svc.list_quotes(db).items == ()


@pytest.mark.sqlite_only("SQLite URI filenames")
def test_mode_ro_without_uri_is_refused_instead_of_writing(demo_db, db_path: Path):
    demo_db.close()
    before = digest(db_path)
    with pytest.raises(DatabaseError, match=r"mode= works only in an SQLite URI.*uri=true"):
        Database(f"sqlite:///{db_path}?mode=ro")
    assert digest(db_path) == before


@pytest.mark.sqlite_only("SQLite URI filenames")
def test_read_only_uri_reads_and_refuses_to_write(demo_db, db_path: Path):
    demo_db.close()
    before = digest(db_path)
    with Database(f"sqlite:///file:{db_path}?mode=ro&uri=true") as db:
        assert len(svc.list_quotes(db).items) == 13
        with pytest.raises(DatabaseError, match="read-only"):
            svc.add_speaker(db, "Nobody Writes")
    assert digest(db_path) == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://user@localhost/tracker", "works with SQLite and PostgreSQL, not 'mysql'"),
        ("nosuchdb://x", "works with SQLite and PostgreSQL"),
        ("postgresql+pg8000://u@localhost/t", r"pip install 'tracker\[postgres\]'"),
    ],
)
def test_database_kinds_and_drivers_it_cannot_use(url: str, message: str):
    with pytest.raises(DatabaseError, match=message):
        Database(url)


def test_cli_names_what_to_install_for_a_missing_driver(tmp_path: Path):
    result = tracker_cli(
        "--db", "postgresql+pg8000://u:secret@localhost/t", "list", "quotes", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "secret" not in result.stderr
    assert "pip install 'tracker[postgres]'" in result.stderr


def test_upgrade_to_an_unknown_revision(tmp_path: Path):
    path = tmp_path / "t.db"
    result = tracker_cli("--db", str(path), "db", "upgrade", "bogusrev", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot migrate to 'bogusrev'" in result.stderr and "0003" in result.stderr


def test_numbers_too_large_for_the_database_are_a_clear_error(demo_db):
    # The services validate ids; below them, the database layer still turns
    # the driver's OverflowError into a message, for any number it is given.
    from sqlalchemy import select

    from tracker.db.models import Quote

    with pytest.raises(ValidationError, match="too large"), demo_db.reading() as session:
        session.scalars(select(Quote).where(Quote.start_offset == 2**63)).all()


def test_migration_0003_keeps_every_id_and_never_hands_out_a_deleted_one(db_path: Path):
    with Database(f"sqlite:///{db_path}", actor="tester", upgrade=False) as db:
        db.upgrade("0002")
    # Written as a 0002 database would have been (today's models have newer columns).
    now = "2026-11-01 00:00:00"
    with sqlite3.connect(db_path) as con:
        con.execute(
            "INSERT INTO speakers (id, kind, name, created_at, updated_at, version) "
            "VALUES (1, 'person', 'Ada Example', ?, ?, 1)",
            (now, now),
        )
        for n in range(1, 5):
            con.execute(
                "INSERT INTO quotes (id, text, speaker_id, mode, created_at, updated_at, version) "
                "VALUES (?, ?, 1, 'direct', ?, ?, 1)",
                (n, f"words {n - 1}", now, now),
            )
            con.execute(
                "INSERT INTO audit_log (change_id, at, actor, action, entity, entity_id) "
                "VALUES (?, ?, 'tester', 'create', 'quote', ?)",
                (f"c{n}", now, n),
            )
        con.execute("DELETE FROM quotes WHERE id IN (2, 4)")  # 4, the highest, would come back
    con.close()
    ids = [1, 2, 3, 4]
    with Database(f"sqlite:///{db_path}", actor="tester") as db:
        assert [q.id for q in svc.list_quotes(db).items] == [ids[2], ids[0]]
        assert svc.add_quote(db, "new words", speaker_id=1).id == ids[3] + 1
        assert svc.get_quote(db, ids[2]).text == "words 2"
    with sqlite3.connect(db_path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'quotes'").fetchone()[0]
        assert "AUTOINCREMENT" in sql and "ck_quotes_offsets" in sql
    con.close()


def test_two_processes_creating_one_database_at_once(tmp_path: Path):
    path = tmp_path / "new.db"
    code = (
        "import sys; from tracker.db.database import Database; "
        "from tracker import services as svc; "
        f"db = Database({f'sqlite:///{path}'!r}); svc.add_speaker(db, sys.argv[1]); db.close()"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, f"Person {n}"], stderr=subprocess.PIPE)
        for n in range(3)
    ]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    with Database(f"sqlite:///{path}") as db:
        assert sorted(s.name for s in svc.list_speakers(db).items) == [
            "Person 0",
            "Person 1",
            "Person 2",
        ]

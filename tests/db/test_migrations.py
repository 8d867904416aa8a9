"""Alembic owns the schema: empty -> head matches the models, down to base
and back, refusing a database from a newer tracker, plain `alembic` from the
repository root, and the SQLite connection pragmas."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

from tracker import services as svc
from tracker.db import migrate
from tracker.db.base import Base
from tracker.db.database import Database
from tracker.db.search import is_search_table
from tracker.errors import DatabaseError

REPO = Path(__file__).resolve().parents[2]
MODEL_TABLES = set(Base.metadata.tables)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    # As migrations/env.py: the FTS5 tables have no model.
    return not (type_ == "table" and name is not None and is_search_table(name))


def schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"include_name": include_name, "compare_type": True}
    )
    return list(compare_metadata(context, Base.metadata))


def tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_to_head_matches_the_models(db_path: Path) -> None:
    with Database(f"sqlite:///{db_path}", upgrade=False) as db:
        assert tables(db) == set()
        db.upgrade()
        assert MODEL_TABLES | {"alembic_version", "search_index"} <= tables(db)
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            assert schema_diff(conn) == []


@pytest.mark.sqlite_only(
    "lists sqlite_master; a PostgreSQL downgrade test is still to write (issue 12)"
)
def test_down_to_base_and_back_up(db: Database) -> None:
    svc.add_source(db, "Ada")
    migrate.downgrade(db.engine, "base")
    assert tables(db) == {"alembic_version"}
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) is None
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert not any(is_search_table(n) for n in names)

    db.upgrade()
    assert tables(db) >= MODEL_TABLES
    with db.engine.connect() as conn:
        assert schema_diff(conn) == []
    # The rebuilt database works, search included.
    ada = svc.add_claim(db, "Ada Lovelace")
    assert [h.id for h in svc.search(db, "lovelace")] == [ada.id]


@pytest.mark.sqlite_only("the FTS5 table's DDL")
def test_search_prefix_index_migration_keeps_what_was_indexed(db: Database) -> None:
    speaker = svc.add_speaker(db, "Ada Lovelace")
    quote = svc.add_quote(
        db, "the analytical engine weaves algebraic patterns", speaker_id=speaker.id
    )
    migrate.downgrade(db.engine, "0001")
    with db.engine.connect() as conn:
        ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_index'"))
        assert "prefix" not in ddl.scalar_one()
    db.upgrade()
    with db.engine.connect() as conn:
        ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_index'"))
        assert "prefix = '2 3'" in ddl.scalar_one()
    # The entries written before the upgrade are found, by word and by prefix.
    for typed in ("analytical", "an", "alg", "weaves pat", "lovelace"):
        found = [(h.kind, h.id) for h in svc.search(db, typed)]
        assert found, typed
    assert ("quote", quote.id) in [(h.kind, h.id) for h in svc.search(db, "alg")]
    assert [h.id for h in svc.search(db, "lov")] == [speaker.id]


@pytest.mark.sqlite_only("compares the SQLite file's bytes")
def test_opening_a_database_at_head_changes_nothing(db: Database, db_path: Path) -> None:
    svc.add_source(db, "Ada")
    db.close()
    before = file_digest(db_path)
    with Database(f"sqlite:///{db_path}") as again:
        assert [s.title for s in svc.list_sources(again).items] == ["Ada"]
    assert file_digest(db_path) == before


@pytest.mark.sqlite_only(
    "reads or writes the SQLite file with sqlite3 (to make dialect-neutral, issue 12)"
)
def test_a_database_from_a_newer_tracker_is_refused_and_left_alone(
    db: Database, db_path: Path
) -> None:
    svc.add_source(db, "Ada")
    db.close()
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    con.close()
    before = file_digest(db_path)
    with pytest.raises(DatabaseError) as info:
        Database(f"sqlite:///{db_path}")
    message = str(info.value)
    assert "ffff9999" in message
    assert "newer" in message
    assert str(db_path) in message
    assert file_digest(db_path) == before
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("ffff9999",)]
        assert con.execute("SELECT title FROM sources").fetchall() == [("Ada",)]
    con.close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database.\n" * 50)
    with pytest.raises(DatabaseError, match="is not an SQLite database"):
        Database(f"sqlite:///{path}")
    assert path.read_bytes() == b"These are my notes, not a database.\n" * 50


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        Database(f"sqlite:///{tmp_path}/nope/tracker.db")
    assert not (tmp_path / "nope").exists()


@pytest.mark.sqlite_only("SQLite pragmas")
def test_sqlite_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0


@pytest.mark.sqlite_only(
    "PRAGMA foreign_keys and SQLite's error text; PostgreSQL always enforces them"
)
def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO quotes (text, speaker_id, mode, version, created_at, updated_at) "
                "VALUES ('x', 999, 'direct', 1, '2021-01-01', '2021-01-01')"
            )
        )


# ---------------------------------------------------------------- plain alembic


def alembic(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "alembic"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "alembic"]
    # Only the database named here: never the developer's own TRACKER_DB.
    full_env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"} | (env or {})
    return subprocess.run(
        [*command, *args], cwd=REPO, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_plain_alembic_with_tracker_db(tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    env = {"TRACKER_DB": str(path)}
    up = alembic("upgrade", "head", env=env)
    assert up.returncode == 0, up.stderr
    check = alembic("check", env=env)
    assert check.returncode == 0, check.stderr + check.stdout
    with Database(f"sqlite:///{path}", upgrade=False) as db:
        assert tables(db) >= MODEL_TABLES
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()


def test_plain_alembic_with_x_db(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    up = alembic("-x", f"db={path}", "upgrade", "head")
    assert up.returncode == 0, up.stderr
    assert path.exists()
    check = alembic("-x", f"db={path}", "check")
    assert check.returncode == 0, check.stderr + check.stdout
    current = alembic("-x", f"db={path}", "current")
    assert current.returncode == 0, current.stderr
    assert migrate.head_revision() in current.stdout
    down = alembic("-x", f"db={path}", "downgrade", "base")
    assert down.returncode == 0, down.stderr
    with sqlite3.connect(path) as con:
        names = {
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    con.close()
    assert names == {"alembic_version"}  # sqlite_sequence is SQLite's own and stays


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from tracker.db.schema import HEAD_REVISION

    assert migrate.head_revision() == HEAD_REVISION

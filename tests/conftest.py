"""Shared fixtures: every test gets its own database under tmp_path, built
through the real migrations (never create_all)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.db.database import Database
from tracker.services.demo import load_demo

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{db_path}", actor="tester")
    yield database
    database.close()


@pytest.fixture
def demo_db(db: Database) -> Database:
    load_demo(db)
    return db


@pytest.fixture
def shared_seed() -> Path:
    seed = SHARED / "seed"
    if not (seed / "NOTES.md").exists():
        pytest.skip("../shared/seed is not present (fresh clone)")
    return seed

"""Shared fixtures: every test gets its own database under tmp_path, built
through the real migrations (never create_all).

Migrating (and loading the demo) once per session into a template file and
copying it per test keeps the suite fast; the copy is an ordinary migrated
database, and tests/db exercises the migrations themselves directly."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.db.database import Database
from tracker.services.demo import load_demo

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    # Saved speaker indexes (tracker.services.index_snapshot) go to the user's
    # cache folder: the tests, and the processes they start, use their own.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="tracker-test-cache-")


def _template(folder: Path, demo: bool) -> Path:
    path = folder / ("demo.db" if demo else "empty.db")
    database = Database(f"sqlite:///{path}", actor="tester")
    if demo:
        load_demo(database)
    database.close()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("templates"), demo=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("templates"), demo=True)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


def _open_copy(template: Path, path: Path) -> Database:
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}", actor="tester")


@pytest.fixture
def db(db_path: Path, empty_template: Path) -> Iterator[Database]:
    database = _open_copy(empty_template, db_path)
    yield database
    database.close()


@pytest.fixture
def demo_db(db_path: Path, demo_template: Path) -> Iterator[Database]:
    database = _open_copy(demo_template, db_path)
    yield database
    database.close()


@pytest.fixture
def shared_seed() -> Path:
    seed = SHARED / "seed"
    if not (seed / "NOTES.md").exists():
        pytest.skip("../shared/seed is not present (fresh clone)")
    return seed

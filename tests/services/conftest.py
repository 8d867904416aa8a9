"""Helpers for service tests: a snapshot of every row, to prove that a
refused operation wrote nothing (not even an audit entry)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from tracker.db.database import Database
from tracker.db.search import is_search_table
from tracker.errors import TrackerError
from tracker.services import SpeakerRecord, add_speaker

Snapshot = dict[str, list[tuple[object, ...]]]


def take_snapshot(path: Path) -> Snapshot:
    """Every row of every table (the search index by its visible content)."""
    con = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not is_search_table(row[0]) and not row[0].startswith("sqlite_")
        ]
        snap: Snapshot = {
            name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }
        snap["search_index"] = sorted(
            con.execute("SELECT rowid, kind, body FROM search_index").fetchall()
        )
        return snap
    finally:
        con.close()


@pytest.fixture
def snapshot(db: Database, db_path: Path) -> Callable[[], Snapshot]:
    return lambda: take_snapshot(db_path)


Refuses = Callable[..., AbstractContextManager[pytest.ExceptionInfo[TrackerError]]]


@pytest.fixture
def refuses(snapshot: Callable[[], Snapshot]) -> Refuses:
    """``with refuses(ValidationError, "word", ...):`` the block raises that
    error, whose message names the problem, and nothing is written."""

    @contextmanager
    def check(
        error: type[TrackerError], *words: str
    ) -> Iterator[pytest.ExceptionInfo[TrackerError]]:
        before = snapshot()
        assert before["audit_log"] is not None
        with pytest.raises(error) as info:
            yield info
        message = str(info.value)
        for word in words:
            assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
        assert snapshot() == before, "a refused operation changed the database"

    return check


@pytest.fixture
def speaker(db: Database) -> SpeakerRecord:
    return add_speaker(db, "Ada Lovelace", aliases=["Countess of Lovelace"])

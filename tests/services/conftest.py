"""Helpers for service tests: a snapshot of every row, to prove that a
refused operation wrote nothing (not even an audit entry)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

from tracker.db.database import Database
from tracker.db.search import is_search_table
from tracker.errors import TrackerError
from tracker.services import SpeakerRecord, add_speaker

Snapshot = dict[str, list[tuple[object, ...]]]


def take_snapshot(db: Database) -> Snapshot:
    """Every row of every table (the search index by its visible content),
    read through a connection of its own, so only what was committed shows."""
    from sqlalchemy import inspect, text

    with db.engine.connect() as con:
        tables = inspect(con).get_table_names()
        names = [name for name in tables if not is_search_table(name)]
        snap: Snapshot = {
            name: sorted(
                (tuple(row) for row in con.execute(text(f'SELECT * FROM "{name}"'))),  # noqa: S608
                key=repr,
            )
            for name in names
        }
        if "search_index" in tables:  # SQLite's FTS5 table
            snap["search_index"] = sorted(
                tuple(row)
                for row in con.execute(text("SELECT rowid, kind, body FROM search_index"))
            )
        return snap


@pytest.fixture
def snapshot(db: Database) -> Callable[[], Snapshot]:
    return lambda: take_snapshot(db)


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

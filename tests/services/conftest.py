"""Helpers for service tests: a snapshot of every row, to prove that a
refused operation wrote nothing (not even an audit entry)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from db_rows import Rows, rows_on

from tracker.db.database import Database
from tracker.errors import TrackerError
from tracker.services import SpeakerRecord, add_speaker

Snapshot = Rows


def take_snapshot(db: Database) -> Snapshot:
    """Every row of every table (the search index by its visible content),
    read through a connection of its own, so only what was committed shows."""
    with db.engine.connect() as con:
        return rows_on(con)


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

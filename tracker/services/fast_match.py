"""A one-off match (``tracker speakers match``) without SQLAlchemy.

The database file is read with the standard library's sqlite3 (in one read
transaction, by :mod:`tracker.services.fast_read`, which also decides when
the file can be read this way) and the
speaker index from its saved copy (:mod:`tracker.services.index_snapshot`),
caught up in memory from the audit entries since, exactly as the speaker
directory does it (the same queries: :mod:`tracker.services.speaker_rows`).
So the answer is the one the services give; it only costs less to get.

It answers only when there is a saved copy for this database and this code;
anything else gives None, and the caller asks the services, which build the
index (and save a copy for the next time).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Any

import tracker.services.index_snapshot as snapshot
import tracker.services.speaker_rows as speaker_rows
from tracker.matching import MatchResult
from tracker.services.fast_read import CHUNK, Snapshot
from tracker.services.speaker_rows import Run


def sqlite_run(conn: sqlite3.Connection) -> Run:
    """:data:`speaker_rows.Run` over a plain sqlite3 connection."""

    def run(sql: str, params: dict[str, Any], ids: Sequence[int] | None) -> list[Any]:
        if ids is None:
            return conn.execute(sql, params).fetchall()
        out: list[Any] = []
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            marks = ", ".join(f":id{i}" for i in range(len(chunk)))
            bound = {**params, **{f"id{i}": v for i, v in enumerate(chunk)}}
            out += conn.execute(sql.format(ids=f"({marks})"), bound).fetchall()
        return out

    return run


def match_directly(
    snap: Snapshot,
    file: str,
    queries: Sequence[tuple[str, dt.date | None]],
    limit: int,
    *,
    many: bool,
) -> list[MatchResult] | None:
    """Each query matched in the database file ``file`` read by ``snap``
    (``many``: as ``match_many``, each distinct name once; else one
    ``match`` each), or None when this way cannot answer. For
    :func:`tracker.services.fast_read.read`, which gives None for an error
    reading the file."""
    run = sqlite_run(snap.connection)
    now = speaker_rows.identity(run)
    path = snapshot.path_for_file(file)
    loaded = snapshot.load(path, now, run)
    if loaded is None:
        return None
    index, seen = loaded
    try:
        if seen != now["seen"]:
            read_again = speaker_rows.catch_up(index, run, seen, now["seen"])
            if snapshot.worth_saving(read_again, index):
                snapshot.save(path, index, now, file)
        if many:
            return index.match_many(queries, limit=limit)
        return [index.match(name, on=on, limit=limit) for name, on in queries]
    finally:
        index.close()

"""The quote list's first page, read with the standard library's sqlite3
while SQLAlchemy is still loading.

Importing SQLAlchemy's ORM and declaring the models costs about as much
as a whole bare Textual app takes to start, so the terminal UI opens an
SQLite file lazily (``Database(url, lazy=True)``) and draws its first
list from here. What this returns is exactly what
:func:`tracker.services.list_quotes` returns for the newest quotes with
no search and no filters (``tests/services/test_first_page.py`` compares
the two). It is only a first page: every other read, the next page
included, goes through the services.

It answers only for a plain SQLite file at the schema revision this code
expects, read before the database is opened; anything else (another
database, an older or newer file, a read-only file, any error reading it)
gives None and the caller uses the services, which open, migrate and
report errors as usual. It only reads, and never creates a file.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from urllib.parse import quote as url_quote

from tracker.db.database import Database, sqlite_file
from tracker.db.schema import HEAD_REVISION
from tracker.services.records import Page, QuoteRecord

QUOTES = """
SELECT q.id, q.text, q.speaker_id, s.name, q.source_id, src.title, q.mode, q.said_on,
       q.venue, q.start_offset, q.end_offset, q.prefix, q.suffix, q.notes, q.version
FROM quotes AS q
JOIN speakers AS s ON s.id = q.speaker_id
LEFT JOIN sources AS src ON src.id = q.source_id
ORDER BY q.id DESC
LIMIT ?
"""
TAGS = """
SELECT qt.quote_id, t.name FROM quote_tags AS qt JOIN tags AS t ON t.id = qt.tag_id
WHERE qt.quote_id >= ? ORDER BY t.name
"""
CLAIMS = "SELECT claim_id, quote_id FROM claim_quotes WHERE quote_id >= ?"


def _connect(url: str) -> sqlite3.Connection | None:
    """The file read-only, if it is a plain SQLite file at the expected
    schema revision; else None."""
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        # Read-write but never created (mode=rw) and only read: a read-only
        # connection to a WAL database would leave its -wal and -shm files
        # behind, where the last connection closing removes them.
        conn = sqlite3.connect(f"file:{url_quote(path)}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for every read below
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        conn.close()
        return None
    if row is None or row[0] != HEAD_REVISION:
        conn.close()
        return None
    return conn


def readable(url: str) -> bool:
    """Whether :func:`first_quotes` can read this database as it is (an
    SQLite file at the schema revision this code expects)."""
    conn = _connect(url)
    if conn is None:
        return False
    conn.close()
    return True


def first_quotes(db: Database, limit: int) -> Page[QuoteRecord] | None:
    """The newest ``limit`` quotes, as ``list_quotes(db, limit=limit)`` gives
    them, or None if ``db`` is open already or cannot be read this way."""
    if db.is_open:
        return None
    conn = _connect(db.url)
    if conn is None:
        return None
    limit = max(1, min(limit, 1000))
    with closing(conn):
        try:
            rows = conn.execute(QUOTES, (limit + 1,)).fetchall()
            more = len(rows) > limit
            rows = rows[:limit]
            tags: dict[int, list[str]] = {}
            claims: dict[int, list[int]] = {}
            if rows:
                # The page is every quote from its oldest id up.
                oldest = (rows[-1][0],)
                for quote_id, name in conn.execute(TAGS, oldest):
                    tags.setdefault(quote_id, []).append(name)
                for claim_id, quote_id in conn.execute(CLAIMS, oldest):
                    claims.setdefault(quote_id, []).append(claim_id)
        except sqlite3.Error:
            return None
    records = tuple(
        QuoteRecord(
            id=row[0],
            text=row[1],
            speaker_id=row[2],
            speaker=row[3],
            source_id=row[4],
            source=row[5],
            mode=row[6],
            said_on=row[7],
            venue=row[8],
            start_offset=row[9],
            end_offset=row[10],
            prefix=row[11],
            suffix=row[12],
            tags=tuple(tags.get(row[0], ())),
            notes=row[13],
            claim_ids=tuple(sorted(claims.get(row[0], ()))),
            version=row[14],
        )
        for row in rows
    )
    return Page(records, records[-1].id if more and records else None)

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

The reading is :mod:`tracker.services.fast_read`'s, which the read-only
commands share: it answers only for a plain SQLite file at the schema
revision this code expects, read before the database is opened; anything
else (another database, an older or newer file, a read-only file, any
error reading it) gives None and the caller uses the services, which open,
migrate and report errors as usual. It only reads, and never creates a file.
"""

from __future__ import annotations

from tracker.db.database import Database
from tracker.services.fast_read import connect, read
from tracker.services.records import Page, QuoteRecord


def readable(url: str) -> bool:
    """Whether :func:`first_quotes` can read this database as it is (an
    SQLite file at the schema revision this code expects)."""
    conn = connect(url)
    if conn is None:
        return False
    conn.close()
    return True


def first_quotes(db: Database, limit: int) -> Page[QuoteRecord] | None:
    """The newest ``limit`` quotes, as ``list_quotes(db, limit=limit)`` gives
    them, or None if ``db`` is open already or cannot be read this way."""
    if db.is_open:
        return None
    return read(db.url, lambda snapshot: snapshot.quotes(limit=limit))

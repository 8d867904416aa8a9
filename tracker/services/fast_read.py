"""Reading records with the standard library's sqlite3, without SQLAlchemy.

Importing SQLAlchemy's ORM and declaring the models takes several times
longer than a whole read command's work, so the read-only commands that
scripts call most (``tracker show ... --json``, ``list quotes|claims
--json``, ``due --json``) and the terminal UI's first page
(:mod:`tracker.services.first_page`) read an SQLite file from here. What a
:class:`Snapshot` returns is exactly what the services return for the same
question (``tests/cli/test_fast_read.py`` compares what the commands print
both ways, byte for byte; ``tests/services/test_first_page.py`` the records
of the first page).
It answers only the plain questions: a record by id, the newest records
with no search and no filters, the due list.

It answers only for a plain SQLite file at the schema revision this code
expects, read before the database is opened; anything else (another
database, an older or newer file, a read-only file, a record that is not
there, any error reading it) gives None, and the caller uses the services,
which open, migrate and report errors as usual. It only reads, and never
creates a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from typing import Any, TypeVar
from urllib.parse import quote as url_quote

from tracker.db.database import sqlite_file
from tracker.db.schema import HEAD_REVISION
from tracker.services.records import (
    AliasRecord,
    ClaimRecord,
    Page,
    QuoteRecord,
    ReviewRecord,
    RoleRecord,
    SourceRecord,
    SpeakerRecord,
    claim_from_row,
    grouped,
    quote_from_row,
)
from tracker.vocab import DATED_KINDS

T = TypeVar("T")
R = TypeVar("R", QuoteRecord, ClaimRecord)

MAX_LIMIT = 1000  # a page holds 1 to 1000 records, as in the services
CHUNK = 500  # ids per IN (...): below SQLite's oldest limit of 999 variables

QUOTE = """
SELECT q.id, q.text, q.speaker_id, s.name, q.source_id, src.title, q.mode, q.said_on,
       q.venue, q.start_offset, q.end_offset, q.prefix, q.suffix, q.notes, q.version
FROM quotes AS q
JOIN speakers AS s ON s.id = q.speaker_id
LEFT JOIN sources AS src ON src.id = q.source_id
"""
QUOTE_TAGS = """
SELECT qt.quote_id, t.name FROM quote_tags AS qt JOIN tags AS t ON t.id = qt.tag_id
WHERE qt.quote_id IN ({}) ORDER BY t.name
"""
QUOTE_CLAIMS = "SELECT quote_id, claim_id FROM claim_quotes WHERE quote_id IN ({})"

CLAIM = """
SELECT c.id, c.text, c.kind, c.claimant_id, s.name, c.said_on, c.due_on, c.status,
       c.status_final, c.notes, c.version
FROM claims AS c
LEFT JOIN speakers AS s ON s.id = c.claimant_id
"""
CLAIM_TAGS = """
SELECT ct.claim_id, t.name FROM claim_tags AS ct JOIN tags AS t ON t.id = ct.tag_id
WHERE ct.claim_id IN ({}) ORDER BY t.name
"""
CLAIM_QUOTES = """
SELECT cq.claim_id, q.id FROM claim_quotes AS cq JOIN quotes AS q ON q.id = cq.quote_id
WHERE cq.claim_id IN ({}) ORDER BY q.id
"""
REVIEWS = """
SELECT id, claim_id, scale, rating, rating_value, final, rationale, reviewer, reviewed_at,
       evidence
FROM reviews WHERE claim_id = ? ORDER BY reviewed_at, id
"""
# Due for review (tracker.services.conditions.due_conditions), oldest due first.
DUE = (
    CLAIM
    + f"""
WHERE c.kind IN ({", ".join("?" * len(DATED_KINDS))}) AND c.due_on IS NOT NULL
  AND c.due_on <= ? AND c.status_final IS 0
ORDER BY c.due_on, c.id
LIMIT ?
"""
)

SPEAKER = "SELECT id, name, kind, wikidata_qid, notes, version, party, region FROM speakers"
ALIASES = "SELECT id, text, kind, role_id FROM speaker_aliases WHERE speaker_id = ? ORDER BY id"
ROLES = """
SELECT id, title, organisation, start_date, end_date FROM speaker_roles
WHERE speaker_id = ? ORDER BY id
"""
SPEAKER_QUOTES = "SELECT count(*) FROM quotes WHERE speaker_id = ?"
SPEAKER_CLAIMS = "SELECT count(*) FROM claims WHERE claimant_id = ?"
SOURCE_QUOTES = "SELECT count(*) FROM quotes WHERE source_id = ?"
SOURCE = """
SELECT id, kind, title, publisher, authors, url, published_on, accessed_on, reports_on_id,
       notes, version, coalesce(full_text, '') != '', {full_text}
FROM sources WHERE id = ?
"""


def connect(url: str) -> sqlite3.Connection | None:
    """The file at ``url`` in a read transaction (one snapshot for every
    read), if it is a plain SQLite file at the expected schema revision;
    else None."""
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


def read(url: str, reader: Callable[[Snapshot], T | None]) -> T | None:
    """What ``reader`` finds in the database at ``url`` (None when it finds
    nothing), or None if the database cannot be read this way or an error
    comes up reading it (a damaged file, a value the services would not
    read either): the caller then asks the services."""
    conn = connect(url)
    if conn is None:
        return None
    with closing(conn):
        try:
            return reader(Snapshot(conn))
        except (sqlite3.Error, ValueError):
            return None


def _clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _date(value: str | None) -> dt.date | None:
    # SQLAlchemy's SQLite Date: ISO text, read back with date.fromisoformat.
    return dt.date.fromisoformat(value) if value is not None else None


def _utc(value: str) -> dt.datetime:
    # tracker.db.base.UTCDateTime over SQLAlchemy's SQLite DateTime.
    when = dt.datetime.fromisoformat(value)
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _json_list(value: str | None) -> tuple[Any, ...]:
    # A JSON column: NULL and JSON null both mean an empty list to the services.
    return tuple((json.loads(value) if value is not None else None) or ())


class Snapshot:
    """Records read in one read transaction of an SQLite file, as the
    services would return them; None for a record that is not there."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @property
    def connection(self) -> sqlite3.Connection:
        """The connection, in its read transaction (for other plain readers)."""
        return self._conn

    def _linked(self, sql: str, ids: Sequence[int]) -> dict[int, list[Any]]:
        """``owner id -> [values]`` from ``sql`` (which selects owner, value
        for the owners in ``IN ({})``), in the query's order."""
        chunks = (ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK))
        return grouped(
            pair
            for chunk in chunks
            for pair in self._conn.execute(sql.format(", ".join("?" * len(chunk))), chunk)
        )

    def _count(self, sql: str, ident: int) -> int:
        return int(self._conn.execute(sql, (ident,)).fetchone()[0])

    # ------------------------------------------------------------ quotes

    def _quotes(self, rows: list[Any]) -> list[QuoteRecord]:
        ids = [row[0] for row in rows]
        tags = self._linked(QUOTE_TAGS, ids)
        claims = self._linked(QUOTE_CLAIMS, ids)
        return [quote_from_row(row, tags.get(row[0], ()), claims.get(row[0], ())) for row in rows]

    def quote(self, quote_id: int) -> QuoteRecord | None:
        """As :func:`tracker.services.get_quote`."""
        rows = self._conn.execute(QUOTE + "WHERE q.id = ?", (quote_id,)).fetchall()
        return self._quotes(rows)[0] if rows else None

    def quotes(self, *, after: int | None = None, limit: int = 50) -> Page[QuoteRecord]:
        """As :func:`tracker.services.list_quotes` with no filters and no text."""
        return self._page(QUOTE, "q.id", after, limit, self._quotes)

    def _page(
        self,
        select: str,
        id_column: str,
        after: int | None,
        limit: int,
        records: Callable[[list[Any]], list[R]],
    ) -> Page[R]:
        """Newest first, keyset-paged by id (:func:`tracker.services.paging.keyset_page`)."""
        limit = _clamp(limit)
        params: list[int] = [limit + 1]
        where = ""
        if after is not None:
            where, params = f"WHERE {id_column} < ? ", [after, limit + 1]
        sql = f"{select}{where}ORDER BY {id_column} DESC LIMIT ?"
        rows = self._conn.execute(sql, params).fetchall()
        more = len(rows) > limit
        items = tuple(records(rows[:limit]))
        return Page(items, items[-1].id if more and items else None)

    # ------------------------------------------------------------ claims

    def _claims(self, rows: list[Any]) -> list[ClaimRecord]:
        ids = [row[0] for row in rows]
        tags = self._linked(CLAIM_TAGS, ids)
        quotes = self._linked(CLAIM_QUOTES, ids)
        return [
            claim_from_row(
                (*row[:6], _date(row[6]), row[7], bool(row[8]), *row[9:]),
                tags.get(row[0], ()),
                quotes.get(row[0], ()),
            )
            for row in rows
        ]

    def claim(self, claim_id: int) -> ClaimRecord | None:
        """As :func:`tracker.services.get_claim`: with its verdicts, oldest first."""
        rows = self._conn.execute(CLAIM + "WHERE c.id = ?", (claim_id,)).fetchall()
        if not rows:
            return None
        reviews = tuple(
            ReviewRecord(
                id=r[0],
                claim_id=r[1],
                scale=r[2],
                rating=r[3],
                rating_value=r[4],
                final=bool(r[5]),
                rationale=r[6],
                reviewer=r[7],
                reviewed_at=_utc(r[8]),
                evidence=_json_list(r[9]),
            )
            for r in self._conn.execute(REVIEWS, (claim_id,))
        )
        return dataclasses.replace(self._claims(rows)[0], reviews=reviews)

    def claims(self, *, after: int | None = None, limit: int = 50) -> Page[ClaimRecord]:
        """As :func:`tracker.services.list_claims` with no filters and no text."""
        return self._page(CLAIM, "c.id", after, limit, self._claims)

    def due(self, day: dt.date, *, limit: int = 1000) -> list[ClaimRecord]:
        """As :func:`tracker.services.due_claims` for ``day``."""
        params = [*DATED_KINDS, day.isoformat(), limit]
        return self._claims(self._conn.execute(DUE, params).fetchall())

    # ------------------------------------------------------------ speakers and sources

    def speaker(self, speaker_id: int) -> SpeakerRecord | None:
        """As :func:`tracker.services.get_speaker`, with its counts."""
        row = self._conn.execute(SPEAKER + " WHERE id = ?", (speaker_id,)).fetchone()
        if row is None:
            return None
        aliases = self._conn.execute(ALIASES, (speaker_id,)).fetchall()
        roles = self._conn.execute(ROLES, (speaker_id,)).fetchall()
        return SpeakerRecord(
            id=row[0],
            name=row[1],
            kind=row[2],
            wikidata_qid=row[3],
            notes=row[4],
            aliases=tuple(AliasRecord(*a) for a in aliases),
            roles=tuple(RoleRecord(r[0], r[1], r[2], _date(r[3]), _date(r[4])) for r in roles),
            version=row[5],
            quote_count=self._count(SPEAKER_QUOTES, speaker_id),
            claim_count=self._count(SPEAKER_CLAIMS, speaker_id),
            party=row[6],
            region=row[7],
        )

    def _source(self, source_id: int, *, full: bool) -> SourceRecord | None:
        sql = SOURCE.format(full_text="full_text" if full else "NULL")
        row = self._conn.execute(sql, (source_id,)).fetchone()
        if row is None:
            return None
        return SourceRecord(
            id=row[0],
            kind=row[1],
            title=row[2],
            publisher=row[3],
            authors=_json_list(row[4]),
            url=row[5],
            published_on=row[6],
            accessed_on=_date(row[7]),
            reports_on_id=row[8],
            notes=row[9],
            version=row[10],
            has_text=bool(row[11]),
            full_text=row[12],
            quote_count=self._count(SOURCE_QUOTES, source_id) if full else 0,
        )

    def source(self, source_id: int) -> SourceRecord | None:
        """As :func:`tracker.services.get_source`: with its text and quote count."""
        return self._source(source_id, full=True)

    def source_chain(self, source_id: int) -> list[SourceRecord] | None:
        """As :func:`tracker.services.source_chain`: the source, then the
        source it reports on, and so on (without texts or counts)."""
        chain: list[SourceRecord] = []
        seen: set[int] = set()
        node = self._source(source_id, full=False)
        if node is None:
            return None
        while node is not None and node.id not in seen:
            seen.add(node.id)
            chain.append(node)
            ahead = node.reports_on_id
            node = self._source(ahead, full=False) if ahead else None
        return chain

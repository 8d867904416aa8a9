"""Which SQLite files tracker may open: an empty (or new) file, a tracker
database at a revision this code knows, or one from a newer tracker (refused
by the migration runner with its own message).

Anything else belongs to another program: it is refused before tracker
connects to it through SQLAlchemy, so it is left exactly as it was (no
tables added, no switch to WAL). The check reads the file with plain
``sqlite3`` in read-only mode, which writes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from tracker.db.schema import KNOWN_REVISIONS
from tracker.errors import DatabaseError

# Tables that only a tracker database has: with alembic_version, they tell a
# tracker database from another Alembic-managed one.
TRACKER_TABLES = frozenset({"speakers", "quotes", "claims", "audit_log"})


def sqlite_path(database: str) -> str | None:
    """The file behind SQLAlchemy's ``database`` part of an SQLite URL (a
    plain path or a ``file:`` URI filename), or None for in-memory ones."""
    if database.startswith("file:"):
        path, _, options = database[len("file:") :].partition("?")
        if "mode=memory" in options or not path:
            return None
        return path
    if database == ":memory:" or not database:
        return None
    return database


def check_sqlite_file(database: str) -> None:
    """Refuse, unchanged, an SQLite file that is not tracker's (see the module doc)."""
    path = sqlite_path(database)
    if path is None:
        return
    file = Path(path)
    if not file.exists() or file.stat().st_size == 0:
        return  # a new database
    if file.is_dir():
        raise DatabaseError(f"cannot open {path}: it is a folder, not a database file")
    try:
        tables, revision = _read_catalogue(file)
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "not a database" in text or "malformed" in text:
            raise DatabaseError(
                f"{path} is not an SQLite database (or it is encrypted or damaged)"
            ) from None
        if "unable to open" in text:
            raise DatabaseError(f"cannot open {path}: check the path and permissions") from None
        raise DatabaseError(f"cannot read {path}: {exc}") from None
    if tables <= {"alembic_version"}:
        return  # an empty database (or one migrated down to nothing)
    if "alembic_version" in tables and (revision in KNOWN_REVISIONS or tables & TRACKER_TABLES):
        return  # ours: current, older, or newer (the migration runner refuses that)
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    raise DatabaseError(
        f"{path} is not a tracker database (it holds another program's tables: {shown}); "
        "tracker opens only an empty file or its own, and has left this one unchanged"
    )


def _read_catalogue(file: Path) -> tuple[set[str], str | None]:
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        tables = {str(r[0]) for r in rows}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
        return tables, revision
    finally:
        conn.close()

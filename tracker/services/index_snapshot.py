"""A saved copy of a database's speaker index, so that a cold start (a
one-off ``tracker speakers match``, the first speaker field of a new
terminal UI) reads the few entries a match needs from a file instead of
building the whole index for seconds (``tracker.matching.disk``: an SQLite
file of its own, read as it is used, never written in place).

Where: the user's own cache folder (platformdirs; the folder is made
readable by the user only), one file per database file (or per PostgreSQL
server, database and role), never beside the database. The file holds text and numbers only; nothing in it is code or
unpickled. It is used only if the matcher's code (a hash of
``tracker/matching``), the database file it was made for, and the
database's identity all agree. Anything else (a file from another version
of tracker, a database replaced under the same name, a damaged or foreign
file) is ignored and the index is built again.

The database's identity (:func:`tracker.services.speaker_rows.identity`)
is where its history stood when the copy was made: the newest audit entry
(id and change id, a random UUID) and the highest ids of
speakers, aliases and roles. A copy behind the audit log is brought up to
date from the entries since (in memory, over the file), which only works
if the entry it stopped at is still the same one; after catching up with
:func:`worth_saving` speakers the copy is saved again.

SQLite files and PostgreSQL databases get a copy (on PostgreSQL, write
units are serialised, so audit ids grow in the order changes commit and
catching up from the log misses nothing); in-memory databases build.
Nothing here imports SQLAlchemy: the one-off match reads the database with
sqlite3 (:mod:`tracker.services.fast_match`).
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Any

import platformdirs

from tracker.config import APP_NAME
from tracker.matching import SpeakerIndex
from tracker.matching.disk import read_meta
from tracker.services.speaker_rows import Run, change_id

RESAVE_AFTER = 1000  # speakers caught up with before the copy is saved again...
RESAVE_SHARE = 10  # ... and at least 1/10 of the speakers it holds


def worth_saving(caught_up: int, index: SpeakerIndex) -> bool:
    """Whether a copy that has caught up with ``caught_up`` speakers since
    it was saved should be saved again: often enough that a cold start
    reads few audit entries, rarely enough that an import does not spend
    its time saving (a save writes every speaker)."""
    return caught_up >= max(RESAVE_AFTER, len(index) // RESAVE_SHARE)


def folder() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "speaker-index"


def path_for_file(file: str) -> Path:
    """The copy's file for the SQLite database file ``file``."""
    name = hashlib.sha256(str(Path(file).resolve()).encode()).hexdigest()[:32]
    return folder() / f"{name}.sqlite"


def path_for_server(where: str) -> Path:
    """The copy's file for a database on a server, named by ``where`` (its
    URL without the password): one per server, database and role."""
    name = hashlib.sha256(f"server {where}".encode()).hexdigest()[:32]
    return folder() / f"{name}.sqlite"


def load(path: Path, now: dict[str, Any], run: Run) -> tuple[SpeakerIndex, int] | None:
    """The saved index at ``path`` and the audit entry it reflects, if it
    is for this database (whose identity is ``now``) and this code; else
    None."""
    try:
        opened = SpeakerIndex.open(path)
    except (OSError, sqlite3.Error):
        return None
    if opened is None:
        return None
    index, meta = opened
    saved = meta.get("identity")
    if (
        meta.get("code") == _code_hash()
        and meta.get("database") == str(path)
        and isinstance(saved, dict)
        and isinstance(saved.get("seen"), int)
    ):
        if saved == now:
            return index, now["seen"]
        seen = saved["seen"]
        if seen < now["seen"] and (not seen or change_id(run, seen) == saved.get("change_id")):
            return index, seen
    index.close()
    return None


def save(path: Path, index: SpeakerIndex, now: dict[str, Any], file: str | None = None) -> bool:
    """Save a copy of ``index``, which reflects the database at identity
    ``now`` (atomically); ``file`` is the SQLite database file, if it is
    one. False, quietly, if the cache cannot be written. Copies of SQLite
    files that are gone are removed at the same time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        index.save(
            path, {"code": _code_hash(), "database": str(path), "file": file, "identity": now}
        )
    except (OSError, sqlite3.Error):
        return False
    # Earlier versions saved a signed pickle (NAME.idx), never read now:
    # removed once this database's new copy is saved.
    path.with_suffix(".idx").unlink(missing_ok=True)
    _remove_orphans(path.parent, keep=path)
    return True


def _remove_orphans(where: Path, keep: Path) -> None:
    """Remove the copies of SQLite database files that no longer exist (a
    copy is 10-15 MB for 100,000 speakers), and files a save killed on
    the way left (NAME.PID.tmp, an hour old: a save takes seconds); leave
    anything else."""
    for other in where.glob("*.sqlite"):
        if other == keep:
            continue
        meta = read_meta(other)
        file = meta.get("file") if meta else None
        if isinstance(file, str) and not Path(file).exists():
            other.unlink(missing_ok=True)
    an_hour_ago = time.time() - 3600
    for left in where.glob("*.sqlite.*.tmp"):
        with contextlib.suppress(OSError):
            if left.stat().st_mtime < an_hour_ago:
                left.unlink()


_CODE: str | None = None


def _code_hash() -> str:
    """The matcher's code: a copy made by other code is never used."""
    global _CODE
    if _CODE is None:
        import tracker
        import tracker.matching

        digest = hashlib.sha256(getattr(tracker, "__version__", "").encode())
        for source in sorted(Path(tracker.matching.__file__).parent.glob("*.py")):
            digest.update(source.name.encode() + source.read_bytes())
        _CODE = digest.hexdigest()
    return _CODE

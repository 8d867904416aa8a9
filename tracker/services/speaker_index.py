"""The speaker matching index of a database, and the one object that owns it.

A :class:`SpeakerDirectory` builds its database's index on first use and
keeps it current from the audit log, which every service writes in the same
transaction as its change: the log's highest id is the database's change
counter. Before each use the directory reads that counter (one indexed
query, well under a millisecond); if it moved, it reads the entries since
(speakers added, edited, merged or deleted, and quotes, whose counts break
ties) and re-reads just those speakers. So changes made by this process,
by another process (a second terminal UI, an import) or rolled back (never
seen, because only committed entries are read) all come out right.

Changes made outside tracker's services (raw SQL) leave no audit entry and
are not seen until the index is built again (a new process).

The index itself (``tracker.matching``) is pure; this module feeds it."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from tracker.db.database import Database, sqlite_file
from tracker.matching import MatchResult, SpeakerEntry, SpeakerIndex
from tracker.services import speaker_rows
from tracker.services.index_snapshot import worth_saving
from tracker.services.speaker_rows import Run

_CHUNK = 500  # ids per IN (...)
T = TypeVar("T")


def session_run(session: Session) -> Run:
    """:data:`speaker_rows.Run` over a session (any backend)."""

    def run(sql: str, params: dict[str, Any], ids: Sequence[int] | None) -> list[Any]:
        if ids is None:
            return list(session.execute(text(sql), params).all())
        stmt = text(sql.format(ids=":ids")).bindparams(bindparam("ids", expanding=True))
        out: list[Any] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            out += session.execute(stmt, {**params, "ids": chunk}).all()
        return out

    return run


def _entries(session: Session, ids: Sequence[int] | None = None) -> list[SpeakerEntry]:
    """The matcher's view of speakers (all, or ``ids``), read in ``session``."""
    return speaker_rows.entries(session_run(session), ids)


class SpeakerDirectory:
    """The speaker index of one database: built on first use, then kept
    current from the audit log before every use (see the module doc).

    The index is not thread-safe (suggestions fill a cache; roles re-index
    lazily) and the terminal UI uses it from worker threads, so every use
    holds this directory's lock."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.RLock()
        self._index: SpeakerIndex | None = None
        self._seen = 0  # the newest audit entry the index reflects
        self._uncommitted: dict[int, SpeakerEntry] = {}  # see add_uncommitted
        self._steady = 0  # inside steady(): no catching up
        self._caught_up = 0  # speakers caught up with since the copy was saved

    @property
    def is_built(self) -> bool:
        return self._index is not None

    def index(self) -> SpeakerIndex:
        """The index, current as of now (built first if need be). Hold
        :meth:`locked` while using it from more than one thread."""
        return self._use(lambda index: index)

    def _current(self) -> SpeakerIndex:
        if self._index is None:
            self._build()
        elif self._steady == 0:
            self._catch_up()
        assert self._index is not None
        return self._index

    def _use(self, use: Callable[[SpeakerIndex], T]) -> T:
        """``use(index)`` with the index current, under the lock. If the
        saved copy it reads fails (sqlite3.Error: the file damaged or
        changed under it, a disk error), the copy is dropped, the index
        built again from the database and ``use`` tried once more."""
        with self._lock:
            try:
                return use(self._current())
            except sqlite3.Error:
                self._drop_copy()
                return use(self._current())

    def _drop_copy(self) -> None:

        if self._index is not None:
            with contextlib.suppress(sqlite3.Error):
                self._index.close()
        self._index = None
        path = self._copy_path()
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    def _copy_path(self) -> Path | None:
        """Where this database's saved copy is (None: it gets none)."""
        from tracker.services import index_snapshot as snapshot

        file = sqlite_file(self._db.url)
        if file is not None:
            return snapshot.path_for_file(file)
        if self._db.url.startswith("postgresql"):
            return snapshot.path_for_server(self._db.where)
        return None  # in memory, say: gone with the process

    @contextlib.contextmanager
    def steady(self) -> Iterator[None]:
        """Within: the index is caught up once, not before every use. For a
        caller that holds the write lock (nobody else can commit a change)
        and matches thousands of names: an import's chunk of rows."""
        with self._lock:
            self._use(lambda index: index)
            self._steady += 1
        try:
            yield
        finally:
            with self._lock:
                self._steady -= 1

    def build(self) -> None:
        """Build the index now (slow on a big database: call it in a worker)."""
        self.index()

    def match(self, name: str, on: dt.date | None = None, limit: int = 5) -> MatchResult:
        """Resolve a name as written (or a role reference, with the date said)."""
        return self._use(lambda index: index.match(name, on=on, limit=limit))

    def depends_on_date(self, name: str) -> bool:
        """See :meth:`SpeakerIndex.depends_on_date`."""
        return self._use(lambda index: index.depends_on_date(name))

    def suggest(self, typed: str, on: dt.date | None = None, limit: int = 8) -> MatchResult:
        """Suggestions for a name being typed (the last word may be unfinished)."""
        return self._use(lambda index: index.suggest(typed, on=on, limit=limit))

    def match_many(
        self, queries: Iterable[tuple[str, dt.date | None]], limit: int = 5
    ) -> list[MatchResult]:
        """Resolve many names at once (each distinct name once), in input order."""
        wanted = list(queries)
        return self._use(lambda index: index.match_many(wanted, limit=limit))

    def add_uncommitted(self, session: Session, speaker_ids: Iterable[int]) -> None:
        """Let speakers created in ``session``'s unit of work (not committed
        yet) be matched by the rest of it: an import creating "Barack Obama"
        on one row finds him on the next. :meth:`settle` takes them back out
        if the unit is rolled back."""
        ids = sorted(set(speaker_ids))
        if ids:
            self.add_uncommitted_entries(_entries(session, ids))

    def add_uncommitted_entries(self, entries: Iterable[SpeakerEntry]) -> None:
        """:meth:`add_uncommitted`, for entries the caller has built."""
        added = list(entries)

        def add(index: SpeakerIndex) -> None:
            for entry in added:
                index.upsert(entry)

        with self._lock:
            if self._steady and self._index is not None:
                try:
                    add(self._index)
                except sqlite3.Error:
                    self._drop_copy()
                    add(self._current())
            else:
                self._use(add)
            for entry in added:
                self._uncommitted[entry.id] = entry

    def settle(self, committed: bool) -> None:
        """After the unit that created speakers ends: kept if it committed
        (the audit log has them), removed if it was rolled back."""
        with self._lock:
            if not committed and self._index is not None:
                for speaker_id in self._uncommitted:
                    try:
                        self._index.remove(speaker_id)
                    except sqlite3.Error:
                        self._drop_copy()  # built again, without them
                        break
            self._uncommitted.clear()

    # Both read with a session of their own, never the calling thread's unit
    # of work: the index must hold only what is committed.
    def _build(self) -> None:
        """From the saved copy if it is still good (then caught up), else
        from the database, saving a copy for the next cold start and then
        reading from it (the copy's few entries a match reads, instead of
        the whole index in memory)."""
        from tracker.services import index_snapshot as snapshot

        path = self._copy_path()
        with self._db.sessions() as session:
            run = session_run(session)
            now = speaker_rows.identity(run)
            loaded = snapshot.load(path, now, run) if path else None
            if loaded is None:
                built = SpeakerIndex(speaker_rows.entries(run))
                if path and snapshot.save(path, built, now, sqlite_file(self._db.url)):
                    loaded = snapshot.load(path, now, run)
                if loaded is None:
                    loaded = (built, now["seen"])
            self._index, self._seen = loaded
            for entry in self._uncommitted.values():  # built again within a unit
                self._index.upsert(entry)
        self._catch_up()

    def _catch_up(self) -> None:
        index = self._index
        assert index is not None
        with self._db.sessions() as session:
            run = session_run(session)
            newest = speaker_rows.newest_entry(run)
            if newest == self._seen:
                return
            read_again = speaker_rows.catch_up(index, run, self._seen, newest)
            self._seen = newest
            self._caught_up += read_again
            if not self._uncommitted and worth_saving(self._caught_up, index):
                self._resave(run, newest)

    def _resave(self, run: Run, newest: int) -> None:
        """Save the copy again (an import, say, changed many speakers) and
        read from the new one: what was caught up in memory is let go."""
        from tracker.services import index_snapshot as snapshot

        path = self._copy_path()
        now = speaker_rows.identity(run)
        if path is None or now["seen"] != newest:
            return
        assert self._index is not None
        if snapshot.save(path, self._index, now, sqlite_file(self._db.url)):
            loaded = snapshot.load(path, now, run)
            if loaded is not None:
                self._index.close()
                self._index, self._seen = loaded
        self._caught_up = 0


_directories: WeakKeyDictionary[Database, SpeakerDirectory] = WeakKeyDictionary()
_directories_lock = threading.Lock()


def directory(db: Database) -> SpeakerDirectory:
    """The speaker directory of ``db`` (one per open database, for its life)."""
    with _directories_lock:
        found = _directories.get(db)
        if found is None:
            found = _directories[db] = SpeakerDirectory(db)
        return found


def index_for(db: Database) -> SpeakerIndex:
    """The database's speaker index, current as of now."""
    return directory(db).index()


def match_speaker(
    db: Database, name: str, on: dt.date | None = None, limit: int = 5
) -> MatchResult:
    """Resolve a name as written (or a role reference, with the date said)."""
    return directory(db).match(name, on=on, limit=limit)


def suggest_speakers(
    db: Database, typed: str, on: dt.date | None = None, limit: int = 8
) -> MatchResult:
    """Suggestions for a name being typed (the last word may be unfinished)."""
    return directory(db).suggest(typed, on=on, limit=limit)


def match_speakers(
    db: Database, queries: Iterable[tuple[str, dt.date | None]], limit: int = 5
) -> list[MatchResult]:
    """Resolve many names at once (each distinct name once), in input order."""
    return directory(db).match_many(queries, limit=limit)

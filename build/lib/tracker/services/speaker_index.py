"""The speaker matching index for a database: built from it on first use and
kept current as services change speakers, aliases and roles.

The index itself (``tracker.matching``) is pure; this module feeds it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.database import Database
from tracker.db.models import Quote, Speaker, SpeakerAlias, SpeakerRole
from tracker.matching import MatchResult, RoleEntry, SpeakerEntry, SpeakerIndex

# The index is not thread-safe (suggest fills a cache; roles re-index lazily)
# and the TUI calls it from worker threads: every use holds this lock.
_lock = threading.RLock()
_ATTR = "_speaker_index"


def _entries(session: Session, ids: Sequence[int] | None = None) -> list[SpeakerEntry]:
    """The matcher's view of speakers, read with plain Core queries (a few
    seconds for 100,000 speakers rather than a full ORM load). Role
    references go with their role's dates."""

    def where(column: Any, stmt: Any) -> Any:
        return stmt if ids is None else stmt.where(column.in_(ids))

    aliases: dict[int, list[tuple[str, str]]] = {}
    references: dict[int, list[str]] = {}
    for speaker_id, text, kind, role_id in session.execute(
        where(
            SpeakerAlias.speaker_id,
            select(
                SpeakerAlias.speaker_id, SpeakerAlias.text, SpeakerAlias.kind, SpeakerAlias.role_id
            ).order_by(SpeakerAlias.id),
        )
    ):
        if kind == "role" and role_id is not None:
            references.setdefault(role_id, []).append(text)
        else:
            aliases.setdefault(speaker_id, []).append((text, kind))
    roles: dict[int, list[RoleEntry]] = {}
    for role_id, speaker_id, title, organisation, start, end in session.execute(
        where(
            SpeakerRole.speaker_id,
            select(
                SpeakerRole.id,
                SpeakerRole.speaker_id,
                SpeakerRole.title,
                SpeakerRole.organisation,
                SpeakerRole.start_date,
                SpeakerRole.end_date,
            ).order_by(SpeakerRole.id),
        )
    ):
        roles.setdefault(speaker_id, []).append(
            RoleEntry(title, organisation, start, end, tuple(references.get(role_id, ())))
        )
    counts = dict(
        session.execute(
            where(
                Quote.speaker_id, select(Quote.speaker_id, func.count()).group_by(Quote.speaker_id)
            )
        ).all()
    )
    return [
        SpeakerEntry(
            sid,
            name,
            kind,
            tuple(aliases.get(sid, ())),
            tuple(roles.get(sid, ())),
            counts.get(sid, 0),
        )
        for sid, name, kind in session.execute(
            where(Speaker.id, select(Speaker.id, Speaker.name, Speaker.kind))
        )
    ]


def index_for(db: Database) -> SpeakerIndex:
    """The database's speaker index, built on first use."""
    with _lock:
        index: SpeakerIndex | None = getattr(db, _ATTR, None)
        if index is None:
            with db.reading() as session:
                index = SpeakerIndex(_entries(session))
            setattr(db, _ATTR, index)
        return index


def refresh(db: Database, ids: Iterable[int]) -> None:
    """Re-read these speakers into the index (if it has been built)."""
    id_list = list(ids)
    with _lock:
        index: SpeakerIndex | None = getattr(db, _ATTR, None)
        if index is None or not id_list:
            return
        with db.reading() as session:
            found = _entries(session, id_list)
        for entry in found:
            index.upsert(entry)
        for missing in set(id_list) - {e.id for e in found}:
            index.remove(missing)


def forget(db: Database, ids: Iterable[int]) -> None:
    with _lock:
        index: SpeakerIndex | None = getattr(db, _ATTR, None)
        if index is not None:
            for speaker_id in ids:
                index.remove(speaker_id)


def match_speaker(
    db: Database, name: str, on: dt.date | None = None, limit: int = 5
) -> MatchResult:
    """Resolve a name as written (or a role reference, with the date said)."""
    index = index_for(db)
    with _lock:
        return index.match(name, on=on, limit=limit)


def suggest_speakers(
    db: Database, typed: str, on: dt.date | None = None, limit: int = 8
) -> MatchResult:
    """Suggestions for a name being typed (the last word may be unfinished)."""
    index = index_for(db)
    with _lock:
        return index.suggest(typed, on=on, limit=limit)


def match_speakers(
    db: Database, queries: Iterable[tuple[str, dt.date | None]], limit: int = 5
) -> list[MatchResult]:
    """Resolve many names at once (each distinct name once), in input order."""
    index = index_for(db)
    with _lock:
        return index.match_many(queries, limit=limit)

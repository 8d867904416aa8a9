"""The speaker matching index for a database: built from it on first use and
kept current as services change speakers, aliases and roles.

The index itself (``tracker.matching``) is pure; this module feeds it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker.db.database import Database
from tracker.db.models import Quote, Speaker
from tracker.matching import MatchResult, RoleEntry, SpeakerEntry, SpeakerIndex

_lock = threading.Lock()
_ATTR = "_speaker_index"


def entry_for(speaker: Speaker, quote_count: int = 0) -> SpeakerEntry:
    """The matcher's view of a speaker: role references go with their role's dates."""
    references: dict[int, list[str]] = {}
    aliases: list[tuple[str, str]] = []
    for alias in speaker.aliases:
        if alias.kind == "role" and alias.role_id is not None:
            references.setdefault(alias.role_id, []).append(alias.text)
        else:
            aliases.append((alias.text, alias.kind))
    roles = tuple(
        RoleEntry(
            r.title, r.organisation, r.start_date, r.end_date, tuple(references.get(r.id, ()))
        )
        for r in speaker.roles
    )
    return SpeakerEntry(speaker.id, speaker.name, speaker.kind, tuple(aliases), roles, quote_count)


def _entries(session: Session, ids: Sequence[int] | None = None) -> list[SpeakerEntry]:
    stmt = select(Speaker).options(selectinload(Speaker.aliases), selectinload(Speaker.roles))
    counts_stmt = select(Quote.speaker_id, func.count()).group_by(Quote.speaker_id)
    if ids is not None:
        stmt = stmt.where(Speaker.id.in_(ids))
        counts_stmt = counts_stmt.where(Quote.speaker_id.in_(ids))
    counts = {sid: n for sid, n in session.execute(counts_stmt)}
    return [entry_for(s, counts.get(s.id, 0)) for s in session.scalars(stmt)]


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
    return index_for(db).match(name, on=on, limit=limit)


def suggest_speakers(
    db: Database, typed: str, on: dt.date | None = None, limit: int = 8
) -> MatchResult:
    """Suggestions for a name being typed (the last word may be unfinished)."""
    return index_for(db).suggest(typed, on=on, limit=limit)


def match_speakers(
    db: Database, queries: Iterable[tuple[str, dt.date | None]], limit: int = 5
) -> list[MatchResult]:
    """Resolve many names at once (each distinct name once), in input order."""
    return index_for(db).match_many(queries, limit=limit)

"""The audit log: every change made through the services, recorded in the
same transaction as the change itself."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, inspect, or_, select
from sqlalchemy.orm import Session

from tracker.db.base import utcnow
from tracker.db.database import Database
from tracker.db.models import AuditEntry
from tracker.errors import ConflictError
from tracker.services.records import AuditRecord, to_jsonable


class Change:
    """One unit of work's audit trail: every entry shares a ``change_id``."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        # One id and time per unit of work, however many services it calls.
        self.change_id: str = session.info.setdefault("change_id", uuid.uuid4().hex)
        self.at: dt.datetime = session.info.setdefault("change_at", utcnow())

    def record(
        self,
        action: str,
        entity: str,
        entity_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        summary: str | None = None,
    ) -> None:
        self.session.add(
            AuditEntry(
                change_id=self.change_id,
                at=self.at,
                actor=self.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=before,
                after=after,
                summary=(summary or "")[:500] or None,
            )
        )


def reuse_id(session: Session, model: type[Any], ident: int | None, what: str) -> int | None:
    """The id a restored record gets back (undo of a delete), or None for a
    new one; refused with ConflictError if another record has taken it."""
    if ident is None:
        return None
    if session.get(model, ident) is not None:
        raise ConflictError(f"{what} #{ident} exists already", what)
    return ident


def snapshot(obj: Any, **extra: Any) -> dict[str, Any]:
    """The column values of an ORM object, JSON-ready, plus ``extra``."""
    mapper = inspect(obj).mapper
    data: dict[str, Any] = {}
    for column in mapper.column_attrs:
        value = getattr(obj, column.key)
        data[column.key] = to_jsonable(value)
    data.update(to_jsonable(extra))
    return data


def list_changes(
    db: Database, entity: str | None = None, entity_id: int | None = None, limit: int = 50
) -> list[AuditRecord]:
    with db.reading() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity is not None:
            stmt = stmt.where(AuditEntry.entity == entity)
        if entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == entity_id)
        return [_record(e) for e in session.scalars(stmt)]


def change_entries(db: Database, change_id: str) -> list[AuditRecord]:
    """Every entry of one change, oldest first."""
    with db.reading() as session:
        stmt = select(AuditEntry).where(AuditEntry.change_id == change_id).order_by(AuditEntry.id)
        return [_record(e) for e in session.scalars(stmt)]


def changes_since(
    db: Database, after_id: int, records: Iterable[tuple[str, int]]
) -> list[AuditRecord]:
    """Audit entries newer than entry ``after_id`` that touch any of
    ``records`` (``(entity, entity_id)`` pairs), oldest first, whoever made them."""
    wanted = sorted(set(records))
    if not wanted:
        return []
    with db.reading() as session:
        stmt = (
            select(AuditEntry)
            .where(
                AuditEntry.id > after_id,
                or_(*(and_(AuditEntry.entity == e, AuditEntry.entity_id == i) for e, i in wanted)),
            )
            .order_by(AuditEntry.id)
        )
        return [_record(e) for e in session.scalars(stmt)]


@dataclass(frozen=True)
class News:
    """What changed after an audit entry, whoever changed it (another
    window, another process, another person on the same server): what a
    running front end polls to stay current.

    ``newest`` is the newest entry now (pass it to the next call);
    ``records`` the ``(entity, entity_id, action)`` of each change since, or
    None when there were too many to go through one by one (an import, say):
    then everything shown should be read again."""

    newest: int
    records: tuple[tuple[str, int, str], ...] | None

    @property
    def changed(self) -> bool:
        return self.records is None or bool(self.records)


def news_since(db: Database, after_id: int, limit: int = 200) -> News:
    """The changes after entry ``after_id`` (see :class:`News`): one indexed
    read of at most ``limit`` + 1 entries, cheap enough to run every second."""
    with db.reading() as session:
        stmt = (
            select(AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action)
            .where(AuditEntry.id > after_id)
            .order_by(AuditEntry.id)
            .limit(limit + 1)
        )
        rows = session.execute(stmt).all()
        if not rows:
            return News(after_id, ())
        if len(rows) > limit or any(row.entity == "import" for row in rows):
            newest = newest_entry(session) or int(rows[-1].id)
            return News(newest, None)
        records = tuple((row.entity, int(row.entity_id), row.action) for row in rows)
        return News(int(rows[-1].id), records)


def newest_change(db: Database) -> int:
    """The id of the newest audit entry (0 for none): the change counter."""
    with db.reading() as session:
        return newest_entry(session)


def newest_entry(session: Session) -> int:
    """:func:`newest_change` in a session already open."""
    return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


def _record(entry: AuditEntry) -> AuditRecord:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    return AuditRecord(
        id=entry.id,
        change_id=entry.change_id,
        at=at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        summary=entry.summary,
        before=entry.before,
        after=entry.after,
    )

"""Taking back a whole import (``tracker undo`` right after ``tracker import``).

An import is one change in the audit log: an ``import`` entry per unit of
work, plus the usual entries of the speakers and sources it created and the
records it updated (``--update``). The quotes and claims it added have no
entry each (a million rows would double the log); they are found through
``record_keys.import_id``. The rule is undo's rule: refused, naming who
changed what, if anything the import added has been changed since (a later
audit entry, or a version moved on), and then all of it is taken back in
one unit of work, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.db import search
from tracker.db.database import Database
from tracker.db.models import AuditEntry, Claim, Import, Quote, RecordKey
from tracker.services.audit import Change
from tracker.services.records import AuditRecord


def is_import(entries: Sequence[AuditRecord]) -> bool:
    return any(e.entity == "import" for e in entries)


def undo_import(
    db: Database,
    change_id: str,
    entries: Sequence[AuditRecord],
    reverse: Callable[[Database, Sequence[AuditRecord]], list[str]],
    refuse: Callable[[str], Exception],
) -> str:
    """Take the import back (call inside the undo's unit of work).
    ``reverse`` undoes ordinary audit entries; ``refuse(why)`` is the
    error to raise."""
    marks = [e for e in entries if e.entity == "import"]
    if any(e.action == "undo" for e in marks):
        raise refuse("that import was undone already; import the file again to redo it")
    ids = sorted({e.entity_id for e in marks})
    last_entry = max(e.id for e in entries)
    with db.unit_of_work() as session:
        file = session.scalar(select(Import.file).where(Import.id == ids[0])) or "the file"
        _refuse_if_touched(session, ids, change_id, last_entry, refuse)
        quote_ids = _ids(session, "quote", ids)
        claim_ids = _ids(session, "claim", ids)
        for part in _parts(claim_ids):
            session.execute(delete(Claim).where(Claim.id.in_(part)))
        search.reindex(session, "claim", claim_ids)
        for part in _parts(quote_ids):
            session.execute(delete(Quote).where(Quote.id.in_(part)))
        search.reindex(session, "quote", quote_ids)
        session.execute(delete(RecordKey).where(RecordKey.import_id.in_(ids)))
        others = [e for e in entries if e.entity != "import"]
        reverse(db, others)  # updates back, then the created speakers and sources
        summary = (
            f"took back the import of {file}: {len(quote_ids):,} quotes, {len(claim_ids):,} "
            f"claims, {sum(1 for e in others if e.action == 'create'):,} speakers and sources"
        )
        Change(session, db.actor).record("undo", "import", ids[0], None, None, summary)
    return summary


def _refuse_if_touched(
    session: Session,
    ids: list[int],
    change_id: str,
    last_entry: int,
    refuse: Callable[[str], Exception],
) -> None:
    keys = (
        select(RecordKey.entity, RecordKey.record_id)
        .where(RecordKey.import_id.in_(ids))
        .subquery("k")
    )
    later = session.execute(
        select(AuditEntry)
        .join(
            keys, (AuditEntry.entity == keys.c.entity) & (AuditEntry.entity_id == keys.c.record_id)
        )
        .where(AuditEntry.id > last_entry, AuditEntry.change_id != change_id)
        .order_by(AuditEntry.id)
        .limit(1)
    ).scalar()
    if later is not None:
        raise refuse(
            f"{later.entity} #{later.entity_id}, which it added, has changed since "
            f"({later.action} by {later.actor} at {later.at:%Y-%m-%d %H:%M} UTC)"
        )
    for model, name in ((Quote, "quote"), (Claim, "claim")):
        moved = session.scalar(
            select(model.id).where(model.id.in_(_id_query(name, ids)), model.version > 1).limit(1)
        )
        if moved is not None:
            raise refuse(
                f"{name} #{moved}, which it added, has changed since (by a merge or another program)"
            )


def _id_query(entity: str, ids: list[int]) -> Any:
    return select(RecordKey.record_id).where(
        RecordKey.entity == entity, RecordKey.import_id.in_(ids)
    )


def _ids(session: Session, entity: str, ids: list[int]) -> list[int]:
    return list(session.scalars(_id_query(entity, ids)))


def _parts(values: list[int], size: int = 500) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]

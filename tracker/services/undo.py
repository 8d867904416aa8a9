"""Undoing the last change recorded in the audit log, using services only.

One rule holds for every kind of change: it is undone only if every record
it touched is still as the change left it. If anyone (the same user
included) has changed, deleted or re-created one of them since, or the
record's version moved on (a merge, another program), the undo is refused
with a message that says who changed what, and nothing is written. Ids are
never reused (migration 0003), so "#14" is always the record the change made.

Each kind of change is reversed by the service that does the
opposite: a create by a delete, an update by an update back to the audit
entry's ``before`` values (refused if the record changed since), a delete by
adding the record again (with its old id, unless another record has taken
it), a merge by ``unmerge_speakers``,
a verdict by taking it back (``delete_review``; the audit log keeps it).
The whole undo is one unit of work: all of it is saved, or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import ConflictError, NotFoundError, TrackerError, ValidationError
from tracker.services import claims, quotes, review_queue, sources
from tracker.services.merges import merge_speakers, unmerge_speakers
from tracker.services.records import AuditRecord

VERBS = {"create": "added", "update": "edited", "delete": "deleted", "merge": "merged"}
# The fields each service edits, as the audit snapshots name them (a claim's
# due date is "due" to update_claim and "due_on" in its snapshot).
QUOTE_FIELDS = tuple(sorted(quotes.FIELDS))
SOURCE_FIELDS = tuple(sorted(sources.FIELDS))
CLAIM_FIELDS = tuple(sorted((claims.FIELDS - {"due"}) | {"due_on"}))
SPEAKER_FIELDS = ("name", "kind", "wikidata_qid", "notes", "party", "region")


class UndoError(TrackerError):
    """The last change cannot be undone (the message says why)."""


@dataclass(frozen=True)
class UndoPlan:
    """The last change by an actor: every audit entry of one unit of work."""

    change_id: str
    entries: tuple[AuditRecord, ...]  # oldest first

    @property
    def main(self) -> AuditRecord:
        for entry in self.entries:
            if entry.action in ("merge", "unmerge") or entry.entity == "import":
                return entry
        return self.entries[0]

    def describe(self) -> str:
        main = self.main
        verb = VERBS.get(main.action, main.action)
        entity = main.entity
        if entity == "review":
            entity = "verdict"
            verb = {"create": "recorded", "delete": "took back"}.get(main.action, verb)
        summary = f": {main.summary}" if main.summary else ""
        if entity == "import":
            return main.summary or f"import #{main.entity_id}"
        return f"{verb} {entity} #{main.entity_id}{summary}"


@dataclass(frozen=True)
class UndoResult:
    message: str
    entities: frozenset[str]  # which kinds of record changed (for refreshing lists)


def last_change(db: Database, actor: str | None = None, scan: int = 200) -> UndoPlan | None:
    """The newest change made by ``actor`` (the database's actor by default)."""
    who = actor or db.actor
    entries = [e for e in svc.list_changes(db, limit=scan) if e.actor == who]
    if not entries:
        return None
    change_id = entries[0].change_id
    # All of the change, however many entries it has (an import can have thousands).
    group = sorted(svc.change_entries(db, change_id), key=lambda e: e.id)
    return UndoPlan(change_id, tuple(group))


def undo(db: Database, plan: UndoPlan) -> UndoResult:
    """Reverse the change in ``plan`` in one unit of work (all of it or
    nothing); raises :class:`UndoError` if it cannot be."""
    with db.unit_of_work():
        return _undo(db, plan)


def _undo(db: Database, plan: UndoPlan) -> UndoResult:
    from tracker.services.transfer import undoing

    _refuse_if_changed_since(db, plan)
    entries = plan.entries
    if undoing.is_import(entries):
        message = undoing.undo_import(
            db,
            plan.change_id,
            entries,
            reverse_all,
            lambda why: UndoError(f"cannot undo ({plan.describe()}): {why}; nothing was changed"),
        )
        return UndoResult(message, frozenset({"speaker", "source", "quote", "claim"}))
    verdict = next((e for e in entries if e.entity == "review"), None)
    if verdict is not None:
        return _undo_verdict(db, entries, verdict)
    merge = next((e for e in entries if e.action == "merge"), None)
    if merge is not None:
        keep, other = unmerge_speakers(db, merge.entity_id)
        return UndoResult(
            f"undid the merge: {other.name} (#{other.id}) is separate again",
            frozenset({"speaker", "quote", "claim"}),
        )
    unmerge = next((e for e in entries if e.action == "unmerge"), None)
    if unmerge is not None:
        restored = next(e for e in entries if e.action == "create")
        kept = merge_speakers(db, unmerge.entity_id, restored.entity_id)
        return UndoResult(
            f"merged #{restored.entity_id} into {kept.name} again",
            frozenset({"speaker", "quote", "claim"}),
        )
    messages = reverse_all(db, entries)
    return UndoResult("; ".join(messages), frozenset(e.entity for e in entries))


def reverse_all(db: Database, entries: Sequence[AuditRecord]) -> list[str]:
    """Reverse ``entries``, newest first. A record changed twice in the
    change (an import giving a speaker a role, then a party) is checked
    against its version once, at its newest entry (``_refuse_if_changed_since``
    did that); its older entries then follow the first reversal."""
    messages: list[str] = []
    seen: set[tuple[str, int]] = set()
    for entry in reversed(entries):
        record = (entry.entity, entry.entity_id)
        messages.append(_reverse(db, entry, check_version=record not in seen))
        seen.add(record)
    return messages


# Records with a version counter, and how to read one (an update of any
# kind, a merge's bulk move included, moves the version on).
_VERSIONED: dict[str, Callable[[Database, int], Any]] = {
    "quote": svc.get_quote,
    "claim": svc.get_claim,
    "source": svc.get_source,
    "speaker": svc.get_speaker,
    review_queue.ENTITY: review_queue.get_item,
}


def _refuse_if_changed_since(db: Database, plan: UndoPlan) -> None:
    """Raise UndoError unless every record the change touched is as it left it."""
    last: dict[tuple[str, int], AuditRecord] = {}
    for entry in plan.entries:
        last[(entry.entity, entry.entity_id)] = entry
    later = [
        e for e in svc.changes_since(db, plan.entries[-1].id, last) if e.change_id != plan.change_id
    ]
    if later:
        first = later[0]
        verb = VERBS.get(first.action, first.action + "d")
        raise UndoError(
            f"cannot undo ({plan.describe()}): {_name(first.entity)} #{first.entity_id} has "
            f"changed since ({verb} by {first.actor} at {first.at:%Y-%m-%d %H:%M} UTC); "
            "nothing was changed"
        )
    for (entity, ident), entry in last.items():
        read = _VERSIONED.get(entity)
        version = (entry.after or {}).get("version")
        if read is None or entry.action not in ("create", "update") or not isinstance(version, int):
            continue
        try:
            current = read(db, ident)
        except NotFoundError:
            raise UndoError(
                f"cannot undo ({plan.describe()}): {entity} #{ident} no longer exists; "
                "nothing was changed"
            ) from None
        if current.version != version:
            raise UndoError(
                f"cannot undo ({plan.describe()}): {entity} #{ident} has changed since "
                "(by a merge or another program); nothing was changed"
            )


def _name(entity: str) -> str:
    return "verdict" if entity == "review" else entity


def _undo_verdict(
    db: Database, entries: tuple[AuditRecord, ...], verdict: AuditRecord
) -> UndoResult:
    """A verdict recorded is taken back; one taken back is recorded again.
    Refused if the claim changed since (its version moved on)."""
    claim = next((e for e in entries if e.entity == "claim" and e.action == "update"), None)
    if claim is None:
        raise UndoError(f"cannot undo a {verdict.action} of a verdict on its own")
    version = (claim.after or {}).get("version")
    expected = version if isinstance(version, int) else None
    current = svc.get_claim(db, claim.entity_id)
    if expected is not None and current.version != expected:
        raise UndoError(
            f"claim #{claim.entity_id} has changed since that verdict; "
            "undo the later changes first, or record a new verdict"
        )
    if verdict.action == "create":
        svc.delete_review(db, verdict.entity_id, expected_version=expected)
        return UndoResult(
            f"took back the verdict on claim #{claim.entity_id}", frozenset({"claim"})
        )
    if verdict.action == "delete":
        _readd_review(db, claim.entity_id, verdict.before or {})
        return UndoResult(
            f"recorded the verdict on claim #{claim.entity_id} again", frozenset({"claim"})
        )
    raise UndoError(f"cannot undo a {verdict.action} of a verdict")


def _readd_review(db: Database, claim_id: int, review: dict[str, Any]) -> None:
    when = dt.datetime.fromisoformat(str(review["reviewed_at"]).replace("Z", "+00:00"))
    svc.add_review(
        db,
        claim_id,
        rating=review["rating"],
        scale=review.get("scale"),
        rationale=review.get("rationale"),
        reviewer=review.get("reviewer"),
        reviewed_at=when if when.tzinfo else when.replace(tzinfo=dt.UTC),
        evidence=review.get("evidence") or (),
    )


def _reverse(db: Database, entry: AuditRecord, check_version: bool = True) -> str:
    if entry.action == "update":
        return _undo_update(db, entry, check_version)
    handlers: dict[str, Callable[[Database, AuditRecord], str]] = {
        "create": _undo_create,
        "delete": _undo_delete,
    }
    handler = handlers.get(entry.action)
    if handler is None:
        raise UndoError(f"cannot undo a {entry.action} of a {entry.entity}")
    return handler(db, entry)


def _undo_create(db: Database, entry: AuditRecord) -> str:
    deleters: dict[str, Callable[[Database, int], None]] = {
        "quote": svc.delete_quote,
        "claim": svc.delete_claim,
        "source": svc.delete_source,
        "speaker": svc.delete_speaker,
        review_queue.ENTITY: review_queue.delete_item,  # an ingest's queue
    }
    delete = deleters.get(entry.entity)
    if delete is None:
        raise UndoError(f"cannot undo adding a {entry.entity}")
    delete(db, entry.entity_id)
    return f"removed the {entry.entity} #{entry.entity_id} that was added"


def _changed(
    before: dict[str, Any], after: dict[str, Any], names: tuple[str, ...]
) -> dict[str, Any]:
    return {n: before.get(n) for n in names if n in before and before.get(n) != after.get(n)}


def _undo_update(db: Database, entry: AuditRecord, check_version: bool = True) -> str:
    before, after = entry.before or {}, entry.after or {}
    version = after.get("version")
    expected = int(version) if isinstance(version, int) and check_version else None
    ident = entry.entity_id
    if entry.entity == "quote":
        svc.update_quote(
            db, ident, expected_version=expected, **_changed(before, after, QUOTE_FIELDS)
        )
    elif entry.entity == "claim":
        fields = _changed(before, after, CLAIM_FIELDS)
        if "due_on" in fields:
            fields["due"] = fields.pop("due_on")
        svc.update_claim(db, ident, expected_version=expected, **fields)
    elif entry.entity == "source":
        svc.update_source(
            db, ident, expected_version=expected, **_changed(before, after, SOURCE_FIELDS)
        )
    elif entry.entity == "speaker":
        _undo_speaker_update(db, ident, before, after, expected)
    elif entry.entity == review_queue.ENTITY:  # an accept, reject or skip
        review_queue.restore_item(db, ident, before, expected)
    else:
        raise UndoError(f"cannot undo editing a {entry.entity}")
    return f"put {entry.entity} #{ident} back as it was"


def _undo_speaker_update(
    db: Database, ident: int, before: dict[str, Any], after: dict[str, Any], expected: int | None
) -> None:
    if expected is not None and svc.get_speaker(db, ident).version != expected:
        raise UndoError(
            f"speaker #{ident} has changed since; undo the later changes first, or edit it by hand"
        )
    old_roles = {int(r["id"]): r for r in before.get("roles", [])}
    new_roles = {int(r["id"]): r for r in after.get("roles", [])}
    added, removed = new_roles.keys() - old_roles.keys(), old_roles.keys() - new_roles.keys()
    fields = _changed(before, after, SPEAKER_FIELDS)
    if fields:
        svc.update_speaker(db, ident, **fields)
    for role_id in sorted(added):  # its role references go with it
        svc.remove_role(db, ident, role_id)
    old = {a["text"]: a for a in before.get("aliases", [])}
    new = {a["text"]: a for a in after.get("aliases", [])}
    for role_id in sorted(removed):  # back with a new id, and its references
        role = old_roles[role_id]
        references = tuple(t for t, a in old.items() if a.get("role_id") == role_id)
        svc.add_role(
            db,
            ident,
            svc.RoleInput(
                role["title"],
                role.get("organisation"),
                role.get("start"),
                role.get("end"),
                references,
            ),
        )
    for text in new.keys() - old.keys():
        if new[text].get("role_id") not in added:
            svc.remove_alias(db, ident, text)
    for text in old.keys() - new.keys():
        alias = old[text]
        if alias.get("role_id") not in removed:
            svc.add_alias(db, ident, text, alias.get("kind", "name"), alias.get("role_id"))


def _undo_delete(db: Database, entry: AuditRecord) -> str:
    before = entry.before or {}
    readd: dict[str, Callable[[Database, dict[str, Any], int | None], int]] = {
        "quote": _readd_quote,
        "claim": _readd_claim,
        "source": _readd_source,
        "speaker": _readd_speaker,
        review_queue.ENTITY: review_queue.readd_item,
    }
    add = readd.get(entry.entity)
    if add is None:
        raise UndoError(f"cannot undo deleting a {entry.entity}")
    try:
        add(db, before, entry.entity_id)
    except ConflictError:  # its id is taken now; that attempt was rolled back alone
        new_id = add(db, before, None)
        return f"restored the deleted {entry.entity} #{entry.entity_id} as #{new_id}"
    return f"restored the deleted {entry.entity} #{entry.entity_id}"


def _readd_source(db: Database, before: dict[str, Any], keep_id: int | None) -> int:
    fields: dict[str, Any] = {k: before.get(k) for k in SOURCE_FIELDS if k != "title"}
    fields["authors"] = fields.get("authors") or ()
    return svc.add_source(db, before["title"], keep_id=keep_id, **fields).id


def _readd_quote(db: Database, before: dict[str, Any], keep_id: int | None) -> int:
    fields: dict[str, Any] = {k: before.get(k) for k in QUOTE_FIELDS if k != "text"}
    fields["tags"] = fields.get("tags") or ()
    record = svc.add_quote(db, before["text"], keep_id=keep_id, **fields)
    for claim_id in before.get("claim_ids", []):
        try:
            claim = svc.get_claim(db, claim_id)
        except ValidationError:
            continue  # the claim has gone too
        svc.update_claim(
            db,
            claim_id,
            expected_version=claim.version,
            quote_ids=[*claim.quote_ids, record.id],
        )
    return record.id


def _readd_claim(db: Database, before: dict[str, Any], keep_id: int | None) -> int:
    record = svc.add_claim(
        db,
        before["text"],
        kind=before.get("kind") or "fact",
        claimant_id=before.get("claimant_id"),
        quote_ids=before.get("quote_ids") or (),
        said_on=before.get("said_on"),
        due=before.get("due_on"),
        tags=before.get("tags") or (),
        notes=before.get("notes"),
        keep_id=keep_id,
    )
    for review in before.get("reviews", []):
        _readd_review(db, record.id, review)
    return record.id


def _readd_speaker(db: Database, before: dict[str, Any], keep_id: int | None) -> int:
    references: dict[int, list[str]] = {}
    aliases: list[tuple[str, str]] = []
    for alias in before.get("aliases", []):
        if alias.get("kind") == "role" and alias.get("role_id") is not None:
            references.setdefault(int(alias["role_id"]), []).append(alias["text"])
        else:
            aliases.append((alias["text"], alias.get("kind") or "name"))
    roles = [
        svc.RoleInput(
            r["title"],
            r.get("organisation"),
            r.get("start"),
            r.get("end"),
            tuple(references.get(int(r["id"]), ())),
        )
        for r in before.get("roles", [])
    ]
    return svc.add_speaker(
        db,
        before["name"],
        kind=before.get("kind") or "person",
        aliases=aliases,
        roles=roles,
        wikidata_qid=before.get("wikidata_qid"),
        notes=before.get("notes"),
        party=before.get("party"),
        region=before.get("region"),
        keep_id=keep_id,
    ).id

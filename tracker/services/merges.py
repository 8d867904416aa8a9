"""Merging speakers who are one person, undoing a merge, and splitting a
wrongly merged alias off into a speaker of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tracker.db import search as fts
from tracker.db.base import utcnow
from tracker.db.database import Database
from tracker.db.models import AuditEntry, Claim, Quote, Speaker, SpeakerAlias, SpeakerRole
from tracker.errors import NotFoundError, ValidationError
from tracker.services.audit import Change
from tracker.services.records import SpeakerRecord
from tracker.services.speakers import (
    load,
    speaker_snapshot,
    to_record,
)
from tracker.services.validation import clean_id, clean_name


@dataclass(frozen=True)
class MergePlan:
    """What a merge will move, for a confirmation prompt."""

    keep: SpeakerRecord
    other: SpeakerRecord
    quote_ids: tuple[int, ...]
    claim_ids: tuple[int, ...]
    aliases: tuple[str, ...]  # aliases that move (the other's name among them)
    roles: tuple[str, ...]


def plan_merge(db: Database, keep_id: int, other_id: int) -> MergePlan:
    keep_id, other_id = _ids(keep_id, other_id)
    with db.reading() as session:
        keep, other = load(session, keep_id), load(session, other_id)
        quotes = tuple(
            session.scalars(select(Quote.id).where(Quote.speaker_id == other.id).order_by(Quote.id))
        )
        claims = tuple(
            session.scalars(
                select(Claim.id).where(Claim.claimant_id == other.id).order_by(Claim.id)
            )
        )
        existing = {keep.name, *(a.text for a in keep.aliases)}
        moving = tuple(
            t for t in (other.name, *(a.text for a in other.aliases)) if t not in existing
        )
        return MergePlan(
            to_record(keep),
            to_record(other),
            quotes,
            claims,
            moving,
            tuple(r.title for r in other.roles),
        )


def _ids(keep_id: int, other_id: int) -> tuple[int, int]:
    keep_id, other_id = clean_id(keep_id, "speaker to keep"), clean_id(other_id, "speaker to merge")
    if keep_id == other_id:
        raise ValidationError("cannot merge a speaker into itself")
    return keep_id, other_id


def merge_speakers(db: Database, keep_id: int, other_id: int) -> SpeakerRecord:
    """Merge ``other`` into ``keep``: quotes, claims, aliases and roles move;
    the other's name becomes an alias; the other speaker is deleted. The
    audit entry records what moved, so :func:`unmerge_speakers` can undo it."""
    keep_id, other_id = _ids(keep_id, other_id)
    with db.unit_of_work() as session:
        keep, other = load(session, keep_id), load(session, other_id)
        before_keep, before_other = speaker_snapshot(keep), speaker_snapshot(other)
        quote_ids = list(session.scalars(select(Quote.id).where(Quote.speaker_id == other.id)))
        claim_ids = list(session.scalars(select(Claim.id).where(Claim.claimant_id == other.id)))
        role_ids = [r.id for r in other.roles]
        keep_texts = {keep.name, *(a.text for a in keep.aliases)}
        moved_alias_ids: list[int] = []
        dropped: list[dict[str, Any]] = []
        for alias in other.aliases:
            # An alias the kept speaker already has is dropped (an alias is
            # unique per speaker), also a role reference tied to a role of
            # the other's: the role itself still moves and still matches by
            # its title and organisation. Unmerge puts dropped aliases back.
            if alias.text in keep_texts:
                dropped.append({"text": alias.text, "kind": alias.kind, "role_id": alias.role_id})
            else:
                moved_alias_ids.append(alias.id)
        if dropped:
            session.execute(
                delete(SpeakerAlias).where(
                    SpeakerAlias.speaker_id == other.id,
                    SpeakerAlias.id.not_in(moved_alias_ids or [0]),
                )
            )
        if moved_alias_ids:
            session.execute(
                update(SpeakerAlias)
                .where(SpeakerAlias.id.in_(moved_alias_ids))
                .values(speaker_id=keep.id)
            )
        if role_ids:
            session.execute(
                update(SpeakerRole).where(SpeakerRole.id.in_(role_ids)).values(speaker_id=keep.id)
            )
        session.execute(
            update(Quote)
            .where(Quote.speaker_id == other.id)
            .values(speaker_id=keep.id, version=Quote.version + 1)
        )
        session.execute(
            update(Claim)
            .where(Claim.claimant_id == other.id)
            .values(claimant_id=keep.id, version=Claim.version + 1)
        )
        added_alias_id: int | None = None
        if other.name not in keep_texts and other.name not in {
            a.text for a in other.aliases if a.id in moved_alias_ids
        }:
            name_alias = SpeakerAlias(speaker_id=keep.id, text=other.name, kind="name")
            session.add(name_alias)
            session.flush()
            added_alias_id = name_alias.id
        session.execute(delete(Speaker).where(Speaker.id == other.id))
        session.expire_all()
        keep = load(session, keep_id)
        change = Change(session, db.actor)
        change.record(
            "merge",
            "speaker",
            keep.id,
            {"keep": before_keep, "other": before_other},
            {
                "keep": speaker_snapshot(keep),
                "moved": {
                    "other_id": other_id,
                    "quote_ids": quote_ids,
                    "claim_ids": claim_ids,
                    "role_ids": role_ids,
                    "alias_ids": moved_alias_ids,
                    "added_alias_id": added_alias_id,
                    "dropped_aliases": dropped,
                },
            },
            f"merged {before_other['name']} (#{other_id}) into {keep.name} (#{keep.id})",
        )
        change.record("delete", "speaker", other_id, before_other, None, f"merged into #{keep.id}")
        fts.reindex(session, "speaker", [keep_id, other_id])
        record = to_record(keep)
    return record


def unmerge_speakers(db: Database, keep_id: int) -> tuple[SpeakerRecord, SpeakerRecord]:
    """Undo the latest merge into ``keep_id``: the merged-away speaker comes
    back with its id, name, aliases, roles, quotes and claims."""
    keep_id = clean_id(keep_id, "speaker id")
    with db.unit_of_work() as session:
        entry, merged_before = _latest_open_merge(session, keep_id)
        if entry is None or entry.after is None or entry.before is None:
            if merged_before:
                raise NotFoundError(f"every merge into speaker {keep_id} has been undone already")
            raise NotFoundError(f"speaker {keep_id} has no merge to undo")
        moved = entry.after["moved"]
        other_snap = entry.before["other"]
        other_id = int(moved["other_id"])
        if session.get(Speaker, other_id) is not None:
            raise ValidationError(f"that merge was undone already (speaker {other_id} exists)")
        keep = load(session, keep_id)
        before_keep = speaker_snapshot(keep)
        session.add(
            Speaker(
                id=other_id,
                name=other_snap["name"],
                kind=other_snap["kind"],
                wikidata_qid=other_snap.get("wikidata_qid"),
                notes=other_snap.get("notes"),
                created_at=_timestamp(other_snap.get("created_at")),
            )
        )
        session.flush()
        if moved["role_ids"]:
            session.execute(
                update(SpeakerRole)
                .where(SpeakerRole.id.in_(moved["role_ids"]), SpeakerRole.speaker_id == keep_id)
                .values(speaker_id=other_id)
            )
        if moved["alias_ids"]:
            session.execute(
                update(SpeakerAlias)
                .where(SpeakerAlias.id.in_(moved["alias_ids"]), SpeakerAlias.speaker_id == keep_id)
                .values(speaker_id=other_id)
            )
        if moved["added_alias_id"] is not None:
            session.execute(delete(SpeakerAlias).where(SpeakerAlias.id == moved["added_alias_id"]))
        for alias in moved["dropped_aliases"]:
            session.add(
                SpeakerAlias(
                    speaker_id=other_id,
                    text=alias["text"],
                    kind=alias["kind"],
                    role_id=alias["role_id"],
                )
            )
        if moved["quote_ids"]:
            session.execute(
                update(Quote)
                .where(Quote.id.in_(moved["quote_ids"]), Quote.speaker_id == keep_id)
                .values(speaker_id=other_id, version=Quote.version + 1)
            )
        if moved["claim_ids"]:
            session.execute(
                update(Claim)
                .where(Claim.id.in_(moved["claim_ids"]), Claim.claimant_id == keep_id)
                .values(claimant_id=other_id, version=Claim.version + 1)
            )
        session.flush()
        session.expire_all()
        keep, other = load(session, keep_id), load(session, other_id)
        change = Change(session, db.actor)
        change.record(
            "unmerge",
            "speaker",
            keep.id,
            before_keep,
            {**speaker_snapshot(keep), "undoes_merge": entry.id},
            f"undid merge of {other.name} (#{other.id}) into {keep.name}",
        )
        change.record(
            "create", "speaker", other.id, None, speaker_snapshot(other), "restored by unmerge"
        )
        fts.reindex(session, "speaker", [keep_id, other_id])
        result = (to_record(keep), to_record(other))
    return result


def _timestamp(value: object) -> dt.datetime:
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    return utcnow()


def _latest_open_merge(session: Session, keep_id: int) -> tuple[AuditEntry | None, bool]:
    """The newest merge into ``keep_id`` that no unmerge has undone yet, and
    whether there was any merge at all."""
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity == "speaker",
            AuditEntry.entity_id == keep_id,
            AuditEntry.action.in_(("merge", "unmerge")),
        )
        .order_by(AuditEntry.id.desc())
    )
    undone: set[int] = set()
    for entry in entries:
        if entry.action == "unmerge" and entry.after:
            undone.add(int(entry.after.get("undoes_merge", 0)))
        elif entry.action == "merge" and entry.id not in undone:
            return entry, True
    return None, bool(undone)


def split_alias(
    db: Database, speaker_id: int, alias_text: str, quote_ids: Iterable[int] = ()
) -> SpeakerRecord:
    """Make a wrongly merged alias a speaker of its own, moving the given quotes."""
    text = clean_name(alias_text, "alias")
    with db.unit_of_work() as session:
        speaker = load(session, speaker_id)
        alias = next((a for a in speaker.aliases if a.text == text), None)
        if alias is None:
            raise NotFoundError(f"{speaker.name} has no alias {text!r}", "alias")
        before = speaker_snapshot(speaker)
        speaker.aliases.remove(alias)
        new = Speaker(name=text, kind=speaker.kind)
        session.add(new)
        session.flush()
        ids = [clean_id(q, "quote id") for q in quote_ids]
        if ids:
            owned = set(
                session.scalars(
                    select(Quote.id).where(Quote.id.in_(ids), Quote.speaker_id == speaker.id)
                )
            )
            missing = sorted(set(ids) - owned)
            if missing:
                raise ValidationError(
                    f"quote(s) {', '.join(map(str, missing))} are not {speaker.name}'s"
                )
            session.execute(
                update(Quote)
                .where(Quote.id.in_(ids))
                .values(speaker_id=new.id, version=Quote.version + 1)
            )
        change = Change(session, db.actor)
        change.record(
            "update", "speaker", speaker.id, before, speaker_snapshot(speaker), f"split off {text}"
        )
        change.record(
            "create",
            "speaker",
            new.id,
            None,
            speaker_snapshot(new),
            f"split from {speaker.name} (#{speaker.id})",
        )
        record = to_record(new)
    return record

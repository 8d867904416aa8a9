"""Speakers: people and organisations, their aliases and roles over time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.db.database import Database
from tracker.db.models import Claim, Quote, Speaker, SpeakerAlias, SpeakerRole
from tracker.errors import NotFoundError, ValidationError
from tracker.services.audit import Change, reuse_id, snapshot
from tracker.services.paging import keyset_page
from tracker.services.records import AliasRecord, Page, RoleRecord, SpeakerRecord
from tracker.services.validation import (
    check_version,
    clean_choice,
    clean_date,
    clean_id,
    clean_name,
    clean_short,
    clean_text,
)
from tracker.vocab import ALIAS_KINDS, SPEAKER_KINDS


@dataclass(frozen=True)
class RoleInput:
    """A role to record: title, organisation, from, to (dates as ISO text or dates)."""

    title: str
    organisation: str | None = None
    start: str | dt.date | None = None
    end: str | dt.date | None = None
    references: tuple[str, ...] = ()  # phrases that name this role: "the U.S. president"


def parse_role(spec: str) -> RoleInput:
    """Parse ``TITLE;ORGANISATION;FROM;TO`` (trailing parts optional), the CLI form."""
    parts = [p.strip() for p in spec.split(";")]
    if len(parts) > 4 or not parts[0]:
        raise ValidationError(
            f"role {spec!r} must be TITLE;ORGANISATION;FROM;TO (organisation and dates optional)",
            "role",
        )
    parts += [""] * (4 - len(parts))
    return RoleInput(parts[0], parts[1] or None, parts[2] or None, parts[3] or None)


def _alias_spec(alias: str | tuple[str, str]) -> tuple[str, str]:
    if isinstance(alias, tuple):
        return alias
    return alias, "name"


def load(session: Session, speaker_id: int) -> Speaker:
    speaker = session.get(
        Speaker,
        clean_id(speaker_id, "speaker id"),
        options=[selectinload(Speaker.aliases), selectinload(Speaker.roles)],
    )
    if speaker is None:
        raise NotFoundError(f"there is no speaker with id {speaker_id}", "speaker")
    return speaker


def speaker_snapshot(speaker: Speaker) -> dict[str, Any]:
    return snapshot(
        speaker,
        aliases=[{"text": a.text, "kind": a.kind, "role_id": a.role_id} for a in speaker.aliases],
        roles=[
            {
                "id": r.id,
                "title": r.title,
                "organisation": r.organisation,
                "start": r.start_date,
                "end": r.end_date,
            }
            for r in speaker.roles
        ],
    )


def to_record(speaker: Speaker, quote_count: int = 0, claim_count: int = 0) -> SpeakerRecord:
    return SpeakerRecord(
        id=speaker.id,
        name=speaker.name,
        kind=speaker.kind,
        wikidata_qid=speaker.wikidata_qid,
        notes=speaker.notes,
        aliases=tuple(AliasRecord(a.id, a.text, a.kind, a.role_id) for a in speaker.aliases),
        roles=tuple(
            RoleRecord(r.id, r.title, r.organisation, r.start_date, r.end_date)
            for r in speaker.roles
        ),
        version=speaker.version,
        quote_count=quote_count,
        claim_count=claim_count,
        party=speaker.party,
        region=speaker.region,
    )


def _add_alias_obj(speaker: Speaker, text: str, kind: str) -> SpeakerAlias | None:
    clean = clean_name(text, "alias")
    assert clean is not None
    kind = clean_choice(kind, "alias kind", ALIAS_KINDS, default="name")
    if clean == speaker.name or any(a.text == clean for a in speaker.aliases):
        return None
    alias = SpeakerAlias(text=clean, kind=kind)
    speaker.aliases.append(alias)
    return alias


def _add_role_obj(session: Session, speaker: Speaker, role: RoleInput) -> SpeakerRole:
    title = clean_name(role.title, "role title")
    organisation = clean_name(role.organisation, "role organisation", required=False)
    start = clean_date(role.start, "role start")
    end = clean_date(role.end, "role end")
    if start and end and end < start:
        raise ValidationError(f"role {title!r} ends ({end}) before it starts ({start})", "role")
    assert title is not None
    obj = SpeakerRole(title=title, organisation=organisation, start_date=start, end_date=end)
    speaker.roles.append(obj)
    session.flush()
    for ref in role.references:
        clean = clean_name(ref, "role reference")
        assert clean is not None
        if not any(a.text == clean and a.role_id == obj.id for a in speaker.aliases):
            speaker.aliases.append(SpeakerAlias(text=clean, kind="role", role_id=obj.id))
    return obj


def _check_qid(qid: str | None) -> str | None:
    clean = clean_name(qid, "Wikidata id", required=False)
    if clean is None:
        return None
    clean = clean.upper()
    if not (clean.startswith("Q") and clean[1:].isdigit()):
        raise ValidationError(f"Wikidata id {qid!r} must look like Q6279", "wikidata_qid")
    return clean


def add_speaker(
    db: Database,
    name: str,
    *,
    kind: str = "person",
    aliases: Iterable[str | tuple[str, str]] = (),
    roles: Iterable[RoleInput] = (),
    wikidata_qid: str | None = None,
    notes: str | None = None,
    party: str | None = None,
    region: str | None = None,
    keep_id: int | None = None,
) -> SpeakerRecord:
    """Create a speaker with aliases (text, or (text, kind)) and roles.

    ``keep_id`` gives a deleted speaker back its id (undo)."""
    clean = clean_name(name, "name")
    assert clean is not None
    kind = clean_choice(kind, "speaker kind", SPEAKER_KINDS, default="person")
    qid = _check_qid(wikidata_qid)
    with db.unit_of_work() as session:
        if qid and session.scalar(select(Speaker.id).where(Speaker.wikidata_qid == qid)):
            raise ValidationError(
                f"a speaker with Wikidata id {qid} exists already", "wikidata_qid"
            )
        speaker = Speaker(
            id=reuse_id(session, Speaker, keep_id, "speaker"),
            name=clean,
            kind=kind,
            wikidata_qid=qid,
            notes=clean_text(notes, "notes", required=False),
            party=clean_short(party, "party"),
            region=clean_short(region, "region"),
        )
        session.add(speaker)
        for alias in aliases:
            _add_alias_obj(speaker, *_alias_spec(alias))
        session.flush()
        for role in roles:
            _add_role_obj(session, speaker, role)
        session.flush()
        Change(session, db.actor).record(
            "create", "speaker", speaker.id, None, speaker_snapshot(speaker), clean
        )
        record = to_record(speaker)
    return record


def update_speaker(
    db: Database, speaker_id: int, /, *, expected_version: int | None = None, **fields: Any
) -> SpeakerRecord:
    """Change name, kind, wikidata_qid, notes, party or region."""
    allowed = {"name", "kind", "wikidata_qid", "notes", "party", "region"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"cannot change {', '.join(sorted(unknown))} of a speaker")

    def change(session: Session, speaker: Speaker) -> str:
        check_version(speaker.version, expected_version, "speaker", speaker.id)
        if "name" in fields:
            speaker.name = clean_name(fields["name"], "name") or speaker.name
        if "kind" in fields:
            speaker.kind = clean_choice(fields["kind"], "speaker kind", SPEAKER_KINDS)
        if "wikidata_qid" in fields:
            qid = _check_qid(fields["wikidata_qid"])
            holder = (
                session.scalar(
                    select(Speaker).where(Speaker.wikidata_qid == qid, Speaker.id != speaker.id)
                )
                if qid
                else None
            )
            if holder is not None:
                raise ValidationError(
                    f"Wikidata id {qid} exists already: speaker {holder.id} ({holder.name}) has it; "
                    "merge the two speakers if they are one",
                    "wikidata_qid",
                )
            speaker.wikidata_qid = qid
        if "notes" in fields:
            speaker.notes = clean_text(fields["notes"], "notes", required=False)
        for field in ("party", "region"):
            if field in fields:
                setattr(speaker, field, clean_short(fields[field], field))
        return speaker.name

    return _edit_speaker(db, speaker_id, change)


def _edit_speaker(
    db: Database, speaker_id: int, change: Callable[[Session, Speaker], str]
) -> SpeakerRecord:
    """One audited edit of a speaker: ``change`` mutates it and returns the
    audit summary; the matching index is refreshed after the commit."""
    with db.unit_of_work() as session:
        speaker = load(session, speaker_id)
        before = speaker_snapshot(speaker)
        summary = change(session, speaker)
        session.flush()
        Change(session, db.actor).record(
            "update", "speaker", speaker.id, before, speaker_snapshot(speaker), summary
        )
        record = to_record(speaker)
    return record


def delete_speaker(db: Database, speaker_id: int) -> None:
    """Delete a speaker who has no quotes or claims (merge them instead)."""
    with db.unit_of_work() as session:
        speaker = load(session, speaker_id)
        quotes = session.scalar(select(func.count()).where(Quote.speaker_id == speaker.id)) or 0
        claims = session.scalar(select(func.count()).where(Claim.claimant_id == speaker.id)) or 0
        if quotes or claims:
            raise ValidationError(
                f"speaker {speaker.id} ({speaker.name}) has {quotes} quote(s) and {claims} claim(s); "
                "merge the speaker into another one or delete those first"
            )
        Change(session, db.actor).record(
            "delete", "speaker", speaker.id, speaker_snapshot(speaker), None, speaker.name
        )
        session.delete(speaker)


def edit_speaker(
    db: Database,
    speaker_id: int,
    /,
    *,
    expected_version: int | None = None,
    aliases: Iterable[str] | None = None,
    new_roles: Iterable[RoleInput] = (),
    **fields: Any,
) -> SpeakerRecord:
    """Change a speaker as a person does in a form, as one change: the
    fields given (name, kind, wikidata_qid, notes, party, region) where they differ, the
    plain aliases set to exactly ``aliases`` (role references are kept), and
    ``new_roles`` added. All of it is saved, or nothing; one undo reverses it.
    ``expected_version`` refuses the edit if someone changed the speaker
    since it was read."""
    with db.unit_of_work():
        current = get_speaker(db, speaker_id)
        check_version(current.version, expected_version, "speaker", current.id)
        changed = {k: v for k, v in fields.items() if v != getattr(current, k, object())}
        record = current
        if changed:
            record = update_speaker(db, speaker_id, expected_version=current.version, **changed)
        if aliases is not None:
            wanted = [a.strip() for a in aliases if a.strip()]
            old = {a.text for a in current.aliases if a.kind != "role"}
            for text in sorted(old - set(wanted)):
                record = remove_alias(db, speaker_id, text)
            for text in dict.fromkeys(a for a in wanted if a not in old):
                record = add_alias(db, speaker_id, text)
        for role in new_roles:
            record = add_role(db, speaker_id, role)
        return record


def add_alias(
    db: Database, speaker_id: int, text: str, kind: str = "name", role_id: int | None = None
) -> SpeakerRecord:
    """Add an alias; a role reference may name the role (``role_id``) it refers to."""

    def change(_session: Session, speaker: Speaker) -> str:
        role = None
        if role_id is not None:
            role = next((r for r in speaker.roles if r.id == role_id), None)
            if role is None:
                raise NotFoundError(f"speaker {speaker.id} has no role with id {role_id}", "role")
        alias = _add_alias_obj(speaker, text, kind)
        if alias is None:
            raise ValidationError(f"{speaker.name} already has the alias {text.strip()!r}", "alias")
        if role is not None:
            alias.role_id = role.id
        return f"alias added: {alias.text}"

    return _edit_speaker(db, speaker_id, change)


def remove_alias(db: Database, speaker_id: int, text: str) -> SpeakerRecord:
    def change(_session: Session, speaker: Speaker) -> str:
        alias = next((a for a in speaker.aliases if a.text == text.strip()), None)
        if alias is None:
            raise NotFoundError(f"{speaker.name} has no alias {text.strip()!r}", "alias")
        speaker.aliases.remove(alias)
        return f"alias removed: {alias.text}"

    return _edit_speaker(db, speaker_id, change)


def add_role(db: Database, speaker_id: int, role: RoleInput) -> SpeakerRecord:
    def change(session: Session, speaker: Speaker) -> str:
        return f"role added: {_add_role_obj(session, speaker, role).title}"

    return _edit_speaker(db, speaker_id, change)


def remove_role(db: Database, speaker_id: int, role_id: int) -> SpeakerRecord:
    """Remove a role and the role references tied to it."""

    def change(_session: Session, speaker: Speaker) -> str:
        role = next((r for r in speaker.roles if r.id == role_id), None)
        if role is None:
            raise NotFoundError(f"speaker {speaker.id} has no role with id {role_id}", "role")
        for alias in [a for a in speaker.aliases if a.role_id == role.id]:
            speaker.aliases.remove(alias)
        speaker.roles.remove(role)
        return f"role removed: {role.title}"

    return _edit_speaker(db, speaker_id, change)


def get_speaker(db: Database, speaker_id: int) -> SpeakerRecord:
    with db.reading() as session:
        speaker = load(session, speaker_id)
        quotes = session.scalar(select(func.count()).where(Quote.speaker_id == speaker.id)) or 0
        claims = session.scalar(select(func.count()).where(Claim.claimant_id == speaker.id)) or 0
        return to_record(speaker, quotes, claims)


def list_speakers(
    db: Database, text: str | None = None, *, after: int | None = None, limit: int = 50
) -> Page[SpeakerRecord]:
    """Speakers by name (keyset-paged by id, newest first), optionally
    filtered by full-text search over names and aliases."""
    limit = max(1, min(limit, 1000))
    with db.reading() as session:
        stmt = select(Speaker).options(selectinload(Speaker.aliases), selectinload(Speaker.roles))
        rows, cursor = keyset_page(
            session, stmt, Speaker.id, [], after=after, limit=limit, text=text, kind="speaker"
        )
        counts = _quote_counts(session, [s.id for s in rows])
        items = tuple(to_record(s, counts.get(s.id, 0)) for s in rows)
        return Page(items, cursor)


def _quote_counts(session: Session, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(Quote.speaker_id, func.count())
        .where(Quote.speaker_id.in_(ids))
        .group_by(Quote.speaker_id)
    )
    return {sid: n for sid, n in rows}


def find_by_name(db: Database, name: str) -> list[SpeakerRecord]:
    """Speakers whose name or one of whose aliases is exactly ``name`` (any case)."""
    folded = name.strip().lower()
    with db.reading() as session:
        ids = select(SpeakerAlias.speaker_id).where(func.lower(SpeakerAlias.text) == folded)
        stmt = (
            select(Speaker)
            .options(selectinload(Speaker.aliases), selectinload(Speaker.roles))
            .where(or_(func.lower(Speaker.name) == folded, Speaker.id.in_(ids)))
            .order_by(Speaker.id)
        )
        return [to_record(s) for s in session.scalars(stmt)]

"""Importing tracker's own speaker and source exports, a row at a time
through the services (they are few beside quotes and claims).

A speaker is the one with the row's Wikidata id, else the one with exactly
the row's name and kind; a source the one with the row's url, else its
title and date. Found, the row is *unchanged*; else the record is created
with everything the row says (aliases, roles and which role each role
reference names; authors, the source it reports on).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.database import Database
from tracker.db.models import Source, Speaker
from tracker.errors import ValidationError
from tracker.services import sources, speakers
from tracker.services.transfer import mapping as maps
from tracker.services.transfer.rows import text_of


def import_speaker(db: Database, session: Session, row: dict[str, object]) -> int | None:
    """The new speaker's id, or None when the row's speaker exists already."""
    name = text_of(row.get("name"))
    if name is None:
        raise ValidationError("name is empty", "name")
    kind = text_of(row.get("kind")) or "person"
    qid = text_of(row.get("wikidata_qid"))
    if qid and session.scalar(select(Speaker.id).where(Speaker.wikidata_qid == qid)):
        return None
    if session.scalar(
        select(Speaker.id).where(Speaker.name == name.strip(), Speaker.kind == kind).limit(1)
    ):
        return None
    roles = [_role(r) for r in _objects(row.get("roles"), "roles")]
    references: dict[int, list[str]] = {}
    aliases: list[tuple[str, str]] = []
    for alias in _objects(row.get("aliases"), "aliases"):
        text = str(alias.get("text") or "")
        place = alias.get("role")
        if isinstance(place, int) and 0 <= place < len(roles):
            references.setdefault(place, []).append(text)
        else:
            aliases.append((text, str(alias.get("kind") or "name")))
    record = speakers.add_speaker(
        db,
        name,
        kind=kind,
        aliases=aliases,
        roles=[
            speakers.RoleInput(
                r.title, r.organisation, r.start, r.end, tuple(references.get(i, ()))
            )
            for i, r in enumerate(roles)
        ],
        wikidata_qid=qid,
        notes=text_of(row.get("notes")),
        party=text_of(row.get("party")),
        region=text_of(row.get("region")),
    )
    return record.id


def import_source(db: Database, session: Session, row: dict[str, object]) -> int | None:
    """The new source's id, or None when the row's source exists already."""
    title = text_of(row.get("title"))
    url = text_of(row.get("url"))
    published = text_of(row.get("published"))
    if title is None:
        raise ValidationError("title is empty", "title")
    if find_source(session, url, title, published) is not None:
        return None
    parent_key = text_of(row.get("reports_on"))
    parent = None
    if parent_key is not None:
        parent = find_source(session, parent_key, None, None) or find_source(
            session, None, parent_key, None
        )
        if parent is None:
            raise ValidationError(
                f"reports on {parent_key!r}, which is not in the database: "
                "import the sources it reports on first",
                "reports_on",
            )
    record = sources.add_source(
        db,
        title,
        kind=text_of(row.get("kind")) or "article",
        publisher=text_of(row.get("publisher")),
        authors=[str(a) for a in maps.split_list(row.get("authors"), None)],
        url=url,
        published_on=published,
        accessed_on=text_of(row.get("accessed")),
        reports_on_id=parent,
        notes=text_of(row.get("notes")),
    )
    return record.id


def find_source(
    session: Session, url: str | None, title: str | None, published: str | None
) -> int | None:
    """A source by its url; without one, by its title (and date) among
    sources without a url."""
    if url:
        return session.scalar(
            select(Source.id).where(Source.url == url).order_by(Source.id).limit(1)
        )
    stmt = select(Source.id).where(Source.title == title, Source.url.is_(None))
    if published:
        stmt = stmt.where(Source.published_on == published)
    return session.scalar(stmt.order_by(Source.id).limit(1))


def _objects(value: object, field: str) -> list[dict[str, Any]]:
    items = maps.split_list(value, None)
    if not all(isinstance(i, dict) for i in items):
        raise ValidationError(f"{field} must be a JSON list of objects", field)
    return [i for i in items if isinstance(i, dict)]


def _role(entry: dict[str, Any]) -> speakers.RoleInput:
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValidationError("a role needs a title", "roles")
    return speakers.RoleInput(
        title, entry.get("organisation"), entry.get("start"), entry.get("end")
    )

"""Sources (articles, interviews, transcripts...) and the chains between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.db.database import Database
from tracker.db.models import Quote, Source
from tracker.errors import NotFoundError, ValidationError
from tracker.services.audit import Change, reuse_id, snapshot
from tracker.services.records import Page, SourceRecord
from tracker.services.validation import (
    MAX_SOURCE_TEXT,
    check_version,
    clean_choice,
    clean_date,
    clean_id,
    clean_name,
    clean_partial_date,
    clean_text,
    clean_url,
)
from tracker.vocab import SOURCE_KINDS

FIELDS = {
    "kind",
    "title",
    "publisher",
    "authors",
    "url",
    "published_on",
    "accessed_on",
    "full_text",
    "reports_on_id",
    "notes",
}


def load(session: Session, source_id: int) -> Source:
    source = session.get(Source, clean_id(source_id, "source id"))
    if source is None:
        raise NotFoundError(f"there is no source with id {source_id}", "source")
    return source


def to_record(source: Source, with_text: bool = False, quote_count: int = 0) -> SourceRecord:
    return SourceRecord(
        id=source.id,
        kind=source.kind,
        title=source.title,
        publisher=source.publisher,
        authors=tuple(source.authors or ()),
        url=source.url,
        published_on=source.published_on,
        accessed_on=source.accessed_on,
        reports_on_id=source.reports_on_id,
        notes=source.notes,
        version=source.version,
        has_text=bool(source.full_text),
        full_text=source.full_text if with_text else None,
        quote_count=quote_count,
    )


def _apply(session: Session, source: Source, fields: dict[str, Any]) -> None:
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(f"a source has no field {', '.join(sorted(unknown))}")
    if "kind" in fields:
        source.kind = clean_choice(fields["kind"], "source kind", SOURCE_KINDS, default="article")
    if "title" in fields:
        title = clean_text(fields["title"], "title", max_len=1000, single_line=True)
        assert title is not None
        source.title = title
    if "publisher" in fields:
        source.publisher = clean_name(fields["publisher"], "publisher", required=False)
    if "authors" in fields:
        authors: list[str] = []
        for author in fields["authors"] or ():
            name = clean_name(author, "author")
            if name and name not in authors:
                authors.append(name)
        source.authors = authors
    if "url" in fields:
        source.url = clean_url(fields["url"], "url")
    if "published_on" in fields:
        published = clean_partial_date(fields["published_on"], "published")
        source.published_on = published.iso() if published else None
    if "accessed_on" in fields:
        source.accessed_on = clean_date(fields["accessed_on"], "accessed")
    if "full_text" in fields:
        source.full_text = clean_text(
            fields["full_text"], "full text", required=False, max_len=MAX_SOURCE_TEXT
        )
    if "notes" in fields:
        source.notes = clean_text(fields["notes"], "notes", required=False)
    if "reports_on_id" in fields:
        target = fields["reports_on_id"]
        if target is None:
            source.reports_on_id = None
        else:
            parent = load(session, target)
            if source.id is not None:
                _refuse_cycle(session, source.id, parent)
            source.reports_on_id = parent.id


def _refuse_cycle(session: Session, source_id: int, parent: Source) -> None:
    seen: set[int] = set()
    node: Source | None = parent
    while node is not None:
        if node.id == source_id:
            raise ValidationError(
                f"source {source_id} cannot report on source {parent.id}: that would make a loop",
                "reports_on",
            )
        if node.id in seen:
            break
        seen.add(node.id)
        node = session.get(Source, node.reports_on_id) if node.reports_on_id else None


def add_source(
    db: Database,
    title: str,
    *,
    kind: str = "article",
    publisher: str | None = None,
    authors: Iterable[str] = (),
    url: str | None = None,
    published_on: str | None = None,
    accessed_on: str | dt.date | None = None,
    full_text: str | None = None,
    reports_on_id: int | None = None,
    notes: str | None = None,
    keep_id: int | None = None,
) -> SourceRecord:
    """Record a source; ``reports_on_id`` names the source it reports on.

    ``keep_id`` gives a deleted source back its id (undo)."""
    with db.unit_of_work() as session:
        source = Source(id=reuse_id(session, Source, keep_id, "source"), authors=[])
        _apply(
            session,
            source,
            {
                "kind": kind,
                "title": title,
                "publisher": publisher,
                "authors": list(authors),
                "url": url,
                "published_on": published_on,
                "accessed_on": accessed_on,
                "full_text": full_text,
                "reports_on_id": reports_on_id,
                "notes": notes,
            },
        )
        session.add(source)
        session.flush()
        Change(session, db.actor).record(
            "create", "source", source.id, None, snapshot(source), source.title
        )
        return to_record(source)


def update_source(
    db: Database, source_id: int, /, *, expected_version: int | None = None, **fields: Any
) -> SourceRecord:
    with db.unit_of_work() as session:
        source = load(session, source_id)
        check_version(source.version, expected_version, "source", source.id)
        before = snapshot(source)
        _apply(session, source, fields)
        session.flush()
        Change(session, db.actor).record(
            "update", "source", source.id, before, snapshot(source), source.title
        )
        return to_record(source)


def delete_source(db: Database, source_id: int) -> None:
    """Delete a source that no quote cites (sources reporting on it are unlinked)."""
    with db.unit_of_work() as session:
        source = load(session, source_id)
        quotes = session.scalar(select(func.count()).where(Quote.source_id == source.id)) or 0
        if quotes:
            raise ValidationError(
                f"source {source.id} ({source.title}) is cited by {quotes} quote(s); delete or move them first"
            )
        change = Change(session, db.actor)
        # Sources that reported on this one are unlinked through the ORM (so
        # their versions move) and audited like any other edit.
        for child in session.scalars(select(Source).where(Source.reports_on_id == source.id)):
            before = snapshot(child)
            child.reports_on_id = None
            session.flush()
            change.record("update", "source", child.id, before, snapshot(child), child.title)
        change.record("delete", "source", source.id, snapshot(source), None, source.title)
        session.delete(source)


def get_source(db: Database, source_id: int, with_text: bool = True) -> SourceRecord:
    with db.reading() as session:
        source = load(session, source_id)
        count = session.scalar(select(func.count()).where(Quote.source_id == source.id)) or 0
        return to_record(source, with_text, count)


def source_chain(db: Database, source_id: int) -> list[SourceRecord]:
    """The source, then the source it reports on, and so on to the primary source."""
    with db.reading() as session:
        chain: list[SourceRecord] = []
        node: Source | None = load(session, source_id)
        seen: set[int] = set()
        while node is not None and node.id not in seen:
            seen.add(node.id)
            chain.append(to_record(node))
            node = session.get(Source, node.reports_on_id) if node.reports_on_id else None
        return chain


def list_sources(
    db: Database, text: str | None = None, *, after: int | None = None, limit: int = 50
) -> Page[SourceRecord]:
    """Sources, newest first, keyset-paged by id; ``text`` filters titles and publishers."""
    limit = max(1, min(limit, 1000))
    after = clean_id(after, "after") if after is not None else None
    with db.reading() as session:
        stmt = select(Source)
        if text and text.strip():
            for word in text.split():
                pattern = (
                    "%"
                    + word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                    + "%"
                )
                stmt = stmt.where(
                    func.lower(Source.title).like(pattern, escape="\\")
                    | func.lower(func.coalesce(Source.publisher, "")).like(pattern, escape="\\")
                )
        if after is not None:
            stmt = stmt.where(Source.id < after)
        rows = list(session.scalars(stmt.order_by(Source.id.desc()).limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        counts = dict(
            session.execute(
                select(Quote.source_id, func.count())
                .where(Quote.source_id.in_([r.id for r in rows]))
                .group_by(Quote.source_id)
            ).all()
        )
        return Page(
            tuple(to_record(r, quote_count=counts.get(r.id, 0)) for r in rows),
            rows[-1].id if more and rows else None,
        )

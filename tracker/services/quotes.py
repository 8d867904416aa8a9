"""Quotations: the words, who said them, where and when."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, selectinload

from tracker.db.database import Database
from tracker.db.models import Quote, Source, Speaker, Tag, claim_quotes, quote_tags
from tracker.errors import NotFoundError, ValidationError
from tracker.services.audit import Change, reuse_id, snapshot
from tracker.services.conditions import quote_conditions, tag_objects
from tracker.services.filters import Filters
from tracker.services.paging import keyset_page
from tracker.services.records import Page, QuoteRecord, grouped, quote_from_row
from tracker.services.validation import (
    check_version,
    clean_choice,
    clean_id,
    clean_partial_date,
    clean_tags,
    clean_text,
    parse_offset,
)
from tracker.vocab import QUOTE_MODES

FIELDS = {
    "text",
    "speaker_id",
    "source_id",
    "mode",
    "said_on",
    "venue",
    "start_offset",
    "end_offset",
    "prefix",
    "suffix",
    "tags",
    "notes",
}
CONTEXT_CHARS = 32  # how much text before and after a located quote is kept


def load(session: Session, quote_id: int) -> Quote:
    quote = session.get(
        Quote,
        clean_id(quote_id, "quote id"),
        options=[selectinload(Quote.tags), selectinload(Quote.speaker), selectinload(Quote.source)],
    )
    if quote is None:
        raise NotFoundError(f"there is no quote with id {quote_id}", "quote")
    return quote


def to_record(quote: Quote, claim_ids: Iterable[int] = ()) -> QuoteRecord:
    return QuoteRecord(
        id=quote.id,
        text=quote.text,
        speaker_id=quote.speaker_id,
        speaker=quote.speaker.name,
        source_id=quote.source_id,
        source=quote.source.title if quote.source else None,
        mode=quote.mode,
        said_on=quote.said_on,
        venue=quote.venue,
        start_offset=quote.start_offset,
        end_offset=quote.end_offset,
        prefix=quote.prefix,
        suffix=quote.suffix,
        tags=tuple(t.name for t in quote.tags),
        notes=quote.notes,
        claim_ids=tuple(claim_ids),
        version=quote.version,
    )


def _rows() -> Select[*tuple[Any, ...]]:
    """A quote's fields with its speaker's name and its source's title, as
    rows: lists and lookups read these rather than ORM objects, which cost
    three times as much for a page of 100 (docs/benchmarks.md)."""
    return (
        select(
            Quote.id,
            Quote.text,
            Quote.speaker_id,
            Speaker.name,
            Quote.source_id,
            Source.title,
            Quote.mode,
            Quote.said_on,
            Quote.venue,
            Quote.start_offset,
            Quote.end_offset,
            Quote.prefix,
            Quote.suffix,
            Quote.notes,
            Quote.version,
        )
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .outerjoin(Source, Source.id == Quote.source_id)
    )


def _records(session: Session, rows: Sequence[Row[*tuple[Any, ...]]]) -> list[QuoteRecord]:
    """Records for rows of :func:`_rows`, with their tags (by name) and the
    claims that rest on them (by id): as :func:`to_record` makes them."""
    ids = [row[0] for row in rows]
    if not ids:
        return []
    tags: dict[int, list[str]] = grouped(
        session.execute(
            select(quote_tags.c.quote_id, Tag.name)
            .join(Tag, Tag.id == quote_tags.c.tag_id)
            .where(quote_tags.c.quote_id.in_(ids))
            .order_by(Tag.name)
        )
    )
    links = grouped(
        session.execute(
            select(claim_quotes.c.quote_id, claim_quotes.c.claim_id).where(
                claim_quotes.c.quote_id.in_(ids)
            )
        )
    )
    return [quote_from_row(row, tags.get(row[0], ()), links.get(row[0], ())) for row in rows]


def _quote_snapshot(quote: Quote) -> dict[str, Any]:
    return snapshot(quote, tags=[t.name for t in quote.tags])


def _offset(value: object, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return parse_offset(value)
    except ValueError as exc:
        if re.fullmatch(r"\s*-\d+\s*", str(value)):
            raise ValidationError(f"{field} must not be negative", field) from None
        raise ValidationError(f"{field}: {exc}", field) from None


def _apply(session: Session, quote: Quote, fields: dict[str, Any]) -> None:
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(f"a quote has no field {', '.join(sorted(unknown))}")
    if "text" in fields:
        text = clean_text(fields["text"], "quote text")
        assert text is not None
        quote.text = text
    if "speaker_id" in fields:
        if fields["speaker_id"] is None:
            raise ValidationError("a quote needs a speaker", "speaker")
        speaker = session.get(Speaker, clean_id(fields["speaker_id"], "speaker id"))
        if speaker is None:
            raise NotFoundError(f"there is no speaker with id {fields['speaker_id']}", "speaker")
        quote.speaker = speaker
    if "source_id" in fields:
        if fields["source_id"] is None:
            quote.source = None
        else:
            source = session.get(Source, clean_id(fields["source_id"], "source id"))
            if source is None:
                raise NotFoundError(f"there is no source with id {fields['source_id']}", "source")
            quote.source = source
    if "mode" in fields:
        quote.mode = clean_choice(fields["mode"], "quote mode", QUOTE_MODES, default="direct")
    if "said_on" in fields:
        said = clean_partial_date(fields["said_on"], "date said")
        quote.said_on = said.iso() if said else None
    if "venue" in fields:
        quote.venue = clean_text(
            fields["venue"], "venue", required=False, max_len=1000, single_line=True
        )
    for name in ("prefix", "suffix"):
        if name in fields:
            setattr(quote, name, clean_text(fields[name], name, required=False, max_len=200))
    if "start_offset" in fields:
        quote.start_offset = _offset(fields["start_offset"], "start offset")
    if "end_offset" in fields:
        quote.end_offset = _offset(fields["end_offset"], "end offset")
    if "tags" in fields:
        quote.tags = tag_objects(session, clean_tags(fields["tags"]))
    if "notes" in fields:
        quote.notes = clean_text(fields["notes"], "notes", required=False)
    _check_offsets(quote)


def _check_offsets(quote: Quote) -> None:
    start, end = quote.start_offset, quote.end_offset
    if (start is None) != (end is None):
        raise ValidationError("give both the start and the end offset, or neither", "start_offset")
    if start is None or end is None:
        return
    if end < start:
        raise ValidationError(
            f"the end offset ({end}) is before the start offset ({start})", "end_offset"
        )
    text = quote.source.full_text if quote.source else None
    if text is None:
        return
    if end > len(text):
        raise ValidationError(
            f"the end offset ({end}) is past the end of the source text ({len(text)} characters)",
            "end_offset",
        )
    # Keep a little context so the quote can be found again if the text shifts.
    if quote.prefix is None:
        quote.prefix = text[max(0, start - CONTEXT_CHARS) : start] or None
    if quote.suffix is None:
        quote.suffix = text[end : end + CONTEXT_CHARS] or None


def add_quote(
    db: Database,
    text: str,
    *,
    speaker_id: int,
    source_id: int | None = None,
    mode: str = "direct",
    said_on: str | None = None,
    venue: str | None = None,
    start_offset: int | None = None,
    end_offset: int | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    tags: Iterable[str] = (),
    notes: str | None = None,
    keep_id: int | None = None,
) -> QuoteRecord:
    """Record a quotation. Offsets are character positions in the source's text.

    ``keep_id`` gives a deleted quote back its id (undo)."""
    with db.unit_of_work() as session:
        quote = Quote(id=reuse_id(session, Quote, keep_id, "quote"))
        session.add(quote)
        with session.no_autoflush:
            _apply(
                session,
                quote,
                {
                    "text": text,
                    "speaker_id": speaker_id,
                    "source_id": source_id,
                    "mode": mode,
                    "said_on": said_on,
                    "venue": venue,
                    "prefix": prefix,
                    "suffix": suffix,
                    "start_offset": start_offset,
                    "end_offset": end_offset,
                    "tags": list(tags),
                    "notes": notes,
                },
            )
        session.flush()
        Change(session, db.actor).record(
            "create", "quote", quote.id, None, _quote_snapshot(quote), quote.text[:200]
        )
        record = to_record(quote)
    return record


def update_quote(
    db: Database, quote_id: int, /, *, expected_version: int | None = None, **fields: Any
) -> QuoteRecord:
    with db.unit_of_work() as session:
        quote = load(session, quote_id)
        check_version(quote.version, expected_version, "quote", quote.id)
        before = _quote_snapshot(quote)
        _apply(session, quote, fields)
        session.flush()
        Change(session, db.actor).record(
            "update", "quote", quote.id, before, _quote_snapshot(quote), quote.text[:200]
        )
        return to_record(quote, _claim_ids(session, quote.id))


def delete_quote(db: Database, quote_id: int) -> None:
    """Delete a quote (claims that rest on it keep their other quotes)."""
    with db.unit_of_work() as session:
        quote = load(session, quote_id)
        before = _quote_snapshot(quote)
        before["claim_ids"] = _claim_ids(session, quote.id)
        Change(session, db.actor).record(
            "delete", "quote", quote.id, before, None, quote.text[:200]
        )
        session.delete(quote)


def _claim_ids(session: Session, quote_id: int) -> list[int]:
    return list(
        session.scalars(select(claim_quotes.c.claim_id).where(claim_quotes.c.quote_id == quote_id))
    )


def get_quote(db: Database, quote_id: int) -> QuoteRecord:
    ident = clean_id(quote_id, "quote id")
    with db.reading() as session:
        rows = list(session.execute(_rows().where(Quote.id == ident)))
        if not rows:
            raise NotFoundError(f"there is no quote with id {quote_id}", "quote")
        return _records(session, rows)[0]


def get_quotes(db: Database, quote_ids: Iterable[int]) -> list[QuoteRecord]:
    """Several quotes in one query, in the order of ``quote_ids`` (those
    that do not exist are left out)."""
    ids = [clean_id(i, "quote id") for i in quote_ids]
    if not ids:
        return []
    with db.reading() as session:
        found = {
            r.id: r
            for r in _records(session, list(session.execute(_rows().where(Quote.id.in_(ids)))))
        }
        return [found[i] for i in ids if i in found]


def list_quotes(
    db: Database,
    filters: Filters | None = None,
    *,
    text: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> Page[QuoteRecord]:
    """Quotes, newest first, keyset-paged by id (pass ``next_cursor`` back as ``after``)."""
    f = (filters or Filters()).validated()
    limit = max(1, min(limit, 1000))
    if f.only_claims():
        return Page(())
    with db.reading() as session:
        rows, cursor = keyset_page(
            session,
            _rows(),
            Quote.id,
            quote_conditions(f),
            after=after,
            limit=limit,
            text=text,
            kind="quote",
            scalars=False,
        )
        return Page(tuple(_records(session, rows)), cursor)

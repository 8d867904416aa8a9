"""Filters shared by lists and search, and the SQL they become."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db.models import (
    CLAIM_KINDS,
    QUOTE_MODES,
    Claim,
    Quote,
    Tag,
    claim_quotes,
    claim_tags,
    quote_tags,
)
from tracker.errors import ValidationError
from tracker.services.validation import clean_choice, clean_date, clean_id, clean_partial_date

DATED_KINDS = ("prediction", "promise")  # the kinds of claim that can have a due date


@dataclass(frozen=True)
class Filters:
    """What to narrow a list or a search to. Every field is optional.

    - ``speaker_id``: quotes by / claims made by this speaker
    - ``source_id``: quotes from this source / claims resting on its quotes
    - ``kind``: claim kind (fact, prediction, promise, opinion); claims only
    - ``status``: ``open`` (no final verdict), ``final``, or a rating label; claims only
    - ``mode``: quote mode (direct, indirect, mixed); quotes only
    - ``date_from`` / ``date_to``: when it was said (YYYY, YYYY-MM or YYYY-MM-DD, inclusive);
      a date known only to the month or year matches when its span overlaps the range
    - ``tag``: has this tag
    - ``due_by``: predictions and promises due on or before this day with no
      final verdict (the "due for review" list); claims only
    """

    speaker_id: int | None = None
    source_id: int | None = None
    kind: str | None = None
    status: str | None = None
    mode: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    tag: str | None = None
    due_by: str | dt.date | None = None

    def only_claims(self) -> bool:
        return self.kind is not None or self.status is not None or self.due_by is not None

    def only_quotes(self) -> bool:
        return self.mode is not None

    def narrows_records(self) -> bool:
        return any(
            v is not None
            for v in (
                self.speaker_id,
                self.source_id,
                self.kind,
                self.status,
                self.mode,
                self.date_from,
                self.date_to,
                self.tag,
                self.due_by,
            )
        )

    def validated(self) -> Filters:
        """Check every value, raising ValidationError for the first bad one."""
        start = clean_partial_date(self.date_from, "from date")
        end = clean_partial_date(self.date_to, "to date")
        if start and end and end.last_day() < start.first_day():
            raise ValidationError(
                f"the date range ends ({end}) before it starts ({start})", "date_to"
            )
        return Filters(
            speaker_id=clean_id(self.speaker_id, "speaker id")
            if self.speaker_id is not None
            else None,
            source_id=clean_id(self.source_id, "source id") if self.source_id is not None else None,
            kind=clean_choice(self.kind, "claim kind", CLAIM_KINDS) if self.kind else None,
            status=self.status.strip() if self.status and self.status.strip() else None,
            mode=clean_choice(self.mode, "quote mode", QUOTE_MODES) if self.mode else None,
            date_from=start.first_day().isoformat() if start else None,
            date_to=end.last_day().isoformat() if end else None,
            tag=self.tag.strip().lower() if self.tag and self.tag.strip() else None,
            due_by=clean_date(self.due_by, "due by"),
        )


def said_between(
    column: InstrumentedAttribute[str | None], start: str | None, end: str | None
) -> list[ColumnElement[bool]]:
    """Overlap test on ISO-prefix partial dates stored as text.

    An ISO prefix ("2021-03") sorts before every day inside it, so
    ``said <= end`` tests the span's first day; appending "~" (which sorts
    after digits and "-") makes ``said || '~' >= start`` test its last day."""
    conds: list[ColumnElement[bool]] = []
    if end is not None:
        conds.append(column <= end)
    if start is not None:
        conds.append((column + literal("~")) >= start)
    return conds


def quote_conditions(f: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.speaker_id is not None:
        conds.append(Quote.speaker_id == f.speaker_id)
    if f.source_id is not None:
        conds.append(Quote.source_id == f.source_id)
    if f.mode is not None:
        conds.append(Quote.mode == f.mode)
    conds += said_between(Quote.said_on, f.date_from, f.date_to)
    if f.tag is not None:
        conds.append(
            Quote.id.in_(
                select(quote_tags.c.quote_id)
                .join(Tag, Tag.id == quote_tags.c.tag_id)
                .where(Tag.name == f.tag)
            )
        )
    return conds


def claim_conditions(f: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.speaker_id is not None:
        conds.append(Claim.claimant_id == f.speaker_id)
    if f.source_id is not None:
        conds.append(
            Claim.id.in_(
                select(claim_quotes.c.claim_id)
                .join(Quote, Quote.id == claim_quotes.c.quote_id)
                .where(Quote.source_id == f.source_id)
            )
        )
    if f.kind is not None:
        conds.append(Claim.kind == f.kind)
    if f.due_by is not None:
        conds += due_conditions(
            f.due_by if isinstance(f.due_by, dt.date) else dt.date.fromisoformat(f.due_by)
        )
    if f.status is not None:
        status = f.status.lower()
        if status == "open":
            conds.append(Claim.status_final.is_(False))
        elif status == "final":
            conds.append(Claim.status_final.is_(True))
        elif status in ("unreviewed", "none"):
            conds.append(Claim.status.is_(None))
        else:
            from sqlalchemy import func

            conds.append(func.lower(Claim.status) == status)
    conds += said_between(Claim.said_on, f.date_from, f.date_to)
    if f.tag is not None:
        conds.append(
            Claim.id.in_(
                select(claim_tags.c.claim_id)
                .join(Tag, Tag.id == claim_tags.c.tag_id)
                .where(Tag.name == f.tag)
            )
        )
    return conds


def due_conditions(day: dt.date) -> list[ColumnElement[bool]]:
    """Due for review on ``day``: a prediction or promise whose due date has
    come and whose latest verdict is not final."""
    return [
        Claim.kind.in_(DATED_KINDS),
        Claim.due_on.is_not(None),
        Claim.due_on <= day,
        Claim.status_final.is_(False),
    ]


def tag_objects(session: Session, names: list[str]) -> list[Tag]:
    """The Tag rows for these (already cleaned) names, created as needed."""
    if not names:
        return []
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    tags: list[Tag] = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            existing[name] = tag
        tags.append(tag)
    return tags

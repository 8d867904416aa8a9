"""The SQL that :class:`~tracker.services.filters.Filters` become."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db.models import Claim, Quote, Tag, claim_quotes, claim_tags, quote_tags
from tracker.services.filters import Filters
from tracker.vocab import DATED_KINDS


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
    come and whose latest verdict is not final (the SQL form of
    :func:`tracker.services.filters.is_due`)."""
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

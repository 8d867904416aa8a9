"""Claims and their verdicts: the append-only review history, and the list
of predictions and promises that are due for review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, selectinload

from tracker.db.base import utcnow
from tracker.db.database import Database
from tracker.db.models import Claim, Quote, Review, Speaker, Tag, claim_quotes, claim_tags
from tracker.errors import NotFoundError, ValidationError
from tracker.scales import DEFAULT_SCALE_FOR_KIND, SCALES, get_scale
from tracker.services.audit import Change, reuse_id, snapshot
from tracker.services.conditions import claim_conditions, due_conditions, tag_objects
from tracker.services.filters import Filters
from tracker.services.paging import keyset_page
from tracker.services.records import (
    ClaimRecord,
    Page,
    ReportCard,
    ReviewRecord,
    claim_from_row,
    grouped,
)
from tracker.services.validation import (
    check_version,
    clean_choice,
    clean_date,
    clean_id,
    clean_name,
    clean_partial_date,
    clean_tags,
    clean_text,
    clean_url,
)
from tracker.vocab import CLAIM_KINDS, DATED_KINDS

FIELDS = {"text", "kind", "claimant_id", "quote_ids", "said_on", "due", "tags", "notes"}


def _options() -> list[Any]:
    return [selectinload(Claim.tags), selectinload(Claim.claimant), selectinload(Claim.quotes)]


def load(session: Session, claim_id: int, with_reviews: bool = False) -> Claim:
    options = _options() + ([selectinload(Claim.reviews)] if with_reviews else [])
    claim = session.get(Claim, clean_id(claim_id, "claim id"), options=options)
    if claim is None:
        raise NotFoundError(f"there is no claim with id {claim_id}", "claim")
    return claim


def review_record(review: Review) -> ReviewRecord:
    return ReviewRecord(
        id=review.id,
        claim_id=review.claim_id,
        scale=review.scale,
        rating=review.rating,
        rating_value=review.rating_value,
        final=review.final,
        rationale=review.rationale,
        reviewer=review.reviewer,
        reviewed_at=review.reviewed_at,
        evidence=tuple(review.evidence or ()),
    )


def to_record(claim: Claim, with_reviews: bool = False) -> ClaimRecord:
    return ClaimRecord(
        id=claim.id,
        text=claim.text,
        kind=claim.kind,
        claimant_id=claim.claimant_id,
        claimant=claim.claimant.name if claim.claimant else None,
        said_on=claim.said_on,
        due=claim.due_on,
        status=claim.status,
        status_final=claim.status_final,
        quote_ids=tuple(q.id for q in claim.quotes),
        tags=tuple(t.name for t in claim.tags),
        notes=claim.notes,
        version=claim.version,
        reviews=tuple(review_record(r) for r in claim.reviews) if with_reviews else (),
    )


def _rows() -> Select[*tuple[Any, ...]]:
    """A claim's fields with its claimant's name, as rows: lists and lookups
    read these rather than ORM objects (as quotes do, see
    :func:`tracker.services.quotes._rows`)."""
    return select(
        Claim.id,
        Claim.text,
        Claim.kind,
        Claim.claimant_id,
        Speaker.name,
        Claim.said_on,
        Claim.due_on,
        Claim.status,
        Claim.status_final,
        Claim.notes,
        Claim.version,
    ).outerjoin(Speaker, Speaker.id == Claim.claimant_id)


def _records(session: Session, rows: Sequence[Row[*tuple[Any, ...]]]) -> list[ClaimRecord]:
    """Records for rows of :func:`_rows`, with their tags (by name) and the
    quotes they rest on (by id): as :func:`to_record` makes them."""
    ids = [row[0] for row in rows]
    if not ids:
        return []
    tags: dict[int, list[str]] = grouped(
        session.execute(
            select(claim_tags.c.claim_id, Tag.name)
            .join(Tag, Tag.id == claim_tags.c.tag_id)
            .where(claim_tags.c.claim_id.in_(ids))
            .order_by(Tag.name)
        )
    )
    quotes = grouped(
        session.execute(
            select(claim_quotes.c.claim_id, claim_quotes.c.quote_id).where(
                claim_quotes.c.claim_id.in_(ids)
            )
        )
    )
    return [claim_from_row(row, tags.get(row[0], ()), quotes.get(row[0], ())) for row in rows]


def _claim_snapshot(claim: Claim) -> dict[str, Any]:
    return snapshot(
        claim, quote_ids=[q.id for q in claim.quotes], tags=[t.name for t in claim.tags]
    )


def _apply(session: Session, claim: Claim, fields: dict[str, Any]) -> None:
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(f"a claim has no field {', '.join(sorted(unknown))}")
    if "text" in fields:
        text = clean_text(fields["text"], "claim text")
        assert text is not None
        claim.text = text
    if "kind" in fields:
        claim.kind = clean_choice(fields["kind"], "claim kind", CLAIM_KINDS, default="fact")
    if "claimant_id" in fields:
        if fields["claimant_id"] is None:
            claim.claimant = None
        else:
            speaker = session.get(Speaker, clean_id(fields["claimant_id"], "claimant id"))
            if speaker is None:
                raise NotFoundError(
                    f"there is no speaker with id {fields['claimant_id']}", "claimant"
                )
            claim.claimant = speaker
    if "quote_ids" in fields:
        ids = [clean_id(q, "quote id") for q in fields["quote_ids"] or ()]
        quotes = list(session.scalars(select(Quote).where(Quote.id.in_(ids)))) if ids else []
        missing = sorted(set(ids) - {q.id for q in quotes})
        if missing:
            raise NotFoundError(
                f"there is no quote with id {', '.join(map(str, missing))}", "quotes"
            )
        by_id = {q.id: q for q in quotes}
        claim.quotes = [by_id[i] for i in dict.fromkeys(ids)]
    if "said_on" in fields:
        said = clean_partial_date(fields["said_on"], "date said")
        claim.said_on = said.iso() if said else None
    if "due" in fields:
        claim.due_on = clean_date(fields["due"], "due date")
    if "tags" in fields:
        claim.tags = tag_objects(session, clean_tags(fields["tags"]))
    if "notes" in fields:
        claim.notes = clean_text(fields["notes"], "notes", required=False)
    _fill_defaults(claim)
    _check(claim)


def _fill_defaults(claim: Claim) -> None:
    """A claim resting on quotes takes their speaker and earliest date unless given."""
    if claim.quotes:
        if claim.claimant is None and claim.claimant_id is None:
            speakers = {q.speaker_id for q in claim.quotes}
            if len(speakers) == 1:
                claim.claimant = claim.quotes[0].speaker
        if claim.said_on is None:
            dates = sorted(q.said_on for q in claim.quotes if q.said_on)
            claim.said_on = dates[0] if dates else None


def _check(claim: Claim) -> None:
    if claim.due_on is not None:
        if claim.kind not in DATED_KINDS:
            raise ValidationError(
                f"only predictions and promises have a due date; this claim is a {claim.kind}",
                "due",
            )
        if claim.said_on is not None:
            said = clean_partial_date(claim.said_on, "date said")
            assert said is not None
            if claim.due_on < said.first_day():
                raise ValidationError(
                    f"the due date ({claim.due_on}) is before the date the claim was made ({claim.said_on})",
                    "due",
                )


def add_claim(
    db: Database,
    text: str,
    *,
    kind: str = "fact",
    claimant_id: int | None = None,
    quote_ids: Iterable[int] = (),
    said_on: str | None = None,
    due: str | dt.date | None = None,
    tags: Iterable[str] = (),
    notes: str | None = None,
    keep_id: int | None = None,
) -> ClaimRecord:
    """Record a claim in the fact-checker's words, resting on quotes.

    ``keep_id`` gives a deleted claim back its id (undo)."""
    with db.unit_of_work() as session:
        claim = Claim(id=reuse_id(session, Claim, keep_id, "claim"), status_final=False)
        session.add(claim)
        with session.no_autoflush:
            _apply(
                session,
                claim,
                {
                    "text": text,
                    "kind": kind,
                    "claimant_id": claimant_id,
                    "quote_ids": list(quote_ids),
                    "said_on": said_on,
                    "due": due,
                    "tags": list(tags),
                    "notes": notes,
                },
            )
        session.flush()
        Change(session, db.actor).record(
            "create", "claim", claim.id, None, _claim_snapshot(claim), claim.text[:200]
        )
        return to_record(claim)


def update_claim(
    db: Database, claim_id: int, /, *, expected_version: int | None = None, **fields: Any
) -> ClaimRecord:
    with db.unit_of_work() as session:
        claim = load(session, claim_id)
        check_version(claim.version, expected_version, "claim", claim.id)
        before = _claim_snapshot(claim)
        said_before = claim.said_on
        _apply(session, claim, fields)
        if claim.said_on != said_before:
            first = session.scalars(
                select(Review)
                .where(Review.claim_id == claim.id)
                .order_by(Review.reviewed_at, Review.id)
                .limit(1)
            ).first()
            if first is not None:
                _check_reviewed_after_said(first.reviewed_at, claim.said_on)
        session.flush()
        Change(session, db.actor).record(
            "update", "claim", claim.id, before, _claim_snapshot(claim), claim.text[:200]
        )
        return to_record(claim)


def delete_claim(db: Database, claim_id: int) -> None:
    """Delete a claim and its review history (kept in the audit log)."""
    with db.unit_of_work() as session:
        claim = load(session, claim_id, with_reviews=True)
        before = _claim_snapshot(claim)
        before["reviews"] = [snapshot(r) for r in claim.reviews]
        Change(session, db.actor).record(
            "delete", "claim", claim.id, before, None, claim.text[:200]
        )
        session.delete(claim)


def get_claim(db: Database, claim_id: int) -> ClaimRecord:
    """A claim with its full review history, oldest first."""
    with db.reading() as session:
        return to_record(load(session, claim_id, with_reviews=True), with_reviews=True)


def get_claims(db: Database, claim_ids: Iterable[int]) -> list[ClaimRecord]:
    """Several claims in one query, in the order of ``claim_ids`` (those
    that do not exist are left out)."""
    ids = [clean_id(i, "claim id") for i in claim_ids]
    if not ids:
        return []
    with db.reading() as session:
        rows = list(session.execute(_rows().where(Claim.id.in_(ids))))
        found = {r.id: r for r in _records(session, rows)}
        return [found[i] for i in ids if i in found]


def speaker_report_card(db: Database, speaker_id: int) -> ReportCard:
    """The speaker's report card, counted by the database (one grouped query
    over the claimant index: as fast for 50,000 claims as for five)."""
    ident = clean_id(speaker_id, "speaker id")
    with db.reading() as session:
        rows = session.execute(
            select(Claim.status, func.count())
            .where(Claim.claimant_id == ident)
            .group_by(Claim.status)
        ).all()
    unreviewed = sum(int(n) for status, n in rows if status is None)
    verdicts = sorted(
        ((str(status), int(n)) for status, n in rows if status is not None),
        key=lambda item: (-item[1], item[0]),
    )
    total = unreviewed + sum(n for _, n in verdicts)
    return ReportCard(ident, total, unreviewed, tuple(verdicts))


def _check_reviewed_after_said(reviewed_at: dt.datetime, said_on: str | None) -> None:
    """A verdict cannot come before the claim was made. The verdict's day is
    the one in the time zone it was given in; a claim said in "2021-03" was
    said on 2021-03-01 at the earliest."""
    said = clean_partial_date(said_on, "date said")
    if said is not None and reviewed_at.date() < said.first_day():
        raise ValidationError(
            f"the verdict's date ({reviewed_at.date().isoformat()}) is before the claim was made "
            f"({said_on})",
            "reviewed_at",
        )


def add_review(
    db: Database,
    claim_id: int,
    *,
    rating: str,
    scale: str | None = None,
    rationale: str | None = None,
    reviewer: str | None = None,
    reviewed_at: dt.datetime | None = None,
    evidence: Iterable[str] = (),
) -> ReviewRecord:
    """Append a verdict. The scale defaults to the one for the claim's kind;
    the latest verdict (by time reviewed) becomes the claim's status."""
    with db.unit_of_work() as session:
        claim = load(session, claim_id)
        scale_key = scale or DEFAULT_SCALE_FOR_KIND[claim.kind]
        found = get_scale(scale_key)
        if found is None:
            raise ValidationError(
                f"unknown rating scale {scale_key!r}; use one of: {', '.join(SCALES)}", "scale"
            )
        chosen = found.rating(rating or "")
        if chosen is None:
            raise ValidationError(
                f"{rating!r} is not a rating on the {found.name} scale; use one of: {', '.join(found.labels())}",
                "rating",
            )
        when = reviewed_at or utcnow()
        if when.tzinfo is None:
            raise ValidationError("the review time must carry a time zone", "reviewed_at")
        _check_reviewed_after_said(when, claim.said_on)
        try:
            when = when.astimezone(dt.UTC)
        except OverflowError:
            raise ValidationError(
                f"the review time {when.isoformat()} is outside the calendar in UTC", "reviewed_at"
            ) from None
        if when > utcnow() + dt.timedelta(minutes=5):
            raise ValidationError(
                f"the review time {when.isoformat()} is in the future", "reviewed_at"
            )
        links = [clean_url(e, "evidence link") for e in evidence]
        review = Review(
            claim=claim,
            scale=found.key,
            rating=chosen.label,
            rating_value=chosen.value,
            final=chosen.final,
            rationale=clean_text(rationale, "rationale", required=False),
            reviewer=clean_name(reviewer, "reviewer", required=False) or db.actor,
            reviewed_at=when,
            evidence=[link for link in links if link],
        )
        session.add(review)
        session.flush()
        latest = session.scalars(
            select(Review)
            .where(Review.claim_id == claim.id)
            .order_by(Review.reviewed_at.desc(), Review.id.desc())
            .limit(1)
        ).one()
        before = _claim_snapshot(claim)
        claim.status = latest.rating
        claim.status_final = latest.final
        session.flush()
        change = Change(session, db.actor)
        change.record(
            "create",
            "review",
            review.id,
            None,
            snapshot(review),
            f"{chosen.label}: {claim.text[:150]}",
        )
        change.record(
            "update", "claim", claim.id, before, _claim_snapshot(claim), f"status {claim.status}"
        )
        return review_record(review)


def delete_review(
    db: Database, review_id: int, *, expected_version: int | None = None
) -> ClaimRecord:
    """Take back a verdict recorded by mistake (what undo does): the claim's
    status becomes its latest remaining verdict's, or unreviewed. The audit
    log keeps the verdict. ``expected_version`` is the claim's."""
    with db.unit_of_work() as session:
        review = session.get(Review, clean_id(review_id, "review id"))
        if review is None:
            raise NotFoundError(f"there is no verdict with id {review_id}", "review")
        claim = load(session, review.claim_id, with_reviews=True)
        check_version(claim.version, expected_version, "claim", claim.id)
        before = _claim_snapshot(claim)
        gone = snapshot(review)
        claim.reviews.remove(review)  # delete-orphan: the row goes at the flush
        session.flush()
        latest = max(claim.reviews, key=lambda r: (r.reviewed_at, r.id), default=None)
        claim.status = latest.rating if latest else None
        claim.status_final = latest.final if latest else False
        session.flush()
        change = Change(session, db.actor)
        change.record(
            "delete", "review", gone["id"], gone, None, f"{gone['rating']}: {claim.text[:150]}"
        )
        change.record(
            "update", "claim", claim.id, before, _claim_snapshot(claim), f"status {claim.status}"
        )
        return to_record(claim, with_reviews=True)


def list_claims(
    db: Database,
    filters: Filters | None = None,
    *,
    text: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> Page[ClaimRecord]:
    """Claims, newest first, keyset-paged by id."""
    f = (filters or Filters()).validated()
    limit = max(1, min(limit, 1000))
    after = clean_id(after, "after") if after is not None else None
    if f.only_quotes():
        return Page(())
    with db.reading() as session:
        rows, cursor = keyset_page(
            session,
            _rows(),
            Claim.id,
            claim_conditions(f),
            after=after,
            limit=limit,
            text=text,
            kind="claim",
            scalars=False,
        )
        return Page(tuple(_records(session, rows)), cursor)


def due_claims(db: Database, on: dt.date | None = None, *, limit: int = 1000) -> list[ClaimRecord]:
    """Predictions and promises whose due date has come (on or before ``on``,
    today by default) and whose latest verdict is not final; oldest due first."""
    day = on or dt.date.today()
    with db.reading() as session:
        stmt = _rows().where(*due_conditions(day)).order_by(Claim.due_on, Claim.id).limit(limit)
        return _records(session, list(session.execute(stmt)))

"""Search across quotes, claims and speakers."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.db import search as fts
from tracker.db.database import Database
from tracker.db.models import Claim, Quote, Speaker
from tracker.errors import ValidationError
from tracker.services.conditions import claim_conditions, quote_conditions
from tracker.services.filters import Filters
from tracker.services.records import SearchHit

KINDS = ("quote", "claim", "speaker")


def search(
    db: Database,
    text: str,
    filters: Filters | None = None,
    *,
    kinds: Iterable[str] = KINDS,
    limit: int = 50,
) -> list[SearchHit]:
    """Full-text search: every word must appear (the last may be a prefix).

    Hits come grouped by kind (quotes, claims, speakers), best match first
    within each. Filters that only make sense for one kind (claim kind,
    status, quote mode) leave the other kinds out; speaker hits are left out
    whenever a filter narrows records."""
    if not fts.words(text or ""):
        raise ValidationError("give some words to search for", "text")
    f = (filters or Filters()).validated()
    wanted = [k for k in KINDS if k in set(kinds)]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValidationError(
            f"cannot search {', '.join(sorted(unknown))}; use quote, claim or speaker", "kind"
        )
    limit = max(1, min(limit, 1000))
    hits: list[SearchHit] = []
    with db.reading() as session:
        if "quote" in wanted and not f.only_claims():
            sub = fts.matching(session, text, "quote")
            assert sub is not None
            stmt = (
                select(Quote)
                .options(selectinload(Quote.speaker))
                .join(sub, sub.c.ref_id == Quote.id)
                .where(*quote_conditions(f))
                .order_by(sub.c.rank, Quote.id.desc())
                .limit(limit)
            )
            hits += [
                SearchHit("quote", q.id, q.text, q.speaker.name, q.speaker_id, q.said_on)
                for q in session.scalars(stmt)
            ]
        if "claim" in wanted and not f.only_quotes():
            sub = fts.matching(session, text, "claim")
            assert sub is not None
            stmt_c = (
                select(Claim)
                .options(selectinload(Claim.claimant))
                .join(sub, sub.c.ref_id == Claim.id)
                .where(*claim_conditions(f))
                .order_by(sub.c.rank, Claim.id.desc())
                .limit(limit)
            )
            hits += [
                SearchHit(
                    "claim",
                    c.id,
                    c.text,
                    c.claimant.name if c.claimant else None,
                    c.claimant_id,
                    c.said_on,
                )
                for c in session.scalars(stmt_c)
            ]
        if "speaker" in wanted and not f.narrows_records():
            sub = fts.matching(session, text, "speaker")
            assert sub is not None
            stmt_s = (
                select(Speaker)
                .join(sub, sub.c.ref_id == Speaker.id)
                .order_by(sub.c.rank, Speaker.id)
                .limit(limit)
            )
            hits += [
                SearchHit("speaker", s.id, s.name, None, s.id) for s in session.scalars(stmt_s)
            ]
    return hits[:limit] if len(wanted) == 1 else hits

"""Reading records for an export: the tables a page at a time, and each
record as the row of its kind (:data:`.columns.OWN_COLUMNS`).

A page is :data:`PAGE_SIZE` rows read in their own short session (keyset
paging: the next page starts after the last row), so memory does not grow
with the table and no transaction stays open while a slow reader of the
output catches up. :mod:`.exporter` writes the rows out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, Select, select, tuple_
from sqlalchemy.orm import Session, selectinload

from tracker.db import search as fts
from tracker.db.database import Database
from tracker.db.models import Claim, Quote, RecordKey, Source, Speaker, SpeakerAlias
from tracker.errors import ValidationError
from tracker.services.conditions import claim_conditions, quote_conditions
from tracker.services.filters import Filters
from tracker.services.records import to_jsonable
from tracker.services.transfer.columns import content_key

T = TypeVar("T")
Row = dict[str, object]
# The conditions that select the records, built in each page's session.
Where = Callable[[Session], list[ColumnElement[bool]]]

PAGE_SIZE = 1000  # rows read per session
KINDS = ("quote", "claim", "speaker", "source")
_MODELS: dict[str, Any] = {"quote": Quote, "claim": Claim, "speaker": Speaker, "source": Source}


def record_kind(kind: str) -> str:
    """``quote``, ``claim``, ``speaker`` or ``source`` (plurals accepted)."""
    entity = kind.strip().lower()
    entity = entity[:-1] if entity.endswith("s") else entity
    if entity not in KINDS:
        raise ValidationError(
            f"cannot export {kind!r}; the kinds are quotes, claims, speakers, sources", "kind"
        )
    return entity


def where_for(entity: str, filters: Filters | None, text: str | None) -> Where:
    """The records of ``entity`` that ``filters`` and full-text ``text``
    select (as ``list`` selects them). A filter that cannot apply to the
    kind is an error rather than an empty export."""
    f = (filters or Filters()).validated()
    words = text if text and fts.words(text) else None
    if entity in ("speaker", "source") and f.narrows_records():
        raise ValidationError(f"filters narrow quotes and claims, not {entity}s", "filters")
    if entity == "source" and words:
        raise ValidationError("text search covers quotes, claims and speakers, not sources", "text")
    if entity == "quote" and f.only_claims():
        raise ValidationError(
            "claim kind, status and due date narrow claims, not quotes", "filters"
        )
    if entity == "claim" and f.only_quotes():
        raise ValidationError("the quote mode narrows quotes, not claims", "filters")
    conds = {"quote": quote_conditions, "claim": claim_conditions}.get(entity, lambda _f: [])(f)
    model = _MODELS[entity]

    def where(session: Session) -> list[ColumnElement[bool]]:
        if words is None:
            return list(conds)
        found = fts.matching(session, words, cast(fts.Kind, entity))
        assert found is not None  # words has words
        return [*conds, model.id.in_(select(found.c.ref_id))]

    return where


def paged(
    db: Database,
    stmt: Select[Any],
    where: Where,
    convert: Callable[[Session, list[Any]], list[T]],
    *,
    order: Sequence[Any] | None = None,
    resume: Callable[[Any], ColumnElement[bool]] | None = None,
) -> Iterator[T]:
    """``stmt``'s rows in ``order`` (by default by id), :data:`PAGE_SIZE` a
    page, the next page starting ``resume(last row)`` (by default after its
    id). Each page is read and converted in its own session, which is
    closed before the page is handed out."""
    model = stmt.column_descriptions[0]["entity"]
    order = order or (model.id,)
    resume = resume or (lambda row: model.id > row.id)
    after: ColumnElement[bool] | None = None
    while True:
        with db.reading() as session:
            page = stmt.where(*where(session))
            if after is not None:
                page = page.where(after)
            found = list(session.scalars(page.order_by(*order).limit(PAGE_SIZE)))
            items = convert(session, found)
            full = len(found) == PAGE_SIZE
            if full:
                after = resume(found[-1])
        yield from items
        if not full:
            return


def rows(db: Database, entity: str, where: Where) -> Iterator[Row]:
    """The rows of every record of ``entity`` that ``where`` selects, in id order."""
    if entity == "quote":
        return paged(db, quotes_query(), where, quote_rows)
    if entity == "claim":
        return paged(db, claims_query(), where, claim_rows)
    if entity == "speaker":
        stmt = select(Speaker).options(selectinload(Speaker.aliases), selectinload(Speaker.roles))
        return paged(db, stmt, where, speaker_rows)
    return paged(db, select(Source), where, source_rows)


# --- keys -------------------------------------------------------------------


def stored_keys(session: Session, entity: str, ids: Iterable[int]) -> dict[int, str]:
    """The keys ``record_keys`` holds for these records (an import's)."""
    wanted = list(ids)
    if not wanted:
        return {}
    found = session.execute(
        select(RecordKey.record_id, RecordKey.key).where(
            RecordKey.entity == entity, RecordKey.record_id.in_(wanted)
        )
    )
    return {int(record_id): str(key) for record_id, key in found}


def quote_key(quote: Quote, stored: dict[int, str]) -> str:
    """The quote's stored key, else a hash of its speaker, text and source."""
    source = quote.source
    where = (source.url or source.title) if source is not None else None
    return stored.get(quote.id) or content_key(quote.speaker.name, quote.text, where)


def claim_key(claim: Claim, stored: dict[int, str]) -> str:
    """The claim's stored key, else a hash of its claimant and text."""
    claimant = claim.claimant.name if claim.claimant is not None else None
    return stored.get(claim.id) or content_key(claimant, claim.text, None)


# --- rows -------------------------------------------------------------------


def quotes_query() -> Select[Any]:
    return select(Quote).options(
        selectinload(Quote.speaker), selectinload(Quote.source), selectinload(Quote.tags)
    )


def quote_rows(session: Session, quotes: list[Quote]) -> list[Row]:
    keys = stored_keys(session, "quote", (q.id for q in quotes))
    return [quote_row(q, keys) for q in quotes]


def quote_row(quote: Quote, keys: dict[int, str]) -> Row:
    source = quote.source
    return {
        "key": quote_key(quote, keys),
        "text": quote.text,
        "speaker": quote.speaker.name,
        "speaker_kind": quote.speaker.kind,
        "mode": quote.mode,
        "said_on": quote.said_on,
        "venue": quote.venue,
        "source_title": source.title if source else None,
        "source_url": source.url if source else None,
        "source_kind": source.kind if source else None,
        "source_publisher": source.publisher if source else None,
        "published": source.published_on if source else None,
        "start_offset": quote.start_offset,
        "end_offset": quote.end_offset,
        "prefix": quote.prefix,
        "suffix": quote.suffix,
        "tags": [t.name for t in quote.tags],
        "notes": quote.notes,
    }


def claims_query(*, whole_claimant: bool = False) -> Select[Any]:
    """Claims with their tags, verdicts and quotes (with the quotes'
    speakers and sources); ``whole_claimant`` loads the claimant's aliases
    and roles too (for a full speaker record)."""
    claimant = selectinload(Claim.claimant)
    quotes = selectinload(Claim.quotes)
    options = [
        selectinload(Claim.tags),
        selectinload(Claim.reviews),
        quotes.selectinload(Quote.speaker),
        quotes.selectinload(Quote.source),
    ]
    if whole_claimant:
        options += [claimant.selectinload(Speaker.aliases), claimant.selectinload(Speaker.roles)]
    else:
        options.append(claimant)
    return select(Claim).options(*options)


@dataclass(frozen=True)
class ClaimKeys:
    """The stored keys of a page of claims and of the quotes they rest on."""

    claims: dict[int, str]
    quotes: dict[int, str]

    @classmethod
    def read(cls, session: Session, claims: list[Claim]) -> ClaimKeys:
        return cls(
            stored_keys(session, "claim", (c.id for c in claims)),
            stored_keys(session, "quote", {q.id for c in claims for q in c.quotes}),
        )


def claim_rows(session: Session, claims: list[Claim]) -> list[Row]:
    keys = ClaimKeys.read(session, claims)
    return [claim_row(c, keys) for c in claims]


def claim_row(claim: Claim, keys: ClaimKeys) -> Row:
    return {
        "key": claim_key(claim, keys.claims),
        "text": claim.text,
        "claim_kind": claim.kind,
        "speaker": claim.claimant.name if claim.claimant else None,
        "speaker_kind": claim.claimant.kind if claim.claimant else None,
        "said_on": claim.said_on,
        "due": claim.due_on.isoformat() if claim.due_on else None,
        "status": claim.status,
        "tags": [t.name for t in claim.tags],
        "notes": claim.notes,
        "quote_keys": [quote_key(q, keys.quotes) for q in claim.quotes],
        "verdicts": [
            {
                "scale": r.scale,
                "rating": r.rating,
                "reviewer": r.reviewer,
                "reviewed_at": to_jsonable(r.reviewed_at),  # UTC, "...Z"
                "rationale": r.rationale,
                "evidence": list(r.evidence or ()),
            }
            for r in claim.reviews  # oldest first: the relationship's order
        ],
    }


def speaker_rows(_session: Session, speakers: list[Speaker]) -> list[Row]:
    return [
        {
            "name": s.name,
            "kind": s.kind,
            "party": s.party,
            "region": s.region,
            "wikidata_qid": s.wikidata_qid,
            "aliases": [alias_entry(a, s) for a in s.aliases],
            "roles": [
                {
                    "title": r.title,
                    "organisation": r.organisation,
                    "start": r.start_date.isoformat() if r.start_date else None,
                    "end": r.end_date.isoformat() if r.end_date else None,
                }
                for r in s.roles
            ],
            "notes": s.notes,
        }
        for s in speakers
    ]


def alias_entry(alias: SpeakerAlias, speaker: Speaker) -> dict[str, object]:
    """An alias; one tied to a role ("the U.S. president", only while the
    role was held) says which, by the role's place in the speaker's roles."""
    entry: dict[str, object] = {"text": alias.text, "kind": alias.kind}
    places = [i for i, r in enumerate(speaker.roles) if r.id == alias.role_id]
    if places:
        entry["role"] = places[0]
    return entry


def source_rows(session: Session, sources: list[Source]) -> list[Row]:
    parent_ids = {s.reports_on_id for s in sources if s.reports_on_id is not None}
    parents: dict[int, str] = {}
    if parent_ids:
        found = session.execute(
            select(Source.id, Source.url, Source.title).where(Source.id.in_(parent_ids))
        )
        parents = {int(i): url or title for i, url, title in found}
    return [
        {
            "key": s.url or s.title,
            "title": s.title,
            "url": s.url,
            "kind": s.kind,
            "publisher": s.publisher,
            "authors": list(s.authors or ()),
            "published": s.published_on,
            "accessed": s.accessed_on.isoformat() if s.accessed_on else None,
            "reports_on": parents.get(s.reports_on_id) if s.reports_on_id else None,
            "notes": s.notes,
        }
        for s in sources
    ]


# --- for the Markdown digest --------------------------------------------------


def digest_claims(session: Session, claims: list[Claim]) -> list[tuple[Row, list[Row]]]:
    """Each claim's row, with the quotes it rests on (who, when, where)."""
    keys = ClaimKeys.read(session, claims)
    return [(claim_row(c, keys), [quote_brief(q, keys.quotes) for q in c.quotes]) for c in claims]


def quote_brief(quote: Quote, keys: dict[int, str]) -> Row:
    source = quote.source
    return {
        "key": quote_key(quote, keys),
        "text": quote.text,
        "speaker": quote.speaker.name,
        "said_on": quote.said_on,
        "venue": quote.venue,
        "mode": quote.mode,
        "source_title": source.title if source else None,
        "source_url": source.url if source else None,
        "published": source.published_on if source else None,
    }


def quotes_by_source(db: Database, where: Where) -> Iterator[tuple[int | None, Row]]:
    """Quote rows grouped by source (in source id order, then quote id),
    those with no source last; each with its source's id."""

    def convert(session: Session, quotes: list[Quote]) -> list[tuple[int | None, Row]]:
        keys = stored_keys(session, "quote", (q.id for q in quotes))
        return [(q.source_id, quote_row(q, keys)) for q in quotes]

    def with_source(session: Session) -> list[ColumnElement[bool]]:
        return [*where(session), Quote.source_id.is_not(None)]

    def without_source(session: Session) -> list[ColumnElement[bool]]:
        return [*where(session), Quote.source_id.is_(None)]

    by_source = (Quote.source_id, Quote.id)
    yield from paged(
        db,
        quotes_query(),
        with_source,
        convert,
        order=by_source,
        resume=lambda q: tuple_(*by_source) > tuple_(q.source_id, q.id),
    )
    yield from paged(db, quotes_query(), without_source, convert)

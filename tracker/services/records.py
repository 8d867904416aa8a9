"""Plain, frozen records that services return. ORM objects never leave the
service layer; these are safe to pass between threads and to print as JSON
(see :func:`to_jsonable`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class AliasRecord:
    id: int
    text: str
    kind: str
    role_id: int | None = None


@dataclass(frozen=True)
class RoleRecord:
    id: int
    title: str
    organisation: str | None
    start: dt.date | None
    end: dt.date | None

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def label(self) -> str:
        where = f", {self.organisation}" if self.organisation else ""
        span = f" ({self.start or '?'} to {self.end or 'now'})" if self.start or self.end else ""
        return f"{self.title}{where}{span}"


@dataclass(frozen=True)
class SpeakerRecord:
    id: int
    name: str
    kind: str
    wikidata_qid: str | None
    notes: str | None
    aliases: tuple[AliasRecord, ...]
    roles: tuple[RoleRecord, ...]
    version: int
    quote_count: int = 0
    claim_count: int = 0
    party: str | None = None
    region: str | None = None  # a U.S. state, a country


@dataclass(frozen=True)
class SourceRecord:
    id: int
    kind: str
    title: str
    publisher: str | None
    authors: tuple[str, ...]
    url: str | None
    published_on: str | None
    accessed_on: dt.date | None
    reports_on_id: int | None
    notes: str | None
    version: int
    has_text: bool = False
    full_text: str | None = None
    quote_count: int = 0


@dataclass(frozen=True)
class QuoteRecord:
    id: int
    text: str
    speaker_id: int
    speaker: str
    source_id: int | None
    source: str | None
    mode: str
    said_on: str | None
    venue: str | None
    start_offset: int | None
    end_offset: int | None
    prefix: str | None
    suffix: str | None
    tags: tuple[str, ...]
    notes: str | None
    claim_ids: tuple[int, ...]
    version: int


def grouped(pairs: Iterable[tuple[int, T]]) -> dict[int, list[T]]:
    """``owner id -> [values]`` from (owner id, value) pairs, in their order
    (a record's tags, the claims on a quote, ...)."""
    found: dict[int, list[T]] = {}
    for owner, value in pairs:
        found.setdefault(owner, []).append(value)
    return found


def quote_from_row(
    row: Sequence[Any], tags: Sequence[str], claim_ids: Sequence[int]
) -> QuoteRecord:
    """A quote from a row read as ``tracker.services.quotes._rows`` and
    ``fast_read.QUOTE`` read it: id, text, speaker_id, speaker's name,
    source_id, source's title, mode, said_on, venue, start_offset,
    end_offset, prefix, suffix, notes, version."""
    return QuoteRecord(
        id=row[0],
        text=row[1],
        speaker_id=row[2],
        speaker=row[3],
        source_id=row[4],
        source=row[5],
        mode=row[6],
        said_on=row[7],
        venue=row[8],
        start_offset=row[9],
        end_offset=row[10],
        prefix=row[11],
        suffix=row[12],
        tags=tuple(tags),
        notes=row[13],
        claim_ids=tuple(sorted(claim_ids)),
        version=row[14],
    )


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    claim_id: int
    scale: str
    rating: str
    rating_value: float
    final: bool
    rationale: str | None
    reviewer: str
    reviewed_at: dt.datetime
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class ClaimRecord:
    id: int
    text: str
    kind: str
    claimant_id: int | None
    claimant: str | None
    said_on: str | None
    due: dt.date | None
    status: str | None
    status_final: bool
    quote_ids: tuple[int, ...]
    tags: tuple[str, ...]
    notes: str | None
    version: int
    reviews: tuple[ReviewRecord, ...] = ()


def claim_from_row(
    row: Sequence[Any], tags: Sequence[str], quote_ids: Sequence[int]
) -> ClaimRecord:
    """A claim from a row read as ``tracker.services.claims._rows`` reads it
    (``fast_read.CLAIM`` with its date and flag converted): id, text, kind,
    claimant_id, claimant's name, said_on, due (a date), status,
    status_final (a bool), notes, version."""
    return ClaimRecord(
        id=row[0],
        text=row[1],
        kind=row[2],
        claimant_id=row[3],
        claimant=row[4],
        said_on=row[5],
        due=row[6],
        status=row[7],
        status_final=row[8],
        quote_ids=tuple(sorted(quote_ids)),
        tags=tuple(tags),
        notes=row[9],
        version=row[10],
    )


@dataclass(frozen=True)
class ReportCard:
    """How a speaker's claims fared: each latest verdict with its count
    (most first), and how many claims have none yet."""

    speaker_id: int
    claims: int
    unreviewed: int
    verdicts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "quote" | "claim" | "speaker"
    id: int
    text: str
    speaker: str | None  # the speaker's display name (quotes and claims)
    speaker_id: int | None
    said_on: str | None = None


@dataclass(frozen=True)
class AuditRecord:
    id: int
    change_id: str
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: int
    summary: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list. ``next_cursor`` goes to the next call's ``after``;
    ``None`` means this is the last page."""

    items: tuple[T, ...]
    next_cursor: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def to_jsonable(value: Any) -> Any:
    """Records, dates and tuples as JSON-ready values (dates in ISO form)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value

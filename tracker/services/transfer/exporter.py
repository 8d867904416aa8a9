"""Records out: tracker's own exports (CSV, TSV, JSON Lines), which its
import reads back with no mapping; a Markdown digest for people; and
schema.org ClaimReview for search engines.

The conventions an import must mirror (docs/export.md):

- columns: :data:`.columns.OWN_COLUMNS` of the kind, in that order, in id
  order of the records;
- ``key``: the record's stored key (``record_keys``), else
  :func:`.columns.content_key` of the speaker's name, the text and the
  source (its url, else its title); a claim's source is None;
- dates ``YYYY[-MM[-DD]]`` as stored; times ISO 8601 in UTC ending in ``Z``;
- CSV/TSV: ``\\n`` line ends, a field quoted (``"`` doubled) only when it
  holds the delimiter, ``"``, ``\\r`` or ``\\n``; None and an empty list are
  an empty cell; a list is compact JSON;
- JSON Lines: one object per line, lists as arrays, None as null.

Reading is :mod:`.export_rows` (a page at a time, memory flat); the
Markdown text is :mod:`.digest`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from tracker.db.database import Database
from tracker.db.models import Claim
from tracker.errors import ValidationError
from tracker.services import claims as claim_service
from tracker.services import sources as source_service
from tracker.services import speakers as speaker_service
from tracker.services.filters import Filters
from tracker.services.transfer import claimreview, digest
from tracker.services.transfer import export_rows as rows
from tracker.services.transfer.columns import OWN_COLUMNS
from tracker.services.transfer.export_rows import Row, Where, record_kind
from tracker.services.validation import clean_name, clean_url

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    Out = SupportsWrite[str]  # a text file, or anything with write(str)

FORMATS = ("csv", "tsv", "jsonl", "claimreview", "markdown")
# Where a ClaimReview's url points when its verdict has no link of its own
# and no url base is given: a reserved name (RFC 2606) that never resolves,
# so a forgotten option shows in a validator rather than as a wrong link.
PLACEHOLDER_URL_BASE = "https://fact-checks.invalid/claims/"
PROGRESS_EVERY = 1000  # records written between calls of the progress callback
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonld": "claimreview",
    ".md": "markdown",
    ".markdown": "markdown",
}

__all__ = [
    "FORMATS",
    "PLACEHOLDER_URL_BASE",
    "Exported",
    "csv_cell",
    "csv_line",
    "export_records",
    "format_for",
    "record_kind",
    "write_export",
]


@dataclass(frozen=True)
class Exported:
    """What :func:`write_export` wrote: ``written`` records, and ``skipped``
    claims (a ClaimReview export leaves out claims with no final verdict)."""

    written: int
    skipped: int = 0


def format_for(filename: str) -> str | None:
    """The export format a file name's extension asks for, or None."""
    return _SUFFIXES.get(PurePath(filename).suffix.lower())


def export_records(
    db: Database, kind: str, filters: Filters | None = None, *, text: str | None = None
) -> Iterator[Row]:
    """Every record of ``kind`` (quotes, claims, speakers, sources; singular
    or plural) that ``filters`` and full-text ``text`` select, in id order
    (oldest first), one dict each with exactly the columns of
    :data:`.columns.OWN_COLUMNS`. Values are str, int or None, and lists
    (of str, or of dicts for verdicts, aliases and roles). Bad filters
    raise ValidationError here, before anything is read; the records are
    read a page at a time as the iterator is consumed."""
    entity = record_kind(kind)
    return rows.rows(db, entity, rows.where_for(entity, filters, text))


def write_export(
    db: Database,
    stream: Out,
    *,
    kind: str,
    fmt: str,
    filters: Filters | None = None,
    text: str | None = None,
    url_base: str = PLACEHOLDER_URL_BASE,
    publisher: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Exported:
    """Write what :func:`export_records` selects to ``stream`` as ``fmt``
    (csv, tsv, jsonl, markdown or claimreview): anything with
    ``write(str)``; a file opened with ``newline=""`` and UTF-8 holds
    exactly what is written.

    ClaimReview takes claims only and leaves out those without a final
    verdict (counted in ``skipped``); a review's url is its verdict's link,
    else ``url_base`` + the claim's id, and its author ``publisher`` (else
    the reviewer). Markdown takes claims or quotes. ``progress`` is called
    with the number of records written so far, every so often. Options
    are checked before anything is written."""
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format {fmt!r}; the formats are {', '.join(FORMATS)}")
    entity = record_kind(kind)
    if fmt == "claimreview" and entity != "claim":
        raise ValidationError(f"a ClaimReview export is of claims, not {entity}s", "kind")
    if fmt == "markdown" and entity not in ("claim", "quote"):
        raise ValidationError(f"a Markdown digest is of claims or quotes, not {entity}s", "kind")
    if fmt == "claimreview":
        url_base = clean_url(url_base, "url base") or PLACEHOLDER_URL_BASE
        publisher = clean_name(publisher, "publisher", required=False)
    where = rows.where_for(entity, filters, text)
    counter = _Counter(progress)
    if fmt in ("csv", "tsv"):
        delimiter = "\t" if fmt == "tsv" else ","
        _write_delimited(
            stream, rows.rows(db, entity, where), OWN_COLUMNS[entity], delimiter, counter
        )
    elif fmt == "jsonl":
        for row in rows.rows(db, entity, where):
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            counter.add()
    elif fmt == "claimreview":
        skipped = _write_claimreviews(stream, db, where, url_base, publisher, counter)
        return Exported(counter.count, skipped)
    elif entity == "claim":
        claims = rows.paged(db, rows.claims_query(), where, rows.digest_claims)
        _write_claim_digest(stream, claims, counter)
    else:
        _write_quote_digest(stream, rows.quotes_by_source(db, where), counter)
    return Exported(counter.count)


class _Counter:
    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.count = 0
        self._progress = progress

    def add(self) -> None:
        self.count += 1
        if self._progress is not None and self.count % PROGRESS_EVERY == 0:
            self._progress(self.count)


# --- CSV and TSV --------------------------------------------------------------


def csv_cell(value: object) -> str:
    """A value in a CSV/TSV cell: None and an empty list as nothing, a list
    as compact JSON, a number in decimal."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
    return str(value)


def csv_line(fields: Iterable[str], delimiter: str) -> str:
    """One CSV/TSV line ending in ``\\n``: a field holding the delimiter,
    ``"``, ``\\r`` or ``\\n`` is quoted, its ``"`` doubled. (The csv module,
    writing ``\\n`` line ends, leaves a lone ``\\r`` bare, which a reader
    takes for a line end.)"""
    specials = (delimiter, '"', "\r", "\n")
    return (
        delimiter.join(
            '"' + f.replace('"', '""') + '"' if any(c in f for c in specials) else f for f in fields
        )
        + "\n"
    )


def _write_delimited(
    stream: Out,
    records: Iterable[Row],
    columns: Sequence[str],
    delimiter: str,
    counter: _Counter,
) -> None:
    stream.write(csv_line(columns, delimiter))
    for row in records:
        stream.write(csv_line((csv_cell(row[c]) for c in columns), delimiter))
        counter.add()


# --- ClaimReview ----------------------------------------------------------------


def _write_claimreviews(
    stream: Out,
    db: Database,
    where: Where,
    url_base: str,
    publisher: str | None,
    counter: _Counter,
) -> int:
    """A DataFeed, one review at a time: the text of
    ``json.dumps(feed(reviews), indent=2)`` and a line end. Returns how many
    claims were left out for want of a final verdict."""

    def convert(_session: Session, claims: list[Claim]) -> list[dict[str, object] | None]:
        return [
            claimreview.claimreview_for(
                claim_service.to_record(c, with_reviews=True),
                url_base=url_base,
                publisher=publisher,
                speaker=speaker_service.to_record(c.claimant) if c.claimant else None,
                appearances=[
                    source_service.to_record(s)
                    for s in {q.source.id: q.source for q in c.quotes if q.source}.values()
                ],
            )
            for c in claims
        ]

    empty = json.dumps(claimreview.feed([]), indent=2, ensure_ascii=False)
    head, tail = empty.rsplit("[]", 1)
    assert tail == "\n}", "dataFeedElement is the feed's last member"
    stream.write(head + "[")
    skipped = 0
    for review in rows.paged(db, rows.claims_query(whole_claimant=True), where, convert):
        if review is None:
            skipped += 1
            continue
        body = json.dumps(review, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        stream.write(("\n    " if counter.count == 0 else ",\n    ") + body)
        counter.add()
    stream.write(("\n  ]" if counter.count else "]") + tail + "\n")
    return skipped


# --- Markdown -------------------------------------------------------------------


def _write_claim_digest(
    stream: Out, claims: Iterable[tuple[Row, list[Row]]], counter: _Counter
) -> None:
    stream.write(digest.title("Claims"))
    for claim, quotes in claims:
        stream.write(digest.claim_section(claim, quotes))
        counter.add()
    if counter.count == 0:
        stream.write(digest.nothing("claims"))


def _write_quote_digest(
    stream: Out, quotes: Iterable[tuple[int | None, Row]], counter: _Counter
) -> None:
    stream.write(digest.title("Quotes by source"))
    source: int | None = None
    for source_id, quote in quotes:
        if counter.count == 0 or source_id != source:
            stream.write(digest.source_heading(quote))
            source = source_id
        stream.write(digest.quote_item(quote, with_source=False) + "\n")
        counter.add()
    if counter.count == 0:
        stream.write(digest.nothing("quotes"))

"""The review queue: attributions found in an ingested article, each waiting
for a person to accept, edit then accept, reject or skip it.

- :func:`ingest` stores an article as a source with its full text, runs the
  extractor over that text and queues what it finds, in one unit of work
  (one change in the audit log: ``tracker undo`` takes the source and its
  queue back together).
- :func:`accept` records the quote through the one attribution service
  (:func:`tracker.services.attribution.record_quote`): the same decision as
  adding a quote in the form. The item's status and the new quote (and the
  new speaker, if one is created) are one unit of work; the item's status
  is read under the write lock, so two reviewers accepting the same item
  make one quote, and the second is told the item was decided already.
- :func:`reject` and :func:`skip` change the status only; a skipped item
  stays in the queue (it can be accepted or rejected later).

An article is queued once: ingesting the text, or the URL, of a source
that has items in the queue is refused (the message names the source). A
source without queue items whose text is the article (the demo's), or that
has the same URL and no text (recorded earlier by hand), is reused: its
text is filled in if need be, its date of publication resolves role
references, and its attributions are queued. A URL that is another text's
is refused. The schema and the JSON shapes are in ``docs/review.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, tuple_
from sqlalchemy.orm import Session

from tracker.db.base import utcnow
from tracker.db.database import Database
from tracker.db.models import QUEUE_STATUSES, QueueItem, Quote, Source, Speaker
from tracker.errors import ConflictError, NotFoundError, ValidationError
from tracker.services import attribution, quotes, sources, verification
from tracker.services.attribution import NeedsChoice, Recorded, Refused, Who
from tracker.services.audit import Change, snapshot
from tracker.services.records import Page, QuoteRecord, SourceRecord, SpeakerRecord
from tracker.services.validation import (
    _CONTROL,
    MAX_SOURCE_TEXT,
    clean_id,
    clean_partial_date,
    clean_text,
)

ENTITY = "queue_item"  # as the audit log names a queue item
OPEN_STATUSES = ("pending", "skipped")  # an item a person can still decide

# The extraction service, imported when first used (it loads the matcher).
Finder = Callable[[Database, str, dt.date | None], Sequence[Any]]


@dataclass(frozen=True)
class SpanRecord:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class QueueItemRecord:
    """One queued attribution. Offsets index the source's full text;
    ``speaker_id`` is the speaker the guess points to (``same``)."""

    id: int
    source_id: int
    source: str  # the source's title
    position: int
    mode: str
    text: str
    start_offset: int
    end_offset: int
    content: tuple[SpanRecord, ...]
    cue: SpanRecord | None
    source_span: SpanRecord | None
    speaker_name: str | None
    speaker_guess: str | None
    speaker_id: int | None
    speaker: str | None  # the name of speaker ``speaker_id``, if any
    confidence: float
    status: str
    quote_id: int | None
    decided_by: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    version: int


@dataclass(frozen=True)
class Ingested:
    source: SourceRecord
    items: tuple[QueueItemRecord, ...]
    reused_source: bool = False


@dataclass(frozen=True)
class Accepted:
    """The item is a quote now. ``already_recorded``: the passage was a quote
    on the article's source already (recorded by hand, or before the source
    was reused): the item is linked to that quote, which is ``quote``, and
    nothing is recorded a second time."""

    item: QueueItemRecord
    quote: QuoteRecord
    speaker: SpeakerRecord | None
    speaker_created: bool
    already_recorded: bool = False


@dataclass(frozen=True)
class AlreadyDecided:
    """The item was accepted or rejected already (by this reviewer or another)."""

    item: QueueItemRecord

    @property
    def message(self) -> str:
        who = f" by {self.item.decided_by}" if self.item.decided_by else ""
        became = f" (quote #{self.item.quote_id})" if self.item.quote_id else ""
        return f"queue item #{self.item.id} was {self.item.status} already{who}{became}"


AcceptOutcome = Accepted | NeedsChoice | Refused | AlreadyDecided


def _find_attributions(db: Database, text: str, date: dt.date | None) -> Sequence[Any]:
    from tracker.services.extracting import find_attributions

    return find_attributions(db, text, date=date)


# -- ingest -------------------------------------------------------------------


def clean_article(text: str, where: str = "the article") -> str:
    """The article's text as it will be stored (line ends normalised,
    surrounding blank space removed): offsets index this text. Refuses a
    control character naming its line and column, and an empty or too long
    text."""
    found = _CONTROL.search(text.replace("\r\n", "\n").replace("\r", "\n"))
    if found is not None:
        before = text.replace("\r\n", "\n").replace("\r", "\n")[: found.start()]
        line = before.count("\n") + 1
        column = found.start() - (before.rfind("\n") + 1) + 1
        raise ValidationError(
            f"{where}: line {line}, column {column}: control character "
            f"U+{ord(found.group()):04X}; only tab and newline are allowed",
            "full_text",
        )
    try:
        cleaned = clean_text(text, "text", max_len=MAX_SOURCE_TEXT)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc.message}", "full_text") from None
    assert cleaned is not None
    return cleaned


def ingest(
    db: Database,
    text: str,
    *,
    title: str,
    publisher: str | None = None,
    published_on: str | None = None,
    url: str | None = None,
    kind: str = "article",
    find: Finder | None = None,
    where: str = "the article",
) -> Ingested:
    """Store the article, find its attributions and queue them, in one unit
    of work. ``find`` is the extraction service
    (:func:`tracker.services.extracting.find_attributions` by default);
    ``where`` names the text in messages (a file name)."""
    article = clean_article(text, where)
    published = clean_partial_date(published_on, "published")
    day = attribution.day_for_roles(published_on, "published")
    with db.reading() as session:  # refused before extracting; the source's date
        known = _existing_article(session, article, url)
        if day is None and known is not None and known.published_on:
            day = attribution.day_for_roles(known.published_on, "published")
    # Extraction reads the speaker index: done before the write lock is taken.
    found = list((find or _find_attributions)(db, article, day))
    with db.unit_of_work() as session:
        session.connection()  # the write lock, before looking for the article
        existing = _existing_article(session, article, url)
        reused = existing is not None
        if existing is None:
            record = sources.add_source(
                db,
                title,
                kind=kind,
                publisher=publisher,
                url=url,
                published_on=published.iso() if published else None,
                full_text=article,
            )
        else:
            changes: dict[str, Any] = {}
            if existing.full_text != article:
                changes["full_text"] = article
            if published and not existing.published_on:
                changes["published_on"] = published.iso()
            record = (
                sources.update_source(db, existing.id, **changes)
                if changes
                else sources.to_record(existing)
            )
        change = Change(session, db.actor)
        items: list[QueueItem] = []
        for position, one in enumerate(found, start=1):
            item = _new_item(record.id, position, one, len(article))
            session.add(item)
            items.append(item)
        session.flush()
        for item in items:
            change.record("create", ENTITY, item.id, None, snapshot(item), item.text[:200])
        names = _speaker_names(session, items)
        texts = {pair: article[pair[0] : pair[1]] for i in items for pair in _pairs(i)}
        return Ingested(
            record, tuple(_to_record(i, record.title, names, texts) for i in items), reused
        )


def _existing_article(session: Session, article: str, url: str | None) -> Source | None:
    """The source this article already is, or None. Refuses an article that
    is queued already, or a URL that is another text's; returns a source with
    the same text, or with the same URL and no text, that has no queue (to
    be reused: recorded earlier by hand, or the demo's)."""
    conds = [Source.full_text == article]
    if url:
        conds.append(Source.url == url)
    for source in session.scalars(select(Source).where(or_(*conds)).order_by(Source.id)):
        queued = session.scalar(
            select(func.count()).select_from(QueueItem).where(QueueItem.source_id == source.id)
        )
        if queued:
            raise ValidationError(
                f"this article is already source #{source.id} ({source.title}), "
                f"with {queued or 0} item(s) in the review queue; "
                f"see: tracker queue list --source {source.id}",
                "article",
            )
        if source.full_text and source.full_text != article:
            raise ValidationError(
                f"source #{source.id} ({source.title}) has the URL {url} and a different text; "
                "give another URL, or none",
                "url",
            )
        return source
    return None


def _span(span: Any) -> list[int] | None:
    return None if span is None else [int(span.start), int(span.end)]


def _new_item(source_id: int, position: int, found: Any, length: int) -> QueueItem:
    """A queue row from an extraction result (``Found``: an attribution and
    its speaker guess). Spans must lie inside the article."""
    attribution_ = found.attribution
    content = [[int(s.start), int(s.end)] for s in attribution_.content]
    if not content:
        raise ValidationError(f"attribution {position} has no content", "content")
    spans = [s for s in (*content, _span(attribution_.cue), _span(attribution_.source)) if s]
    for start, end in spans:
        if not 0 <= start <= end <= length:
            raise ValidationError(
                f"attribution {position}: span {start}-{end} is outside the article "
                f"({length} characters)",
                "content",
            )
    guess = found.speaker
    # A quote split around its cue, or run across paragraphs, is recorded as
    # its parts joined by a space (offsets are kept for one-span quotes only).
    text = " ".join(s.text.strip() for s in attribution_.content).strip()
    return QueueItem(
        source_id=source_id,
        position=position,
        mode=attribution_.mode,
        text=text,
        start_offset=content[0][0],
        end_offset=content[-1][1],
        spans={
            "content": content,
            "cue": _span(attribution_.cue),
            "source": _span(attribution_.source),
        },
        speaker_name=(guess.name if guess else attribution_.speaker_name) or None,
        speaker_guess=guess.decision if guess else None,
        speaker_id=guess.speaker_id if guess else None,
        confidence=float(attribution_.confidence),
        status="pending",
    )


# -- reading -------------------------------------------------------------------


def _speaker_names(session: Session, items: Sequence[QueueItem]) -> dict[int, str]:
    ids = {i.speaker_id for i in items if i.speaker_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Speaker.id, Speaker.name).where(Speaker.id.in_(ids))).all())


Pair = tuple[int, int]


def _pairs(item: QueueItem) -> list[Pair]:
    """Every span of the item, as (start, end)."""
    spans = item.spans or {}
    found = [*(spans.get("content") or ()), spans.get("cue"), spans.get("source")]
    return [(int(p[0]), int(p[1])) for p in found if p]


def _span_texts(session: Session, source_id: int, pairs: Sequence[Pair]) -> dict[Pair, str]:
    """The source text at each span, read with ``substr`` (the article itself,
    up to 5,000,000 characters, is not loaded). Both databases count
    characters, as Python indices do."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    columns = [func.substr(Source.full_text, s + 1, e - s) for s, e in wanted]
    row = session.execute(select(*columns).where(Source.id == source_id)).one()
    return {pair: str(value or "") for pair, value in zip(wanted, row, strict=True)}


def _spans_of(texts: dict[Pair, str], pair: Any) -> SpanRecord | None:
    if not pair:
        return None
    start, end = int(pair[0]), int(pair[1])
    return SpanRecord(start, end, texts.get((start, end), ""))


def _to_record(
    item: QueueItem,
    source_title: str,
    names: dict[int, str],
    texts: dict[Pair, str] | None = None,
) -> QueueItemRecord:
    """The record; its spans only when their ``texts`` are given."""
    spans = (item.spans or {}) if texts is not None else {}
    text = texts or {}
    content = tuple(
        s for s in (_spans_of(text, p) for p in spans.get("content") or ()) if s is not None
    )
    return QueueItemRecord(
        id=item.id,
        source_id=item.source_id,
        source=source_title,
        position=item.position,
        mode=item.mode,
        text=item.text,
        start_offset=item.start_offset,
        end_offset=item.end_offset,
        content=content,
        cue=_spans_of(text, spans.get("cue")),
        source_span=_spans_of(text, spans.get("source")),
        speaker_name=item.speaker_name,
        speaker_guess=item.speaker_guess,
        speaker_id=item.speaker_id,
        speaker=names.get(item.speaker_id) if item.speaker_id is not None else None,
        confidence=item.confidence,
        status=item.status,
        quote_id=item.quote_id,
        decided_by=item.decided_by,
        decided_at=item.decided_at,
        created_at=item.created_at,
        version=item.version,
    )


def _load(session: Session, item_id: int) -> QueueItem:
    item = session.get(QueueItem, clean_id(item_id, "queue item id"))
    if item is None:
        raise NotFoundError(f"there is no queue item with id {item_id}", "item")
    return item


_NOT_RESTORED = ("id", "created_at", "updated_at", "version")


def _record_of(session: Session, item: QueueItem) -> QueueItemRecord:
    """The item with its spans' text (the article is not loaded whole)."""
    title = session.scalar(select(Source.title).where(Source.id == item.source_id)) or ""
    texts = _span_texts(session, item.source_id, _pairs(item))
    return _to_record(item, title, _speaker_names(session, [item]), texts)


def clean_statuses(statuses: Sequence[str] | None) -> tuple[str, ...]:
    """The statuses asked for, checked; none means every status."""
    if not statuses:
        return QUEUE_STATUSES
    wanted = tuple(dict.fromkeys(s.strip().lower() for s in statuses))
    for status in wanted:
        if status not in QUEUE_STATUSES:
            raise ValidationError(
                f"unknown status {status!r}; choose from {', '.join(QUEUE_STATUSES)}", "status"
            )
    return wanted


def get_item(db: Database, item_id: int) -> QueueItemRecord:
    """One item, its span texts read from the source's text."""
    with db.reading() as session:
        return _record_of(session, _load(session, item_id))


def list_items(
    db: Database,
    *,
    source_id: int | None = None,
    statuses: Sequence[str] | None = None,
    text: str | None = None,
    after: int | None = None,
    limit: int = 50,
    counts: bool = False,
) -> Page[QueueItemRecord]:
    """Queue items in queue order (by source: oldest article first; then
    article order), keyset-paged: pass ``next_cursor`` (the last item's id)
    back as ``after``. Span texts are left empty (``content`` is empty):
    :func:`get_item` reads them. ``text``: every word must appear in the
    proposed quote or speaker name (case-insensitive). With ``counts``,
    ``extra["counts"]`` has the number of items per status (for the same
    source filter; it reads the whole queue).

    Each status is read on its own along the index on (status, source_id,
    position), which yields its items in queue order, and the pages are
    merged: no sort of the whole queue, however long it grows."""
    wanted = clean_statuses(statuses)
    limit = max(1, min(limit, 1000))
    with db.reading() as session:
        conds: list[ColumnElement[bool]] = []
        if after is not None:
            last = session.get(QueueItem, clean_id(after, "after"))
            if last is None:
                raise NotFoundError(f"there is no queue item with id {after}", "after")
            conds.append(
                tuple_(QueueItem.source_id, QueueItem.position) > (last.source_id, last.position)
            )
        if source_id is not None:
            conds.append(QueueItem.source_id == clean_id(source_id, "source id"))
        for word in (text or "").split():
            pattern = "%" + _like_escaped(word.lower()) + "%"
            conds.append(
                func.lower(QueueItem.text).like(pattern, escape="\\")
                | func.lower(func.coalesce(QueueItem.speaker_name, "")).like(pattern, escape="\\")
            )
        rows: list[QueueItem] = []
        for status in wanted:
            stmt = (
                select(QueueItem)
                .where(QueueItem.status == status, *conds)
                .order_by(QueueItem.source_id, QueueItem.position)
                .limit(limit + 1)
            )
            rows.extend(session.scalars(stmt))
        rows.sort(key=lambda r: (r.source_id, r.position))
        more = len(rows) > limit
        rows = rows[:limit]
        titles = dict(
            session.execute(
                select(Source.id, Source.title).where(Source.id.in_({r.source_id for r in rows}))
            ).all()
        )
        names = _speaker_names(session, rows)
        extra: dict[str, Any] = {}
        if counts:
            extra["counts"] = _counts(session, source_id)
        return Page(
            tuple(_to_record(r, titles.get(r.source_id, ""), names) for r in rows),
            rows[-1].id if more and rows else None,
            extra,
        )


def _counts(session: Session, source_id: int | None) -> dict[str, int]:
    stmt = select(QueueItem.status, func.count()).group_by(QueueItem.status)
    if source_id is not None:
        stmt = stmt.where(QueueItem.source_id == source_id)
    counts = {s: 0 for s in QUEUE_STATUSES}
    counts.update({str(s): int(n) for s, n in session.execute(stmt).all()})
    return counts


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def article_text(db: Database, source_id: int) -> str:
    """The full text of an item's source (for showing the article)."""
    record = sources.get_source(db, source_id, with_text=True)
    return record.full_text or ""


# -- deciding ------------------------------------------------------------------


def _decide(session: Session, db: Database, item: QueueItem, status: str, **fields: Any) -> None:
    before = snapshot(item)
    item.status = status
    item.decided_by = db.actor
    item.decided_at = utcnow()
    for name, value in fields.items():
        setattr(item, name, value)
    session.flush()
    Change(session, db.actor).record(
        "update", ENTITY, item.id, before, snapshot(item), f"{status}: {item.text[:180]}"
    )


def _open_item(
    session: Session, item_id: int, expected_version: int | None
) -> QueueItem | AlreadyDecided:
    """The item, read under the write lock; AlreadyDecided if it is not open."""
    item = _load(session, item_id)
    if item.status not in OPEN_STATUSES:
        return AlreadyDecided(_record_of(session, item))
    if expected_version is not None and item.version != expected_version:
        raise ConflictError(
            f"queue item #{item.id} has changed since it was shown; reload and try again", "item"
        )
    return item


def accept(
    db: Database,
    item_id: int,
    who: Who | None = None,
    *,
    text: str | None = None,
    mode: str | None = None,
    expected_version: int | None = None,
) -> AcceptOutcome:
    """Record the item as a quote, in one unit of work with its new status.

    ``who`` is the speaker: by default the name the extractor proposed
    (a ``same`` match is used; ``maybe`` and ``new`` come back as
    :class:`NeedsChoice`, to be called again with a ``speaker_id`` a person
    picked or ``confirmed_new``). ``text`` and ``mode`` replace the
    proposed ones (edit then accept); an edited text keeps no offsets
    unless it is still the article's text at them. The quote's source is
    the article and its date said is the article's date of publication."""
    with db.reading() as session:
        item = _record_of(session, _load(session, item_id))
        published_on = session.scalar(
            select(Source.published_on).where(Source.id == item.source_id)
        )
    if item.status not in OPEN_STATUSES:
        return AlreadyDecided(item)
    if who is None or (who.name is None and who.speaker_id is None):
        if item.speaker_name is None:
            return Refused(f"queue item #{item.id} has no proposed speaker; give one", "speaker")
        who = Who(name=item.speaker_name)
    if who.speaker_id is None and not who.confirmed_new:
        from tracker.services.speaker_index import directory

        index = directory(db)
        if not index.is_built:  # a cold build before the write lock (see attribution)
            index.index()
    quote_text = item.text if text is None else text
    offsets: dict[str, Any] = {}
    if len(item.content) == 1 and item.content[0].text == quote_text:
        offsets = {"start_offset": item.start_offset, "end_offset": item.end_offset}
    with db.unit_of_work() as session:
        session.connection()  # the write lock: the status read below is current
        row = _open_item(session, item.id, expected_version)
        if isinstance(row, AlreadyDecided):
            return row
        existing = _recorded_already(
            session, item.source_id, quote_text, (item.start_offset, item.end_offset)
        )
        if existing is not None:
            _decide(session, db, row, "accepted", quote_id=existing)
            linked = _as_decided(item, row)
            return Accepted(linked, quotes.get_quote(db, existing), None, False, True)
        outcome = attribution.record_quote(
            db,
            quote_text,
            who,
            source_id=item.source_id,
            mode=mode or item.mode,
            said_on=published_on,
            **offsets,
        )
        if not isinstance(outcome, Recorded):
            return outcome
        _decide(session, db, row, "accepted", quote_id=outcome.record.id)
        decided = _as_decided(item, row)
        return Accepted(decided, outcome.record, outcome.speaker, outcome.speaker_created)


def _as_decided(item: QueueItemRecord, row: QueueItem) -> QueueItemRecord:
    """``item`` as shown before, with the decision just written to ``row``."""
    return dataclasses.replace(
        item,
        status=row.status,
        quote_id=row.quote_id,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        version=row.version,
    )


def _recorded_already(
    session: Session, source_id: int, text: str, span: tuple[int, int]
) -> int | None:
    """The quote on ``source_id`` that is this passage already, if any: one
    whose place in the article overlaps the item's ``span`` by at least half
    of the shorter of the two ("that Putin is a killer" recorded by hand,
    "Putin is a killer" found), or one with the same words (as verification
    compares them: case, spacing, quotation marks and dashes aside, and
    punctuation at either end: "We will not back down," typed without
    offsets is "We will not back down" found in the article)."""
    same_text = _passage(text)
    found = session.execute(
        select(Quote.id, Quote.text, Quote.start_offset, Quote.end_offset)
        .where(Quote.source_id == source_id)
        .order_by(Quote.id)
    )
    start, end = span
    for quote_id, quote_text, quote_start, quote_end in found:
        if quote_start is not None and quote_end is not None:
            shared = min(end, quote_end) - max(start, quote_start)
            if shared > 0 and 2 * shared >= min(end - start, quote_end - quote_start):
                return int(quote_id)
        if _passage(quote_text) == same_text:
            return int(quote_id)
    return None


def _passage(text: str) -> str:
    return verification.normalise(text)[0].strip(_EDGE_PUNCTUATION)


_EDGE_PUNCTUATION = " '\".,;:!?-\u2026"


def reject(
    db: Database, item_id: int, *, expected_version: int | None = None
) -> QueueItemRecord | AlreadyDecided:
    """Mark the item rejected: no quote is recorded."""
    return _set_status(db, item_id, "rejected", expected_version)


def skip(
    db: Database, item_id: int, *, expected_version: int | None = None
) -> QueueItemRecord | AlreadyDecided:
    """Leave the item for later: it stays open (``skipped``)."""
    return _set_status(db, item_id, "skipped", expected_version)


def _set_status(
    db: Database, item_id: int, status: str, expected_version: int | None
) -> QueueItemRecord | AlreadyDecided:
    with db.unit_of_work() as session:
        session.connection()
        row = _open_item(session, item_id, expected_version)
        if isinstance(row, AlreadyDecided):
            return row
        _decide(session, db, row, status)
        return _record_of(session, row)


# -- undo ----------------------------------------------------------------------


def delete_item(db: Database, item_id: int) -> None:
    """Remove a queue item (undo of an ingest), audited."""
    with db.unit_of_work() as session:
        item = _load(session, item_id)
        Change(session, db.actor).record(
            "delete", ENTITY, item.id, snapshot(item), None, item.text[:200]
        )
        session.delete(item)


UNDO_FIELDS = ("status", "quote_id", "decided_by", "decided_at")


def restore_item(
    db: Database, item_id: int, before: dict[str, Any], expected_version: int | None
) -> None:
    """Put an item's decision back as it was (undo of an accept, a reject
    or a skip), audited; ConflictError if it changed since."""
    with db.unit_of_work() as session:
        item = _load(session, item_id)
        if expected_version is not None and item.version != expected_version:
            raise ConflictError(f"queue item #{item.id} has changed since", "item")
        old = snapshot(item)
        item.status = str(before.get("status") or "pending")
        item.quote_id = before.get("quote_id")
        item.decided_by = before.get("decided_by")
        decided = before.get("decided_at")
        item.decided_at = (
            dt.datetime.fromisoformat(str(decided).replace("Z", "+00:00")) if decided else None
        )
        session.flush()
        Change(session, db.actor).record(
            "update", ENTITY, item.id, old, snapshot(item), f"{item.status}: {item.text[:180]}"
        )


def readd_item(db: Database, before: dict[str, Any], keep_id: int | None) -> int:
    """Add a deleted queue item back from its audit snapshot (undo of an
    undone ingest), with its old id unless another item has it."""
    from tracker.services.audit import reuse_id

    with db.unit_of_work() as session:
        fields = {k: v for k, v in before.items() if k not in _NOT_RESTORED}
        decided = fields.get("decided_at")
        fields["decided_at"] = (
            dt.datetime.fromisoformat(str(decided).replace("Z", "+00:00")) if decided else None
        )
        item = QueueItem(id=reuse_id(session, QueueItem, keep_id, "queue item"), **fields)
        session.add(item)
        session.flush()
        Change(session, db.actor).record(
            "create", ENTITY, item.id, None, snapshot(item), item.text[:200]
        )
        return item.id

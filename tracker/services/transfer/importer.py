"""Rows in, records out: the engine behind ``tracker import``.

Each row is mapped to fields (:mod:`.mapping`), checked with the same rules
as the services, given a stable key, and then:

- a key already stored is *unchanged* (or, with ``update``, changed where
  its content differs, through the services, audited as usual);
- a new key becomes records. The row's speaker is decided by the one rule
  of :mod:`tracker.services.attribution` (``decide_speaker``), once per
  distinct name; sources are found by url or title, or created. The
  records are then written in bulk (one ``executemany`` per table for a
  chunk of rows, the search index included), since a million rows one unit
  of work at a time would take an hour.

Units of work: the whole file is one (nothing is written unless all of it
is), or, with ``batch_size``, each batch of rows is one. Every unit takes
the write lock first. The import is one row of ``imports`` and one change
in the audit log (the same change id in every batch), so ``tracker undo``
takes it back whole (:func:`undo_import`). An interrupted import run again
finds the keys its committed batches stored and adds only the rest.

Rejected rows go to ``on_reject`` (a rejects file) and the report; a row
is never half-written: its speaker, source and records are decided before
anything of it is written.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from tracker.db.base import utcnow
from tracker.db.database import Database
from tracker.db.models import (
    AuditEntry,
    Claim,
    Import,
    ImportCreated,
    Quote,
    RecordKey,
    Review,
    Source,
    Speaker,
    Tag,
    claim_quotes,
    claim_tags,
    quote_tags,
)
from tracker.errors import ValidationError
from tracker.scales import DEFAULT_SCALE_FOR_KIND, get_scale
from tracker.services import attribution, claims, quotes, sources, speakers
from tracker.services.transfer import mapping as maps
from tracker.services.transfer.columns import content_key
from tracker.services.transfer.readers import InputRow
from tracker.services.validation import (
    clean_choice,
    clean_date,
    clean_name,
    clean_partial_date,
    clean_short,
    clean_tags,
    clean_text,
    clean_url,
    parse_offset,
)
from tracker.vocab import CLAIM_KINDS, DATED_KINDS, QUOTE_MODES, SOURCE_KINDS, SPEAKER_KINDS

CHUNK = 1000  # rows decided and written together
_IGNORED = frozenset({"_line", "_reason", "_raw"})  # a rejects file's own columns
MAX_REJECTS_REPORTED = 100
SPEAKER_MODES = ("match", "create", "strict")


@dataclass(frozen=True)
class ImportOptions:
    speakers: str = "match"  # match | create | strict (docs/import.md)
    accept_maybe: bool = False
    update: bool = False
    dry_run: bool = False
    batch_size: int | None = None  # None: the whole file is one unit of work
    strict: bool = False  # a rejected row refuses the import (its unit of work)
    file_name: str = "<stdin>"
    format: str = "csv"


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did (or, dry, would do). ``as_json`` is the shape
    ``tracker import --json`` prints (docs/import.md)."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    speakers_created: int = 0
    speakers_matched: int = 0
    rejects: list[Reject] = field(default_factory=list)
    import_id: int | None = None
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "speakers_created": self.speakers_created,
            "speakers_matched": self.speakers_matched,
            "rejects": [{"line": r.line, "reason": r.reason} for r in self.rejects],
            "dry_run": self.dry_run,
            "import_id": self.import_id,
        }


class _RowRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _DryRun(Exception):
    """Raised at the end of a dry run so its unit of work is rolled back."""


@dataclass
class _Verdict:
    scale: str
    rating: str
    value: float
    final: bool
    reviewer: str
    reviewed_at: dt.datetime
    rationale: str | None
    evidence: list[str]


@dataclass
class _Item:
    """One row, checked: everything needed to write it."""

    row: InputRow
    record: str  # quote | claim | quote+claim
    key: str
    speaker: str | None
    speaker_id: int | None
    speaker_kind: str | None
    speaker_extra: dict[str, Any]
    source: dict[str, Any] | None
    quote: dict[str, Any] | None
    claim: dict[str, Any] | None
    verdicts: list[_Verdict]
    quote_keys: list[str]
    on: dt.date | None  # the day for role references
    speaker_ref: int | None = None  # decided
    source_ref: int | None = None


def import_records(
    db: Database,
    records: Iterable[dict[str, object]],
    mapping: maps.Mapping | str | None = None,
    **options: Any,
) -> ImportReport:
    """Import an iterable of dicts (a script's rows) with a mapping (a
    built-in name, a :class:`~.mapping.Mapping`, or None for dicts already
    named as the fields). Options as :class:`ImportOptions`."""
    chosen = maps.load(mapping) if isinstance(mapping, str) else mapping or maps.Mapping()
    opts = ImportOptions(**{"file_name": "<python>", "format": "python", **options})
    rows = (InputRow(line=n, values=dict(r), raw=r) for n, r in enumerate(records, 1))
    return Importer(db, chosen, opts).run(rows)


class Importer:
    def __init__(
        self,
        db: Database,
        mapping: maps.Mapping,
        options: ImportOptions,
        *,
        on_reject: Callable[[InputRow, str], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        if options.speakers not in SPEAKER_MODES:
            raise ValidationError(
                f"--speakers is one of {', '.join(SPEAKER_MODES)}, not {options.speakers!r}",
                "speakers",
            )
        if options.batch_size is not None and options.batch_size < 1:
            raise ValidationError("the batch size must be at least 1", "batch_size")
        self.db = db
        self.mapping = mapping
        self.options = options
        self.on_reject = on_reject
        self.on_progress = on_progress
        self.report = ImportReport(dry_run=options.dry_run)
        self.change_id = uuid.uuid4().hex
        self.started = utcnow()
        self.import_id: int | None = None
        # Decisions made once per import, not once per row.
        self._speakers: dict[tuple[str, str | None, dt.date | None], int | str] = {}
        self._speaker_extras_done: set[tuple[int, str]] = set()
        self._sources: dict[tuple[str, str], int] = {}
        self._tags: dict[str, int] = {}
        self._created_speakers: set[int] = set()

    # -- the run ---------------------------------------------------------

    def run(self, rows: Iterable[InputRow]) -> ImportReport:
        from tracker.services.speaker_index import directory

        self._prepare_index()
        rows_iter = iter(rows)
        batch = self.options.batch_size
        chunk_size = min(CHUNK, batch) if batch else CHUNK
        index = directory(self.db)
        try:
            if batch is None or self.options.dry_run:
                with self.db.unit_of_work() as session:
                    self._begin(session)
                    for chunk in _chunks(rows_iter, chunk_size):
                        self._chunk(session, chunk)
                    self._finish(session)
                    if self.options.dry_run:
                        raise _DryRun
            else:
                pending = _chunks(rows_iter, chunk_size)
                first = True
                while True:
                    taken = 0
                    with self.db.unit_of_work() as session:
                        self._begin(session, first)
                        first = False
                        for chunk in pending:
                            self._chunk(session, chunk)
                            taken += len(chunk)
                            if taken >= batch:
                                break
                        done = taken < batch
                        self._finish(session)
                    index.settle(committed=True)
                    if done:
                        break
        except _DryRun:
            self.report.import_id = None
            index.settle(committed=False)
        except BaseException:
            index.settle(committed=False)
            raise
        else:
            index.settle(committed=True)
        return self.report

    def _prepare_index(self) -> None:
        """Build the speaker index before taking the write lock (as the
        attribution service does): a cold build takes seconds."""
        from tracker.services.speaker_index import directory

        directory(self.db).index()

    def _begin(self, session: Session, first: bool = True) -> None:
        session.info["change_id"] = self.change_id
        session.info["change_at"] = self.started
        session.connection()  # the write lock, first
        if self.import_id is None:
            entry = Import(
                change_id=self.change_id,
                file=self.options.file_name[:1000],
                format=self.options.format,
                mapping=self.mapping.name,
                actor=self.db.actor,
                started_at=self.started,
            )
            session.add(entry)
            session.flush()
            self.import_id = entry.id
            self.report.import_id = entry.id

    def _finish(self, session: Session) -> None:
        """Record this unit's part of the import: its counts, and one audit
        entry naming the file."""
        assert self.import_id is not None
        counts = self.report.as_json()
        counts.pop("rejects")
        session.execute(
            update(Import)
            .where(Import.id == self.import_id)
            .values(counts=counts, finished_at=utcnow())
        )
        r = self.report
        session.add(
            AuditEntry(
                change_id=self.change_id,
                at=self.started,
                actor=self.db.actor,
                action="import",
                entity="import",
                entity_id=self.import_id,
                before=None,
                after={"file": self.options.file_name, **counts},
                summary=(
                    f"{self.options.file_name}: {r.inserted} added, {r.updated} updated, "
                    f"{r.unchanged} unchanged, {r.rejected} rejected"
                )[:500],
            )
        )
        session.flush()

    # -- one chunk -------------------------------------------------------

    def _chunk(self, session: Session, chunk: list[InputRow]) -> None:
        items: list[_Item] = []
        for row in chunk:
            self.report.read += 1
            if row.problem:
                self._reject(row, row.problem)
                continue
            try:
                items.append(self._item(row))
            except (ValidationError, _RowRejected) as exc:
                self._reject(row, exc.message if isinstance(exc, ValidationError) else exc.reason)
        items = self._new_or_known(session, items)
        items = self._decide_speakers(session, items)
        items = self._decide_sources(session, items)
        items = self._link_quotes(session, items)
        if items:
            self._write(session, items)
        if self.options.strict and self.report.rejects:
            first = self.report.rejects[0]
            raise ValidationError(
                f"line {first.line}: {first.reason}; nothing was imported (--strict)"
                if self.options.batch_size is None
                else f"line {first.line}: {first.reason}; the batch with it was not imported "
                "(--strict); earlier batches were",
                "strict",
            )
        if self.on_progress is not None:
            self.on_progress(len(chunk))

    def _reject(self, row: InputRow, reason: str) -> None:
        self.report.rejected += 1
        if len(self.report.rejects) < MAX_REJECTS_REPORTED:
            self.report.rejects.append(Reject(row.line, reason))
        if self.on_reject is not None:
            self.on_reject(row, reason)

    # -- checking a row --------------------------------------------------

    def _item(self, row: InputRow) -> _Item:
        m = self.mapping
        if not m.columns:
            unknown = [k for k in row.values if k not in maps.KNOWN_FIELDS and k not in _IGNORED]
            if unknown:
                raise _RowRejected(
                    f"unknown field {unknown[0]!r} (docs/import.md lists the fields)"
                )
        f = m.fields_of(row.values)
        record = _text(f.get("record")) or m.record or "quote"
        if record not in ("quote", "claim", "quote+claim"):
            raise _RowRejected(f"record must be quote, claim or quote+claim, not {record!r}")
        speaker = _text(f.get("speaker"))
        if speaker and m.speaker_names == "slug":
            slug = speaker
            speaker = maps.slug_name(slug)
            if not _text(f.get("speaker_kind")) and maps.looks_like_organisation(slug):
                f["speaker_kind"] = "organisation"
        speaker = clean_name(speaker, "speaker", required=False)
        speaker_id = _int(f.get("speaker_id"), "speaker_id")
        if speaker is None and speaker_id is None and record != "claim":
            raise _RowRejected("speaker is empty")
        kind_text = _text(f.get("speaker_kind"))
        speaker_kind = clean_choice(kind_text, "speaker kind", SPEAKER_KINDS) if kind_text else None
        extra = {
            "role": clean_name(_text(f.get("speaker_role")), "speaker_role", required=False),
            "party": clean_short(_text(f.get("speaker_party")), "speaker_party"),
            "region": clean_short(_text(f.get("speaker_region")), "speaker_region"),
            "wikidata": _text(f.get("speaker_wikidata")),
        }
        source = self._source_fields(f)
        said = clean_partial_date(_text(f.get("said_on")), "said_on")
        said_on = said.iso() if said else None
        tags = clean_tags([str(t) for t in maps.split_list(f.get("tags"), m.list_separator)])
        notes = clean_text(_text(f.get("notes")), "notes", required=False)
        text_value = clean_text(_text(f.get("text")), "text")
        assert text_value is not None
        quote = claim = None
        if record in ("quote", "quote+claim"):
            start = f.get("start_offset")
            end = f.get("end_offset")
            quote = {
                "text": text_value,
                "mode": clean_choice(_text(f.get("mode")), "mode", QUOTE_MODES, default="direct"),
                "said_on": said_on,
                "venue": clean_text(
                    _text(f.get("venue")), "venue", required=False, max_len=1000, single_line=True
                ),
                "start_offset": parse_offset(start) if not _blank(start) else None,
                "end_offset": parse_offset(end) if not _blank(end) else None,
                "prefix": clean_text(_text(f.get("prefix")), "prefix", required=False, max_len=200),
                "suffix": clean_text(_text(f.get("suffix")), "suffix", required=False, max_len=200),
                "tags": tags,
                "notes": notes if record == "quote" else None,
            }
            first, last = quote["start_offset"], quote["end_offset"]
            if (first is None) != (last is None):
                raise _RowRejected("give both start_offset and end_offset, or neither")
            if isinstance(first, int) and isinstance(last, int) and last < first:
                raise _RowRejected("end_offset is before start_offset")
        verdicts: list[_Verdict] = []
        quote_keys: list[str] = []
        if record in ("claim", "quote+claim"):
            claim_text = clean_text(_text(f.get("claim_text")), "claim_text", required=False)
            kind = clean_choice(_text(f.get("claim_kind")), "claim_kind", CLAIM_KINDS, "fact")
            due = clean_date(_text(f.get("due")), "due")
            if due is not None and kind not in DATED_KINDS:
                raise _RowRejected(
                    f"only predictions and promises have a due date; this claim is a {kind}"
                )
            if due is not None and said is not None and due < said.first_day():
                raise _RowRejected(f"the due date ({due}) is before the date said ({said_on})")
            claim = {
                "text": claim_text or text_value,
                "kind": kind,
                "said_on": said_on,
                "due_on": due,
                "tags": tags,
                "notes": notes,
            }
            verdicts = self._verdicts(f, kind, said_on)
            quote_keys = [str(k) for k in maps.split_list(f.get("quote_keys"), m.list_separator)]
        key = _text(f.get("key"))
        if key:
            key = m.key_prefix + key
            if len(key) > 500:
                raise _RowRejected(f"the key is {len(key):,} characters long; the limit is 500")
        else:
            where = (source.get("url") or source.get("title")) if source else None
            key = content_key(
                speaker or (str(speaker_id) if speaker_id else None), text_value, where
            )
        day = said.first_day() if said is not None and said.precision == "day" else None
        if day is None and source is not None and source.get("published"):
            published = clean_partial_date(source["published"], "published")
            if published is not None and published.precision == "day":
                day = published.first_day()
        return _Item(
            row=row,
            record=record,
            key=key,
            speaker=speaker,
            speaker_id=speaker_id,
            speaker_kind=speaker_kind,
            speaker_extra=extra,
            source=source,
            quote=quote,
            claim=claim,
            verdicts=verdicts,
            quote_keys=quote_keys,
            on=day,
        )

    def _source_fields(self, f: dict[str, object]) -> dict[str, Any] | None:
        title = clean_text(
            _text(f.get("source_title")),
            "source_title",
            required=False,
            max_len=1000,
            single_line=True,
        )
        url = clean_url(_text(f.get("source_url")), "source_url")
        if title is None and url is None:
            return None
        published = clean_partial_date(_text(f.get("published")), "published")
        kind_text = _text(f.get("source_kind"))
        return {
            "title": title or url,
            "url": url,
            "kind": clean_choice(kind_text, "source_kind", SOURCE_KINDS, "article"),
            "publisher": clean_name(
                _text(f.get("source_publisher")), "source_publisher", required=False
            ),
            "published": published.iso() if published else None,
        }

    def _verdicts(self, f: dict[str, object], kind: str, said_on: str | None) -> list[_Verdict]:
        history = f.get("verdicts")
        if not _blank(history):
            entries = maps.split_list(history, None) if not isinstance(history, list) else history
            out = []
            for entry in entries:
                if not isinstance(entry, dict):
                    raise _RowRejected("verdicts must be a list of objects")
                out.append(self._verdict(entry, kind, said_on))
            return out
        if _blank(f.get("rating")):
            return []
        return [self._verdict(f, kind, said_on)]

    def _verdict(self, f: dict[str, object], kind: str, said_on: str | None) -> _Verdict:
        label = maps.rating_label(self.mapping, str(f.get("rating") or "").strip())
        scale_name = _text(f.get("scale")) or DEFAULT_SCALE_FOR_KIND[kind]
        scale = get_scale(scale_name)
        rationale = clean_text(_text(f.get("rationale")), "rationale", required=False)
        rating = scale.rating(label) if scale is not None else None
        if rating is None and any(not _blank(f.get(k)) for k in ("rating_value", "best_rating")):
            from tracker.services.transfer.claimreview import rating_for

            found = rating_for(
                label, f.get("rating_value"), f.get("best_rating"), f.get("worst_rating")
            )
            if isinstance(found, str):
                raise _RowRejected(found)
            scale = get_scale(found[0])
            assert scale is not None
            rating = scale.rating(found[1])
            if found[2]:
                rationale = f"{rationale}\n{found[2]}" if rationale else found[2]
        if scale is None:
            raise _RowRejected(f"unknown rating scale {scale_name!r}")
        if rating is None:
            raise _RowRejected(
                f"rating {label!r} is not on the {scale.name} scale; use one of: "
                + ", ".join(scale.labels())
            )
        when = _when(f.get("reviewed_at")) or self.started
        if when > utcnow() + dt.timedelta(minutes=5):
            raise _RowRejected(f"reviewed_at {when.isoformat()} is in the future")
        claims._check_reviewed_after_said(when, said_on)
        evidence = [
            e
            for e in (
                clean_url(str(x), "evidence") for x in maps.split_list(f.get("evidence"), None)
            )
            if e
        ]
        return _Verdict(
            scale=scale.key,
            rating=rating.label,
            value=rating.value,
            final=rating.final,
            reviewer=clean_name(_text(f.get("reviewer")), "reviewer", required=False)
            or self.db.actor,
            reviewed_at=when,
            rationale=rationale,
            evidence=evidence,
        )

    # -- known keys ------------------------------------------------------

    def _new_or_known(self, session: Session, items: list[_Item]) -> list[_Item]:
        """Rows whose key is stored already are unchanged (or updated);
        the same key twice in this file is a reject."""
        seen: dict[tuple[str, str], int] = {}
        fresh: list[_Item] = []
        for item in items:
            entity = "quote" if item.record == "quote" else "claim"
            earlier = seen.get((entity, item.key))
            if earlier is not None:
                self._reject(item.row, f"the same key as line {earlier} ({item.key})")
                continue
            seen[(entity, item.key)] = item.row.line
            fresh.append(item)
        stored: dict[tuple[str, str], tuple[int, int | None]] = {}
        for entity in ("quote", "claim"):
            keys = [i.key for i in fresh if ("quote" if i.record == "quote" else "claim") == entity]
            for part in _parts(keys, 500):
                for key, record_id, import_id in session.execute(
                    select(RecordKey.key, RecordKey.record_id, RecordKey.import_id).where(
                        RecordKey.entity == entity, RecordKey.key.in_(part)
                    )
                ):
                    stored[(entity, key)] = (record_id, import_id)
        out: list[_Item] = []
        for item in fresh:
            entity = "quote" if item.record == "quote" else "claim"
            found = stored.get((entity, item.key))
            if found is None:
                out.append(item)
            elif found[1] == self.import_id and self.import_id is not None:
                self._reject(item.row, f"the same key as an earlier row of this file ({item.key})")
            elif self.options.update:
                self._update(session, item, entity, found[0])
            else:
                self.report.unchanged += 1
        return out

    def _update(self, session: Session, item: _Item, entity: str, record_id: int) -> None:
        """A stored key with --update: change what differs, through the
        services (audited, one change with the import)."""
        try:
            with session.begin_nested():
                changed = self._apply_update(session, item, entity, record_id)
        except ValidationError as exc:
            self._reject(item.row, exc.message)
            return
        except _RowRejected as exc:
            self._reject(item.row, exc.reason)
            return
        if changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _apply_update(self, session: Session, item: _Item, entity: str, record_id: int) -> bool:
        speaker_id = self._one_speaker(session, item) if (item.speaker or item.speaker_id) else None
        source_id = self._one_source(session, item.source) if item.source else None
        changed = False
        if entity == "quote":
            assert item.quote is not None
            current = quotes.get_quote(self.db, record_id)
            wanted: dict[str, Any] = {
                **item.quote,
                "speaker_id": speaker_id,
                "source_id": source_id,
            }
            diff = {
                k: v
                for k, v in wanted.items()
                if (tuple(v) if isinstance(v, list) else v) != getattr(current, k)
            }
            if diff:
                quotes.update_quote(self.db, record_id, **diff)
                changed = True
        else:
            assert item.claim is not None
            current_claim = claims.get_claim(self.db, record_id)
            wanted = {
                "text": item.claim["text"],
                "kind": item.claim["kind"],
                "said_on": item.claim["said_on"],
                "due": item.claim["due_on"],
                "tags": item.claim["tags"],
                "notes": item.claim["notes"],
                "claimant_id": speaker_id,
            }
            now = {
                "text": current_claim.text,
                "kind": current_claim.kind,
                "said_on": current_claim.said_on,
                "due": current_claim.due,
                "tags": list(current_claim.tags),
                "notes": current_claim.notes,
                "claimant_id": current_claim.claimant_id,
            }
            diff = {k: v for k, v in wanted.items() if v != now[k]}
            if diff:
                claims.update_claim(self.db, record_id, **diff)
                changed = True
            have = {(r.rating, r.scale) for r in claims.get_claim(self.db, record_id).reviews}
            for verdict in item.verdicts:
                if (verdict.rating, verdict.scale) not in have:
                    claims.add_review(
                        self.db,
                        record_id,
                        rating=verdict.rating,
                        scale=verdict.scale,
                        rationale=verdict.rationale,
                        reviewer=verdict.reviewer,
                        reviewed_at=verdict.reviewed_at,
                        evidence=verdict.evidence,
                    )
                    changed = True
        return changed

    # -- speakers and sources --------------------------------------------

    def _decide_speakers(self, session: Session, items: list[_Item]) -> list[_Item]:
        out = []
        for item in items:
            if item.speaker is None and item.speaker_id is None:
                out.append(item)
                continue
            try:
                item.speaker_ref = self._one_speaker(session, item)
            except _RowRejected as exc:
                self._reject(item.row, exc.reason)
                continue
            except ValidationError as exc:
                self._reject(item.row, exc.message)
                continue
            out.append(item)
        return out

    def _one_speaker(self, session: Session, item: _Item) -> int:
        """The row's speaker: decided once per distinct name (and day, for
        role references) by the attribution rule, created when it says so."""

        mode = self.options.speakers
        cache_key = (item.speaker or f"#{item.speaker_id}", item.speaker_kind, item.on)
        known = self._speakers.get(cache_key)
        if isinstance(known, str):
            raise _RowRejected(known)
        if known is not None:
            self._speaker_extras(session, known, item)
            return known
        who = attribution.Who(
            name=item.speaker,
            speaker_id=item.speaker_id,
            allow_new=mode != "strict",
            kind=item.speaker_kind or "person",
        )
        found = attribution.decide_speaker(self.db, who, item.on)
        speaker_id: int
        if (
            isinstance(found, attribution.SpeakerResolution)
            and found.record is not None
            and found.record.id in self._created_speakers
            and self.mapping.speaker_names == "slug"
            and item.speaker is not None
        ):
            # Slugs identify speakers: john-edwards is not the john-g-edwards
            # this import created a moment ago, however alike the names.
            speaker_id = self._create_speaker(session, item)
        elif isinstance(found, attribution.SpeakerResolution):
            assert found.record is not None
            speaker_id = found.record.id
            self.report.speakers_matched += 1
        elif isinstance(found, attribution.CreateNew) or (
            mode == "create" and found.decision == "maybe"
        ):
            speaker_id = self._create_speaker(session, item)
        elif found.decision == "maybe" and self.options.accept_maybe and found.candidates:
            speaker_id = found.candidates[0].speaker_id
            self.report.speakers_matched += 1
        else:
            reason = (
                found.message
                if found.decision == "maybe"
                else f"no speaker matches {found.name!r} (--speakers strict)"
            )
            if found.decision == "maybe":
                reason += "; or import with --accept-maybe"
            self._speakers[cache_key] = reason
            raise _RowRejected(reason)
        self._speakers[cache_key] = speaker_id
        self._speaker_extras(session, speaker_id, item)
        return speaker_id

    def _create_speaker(self, session: Session, item: _Item) -> int:
        from tracker.services.speaker_index import directory

        assert item.speaker is not None
        extra = item.speaker_extra
        record = speakers.add_speaker(
            self.db,
            item.speaker,
            kind=item.speaker_kind or "person",
            roles=[speakers.RoleInput(extra["role"])] if extra["role"] else (),
            wikidata_qid=extra["wikidata"],
            party=extra["party"],
            region=extra["region"],
        )
        if extra["role"]:
            self._speaker_extras_done.add((record.id, "role:" + extra["role"].casefold()))
        self._speaker_extras_done.add((record.id, "party"))
        self._created(session, "speaker", record.id)
        self._created_speakers.add(record.id)
        directory(self.db).add_uncommitted(session, [record.id])
        self.report.speakers_created += 1
        return record.id

    def _speaker_extras(self, session: Session, speaker_id: int, item: _Item) -> None:
        """A matched speaker gains the row's role (if new to them) and its
        party and region (if they have none): once per speaker per import."""
        extra = item.speaker_extra
        role = extra["role"]
        if role and (speaker_id, "role:" + role.casefold()) not in self._speaker_extras_done:
            self._speaker_extras_done.add((speaker_id, "role:" + role.casefold()))
            current = speakers.get_speaker(self.db, speaker_id)
            if all(r.title.casefold() != role.casefold() for r in current.roles):
                speakers.add_role(self.db, speaker_id, speakers.RoleInput(role))
        if (extra["party"] or extra["region"]) and (
            speaker_id,
            "party",
        ) not in self._speaker_extras_done:
            self._speaker_extras_done.add((speaker_id, "party"))
            current = speakers.get_speaker(self.db, speaker_id)
            fill = {
                k: extra[k] for k in ("party", "region") if extra[k] and getattr(current, k) is None
            }
            if fill:
                speakers.update_speaker(self.db, speaker_id, **fill)

    def _decide_sources(self, session: Session, items: list[_Item]) -> list[_Item]:
        out = []
        for item in items:
            if item.source is not None:
                try:
                    item.source_ref = self._one_source(session, item.source)
                except ValidationError as exc:
                    self._reject(item.row, exc.message)
                    continue
            out.append(item)
        return out

    def _one_source(self, session: Session, spec: dict[str, Any]) -> int:
        """A source by its url, else by its title (and date): found, or created."""
        cache_key = (
            ("url", spec["url"])
            if spec["url"]
            else ("title", f"{spec['title']}|{spec['published']}")
        )
        known = self._sources.get(cache_key)
        if known is not None:
            return known
        if spec["url"]:
            stmt = select(Source.id).where(Source.url == spec["url"])
        else:
            stmt = select(Source.id).where(Source.title == spec["title"], Source.url.is_(None))
            if spec["published"]:
                stmt = stmt.where(Source.published_on == spec["published"])
        found = session.scalar(stmt.order_by(Source.id).limit(1))
        if found is None:
            record = sources.add_source(
                self.db,
                spec["title"],
                kind=spec["kind"],
                publisher=spec["publisher"],
                url=spec["url"],
                published_on=spec["published"],
            )
            found = record.id
            self._created(session, "source", found)
        self._sources[cache_key] = found
        return found

    def _created(self, session: Session, entity: str, record_id: int) -> None:
        assert self.import_id is not None
        session.execute(
            insert(ImportCreated),
            [{"import_id": self.import_id, "entity": entity, "record_id": record_id}],
        )

    def _link_quotes(self, session: Session, items: list[_Item]) -> list[_Item]:
        """A claim naming the quotes it rests on by key: they must exist."""
        wanted = sorted({k for i in items for k in i.quote_keys})
        if not wanted:
            return items
        ids: dict[str, int] = {}
        for part in _parts(wanted, 500):
            ids.update(
                session.execute(
                    select(RecordKey.key, RecordKey.record_id).where(
                        RecordKey.entity == "quote", RecordKey.key.in_(part)
                    )
                )
                .tuples()
                .all()
            )
        missing_native = [k for k in wanted if k not in ids]
        if missing_native:
            ids.update(_native_quote_keys(session, missing_native))
        out = []
        for item in items:
            missing = [k for k in item.quote_keys if k not in ids]
            if missing:
                self._reject(
                    item.row,
                    f"rests on quote {missing[0]}, which is not in the database: import the quotes first",
                )
                continue
            item.claim = {**(item.claim or {}), "quote_ids": [ids[k] for k in item.quote_keys]}
            out.append(item)
        _take_from_quotes(session, out)
        return out

    # -- writing ---------------------------------------------------------

    def _write(self, session: Session, items: list[_Item]) -> None:
        """Every row of the chunk, one executemany per table."""
        now = utcnow()
        with_quote = [i for i in items if i.quote is not None]
        with_claim = [i for i in items if i.claim is not None]
        quote_ids = _allocate(session, "quotes", len(with_quote))
        claim_ids = _allocate(session, "claims", len(with_claim))
        key_rows: list[dict[str, Any]] = []
        tag_names = {t for i in items for t in (i.quote or i.claim or {}).get("tags", [])}
        self._tag_ids(session, tag_names)
        if with_quote:
            rows: list[dict[str, Any]] = []
            tags: list[dict[str, Any]] = []
            search: list[dict[str, Any]] = []
            for item, ident in zip(with_quote, quote_ids, strict=True):
                q = item.quote
                assert q is not None
                rows.append(
                    {
                        "id": ident,
                        "text": q["text"],
                        "speaker_id": item.speaker_ref,
                        "source_id": item.source_ref,
                        "mode": q["mode"],
                        "said_on": q["said_on"],
                        "venue": q["venue"],
                        "start_offset": q["start_offset"],
                        "end_offset": q["end_offset"],
                        "prefix": q["prefix"],
                        "suffix": q["suffix"],
                        "notes": q["notes"],
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                )
                tags.extend({"quote_id": ident, "tag_id": self._tags[t]} for t in q["tags"])
                search.append({"rowid": ident * 4 + 1, "kind": "quote", "body": q["text"]})
                key_rows.append(
                    {
                        "entity": "quote",
                        "key": item.key,
                        "record_id": ident,
                        "import_id": self.import_id,
                    }
                )
                if item.claim is not None:
                    item.claim.setdefault("quote_ids", [])
                    item.claim["quote_ids"] = [*item.claim["quote_ids"], ident]
            session.execute(insert(Quote), rows)
            if tags:
                session.execute(insert(quote_tags), tags)
            _search_rows(session, search)
        if with_claim:
            rows, tags, search = [], [], []
            links: list[dict[str, Any]] = []
            reviews: list[dict[str, Any]] = []
            for item, ident in zip(with_claim, claim_ids, strict=True):
                c = item.claim
                assert c is not None
                latest = max(item.verdicts, key=lambda v: v.reviewed_at) if item.verdicts else None
                rows.append(
                    {
                        "id": ident,
                        "text": c["text"],
                        "kind": c["kind"],
                        "claimant_id": item.speaker_ref,
                        "said_on": c["said_on"],
                        "due_on": c["due_on"],
                        "status": latest.rating if latest else None,
                        "status_final": latest.final if latest else False,
                        "notes": c["notes"],
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                )
                tags.extend({"claim_id": ident, "tag_id": self._tags[t]} for t in c["tags"])
                links.extend(
                    {"claim_id": ident, "quote_id": q}
                    for q in dict.fromkeys(c.get("quote_ids", []))
                )
                search.append({"rowid": ident * 4 + 2, "kind": "claim", "body": c["text"]})
                key_rows.append(
                    {
                        "entity": "claim",
                        "key": item.key,
                        "record_id": ident,
                        "import_id": self.import_id,
                    }
                )
                reviews.extend(
                    {
                        "claim_id": ident,
                        "scale": v.scale,
                        "rating": v.rating,
                        "rating_value": v.value,
                        "final": v.final,
                        "rationale": v.rationale,
                        "reviewer": v.reviewer,
                        "reviewed_at": v.reviewed_at,
                        "evidence": v.evidence,
                    }
                    for v in item.verdicts
                )
            session.execute(insert(Claim), rows)
            if tags:
                session.execute(insert(claim_tags), tags)
            if links:
                session.execute(insert(claim_quotes), links)
            if reviews:
                session.execute(insert(Review), reviews)
            _search_rows(session, search)
        session.execute(insert(RecordKey), key_rows)
        self.report.inserted += len(items)

    def _tag_ids(self, session: Session, names: set[str]) -> None:
        wanted = sorted(n for n in names if n not in self._tags)
        if not wanted:
            return
        for part in _parts(wanted, 500):
            self._tags.update(
                session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(part))).tuples().all()
            )
        missing = [n for n in wanted if n not in self._tags]
        if missing:
            session.execute(insert(Tag), [{"name": n} for n in missing])
            for part in _parts(missing, 500):
                self._tags.update(
                    session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(part)))
                    .tuples()
                    .all()
                )


# -- helpers -------------------------------------------------------------


def _take_from_quotes(session: Session, items: list[_Item]) -> None:
    """A claim resting on quotes takes their speaker (if they have one) and
    their earliest date, unless the row gives them: add_claim's rule."""
    ids = sorted({q for i in items for q in (i.claim or {}).get("quote_ids", [])})
    if not ids:
        return
    known: dict[int, tuple[int, str | None]] = {}
    for part in _parts(ids, 500):
        for ident, speaker_id, said_on in session.execute(
            select(Quote.id, Quote.speaker_id, Quote.said_on).where(Quote.id.in_(part))
        ):
            known[ident] = (speaker_id, said_on)
    for item in items:
        claim = item.claim or {}
        rested = [known[q] for q in claim.get("quote_ids", []) if q in known]
        if not rested:
            continue
        if item.speaker_ref is None and item.speaker is None and item.speaker_id is None:
            speakers_of = {s for s, _ in rested}
            if len(speakers_of) == 1:
                item.speaker_ref = speakers_of.pop()
        if claim.get("said_on") is None:
            dates = sorted(d for _, d in rested if d)
            claim["said_on"] = dates[0] if dates else None


def _allocate(session: Session, table: str, count: int) -> list[int]:
    """Ids for ``count`` new rows, handed out before the rows are written
    (so quotes, their tags, claims and keys go in one executemany each).
    The write lock is held, so nobody else takes them; on PostgreSQL they
    come from the table's sequence."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table, "n": count},
        )
        return [int(r[0]) for r in rows]
    highest = session.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
    ).scalar()
    # ``table`` is one of this module's own names, never input.
    top = session.execute(text(f"SELECT max(id) FROM {table}")).scalar()  # noqa: S608
    start = max(int(highest or 0), int(top or 0)) + 1
    return list(range(start, start + count))


def _search_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows and session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("INSERT INTO search_index (rowid, kind, body) VALUES (:rowid, :kind, :body)"), rows
        )


def _native_quote_keys(session: Session, keys: list[str]) -> dict[str, int]:
    """Quotes typed in by hand have no stored key; an export gives them
    their content key. Find those (few: only hash keys are looked for)."""
    wanted = {k for k in keys if k.startswith("h:")}
    if not wanted:
        return {}
    found: dict[str, int] = {}
    stmt = (
        select(Quote.id, Speaker.name, Quote.text, Source.url, Source.title)
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .outerjoin(Source, Source.id == Quote.source_id)
        .where(
            ~select(RecordKey.record_id)
            .where(RecordKey.entity == "quote", RecordKey.record_id == Quote.id)
            .exists()
        )
    )
    for ident, name, body, url, title in session.execute(stmt):
        key = content_key(name, body, url or title)
        if key in wanted:
            found[key] = ident
    return found


def _chunks(rows: Iterator[InputRow], size: int) -> Iterator[list[InputRow]]:
    chunk: list[InputRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parts(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    raise _RowRejected(f"expected text, found {type(value).__name__} {json.dumps(value)[:60]}")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _int(value: object, field_name: str) -> int | None:
    if _blank(value):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise _RowRejected(f"{field_name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise _RowRejected(f"{field_name} must be 1 or more")
    return number


def _when(value: object) -> dt.datetime | None:
    """A review time: an ISO 8601 date or date-time; no zone means UTC."""
    text_value = _text(value)
    if text_value is None:
        return None
    raw = text_value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise _RowRejected(f"reviewed_at {text_value!r} is not an ISO 8601 date or time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


__all__ = ["ImportOptions", "ImportReport", "Importer", "Reject", "import_records"]

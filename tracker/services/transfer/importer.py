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
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
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
    Speaker,
)
from tracker.errors import ValidationError
from tracker.services import attribution, claims, quotes, sources, speakers
from tracker.services.speaker_index import directory as speaker_directory
from tracker.services.transfer import directory
from tracker.services.transfer import mapping as maps
from tracker.services.transfer.bulk import (
    BulkWriter,
    create_speaker,
    native_quote_keys,
    parts,
    table,
    take_from_quotes,
)
from tracker.services.transfer.readers import InputRow
from tracker.services.transfer.rows import Item, RowChecker, RowRejected

CHUNK = 1000  # rows decided and written together
IGNORED = frozenset({"_line", "_reason", "_raw"})  # a rejects file's own columns
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


class _DryRun(Exception):
    """Raised at the end of a dry run so its unit of work is rolled back."""


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
        self._checker = RowChecker(mapping, db.actor, self.started)
        self._writer = BulkWriter()
        self._created_speakers: set[int] = set()
        self._wrote = False  # anything written yet (else no audit entry)
        self._date_bound: dict[str, bool] = {}
        # What the records without keys say (see _not_there_yet), read once.
        self._native: set[int] | None = None

    # -- the run ---------------------------------------------------------

    def run(self, rows: Iterable[InputRow]) -> ImportReport:
        self._prepare_index()
        rows_iter = iter(rows)
        batch = self.options.batch_size
        chunk_size = min(CHUNK, batch) if batch else CHUNK
        index = speaker_directory(self.db)
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
        speaker_directory(self.db).index()

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
        if not self._wrote:
            return  # an import that changed nothing is not a change to undo
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
        readable = []
        for row in chunk:
            self.report.read += 1
            if row.problem:
                self._reject(row, row.problem)
            else:
                readable.append(row)
        if self.mapping.record in ("speaker", "source"):
            self._directory_rows(session, readable)
        else:
            self._record_rows(session, readable)
        if self.options.strict and self.report.rejects:
            first = self.report.rejects[0]
            raise ValidationError(
                f"{self._where}line {first.line}: {first.reason}; nothing was imported (--strict)"
                if self.options.batch_size is None
                else f"{self._where}line {first.line}: {first.reason}; the batch with it was not "
                "imported (--strict); earlier batches were",
                "strict",
            )
        if self.on_progress is not None:
            self.on_progress(len(chunk))

    def _record_rows(self, session: Session, chunk: list[InputRow]) -> None:
        """Rows that become quotes and claims."""
        items: list[Item] = []
        for row in chunk:
            try:
                items.append(self._checker.item(row))
            except (ValidationError, RowRejected) as exc:
                self._reject(row, exc.message if isinstance(exc, ValidationError) else exc.reason)
        items = self._new_or_known(session, items)
        with speaker_directory(self.db).steady():  # the lock is held: nobody else adds speakers
            items = self._decide_speakers(session, items)
        items = self._decide_sources(session, items)
        items = self._not_there_yet(session, items)
        items = self._link_quotes(session, items)
        if items:
            self._writer.write(session, items, self.import_id)
            self.report.inserted += len(items)
            self._wrote = True

    def _directory_rows(self, session: Session, chunk: list[InputRow]) -> None:
        """Rows of tracker's own speaker or source export."""
        entity = self.mapping.record
        add = directory.import_speaker if entity == "speaker" else directory.import_source
        for row in chunk:
            try:
                with session.begin_nested():
                    created = add(self.db, session, row.values)
            except ValidationError as exc:
                self._reject(row, exc.message)
                continue
            except RowRejected as exc:
                self._reject(row, exc.reason)
                continue
            if created is None:
                self.report.unchanged += 1
                continue
            assert entity is not None
            self._created(session, entity, created)
            self.report.inserted += 1
            if entity == "speaker":
                self.report.speakers_created += 1

    @property
    def _where(self) -> str:
        return f"{self.options.file_name}: " if self.options.file_name != "<python>" else ""

    def _reject(self, row: InputRow, reason: str) -> None:
        self.report.rejected += 1
        if len(self.report.rejects) < MAX_REJECTS_REPORTED:
            self.report.rejects.append(Reject(row.line, reason))
        if self.on_reject is not None:
            self.on_reject(row, reason)

    # -- checking a row --------------------------------------------------

    def _new_or_known(self, session: Session, items: list[Item]) -> list[Item]:
        """Rows whose key is stored already are unchanged (or updated);
        the same key twice in this file is a reject."""
        seen: dict[tuple[str, str], int] = {}
        fresh: list[Item] = []
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
            for part in parts(keys, 500):
                for key, record_id, import_id in session.execute(
                    select(RecordKey.key, RecordKey.record_id, RecordKey.import_id).where(
                        RecordKey.entity == entity, RecordKey.key.in_(part)
                    )
                ):
                    stored[(entity, key)] = (record_id, import_id)
        out: list[Item] = []
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

    def _update(self, session: Session, item: Item, entity: str, record_id: int) -> None:
        """A stored key with --update: change what differs, through the
        services (audited, one change with the import)."""
        try:
            with session.begin_nested():
                changed = self._apply_update(session, item, entity, record_id)
        except ValidationError as exc:
            self._reject(item.row, exc.message)
            return
        except RowRejected as exc:
            self._reject(item.row, exc.reason)
            return
        if changed:
            self._wrote = True
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _apply_update(self, session: Session, item: Item, entity: str, record_id: int) -> bool:
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
            diff = {k: v for k, v in wanted.items() if _differs(v, getattr(current, k))}
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
            diff = {k: v for k, v in wanted.items() if _differs(v, now[k])}
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

    def _decide_speakers(self, session: Session, items: list[Item]) -> list[Item]:
        out = []
        for item in items:
            if item.speaker is None and item.speaker_id is None:
                out.append(item)
                continue
            try:
                item.speaker_ref = self._one_speaker(session, item)
            except RowRejected as exc:
                self._reject(item.row, exc.reason)
                continue
            except ValidationError as exc:
                self._reject(item.row, exc.message)
                continue
            out.append(item)
        return out

    def _one_speaker(self, session: Session, item: Item) -> int:
        """The row's speaker: decided once per distinct name (and day, for
        role references) by the attribution rule, created when it says so."""

        mode = self.options.speakers
        on = item.on if item.speaker is not None and self._dated(item.speaker) else None
        cache_key = (item.speaker or f"#{item.speaker_id}", item.speaker_kind, on)
        known = self._speakers.get(cache_key)
        if isinstance(known, str):
            raise RowRejected(known)
        if known is not None:
            self._speaker_extras(session, known, item)
            return known
        if self.mapping.speaker_names == "exact" and item.speaker is not None:
            return self._exact_speaker(session, item, cache_key)
        who = attribution.Who(
            name=item.speaker,
            speaker_id=item.speaker_id,
            allow_new=mode != "strict",
            kind=item.speaker_kind or "person",
        )
        found = attribution.decide_speaker(self.db, who, on)
        speaker_id: int
        if (
            isinstance(found, attribution.SpeakerResolution)
            and found.id in self._created_speakers
            and self.mapping.speaker_names == "slug"
            and item.speaker is not None
        ):
            # Slugs identify speakers: john-edwards is not the john-g-edwards
            # this import created a moment ago, however alike the names.
            speaker_id = self._create_speaker(session, item)
        elif isinstance(found, attribution.SpeakerResolution):
            assert found.id is not None
            speaker_id = found.id
            self.report.speakers_matched += 1
        elif isinstance(found, attribution.CreateNew):
            speaker_id = self._create_speaker(session, item)
        elif mode == "create" and found.decision == "maybe":
            # A name stored exactly is that speaker, even when the matcher,
            # seeing "John G Edwards" too, only says maybe: else a second
            # PolitiFact file would add John Edwards again.
            stored = self._stored_exactly(session, item)
            if stored is None:
                speaker_id = self._create_speaker(session, item)
            else:
                speaker_id = stored
                self.report.speakers_matched += 1
        elif (
            mode == "match"
            and found.decision == "maybe"
            and self.options.accept_maybe
            and found.candidates
        ):
            speaker_id = found.candidates[0].speaker_id
            self.report.speakers_matched += 1
        else:
            reason = (
                found.message
                if found.decision == "maybe"
                else f"no speaker matches {found.name!r} (--speakers strict)"
            )
            if found.decision == "maybe" and mode == "match":
                reason += "; or import with --accept-maybe"
            self._speakers[cache_key] = reason
            raise RowRejected(reason)
        self._speakers[cache_key] = speaker_id
        self._speaker_extras(session, speaker_id, item)
        return speaker_id

    def _dated(self, name: str) -> bool:
        """Whether the name's speaker can differ by the date said (a role
        phrase): if not, it is decided once for every date."""
        known = self._date_bound.get(name)
        if known is None:
            known = self._date_bound[name] = speaker_directory(self.db).depends_on_date(name)
        return known

    def _stored_exactly(self, session: Session, item: Item) -> int | None:
        """The speaker stored with exactly the row's name (and kind), if any."""
        stmt = select(Speaker.id).where(Speaker.name == item.speaker)
        if item.speaker_kind:
            stmt = stmt.where(Speaker.kind == item.speaker_kind)
        return session.scalar(stmt.order_by(Speaker.id).limit(1))

    def _exact_speaker(
        self, session: Session, item: Item, cache_key: tuple[str, str | None, dt.date | None]
    ) -> int:
        """Names as stored (tracker's own exports): the speaker with exactly
        this name (and kind), else a new one; no fuzzy matching."""
        found = self._stored_exactly(session, item)
        if found is None:
            found = self._create_speaker(session, item)
        else:
            self.report.speakers_matched += 1
        self._speakers[cache_key] = found
        self._speaker_extras(session, found, item)
        return found

    def _create_speaker(self, session: Session, item: Item) -> int:
        assert item.speaker is not None
        extra = item.speaker_extra
        kind = item.speaker_kind or "person"
        if extra["wikidata"]:  # the services check the id is nobody else's
            ident = speakers.add_speaker(
                self.db,
                item.speaker,
                kind=kind,
                roles=[speakers.RoleInput(extra["role"])] if extra["role"] else (),
                wikidata_qid=extra["wikidata"],
                party=extra["party"],
                region=extra["region"],
            ).id
            speaker_directory(self.db).add_uncommitted(session, [ident])
        else:
            ident, entry = create_speaker(
                session,
                self.db.actor,
                item.speaker,
                kind,
                role=extra["role"],
                party=extra["party"],
                region=extra["region"],
            )
            speaker_directory(self.db).add_uncommitted_entries([entry])
        if extra["role"]:
            self._speaker_extras_done.add((ident, "role:" + extra["role"].casefold()))
        self._speaker_extras_done.add((ident, "party"))
        self._created(session, "speaker", ident)
        self._created_speakers.add(ident)
        self.report.speakers_created += 1
        return ident

    def _speaker_extras(self, session: Session, speaker_id: int, item: Item) -> None:
        """A matched speaker gains the row's role (if new to them) and its
        party and region (if they have none): once per speaker per import."""
        extra = item.speaker_extra
        role = extra["role"]
        if role and (speaker_id, "role:" + role.casefold()) not in self._speaker_extras_done:
            self._speaker_extras_done.add((speaker_id, "role:" + role.casefold()))
            current = speakers.get_speaker(self.db, speaker_id)
            if all(r.title.casefold() != role.casefold() for r in current.roles):
                speakers.add_role(self.db, speaker_id, speakers.RoleInput(role))
                self._wrote = True
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
                self._wrote = True

    def _decide_sources(self, session: Session, items: list[Item]) -> list[Item]:
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
        found = directory.find_source(session, spec["url"], spec["title"], spec["published"])
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
        self._wrote = True
        session.execute(
            insert(table(ImportCreated)),
            [{"import_id": self.import_id, "entity": entity, "record_id": record_id}],
        )

    def _not_there_yet(self, session: Session, items: list[Item]) -> list[Item]:
        """A row with a key not stored may still be a record already here:
        typed in by hand and exported (its key is then a content hash, not
        stored), or a ClaimReview exported and read back (its key is its
        url). The same text by the same speaker (and, for a quote, from the
        same source) is that record, the row unchanged, if the record has
        no key of its own (records with keys are found by key only: two
        PolitiFact statements may have the same words)."""
        if self._native is None:
            self._native = _native_contents(session)
        if not self._native:
            return items
        out = []
        for item in items:
            if item.record == "quote" and item.quote is not None:
                probe = _content("quote", item.speaker_ref, item.source_ref, item.quote["text"])
            elif item.claim is not None:
                probe = _content("claim", item.speaker_ref, None, item.claim["text"])
            else:
                probe = None
            if probe is not None and probe in self._native:
                self.report.unchanged += 1
            else:
                out.append(item)
        return out

    def _link_quotes(self, session: Session, items: list[Item]) -> list[Item]:
        """A claim naming the quotes it rests on by key: they must exist."""
        wanted = sorted({k for i in items for k in i.quote_keys})
        if not wanted:
            return items
        ids: dict[str, int] = {}
        for part in parts(wanted, 500):
            ids.update(
                session.execute(
                    select(RecordKey.key, RecordKey.record_id).where(
                        RecordKey.entity == "quote", RecordKey.key.in_(part)
                    )
                ).all()
            )
        missing_native = [k for k in wanted if k not in ids]
        if missing_native:
            ids.update(native_quote_keys(session, missing_native))
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
        take_from_quotes(session, out)
        return out

    # -- writing ---------------------------------------------------------


# -- helpers -------------------------------------------------------------
def _native_contents(session: Session) -> set[int]:
    """A hash of each keyless record's speaker, source and text: records
    typed in by hand (few), read once per import. Imported records all have
    keys, so this does not grow with the imports."""
    found: set[int] = set()
    for speaker, source, body in session.execute(
        select(Quote.speaker_id, Quote.source_id, Quote.text).where(~_keyed("quote", Quote.id))
    ):
        found.add(_content("quote", speaker, source, body))
    for claimant, body in session.execute(
        select(Claim.claimant_id, Claim.text).where(~_keyed("claim", Claim.id))
    ):
        found.add(_content("claim", claimant, None, body))
    return found


def _content(entity: str, speaker: int | None, source: int | None, text: str) -> int:
    digest = hashlib.blake2b(f"{entity}\x1f{speaker}\x1f{source}\x1f{text}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


def _keyed(entity: str, ident: Any) -> Any:
    """Whether the record has a stored key (an EXISTS clause)."""
    return (
        select(RecordKey.record_id)
        .where(RecordKey.entity == entity, RecordKey.record_id == ident)
        .exists()
    )


def _differs(wanted: object, stored: object) -> bool:
    """A field to update? Tags are a set (stored sorted), so their order is no change."""
    if isinstance(wanted, (list, tuple)) and isinstance(stored, (list, tuple)):
        return sorted(map(str, wanted)) != sorted(map(str, stored))
    return wanted != stored


def _chunks(rows: Iterator[InputRow], size: int) -> Iterator[list[InputRow]]:
    chunk: list[InputRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = ["ImportOptions", "ImportReport", "Importer", "Reject", "import_records"]

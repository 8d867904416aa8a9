"""Writing a chunk of checked rows: one ``executemany`` per table (quotes,
their tags, claims, the quotes they rest on, verdicts, keys, the search
index), with ids handed out first so the rows can refer to each other."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from tracker.db.base import Base, utcnow
from tracker.db.models import (
    Claim,
    Quote,
    RecordKey,
    Review,
    Source,
    Speaker,
    SpeakerRole,
    Tag,
    claim_quotes,
    claim_tags,
    quote_tags,
)
from tracker.matching import RoleEntry, SpeakerEntry
from tracker.services.audit import Change
from tracker.services.records import to_jsonable
from tracker.services.transfer.columns import content_key
from tracker.services.transfer.rows import Item


def table(model: type[Base]) -> Table:
    """A model's table, for Core inserts."""
    return cast(Table, model.__table__)


class BulkWriter:
    """Writes items; keeps the tag ids it has seen for the rest of the import."""

    def __init__(self) -> None:
        self._tags: dict[str, int] = {}

    def write(self, session: Session, items: list[Item], import_id: int | None) -> None:
        """Every row of the chunk, one executemany per table (Core tables, not
        the ORM classes: the ORM's bulk path costs more than the inserts)."""
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
                        "import_id": import_id,
                    }
                )
                if item.claim is not None:
                    item.claim.setdefault("quote_ids", [])
                    item.claim["quote_ids"] = [*item.claim["quote_ids"], ident]
            insert_many(session, table(Quote), rows)
            if tags:
                insert_many(session, quote_tags, tags)
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
                        "import_id": import_id,
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
            insert_many(session, table(Claim), rows)
            if tags:
                insert_many(session, claim_tags, tags)
            if links:
                insert_many(session, claim_quotes, links)
            if reviews:
                insert_many(session, table(Review), reviews)
            _search_rows(session, search)
        insert_many(session, table(RecordKey), key_rows)

    def _tag_ids(self, session: Session, names: set[str]) -> None:
        wanted = sorted(n for n in names if n not in self._tags)
        if not wanted:
            return
        for part in parts(wanted, 500):
            self._tags.update(
                session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(part))).all()
            )
        missing = [n for n in wanted if n not in self._tags]
        if missing:
            insert_many(session, table(Tag), [{"name": n} for n in missing])
            for part in parts(missing, 500):
                self._tags.update(
                    session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(part))).all()
                )


def take_from_quotes(session: Session, items: list[Item]) -> None:
    """A claim resting on quotes takes their speaker (if they have one) and
    their earliest date, unless the row gives them: add_claim's rule."""
    ids = sorted({q for i in items for q in (i.claim or {}).get("quote_ids", [])})
    if not ids:
        return
    known: dict[int, tuple[int, str | None]] = {}
    for part in parts(ids, 500):
        for ident, speaker_id, said_on in session.execute(
            select(Quote.id, Quote.speaker_id, Quote.said_on).where(Quote.id.in_(part))
        ):
            known[ident] = (speaker_id, said_on)
    for item in items:
        claim = item.claim or {}
        rested = [known[q] for q in claim.get("quote_ids", []) if q in known]
        if not rested:
            continue
        if item.speaker_ref is None and not item.gives_speaker:
            speakers_of = {s for s, _ in rested}
            if len(speakers_of) == 1:
                item.speaker_ref = speakers_of.pop()
        if claim.get("said_on") is None and not item.gives_said:
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
        session.connection().exec_driver_sql(
            "INSERT INTO search_index (rowid, kind, body) VALUES (?, ?, ?)",
            [(r["rowid"], r["kind"], r["body"]) for r in rows],
        )


def insert_many(session: Session, into: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` the rows (dicts with the same keys). On SQLite the values
    are converted as SQLAlchemy's column types would store them and handed
    to the driver's ``executemany`` directly: SQLAlchemy's per-row
    parameter processing cost more than SQLite's insert. Elsewhere, Core."""
    if not rows:
        return
    if session.get_bind().dialect.name != "sqlite":
        session.execute(insert(into), rows)
        return
    names = list(rows[0])
    convert = [_SQLITE_VALUE.get(type(into.c[n].type).__name__) for n in names]
    columns = ", ".join(names)
    marks = ", ".join("?" * len(names))
    values = [
        tuple(
            row[n] if f is None or row[n] is None else f(row[n])
            for n, f in zip(names, convert, strict=True)
        )
        for row in rows
    ]
    session.connection().exec_driver_sql(
        f"INSERT INTO {into.name} ({columns}) VALUES ({marks})",  # noqa: S608 (our own names)
        values,
    )


def _sqlite_time(value: dt.datetime) -> str:
    """As tracker's UTCDateTime stores a time on SQLite: UTC, no zone."""
    v = value.astimezone(dt.UTC)
    return (
        f"{v.year:04d}-{v.month:02d}-{v.day:02d} "
        f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}"
    )


# How SQLAlchemy's types store a value on SQLite, by the column type's class.
_SQLITE_VALUE: dict[str, Callable[[Any], Any]] = {
    "UTCDateTime": _sqlite_time,
    "Date": lambda d: d.isoformat(),
    "Boolean": int,
    "JSON": lambda v: json.dumps(v),
}


def native_quote_keys(session: Session, keys: list[str]) -> dict[str, int]:
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


def parts(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def create_speaker(
    session: Session,
    actor: str,
    name: str,
    kind: str,
    *,
    role: str | None = None,
    party: str | None = None,
    region: str | None = None,
) -> tuple[int, SpeakerEntry]:
    """A new speaker as ``speakers.add_speaker`` records one (the row, its
    role, its search entry, and a "create" audit entry with the same
    snapshot), in four plain statements instead of an ORM flush: an import
    may create a hundred thousand. Returns the id and the matcher's entry
    for it. The values are checked already (rows.RowChecker)."""
    now = utcnow()
    values = {
        "kind": kind,
        "name": name,
        "wikidata_qid": None,
        "notes": None,
        "party": party,
        "region": region,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    ident = int(
        session.execute(
            insert(table(Speaker)).returning(table(Speaker).c.id), [values]
        ).scalar_one()
    )
    roles: list[dict[str, Any]] = []
    if role:
        role_id = session.execute(
            insert(table(SpeakerRole)).returning(table(SpeakerRole).c.id),
            [{"speaker_id": ident, "title": role, "organisation": None}],
        ).scalar_one()
        roles.append(
            {"id": role_id, "title": role, "organisation": None, "start": None, "end": None}
        )
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("INSERT INTO search_index (rowid, kind, body) VALUES (:rowid, 'speaker', :body)"),
            {"rowid": ident * 4 + 3, "body": name + " "},
        )
    after = to_jsonable({"id": ident, **values, "aliases": [], "roles": roles})
    Change(session, actor).record("create", "speaker", ident, None, after, name)
    entry = SpeakerEntry(
        ident, name, kind, (), (RoleEntry(role, None, None, None, ()),) if role else (), 0
    )
    return ident, entry

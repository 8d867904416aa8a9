"""Writing a chunk of checked rows: one ``executemany`` per table (quotes,
their tags, claims, the quotes they rest on, verdicts, keys, the search
index), with ids handed out first so the rows can refer to each other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from tracker.db.base import utcnow
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


class BulkWriter:
    """Writes items; keeps the tag ids it has seen for the rest of the import."""

    def __init__(self) -> None:
        self._tags: dict[str, int] = {}

    def write(self, session: Session, items: list[Item], import_id: int | None) -> None:
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
                        "import_id": import_id,
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
            session.execute(insert(Claim), rows)
            if tags:
                session.execute(insert(claim_tags), tags)
            if links:
                session.execute(insert(claim_quotes), links)
            if reviews:
                session.execute(insert(Review), reviews)
            _search_rows(session, search)
        session.execute(insert(RecordKey), key_rows)

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
            session.execute(insert(Tag), [{"name": n} for n in missing])
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
        session.execute(
            text("INSERT INTO search_index (rowid, kind, body) VALUES (:rowid, :kind, :body)"), rows
        )


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
    ident = int(session.execute(insert(Speaker).returning(Speaker.id), [values]).scalar_one())
    roles: list[dict[str, Any]] = []
    if role:
        role_id = session.execute(
            insert(SpeakerRole).returning(SpeakerRole.id),
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

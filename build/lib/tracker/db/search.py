"""Full-text search over quote text, claim text and speaker names/aliases.

This is the only module that knows which database it is talking to for
search. On SQLite it uses an FTS5 table, ``search_index``, created by the
migrations and kept in sync on every flush by a session hook (so every
write made through the ORM, in any service, updates it in the same
transaction). On other databases it falls back to portable ``LIKE``
matching until a native implementation (a tsvector index on PostgreSQL)
is added here; nothing outside this module changes when it is.

Text typed by a user is never FTS5 syntax: it is split into words and each
word is quoted, so ``"``, ``*``, ``NEAR`` or ``OR`` are just text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from sqlalchemy import Float, Integer, Subquery, bindparam, func, literal, or_, select, text
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from tracker.db.models import Claim, Quote, Speaker, SpeakerAlias

Kind = Literal["quote", "claim", "speaker"]
TABLE = "search_index"
_CODES: dict[str, int] = {"quote": 1, "claim": 2, "speaker": 3}
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_PREFIX = 2  # letters typed before the last word matches as a prefix


def is_search_table(name: str) -> bool:
    """Tables that belong to full-text search (FTS5 and its shadow tables)."""
    return name == TABLE or name.startswith(TABLE + "_")


def _uses_fts5(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def words(query: str) -> list[str]:
    """The words of a search query, as the index splits them."""
    return _WORD.findall(query)


def fts5_query(query: str, prefix_last: bool = True) -> str | None:
    """Build a safe FTS5 MATCH expression: every word must appear; the last
    word may be a prefix (the user may still be typing it)."""
    tokens = words(query)
    if not tokens:
        return None
    parts = ['"' + t.replace('"', '""') + '"' for t in tokens]
    # A one-letter prefix would merge the doclists of every word starting
    # with it (over 100 ms on a million quotes, for a result nobody reads),
    # so prefixes start counting from the second letter.
    if prefix_last and len(tokens[-1]) >= MIN_PREFIX:
        parts[-1] += "*"
    return " ".join(parts)


def matching(session: Session, query: str, kind: Kind, prefix_last: bool = True) -> Subquery | None:
    """A subquery of ``(ref_id, rank)`` for records of ``kind`` matching
    ``query``; lower rank is better. ``None`` when the query has no words."""
    if _uses_fts5(session):
        expr = fts5_query(query, prefix_last)
        if expr is None:
            return None
        stmt = (
            text(
                f"SELECT rowid / 4 AS ref_id, bm25({TABLE}) AS rank FROM {TABLE} "
                f"WHERE {TABLE} MATCH :expr AND rowid % 4 = :code"
            )
            .bindparams(expr=expr, code=_CODES[kind])
            .columns(ref_id=Integer, rank=Float)
        )
        return stmt.subquery(f"fts_{kind}")
    return _like_matching(query, kind, prefix_last)


def matching_ids(
    session: Session, query: str, kind: Kind, *, before: int | None = None, limit: int = 500
) -> list[int]:
    """Ids of ``kind`` records matching ``query``, newest (highest id) first,
    below ``before`` when given: one keyset page of matches.

    On SQLite this walks the FTS5 doclist backwards by rowid and stops after
    ``limit`` hits, so paging through a common word costs the same on page
    1000 as on page 1, instead of sorting every match."""
    if _uses_fts5(session):
        expr = fts5_query(query)
        if expr is None:
            return []
        bound = " AND rowid < :bound" if before is not None else ""
        stmt = text(
            f"SELECT rowid / 4 FROM {TABLE} WHERE {TABLE} MATCH :expr{bound} "
            "AND rowid % 4 = :code ORDER BY rowid DESC LIMIT :limit"
        )
        params: dict[str, object] = {"expr": expr, "code": _CODES[kind], "limit": limit}
        if before is not None:
            params["bound"] = before * 4
        return [int(row[0]) for row in session.execute(stmt, params)]
    sub = _like_matching(query, kind, True)
    if sub is None:
        return []
    ids = select(sub.c.ref_id)
    if before is not None:
        ids = ids.where(sub.c.ref_id < before)
    return list(session.scalars(ids.order_by(sub.c.ref_id.desc()).limit(limit)))


def _like_matching(query: str, kind: Kind, prefix_last: bool) -> Subquery | None:
    tokens = [t.lower() for t in words(query)]
    if not tokens:
        return None

    def pattern(token: str) -> str:
        escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    if kind == "speaker":
        alias_text = (
            select(func.lower(SpeakerAlias.text))
            .where(SpeakerAlias.speaker_id == Speaker.id)
            .correlate(Speaker)
        )
        conds = [
            or_(
                func.lower(Speaker.name).like(pattern(t), escape="\\"),
                alias_text.where(
                    func.lower(SpeakerAlias.text).like(pattern(t), escape="\\")
                ).exists(),
            )
            for t in tokens
        ]
        return (
            select(Speaker.id.label("ref_id"), literal(0.0).label("rank")).where(*conds).subquery()
        )
    model = Quote if kind == "quote" else Claim
    conds = [func.lower(model.text).like(pattern(t), escape="\\") for t in tokens]
    return select(model.id.label("ref_id"), literal(0.0).label("rank")).where(*conds).subquery()


def reindex(session: Session, kind: Kind, ids: Iterable[int]) -> None:
    """Bring the index entries of these records up to date (deleted records
    are removed)."""
    id_list = sorted(set(ids))
    if not id_list or not _uses_fts5(session):
        return
    code = _CODES[kind]
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        session.execute(
            text(f"DELETE FROM {TABLE} WHERE rowid IN :rowids").bindparams(
                bindparam("rowids", expanding=True)
            ),
            {"rowids": [i * 4 + code for i in chunk]},
        )
        session.execute(
            text(_insert_sql(kind) + " WHERE t.id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        )


def _insert_sql(kind: Kind) -> str:
    code = _CODES[kind]
    if kind == "speaker":
        body = (
            "t.name || ' ' || coalesce((SELECT group_concat(a.text, ' ') "
            "FROM speaker_aliases a WHERE a.speaker_id = t.id), '')"
        )
        table = "speakers"
    else:
        body = "t.text"
        table = "quotes" if kind == "quote" else "claims"
    return f"INSERT INTO {TABLE} (rowid, kind, body) SELECT t.id * 4 + {code}, '{kind}', {body} FROM {table} t"


def rebuild(session: Session) -> None:
    """Rebuild the whole index from the tables (after bulk loads)."""
    if not _uses_fts5(session):
        return
    session.execute(text(f"DELETE FROM {TABLE}"))
    kinds: tuple[Kind, ...] = ("quote", "claim", "speaker")
    for kind in kinds:
        session.execute(text(_insert_sql(kind)))


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    touched: dict[Kind, set[int]] = {"quote": set(), "claim": set(), "speaker": set()}
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Quote):
            touched["quote"].add(obj.id)
        elif isinstance(obj, Claim):
            touched["claim"].add(obj.id)
        elif isinstance(obj, Speaker):
            touched["speaker"].add(obj.id)
        elif isinstance(obj, SpeakerAlias) and obj.speaker_id is not None:
            touched["speaker"].add(obj.speaker_id)
    for kind, ids in touched.items():
        reindex(session, kind, ids)


def install(factory: sessionmaker[Session]) -> None:
    """Keep the index in sync on every flush of sessions from ``factory``."""
    from sqlalchemy import event

    event.listen(factory, "after_flush", _after_flush)

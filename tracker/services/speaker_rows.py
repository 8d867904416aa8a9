"""What the speaker index is fed from the database, in plain SQL.

One set of queries for the two ways a database is read: through SQLAlchemy
(:mod:`tracker.services.speaker_index`, every backend) and with the standard
library's sqlite3 (:mod:`tracker.services.fast_match`, a one-off match that
must not pay for importing SQLAlchemy). Both hand in a :data:`Run`: it runs
one statement with named parameters and returns its rows; a statement with
``{ids}`` is run once per chunk of ids, with the chunk, in parentheses,
in place of ``{ids}``.

Values come back as each driver gives them (a date or its ISO text, a JSON
column as a dict or as text); what is read here reads both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tracker.matching import SpeakerIndex
from tracker.matching.types import RoleEntry, SpeakerEntry

Run = Callable[[str, dict[str, Any], Sequence[int] | None], Iterable[Sequence[Any]]]
"""``run(sql, params, ids)``: the rows of ``sql`` (see the module doc)."""


ALIASES = "SELECT speaker_id, text, kind, role_id FROM speaker_aliases {where} ORDER BY id"
ROLES = (
    "SELECT id, speaker_id, title, organisation, start_date, end_date "
    "FROM speaker_roles {where} ORDER BY id"
)
COUNTS = "SELECT speaker_id, count(*) FROM quotes {where} GROUP BY speaker_id"
SPEAKERS = "SELECT id, name, kind FROM speakers {where}"
NEWEST = "SELECT max(id) FROM audit_log"
SINCE = (
    "SELECT entity, entity_id, before, after FROM audit_log "
    "WHERE id > :seen AND id <= :newest AND entity IN ('speaker', 'quote', 'import')"
)
CHANGE_ID = "SELECT change_id FROM audit_log WHERE id = :id"
HIGHEST = "SELECT max(id) FROM {table}"
IDENTITY_TABLES = ("speakers", "speaker_aliases", "speaker_roles")


def entries(run: Run, ids: Sequence[int] | None = None) -> list[SpeakerEntry]:
    """The matcher's view of the speakers ``ids`` (all of them with None).
    Role references go with their role's dates."""

    def rows(sql: str, column: str) -> Iterable[Sequence[Any]]:
        if ids is None:
            return run(sql.format(where=""), {}, None)
        return run(sql.format(where=f"WHERE {column} IN {{ids}}"), {}, ids)

    aliases: dict[int, list[tuple[str, str]]] = {}
    references: dict[int, list[str]] = {}
    for speaker_id, text, kind, role_id in rows(ALIASES, "speaker_id"):
        if kind == "role" and role_id is not None:
            references.setdefault(role_id, []).append(text)
        else:
            aliases.setdefault(speaker_id, []).append((text, kind))
    roles: dict[int, list[RoleEntry]] = {}
    for role_id, speaker_id, title, organisation, start, end in rows(ROLES, "speaker_id"):
        roles.setdefault(speaker_id, []).append(
            RoleEntry(
                title, organisation, _day(start), _day(end), tuple(references.get(role_id, ()))
            )
        )
    counts = {sid: int(n) for sid, n in rows(COUNTS, "speaker_id")}
    return [
        SpeakerEntry(
            sid,
            name,
            kind,
            tuple(aliases.get(sid, ())),
            tuple(roles.get(sid, ())),
            counts.get(sid, 0),
        )
        for sid, name, kind in rows(SPEAKERS, "id")
    ]


def newest_entry(run: Run) -> int:
    """The audit log's highest id: the database's change counter (0: none).
    :func:`tracker.services.audit.newest_entry` reads the same counter in a
    session; this one also runs on a plain sqlite3 connection."""
    for (newest,) in run(NEWEST, {}, None):
        return int(newest or 0)
    return 0


def changed_speakers(run: Run, seen: int, newest: int) -> tuple[set[int], bool]:
    """Speakers whose index entries the audit entries after ``seen`` up to
    ``newest`` may have changed (speakers added, edited, merged or deleted,
    and the speakers of quotes added, edited or deleted: their counts), and
    whether an import or the undo of one is among them: an import writes
    one entry for all the quotes it adds, so whose counts it changed is not
    in the log (see :func:`recounted`)."""
    ids: set[int] = set()
    imported = False
    for entity, entity_id, before, after in run(SINCE, {"seen": seen, "newest": newest}, None):
        if entity == "speaker":
            ids.add(int(entity_id))
            continue
        if entity == "import":
            imported = True
            continue
        for snap in (before, after):
            speaker_id = (_json(snap) or {}).get("speaker_id")
            if isinstance(speaker_id, int):
                ids.add(speaker_id)
    return ids, imported


def recounted(run: Run, known: Mapping[int, int]) -> set[int]:
    """Speakers whose number of quotes in the database is not ``known``'s
    (a speaker missing from ``known`` has none): one grouped count."""
    counts = {int(sid): int(n) for sid, n in run(COUNTS.format(where=""), {}, None)}
    changed = {sid for sid, n in counts.items() if known.get(sid, 0) != n}
    changed.update(sid for sid, n in known.items() if n and sid not in counts)
    return changed


def catch_up(index: SpeakerIndex, run: Run, seen: int, newest: int) -> int:
    """Bring ``index``, which reflects the database up to audit entry
    ``seen``, up to ``newest``; the number of speakers read again."""
    ids, imported = changed_speakers(run, seen, newest)
    if imported:
        ids |= recounted(run, index.quote_counts())
    if ids:
        found = entries(run, sorted(ids))
        for entry in found:
            index.upsert(entry)
        for missing in ids - {e.id for e in found}:
            index.remove(missing)
    return len(ids)


def identity(run: Run) -> dict[str, Any]:
    """Where the database's history stands: the newest audit entry (id and
    change id, a random UUID) and the highest ids of speakers, aliases and
    roles (each one indexed lookup). A saved index is for this database as
    long as the entry it stopped at is still there with the same change id."""
    seen = newest_entry(run)
    highest: list[int] = []
    for table in IDENTITY_TABLES:
        for (top,) in run(HIGHEST.format(table=table), {}, None):
            highest.append(int(top or 0))
    return {"seen": seen, "change_id": change_id(run, seen), "highest": highest}


def change_id(run: Run, entry: int) -> str | None:
    """The change id of audit entry ``entry`` (None if there is none)."""
    if not entry:
        return None
    for (found,) in run(CHANGE_ID, {"id": entry}, None):
        return str(found)
    return None


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _json(value: Any) -> dict[str, Any] | None:
    if value is None or isinstance(value, dict):
        return value
    loaded = json.loads(value)
    return loaded if isinstance(loaded, dict) else None

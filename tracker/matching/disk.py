"""The speaker index in a file, read as it is used.

A cold start (a one-off ``tracker speakers match``, the first speaker field
of a new terminal UI) must not load or build the whole index: for 100,000
speakers that is 80-120 MB and seconds. :func:`save` writes an
:class:`AliasStore` to an SQLite file of its own (not the database: a cache
beside nothing, see ``tracker.services.index_snapshot``), and
:func:`open_store` gives a :class:`DiskStore` over that file: the same store,
whose columns and maps read their entries from the file when first asked
and keep them. A match reads a few hundred entries (its tokens, their rows,
the near spellings of one bucket), so it costs milliseconds and the memory
of what it read.

Changes (``upsert``/``remove``, a catch-up from the audit log) stay in
memory, over the file: the file is never written in place, only replaced
whole by :func:`save` (atomically), so a reader's open file never changes
under it. A :class:`DiskStore` holds exactly what the store it was saved
from held, in the same order (rows, postings, buckets, the order tokens were
first seen), so it matches exactly as that store would; the one difference
is that it does not compact its removed rows (the next :func:`save` writes
them as they are; they are skipped like any removed row).

The file holds no code and nothing is unpickled from it: tables of text,
integers and arrays of row numbers.
"""

from __future__ import annotations

import json
import os
import sqlite3
from array import array
from collections.abc import Callable, ItemsView, Iterable, Iterator, MutableMapping
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from .normalize import consonants
from .store import AliasStore
from .tuning import Tuning
from .types import RoleEntry

K = TypeVar("K")
V = TypeVar("V")

FORMAT = "tracker speaker index file 1"
_ABSENT: Any = object()  # read from the file: not there
_UNREAD: Any = object()  # not read yet


# ------------------------------------------------------------------ maps


class LazyMap(MutableMapping[K, V]):
    """A dict whose entries are read from the file when first asked for.

    Entries read are kept (values that are lists or arrays are the ones the
    store then changes in place); entries set or deleted stay in memory.
    Supports what the store and the matcher do with their dicts."""

    def __init__(
        self,
        read: Callable[[K], V | Any],
        every: Callable[[], Iterator[tuple[K, V]]],
        length: int,
    ) -> None:
        self._read = read  # key -> value, or _ABSENT
        self._every = every  # every (key, value) in the file, in the saved order
        self._mem: dict[K, Any] = {}
        self._len = length

    def _get(self, key: K) -> Any:
        value = self._mem.get(key, _UNREAD)
        if value is _UNREAD:
            value = self._mem[key] = self._read(key)
        return value

    def prime(self, entries: Iterable[tuple[K, V]]) -> None:
        """Entries read from the file by a wider query: kept as if read one
        by one (an entry changed or read already is left as it is)."""
        mem = self._mem
        for key, value in entries:
            if key not in mem:
                mem[key] = value

    def get(self, key: K, default: Any = None) -> Any:
        value = self._get(key)
        return default if value is _ABSENT else value

    def __getitem__(self, key: K) -> V:
        value = self._get(key)
        if value is _ABSENT:
            raise KeyError(key)
        return value  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return self._get(key) is not _ABSENT  # type: ignore[arg-type]

    def __setitem__(self, key: K, value: V) -> None:
        if self._get(key) is _ABSENT:
            self._len += 1
        self._mem[key] = value

    def __delitem__(self, key: K) -> None:
        if self._get(key) is _ABSENT:
            raise KeyError(key)
        self._mem[key] = _ABSENT
        self._len -= 1

    def pop(self, key: K, *default: Any) -> Any:
        value = self._get(key)
        if value is _ABSENT:
            if default:
                return default[0]
            raise KeyError(key)
        del self[key]
        return value

    def setdefault(self, key: K, default: V) -> V:
        value = self._get(key)
        if value is _ABSENT:
            self[key] = default
            return default
        return value  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def items(self) -> ItemsView[K, V]:
        """Every entry: the file's in their saved order (as changed since),
        then those added since, in the order they were added (read in one
        pass, not kept)."""
        return _Items(self)

    def entries(self) -> Iterator[tuple[K, V]]:
        """What :meth:`items` iterates."""
        mem = self._mem
        on_file = set()
        for key, value in self._every():
            on_file.add(key)
            here = mem.get(key, _UNREAD)
            if here is _UNREAD:
                yield key, value
            elif here is not _ABSENT:
                yield key, here
        for key, value in mem.items():
            if value is not _ABSENT and key not in on_file:
                yield key, value

    def __iter__(self) -> Iterator[K]:
        for key, _value in self.entries():
            yield key


class _Items(ItemsView[K, V]):
    _mapping: LazyMap[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        return self._mapping.entries()


class LazySet(Generic[K]):
    """A set read from the file member by member (``add``/``discard`` stay in memory)."""

    def __init__(self, inner: LazyMap[K, bool]) -> None:
        self._map = inner

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def add(self, key: K) -> None:
        if key not in self._map:
            self._map[key] = True

    def discard(self, key: K) -> None:
        self._map.pop(key, None)

    def __len__(self) -> int:
        return len(self._map)

    def __bool__(self) -> bool:
        return bool(self._map)

    def __iter__(self) -> Iterator[K]:
        return iter(self._map)


class LazyColumn(Generic[V]):
    """One column of the alias rows: the file's rows (read a row at a time,
    shared by all columns), then the rows appended since."""

    def __init__(self, rows: _Rows, field: int) -> None:
        self._rows = rows
        self._field = field
        self._set: dict[int, V] = {}
        self._new: list[V] = []

    def __getitem__(self, row: int) -> V:
        if row >= self._rows.count:
            return self._new[row - self._rows.count]
        if row < 0:
            raise IndexError(row)
        value = self._set.get(row, _UNREAD)
        if value is _UNREAD:
            value = self._rows.get(row)[self._field]
        return value  # type: ignore[no-any-return]

    def __setitem__(self, row: int, value: V) -> None:
        if row >= self._rows.count:
            self._new[row - self._rows.count] = value
        else:
            self._set[row] = value

    def append(self, value: V) -> None:
        self._new.append(value)

    def __len__(self) -> int:
        return self._rows.count + len(self._new)

    def __iter__(self) -> Iterator[V]:
        for row in range(len(self)):
            yield self[row]


class _Rows:
    """The file's alias rows, each read once: (speaker, key, text, kind, script)."""

    def __init__(self, conn: sqlite3.Connection, count: int) -> None:
        self._conn = conn
        self.count = count
        self._cache: dict[int, tuple[Any, ...]] = {}

    def get(self, row: int) -> tuple[Any, ...]:
        found = self._cache.get(row)
        if found is None:
            got = self._conn.execute(
                "SELECT speaker, key, text, kind, script FROM rows WHERE row = ?", (row,)
            ).fetchone()
            if got is None:
                raise IndexError(row)
            found = self._cache[row] = tuple(got)
        return found


# ----------------------------------------------------------------- store


class DiskStore(AliasStore):
    """An :class:`AliasStore` over a file written by :func:`save` (see the
    module doc). Open it with :func:`open_store`."""

    def __init__(self, tuning: Tuning, conn: sqlite3.Connection, meta: dict[str, Any]) -> None:
        super().__init__(tuning)
        self._conn = conn
        one = self._one
        every = self._every
        self.names = LazyMap(
            one("SELECT name FROM speakers WHERE id = ?"),
            every("SELECT id, name FROM speakers ORDER BY seq"),
            meta["speakers"],
        )
        self.orgs = LazySet(  # type: ignore[assignment]
            LazyMap(
                one("SELECT 1 FROM speakers WHERE id = ? AND org"),
                every("SELECT id, 1 FROM speakers WHERE org ORDER BY seq"),
                meta["orgs"],
            )
        )
        self.quotes = LazyMap(
            one("SELECT quotes FROM speakers WHERE id = ? AND quotes"),
            every("SELECT id, quotes FROM speakers WHERE quotes ORDER BY seq"),
            meta["quoted"],
        )
        self._span = LazyMap(
            one("SELECT span FROM speakers WHERE id = ? AND span IS NOT NULL"),
            every("SELECT id, span FROM speakers WHERE span IS NOT NULL ORDER BY seq"),
            meta["spans"],
        )
        rows = _Rows(conn, meta["rows"])
        self.row_speaker = LazyColumn(rows, 0)  # type: ignore[assignment]
        self.row_key = LazyColumn(rows, 1)  # type: ignore[assignment]
        self.row_text = LazyColumn(rows, 2)  # type: ignore[assignment]
        self.row_kind = LazyColumn(rows, 3)  # type: ignore[assignment]
        self.row_script = LazyColumn(rows, 4)  # type: ignore[assignment]
        self.row_native = LazyMap(
            one("SELECT native FROM rows WHERE row = ? AND native IS NOT NULL"),
            every("SELECT row, native FROM rows WHERE native IS NOT NULL ORDER BY row"),
            meta["natives"],
        )
        self.dead = meta["dead"]
        self.non_latin = meta["non_latin"]
        self.postings = LazyMap(
            one("SELECT rows FROM tokens WHERE token = ?", _int_array),
            every("SELECT token, rows FROM tokens ORDER BY seq", _int_array),
            meta["tokens"],
        )
        self._maxq: LazyMap[str, int] = LazyMap(
            one("SELECT maxq FROM tokens WHERE token = ? AND maxq IS NOT NULL"),
            every("SELECT token, maxq FROM tokens WHERE maxq IS NOT NULL ORDER BY seq"),
            meta["maxq"],
        )
        self.token_max_quotes = self._maxq
        self.by_first = self._buckets("first", meta, _first_key, _first_unkey)
        self.by_tail = self._buckets("tail", meta)
        self.by_sound = self._buckets("sound", meta)
        self.loose_cons = self._buckets("loose", meta)
        self._consonants = self._buckets("cons", meta)
        self.surname_count = LazyMap(
            one("SELECT n FROM surnames WHERE surname = ?"),
            every("SELECT surname, n FROM surnames ORDER BY seq"),
            meta["surnames"],
        )
        self.roles, self.role_aliases = _read_roles(conn)
        self.roles_version = 1 if (self.roles or self.role_aliases) else 0
        self.roles_changed = set()
        self._new_vocab: list[str] = []  # tokens added since, sorted

    # The file is read by one connection; the speaker directory's lock keeps
    # it to one thread at a time.
    def _one(self, sql: str, convert: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
        conn = self._conn

        def read(key: Any) -> Any:
            row = conn.execute(sql, (key,)).fetchone()
            if row is None:
                return _ABSENT
            return convert(row[0]) if convert else row[0]

        return read

    def _every(
        self, sql: str, convert: Callable[[Any], Any] | None = None
    ) -> Callable[[], Iterator[tuple[Any, Any]]]:
        conn = self._conn

        def every() -> Iterator[tuple[Any, Any]]:
            for key, value in conn.execute(sql).fetchall():
                yield key, (convert(value) if convert else value)

        return every

    def _buckets(
        self,
        kind: str,
        meta: dict[str, Any],
        to_file: Callable[[Any], str] = str,
        from_file: Callable[[str], Any] = str,
    ) -> LazyMap[Any, list[str]]:
        conn = self._conn

        def read(key: Any) -> Any:
            row = conn.execute(
                "SELECT tokens FROM buckets WHERE kind = ? AND key = ?", (kind, to_file(key))
            ).fetchone()
            return _ABSENT if row is None else row[0].split(" ")

        def every() -> Iterator[tuple[Any, list[str]]]:
            for key, tokens in conn.execute(
                "SELECT key, tokens FROM buckets WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall():
                yield from_file(key), tokens.split(" ")

        return LazyMap(read, every, meta["buckets"].get(kind, 0))

    # ------------------------------------------------------ what differs

    def tokens_with_prefix(self, prefix: str) -> list[str]:
        high = prefix + "\x7f"
        rows = self._conn.execute(
            "SELECT token, maxq FROM tokens WHERE token >= ? AND token < ? ORDER BY token",
            (prefix, high),
        ).fetchall()
        # The prefix walk orders these tokens by their best quote count next.
        self._maxq.prime((tok, maxq) for tok, maxq in rows if maxq is not None)
        found = [tok for tok, _maxq in rows]
        if self._new_vocab:
            import bisect

            new = self._new_vocab
            found = sorted(
                set(found).union(
                    new[bisect.bisect_left(new, prefix) : bisect.bisect_left(new, high)]
                )
            )
        return found

    def _new_token(self, tok: str) -> None:
        super()._new_token(tok)
        import bisect

        bisect.insort(self._new_vocab, tok)
        if tok.isalpha():
            self._consonants.setdefault(consonants(tok), []).append(tok)

    def cons_tokens(self, cons: str) -> list[str]:
        return self._consonants.get(cons, [])  # type: ignore[no-any-return]

    def remove(self, speaker_id: int) -> None:
        """Forget a speaker; removed rows are not compacted (see the module doc)."""
        if speaker_id in self.names:
            self._drop(speaker_id)

    def compact(self) -> None:
        """Nothing: a file's rows are compacted by saving from a compacted store."""

    def close(self) -> None:
        self._conn.close()


def _int_array(blob: bytes) -> array[int]:
    out = array("i")
    out.frombytes(blob)
    return out


def _first_key(key: tuple[str, int]) -> str:
    return f"{key[1]}:{key[0]}"


def _first_unkey(text: str) -> tuple[str, int]:
    length, _, first = text.partition(":")
    return (first, int(length))


def _read_roles(
    conn: sqlite3.Connection,
) -> tuple[dict[int, tuple[RoleEntry, ...]], dict[int, tuple[str, ...]]]:
    roles: dict[int, tuple[RoleEntry, ...]] = {}
    aliases: dict[int, tuple[str, ...]] = {}
    for sid, role_json, alias_json in conn.execute(
        "SELECT speaker, roles, aliases FROM roles ORDER BY seq"
    ):
        if role_json is not None:
            roles[sid] = tuple(
                RoleEntry(
                    r["title"],
                    r["organisation"],
                    _day(r["start"]),
                    _day(r["end"]),
                    tuple(r["references"]),
                )
                for r in json.loads(role_json)
            )
        if alias_json is not None:
            aliases[sid] = tuple(json.loads(alias_json))
    return roles, aliases


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# ------------------------------------------------------------ open, save


def read_meta(path: Path) -> dict[str, Any] | None:
    """The file's metadata (what :func:`save` was given as ``extra`` too), or
    None if it is not an index file this code reads."""
    conn = _connect(path)
    if conn is None:
        return None
    try:
        return _meta(conn)
    finally:
        conn.close()


def open_store(
    path: Path, tuning: Callable[[dict[str, Any]], Tuning | None]
) -> tuple[DiskStore, dict[str, Any]] | None:
    """A store over the file at ``path`` and its metadata, or None if it is
    missing or not an index file this code reads. ``tuning`` gives the
    store's tuning from the metadata (None: not a file this code reads)."""
    conn = _connect(path)
    if conn is None:
        return None
    meta = _meta(conn)
    chosen = tuning(meta) if meta is not None else None
    if meta is None or chosen is None:
        conn.close()
        return None
    try:
        return DiskStore(chosen, conn, meta), meta
    except (KeyError, TypeError, ValueError, sqlite3.Error):
        conn.close()
        return None


def _connect(path: Path) -> sqlite3.Connection | None:
    # immutable: the file is only ever replaced whole, never written in place.
    try:
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False)
    except (OSError, ValueError, sqlite3.Error):
        return None


def _meta(conn: sqlite3.Connection) -> dict[str, Any] | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE name = 'meta'").fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        meta = json.loads(row[0])
    except ValueError:
        return None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return None
    return meta


_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE speakers (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, name TEXT,
    org INTEGER NOT NULL DEFAULT 0, quotes INTEGER, span INTEGER);
CREATE TABLE rows (row INTEGER PRIMARY KEY, speaker INTEGER NOT NULL, key TEXT NOT NULL,
    text TEXT, kind INTEGER NOT NULL, script INTEGER NOT NULL, native TEXT);
CREATE TABLE tokens (token TEXT PRIMARY KEY, seq INTEGER NOT NULL, rows BLOB NOT NULL,
    maxq INTEGER) WITHOUT ROWID;
CREATE TABLE buckets (kind TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL,
    tokens TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE surnames (surname TEXT PRIMARY KEY, seq INTEGER NOT NULL, n INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE roles (speaker INTEGER PRIMARY KEY, seq INTEGER NOT NULL, roles TEXT, aliases TEXT);
"""


def save(store: AliasStore, path: Path, extra: dict[str, Any]) -> None:
    """Write ``store`` to a new file and put it at ``path`` (atomically: a
    reader has the old file or the new one, whole). ``extra`` goes into the
    metadata (:func:`read_meta`). Raises OSError or sqlite3.Error."""
    path = Path(path)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    conn = sqlite3.connect(temporary)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)
        meta = _write(conn, store)
        meta.update(extra)
        meta["format"] = FORMAT
        conn.execute("INSERT INTO meta VALUES ('meta', ?)", (json.dumps(meta),))
        conn.commit()
    except BaseException:
        conn.close()
        temporary.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(temporary, path)


def _write(conn: sqlite3.Connection, store: AliasStore) -> dict[str, Any]:
    names = list(store.names.items())
    quotes = dict(store.quotes.items())
    spans = dict(store._span.items())
    orgs = set(store.orgs)
    conn.executemany(
        "INSERT INTO speakers VALUES (?, ?, ?, ?, ?, ?)",
        (
            (sid, seq, name, sid in orgs, quotes.get(sid), spans.get(sid))
            for seq, (sid, name) in enumerate(names)
        ),
    )
    native = dict(store.row_native.items())
    count = len(store.row_key)
    conn.executemany(
        "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (
                row,
                store.row_speaker[row],
                store.row_key[row],
                store.row_text[row],
                store.row_kind[row],
                store.row_script[row],
                native.get(row),
            )
            for row in range(count)
        ),
    )
    maxq = dict(store.token_max_quotes.items())
    tokens = list(store.postings.items())
    conn.executemany(
        "INSERT INTO tokens VALUES (?, ?, ?, ?)",
        ((tok, seq, rows.tobytes(), maxq.get(tok)) for seq, (tok, rows) in enumerate(tokens)),
    )
    cons: dict[str, list[str]] = {}
    for tok, _rows in tokens:
        if tok.isalpha():
            cons.setdefault(consonants(tok), []).append(tok)
    buckets = {
        "first": {_first_key(k): v for k, v in store.by_first.items()},
        "tail": dict(store.by_tail.items()),
        "sound": dict(store.by_sound.items()),
        "loose": dict(store.loose_cons.items()),
        "cons": cons,
    }
    for kind, table in buckets.items():
        conn.executemany(
            "INSERT INTO buckets VALUES (?, ?, ?, ?)",
            ((kind, key, seq, " ".join(toks)) for seq, (key, toks) in enumerate(table.items())),
        )
    surnames = list(store.surname_count.items())
    conn.executemany(
        "INSERT INTO surnames VALUES (?, ?, ?)",
        ((s, seq, n) for seq, (s, n) in enumerate(surnames)),
    )
    role_ids = list(dict.fromkeys([*store.roles, *store.role_aliases]))
    conn.executemany(
        "INSERT INTO roles VALUES (?, ?, ?, ?)",
        (
            (
                sid,
                seq,
                json.dumps([_role_json(r) for r in store.roles[sid]])
                if sid in store.roles
                else None,
                json.dumps(list(store.role_aliases[sid])) if sid in store.role_aliases else None,
            )
            for seq, sid in enumerate(role_ids)
        ),
    )
    return {
        "speakers": len(names),
        "orgs": len(orgs),
        "quoted": len(quotes),
        "spans": len(spans),
        "rows": count,
        "natives": len(native),
        "dead": store.dead,
        "non_latin": store.non_latin,
        "tokens": len(tokens),
        "maxq": len(maxq),
        "buckets": {kind: len(table) for kind, table in buckets.items()},
        "surnames": len(surnames),
    }


def _role_json(role: RoleEntry) -> dict[str, Any]:
    return {
        "title": role.title,
        "organisation": role.organisation,
        "start": role.start.isoformat() if role.start else None,
        "end": role.end.isoformat() if role.end else None,
        "references": list(role.references),
    }

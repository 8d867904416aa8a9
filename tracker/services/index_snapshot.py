"""A saved copy of a database's speaker index, so that a cold start (a
one-off ``tracker speakers match``, the first speaker field of a new
terminal UI) loads the index in about a tenth of a second instead of
building it for seconds.

Where: the user's own cache folder (platformdirs), one file per database
file, never beside the database: a shared folder is no place for a file
that is unpickled. Each file is signed with a key kept in that cache folder
(readable by the user only) and is used only if the signature, the
matcher's code (a hash of ``tracker/matching``) and the database's identity
all agree. Anything else (a file from another version of tracker, a
database replaced under the same name, a damaged or foreign file) is
ignored and the index is built again.

The database's identity is where its history stood when the copy was made:
the newest audit entry (id and change id, a random UUID) and the number and
highest ids of speakers, aliases and roles. A copy behind the audit log is
brought up to date from the entries since (see
:mod:`tracker.services.speaker_index`), which only works if the entry it
stopped at is still the same one.

Only SQLite files get a copy; PostgreSQL and in-memory databases build.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.config import APP_NAME
from tracker.db.database import Database, sqlite_file
from tracker.db.models import AuditEntry, Speaker, SpeakerAlias, SpeakerRole
from tracker.matching import SpeakerIndex

MAGIC = b"tracker speaker index 1\n"
_DIGEST = hashlib.sha256().digest_size


@dataclass(frozen=True)
class Identity:
    """Where the database's history stood (see the module doc)."""

    seen: int  # the newest audit entry's id (0: none)
    change_id: str | None  # its change id
    counts: tuple[int, ...]  # count and highest id of speakers, aliases, roles


def identity(session: Session) -> Identity:
    seen = int(session.scalar(select(func.max(AuditEntry.id))) or 0)
    change_id = None
    if seen:
        change_id = session.scalar(select(AuditEntry.change_id).where(AuditEntry.id == seen))
    counts: list[int] = []
    for model in (Speaker, SpeakerAlias, SpeakerRole):
        row = session.execute(select(func.count(), func.max(model.id))).one()
        counts += [int(row[0] or 0), int(row[1] or 0)]
    return Identity(seen, change_id, tuple(counts))


def history_holds(session: Session, saved: Identity) -> bool:
    """True if the audit entry the copy stopped at is still there, the same."""
    if not saved.seen:
        return True
    found = session.scalar(select(AuditEntry.change_id).where(AuditEntry.id == saved.seen))
    return found == saved.change_id


def folder() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "speaker-index"


def path_for(db: Database) -> Path | None:
    """The copy's file for ``db``, or None if it gets none."""
    file = sqlite_file(db.url)
    if file is None:
        return None
    name = hashlib.sha256(str(Path(file).resolve()).encode()).hexdigest()[:32]
    return folder() / f"{name}.idx"


def load(db: Database) -> tuple[SpeakerIndex, Identity] | None:
    """The saved index and the identity it was saved at, or None."""
    path = path_for(db)
    key = _key(create=False)
    if path is None or key is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    if not blob.startswith(MAGIC) or len(blob) < head + _DIGEST:
        return None
    signature, payload = blob[head : head + _DIGEST], blob[head + _DIGEST :]
    if not hmac.compare_digest(signature, hmac.new(key, payload, hashlib.sha256).digest()):
        return None
    try:
        data: dict[str, Any] = pickle.loads(payload)  # noqa: S301 (signed by our own key)
    except Exception:
        return None
    if data.get("code") != _code_hash() or data.get("database") != str(path_for(db)):
        return None
    index, saved = data.get("index"), data.get("identity")
    if not isinstance(index, SpeakerIndex) or not isinstance(saved, Identity):
        return None
    return index, saved


def save(db: Database, index: SpeakerIndex, saved: Identity) -> None:
    """Save a copy (atomically; quietly nothing if the cache cannot be written)."""
    path = path_for(db)
    if path is None:
        return
    try:
        key = _key(create=True)
        assert key is not None
        payload = pickle.dumps(
            {"code": _code_hash(), "database": str(path), "identity": saved, "index": index},
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        signature = hmac.new(key, payload, hashlib.sha256).digest()
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(MAGIC + signature + payload)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


def _key(*, create: bool) -> bytes | None:
    path = folder() / "key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(32)
    temporary = path.with_name(f"key.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    os.replace(temporary, path)
    return path.read_bytes()


_CODE: str | None = None


def _code_hash() -> str:
    """The matcher's code: a copy made by other code is never used."""
    global _CODE
    if _CODE is None:
        import tracker
        import tracker.matching

        digest = hashlib.sha256(getattr(tracker, "__version__", "").encode())
        for source in sorted(Path(tracker.matching.__file__).parent.glob("*.py")):
            digest.update(source.name.encode() + source.read_bytes())
        _CODE = digest.hexdigest()
    return _CODE

"""Where the database is and who the user is.

Precedence for the database: the ``--db`` option, then the ``TRACKER_DB``
environment variable (a path or an SQLAlchemy URL), then ``tracker.db`` in the
user data directory (platformdirs).
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from tracker.errors import DatabaseError, ValidationError

APP_NAME = "tracker"
ENV_DB = "TRACKER_DB"
ENV_USER = "TRACKER_USER"


def default_db_path() -> Path:
    """The database file used when neither --db nor TRACKER_DB is given."""
    # Imported here: a command given --db (as scripts do) never needs it.
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "tracker.db"


def database_url(db: str | None = None) -> str:
    """Turn --db / TRACKER_DB / the default into an SQLAlchemy URL.

    An empty ``--db`` or ``TRACKER_DB`` is refused rather than taken to
    mean the default: a script whose variable came out empty must not
    write to the user's own database."""
    if db is not None and not db.strip():
        raise DatabaseError("--db is empty: give a file path or a database URL")
    env = os.environ.get(ENV_DB)
    if db is None and env is not None and not env.strip():
        raise DatabaseError(f"{ENV_DB} is set but empty: give a file path or URL, or unset it")
    value = db or env or str(default_db_path())
    return to_url(value)


def to_url(value: str) -> str:
    """A path becomes an ``sqlite:///`` URL; anything with ``://`` is a URL already."""
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return f"sqlite:///{path.resolve()}"


def current_user() -> str:
    """Who is making changes, for the audit log: TRACKER_USER, else the login name."""
    user = os.environ.get(ENV_USER)
    if user:
        return check_actor(user, ENV_USER)
    import getpass  # with termios: not needed when TRACKER_USER says who

    try:
        return check_actor(getpass.getuser(), "your login name")
    except ValidationError:
        raise
    except Exception:  # no login name in some containers
        return "unknown"


MAX_ACTOR = 200  # audit_log.actor


def check_actor(name: str, where: str = "the user name") -> str:
    """A name for the audit log: printable, at most 200 characters; refused
    (naming ``where`` it came from) otherwise, since every list of changes
    shows it."""
    if not name.strip():
        raise ValidationError(f"{where} is empty")
    bad = next((c for c in name if unicodedata.category(c) in {"Cc", "Cf", "Cs"}), None)
    if bad is not None:
        raise ValidationError(
            f"{where} holds a control or invisible character (U+{ord(bad):04X}); use plain text"
        )
    if len(name) > MAX_ACTOR:
        raise ValidationError(f"{where} is longer than {MAX_ACTOR} characters")
    return name

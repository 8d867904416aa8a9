"""Where the database is and who the user is.

Precedence for the database: the ``--db`` option, then the ``TRACKER_DB``
environment variable (a path or an SQLAlchemy URL), then ``tracker.db`` in the
user data directory (platformdirs).
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

APP_NAME = "tracker"
ENV_DB = "TRACKER_DB"
ENV_USER = "TRACKER_USER"


def default_db_path() -> Path:
    """The database file used when neither --db nor TRACKER_DB is given."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "tracker.db"


def database_url(db: str | None = None) -> str:
    """Turn --db / TRACKER_DB / the default into an SQLAlchemy URL."""
    value = db or os.environ.get(ENV_DB) or str(default_db_path())
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
        return user
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"

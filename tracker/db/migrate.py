"""Running Alembic migrations in-process.

Opening a database migrates it to head; a database whose revision this code
does not know (written by a newer tracker) is refused rather than touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError as AlembicError
from sqlalchemy import Connection, Engine

from tracker.db.engine import BEGIN_OPTION, foreign_keys_off
from tracker.errors import DatabaseError

_HERE = Path(__file__).resolve()
# Installed, the scripts ship inside the package (pyproject.toml maps the
# repository's migrations/ to tracker._migrations); in a checkout (an
# editable install) they are read where they are.
PACKAGED_MIGRATIONS = _HERE.parents[1] / "_migrations"
CHECKOUT_MIGRATIONS = _HERE.parents[2] / "migrations"
MIGRATIONS_DIR = next(
    (d for d in (PACKAGED_MIGRATIONS, CHECKOUT_MIGRATIONS) if (d / "env.py").exists()),
    CHECKOUT_MIGRATIONS,
)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config pointing at our migrations, optionally bound to a connection."""
    if not (MIGRATIONS_DIR / "env.py").exists():
        raise DatabaseError(
            f"tracker's migrations are missing (looked in {PACKAGED_MIGRATIONS} and "
            f"{CHECKOUT_MIGRATIONS}): reinstall tracker"
        )
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def check_known(connection: Connection, where: str) -> str | None:
    """Return the database's revision; refuse one this code does not know."""
    revision = current_revision(connection)
    if revision is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise DatabaseError(
            f"{where} is at schema revision {revision}, which is newer than this version of "
            "tracker knows; upgrade tracker before opening it"
        )
    return revision


def upgrade(engine: Engine, where: str, revision: str = "head") -> None:
    """Migrate to ``revision`` (head by default) in one transaction.

    The transaction takes the write lock first, so two processes opening a
    new file at once migrate it once: the second waits, then finds it done."""
    with _migrating(engine) as connection, _naming_revision(revision):
        check_known(connection, where)
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with _migrating(engine) as connection, _naming_revision(revision):
        command.downgrade(alembic_config(connection), revision)


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection, foreign_keys_off(connection):
        connection.execution_options(**{BEGIN_OPTION: "immediate"})
        with connection.begin():
            yield connection


@contextmanager
def _naming_revision(revision: str) -> Iterator[None]:
    """Alembic's errors about a revision (unknown, or no path to it) as one
    line naming the revisions there are; the transaction is rolled back."""
    try:
        yield
    except (AlembicError, RevisionError) as exc:
        script = ScriptDirectory.from_config(alembic_config())
        known = ", ".join(rev.revision for rev in reversed(list(script.walk_revisions())))
        raise DatabaseError(
            f"cannot migrate to {revision!r}: {exc} (known revisions: {known}, head, base)"
        ) from None


def revisions() -> list[dict[str, str | None]]:
    """The migrations this code carries, newest first: revision, the one it
    follows (``down_revision``) and its title (``doc``)."""
    script = ScriptDirectory.from_config(alembic_config())
    return [
        {
            "revision": rev.revision,
            "down_revision": rev.down_revision if isinstance(rev.down_revision, str) else None,
            "doc": rev.doc or None,
        }
        for rev in script.walk_revisions()
    ]

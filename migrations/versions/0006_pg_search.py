"""search on PostgreSQL: tsvector columns with GIN indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 05:00:00

PostgreSQL only (SQLite keeps its FTS5 table; nothing changes there).

Each searchable text gets a stored generated column ``search_vector``
(``quotes.text``, ``claims.text``, ``speakers.name``, ``speaker_aliases.text``)
with a GIN index, ``ix_<table>_search_vector``. The column is computed by the
server on every insert and update, whoever writes the row (the ORM, a bulk
import, plain SQL), so nothing keeps it current by hand.

The text goes through ``tracker_search_text(text)`` first, an immutable SQL
function created here: ``unaccent`` (diacritics off, as FTS5's
``remove_diacritics 2``), then ASCII punctuation to spaces, so PostgreSQL's
parser splits words where FTS5's ``unicode61`` tokenizer does (left alone it
would keep ``example.com``, ``a@b.org`` or ``1.5`` as one token each). The
``simple`` configuration then lowercases without stemming or stop words, as
FTS5 does.

A stored column rather than an expression index: a list of matches newest
first walks the primary key backwards and tests each row, and recomputing
``to_tsvector`` per row costs about a hundred times reading it (0.7 s instead
of 2 ms for the newest 1,000 quotes with a common word, 1,000,000 quotes).

``unaccent`` ships with PostgreSQL (Debian: postgresql-15's contrib) and is a
trusted extension, so a database owner may create it. Downgrading drops the
columns, indexes and function and leaves the extension installed (other
things in the database may use it).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from tracker.errors import DatabaseError


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = {"quotes": "text", "claims": "text", "speakers": "name", "speaker_aliases": "text"}
FUNCTION = "tracker_search_text"


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _unaccent_schema() -> str:
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    ).scalar()
    if not available:
        raise DatabaseError(
            "full-text search on PostgreSQL needs the unaccent extension, which this server "
            "does not have: install PostgreSQL's contrib modules (Debian: postgresql-15 "
            "includes them; elsewhere postgresql-contrib)"
        )
    bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    schema = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
    ).scalar_one()
    return '"' + str(schema).replace('"', '""') + '"'


def upgrade() -> None:
    if not _is_postgresql():
        return
    schema = _unaccent_schema()
    # Names are schema-qualified so the function means the same whatever the
    # search_path (pg_dump restores and autovacuum run with another one).
    op.execute(
        f"CREATE FUNCTION {FUNCTION}(body text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$ "
        f"SELECT pg_catalog.regexp_replace({schema}.unaccent('{schema}.unaccent'::regdictionary, body), "
        "'[[:punct:]]', ' ', 'g') $fn$"
    )
    for table, column in TABLES.items():
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('simple'::regconfig, {FUNCTION}({column}))) STORED"
        )
        op.execute(
            f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)"
        )


def downgrade() -> None:
    if not _is_postgresql():
        return
    for table in TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")

"""search on PostgreSQL: the words of the search index, for typed prefixes

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 08:10:00

PostgreSQL only (SQLite reads FTS5's own vocabulary; nothing changes there).

A last word typed as a prefix ("jobs" while typing "summer jobs") is a
``jobs:*`` tsquery, which the GIN index answers by gathering every entry of
every word that begins so before it combines them with the other words:
30 ms for ``summer & jobs:*`` on a million quotes against 7 ms for ``summer
& jobs``. Spelled out as the words that begin so (``summer & ('jobs' |
'jobsite')``), the index answers as fast as for whole words. For that the
words must be known: ``search_index_words`` holds every lexeme of the four
``search_vector`` columns (migration 0006), kept by statement triggers on
those tables that add the lexemes of the rows inserted or updated (from the
statement's transition table: a bulk insert pays one ``INSERT ... ON
CONFLICT DO NOTHING`` per statement, not per row). Words whose rows are
deleted stay: a word that matches nothing only makes a query one word
longer, with the same rows.

The column is ``COLLATE "C"``: its order is that of the bytes, so the words
beginning with a prefix are one range of the primary key; they are read
with ``tracker_search_words(low, high, n)``.

The trigger function and the reader are ``SECURITY DEFINER`` (with a fixed
``search_path``): they run with the rights of the role that ran the
migration, the database's owner on a desk (docs/postgresql.md). So the
members' grants, given before this migration, need not name the new table:
a member who adds a quote or searches uses the functions, which anyone may
call.

(Tried and left out: prefix lexemes in the vectors, ``#sh`` and ``#she`` for
each word's first two and three letters, as FTS5's ``prefix = '2 3'``. On the
million-quote database they took the slowest first page from about 90 to 70
ms but made every vector three times as long, which slowed the row tests of
the other searches as much, and the migration took three minutes.)

Downgrading drops the triggers, their function and the table.
"""

from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("quotes", "claims", "speakers", "speaker_aliases")
WORDS = "search_index_words"
ADDED = "tracker_search_words_added"
READ = "tracker_search_words"
TEXT = "tracker_search_text"  # migration 0006


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _schema() -> str:
    """The schema of 0006's function, to put the new one beside it."""
    found = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            f"WHERE p.proname = '{TEXT}'"
        )
        .scalar_one()
    )
    return '"' + str(found).replace('"', '""') + '"'


def upgrade() -> None:
    if not _is_postgresql():
        return
    schema = _schema()
    words = f"{schema}.{WORDS}"
    definer = "SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
    op.execute(f'CREATE TABLE {words} (word text COLLATE "C" PRIMARY KEY)')
    lexemes = "pg_catalog.unnest(pg_catalog.tsvector_to_array({source}.search_vector)) AS w"
    op.execute(
        f"CREATE FUNCTION {schema}.{ADDED}() RETURNS trigger LANGUAGE plpgsql {definer} AS $fn$ "
        f"BEGIN INSERT INTO {words} (word) SELECT DISTINCT w FROM added, "
        f"{lexemes.format(source='added')} ON CONFLICT DO NOTHING; RETURN NULL; END $fn$"
    )
    op.execute(
        f"CREATE FUNCTION {schema}.{READ}(low text, high text, n integer) RETURNS SETOF text "
        f"LANGUAGE sql STABLE {definer} AS $fn$ "
        f'SELECT word FROM {words} WHERE word >= low COLLATE "C" AND word < high COLLATE "C" '
        'ORDER BY word COLLATE "C" LIMIT n $fn$'
    )
    for table in TABLES:
        # One trigger per event: PostgreSQL allows a transition table only
        # on a trigger for one event.
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER {table}_search_words_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {schema}.{ADDED}()"
            )
    selects = " UNION ".join(
        f"SELECT w FROM {table}, {lexemes.format(source=table)}" for table in TABLES
    )
    op.execute(f"INSERT INTO {words} (word) {selects} ON CONFLICT DO NOTHING")
    op.execute(f"ANALYZE {words}")


def downgrade() -> None:
    if not _is_postgresql():
        return
    schema = _schema()
    for table in TABLES:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_words_{event} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {schema}.{ADDED}()")
    op.execute(f"DROP FUNCTION IF EXISTS {schema}.{READ}(text, text, integer)")
    op.execute(f"DROP TABLE IF EXISTS {schema}.{WORDS}")

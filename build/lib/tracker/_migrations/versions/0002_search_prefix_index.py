"""search: prefix indexes for 2 and 3 letters

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 07:50:00

Search as you type matches the last word as a prefix. Without a prefix
index FTS5 merges the doclists of every word starting with it: 30-75 ms
for two or three letters on a million quotes, on every key press. With
``prefix='2 3'`` those take under a millisecond (bench/services_speed.py);
the index grows by about two thirds.

FTS5 options are fixed when the table is created, so the table is built
again under a new name, filled from the old one, and renamed.

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"


def _rebuild_with(options: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE VIRTUAL TABLE search_index_new USING fts5(kind UNINDEXED, body, {options})")
    op.execute(
        "INSERT INTO search_index_new (rowid, kind, body) "
        "SELECT rowid, kind, body FROM search_index"
    )
    op.execute("DROP TABLE search_index")
    op.execute("ALTER TABLE search_index_new RENAME TO search_index")


def upgrade() -> None:
    _rebuild_with(f"{TOKENIZE}, prefix = '2 3'")


def downgrade() -> None:
    _rebuild_with(TOKENIZE)

"""ids are never reused (SQLite AUTOINCREMENT)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:50:00

Without AUTOINCREMENT SQLite gives a new row the highest id in use plus one,
so after the newest quote is deleted the next quote added gets its number:
an undo, a link or a note that names "#14" would then find another record.
Every table with an id is rebuilt with AUTOINCREMENT, keeping every id
(batch mode copies the rows as they are). SQLite then never hands out an id
at or below the highest it has used, remembered in ``sqlite_sequence``,
which is seeded here from the audit log too, so ids deleted before this
migration are not handed out again either.

PostgreSQL's sequences never reuse ids: nothing to do there.

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Table, and the audit log's name for its records (None: not audited).
TABLES = {
    "speakers": "speaker",
    "speaker_roles": None,
    "speaker_aliases": None,
    "sources": "source",
    "tags": None,
    "quotes": "quote",
    "claims": "claim",
    "reviews": "review",
    "audit_log": None,
}


def _rebuild(autoincrement: bool) -> None:
    for table in TABLES:
        with op.batch_alter_table(
            table,
            recreate="always",
            table_kwargs={"sqlite_autoincrement": autoincrement},
        ):
            pass


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    _rebuild(True)
    # Seed each table's counter with the highest id it ever gave out, as far
    # as the rows and the audit log know.
    for table, entity in TABLES.items():
        highest = bind.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar() or 0
        if entity is not None:
            audited = bind.execute(
                sa.text("SELECT max(entity_id) FROM audit_log WHERE entity = :e"), {"e": entity}
            ).scalar()
            highest = max(highest, audited or 0)
        if highest:
            bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
            bind.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"),
                {"t": table, "s": highest},
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(False)

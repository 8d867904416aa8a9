"""imports: the imports made, each row's stable key, speakers' party and region

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 02:00:00

``tracker import`` must never add a row twice: each imported quote and
claim keeps its row's key (a mapped id column, else a hash of speaker,
text and source) in ``record_keys``, unique per kind of record. Each
import is a row of ``imports`` (file, format, mapping, who, when, what it
did); the audit log records it as one change, and ``tracker undo`` finds
its records through ``record_keys.import_id`` and the speakers and sources
it created through ``import_created``.

Speakers gain ``party`` and ``region`` (a U.S. state, a country): the
PolitiFact data names them for every statement.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.String(length=32), nullable=False),
        sa.Column("file", sa.String(length=1000), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("mapping", sa.String(length=200), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_imports_change_id"), "imports", ["change_id"], unique=False)
    op.create_table(
        "record_keys",
        sa.Column("entity", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f("fk_record_keys_import_id_imports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("entity", "key", name=op.f("pk_record_keys")),
        sa.UniqueConstraint("entity", "record_id", name=op.f("uq_record_keys_entity_record_id")),
    )
    op.create_index(op.f("ix_record_keys_import_id"), "record_keys", ["import_id"], unique=False)
    op.create_table(
        "import_created",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f("fk_import_created_import_id_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "entity", "record_id", name=op.f("pk_import_created")),
    )
    # A plain ADD COLUMN: the table is not rebuilt (its AUTOINCREMENT stays).
    op.add_column("speakers", sa.Column("party", sa.String(length=100), nullable=True))
    op.add_column("speakers", sa.Column("region", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("speakers") as batch:
        batch.drop_column("region")
        batch.drop_column("party")
    op.drop_table("import_created")
    op.drop_index(op.f("ix_record_keys_import_id"), table_name="record_keys")
    op.drop_table("record_keys")
    op.drop_index(op.f("ix_imports_change_id"), table_name="imports")
    op.drop_table("imports")

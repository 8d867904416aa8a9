"""review queue: attributions found in an ingested article, awaiting a person

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 04:30:00

``tracker ingest`` stores an article as a source (with its full text), runs
the extractor over it and puts each attribution found in ``review_queue``,
one row per attribution, ``position`` giving its order in the article. A
person accepts (the row's ``quote_id`` names the quote it became), rejects
or skips each row; ``decided_by``/``decided_at`` say who and when.

Offsets are character offsets into ``sources.full_text``: ``start_offset``
and ``end_offset`` cover the quoted content (first content span to last),
``spans`` keeps every span as JSON, ``{"content": [[start, end], ...],
"cue": [start, end] | null, "source": [start, end] | null}`` (a mixed or
interrupted quotation has several content spans). The proposed speaker is
kept as the name the article gives, the matcher's guess (``same``,
``maybe``, ``new``) and, for ``same`` and ``maybe``, the speaker it points
to. The rows of a source go with it (``ON DELETE CASCADE``).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "review_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("speaker_name", sa.String(length=500), nullable=True),
        sa.Column("speaker_guess", sa.String(length=10), nullable=True),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "mode IN ('direct', 'indirect', 'mixed')", name=op.f("ck_review_queue_mode")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected', 'skipped')",
            name=op.f("ck_review_queue_status"),
        ),
        sa.CheckConstraint(
            "speaker_guess IS NULL OR speaker_guess IN ('same', 'maybe', 'new')",
            name=op.f("ck_review_queue_speaker_guess"),
        ),
        sa.CheckConstraint(
            "start_offset >= 0 AND end_offset >= start_offset",
            name=op.f("ck_review_queue_offsets"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_review_queue_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name=op.f("fk_review_queue_speaker_id_speakers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_review_queue_quote_id_quotes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_queue")),
        sa.UniqueConstraint(
            "source_id", "position", name=op.f("uq_review_queue_source_id_position")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_review_queue_status_source_id_position",
        "review_queue",
        ["status", "source_id", "position"],
        unique=False,
    )
    op.create_index(op.f("ix_review_queue_speaker_id"), "review_queue", ["speaker_id"], unique=False)
    op.create_index(op.f("ix_review_queue_quote_id"), "review_queue", ["quote_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_review_queue_quote_id"), table_name="review_queue")
    op.drop_index(op.f("ix_review_queue_speaker_id"), table_name="review_queue")
    op.drop_index("ix_review_queue_status_source_id_position", table_name="review_queue")
    op.drop_table("review_queue")

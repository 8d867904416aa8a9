"""quote verification: the last check of a quote against its source's text

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 06:10:00

``tracker verify`` (tracker.services.verification) stores on each quote it
checks: ``verify_status`` (``verbatim``, ``altered``, ``not_found`` or
``no_text``), ``verify_start``/``verify_end`` (character offsets of the
passage found in ``sources.full_text``; null when none), ``verify_similarity``
(0-100), ``verify_checked_at``, and ``verify_digest``: the SHA-256 of the
quote's text and the source's text as checked, so a check is known to be
stale when either text has changed since. All null until a quote is checked.

These are derived data: written with a plain UPDATE that leaves the quote's
``version`` and ``updated_at`` alone, with no audit entry.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = (
    ("verify_status", sa.String(length=10)),
    ("verify_start", sa.Integer()),
    ("verify_end", sa.Integer()),
    ("verify_similarity", sa.Float()),
    ("verify_checked_at", sa.DateTime(timezone=True)),
    ("verify_digest", sa.String(length=64)),
)


def upgrade() -> None:
    # Plain ALTER TABLE on both backends (no batch copy of ``quotes``, whose
    # triggers and indexes stay as they are); SQLite drops columns since 3.35.
    for name, type_ in COLUMNS:
        op.add_column("quotes", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.drop_column("quotes", name)

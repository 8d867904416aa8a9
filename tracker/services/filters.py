"""Filters shared by lists and search (the SQL they become is in
:mod:`tracker.services.conditions`). A plain value: the terminal UI holds
one before any SQLAlchemy is imported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.errors import ValidationError
from tracker.services.records import ClaimRecord
from tracker.services.validation import clean_choice, clean_date, clean_id, clean_partial_date
from tracker.vocab import CLAIM_KINDS, DATED_KINDS, QUOTE_MODES


@dataclass(frozen=True)
class Filters:
    """What to narrow a list or a search to. Every field is optional.

    - ``speaker_id``: quotes by / claims made by this speaker
    - ``source_id``: quotes from this source / claims resting on its quotes
    - ``kind``: claim kind (fact, prediction, promise, opinion); claims only
    - ``status``: ``open`` (no final verdict), ``final``, or a rating label; claims only
    - ``mode``: quote mode (direct, indirect, mixed); quotes only
    - ``date_from`` / ``date_to``: when it was said (YYYY, YYYY-MM or YYYY-MM-DD, inclusive);
      a date known only to the month or year matches when its span overlaps the range
    - ``tag``: has this tag
    - ``due_by``: predictions and promises due on or before this day with no
      final verdict (the "due for review" list); claims only
    """

    speaker_id: int | None = None
    source_id: int | None = None
    kind: str | None = None
    status: str | None = None
    mode: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    tag: str | None = None
    due_by: str | dt.date | None = None

    def only_claims(self) -> bool:
        return self.kind is not None or self.status is not None or self.due_by is not None

    def only_quotes(self) -> bool:
        return self.mode is not None

    def narrows_records(self) -> bool:
        return any(
            v is not None
            for v in (
                self.speaker_id,
                self.source_id,
                self.kind,
                self.status,
                self.mode,
                self.date_from,
                self.date_to,
                self.tag,
                self.due_by,
            )
        )

    def validated(self) -> Filters:
        """Check every value, raising ValidationError for the first bad one."""
        start = clean_partial_date(self.date_from, "from date")
        end = clean_partial_date(self.date_to, "to date")
        if start and end and end.last_day() < start.first_day():
            raise ValidationError(
                f"the date range ends ({end}) before it starts ({start})", "date_to"
            )
        return Filters(
            speaker_id=clean_id(self.speaker_id, "speaker id")
            if self.speaker_id is not None
            else None,
            source_id=clean_id(self.source_id, "source id") if self.source_id is not None else None,
            kind=clean_choice(self.kind, "claim kind", CLAIM_KINDS) if self.kind else None,
            status=self.status.strip() if self.status and self.status.strip() else None,
            mode=clean_choice(self.mode, "quote mode", QUOTE_MODES) if self.mode else None,
            date_from=start.first_day().isoformat() if start else None,
            date_to=end.last_day().isoformat() if end else None,
            tag=self.tag.strip().lower() if self.tag and self.tag.strip() else None,
            due_by=clean_date(self.due_by, "due by"),
        )


def is_due(claim: ClaimRecord, day: dt.date) -> bool:
    """The "due for review" rule, for one claim already read: a prediction
    or promise whose due date has come and whose latest verdict is not
    final. :func:`tracker.services.conditions.due_conditions` is the same
    rule in SQL (a test checks that they agree)."""
    return (
        claim.kind in DATED_KINDS
        and claim.due is not None
        and claim.due <= day
        and not claim.status_final
    )

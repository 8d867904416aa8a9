"""The five lists: quotes, claims, speakers, sources, and claims due for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from tracker import services as svc
from tracker.services.filters import Filters, is_due
from tracker.services.first_page import first_quotes
from tracker.services.records import ClaimRecord, Page, QuoteRecord, SourceRecord, SpeakerRecord
from tracker.tui.text import cell
from tracker.tui.widgets.record_list import PAGE_SIZE, RecordList
from tracker.tui.widgets.row_table import Cells, Column


def _id(value: int) -> Text:
    return Text(str(value), style="dim")


def status_text(claim: ClaimRecord) -> Text:
    if claim.status is None:
        return Text("unreviewed", style="dim italic")
    return cell(claim.status, style="bold" if claim.status_final else "italic")


class QuoteList(RecordList):
    entity = "quote"
    title = "Quotes"
    uses_filters = True
    columns = (
        Column("id", "#", 7, "right"),
        Column("text", "Quote", None),
        Column("speaker", "Speaker", 18),
        Column("said", "Said", 10),
    )

    def fetch(self, text: str, filters: Filters, after: int | None) -> Page[Any]:
        if after is None and not text and filters == Filters():
            # At launch, before the database is open: without waiting for SQLAlchemy.
            page = first_quotes(self.db, PAGE_SIZE)
            if page is not None:
                return page
        return svc.list_quotes(self.db, filters, text=text, after=after, limit=PAGE_SIZE)

    def fetch_one(self, record_id: int) -> Any:
        return svc.get_quote(self.db, record_id)

    def row(self, record: QuoteRecord) -> Cells:
        return (
            _id(record.id),
            cell(record.text),
            cell(record.speaker),
            cell(record.said_on or ""),
        )


class ClaimList(RecordList):
    entity = "claim"
    title = "Claims"
    uses_filters = True
    columns = (
        Column("id", "#", 7, "right"),
        Column("text", "Claim", None),
        Column("kind", "Kind", 10),
        Column("status", "Status", 18),
    )

    def fetch(self, text: str, filters: Filters, after: int | None) -> Page[Any]:
        return svc.list_claims(self.db, filters, text=text, after=after, limit=PAGE_SIZE)

    def fetch_one(self, record_id: int) -> Any:
        return svc.get_claim(self.db, record_id)

    def row(self, record: ClaimRecord) -> Cells:
        return (
            _id(record.id),
            cell(record.text),
            cell(record.kind),
            status_text(record),
        )


class DueList(ClaimList):
    """Predictions and promises past their due date without a final verdict."""

    entity = "claim"
    title = "Due for review"
    uses_filters = False
    columns = (
        Column("id", "#", 7, "right"),
        Column("text", "Claim", None),
        Column("due", "Due", 10),
        Column("status", "Status", 18),
    )

    def fetch(self, text: str, filters: Filters, after: int | None) -> Page[Any]:
        # Paged like every list (newest first), searched with the full-text index.
        return svc.list_claims(
            self.db, Filters(due_by=dt.date.today()), text=text, after=after, limit=PAGE_SIZE
        )

    def fetch_one(self, record_id: int) -> Any:
        claim = svc.get_claim(self.db, record_id)
        return claim if self.is_due(claim) else None

    @staticmethod
    def is_due(claim: ClaimRecord) -> bool:
        return is_due(claim, dt.date.today())  # the services' one rule

    def matches(self, record: Any) -> bool:
        return isinstance(record, ClaimRecord) and self.is_due(record)

    def row(self, record: ClaimRecord) -> Cells:
        return (
            _id(record.id),
            cell(record.text),
            cell(record.due.isoformat() if record.due else ""),
            status_text(record),
        )


class SpeakerList(RecordList):
    entity = "speaker"
    title = "Speakers"
    columns = (
        Column("id", "#", 7, "right"),
        Column("text", "Name", None),
        Column("kind", "Kind", 12),
        Column("quotes", "Quotes", 6, "right"),
    )

    def fetch(self, text: str, filters: Filters, after: int | None) -> Page[Any]:
        return svc.list_speakers(self.db, text or None, after=after, limit=PAGE_SIZE)

    def fetch_one(self, record_id: int) -> Any:
        return svc.get_speaker(self.db, record_id)

    def row(self, record: SpeakerRecord) -> Cells:
        return (
            _id(record.id),
            cell(record.name),
            cell(record.kind),
            Text(str(record.quote_count)),
        )


class SourceList(RecordList):
    entity = "source"
    title = "Sources"
    columns = (
        Column("id", "#", 7, "right"),
        Column("text", "Title", None),
        Column("publisher", "Publisher", 16),
        Column("published", "Published", 10),
    )

    def fetch(self, text: str, filters: Filters, after: int | None) -> Page[Any]:
        return svc.list_sources(self.db, text or None, after=after, limit=PAGE_SIZE)

    def fetch_one(self, record_id: int) -> Any:
        return svc.get_source(self.db, record_id, with_text=False)

    def row(self, record: SourceRecord) -> Cells:
        return (
            _id(record.id),
            cell(record.title),
            cell(record.publisher or ""),
            cell(record.published_on or ""),
        )

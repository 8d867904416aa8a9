"""Everything :mod:`tracker.services` offers, imported at once (the package
imports this module when one of its names is first used)."""

from tracker.db.database import Database
from tracker.errors import (
    ConflictError,
    DatabaseError,
    NotFoundError,
    TrackerError,
    ValidationError,
)
from tracker.services.audit import (
    News,
    change_entries,
    changes_since,
    list_changes,
    newest_change,
    news_since,
)
from tracker.services.claims import (
    add_claim,
    add_review,
    delete_claim,
    delete_review,
    due_claims,
    get_claim,
    get_claims,
    list_claims,
    speaker_report_card,
    update_claim,
)
from tracker.services.filters import Filters
from tracker.services.quotes import (
    add_quote,
    delete_quote,
    get_quote,
    get_quotes,
    list_quotes,
    update_quote,
)
from tracker.services.ranked_search import SearchPage, search, search_page
from tracker.services.records import (
    AliasRecord,
    AuditRecord,
    ClaimRecord,
    Page,
    QuoteRecord,
    ReportCard,
    ReviewRecord,
    RoleRecord,
    SearchHit,
    SourceRecord,
    SpeakerRecord,
    to_jsonable,
)
from tracker.services.sources import (
    add_source,
    delete_source,
    get_source,
    list_sources,
    source_chain,
    update_source,
)
from tracker.services.speakers import (
    RoleInput,
    add_alias,
    add_role,
    add_speaker,
    delete_speaker,
    edit_speaker,
    find_by_name,
    get_speaker,
    list_speakers,
    parse_role,
    remove_alias,
    remove_role,
    update_speaker,
)


def open_database(db: str | None = None, actor: str | None = None) -> Database:
    """Open (and migrate) the database named by ``db`` / TRACKER_DB / the default."""
    from tracker.config import database_url

    return Database(database_url(db), actor)


__all__ = [
    "AliasRecord",
    "AuditRecord",
    "ClaimRecord",
    "ConflictError",
    "Database",
    "DatabaseError",
    "Filters",
    "NotFoundError",
    "Page",
    "QuoteRecord",
    "ReviewRecord",
    "RoleInput",
    "RoleRecord",
    "SearchHit",
    "SearchPage",
    "SourceRecord",
    "SpeakerRecord",
    "TrackerError",
    "ValidationError",
    "add_alias",
    "add_claim",
    "add_quote",
    "add_review",
    "add_role",
    "add_source",
    "add_speaker",
    "delete_claim",
    "delete_review",
    "delete_quote",
    "delete_source",
    "delete_speaker",
    "due_claims",
    "find_by_name",
    "get_claim",
    "get_claims",
    "get_quotes",
    "speaker_report_card",
    "ReportCard",
    "get_quote",
    "get_source",
    "get_speaker",
    "change_entries",
    "changes_since",
    "list_changes",
    "News",
    "news_since",
    "newest_change",
    "list_claims",
    "list_quotes",
    "list_sources",
    "list_speakers",
    "open_database",
    "parse_role",
    "remove_alias",
    "remove_role",
    "search",
    "search_page",
    "source_chain",
    "to_jsonable",
    "update_claim",
    "update_quote",
    "update_source",
    "edit_speaker",
    "update_speaker",
]

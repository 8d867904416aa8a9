"""The quote detail shows the last verification (issue 13): the status, the
word difference for an altered quote, stale once a text changed; nothing
for a quote never checked."""

from __future__ import annotations

from tracker import services as svc
from tracker.db.database import Database
from tracker.services.verification import verify_quotes
from tracker.tui.widgets.detail import load_detail, render_detail

TEXT = "Officials left the room quietly after the [b]talks[/b]."


def _shown(db: Database, quote_id: int) -> str:
    return render_detail(load_detail(db, "quote", quote_id)).plain


def test_status_difference_and_staleness(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada Official").id
    source = svc.add_source(db, "Talks", full_text=TEXT).id
    quote = svc.add_quote(
        db,
        "Officials left the room angrily after the [b]talks[/b].",
        speaker_id=ada,
        source_id=source,
    ).id
    assert "Verified" not in _shown(db, quote)

    verify_quotes(db, quote)
    shown = _shown(db, quote)
    assert "Verified: altered (" in shown and "stale" not in shown
    assert "Difference: \u201cangrily\u201d for \u201cquietly\u201d" in shown

    svc.update_source(db, source, full_text=TEXT + " Later.")
    shown = _shown(db, quote)
    assert "stale" in shown and "Difference" not in shown


def test_markup_in_the_texts_is_literal(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada Official").id
    source = svc.add_source(db, "Talks", full_text=TEXT).id
    quote = svc.add_quote(
        db,
        "Officials left the room quietly after the [i]talks[/i].",
        speaker_id=ada,
        source_id=source,
    ).id
    verify_quotes(db, quote)
    assert "\u201c[i]talks[/i].\u201d for \u201c[b]talks[/b].\u201d" in _shown(db, quote)

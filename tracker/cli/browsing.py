"""``tracker show``, ``list``, ``search`` and ``due``: reading records.

Each prints through :func:`tracker.cli.output.emit`; a kind of record has
one set of table columns here and one JSON shape (the service's record), so
``due --json`` and ``list claims --json`` print the same claim objects."""

from __future__ import annotations

from functools import partial
from typing import Any

import click

from tracker import services as svc
from tracker.cli.context import AppContext, pass_app
from tracker.cli.output import Column, emit, json_option
from tracker.cli.params import RECORD_ID, RECORD_KIND, filter_options, make_filters, text_option
from tracker.cli.render import show_claim, show_quote, show_source, show_speaker
from tracker.services.records import (
    ClaimRecord,
    QuoteRecord,
    SearchHit,
    SourceRecord,
    SpeakerRecord,
)

# One set of columns for each kind of record, in lists and search results.
QUOTE_COLUMNS: tuple[Column[QuoteRecord], ...] = (
    ("id", lambda q: q.id),
    ("speaker", lambda q: q.speaker),
    ("quote", lambda q: q.text),
    ("said", lambda q: q.said_on),
    ("mode", lambda q: q.mode),
    ("source", lambda q: q.source),
)
CLAIM_COLUMNS: tuple[Column[ClaimRecord], ...] = (
    ("id", lambda c: c.id),
    ("claimant", lambda c: c.claimant),
    ("claim", lambda c: c.text),
    ("kind", lambda c: c.kind),
    ("due", lambda c: c.due),
    ("status", lambda c: c.status or "unreviewed"),
)
SPEAKER_COLUMNS: tuple[Column[SpeakerRecord], ...] = (
    ("id", lambda s: s.id),
    ("name", lambda s: s.name),
    ("kind", lambda s: s.kind),
    ("aliases", lambda s: ", ".join(a.text for a in s.aliases)),
    ("quotes", lambda s: s.quote_count),
)
SOURCE_COLUMNS: tuple[Column[SourceRecord], ...] = (
    ("id", lambda s: s.id),
    ("kind", lambda s: s.kind),
    ("title", lambda s: s.title),
    ("publisher", lambda s: s.publisher),
    ("published", lambda s: s.published_on),
    ("reports on", lambda s: s.reports_on_id),
    ("quotes", lambda s: s.quote_count),
)
HIT_COLUMNS: tuple[Column[SearchHit], ...] = (
    ("kind", lambda h: h.kind),
    ("id", lambda h: h.id),
    ("speaker", lambda h: h.speaker),
    ("text", lambda h: h.text),
    ("said", lambda h: h.said_on),
)


@click.command("show")
@click.argument("kind", type=RECORD_KIND)
@click.argument("record_id", type=RECORD_ID)
@json_option
@pass_app
def show(app: AppContext, kind: str, record_id: int, as_json: bool) -> None:
    """Show one record in full."""
    db = app.db
    if kind == "quote":
        quote = svc.get_quote(db, record_id)
        chain = svc.source_chain(db, quote.source_id) if quote.source_id else []
        with_chain = {**svc.to_jsonable(quote), "source_chain": svc.to_jsonable(chain)}
        emit(with_chain, as_json, human=partial(show_quote, quote, chain))
    elif kind == "claim":
        claim = svc.get_claim(db, record_id)
        emit(claim, as_json, human=partial(show_claim, claim))
    elif kind == "speaker":
        speaker = svc.get_speaker(db, record_id)
        emit(speaker, as_json, human=partial(show_speaker, speaker))
    else:
        source = svc.get_source(db, record_id)
        chain = svc.source_chain(db, record_id)
        # The chain starts with the source itself: JSON carries only the rest.
        with_chain = {**svc.to_jsonable(source), "source_chain": svc.to_jsonable(chain[1:])}
        emit(with_chain, as_json, human=partial(show_source, source, chain))


@click.command("list")
@click.argument("what", type=click.Choice(["quotes", "claims", "speakers", "sources"]))
@text_option
@filter_options
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option(
    "--after",
    type=RECORD_ID,
    metavar="CURSOR",
    help="Continue after this id (the previous page's last).",
)
@json_option
@pass_app
def list_records(
    app: AppContext,
    /,
    what: str,
    text: str | None,
    limit: int,
    after: int | None,
    as_json: bool,
    **opts: Any,
) -> None:
    """List records, newest first."""
    db = app.db
    if what == "speakers":
        speakers = svc.list_speakers(db, text, after=after, limit=limit)
        emit(speakers.items, as_json, columns=SPEAKER_COLUMNS)
    elif what == "sources":
        sources = svc.list_sources(db, text, after=after, limit=limit)
        emit(sources.items, as_json, columns=SOURCE_COLUMNS)
    elif what == "quotes":
        filters = make_filters(app, opts)
        quotes = svc.list_quotes(db, filters, text=text, after=after, limit=limit)
        emit(quotes.items, as_json, columns=QUOTE_COLUMNS)
    else:
        filters = make_filters(app, opts)
        claims = svc.list_claims(db, filters, text=text, after=after, limit=limit)
        emit(claims.items, as_json, columns=CLAIM_COLUMNS)


@click.command("search")
@click.argument("text")
@click.option(
    "--in",
    "kinds",
    multiple=True,
    type=click.Choice(["quote", "claim", "speaker"]),
    help="Only these kinds of record (repeatable).",
)
@filter_options
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@json_option
@pass_app
def search(
    app: AppContext, /, text: str, kinds: tuple[str, ...], limit: int, as_json: bool, **opts: Any
) -> None:
    """Full-text search over quotes, claims and speaker names and aliases."""
    hits = svc.search(
        app.db,
        text,
        make_filters(app, opts),
        kinds=kinds or ("quote", "claim", "speaker"),
        limit=limit,
    )
    emit(hits, as_json, columns=HIT_COLUMNS)


@click.command("due")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@json_option
@pass_app
def due(app: AppContext, on: str | None, as_json: bool) -> None:
    """Predictions and promises whose due date has come, with no final verdict."""
    from tracker.services.validation import clean_date

    day = clean_date(on, "--on") if on else None
    claims = svc.due_claims(app.db, day)
    emit(claims, as_json, columns=CLAIM_COLUMNS, title="Due for review")


def register(cli: click.Group) -> None:
    for command in (show, list_records, search, due):
        cli.add_command(command)

"""``tracker show``, ``list``, ``search`` and ``due``: reading records.

Each prints through :func:`tracker.cli.output.emit`; a kind of record has
one set of table columns here and one JSON shape (the service's record), so
``due --json`` and ``list claims --json`` print the same claim objects.

With ``--json``, ``show``, ``list quotes|claims`` (no search, no filters)
and ``due`` read an SQLite file directly (:meth:`AppContext.read_directly`:
plain sqlite3, neither SQLAlchemy nor Rich imported), and print the same
bytes the services' records give; anything else, or a database that cannot
be read that way, goes through the services."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

import click

from tracker import services as svc
from tracker.cli.context import AppContext, pass_app
from tracker.cli.output import Column, emit, json_option
from tracker.cli.params import RECORD_ID, RECORD_KIND, filter_options, make_filters, text_option
from tracker.services.records import (
    ClaimRecord,
    Page,
    QuoteRecord,
    SearchHit,
    SourceRecord,
    SpeakerRecord,
    to_jsonable,
)

if TYPE_CHECKING:
    from tracker.db.database import Database
    from tracker.services.fast_read import Snapshot

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


Shown = tuple[QuoteRecord | ClaimRecord | SpeakerRecord | SourceRecord, list[SourceRecord]]


@click.command("show")
@click.argument("kind", type=RECORD_KIND)
@click.argument("record_id", type=RECORD_ID)
@json_option
@pass_app
def show(app: AppContext, kind: str, record_id: int, as_json: bool) -> None:
    """Show one record in full."""
    found = app.read_directly(partial(_read_shown, kind, record_id)) if as_json else None
    record, chain = found or _shown(app.db, kind, record_id)
    data: object = record
    if isinstance(record, QuoteRecord | SourceRecord):
        # A source's chain starts with the source itself: JSON carries only the rest.
        rest = chain[1:] if isinstance(record, SourceRecord) else chain
        data = {**to_jsonable(record), "source_chain": to_jsonable(rest)}
    emit(data, as_json, human=partial(_show_for_person, record, chain))


def _show_for_person(
    record: QuoteRecord | ClaimRecord | SpeakerRecord | SourceRecord, chain: list[SourceRecord]
) -> None:
    from tracker.cli import render  # Rich: not imported for --json

    if isinstance(record, QuoteRecord):
        render.show_quote(record, chain)
    elif isinstance(record, ClaimRecord):
        render.show_claim(record)
    elif isinstance(record, SpeakerRecord):
        render.show_speaker(record)
    else:
        render.show_source(record, chain)


def _shown(db: Database, kind: str, record_id: int) -> Shown:
    """The record, with its source chain (a quote's; a source's, from itself)."""
    if kind == "quote":
        quote = svc.get_quote(db, record_id)
        return quote, svc.source_chain(db, quote.source_id) if quote.source_id else []
    if kind == "claim":
        return svc.get_claim(db, record_id), []
    if kind == "speaker":
        return svc.get_speaker(db, record_id), []
    return svc.get_source(db, record_id), svc.source_chain(db, record_id)


def _read_shown(kind: str, record_id: int, snapshot: Snapshot) -> Shown | None:
    """:func:`_shown`, read directly; None if the record is not there."""
    if kind == "quote":
        quote = snapshot.quote(record_id)
        if quote is None:
            return None
        chain = snapshot.source_chain(quote.source_id) if quote.source_id else []
        return (quote, chain) if chain is not None else None
    if kind == "claim":
        claim = snapshot.claim(record_id)
        return (claim, []) if claim is not None else None
    if kind == "speaker":
        speaker = snapshot.speaker(record_id)
        return (speaker, []) if speaker is not None else None
    source = snapshot.source(record_id)
    chain = snapshot.source_chain(record_id)
    return (source, chain) if source is not None and chain is not None else None


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
    db_only = not as_json or text is not None or not _no_filters(opts)
    if what == "quotes":
        quotes = None if db_only else app.read_directly(partial(_read_quotes, after, limit))
        if quotes is None:
            filters = make_filters(app, opts)
            quotes = svc.list_quotes(app.db, filters, text=text, after=after, limit=limit)
        emit(quotes.items, as_json, columns=QUOTE_COLUMNS)
    elif what == "claims":
        claims = None if db_only else app.read_directly(partial(_read_claims, after, limit))
        if claims is None:
            filters = make_filters(app, opts)
            claims = svc.list_claims(app.db, filters, text=text, after=after, limit=limit)
        emit(claims.items, as_json, columns=CLAIM_COLUMNS)
    elif what == "speakers":
        speakers = svc.list_speakers(app.db, text, after=after, limit=limit)
        emit(speakers.items, as_json, columns=SPEAKER_COLUMNS)
    else:
        sources = svc.list_sources(app.db, text, after=after, limit=limit)
        emit(sources.items, as_json, columns=SOURCE_COLUMNS)


def _read_quotes(after: int | None, limit: int, snapshot: Snapshot) -> Page[QuoteRecord]:
    return snapshot.quotes(after=after, limit=limit)


def _read_claims(after: int | None, limit: int, snapshot: Snapshot) -> Page[ClaimRecord]:
    return snapshot.claims(after=after, limit=limit)


def _no_filters(opts: dict[str, Any]) -> bool:
    """Whether none of :func:`~tracker.cli.params.filter_options` was given
    (the direct read knows no filters)."""
    return all(value is None for value in opts.values())


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
    day = None
    if on:
        from tracker.services.validation import clean_date

        day = clean_date(on, "--on")
    claims = None
    if as_json:
        # As the services decide it: today, unless --on says otherwise.
        claims = app.read_directly(lambda snapshot: snapshot.due(day or dt.date.today()))
    if claims is None:
        claims = svc.due_claims(app.db, day)
    emit(claims, as_json, columns=CLAIM_COLUMNS, title="Due for review")


def register(cli: click.Group) -> None:
    for command in (show, list_records, search, due):
        cli.add_command(command)

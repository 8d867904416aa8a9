"""Adding, showing, listing, editing and searching records."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import click

from tracker import services as svc
from tracker.cli.context import (
    AppContext,
    decode_utf8,
    json_option,
    out,
    pass_app,
    print_json,
    read_text_arg,
    table,
)
from tracker.cli.params import FIELD_ASSIGNMENT, NAME_OR_ID, OFFSET, RECORD_ID, VERSION
from tracker.cli.render import show_claim, show_quote, show_source, show_speaker
from tracker.cli.resolve import recorded, resolve_speaker, who
from tracker.dates import DateError, parse_datetime
from tracker.display import make_visible
from tracker.errors import ValidationError
from tracker.scales import SCALES
from tracker.services.filters import Filters
from tracker.vocab import CLAIM_KINDS, QUOTE_MODES, SOURCE_KINDS, SPEAKER_KINDS

KIND_CHOICE = click.Choice(["quote", "claim", "speaker", "source"])


def filter_options(func: Any) -> Any:
    """The filters shared by ``list`` and ``search`` (an option stack, as in sqlite-utils)."""
    options = [
        click.option(
            "--speaker",
            "speaker",
            type=NAME_OR_ID,
            metavar="NAME_OR_ID",
            help="Said or claimed by this speaker.",
        ),
        click.option(
            "--source", "source_id", type=RECORD_ID, metavar="ID", help="From this source."
        ),
        click.option(
            "--kind", "claim_kind", type=click.Choice(CLAIM_KINDS), help="Claim kind (claims only)."
        ),
        click.option(
            "--status",
            metavar="STATUS",
            help="open, final, unreviewed, or a rating label (claims only).",
        ),
        click.option("--mode", type=click.Choice(QUOTE_MODES), help="Quote mode (quotes only)."),
        click.option(
            "--from", "date_from", metavar="DATE", help="Said on or after (YYYY[-MM[-DD]])."
        ),
        click.option("--to", "date_to", metavar="DATE", help="Said on or before (YYYY[-MM[-DD]])."),
        click.option("--tag", metavar="TAG", help="Has this tag."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_filters(app: AppContext, opts: dict[str, Any]) -> Filters:
    speaker = opts.get("speaker")
    speaker_id = resolve_speaker(app.db, speaker, field="--speaker").id if speaker else None
    return Filters(
        speaker_id=speaker_id,
        source_id=opts.get("source_id"),
        kind=opts.get("claim_kind"),
        status=opts.get("status"),
        mode=opts.get("mode"),
        date_from=opts.get("date_from"),
        date_to=opts.get("date_to"),
        tag=opts.get("tag"),
    )


# ---------------------------------------------------------------- add


@click.group("add")
def add() -> None:
    """Record a speaker, source, quote or claim."""


@add.command("speaker")
@click.argument("name")
@click.option("--kind", type=click.Choice(SPEAKER_KINDS), default="person", show_default=True)
@click.option(
    "--alias", "aliases", multiple=True, metavar="TEXT", help="Another name (repeatable)."
)
@click.option(
    "--misspelling",
    "misspellings",
    multiple=True,
    metavar="TEXT",
    help="A known misspelling (repeatable).",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="TITLE;ORG;FROM;TO",
    help="A role held, e.g. 'President;United States;2021-01-20' (repeatable).",
)
@click.option("--wikidata", metavar="QID", help="Wikidata id, e.g. Q6279.")
@click.option("--notes")
@json_option
@pass_app
def add_speaker(
    app: AppContext,
    name: str,
    kind: str,
    aliases: tuple[str, ...],
    misspellings: tuple[str, ...],
    roles: tuple[str, ...],
    wikidata: str | None,
    notes: str | None,
    as_json: bool,
) -> None:
    """Add a speaker (a person or an organisation)."""
    record = svc.add_speaker(
        app.db,
        name,
        kind=kind,
        aliases=[*aliases, *((m, "misspelling") for m in misspellings)],
        roles=[svc.parse_role(r) for r in roles],
        wikidata_qid=wikidata,
        notes=notes,
    )
    _done(record, as_json, f"speaker {record.id}: {record.name}")


@add.command("source")
@click.argument("title")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default="article", show_default=True)
@click.option("--publisher")
@click.option("--author", "authors", multiple=True, help="Repeatable.")
@click.option("--url")
@click.option("--published", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--accessed", metavar="DATE", help="YYYY-MM-DD.")
@click.option(
    "--text-file",
    type=click.File("rb"),
    help="The source's full text (- for stdin).",
)
@click.option(
    "--reports-on", type=RECORD_ID, metavar="SOURCE_ID", help="The source this one reports on."
)
@click.option("--notes")
@json_option
@pass_app
def add_source(
    app: AppContext,
    title: str,
    kind: str,
    publisher: str | None,
    authors: tuple[str, ...],
    url: str | None,
    published: str | None,
    accessed: str | None,
    text_file: Any,
    reports_on: int | None,
    notes: str | None,
    as_json: bool,
) -> None:
    """Add a source: an article, interview, transcript, ..."""
    full_text = _read_file(text_file) if text_file else None
    record = svc.add_source(
        app.db,
        title,
        kind=kind,
        publisher=publisher,
        authors=authors,
        url=url,
        published_on=published,
        accessed_on=accessed,
        full_text=full_text,
        reports_on_id=reports_on,
        notes=notes,
    )
    _done(record, as_json, f"source {record.id}: {record.title}")


def _read_file(handle: Any) -> str:
    # Read as bytes and decoded here, strictly: when standard input is not
    # UTF-8 already, click rewraps it with errors="replace", which would
    # store U+FFFD for every bad byte.
    return decode_utf8(handle.read(), str(getattr(handle, "name", "<stdin>")))


@add.command("quote")
@click.argument("text")
@click.option(
    "--speaker",
    required=True,
    type=NAME_OR_ID,
    metavar="NAME_OR_ID",
    help="Who said it (a name is matched fuzzily).",
)
@click.option("--new-speaker", is_flag=True, help="Create the speaker if no existing one matches.")
@click.option("--source", "source_id", type=RECORD_ID, metavar="ID")
@click.option("--mode", type=click.Choice(QUOTE_MODES), default="direct", show_default=True)
@click.option("--said", metavar="DATE", help="When it was said: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--venue", help="Where or in what context.")
@click.option("--start", "start_offset", type=OFFSET, help="Start offset in the source text.")
@click.option("--end", "end_offset", type=OFFSET, help="End offset in the source text.")
@click.option("--tag", "tags", multiple=True)
@click.option("--notes")
@json_option
@pass_app
def add_quote(
    app: AppContext,
    text: str,
    speaker: str,
    new_speaker: bool,
    source_id: int | None,
    mode: str,
    said: str | None,
    venue: str | None,
    start_offset: int | None,
    end_offset: int | None,
    tags: tuple[str, ...],
    notes: str | None,
    as_json: bool,
) -> None:
    """Add a quotation (TEXT, or - to read it from standard input)."""
    from tracker.services.attribution import record_quote

    outcome = record_quote(
        app.db,
        read_text_arg(text),
        who(speaker, create=new_speaker, field="--speaker"),
        source_id=source_id,
        mode=mode,
        said_on=said,
        venue=venue,
        start_offset=start_offset,
        end_offset=end_offset,
        tags=tags,
        notes=notes,
    )
    record = recorded(outcome)
    _done(record, as_json, f"quote {record.id} by {record.speaker}")


@add.command("claim")
@click.argument("text")
@click.option("--kind", type=click.Choice(CLAIM_KINDS), default="fact", show_default=True)
@click.option(
    "--claimant",
    type=NAME_OR_ID,
    metavar="NAME_OR_ID",
    help="Who makes the claim (default: the quotes' speaker).",
)
@click.option(
    "--quote",
    "quote_ids",
    multiple=True,
    type=RECORD_ID,
    metavar="QUOTE_ID",
    help="A quote it rests on (repeatable).",
)
@click.option("--said", metavar="DATE")
@click.option("--due", metavar="YYYY-MM-DD", help="When a prediction or promise can be judged.")
@click.option("--tag", "tags", multiple=True)
@click.option("--notes")
@json_option
@pass_app
def add_claim(
    app: AppContext,
    text: str,
    kind: str,
    claimant: str | None,
    quote_ids: tuple[int, ...],
    said: str | None,
    due: str | None,
    tags: tuple[str, ...],
    notes: str | None,
    as_json: bool,
) -> None:
    """Add a checkable claim, in your own words."""
    from tracker.services.attribution import record_claim

    outcome = record_claim(
        app.db,
        read_text_arg(text),
        who(claimant, field="--claimant") if claimant else None,
        kind=kind,
        quote_ids=quote_ids,
        said_on=said,
        due=due,
        tags=tags,
        notes=notes,
    )
    record = recorded(outcome)
    _done(record, as_json, f"claim {record.id} ({record.kind})")


def _done(record: Any, as_json: bool, message: str) -> None:
    if as_json:
        print_json(record)
    else:
        out.print(f"Added {message}", markup=False)


# ---------------------------------------------------------------- review


@click.command("review")
@click.argument("claim_id", type=RECORD_ID)
@click.option("--scale", type=click.Choice(list(SCALES)), help="Default: by the claim's kind.")
@click.option(
    "--rating", required=True, help="A rating on the scale, e.g. 'Mostly True', 'Came True'."
)
@click.option("--rationale", help="Why.")
@click.option("--reviewer", help="Default: --user.")
@click.option("--evidence", multiple=True, metavar="URL", help="A link to evidence (repeatable).")
@click.option(
    "--at",
    "reviewed_at",
    metavar="ISO_TIME",
    help="When reviewed (default: now), e.g. 2021-04-15T12:00Z.",
)
@json_option
@pass_app
def review(
    app: AppContext,
    claim_id: int,
    scale: str | None,
    rating: str,
    rationale: str | None,
    reviewer: str | None,
    evidence: tuple[str, ...],
    reviewed_at: str | None,
    as_json: bool,
) -> None:
    """Record a verdict on claim CLAIM_ID (appended to its history)."""
    when = None
    if reviewed_at is not None:  # given empty, it is not "now"
        try:
            when = parse_datetime(reviewed_at)
        except DateError as exc:
            raise ValidationError(f"--at: {exc}", "reviewed_at") from None
    record = svc.add_review(
        app.db,
        claim_id,
        scale=scale,
        rating=rating,
        rationale=rationale,
        reviewer=reviewer,
        evidence=evidence,
        reviewed_at=when,
    )
    if as_json:
        print_json(record)
    else:
        out.print(f"Claim {claim_id}: {record.rating} ({record.scale})", markup=False)


# ---------------------------------------------------------------- show / list


@click.command("show")
@click.argument("kind", type=KIND_CHOICE)
@click.argument("record_id", type=RECORD_ID)
@json_option
@pass_app
def show(app: AppContext, kind: str, record_id: int, as_json: bool) -> None:
    """Show one record in full."""
    db = app.db
    if kind == "quote":
        quote = svc.get_quote(db, record_id)
        chain = svc.source_chain(db, quote.source_id) if quote.source_id else []
        print_json(
            {**svc.to_jsonable(quote), "source_chain": svc.to_jsonable(chain)}
        ) if as_json else show_quote(quote, chain)
    elif kind == "claim":
        claim = svc.get_claim(db, record_id)
        print_json(claim) if as_json else show_claim(claim)
    elif kind == "speaker":
        speaker = svc.get_speaker(db, record_id)
        print_json(speaker) if as_json else show_speaker(speaker)
    else:
        source = svc.get_source(db, record_id)
        chain = svc.source_chain(db, record_id)
        print_json(
            {**svc.to_jsonable(source), "source_chain": svc.to_jsonable(chain[1:])}
        ) if as_json else show_source(source, chain)


@click.command("list")
@click.argument("what", type=click.Choice(["quotes", "claims", "speakers", "sources"]))
@click.option("--text", help="Only records matching these words.")
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
        if as_json:
            return print_json(speakers.items)
        return table(
            ["id", "name", "kind", "aliases", "quotes"],
            [
                (s.id, s.name, s.kind, ", ".join(a.text for a in s.aliases), s.quote_count)
                for s in speakers.items
            ],
        )
    if what == "sources":
        sources = svc.list_sources(db, text, after=after, limit=limit)
        if as_json:
            return print_json(sources.items)
        return table(
            ["id", "kind", "title", "publisher", "published", "reports on", "quotes"],
            [
                (s.id, s.kind, s.title, s.publisher, s.published_on, s.reports_on_id, s.quote_count)
                for s in sources.items
            ],
        )
    filters = make_filters(app, opts)
    if what == "quotes":
        quotes = svc.list_quotes(db, filters, text=text, after=after, limit=limit)
        if as_json:
            return print_json(quotes.items)
        return table(
            ["id", "speaker", "quote", "said", "mode", "source"],
            [(q.id, q.speaker, q.text, q.said_on, q.mode, q.source) for q in quotes.items],
        )
    claims = svc.list_claims(db, filters, text=text, after=after, limit=limit)
    if as_json:
        return print_json(claims.items)
    return table(
        ["id", "claimant", "claim", "kind", "due", "status"],
        [(c.id, c.claimant, c.text, c.kind, c.due, c.status or "unreviewed") for c in claims.items],
    )


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
    if as_json:
        return print_json(hits)
    table(
        ["kind", "id", "speaker", "text", "said"],
        [(h.kind, h.id, h.speaker, h.text, h.said_on) for h in hits],
    )


@click.command("due")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@json_option
@pass_app
def due(app: AppContext, on: str | None, as_json: bool) -> None:
    """Predictions and promises whose due date has come, with no final verdict."""
    from tracker.services.validation import clean_date

    day = clean_date(on, "--on") if on else None
    claims = svc.due_claims(app.db, day)
    if as_json:
        # The claim objects `list claims --json` prints: one shape per kind.
        return print_json(claims)
    table(
        ["id", "claimant", "claim", "kind", "due", "status"],
        [(c.id, c.claimant, c.text, c.kind, c.due, c.status or "unreviewed") for c in claims],
        title="Due for review",
    )


# ---------------------------------------------------------------- edit / delete


@click.command("delete")
@click.argument("kind", type=KIND_CHOICE)
@click.argument("record_id", type=RECORD_ID)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def delete(app: AppContext, kind: str, record_id: int, yes: bool) -> None:
    """Delete a record (recorded in the audit log)."""
    if not yes:
        click.confirm(f"Delete {kind} {record_id}?", abort=True)
    deleter = {
        "quote": svc.delete_quote,
        "claim": svc.delete_claim,
        "speaker": svc.delete_speaker,
        "source": svc.delete_source,
    }[kind]
    deleter(app.db, record_id)
    out.print(f"Deleted {kind} {record_id}", markup=False)


@click.command("edit")
@click.argument("kind", type=KIND_CHOICE)
@click.argument("record_id", type=RECORD_ID)
@click.option(
    "--set",
    "pairs",
    multiple=True,
    type=FIELD_ASSIGNMENT,
    metavar="FIELD=VALUE",
    help="A field to change, e.g. --set said_on=2021-03-17 (repeatable; empty value clears).",
)
@click.option(
    "--expect-version", type=VERSION, help="Refuse if the record changed since this version."
)
@json_option
@pass_app
def edit(
    app: AppContext,
    kind: str,
    record_id: int,
    pairs: tuple[tuple[str, object], ...],
    expect_version: int | None,
    as_json: bool,
) -> None:
    """Change fields of a record."""
    if not pairs:
        raise ValidationError("nothing to change: give --set FIELD=VALUE")
    updater: dict[str, Callable[..., object]] = {
        "quote": svc.update_quote,
        "claim": svc.update_claim,
        "speaker": svc.update_speaker,
        "source": svc.update_source,
    }
    fields = dict(pairs)
    # A field named like the update function's own parameters (db,
    # expected_version, ...) would be a Python error, not a field: refuse it
    # as the services refuse any field a record does not have.
    own = inspect.signature(updater[kind]).parameters.values()
    taken = {p.name for p in own if p.kind is not p.VAR_KEYWORD} & set(fields)
    if taken:
        raise ValidationError(f"a {kind} has no field {', '.join(sorted(taken))}")
    record = updater[kind](app.db, record_id, expected_version=expect_version, **fields)
    if as_json:
        print_json(record)
    else:
        out.print(f"Updated {kind} {record_id}", markup=False)


@click.command("undo")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@pass_app
def undo_last(app: AppContext, yes: bool, as_json: bool) -> None:
    """Undo your last change (from the audit log)."""
    from tracker.services import undo

    plan = undo.last_change(app.db)
    if plan is None:
        raise ValidationError(f"{app.db.actor} has made no change to undo")
    if not yes and not as_json:
        click.confirm(make_visible(f"Undo: {plan.describe()}?"), abort=True)
    result = undo.undo(app.db, plan)
    if as_json:
        print_json({"undone": plan.describe(), "message": result.message})
    else:
        out.print(f"Undone: {result.message}", markup=False)


def register(cli: click.Group) -> None:
    for command in (add, review, show, list_records, search, due, edit, delete, undo_last):
        cli.add_command(command)

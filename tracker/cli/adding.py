"""``tracker add ...`` and ``tracker review``: recording speakers, sources,
quotes, claims and verdicts.

``add quote`` and ``add claim`` are adapters over the attribution service
(:mod:`tracker.services.attribution`), as the terminal UI's forms are: who
said it is decided there, not here."""

from __future__ import annotations

from typing import Any

import click

from tracker import services as svc
from tracker.cli.context import AppContext, decode_utf8, pass_app, read_text_arg
from tracker.cli.output import emit, json_option
from tracker.cli.params import NAME_OR_ID, OFFSET, RECORD_ID
from tracker.cli.resolve import recorded, who
from tracker.dates import DateError, parse_datetime
from tracker.errors import ValidationError
from tracker.scales import SCALES
from tracker.vocab import CLAIM_KINDS, QUOTE_MODES, SOURCE_KINDS, SPEAKER_KINDS


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
    emit(record, as_json, human=f"Added speaker {record.id}: {record.name}")


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
    emit(record, as_json, human=f"Added source {record.id}: {record.title}")


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
    emit(record, as_json, human=f"Added quote {record.id} by {record.speaker}")


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
    emit(record, as_json, human=f"Added claim {record.id} ({record.kind})")


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
    emit(record, as_json, human=f"Claim {claim_id}: {record.rating} ({record.scale})")


def register(cli: click.Group) -> None:
    cli.add_command(add)
    cli.add_command(review)

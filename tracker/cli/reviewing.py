"""``tracker ingest`` and ``tracker queue ...``: an article's attributions
into the review queue, and deciding them from scripts.

Adapters over :mod:`tracker.services.review_queue` (which records accepted
items through the attribution service, as the terminal UI's Review tab
does). The JSON shapes are in ``docs/review.md``."""

from __future__ import annotations

from collections import Counter
from typing import Any

import click

from tracker.cli.context import AppContext, decode_utf8, pass_app
from tracker.cli.output import Column, emit, json_option
from tracker.cli.params import RECORD_ID
from tracker.cli.resolve import choice_message
from tracker.errors import ValidationError
from tracker.vocab import QUOTE_MODES, SOURCE_KINDS

STATUSES = ("pending", "accepted", "rejected", "skipped")


@click.command("ingest")
@click.argument("file", type=click.File("rb"))
@click.option("--title", required=True, help="The article's title.")
@click.option("--publisher")
@click.option(
    "--published", metavar="DATE", help="Date of publication: YYYY, YYYY-MM or YYYY-MM-DD."
)
@click.option("--url")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default="article", show_default=True)
@json_option
@pass_app
def ingest(
    app: AppContext,
    file: Any,
    title: str,
    publisher: str | None,
    published: str | None,
    url: str | None,
    kind: str,
    as_json: bool,
) -> None:
    """Store the article in FILE (UTF-8 text, - for stdin) as a source, find
    its quotations and queue them for review."""
    from tracker.services import review_queue as rq

    name = str(getattr(file, "name", "<stdin>"))
    text = decode_utf8(file.read(), name)
    done = rq.ingest(
        app.db,
        text,
        title=title,
        publisher=publisher,
        published_on=published,
        url=url,
        kind=kind,
        where=name,
    )
    guesses = Counter(i.speaker_guess or "none" for i in done.items)
    summary = ", ".join(f"{guesses[g]} {g}" for g in ("same", "maybe", "new", "none") if guesses[g])
    reused = " (the source recorded earlier)" if done.reused_source else ""
    human = (
        f"Ingested source {done.source.id}{reused}: {len(done.items)} attribution(s) queued"
        + (f" (speaker: {summary})" if summary else "")
        + f"; review them in the Review tab or with `tracker queue list --source {done.source.id}`"
    )
    emit(
        {"source": done.source, "reused_source": done.reused_source, "items": done.items},
        as_json,
        human=human,
    )


@click.group("queue")
def queue() -> None:
    """The review queue: attributions found by `tracker ingest`."""


def _speaker(item: Any) -> str:
    if item.speaker_name is None:
        return "(none)"
    guess = f" [{item.speaker_guess}]" if item.speaker_guess else ""
    return f"{item.speaker_name}{guess}"


ITEM_COLUMNS: list[Column[Any]] = [
    ("id", lambda i: i.id),
    ("source", lambda i: f"{i.source_id} #{i.position}"),
    ("status", lambda i: i.status),
    ("mode", lambda i: i.mode),
    ("speaker", _speaker),
    ("conf", lambda i: f"{i.confidence:.2f}"),
    ("text", lambda i: i.text),
]


@queue.command("list")
@click.option("--source", "source_id", type=RECORD_ID, metavar="ID", help="One article's items.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([*STATUSES, "open", "all"]),
    help="Repeatable; default: open (pending and skipped).",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option(
    "--after", type=RECORD_ID, metavar="CURSOR", help="Continue after this id (the last shown)."
)
@json_option
@pass_app
def list_queue(
    app: AppContext,
    source_id: int | None,
    statuses: tuple[str, ...],
    limit: int,
    after: int | None,
    as_json: bool,
) -> None:
    """List queue items in article order (oldest article first)."""
    from tracker.services import review_queue as rq

    wanted: list[str] = []
    for status in statuses or ("open",):
        wanted.extend({"open": rq.OPEN_STATUSES, "all": STATUSES}.get(status, (status,)))
    page = rq.list_items(app.db, source_id=source_id, statuses=wanted, after=after, limit=limit)
    emit(page.items, as_json, columns=ITEM_COLUMNS)


@queue.command("show")
@click.argument("item_id", type=RECORD_ID)
@json_option
@pass_app
def show_item(app: AppContext, item_id: int, as_json: bool) -> None:
    """One queue item, with its spans in the article."""
    from tracker.services import review_queue as rq

    item = rq.get_item(app.db, item_id)

    def human() -> None:
        from tracker.cli.output import out, shown

        def span(label: str, s: Any) -> None:
            if s is not None:
                out.print(f"{label}: ", shown(s.text), f" [{s.start}-{s.end}]", sep="")

        out.print(f"Queue item {item.id}: ", shown(item.status), sep="")
        out.print(f"source {item.source_id} (", shown(item.source), f") #{item.position}", sep="")
        out.print(f"mode {item.mode}, confidence {item.confidence:.2f}")
        out.print("text: ", shown(item.text), sep="")
        for part in item.content:
            span("content", part)
        span("cue", item.cue)
        span("source span", item.source_span)
        out.print("speaker: ", shown(_speaker(item)), sep="")
        if item.quote_id is not None:
            out.print(f"quote {item.quote_id}")
        if item.decided_by:
            out.print(
                "decided by ",
                shown(item.decided_by),
                f" at {item.decided_at:%Y-%m-%d %H:%M} UTC",
                sep="",
            )

    emit(item, as_json, human=human)


def _decided(outcome: Any) -> Any:
    """The record of an outcome, or the error that says what to do."""
    from tracker.services import review_queue as rq
    from tracker.services.attribution import NeedsChoice, Refused

    if isinstance(outcome, rq.AlreadyDecided):
        raise ValidationError(outcome.message, "item")
    if isinstance(outcome, NeedsChoice):
        if outcome.decision == "maybe":
            message = outcome.message.replace(
                "Give the speaker's id instead",
                "pass --speaker-id N, or --new-speaker to create a new speaker",
            )
        else:
            message = f"{choice_message(outcome).split(';')[0]}; pass --new-speaker to create it, or --speaker-id N"
        raise ValidationError(message, outcome.field)
    if isinstance(outcome, Refused):
        raise ValidationError(outcome.reason, outcome.field)
    return outcome


@queue.command("accept")
@click.argument("item_id", type=RECORD_ID)
@click.option("--speaker-id", type=RECORD_ID, metavar="N", help="The speaker (an existing id).")
@click.option(
    "--speaker", "speaker_name", metavar="NAME", help="Another name than the one proposed."
)
@click.option(
    "--new-speaker", is_flag=True, help="Create a new speaker with the (proposed or given) name."
)
@click.option("--text", help="The quote's text, edited (default: the text found).")
@click.option("--mode", type=click.Choice(QUOTE_MODES), help="Default: the mode found.")
@json_option
@pass_app
def accept_item(
    app: AppContext,
    item_id: int,
    speaker_id: int | None,
    speaker_name: str | None,
    new_speaker: bool,
    text: str | None,
    mode: str | None,
    as_json: bool,
) -> None:
    """Record queue item ITEM_ID as a quote (its source the article, said on
    the article's date)."""
    from tracker.services import review_queue as rq
    from tracker.services.attribution import Who

    if speaker_id is not None and (speaker_name is not None or new_speaker):
        raise click.UsageError("--speaker-id cannot be combined with --speaker or --new-speaker")
    who: Who | None = None
    if speaker_id is not None:
        who = Who(speaker_id=speaker_id)
    elif speaker_name is not None or new_speaker:
        name = speaker_name
        if name is None:
            name = rq.get_item(app.db, item_id).speaker_name
            if name is None:
                raise ValidationError(
                    f"queue item #{item_id} has no proposed speaker; give --speaker NAME", "speaker"
                )
        who = Who(name=name, confirmed_new=new_speaker)
    outcome = _decided(rq.accept(app.db, item_id, who, text=text, mode=mode))
    created = f" (new speaker {outcome.quote.speaker_id})" if outcome.speaker_created else ""
    human = (
        f"Queue item {item_id} is quote {outcome.quote.id} already (by "
        f"{outcome.quote.speaker}): linked to it, nothing recorded again"
        if outcome.already_recorded
        else f"Accepted queue item {item_id} as quote {outcome.quote.id} "
        f"by {outcome.quote.speaker}{created}"
    )
    emit(
        {
            "item": outcome.item,
            "quote": outcome.quote,
            "speaker_created": outcome.speaker_created,
            "already_recorded": outcome.already_recorded,
        },
        as_json,
        human=human,
    )


@queue.command("reject")
@click.argument("item_id", type=RECORD_ID)
@json_option
@pass_app
def reject_item(app: AppContext, item_id: int, as_json: bool) -> None:
    """Reject queue item ITEM_ID: no quote is recorded."""
    from tracker.services import review_queue as rq

    item = _decided(rq.reject(app.db, item_id))
    emit(item, as_json, human=f"Rejected queue item {item.id}")


@queue.command("skip")
@click.argument("item_id", type=RECORD_ID)
@json_option
@pass_app
def skip_item(app: AppContext, item_id: int, as_json: bool) -> None:
    """Leave queue item ITEM_ID for later (it stays open)."""
    from tracker.services import review_queue as rq

    item = _decided(rq.skip(app.db, item_id))
    emit(item, as_json, human=f"Skipped queue item {item.id}")


def register(cli: click.Group) -> None:
    cli.add_command(ingest)
    cli.add_command(queue)

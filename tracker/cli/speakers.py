"""``tracker speakers ...``: matching names, aliases, merges and splits."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, pass_app, read_stdin_text
from tracker.cli.output import Column, emit, json_line, json_option
from tracker.cli.params import RECORD_ID
from tracker.db.database import sqlite_file
from tracker.errors import ValidationError
from tracker.services.validation import clean_date
from tracker.vocab import ALIAS_KINDS

if TYPE_CHECKING:
    from tracker.matching import Candidate, MatchResult


@click.group("speakers")
def speakers() -> None:
    """Match names to speakers; manage aliases; merge and split speakers."""


CANDIDATE_COLUMNS: tuple[Column[Candidate], ...] = (
    ("id", lambda c: c.speaker_id),
    ("name", lambda c: c.name),
    ("score", lambda c: f"{c.score:.0f}"),
    ("matched", lambda c: c.matched),
    ("why", lambda c: c.why),
)


def _print_match(result: MatchResult) -> None:
    from tracker.cli.console import out, table

    out.print(f"{result.query!r}: {result.decision}", markup=False)
    table(result.candidates, CANDIDATE_COLUMNS)


@speakers.command("match")
@click.argument("name")
@click.option(
    "--on",
    "on",
    metavar="YYYY-MM-DD",
    help="The date the words were said (resolves role references).",
)
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
@json_option
@pass_app
def match(app: AppContext, name: str, on: str | None, limit: int, as_json: bool) -> None:
    """Which speaker is NAME? Decides same, maybe or new, and says why.

    With NAME "-", reads one name per line from standard input (optionally
    NAME<TAB>YYYY-MM-DD) and writes one JSON object per line."""
    default_day = clean_date(on, "--on") if on else None
    many = name == "-"
    queries: list[tuple[str, dt.date | None]] = []
    if many:
        lines = read_stdin_text().replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            text, _, day_text = line.partition("\t")
            try:
                day = clean_date(day_text.strip(), "date") if day_text.strip() else default_day
            except ValidationError as exc:
                raise ValidationError(f"<stdin> line {number}: {exc.message}") from None
            queries.append((text.strip(), day))
    else:
        queries.append((name, default_day))
    results = _match(app, queries, limit, many=many)
    if many:
        for result in results:
            json_line(result.to_dict())
        return
    emit(results[0].to_dict(), as_json, human=partial(_print_match, results[0]))


def _match(
    app: AppContext, queries: list[tuple[str, dt.date | None]], limit: int, *, many: bool
) -> list[MatchResult]:
    """From the saved speaker index, read with sqlite3, when there is one
    (:mod:`tracker.services.fast_match`); else through the services, which
    build the index (and save it for the next time). The matcher
    (rapidfuzz, jellyfish) is imported only by the commands that match."""
    file = sqlite_file(app.url)
    if file is not None:
        from tracker.services.fast_match import match_directly

        found = app.read_directly(
            partial(match_directly, file=file, queries=queries, limit=limit, many=many)
        )
        if found is not None:
            return found
    from tracker.services import speaker_index

    if many:
        return speaker_index.match_speakers(app.db, queries, limit=limit)
    return [speaker_index.match_speaker(app.db, name, on=day, limit=limit) for name, day in queries]


@speakers.command("merge")
@click.argument("keep_id", type=RECORD_ID)
@click.argument("other_id", type=RECORD_ID)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@pass_app
def merge(app: AppContext, keep_id: int, other_id: int, yes: bool, as_json: bool) -> None:
    """Merge speaker OTHER_ID into KEEP_ID (undo with `tracker speakers unmerge KEEP_ID`)."""
    from tracker.services import merges

    plan = merges.plan_merge(app.db, keep_id, other_id)
    if not yes and not as_json:
        from tracker.cli.console import out

        out.print(
            f"Merge {plan.other.name} (#{plan.other.id}) into {plan.keep.name} (#{plan.keep.id}): "
            f"{len(plan.quote_ids)} quote(s), {len(plan.claim_ids)} claim(s), aliases {list(plan.aliases)}, "
            f"roles {list(plan.roles)} move.",
            markup=False,
        )
        click.confirm("Go ahead?", abort=True)
    record = merges.merge_speakers(app.db, keep_id, other_id)
    emit(record, as_json, human=f"Merged into {record.name} (#{record.id}).")


@speakers.command("unmerge")
@click.argument("keep_id", type=RECORD_ID)
@json_option
@pass_app
def unmerge(app: AppContext, keep_id: int, as_json: bool) -> None:
    """Undo the latest merge into KEEP_ID."""
    from tracker.services import merges

    keep, other = merges.unmerge_speakers(app.db, keep_id)
    emit(
        {"keep": keep, "restored": other},
        as_json,
        human=f"Restored {other.name} (#{other.id}) from {keep.name} (#{keep.id}).",
    )


@speakers.command("split")
@click.argument("speaker_id", type=RECORD_ID)
@click.argument("alias")
@click.option(
    "--quote",
    "quote_ids",
    multiple=True,
    type=RECORD_ID,
    help="A quote that goes with the new speaker.",
)
@json_option
@pass_app
def split(
    app: AppContext, speaker_id: int, alias: str, quote_ids: tuple[int, ...], as_json: bool
) -> None:
    """Make ALIAS of SPEAKER_ID a speaker of its own (a wrong merge)."""
    from tracker.services import merges

    record = merges.split_alias(app.db, speaker_id, alias, quote_ids)
    emit(record, as_json, human=f"New speaker {record.name} (#{record.id}).")


@speakers.group("alias")
def alias() -> None:
    """Add or remove a speaker's aliases."""


@alias.command("add")
@click.argument("speaker_id", type=RECORD_ID)
@click.argument("text")
@click.option("--kind", type=click.Choice(ALIAS_KINDS), default="name", show_default=True)
@click.option(
    "--role", "role_id", type=RECORD_ID, help="For a role reference: the id of the role it names."
)
@json_option
@pass_app
def alias_add(
    app: AppContext, speaker_id: int, text: str, kind: str, role_id: int | None, as_json: bool
) -> None:
    """Add alias TEXT to speaker SPEAKER_ID."""
    from tracker import services as svc

    record = svc.add_alias(app.db, speaker_id, text, kind, role_id)
    emit(record, as_json, human=f"{record.name}: alias {text!r} added")


@alias.command("remove")
@click.argument("speaker_id", type=RECORD_ID)
@click.argument("text")
@json_option
@pass_app
def alias_remove(app: AppContext, speaker_id: int, text: str, as_json: bool) -> None:
    """Remove alias TEXT from speaker SPEAKER_ID."""
    from tracker import services as svc

    record = svc.remove_alias(app.db, speaker_id, text)
    emit(record, as_json, human=f"{record.name}: alias {text!r} removed")


def register(cli: click.Group) -> None:
    cli.add_command(speakers)

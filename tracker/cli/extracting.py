"""``tracker extract FILE``: the quotations in an article and their speakers."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, decode_utf8, pass_app
from tracker.cli.output import Column, emit, json_option
from tracker.db.database import sqlite_file
from tracker.display import make_visible
from tracker.errors import ValidationError
from tracker.services.validation import clean_date

if TYPE_CHECKING:
    from tracker.db.database import Database
    from tracker.services.extracting import Found


def read_article(path: str) -> str:
    """The text of ``path``, strictly UTF-8, line endings as they are (the
    offsets of ``--json`` index it as ``open(path, newline='')`` reads it).
    A ValidationError naming the file when it cannot be read."""
    if os.path.isdir(path):
        raise ValidationError(f"{path}: is a folder, not a text file")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    return decode_utf8(data, path)


def _database(app: AppContext) -> Database | None:
    """The database to resolve speakers against, or None when the default
    or given SQLite file does not exist yet: extracting creates nothing."""
    path = sqlite_file(app.url)
    if path is not None and not os.path.exists(path):
        return None
    return app.db


def _content(found: Found) -> str:
    return " \u2026 ".join(span.text for span in found.attribution.content)


def _speaker(found: Found) -> str:
    guess = found.speaker
    if guess is None:
        return ""
    if guess.speaker_id is not None:
        return f"{guess.name} (#{guess.speaker_id})"
    return guess.name


COLUMNS: tuple[Column[Found], ...] = (
    ("at", lambda f: f.attribution.content[0].start),
    ("mode", lambda f: f.attribution.mode),
    ("speaker", _speaker),
    ("decision", lambda f: f.speaker.decision if f.speaker else ""),
    ("cue", lambda f: f.attribution.cue.text if f.attribution.cue else ""),
    ("quote", _content),
)


@click.command("extract")
@click.argument("file", type=click.Path(dir_okay=True, allow_dash=False))
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    help="The article's date (resolves role references such as 'the U.S. president').",
)
@json_option
@pass_app
def extract(app: AppContext, file: str, date: str | None, as_json: bool) -> None:
    """List the quotations and reported speech in FILE (plain UTF-8 text),
    with the speaker each is attributed to. Writes nothing."""
    from tracker.services.extracting import find_attributions, found_as_json

    day = clean_date(date, "--date") if date else None
    text = read_article(file)
    found = find_attributions(_database(app), text, date=day)
    if as_json:
        emit(found_as_json(found), True, human="")
        return
    emit(found, False, columns=COLUMNS, title=_title(file, len(found)))


def _title(file: str, count: int) -> str:
    from rich.markup import escape  # a file name is text, never markup

    return escape(make_visible(f"{file}: {count} attribution{'s' if count != 1 else ''}"))


def register(cli: click.Group) -> None:
    cli.add_command(extract)

"""Parameter types for the command line: record ids, kinds, offsets,
versions, a speaker given by name or id, and ``--set FIELD=VALUE``; and the
option stacks that several commands share (the filters of ``list``,
``search`` and ``export``).

Every number the CLI takes is checked here, by the services' own
:func:`~tracker.services.validation.parse_whole_number`, before a command
runs: an id is a whole number from 1 to 2**31-1 (what an INTEGER column
holds on both SQLite and PostgreSQL), an
offset from 0. A value that is not is a usage error (exit status 2) naming
the option, as click reports any value of the wrong type."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.errors import ValidationError
from tracker.vocab import CLAIM_KINDS, QUOTE_MODES

# tracker.services.validation (and tracker.dates) is imported when a value
# is checked, not with this module: `tracker` alone, opening the terminal
# UI, loads this module for its global options and does not need them.

if TYPE_CHECKING:
    from tracker.cli.context import AppContext
    from tracker.services.filters import Filters

    IntParam = click.ParamType[int]
    TextParam = click.ParamType[str]
    PairParam = click.ParamType[tuple[str, object]]
else:  # click before 8.2 has no type parameters
    IntParam = TextParam = PairParam = click.ParamType

_LOOKS_LIKE_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def looks_like_id(text: str) -> bool:
    """Whether ``text`` (a NAME_OR_ID) is meant as an id: digits, maybe signed.

    ``-1`` and ``0`` are ids (invalid ones), not names to match."""
    return _LOOKS_LIKE_NUMBER.fullmatch(text.strip()) is not None


class WholeNumber(IntParam):
    """A whole number from ``low`` to 2**31-1, e.g. ``RECORD_ID``."""

    def __init__(self, low: int, what: str) -> None:
        self.low = low
        self.what = what
        self.name = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from tracker.services.validation import parse_whole_number

        try:
            return parse_whole_number(value, self.low, self.what)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


RECORD_ID = WholeNumber(1, "id")
RECORD_KIND = click.Choice(["quote", "claim", "speaker", "source"])
OFFSET = WholeNumber(0, "offset")
VERSION = WholeNumber(1, "version")


class NameOrId(TextParam):
    """A speaker's name, or an id: text that looks like a number must be a valid id."""

    name = "name_or_id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from tracker.services.validation import parse_id

        text = str(value)
        if not text.strip():
            self.fail("must not be empty: give a name or an id", param, ctx)
        if looks_like_id(text):
            try:
                parse_id(text)
            except ValueError as exc:
                self.fail(str(exc), param, ctx)
        return text


NAME_OR_ID = NameOrId()

# How ``--set`` values are read: ids and offsets are checked like the
# options that take them; list fields take commas; an empty value clears.
ID_FIELDS = frozenset({"speaker_id", "source_id", "claimant_id", "reports_on_id"})
OFFSET_FIELDS = frozenset({"start_offset", "end_offset"})
LIST_FIELDS = frozenset({"tags", "authors", "quote_ids"})
ID_LIST_FIELDS = frozenset({"quote_ids"})


def field_value(name: str, text: str) -> object:
    """The value of ``--set NAME=TEXT`` for the services; ValueError for a bad id or offset."""
    from tracker.services.validation import parse_id, parse_offset

    if name in LIST_FIELDS:
        items = [item.strip() for item in text.split(",") if item.strip()]
        return [parse_id(item) for item in items] if name in ID_LIST_FIELDS else items
    if text.strip() == "" and (name in ID_FIELDS or name in OFFSET_FIELDS):
        return None
    if name in ID_FIELDS:
        return parse_id(text)
    if name in OFFSET_FIELDS:
        return parse_offset(text)
    return text if text != "" else None


class FieldAssignment(PairParam):
    """``FIELD=VALUE`` as a (field, value) pair; a missing ``=`` is a usage error."""

    name = "field=value"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, object]:
        if isinstance(value, tuple):
            return value
        name, sep, text = str(value).partition("=")
        name = name.strip()
        if not sep or not name:
            self.fail(f"{value!r} must be FIELD=VALUE, e.g. said_on=2021-03-17", param, ctx)
        try:
            return name, field_value(name, text)
        except ValueError as exc:
            self.fail(f"{name}: {exc}", param, ctx)


FIELD_ASSIGNMENT = FieldAssignment()


def not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option that may be left out but not given empty: ``--db ""`` would
    otherwise quietly mean the default database."""
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty", ctx, param)
    return value


def user_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--user``: a name for the audit log, one line without control characters."""
    if value is None:
        return None
    from tracker.services.validation import clean_name

    try:
        return clean_name(value, "the name")
    except ValidationError as exc:
        raise click.BadParameter(exc.message, ctx, param) from None


F = TypeVar("F", bound=Callable[..., Any])


def text_option(func: F) -> F:
    """``--text WORDS``: only records matching these words (full-text search)."""
    return click.option("--text", metavar="WORDS", help="Only records matching these words.")(func)


def filter_option_stack(claim_kind: str = "--kind") -> Callable[[F], F]:
    """The filters shared by ``list``, ``search`` and ``export`` (an option
    stack, as in sqlite-utils); :func:`make_filters` turns them into
    :class:`~tracker.services.filters.Filters`. ``claim_kind`` names the
    claim-kind option, for a command whose ``--kind`` means something else."""
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
            claim_kind,
            "claim_kind",
            type=click.Choice(CLAIM_KINDS),
            help="Claim kind (claims only).",
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

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


filter_options = filter_option_stack()


def make_filters(app: AppContext, opts: dict[str, Any]) -> Filters:
    """The filters given by :func:`filter_option_stack`'s options (a speaker
    named is resolved as everywhere on the command line)."""
    from tracker.cli.resolve import resolve_speaker
    from tracker.services.filters import Filters

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

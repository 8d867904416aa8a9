"""``tracker verify [QUOTE_ID]``: are quotes in their source's text?"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tracker.cli.context import AppContext, pass_app
from tracker.cli.output import Column, emit, json_option
from tracker.cli.params import RECORD_ID

if TYPE_CHECKING:
    from tracker.services.verification import Checked


def _where(c: Checked) -> str:
    return "" if c.start is None else f"{c.start}-{c.end}"


def _similarity(c: Checked) -> str:
    return "" if c.similarity is None else f"{c.similarity:g}"


def _difference(c: Checked) -> str:
    from tracker.services.verification import describe

    return describe(c.difference)


COLUMNS: tuple[Column[Checked], ...] = (
    ("id", lambda c: c.quote_id),
    ("status", lambda c: c.status),
    ("at", _where),
    ("similarity", _similarity),
    ("difference", _difference),
)


@click.command("verify")
@click.argument("quote_id", type=RECORD_ID, required=False)
@json_option
@pass_app
def verify(app: AppContext, quote_id: int | None, as_json: bool) -> None:
    """Check every quote (or QUOTE_ID) against its source's full text:
    verbatim, altered (where, how similar, the word difference), not_found,
    or no_text; store the result on each quote."""
    from tracker.services.verification import verify_quotes

    checked = verify_quotes(app.db, quote_id)
    if as_json:
        emit(checked, True, human="")
        return
    counts: dict[str, int] = {}
    for c in checked:
        counts[c.status] = counts.get(c.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    plural = "s" if len(checked) != 1 else ""
    title = f"{len(checked)} quote{plural} checked" + (f": {summary}" if summary else "")
    emit(checked, False, columns=COLUMNS, title=title)


def register(cli: click.Group) -> None:
    cli.add_command(verify)

"""``tracker edit``, ``delete`` and ``undo``: changing what is recorded.

Every change is recorded in the audit log by the services, so ``undo`` can
take back the user's last one."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import click

from tracker import services as svc
from tracker.cli.context import AppContext, pass_app
from tracker.cli.output import emit, json_option, out
from tracker.cli.params import FIELD_ASSIGNMENT, RECORD_ID, RECORD_KIND, VERSION
from tracker.display import make_visible
from tracker.errors import ValidationError


@click.command("delete")
@click.argument("kind", type=RECORD_KIND)
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
@click.argument("kind", type=RECORD_KIND)
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
    emit(record, as_json, human=f"Updated {kind} {record_id}")


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
    undone = {"undone": plan.describe(), "message": result.message}
    emit(undone, as_json, human=f"Undone: {result.message}")


def register(cli: click.Group) -> None:
    for command in (edit, delete, undo_last):
        cli.add_command(command)

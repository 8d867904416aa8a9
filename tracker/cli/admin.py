"""``tracker db ...`` and ``tracker demo``.

Alembic (``tracker.db.migrate``) is imported by the commands that use it,
not with the CLI: it made every ``tracker`` command, and opening the UI,
about 0.15 s slower to start."""

from __future__ import annotations

from functools import partial

import click

from tracker.cli.context import AppContext, pass_app
from tracker.cli.output import emit, json_option
from tracker.db.database import Database
from tracker.db.engine import describe_db_error
from tracker.display import make_visible
from tracker.errors import DatabaseError


@click.group("db")
def db_group() -> None:
    """Schema migrations of the database."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@pass_app
def db_upgrade(app: AppContext, revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    db = app.new_database(upgrade=False)
    try:
        db.upgrade(revision)
        click.echo(make_visible(f"{db.where}: at revision {_current(db) or '(empty)'}"))
    finally:
        db.close()


@db_group.command("current")
@json_option
@pass_app
def db_current(app: AppContext, as_json: bool) -> None:
    """Show the database's schema revision and the newest this code knows."""
    from tracker.db import migrate

    db = app.new_database(upgrade=False)
    try:
        state = {"database": db.where, "revision": _current(db), "head": migrate.head_revision()}
    finally:
        db.close()
    emit(
        state,
        as_json,
        human=f"{state['database']}: revision {state['revision'] or '(none: not created yet)'}; "
        f"head is {state['head']}",
    )


@db_group.command("history")
@json_option
def db_history(as_json: bool) -> None:
    """List the migrations, newest first."""
    revisions = _revisions()
    emit(revisions, as_json, human=partial(_print_history, revisions))


def _revisions() -> list[dict[str, str | None]]:
    from tracker.db import migrate

    return migrate.revisions()


def _print_history(revisions: list[dict[str, str | None]]) -> None:
    for rev in revisions:
        click.echo(f"{rev['revision']}  {rev['doc'] or ''}".rstrip())


def _current(db: Database) -> str | None:
    from sqlalchemy.exc import DBAPIError

    from tracker.db import migrate

    try:
        with db.engine.connect() as conn:
            return migrate.current_revision(conn)
    except DBAPIError as exc:
        raise DatabaseError(describe_db_error(exc, db.where)) from None


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print what was loaded as JSON.")
@pass_app
def demo(app: AppContext, as_json: bool) -> None:
    """Fill the database with the example article (safe to run twice)."""
    from tracker.services.demo import load_demo

    summary = load_demo(app.db)
    emit(
        summary,
        as_json,
        human=f"Demo loaded into {app.db.where}: {summary.speakers} speakers, "
        f"{summary.sources} sources, {summary.quotes} quotes, {summary.claims} claims, "
        f"{summary.reviews} with verdicts ({summary.created} records added this time).",
    )


def register(cli: click.Group) -> None:
    cli.add_command(db_group)
    cli.add_command(demo)

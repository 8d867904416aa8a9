"""``tracker db ...`` and ``tracker demo``.

Alembic (``tracker.db.migrate``) is imported by the commands that use it,
not with the CLI: it made every ``tracker`` command, and opening the UI,
about 0.15 s slower to start."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import AppContext, decode_utf8, pass_app
from tracker.cli.output import emit, json_option, out
from tracker.db.database import Database
from tracker.db.engine import describe_db_error
from tracker.display import make_visible
from tracker.errors import DatabaseError

if TYPE_CHECKING:
    from tracker.services.db_copy import CopyReport


@click.group("db")
def db_group() -> None:
    """Schema migrations of the database, and copying it whole."""


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


@db_group.command("copy")
@click.argument("source", metavar="SOURCE_URL")
@click.argument("target", metavar="TARGET_URL")
@json_option
@pass_app
def db_copy(app: AppContext, source: str, target: str, as_json: bool) -> None:
    """Copy the whole database SOURCE_URL into the empty TARGET_URL.

    Each is a file path or an SQLAlchemy URL (SQLite or PostgreSQL). Ids,
    the audit log and verdict history are kept; the target is written in one
    transaction, and a target that holds any record is refused. See
    docs/postgresql.md ("Moving a desk")."""
    from tracker.services.db_copy import copy_database

    with _copy_progress(not as_json and sys.stderr.isatty()) as progress:
        report = copy_database(source, target, actor=app.user, progress=progress)
    emit(report.as_json(), as_json, human=partial(_print_copy, report))


@contextlib.contextmanager
def _copy_progress(show: bool) -> Iterator[Any]:
    """Rows copied of all, the table being copied and rows a second, on
    stderr when it is a terminal (as ``tracker import`` shows); gone at the end."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("copying {task.fields[table]}"),
        BarColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[rows]}"),
        TextColumn("{task.fields[rate]}"),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task("copy", total=None, table="", rows="", rate="")

        def advance(table: str, _count: int, _of: int, done: int, total: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:,.0f} rows/s" if elapsed > 0.5 else ""
            rows = f"{done:,}/{total:,} rows"
            bar.update(task, completed=done, total=total, table=table, rows=rows, rate=rate)

        yield advance


def _print_copy(report: CopyReport) -> None:
    for t in report.tables:
        out.print(f"{t.table:<20} {t.rows:>12,}")
    out.print(
        f"copied {report.rows:,} rows from {report.source} to {report.target} "
        f"in {report.seconds:.1f} s (schema revision {report.revision})",
        soft_wrap=True,
    )


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
@click.option(
    "--article",
    "article",
    type=click.Path(exists=True, dir_okay=False),
    help="The article's text (UTF-8), stored on its source so `tracker verify` "
    "can check the quotes [default: ../shared/seed/article.txt beside this "
    "repository, when it is there].",
)
@pass_app
def demo(app: AppContext, as_json: bool, article: str | None) -> None:
    """Fill the database with the example article (safe to run twice)."""
    from tracker.services.demo import load_demo, seed_article

    if article is not None:
        text: str | None = decode_utf8(Path(article).read_bytes(), article)
    else:
        text = seed_article()
    summary = load_demo(app.db, text)
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

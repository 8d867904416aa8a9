"""``tracker import``: a thin layer over :mod:`tracker.services.transfer`.

It opens the file, picks the mapping, shows a progress bar on a terminal,
writes rejected rows to ``--rejects`` and prints the report (docs/import.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import click

from tracker.cli.context import AppContext, pass_app
from tracker.cli.output import out
from tracker.display import make_visible
from tracker.errors import ValidationError


def register(group: click.Group) -> None:
    group.add_command(import_command)


@click.command("import")
@click.argument("file", required=False, metavar="FILE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "tsv", "jsonl", "json", "claimreview"]),
    help="The file's format (default: from its name, or the mapping's).",
)
@click.option("--encoding", help="The file's text encoding (default: UTF-8, with or without BOM).")
@click.option("--no-header", is_flag=True, help="The first row is data: name columns by number.")
@click.option(
    "--mapping", "mapping_spec", metavar="NAME|FILE", help="A built-in mapping or a TOML file."
)
@click.option(
    "--map",
    "map_pairs",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Which column is which field (a name or a 1-based number); repeat.",
)
@click.option("--list-mappings", is_flag=True, help="List the built-in mappings and stop.")
@click.option("--source-title", help="The source of every row that names none.")
@click.option("--source-url", help="The source's URL, for every row that names none.")
@click.option("--published", help="The source's date of publication, for every row.")
@click.option("--said", help="The date said, for every row that gives none.")
@click.option(
    "--speakers",
    type=click.Choice(["match", "create", "strict"]),
    help="match (default): same links, new creates, maybe rejects; create: maybe "
    "creates too; strict: only same links. A mapping may choose another default.",
)
@click.option("--accept-maybe", is_flag=True, help="A 'maybe' links the best candidate.")
@click.option("--update", is_flag=True, help="Update rows whose key exists and content changed.")
@click.option("--dry-run", is_flag=True, help="Check and match everything, write nothing.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    metavar="N",
    help="Commit every N rows (default: the whole file or nothing).",
)
@click.option("--rejects", "rejects_path", metavar="FILE", help="Write rejected rows here.")
@click.option("--strict", is_flag=True, help="Any rejected row refuses the import.")
@click.option("--json", "as_json", is_flag=True, help="Print one summary object.")
@pass_app
def import_command(
    app: AppContext,
    file: str | None,
    fmt: str | None,
    encoding: str | None,
    no_header: bool,
    mapping_spec: str | None,
    map_pairs: tuple[str, ...],
    list_mappings: bool,
    source_title: str | None,
    source_url: str | None,
    published: str | None,
    said: str | None,
    speakers: str | None,
    accept_maybe: bool,
    update: bool,
    dry_run: bool,
    batch_size: int | None,
    rejects_path: str | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Import quotes and claims from FILE (- for standard input).

    CSV/TSV with a mapping, JSON Lines, JSON, ClaimReview JSON-LD, or
    tracker's own exports (recognised by their columns). The whole file is
    imported or nothing is, unless --batch-size; a row already imported
    (same key) is left as it is. See docs/import.md."""
    from tracker.services.transfer import mapping as maps
    from tracker.services.transfer.pipeline import ImportRequest, run_import

    if list_mappings:
        for name in maps.builtin_names():  # one line each, for scripts too
            click.echo(f"{name}\t{make_visible(maps.builtin(name).description)}")
        return
    if file is None:
        raise click.UsageError("give the FILE to import (- for standard input)")
    defaults = {
        k: v
        for k, v in {
            "source_title": source_title,
            "source_url": source_url,
            "published": published,
            "said_on": said,
        }.items()
        if v is not None
    }
    request = ImportRequest(
        name=file,
        fmt=fmt,
        encoding=encoding,
        header=False if no_header else None,
        mapping=mapping_spec,
        columns=maps.inline(list(map_pairs)),
        defaults=defaults,
        speakers=speakers,
        accept_maybe=accept_maybe,
        update=update,
        dry_run=dry_run,
        batch_size=batch_size,
        strict=strict,
    )
    db = app.db
    with _input(file) as (stream, size), _rejects(rejects_path) as rejects:
        show_progress = not as_json and sys.stderr.isatty()
        with _progress(show_progress, size) as advance:
            report = run_import(db, stream, request, rejects=rejects, progress=advance)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        _say(report, file)
    if strict and report.rejected:
        sys.exit(1)


@contextlib.contextmanager
def _input(name: str) -> Iterator[tuple[BinaryIO, int | None]]:
    if name == "-":
        yield sys.stdin.buffer, None
        return
    path = Path(name)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise ValidationError(f"cannot read {name}: {exc.strerror or exc}") from None
    with stream:
        size = path.stat().st_size if path.is_file() else None
        yield stream, size


@contextlib.contextmanager
def _rejects(path: str | None) -> Iterator[TextIO | None]:
    """The rejects file, written next to its final name and moved there
    when the import ends (whatever happened), so it is never half a file."""
    if path is None:
        yield None
        return
    target = Path(path)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        stream = temp.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with stream:
            yield stream
    finally:
        if temp.exists():
            os.replace(temp, target)


@contextlib.contextmanager
def _progress(show: bool, total: int | None) -> Iterator[Any]:
    """Rows, rows a second and time left (from the bytes read) on stderr,
    when it is a terminal; gone when the import ends."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns: list[Any] = [TextColumn("importing")]
    if total is not None:
        columns += [BarColumn(), TimeRemainingColumn()]
    columns += [TextColumn("{task.fields[rows]:,} rows"), TextColumn("{task.fields[rate]}")]
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("import", total=total, rows=0, rate="")

        def advance(rows: int, position: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{rows / elapsed:,.0f} rows/s" if elapsed > 0.5 else ""
            bar.update(task, completed=position, rows=rows, rate=rate)

        yield advance


def _say(report: Any, file: str) -> None:
    r = report
    verb = "would import" if r.dry_run else "imported"
    out.print(
        f"{verb} {file}: read {r.read:,} rows: {r.inserted:,} added, {r.updated:,} updated, "
        f"{r.unchanged:,} unchanged, {r.rejected:,} rejected; speakers: "
        f"{r.speakers_created:,} created, {r.speakers_matched:,} matched"
    )
    for reject in r.rejects[:20]:
        out.print(f"  line {reject.line}: {reject.reason}")
    if r.rejected > 20:
        out.print(f"  ... and {r.rejected - 20:,} more (--rejects FILE writes them all)")

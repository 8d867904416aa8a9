"""``tracker export``: records out to a file or standard output.

A thin layer over :mod:`tracker.services.transfer.exporter`: it reads the
options, resolves the filters as ``list`` does, and writes a file whole or
not at all (:func:`atomic_output`)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

import click

from tracker.cli.context import AppContext, pass_app
from tracker.cli.output import json_option, json_text
from tracker.cli.params import filter_option_stack, make_filters, text_option
from tracker.display import make_visible
from tracker.errors import ValidationError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

KINDS = ("quotes", "claims", "speakers", "sources")
# The same as tracker.services.transfer.exporter.FORMATS, which is not
# imported until a command runs (the CLI starts without SQLAlchemy).
FORMATS = ("csv", "tsv", "jsonl", "claimreview", "markdown")


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file (``newline=""``: line ends written as given) that
    appears at ``path`` only when the block succeeds: it is written to a
    temporary file in the same folder, flushed to disk, then renamed over
    ``path``. On any failure, Ctrl-C included, the temporary file is removed
    and ``path`` is as it was."""
    folder = path.parent
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _file_mode(path: Path) -> int:
    """The mode the file would have if opened as usual: the old file's, else
    what the umask allows (mkstemp makes it private)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _format(fmt: str | None, out: str | None) -> str:
    if fmt is not None:
        return fmt
    if out is None or out == "-" or not Path(out).suffix:
        return "csv"
    from tracker.services.transfer.exporter import format_for

    guessed = format_for(out)
    if guessed is None:
        raise click.UsageError(
            f"cannot tell the format from the name {out!r}; give --format ({', '.join(FORMATS)})"
        )
    return guessed


@click.command("export")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="What to export (default: quotes; claims for ClaimReview).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Default: from --out's extension (.csv .tsv .jsonl .jsonld .md), else csv.",
)
@text_option
@filter_option_stack(claim_kind="--claim-kind")
@click.option(
    "--out",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to FILE, whole or not at all (default: standard output).",
)
@click.option(
    "--url-base",
    metavar="URL",
    help="ClaimReview: a review's url is this plus the claim's id, "
    "unless its verdict links to its own page.",
)
@click.option("--publisher", metavar="NAME", help="ClaimReview: the organisation publishing.")
@json_option
@pass_app
def export(
    app: AppContext,
    /,
    kind: str | None,
    fmt: str | None,
    text: str | None,
    out: str | None,
    url_base: str | None,
    publisher: str | None,
    as_json: bool,
    **opts: Any,
) -> None:
    """Export records as CSV, TSV or JSON Lines (which `tracker import`
    reads back), a Markdown digest, or ClaimReview JSON-LD.

    Takes the filters of `list` (the claim kind is --claim-kind here).
    With --json, prints what was written (needs --out)."""
    from tracker.services.transfer import exporter

    fmt = _format(fmt, out)
    kind = kind or ("claims" if fmt == "claimreview" else "quotes")
    to_file = out is not None and out != "-"
    if as_json and not to_file:
        raise click.UsageError("--json reports on a file: give --out FILE")
    if fmt != "claimreview" and (url_base or publisher):
        raise click.UsageError("--url-base and --publisher are for --format claimreview")
    filters = make_filters(app, opts)

    def write(
        stream: SupportsWrite[str], progress: Callable[[int], None] | None
    ) -> exporter.Exported:
        return exporter.write_export(
            app.db,
            stream,
            kind=kind,
            fmt=fmt,
            filters=filters,
            text=text,
            url_base=url_base or exporter.PLACEHOLDER_URL_BASE,
            publisher=publisher,
            progress=progress,
        )

    if to_file:
        assert out is not None
        with atomic_output(Path(out)) as stream, _progress(as_json) as progress:
            done = write(stream, progress)
    else:
        stdout = _Utf8Stdout()
        done = write(stdout, None)
        stdout.flush()
    if done.skipped:
        click.echo(
            f"tracker: left out {done.skipped} claim{'s' if done.skipped != 1 else ''} "
            "with no final verdict",
            err=True,
        )
    if fmt == "claimreview" and not url_base and done.written:
        click.echo(
            "tracker: no --url-base: a review with no link of its own points to "
            f"{exporter.PLACEHOLDER_URL_BASE}ID",
            err=True,
        )
    if as_json:
        summary = {"kind": kind, "format": fmt, "out": out, **vars(done)}
        click.echo(json_text(summary, indent=2))
    elif to_file:
        what = kind if done.written != 1 else kind[:-1]
        click.echo(f"tracker: wrote {done.written} {what} to {make_visible(out)}", err=True)


class _Utf8Stdout:
    """Standard output for data: UTF-8 whatever the locale, line ends as written."""

    def __init__(self) -> None:
        sys.stdout.flush()
        self._binary: IO[bytes] | None = getattr(sys.stdout, "buffer", None)

    def write(self, text: str) -> int:
        if self._binary is None:  # already text only (an embedding program)
            return sys.stdout.write(text)
        return self._binary.write(text.encode("utf-8"))

    def flush(self) -> None:
        (self._binary or sys.stdout).flush()


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """A count of records written, on a terminal's stderr (not with --json)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} records"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("export", total=None)
        yield lambda count: bar.update(task, completed=count)


def register(cli: click.Group) -> None:
    cli.add_command(export)

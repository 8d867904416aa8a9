"""The ``tracker`` command. With no sub-command it opens the terminal UI."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from tracker.cli.context import AppContext, decode_utf8
from tracker.cli.params import not_empty, user_name
from tracker.config import ENV_DB, ENV_USER
from tracker.display import make_visible
from tracker.errors import TrackerError, ValidationError

# Which module of tracker.cli defines each sub-command. A command loads only
# its own module (`tracker show` imports neither the importer nor, through
# `db`, SQLAlchemy); `tracker --help`, `list_commands` and a name not listed
# here load every module listed; a module not in this table is never loaded.
# Adding a sub-command module: give it a `register(group)` function and add
# one line here for each top-level command it registers
# (tests/cli/test_fast_read.py checks this table against the commands the
# modules really register, and that no module with `register` is missing).
COMMAND_MODULES = {
    "add": "adding",
    "review": "adding",
    "db": "admin",
    "demo": "admin",
    "show": "browsing",
    "list": "browsing",
    "search": "browsing",
    "due": "browsing",
    "edit": "editing",
    "delete": "editing",
    "undo": "editing",
    "import": "importing",
    "speakers": "speakers",
    "export": "transfer",
    "extract": "extracting",
    "ingest": "reviewing",
    "queue": "reviewing",
    "verify": "verifying",
}


class TrackerGroup(click.Group):
    """Turns a TrackerError anywhere below into one clear line and exit 1.

    The sub-commands' modules are imported when a sub-command (or the help)
    is asked for, not to open the terminal UI, which needs none of them;
    a sub-command imports only its own module (:data:`COMMAND_MODULES`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: set[str] = set()

    def _load_module(self, module: str) -> None:
        if module not in self._loaded:
            self._loaded.add(module)
            importlib.import_module(f"tracker.cli.{module}").register(self)

    def _load_commands(self) -> None:
        for module in sorted(set(COMMAND_MODULES.values())):
            self._load_module(module)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is None:
            self._load_commands()  # not listed: maybe a new module's command
        else:
            self._load_module(module)
        return super().get_command(ctx, cmd_name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if parent is None:
            check_utf8(args)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            # The message may echo a stored or typed name: show it safely.
            raise click.ClickException(make_visible(exc.message)) from None


@click.group(
    cls=TrackerGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    callback=not_empty,
    help="The database: a file path or an SQLAlchemy URL "
    "(default: $TRACKER_DB, else tracker.db in your user data folder).",
)
@click.option(
    "--user",
    metavar="NAME",
    callback=user_name,
    help="Who is making changes, for the audit log (default: $TRACKER_USER or your login).",
)
@click.version_option(package_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None, user: str | None) -> None:
    """Record who said what, where and when; track claims and verdicts."""
    app = AppContext(db, user)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from tracker.cli.tui_launcher import launch

        launch(app)


def check_utf8(args: Sequence[str]) -> None:
    """Refuse a command line (or $TRACKER_DB, $TRACKER_USER) holding bytes
    that are not UTF-8, with a usage error saying which argument and where.

    Python hands such bytes over as lone surrogates (surrogateescape); they
    would fail later, deep down, when the text is written to the database."""
    for number, arg in enumerate(args, start=1):
        if _has_surrogate(arg):
            previous = args[number - 2] if number > 1 else ""
            where = f"argument {number}"
            if arg.startswith("--") and "=" in arg:
                where += f" ({arg.partition('=')[0]}=...)"
            elif previous.startswith("-") and not arg.startswith("-"):
                where += f" (after {previous})"
            raise click.UsageError(_not_utf8(arg, where))
    for name in (ENV_DB, ENV_USER):
        value = os.environ.get(name)
        if value is not None and _has_surrogate(value):
            raise click.UsageError(_not_utf8(value, f"${name}"))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _not_utf8(text: str, where: str) -> str:
    """The message for ``text``, which holds surrogates: the bytes it came
    from, and the first that is not UTF-8."""
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte
        data = text.encode("utf-8", "surrogatepass")
    try:
        decode_utf8(data, where)
    except ValidationError as exc:
        return exc.message
    return f"{where}: not UTF-8 text"


def main() -> None:
    """The ``tracker`` command. Output that cannot be written is not a
    traceback: a closed pipe (``tracker list quotes | head -1``) ends quietly
    with status 1, any other failure (a full disk) is one line and status 1."""
    try:
        try:
            cli.main(prog_name="tracker")
        finally:
            # Flushed here, not at exit, where a failure could not be caught.
            # After a closed pipe click swaps in a stdout that ignores it,
            # but the real one still holds what it could not write.
            sys.stdout.flush()
            if sys.__stdout__ is not None:
                sys.__stdout__.flush()
    except OSError as exc:
        _drop_output()
        if exc.errno != errno.EPIPE:
            with contextlib.suppress(OSError):  # stderr may be gone too
                click.echo(f"tracker: cannot write output: {exc.strerror or exc}", err=True)
        sys.exit(1)


def _drop_output() -> None:
    """Point standard output at /dev/null, so that the interpreter's last
    flush of what could not be written does not fail again (the Python
    documentation's recipe for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
    except (OSError, ValueError):
        pass

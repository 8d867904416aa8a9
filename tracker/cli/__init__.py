"""The ``tracker`` command. With no sub-command it opens the terminal UI."""

from __future__ import annotations

from typing import Any

import click

from tracker.cli.context import AppContext
from tracker.cli.params import not_empty, user_name
from tracker.display import make_visible
from tracker.errors import TrackerError


class TrackerGroup(click.Group):
    """Turns a TrackerError anywhere below into one clear line and exit 1.

    The sub-commands' modules are imported when a sub-command (or the help)
    is asked for, not to open the terminal UI, which needs none of them."""

    _loaded = False

    def _load_commands(self) -> None:
        if not self._loaded:
            self._loaded = True
            from tracker.cli import admin, records, speakers

            admin.register(self)
            records.register(self)
            speakers.register(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load_commands()
        return super().get_command(ctx, cmd_name)

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


def main() -> None:
    cli(prog_name="tracker")

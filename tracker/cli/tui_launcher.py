"""Opening the terminal UI from ``tracker`` with no sub-command."""

from __future__ import annotations

import click

from tracker.cli.context import AppContext


def launch(app: AppContext) -> None:
    db = app.db  # open (and migrate) first, so errors are reported cleanly
    try:
        from tracker.tui.app import TrackerApp
    except ImportError:
        click.echo(
            "The terminal UI is not available in this build. Try:\n"
            "  tracker demo            load the example article\n"
            "  tracker list quotes     list quotations\n"
            "  tracker search killer   full-text search\n"
            "  tracker due             predictions and promises due for a verdict\n"
            "  tracker --help          everything else"
        )
        return
    TrackerApp(db).run()

"""Opening the terminal UI from ``tracker`` with no sub-command."""

from __future__ import annotations

import click

from tracker.cli.context import AppContext


def launch(app: AppContext) -> None:
    from tracker.services.first_page import readable

    # An SQLite file that needs no migration opens lazily: the app draws the
    # first list from it while the database layer loads in the background.
    # Anything else is opened (and migrated) first, so errors show cleanly.
    db = app.open_db(lazy=True) if readable(app.url) else app.db
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

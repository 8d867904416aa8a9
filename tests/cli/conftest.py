"""The ``invoke`` fixture: ``tracker --db PATH ...`` through CliRunner."""

from __future__ import annotations

import pytest
from cli_helpers import Invoke
from click.testing import CliRunner, Result


@pytest.fixture
def invoke(db_url: str) -> Invoke:
    """``invoke("list", "quotes", input=None)`` runs ``tracker --db DB list quotes``,
    DB being ``db_url``: the SQLite file ``db_path``, or a PostgreSQL database
    in the PostgreSQL variant of the test."""
    from tracker.cli import cli

    runner = CliRunner()

    def run(*args: str, input: str | None = None, db: str | None = None) -> Result:
        return runner.invoke(
            cli, ["--db", db or db_url, "--user", "cli-tester", *args], input=input
        )

    return run

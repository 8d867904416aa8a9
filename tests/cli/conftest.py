"""The ``invoke`` fixture: ``tracker --db PATH ...`` through CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Invoke
from click.testing import CliRunner, Result


@pytest.fixture
def invoke(db_path: Path) -> Invoke:
    """``invoke("list", "quotes", input=None)`` runs ``tracker --db db_path list quotes``."""
    from tracker.cli import cli

    runner = CliRunner()

    def run(*args: str, input: str | None = None, db: str | None = None) -> Result:
        return runner.invoke(
            cli, ["--db", db or str(db_path), "--user", "cli-tester", *args], input=input
        )

    return run

"""What scripts read: every command that lists or reports has --json, a
kind of record has one JSON shape whichever command prints it, and the
database's schema revisions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from cli_helpers import Invoke, json_of

from tracker.db import migrate
from tracker.db.database import Database

# Commands that only do something and say so in one line: nothing to report.
NOTHING_TO_REPORT = {"delete", "db upgrade"}


def leaf_commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from leaf_commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_that_lists_or_reports_has_json() -> None:
    from tracker.cli import cli

    names = dict(leaf_commands(cli))
    without = {
        name
        for name, command in names.items()
        if not any("--json" in param.opts for param in command.params)
    }
    assert without == NOTHING_TO_REPORT


def test_due_prints_the_claims_that_list_claims_prints(demo_db: Database, invoke: Invoke) -> None:
    due = json_of(invoke("due", "--on", "2021-06-01", "--json"))
    listed = {c["id"]: c for c in json_of(invoke("list", "claims", "--json"))}
    assert [c["id"] for c in due] == [2]
    for claim in due:
        assert claim == listed[claim["id"]]
    assert due[0]["due"] == "2021-05-01"
    assert (due[0]["status"], due[0]["status_final"], due[0]["reviews"]) == (None, False, [])


def test_a_claim_after_a_verdict_is_still_the_same_in_due_and_list(
    demo_db: Database, invoke: Invoke
) -> None:
    json_of(
        invoke("review", "2", "--rating", "In the Works", "--at", "2021-05-02T10:00Z", "--json")
    )
    (claim,) = json_of(invoke("due", "--on", "2021-06-01", "--json"))
    (listed,) = json_of(invoke("list", "claims", "--kind", "promise", "--json"))
    assert claim == listed
    assert (claim["status"], claim["status_final"]) == ("In the Works", False)


@pytest.mark.sqlite_only("the first command creates the SQLite file")
def test_db_current_json(invoke: Invoke, db_path: Path) -> None:
    head = migrate.head_revision()
    before = json_of(invoke("db", "current", "--json"))
    assert before == {"database": str(db_path), "revision": None, "head": head}
    json_of(invoke("list", "quotes", "--json"))  # opening it migrates it
    after = json_of(invoke("db", "current", "--json"))
    assert after == {"database": str(db_path), "revision": head, "head": head}


def test_db_history_json(invoke: Invoke) -> None:
    history = json_of(invoke("db", "history", "--json"))
    assert history[0]["revision"] == migrate.head_revision()
    assert history[-1]["down_revision"] is None
    for newer, older in zip(history, history[1:], strict=False):
        assert set(newer) == {"revision", "down_revision", "doc"}
        assert newer["down_revision"] == older["revision"]
        assert newer["doc"]

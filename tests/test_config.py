"""Where the database is and who the user is: empty or unprintable values
are refused, not quietly replaced or written into the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.config import database_url
from tracker.db.database import Database
from tracker.errors import DatabaseError, ValidationError


def test_an_empty_tracker_db_is_refused_not_taken_for_the_default(monkeypatch) -> None:
    monkeypatch.setenv("TRACKER_DB", "  ")
    with pytest.raises(DatabaseError, match="TRACKER_DB is set but empty"):
        database_url(None)


def test_the_option_wins_over_an_empty_variable(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACKER_DB", "")
    assert database_url(str(tmp_path / "x.db")).endswith("/x.db")


@pytest.mark.parametrize("name", ["a\x1b[31mb", "bob\u202e", "x" * 201, " "])
def test_an_unprintable_or_overlong_actor_is_refused(db_path: Path, name: str) -> None:
    with pytest.raises(ValidationError):
        Database(f"sqlite:///{db_path}", actor=name)


def test_tracker_user_with_an_escape_is_one_line_and_writes_nothing(
    monkeypatch, tmp_path: Path
) -> None:
    path = tmp_path / "t.db"
    monkeypatch.setenv("TRACKER_USER", "eve\x1b[2J")
    result = CliRunner().invoke(cli, ["--db", str(path), "add", "speaker", "Ada Example"])
    assert result.exit_code == 1
    assert "TRACKER_USER holds a control or invisible character" in result.output
    assert "\x1b" not in result.output
    assert not path.exists()

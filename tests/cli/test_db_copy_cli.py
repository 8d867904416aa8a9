"""``tracker db copy SOURCE_URL TARGET_URL`` on the command line: the report
per table, ``--json``, refusals as one line and exit 1, no password shown.
Through CliRunner, and once through a real process. The PostgreSQL variant
copies into (and back out of) a database on TRACKER_TEST_PG_URL's server."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ok, refused
from click.testing import CliRunner, Result

from tracker.cli import cli


def tracker(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--user", "cli-tester", *args])


@pytest.fixture
def source(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def target(blank_db: str) -> str:
    """A new SQLite file's path, or a new, empty PostgreSQL database's URL."""
    return blank_db


def test_copy_reports_rows_per_table_and_the_copy_lists_the_same(source: Path, target: str):
    result = ok(tracker("db", "copy", str(source), target))
    lines = result.stdout.splitlines()
    assert any(line.split() == ["quotes", "13"] for line in lines), result.stdout
    assert any(line.split() == ["reviews", "3"] for line in lines), result.stdout
    assert lines[-1].startswith("copied ") and "rows from" in lines[-1]
    assert str(source) in lines[-1]
    listed = [
        ok(tracker("--db", db, "list", "quotes", "--json")).stdout for db in (str(source), target)
    ]
    assert listed[0] == listed[1]


def test_json_report_has_the_documented_shape(source: Path, target: str):
    report = json.loads(ok(tracker("db", "copy", "--json", str(source), target)).stdout)
    assert set(report) == {"source", "target", "revision", "tables", "rows", "seconds"}
    tables = {t["table"]: t["rows"] for t in report["tables"]}
    assert tables["quotes"] == 13 and tables["speakers"] == 12
    assert report["rows"] == sum(tables.values())
    assert [t["table"] for t in report["tables"]].index("speakers") < [
        t["table"] for t in report["tables"]
    ].index("quotes")  # parents first


def test_a_non_empty_target_is_refused_in_one_line_and_left_alone(source: Path, target: str):
    ok(tracker("db", "copy", str(source), target))
    before = ok(tracker("--db", target, "export", "--kind", "quotes", "--format", "jsonl")).stdout
    line = refused(tracker("db", "copy", str(source), target), "not empty")
    assert "Traceback" not in line
    after = ok(tracker("--db", target, "export", "--kind", "quotes", "--format", "jsonl")).stdout
    assert after == before


def test_the_password_is_hidden_in_errors(source: Path):
    url = "postgresql+psycopg://desk:hunter2-secret@127.0.0.1:1/desk?connect_timeout=2"
    result = tracker("db", "copy", str(source), url)
    line = refused(result)
    assert "hunter2-secret" not in result.output
    if importlib.util.find_spec("psycopg") is not None:  # else: "needs the psycopg driver"
        assert "***" in line


def test_a_missing_source_is_one_line(tmp_path: Path):
    refused(tracker("db", "copy", str(tmp_path / "nope.db"), str(tmp_path / "t.db")), "no such")
    assert not (tmp_path / "t.db").exists()


def test_a_real_process_copies_and_prints_json(source: Path, tmp_path: Path):
    back = tmp_path / "back.db"
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "db", "copy", "--json", str(source), str(back)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    assert json.loads(done.stdout)["rows"] > 100


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_a_terminal_gets_a_progress_bar_on_stderr(source: Path, tmp_path: Path):
    back = tmp_path / "back.db"
    command = f"{sys.executable} -m tracker db copy {source} {back}"
    done = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout
    assert "Traceback" not in done.stdout
    assert "copying" in done.stdout and "rows" in done.stdout  # the bar, on the terminal
    assert "copied " in done.stdout

"""The installed `tracker` command, run as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def tracker_command() -> str:
    beside = Path(sys.executable).parent / "tracker"
    if beside.exists():
        return str(beside)
    found = shutil.which("tracker")
    if found is None:
        pytest.skip("the tracker command is not installed (pip install -e .)")
    return found


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_USER": "subprocess"}
    return subprocess.run(
        [tracker_command(), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_demo_then_search_through_the_real_command(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    demo = run("demo", db=db)
    assert demo.returncode == 0, demo.stderr
    assert db.exists()

    search = run("search", "killer", "--json", db=db)
    assert search.returncode == 0, search.stderr
    hits = json.loads(search.stdout)
    quotes = [h for h in hits if h["kind"] == "quote"]
    assert quotes
    assert {h["speaker"] for h in quotes} == {"Joe Biden"}

    due = run("due", "--json", db=db)
    assert due.returncode == 0, due.stderr
    ids = [c["id"] for c in json.loads(due.stdout)]
    assert 2 in ids and 1 not in ids


def test_an_error_from_the_real_command(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = run("add", "quote", "words", "--speaker", "1", "--said", "2021-02-30", db=db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")


def python_tracker(
    *args: str, env: dict[str, str], stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "demo.db"), "TRACKER_USER": "subprocess"}
    assert python_tracker("demo", env=env).returncode == 0
    return env


@pytest.mark.parametrize("args", [["list", "quotes"], ["list", "claims", "--json"]])
def test_output_to_a_closed_pipe_ends_quietly(demo_env: dict[str, str], args: list[str]) -> None:
    # The reading end is closed before the command writes: `| head -0`, with no race.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = python_tracker(*args, env=demo_env, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr == ""  # no traceback, no "Exception ignored"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["list", "quotes"], ["search", "killer", "--json"]])
def test_output_to_a_full_disk_is_one_line(demo_env: dict[str, str], args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = python_tracker(*args, env=demo_env, stdout=full.fileno())
    assert result.returncode == 1
    assert result.stderr == "tracker: cannot write output: No space left on device\n"


def fresh_account(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment with a new home and no TRACKER_DB, and where its
    default database goes (platformdirs: $XDG_DATA_HOME/tracker/tracker.db)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "TRACKER_USER": "newcomer",
        "PATH": os.environ.get("PATH", ""),
    }
    return env, home / ".local" / "share" / "tracker" / "tracker.db"


def test_a_fresh_account_gets_a_new_default_database(tmp_path: Path) -> None:
    env, expected = fresh_account(tmp_path)
    assert not expected.parent.exists()

    first = python_tracker("list", "quotes", "--json", env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == []
    assert first.stderr == f"tracker: created a new database at {expected}\n"
    assert expected.is_file()

    again = python_tracker("add", "speaker", "Ada Lovelace", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""  # said once, when it was made
    listed = python_tracker("list", "speakers", "--json", env=env)
    assert [s["name"] for s in json.loads(listed.stdout)] == ["Ada Lovelace"]


def test_a_missing_folder_given_with_db_stays_an_error(tmp_path: Path) -> None:
    env, expected = fresh_account(tmp_path)
    typo = tmp_path / "nope" / "tracker.db"
    result = python_tracker("--db", str(typo), "list", "quotes", env=env)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert not typo.parent.exists()
    assert not expected.parent.exists()


def test_tracker_alone_on_a_fresh_account_opens_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tracker` with no command opens the terminal UI on the new default database."""
    from click.testing import CliRunner

    from tracker.cli import cli
    from tracker.tui.app import TrackerApp

    env, expected = fresh_account(tmp_path)
    for name in ("HOME", "XDG_DATA_HOME", "TRACKER_USER"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("TRACKER_DB", raising=False)
    opened: list[str] = []

    def run(app: TrackerApp) -> None:
        opened.append(app.db.where)

    monkeypatch.setattr(TrackerApp, "run", run)
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0, (result.output, result.exception)
    assert opened == [str(expected)]
    assert expected.is_file()
    assert result.stderr == f"tracker: created a new database at {expected}\n"

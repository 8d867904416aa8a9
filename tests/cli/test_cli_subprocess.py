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

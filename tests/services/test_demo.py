"""The demo is one unit of work that converges to the full example from any
partial state: killed part-way it leaves nothing, run again it completes,
and what it reports is what the database holds."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.services.demo import CLAIMS, QUOTES, SPEAKERS, load_demo

FULL = {"speakers": len(SPEAKERS), "quotes": len(QUOTES), "claims": len(CLAIMS)}
DEMO_REVIEWS = sum(1 for c in CLAIMS if c.review is not None)


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        found = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FULL}
        found["reviews"] = con.execute("SELECT count(*) FROM reviews").fetchone()[0]
    con.close()
    return found


@pytest.mark.sqlite_only(
    "reads or writes the SQLite file with sqlite3 (to make dialect-neutral, issue 12)"
)
def test_running_it_twice_adds_nothing(db, db_path: Path) -> None:
    first = load_demo(db)
    second = load_demo(db)
    assert second.created == 0
    assert (second.speakers, second.quotes, second.claims) == tuple(FULL.values())
    assert second.reviews == first.reviews == DEMO_REVIEWS == counts(db_path)["reviews"]


@pytest.mark.sqlite_only(
    "reads or writes the SQLite file with sqlite3 (to make dialect-neutral, issue 12)"
)
def test_a_missing_verdict_is_restored_and_counted_truly(db, db_path: Path) -> None:
    load_demo(db)
    with sqlite3.connect(db_path) as con:  # as if killed between a claim and its verdict
        con.execute("DELETE FROM reviews WHERE id = (SELECT max(id) FROM reviews)")
    con.close()
    assert counts(db_path)["reviews"] == DEMO_REVIEWS - 1
    summary = load_demo(db)
    assert summary.created == 1
    assert summary.reviews == counts(db_path)["reviews"] == DEMO_REVIEWS


@pytest.mark.sqlite_only(
    "reads or writes the SQLite file with sqlite3 (to make dialect-neutral, issue 12)"
)
def test_a_demo_that_fails_part_way_leaves_nothing(db, db_path: Path, monkeypatch) -> None:
    from tracker.services import claims

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(claims, "add_review", broken)
    with pytest.raises(RuntimeError, match="power cut"):
        load_demo(db)
    assert counts(db_path) == {"speakers": 0, "quotes": 0, "claims": 0, "reviews": 0}


def test_killed_part_way_then_run_again_gives_the_whole_demo(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    # SIGKILL itself in the middle: after the quotes, at the first verdict.
    code = (
        "import os, signal\n"
        "from tracker.db.database import Database\n"
        "from tracker.services import claims, demo\n"
        "claims.add_review = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"demo.load_demo(Database({f'sqlite:///{path}'!r}))\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert killed.returncode == -9
    assert counts(path)["speakers"] == 0  # nothing half-written
    with Database(f"sqlite:///{path}") as db:
        summary = load_demo(db)
        assert summary.reviews == DEMO_REVIEWS
        assert len(svc.list_speakers(db).items) == FULL["speakers"]
    assert counts(path) == {**FULL, "reviews": DEMO_REVIEWS}

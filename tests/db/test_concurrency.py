"""Several processes writing one SQLite file at once lose nothing (issue 9).

Every unit of work that writes takes the write lock when it starts (SQLite
``BEGIN IMMEDIATE``), so a writer waits for another one (up to the busy
timeout) instead of failing with "database is locked" when its read-first
transaction cannot be upgraded, and "look up, then create" cannot race.
The workers are real processes (tests/db/concurrency_workers.py) started
together through a start file, each call its own unit of work as in the CLI.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tracker import services as svc
from tracker.db.database import Database

WORKER = Path(__file__).with_name("concurrency_workers.py")
WRITERS = 4
QUOTES_PER_WRITER = 200
EDITS = 100
MERGES = 20


@dataclass
class Outcome:
    name: str
    returncode: int
    stderr: str
    result: dict[str, Any]

    def problems(self) -> list[str]:
        found = [f"{self.name}: {e}" for e in self.result.get("errors", [])]
        if self.returncode != 0:
            found.append(f"{self.name}: exit status {self.returncode}")
        if self.stderr.strip():
            found.append(f"{self.name}: printed {self.stderr.strip()}")
        return found


def run_together(folder: Path, url: str, jobs: dict[str, dict[str, Any]]) -> dict[str, Outcome]:
    """Start one process per job, let them all begin at once, wait for all."""
    go = folder / "go"
    procs: dict[str, tuple[subprocess.Popen[str], dict[str, Any]]] = {}
    for name, job in jobs.items():
        job = {
            **job,
            "url": url,
            "go": str(go),
            "ready": str(folder / f"{name}.ready"),
            "out": str(folder / f"{name}.json"),
        }
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), json.dumps(job)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs[name] = (proc, job)
    try:
        deadline = time.monotonic() + 60
        waiting = set(procs)
        while waiting:
            for name in list(waiting):
                proc, job = procs[name]
                if Path(job["ready"]).exists():
                    waiting.discard(name)
                elif proc.poll() is not None:
                    raise AssertionError(f"{name} died before starting: {proc.communicate()[1]}")
            assert time.monotonic() < deadline, f"never ready: {sorted(waiting)}"
            time.sleep(0.01)
        go.touch()
        outcomes = {}
        for name, (proc, job) in procs.items():
            _, stderr = proc.communicate(timeout=120)
            out = Path(job["out"])
            result = json.loads(out.read_text()) if out.exists() else {}
            outcomes[name] = Outcome(name, proc.returncode, stderr, result)
        return outcomes
    finally:
        for proc, _job in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def assert_no_problems(outcomes: dict[str, Outcome]) -> None:
    problems = [p for o in outcomes.values() for p in o.problems()]
    if problems:
        kinds = Counter(p.split(": ", 1)[0] + ": " + p.rsplit(": ", 1)[-1] for p in problems)
        summary = "\n".join(f"{n} x {kind}" for kind, n in kinds.most_common())
        raise AssertionError(f"{len(problems)} problem(s):\n{summary}\nfirst: {problems[0]}")


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


@pytest.mark.sqlite_only(
    "reads or writes the SQLite file with sqlite3 (to make dialect-neutral, issue 12)"
)
def test_writers_an_editor_and_a_merger_at_once_lose_nothing(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    # Setup in one unit of work: one speaker per writer; an editor's quotes;
    # pairs of speakers to merge, each with a quote and a claim.
    with db.unit_of_work():
        writer_ids = [svc.add_speaker(db, f"Writer {w}").id for w in range(WRITERS)]
        editor = svc.add_speaker(db, "Edited Speaker")
        edited = [svc.add_quote(db, f"original {i}", speaker_id=editor.id).id for i in range(5)]
        pairs = []
        for m in range(MERGES):
            pair = []
            for side in ("kept", "merged"):
                speaker = svc.add_speaker(db, f"Pair {m} {side}")
                quote = svc.add_quote(db, f"pair {m} {side} quote", speaker_id=speaker.id)
                svc.add_claim(
                    db, f"pair {m} {side} claim", claimant_id=speaker.id, quote_ids=[quote.id]
                )
                pair.append(speaker.id)
            pairs.append(pair)
    db.close()
    with closing(raw(db_path)) as conn:
        quotes_before = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        audit_before = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]

    jobs: dict[str, dict[str, Any]] = {
        f"writer{w}": {
            "role": "add",
            "speaker_id": writer_ids[w],
            "prefix": f"writer {w} quote",
            "count": QUOTES_PER_WRITER,
        }
        for w in range(WRITERS)
    }
    jobs["editor"] = {"role": "edit", "quote_ids": edited, "count": EDITS}
    jobs["merger"] = {"role": "merge", "pairs": pairs}
    outcomes = run_together(tmp_path, f"sqlite:///{db_path}", jobs)
    assert_no_problems(outcomes)
    assert outcomes["editor"].result["conflicts"] == 0

    with closing(raw(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

        # Every writer's quotes are there once each, on its speaker.
        texts = Counter(t for (t,) in conn.execute("SELECT text FROM quotes"))
        assert max(texts.values()) == 1
        total = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        assert total == quotes_before + WRITERS * QUOTES_PER_WRITER
        new_ids: set[int] = set()
        for w in range(WRITERS):
            rows = conn.execute(
                "SELECT id, text FROM quotes WHERE speaker_id = ?", (writer_ids[w],)
            ).fetchall()
            assert sorted(t for _, t in rows) == sorted(
                f"writer {w} quote {i}" for i in range(QUOTES_PER_WRITER)
            )
            assert {i for i, _ in rows} == set(outcomes[f"writer{w}"].result["ids"])
            new_ids |= {i for i, _ in rows}

        # Every edit applied: each quote's text is its last edit, its version counts them.
        for n, quote_id in enumerate(edited):
            last = max(i for i in range(EDITS) if i % len(edited) == n)
            text, version = conn.execute(
                "SELECT text, version FROM quotes WHERE id = ?", (quote_id,)
            ).fetchone()
            assert text == f"edit {last} of {quote_id}"
            assert version == 1 + len(range(n, EDITS, len(edited)))

        # Every merge done: the merged-away speaker gone, its quote and claim on the kept one.
        speakers = {i for (i,) in conn.execute("SELECT id FROM speakers")}
        for m, (keep, other) in enumerate(pairs):
            assert other not in speakers and keep in speakers
            quotes = {
                t for (t,) in conn.execute("SELECT text FROM quotes WHERE speaker_id = ?", (keep,))
            }
            assert quotes == {f"pair {m} kept quote", f"pair {m} merged quote"}
            claims = {
                t for (t,) in conn.execute("SELECT text FROM claims WHERE claimant_id = ?", (keep,))
            }
            assert claims == {f"pair {m} kept claim", f"pair {m} merged claim"}

        # The search index kept up: one row per quote.
        indexed = conn.execute("SELECT count(*) FROM search_index WHERE rowid % 4 = 1").fetchone()[
            0
        ]
        assert indexed == total

        # The audit log: one entry per change, each unit of work its own change.
        entries = conn.execute(
            "SELECT change_id, action, entity, entity_id FROM audit_log WHERE id > ?",
            (audit_before,),
        ).fetchall()
        kinds = Counter((action, entity) for _, action, entity, _ in entries)
        assert kinds == {
            ("create", "quote"): WRITERS * QUOTES_PER_WRITER,
            ("update", "quote"): EDITS,
            ("merge", "speaker"): MERGES,
            ("delete", "speaker"): MERGES,  # the merged-away speaker, in the merge's change
        }
        assert {e for _, a, _, e in entries if a == "create"} == new_ids
        assert Counter(e for _, a, _, e in entries if a == "update") == {
            q: len(range(n, EDITS, len(edited))) for n, q in enumerate(edited)
        }
        assert {e for _, a, k, e in entries if k == "speaker" and a == "delete"} == {
            other for _, other in pairs
        }
        assert len({c for c, *_ in entries}) == WRITERS * QUOTES_PER_WRITER + EDITS + MERGES


@pytest.mark.sqlite_only("holds SQLite's write lock with sqlite3 and times its busy wait")
def test_add_quote_waits_while_another_connection_writes(db: Database, db_path: Path) -> None:
    speaker = svc.add_speaker(db, "Patient Speaker")
    holder = raw(db_path)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO tags (name) VALUES ('written by the other connection')")
    releasing = threading.Event()

    def release_later() -> None:
        time.sleep(1.5)
        releasing.set()
        holder.execute("COMMIT")

    thread = threading.Thread(target=release_later)
    thread.start()
    try:
        # Would fail at once with "database is locked" if the read-first
        # transaction tried to upgrade to a write while the other holds it.
        quote = svc.add_quote(db, "saved once the lock was free", speaker_id=speaker.id)
    finally:
        thread.join()
        holder.close()
    assert releasing.is_set()
    assert svc.get_quote(db, quote.id).text == "saved once the lock was free"
    with closing(raw(db_path)) as conn:
        tags = {t for (t,) in conn.execute("SELECT name FROM tags")}
    assert "written by the other connection" in tags


def test_two_demo_loads_at_once_make_one_demo(
    db_path: Path, tmp_path: Path, empty_template: Path, demo_template: Path
) -> None:
    shutil.copyfile(empty_template, db_path)
    jobs = {"first": {"role": "demo"}, "second": {"role": "demo"}}
    outcomes = run_together(tmp_path, f"sqlite:///{db_path}", jobs)
    assert_no_problems(outcomes)

    def counts(path: Path) -> dict[str, int]:
        with closing(raw(path)) as conn:
            return {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("speakers", "sources", "quotes", "claims", "reviews")
            }

    loaded, once = counts(db_path), counts(demo_template)
    assert loaded["speakers"] == 12
    assert loaded == once
    # One process loaded the demo; the other found it there and added nothing.
    created = sorted(o.result["created"] for o in outcomes.values())
    assert created[0] == 0 and created[1] > 0
    with closing(raw(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

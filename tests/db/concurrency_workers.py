"""A worker process for tests/db/test_concurrency.py.

Run as ``python concurrency_workers.py JOB`` where JOB is a JSON object:
``role`` (add, edit, merge, demo), ``url``, ``ready`` and ``go`` (files: the
worker creates ``ready`` once the database is open and SQLAlchemy loaded,
then waits for ``go``, so that every worker starts its writes at the same
moment), ``out`` (where the result is written as JSON) and the role's own
arguments. Each service call is its own unit of work, as in the CLI.

The result holds the ids written and every error raised, one line each;
the exit status is 1 if there was any error. Errors are collected rather
than raised so that the test reports all of them, not the first.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from tracker import services as svc
from tracker.db.database import Database


def add_quotes(db: Database, job: dict[str, Any], result: dict[str, Any]) -> None:
    for i in range(job["count"]):
        started = time.monotonic()
        try:
            quote = svc.add_quote(db, f"{job['prefix']} {i}", speaker_id=job["speaker_id"])
            result["ids"].append(quote.id)
        except Exception as exc:  # collected for the test to report
            result["errors"].append(f"add_quote #{i}: {type(exc).__name__}: {exc}")
        result["slowest"] = max(result["slowest"], time.monotonic() - started)


def edit_quotes(db: Database, job: dict[str, Any], result: dict[str, Any]) -> None:
    quote_ids: list[int] = job["quote_ids"]
    result["conflicts"] = 0
    for i in range(job["count"]):
        quote_id = quote_ids[i % len(quote_ids)]
        started = time.monotonic()
        try:
            for _attempt in range(5):
                version = svc.get_quote(db, quote_id).version
                try:
                    svc.update_quote(
                        db, quote_id, expected_version=version, text=f"edit {i} of {quote_id}"
                    )
                    break
                except svc.ConflictError:
                    # Only a real concurrent edit may cause this, and this
                    # worker is the only editor of these quotes: counted.
                    result["conflicts"] += 1
            else:
                result["errors"].append(f"update_quote #{i}: still conflicting after 5 tries")
                continue
            result["ids"].append(quote_id)
        except Exception as exc:
            result["errors"].append(f"update_quote #{i}: {type(exc).__name__}: {exc}")
        result["slowest"] = max(result["slowest"], time.monotonic() - started)


def merge_speakers(db: Database, job: dict[str, Any], result: dict[str, Any]) -> None:
    from tracker.services.merges import merge_speakers

    for i, (keep_id, other_id) in enumerate(job["pairs"]):
        started = time.monotonic()
        try:
            merge_speakers(db, keep_id, other_id)
            result["ids"].append(other_id)
        except Exception as exc:
            result["errors"].append(f"merge_speakers #{i}: {type(exc).__name__}: {exc}")
        result["slowest"] = max(result["slowest"], time.monotonic() - started)


def load_demo(db: Database, job: dict[str, Any], result: dict[str, Any]) -> None:
    from tracker.services.demo import load_demo

    try:
        result["created"] = load_demo(db).created
    except Exception as exc:
        result["errors"].append(f"load_demo: {type(exc).__name__}: {exc}")


ROLES = {"add": add_quotes, "edit": edit_quotes, "merge": merge_speakers, "demo": load_demo}


def main(job: dict[str, Any]) -> int:
    db = Database(job["url"], actor=f"worker-{job['role']}")
    svc.list_speakers(db, limit=1)  # SQLAlchemy and the services loaded, a connection open
    if job["role"] in ("merge", "demo"):
        import tracker.services.demo
        import tracker.services.merges  # noqa: F401
    Path(job["ready"]).touch()
    go = Path(job["go"])
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            print("the go file never came", file=sys.stderr)
            return 2
        time.sleep(0.002)
    # slowest: the longest single call, in seconds (how long a writer waited)
    result: dict[str, Any] = {"ids": [], "errors": [], "slowest": 0.0}
    started = time.monotonic()
    try:
        ROLES[job["role"]](db, job, result)
    except Exception:
        result["errors"].append(traceback.format_exc())
    result["seconds"] = time.monotonic() - started
    db.close()
    Path(job["out"]).write_text(json.dumps(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))

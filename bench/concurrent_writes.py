"""Writes per second with several writer processes on one database.

Each writer is its own process and adds ``--rows`` quotes to a speaker of
its own through the services (``tracker.services.add_quote``: one unit of
work each, with its audit entry and search-index row, as the CLI does).
The baseline, measured in the same run on the same database, is plain
``sqlite3`` with as many processes inserting the same quote rows into the
same ``quotes`` table, one transaction per row (``BEGIN IMMEDIATE``, the
tracker's busy timeout), without the ORM, the audit log or the search
index. Writers start together (a barrier, after their imports and first
connection); writes/s is all rows over the time from the first writer's
start to the last one's end (rows found afterwards, so a write that failed
does not count). Errors (a call that raised) must be 0, and
every row is counted at the end. One unmeasured run writes 1,000 rows
first, so that no measured run pays for growing a new file's log.

    python bench/concurrent_writes.py [--rows 500] [--writers 1,2,4,8] [--repeat 1]
    python bench/concurrent_writes.py --url sqlite:////tmp/cw.db

Without ``--url`` a fresh SQLite file in a temporary folder is used. Any
URL the tracker opens can be given: the services' side is dialect-neutral
(each run uses speakers of its own, so one database serves every run), and
the baseline is looked up by dialect in ``BASELINES``: on PostgreSQL, plain
``psycopg`` inserting the same rows, one transaction each, taking the same
advisory lock as the tracker's write units.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.db.database import Database, sqlite_file
from tracker.errors import TrackerError

Writer = Callable[[str, int, str, int, Any, Any], None]


def service_writer(url: str, speaker_id: int, tag: str, rows: int, barrier: Any, out: Any) -> None:
    """Add ``rows`` quotes through the services, one unit of work each."""
    from tracker import services as svc

    db = Database(url, actor="bench")
    svc.get_speaker(db, speaker_id)  # imports done, a connection open
    barrier.wait()
    _timed_loop(
        lambda i: svc.add_quote(db, f"{tag} {i}", speaker_id=speaker_id), rows, out, db.close
    )


def sqlite3_writer(url: str, speaker_id: int, tag: str, rows: int, barrier: Any, out: Any) -> None:
    """Insert the same rows with plain sqlite3: one ``BEGIN IMMEDIATE`` each."""
    import sqlite3

    from tracker.db.engine import SQLITE_BUSY_TIMEOUT_MS

    path = sqlite_file(url)
    assert path is not None
    conn = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    sql = (
        "INSERT INTO quotes (text, speaker_id, mode, created_at, updated_at, version) "
        "VALUES (?, ?, 'direct', ?, ?, 1)"
    )

    def insert(i: int) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(sql, (f"{tag} {i}", speaker_id, now, now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    barrier.wait()
    _timed_loop(insert, rows, out, conn.close)


def _timed_loop(
    call: Callable[[int], object], rows: int, out: Any, close: Callable[[], None]
) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    start = time.monotonic()  # CLOCK_MONOTONIC: comparable across processes (Linux)
    for i in range(rows):
        began = time.monotonic()
        try:
            call(i)
        except Exception as exc:  # counted and reported, the run goes on
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.monotonic() - began)
    end = time.monotonic()
    close()
    out.put({"start": start, "end": end, "latencies": latencies, "errors": errors})


def settle(db: Database) -> None:
    """Start each run from the same state: on SQLite, the write-ahead log
    checkpointed into the file, so the next commit writes it from its start
    (the log file keeps its size: see the warm-up in :func:`main`)."""
    path = sqlite_file(db.url)
    if path is None:
        return
    import sqlite3

    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(RESTART)")


def psycopg_writer(url: str, speaker_id: int, tag: str, rows: int, barrier: Any, out: Any) -> None:
    """Insert the same rows with plain psycopg: one transaction each, which
    takes the same transaction-level advisory lock as the tracker's write
    units (tracker.db.engine), so writers take turns as they do there."""
    import psycopg
    from sqlalchemy.engine import make_url

    from tracker.db.engine import PG_WRITE_LOCK

    parsed = make_url(url)
    conn = psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
    )
    sql = (
        "INSERT INTO quotes (text, speaker_id, mode, created_at, updated_at, version) "
        "VALUES (%s, %s, 'direct', now(), now(), 1)"
    )

    def insert(i: int) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (PG_WRITE_LOCK,))
            conn.execute(sql, (f"{tag} {i}", speaker_id))

    barrier.wait()
    _timed_loop(insert, rows, out, conn.close)


# The plain-driver baseline for each dialect.
BASELINES: dict[str, Writer] = {"sqlite": sqlite3_writer, "postgresql": psycopg_writer}


@dataclass
class Run:
    writers: int
    rows: int  # rows written (writers x rows each)
    per_second: float  # rows found afterwards, over the whole run
    latencies: list[float]
    errors: list[str]
    counted: int  # rows found afterwards with this run's speakers
    distinct: int  # ... with different texts (a duplicate would show here)


def run(db: Database, writer: Writer, writers: int, rows: int) -> Run:
    """``writers`` processes, each adding ``rows`` quotes to its own new speaker."""
    from sqlalchemy import func, select

    from tracker import services as svc
    from tracker.db.models import Quote

    settle(db)
    tag = uuid.uuid4().hex[:8]
    speaker_ids = [svc.add_speaker(db, f"Bench {tag} writer {w}").id for w in range(writers)]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(writers)
    out = ctx.Queue()
    procs = [
        ctx.Process(
            target=writer, args=(db.url, speaker_ids[w], f"bench {tag} {w}", rows, barrier, out)
        )
        for w in range(writers)
    ]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = max(r["end"] for r in results) - min(r["start"] for r in results)
    with db.reading() as session:
        counted, distinct = session.execute(
            select(func.count(), func.count(func.distinct(Quote.text))).where(
                Quote.speaker_id.in_(speaker_ids)
            )
        ).one()
    latencies = [x for r in results for x in r["latencies"]]
    return Run(
        writers,
        writers * rows,
        counted / elapsed,  # rows that are there: a failed write is not a write
        latencies,
        [e for r in results for e in r["errors"]],
        int(counted),
        int(distinct),
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os
    import sqlite3

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), {platform.platform()}, "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; load average {load}"
    )


def ms(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=500, help="quotes per writer (500)")
    parser.add_argument("--writers", default="1,2,4,8", help="writer counts to run (1,2,4,8)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the median is shown")
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    counts = [int(n) for n in args.writers.split(",")]

    folder = tempfile.TemporaryDirectory(prefix="tracker-bench-")
    url = args.url or f"sqlite:///{Path(folder.name) / 'bench.db'}"
    try:
        db = Database(url, actor="bench")
    except TrackerError as exc:
        print(f"cannot open {url}: {exc}", file=sys.stderr)
        return 2
    baseline = BASELINES.get(db.dialect)
    print(f"# {machine()}")
    print(
        f"# {db.dialect} database {db.where}; {args.rows} quotes per writer, median of {args.repeat}"
    )
    print("# latency: one call (unit of work or row), p50 / p99 / max in ms, waiting included")
    name = f"plain {db.dialect}" if baseline else "no baseline"
    print(
        f"| writers | services writes/s | {name} writes/s | {name} ÷ services "
        f"| services latency | {name} latency | errors | rows checked |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    # Unmeasured: the first writes to a new file grow its write-ahead log,
    # and every commit then waits for the file system to record the new
    # size; later runs reuse the log, so whichever ran first would be slower.
    run(db, baseline or service_writer, 1, 1000)
    failed = False
    for n in counts:
        ours: list[Run] = []
        theirs: list[Run] = []
        for _ in range(args.repeat):
            ours.append(run(db, service_writer, n, args.rows))
            if baseline is not None:
                theirs.append(run(db, baseline, n, args.rows))
        both = ours + theirs
        errors = [e for r in both for e in r.errors]
        rows_ok = all(r.counted == r.distinct == r.rows for r in both)
        failed |= bool(errors) or not rows_ok
        ours_ps = statistics.median(r.per_second for r in ours)
        ours_lat = [x for r in ours for x in r.latencies]
        line = f"| {n} | {ours_ps:,.0f} |"
        if theirs:
            theirs_ps = statistics.median(r.per_second for r in theirs)
            theirs_lat = [x for r in theirs for x in r.latencies]
            line += f" {theirs_ps:,.0f} | {theirs_ps / ours_ps:.1f}x |"
        else:
            line += " — | — |"
        line += f" {ms(ours_lat, 0.5)} / {ms(ours_lat, 0.99)} / {ms(ours_lat, 1.0)} |"
        if theirs:
            line += f" {ms(theirs_lat, 0.5)} / {ms(theirs_lat, 0.99)} / {ms(theirs_lat, 1.0)} |"
        else:
            line += " — |"
        checked = sum(r.counted for r in both)
        line += f" {len(errors)} | {checked:,} of {sum(r.rows for r in both):,} {'ok' if rows_ok else 'MISSING'} |"
        print(line, flush=True)
        for error in sorted(set(errors))[:5]:
            print(f"#   error: {error}", file=sys.stderr)
    db.close()
    folder.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""``tracker db copy`` speed (issue 12): a big SQLite database into
PostgreSQL and back, beside PostgreSQL's own move (pg_dump | pg_restore).

Measured, each leg a fresh process timed from start to exit with its own
peak RSS (``os.wait4``):

1. ``tracker db copy SOURCE.db PG`` into a new PostgreSQL database;
2. ``tracker db copy PG BACK.db`` into a new SQLite file;
3. the baseline, in the same run on the same server: ``pg_dump -Fc`` of the
   database written in 1, piped to ``pg_restore`` into another new database
   (PostgreSQL's native way to move a database; its RSS is pg_restore's).

SOURCE is only read (``tracker db copy`` opens it with ``query_only``); its
SHA-256 before and after is printed. Rows per table of both copies are
compared with the source's (the copy checks them itself too).

    python bench/db_copy_speed.py SOURCE.db --pg URL [--workdir DIR] [--pg-bin DIR]

URL names a database on a server whose user may create databases
(``.ci/pg.sh start`` prints one); the bench creates and drops its own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

REPO = Path(__file__).resolve().parents[1]


def run(cmd: list[str], *, stdout: Any = subprocess.PIPE, **kw: Any) -> tuple[float, int, str]:
    """Run ``cmd``; its wall time, peak RSS in MiB and standard output."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, text=True, **kw)
    out = proc.stdout.read() if proc.stdout is not None else ""
    err = proc.stderr.read() if proc.stderr is not None else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed: {err.strip()}")
    return seconds, usage.ru_maxrss // 1024, out


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--pg", required=True, help="a PostgreSQL URL (its user creates databases)")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--pg-bin", default="/usr/lib/postgresql/15/bin")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="db-copy-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    back = workdir / "back.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{back}{suffix}").unlink(missing_ok=True)
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    base = make_url(args.pg)
    names = [f"bench_copy_{secrets.token_hex(4)}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    pg_url, restored_url = (base.set(database=n).render_as_string(False) for n in names)
    tracker = [sys.executable, "-m", "tracker"]
    before = sha256(args.source)
    beside = sorted(p.name for p in args.source.parent.glob(args.source.name + "-*"))
    try:
        legs: dict[str, dict[str, Any]] = {}
        for leg, (src, dst) in {
            "sqlite -> postgresql": (str(args.source), pg_url),
            "postgresql -> sqlite": (pg_url, str(back)),
        }.items():
            seconds, rss, out = run([*tracker, "db", "copy", "--json", src, dst], cwd=REPO)
            report = json.loads(out)
            legs[leg] = {
                "seconds": round(seconds, 1),
                "in_process_seconds": report["seconds"],
                "rss_mib": rss,
                "rows": report["rows"],
                "rows_per_s": round(report["rows"] / seconds),
                "tables": {t["table"]: t["rows"] for t in report["tables"]},
            }
            print(leg, json.dumps({k: v for k, v in legs[leg].items() if k != "tables"}))
        counts = [leg["tables"] for leg in legs.values()]
        assert counts[0] == counts[1], "the two copies differ in rows per table"

        # The baseline: pg_dump -Fc | pg_restore, database to database.
        pg = make_url(pg_url)
        conn_args = ["-h", str(pg.host), "-p", str(pg.port), "-U", str(pg.username)]
        started = time.perf_counter()
        dump = subprocess.Popen(
            [f"{args.pg_bin}/pg_dump", "-Fc", "-Z0", *conn_args, "-d", names[0]],
            stdout=subprocess.PIPE,
        )
        seconds_r, rss_r, _ = run(
            [f"{args.pg_bin}/pg_restore", *conn_args, "-d", names[1], "--no-owner"],
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
        )
        dump.wait()
        seconds = time.perf_counter() - started
        print(
            "pg_dump | pg_restore",
            json.dumps({"seconds": round(seconds, 1), "pg_restore_rss_mib": rss_r}),
        )
        after = sha256(args.source)
        leftovers = [p.name for p in args.source.parent.glob(args.source.name + "-*")]
        print(
            f"source sha256 before {before[:16]} after {after[:16]}; "
            f"files beside it before: {beside}, after: {leftovers} (another reader may make them)"
        )
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; source {args.source.stat().st_size / 2**20:,.0f} MiB"
        )
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

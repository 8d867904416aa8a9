"""How fast the services answer on a big database, against plain sqlite3.

Each service call is timed next to plain sqlite3 fetching the same page:
the ids, then the rows with what a list shows (speaker name, source title,
tags), as tuples rather than records. Measured in the same run, the ratio
shows what the service layer (SQLAlchemy, records, validation) adds. Build
the database first:

    python bench/make_big_db.py /tmp/big.db
    python bench/services_speed.py /tmp/big.db [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from tracker import services as svc
from tracker.db.database import Database
from tracker.db.search import fts5_query

PAGE = 50


def timed(func: Callable[[], Any], runs: int) -> float:
    """Median milliseconds over ``runs`` calls, after one warm-up call."""
    func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    db = Database(f"sqlite:///{args.path}")
    raw = sqlite3.connect(args.path)
    counts = {
        t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("quotes", "claims", "speakers")
    }
    middle = counts["quotes"] // 2
    speaker = raw.execute("SELECT speaker_id FROM quotes ORDER BY id DESC LIMIT 1").fetchone()[0]
    today = dt.date.today()

    def rows(ids: list[Any]) -> list[Any]:
        """The page's quotes as a list shows them, in plain SQL."""
        marks = ",".join("?" * len(ids))
        values = [i[0] for i in ids]
        page = raw.execute(
            "SELECT q.id, q.text, s.name, src.title, q.said_on, q.mode FROM quotes q "
            "JOIN speakers s ON s.id = q.speaker_id LEFT JOIN sources src ON src.id = q.source_id "
            f"WHERE q.id IN ({marks}) ORDER BY q.id DESC",
            values,
        ).fetchall()
        tags = raw.execute(
            "SELECT qt.quote_id, t.name FROM quote_tags qt JOIN tags t ON t.id = qt.tag_id "
            f"WHERE qt.quote_id IN ({marks})",
            values,
        ).fetchall()
        return [page, tags]

    def fts_ids(words: str, before: int | None = None) -> list[Any]:
        bound = f" AND rowid < {before * 4}" if before else ""
        return raw.execute(
            f"SELECT rowid / 4 FROM search_index WHERE search_index MATCH ?{bound} "
            f"AND rowid % 4 = 1 ORDER BY rowid DESC LIMIT {PAGE + 1}",
            (fts5_query(words),),
        ).fetchall()

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "list_quotes, first page",
            lambda: svc.list_quotes(db, limit=PAGE),
            lambda: raw.execute(
                f"SELECT id FROM quotes ORDER BY id DESC LIMIT {PAGE + 1}"
            ).fetchall(),
        ),
        (
            "list_quotes, a page in the middle",
            lambda: svc.list_quotes(db, after=middle, limit=PAGE),
            lambda: rows(
                raw.execute(
                    f"SELECT id FROM quotes WHERE id < ? ORDER BY id DESC LIMIT {PAGE + 1}",
                    (middle,),
                ).fetchall()
            ),
        ),
        (
            "list_quotes, text 'killer'",
            lambda: svc.list_quotes(db, text="killer", limit=PAGE),
            lambda: rows(fts_ids("killer")),
        ),
        (
            "list_quotes, text 'ki' (prefix as typed)",
            lambda: svc.list_quotes(db, text="ki", limit=PAGE),
            lambda: rows(fts_ids("ki")),
        ),
        (
            "list_quotes, text 'killer', middle page",
            lambda: svc.list_quotes(db, text="killer", after=middle, limit=PAGE),
            lambda: rows(fts_ids("killer", middle)),
        ),
        (
            "list_quotes, speaker + text 'the'",
            lambda: svc.list_quotes(db, svc.Filters(speaker_id=speaker), text="the", limit=PAGE),
            lambda: rows(
                raw.execute(
                    "SELECT id FROM quotes WHERE speaker_id = ? AND id IN (SELECT rowid / 4 FROM "
                    "search_index WHERE search_index MATCH ? AND rowid % 4 = 1) "
                    f"ORDER BY id DESC LIMIT {PAGE + 1}",
                    (speaker, fts5_query("the")),
                ).fetchall()
            ),
        ),
        (
            "list_claims, due for review (first page)",
            lambda: svc.list_claims(db, svc.Filters(due_by=today), limit=PAGE),
            lambda: raw.execute(
                "SELECT c.id, c.text, s.name, c.due_on, c.status FROM claims c "
                "LEFT JOIN speakers s ON s.id = c.claimant_id WHERE c.kind IN ('prediction', 'promise') "
                "AND c.due_on IS NOT NULL AND c.due_on <= ? AND c.status_final IS 0 "
                f"ORDER BY c.id DESC LIMIT {PAGE + 1}",
                (today.isoformat(),),
            ).fetchall(),
        ),
        (
            "search 'killer' (ranked, all kinds)",
            lambda: svc.search(db, "killer", limit=PAGE),
            lambda: raw.execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ? "
                f"ORDER BY bm25(search_index) LIMIT {PAGE}",
                (fts5_query("killer"),),
            ).fetchall(),
        ),
    ]

    print(
        f"# {counts['quotes']:,} quotes, {counts['claims']:,} claims, {counts['speakers']:,} speakers"
    )
    print(
        f"# {platform.platform()}, {platform.processor() or platform.machine()}, Python {sys.version.split()[0]}"
    )
    print(f"# median of {args.runs} runs after a warm-up, milliseconds")
    print("| call | service | plain sqlite3 | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for label, service, baseline in cases:
        ours, theirs = timed(service, args.runs), timed(baseline, args.runs)
        print(f"| {label} | {ours:.1f} | {theirs:.1f} | {ours / theirs:.1f}x |")
    db.close()


if __name__ == "__main__":
    main()

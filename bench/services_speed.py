"""How fast the services answer on a big database, against plain SQL.

Each service call is timed next to the database's own driver (sqlite3, or
psycopg for PostgreSQL) fetching the same page in plain SQL: the ids, then
the rows with what a list shows (speaker name, source title, tags), as
tuples rather than records. Measured in the same run, the ratio shows what
the service layer (SQLAlchemy, records, validation) adds. For ranked
search the plain-SQL baseline is the old way, ranking every match (FTS5's
bm25, PostgreSQL's ts_rank) and taking the best 50; the service ranks the
newest 500 matches (tracker/services/ranked_search.py). Build the database
first:

    python bench/make_big_db.py /tmp/big.db
    python bench/services_speed.py /tmp/big.db [--runs 7]
    # the same data on PostgreSQL (bench/pg_load.py), then:
    python bench/services_speed.py --url postgresql+psycopg://USER@HOST:PORT/DB
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
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
Case = tuple[str, Callable[[], Any], Callable[[], Any]]


def timed(func: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median milliseconds over ``runs`` calls, after one warm-up call: on
    the clock, and in this process's CPU time (on a busy machine, what the
    call costs once it has a core: all of it for SQLite, which runs in the
    process; the client's part for PostgreSQL)."""
    func()
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(samples), statistics.median(cpu)


class Plain:
    """The same pages in plain SQL, through the driver (``?`` placeholders
    are rewritten to ``%s`` for psycopg)."""

    def __init__(self, url: str | None, path: str | None) -> None:
        self.pg = url is not None
        if url is not None:
            import psycopg
            from sqlalchemy.engine import make_url

            plain_url = make_url(url).set(drivername="postgresql")
            self.conn: Any = psycopg.connect(
                plain_url.render_as_string(hide_password=False), autocommit=True
            )
        else:
            self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        if self.pg:
            sql = sql.replace("?", "%s")
        return list(self.conn.execute(sql, params).fetchall())

    def rows(self, ids: list[Any]) -> list[Any]:
        """The page's quotes as a list shows them."""
        values = [i[0] for i in ids]
        if not values:
            return []
        marks = ",".join("?" * len(values))
        page = self.all(
            "SELECT q.id, q.text, s.name, src.title, q.said_on, q.mode FROM quotes q "
            "JOIN speakers s ON s.id = q.speaker_id LEFT JOIN sources src ON src.id = q.source_id "
            f"WHERE q.id IN ({marks}) ORDER BY q.id DESC",
            tuple(values),
        )
        tags = self.all(
            "SELECT qt.quote_id, t.name FROM quote_tags qt JOIN tags t ON t.id = qt.tag_id "
            f"WHERE qt.quote_id IN ({marks})",
            tuple(values),
        )
        return [page, tags]

    def matches(self, words: str, before: int | None = None) -> list[Any]:
        """Ids of quotes with every word (the last a prefix), newest first."""
        if self.pg:
            bound = " AND id < %s" if before else ""
            return self.all(
                "SELECT id FROM quotes WHERE search_vector @@ to_tsquery('simple', %s)"
                f"{bound} ORDER BY id DESC LIMIT {PAGE + 1}",
                (tsquery(words), before) if before else (tsquery(words),),
            )
        bound = f" AND rowid < {before * 4}" if before else ""
        return self.all(
            f"SELECT rowid / 4 FROM search_index WHERE search_index MATCH ?{bound} "
            f"AND rowid % 4 = 1 ORDER BY rowid DESC LIMIT {PAGE + 1}",
            (fts5_query(words),),
        )

    def speaker_matches(self, speaker: int, words: str) -> list[Any]:
        """A speaker's quotes with every word, newest first."""
        if self.pg:
            return self.all(
                "SELECT id FROM quotes WHERE speaker_id = %s AND search_vector @@ "
                f"to_tsquery('simple', %s) ORDER BY id DESC LIMIT {PAGE + 1}",
                (speaker, tsquery(words)),
            )
        return self.all(
            "SELECT id FROM quotes WHERE speaker_id = ? AND id IN (SELECT rowid / 4 FROM "
            "search_index WHERE search_index MATCH ? AND rowid % 4 = 1) "
            f"ORDER BY id DESC LIMIT {PAGE + 1}",
            (speaker, fts5_query(words)),
        )

    def ranked_all(self, words: str) -> list[Any]:
        """Every matching quote ranked, the best 50 (the way before issue 12)."""
        if self.pg:
            return self.all(
                "SELECT id FROM quotes WHERE search_vector @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC, id DESC "
                f"LIMIT {PAGE}",
                (tsquery(words), tsquery(words)),
            )
        return self.all(
            "SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid % 4 = 1 "
            f"ORDER BY bm25(search_index) LIMIT {PAGE}",
            (fts5_query(words),),
        )


def tsquery(words: str) -> str:
    """Every word, the last a prefix, as tsquery text (the bench's own words
    only: plain lower-case letters, so nothing needs quoting)."""
    return " & ".join(words.lower().split()) + ":*"


def searching(db: Database, words: str, kinds: list[str]) -> Callable[[], Any]:
    return lambda: svc.search(db, words, kinds=kinds, limit=PAGE)


def ranking(plain: Plain, words: str) -> Callable[[], Any]:
    return lambda: plain.ranked_all(words)


def sweep_queries(plain: Plain, quotes: int, seed: int) -> list[str]:
    """Queries a person might type, drawn from the words of ``quotes``
    quotes picked at random (the same ones on either backend for the same
    data and seed): single words, their first 2, 3 and 4-7 letters (typed
    so far), two and three words of a quote, and a phrase whose last word
    is half typed."""
    rng = random.Random(seed)
    top = plain.all("SELECT max(id) FROM quotes")[0][0]
    picked = sorted({rng.randint(1, top) for _ in range(quotes)})
    marks = ",".join("?" * len(picked))
    texts = [
        t for (t,) in plain.all(f"SELECT text FROM quotes WHERE id IN ({marks})", tuple(picked))
    ]
    found: list[str] = []
    for body in texts:
        words = [w for w in re.findall(r"[A-Za-z]+", body) if len(w) > 1]
        if len(words) < 4:
            continue
        word = rng.choice(words)
        found += [word, word[:2], word[:3], word[: rng.randint(4, max(4, len(word)))]]
        start = rng.randint(0, len(words) - 3)
        found += [" ".join(words[start : start + 2]), " ".join(words[start : start + 3])]
        last = words[start + 2]
        found.append(" ".join(words[start : start + 2] + [last[: max(2, len(last) // 2)]]))
    return list(dict.fromkeys(found))


def sweep(db: Database, plain: Plain, quotes: int, seed: int) -> None:
    """`tracker search` without --in (all kinds, first page of 50) for
    every query of :func:`sweep_queries`: the median of 3 runs each, then
    the spread over the queries and the slowest."""
    queries = sweep_queries(plain, quotes, seed)
    timings: list[tuple[float, float, str]] = []
    for words in queries:
        call = searching(db, words, ["quote", "claim", "speaker"])
        clock, cpu = timed(call, 3)
        timings.append((clock, cpu, words))
    timings.sort(reverse=True)
    clocks = sorted(t[0] for t in timings)
    cpus = sorted(t[1] for t in timings)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))]

    print(f"# {len(queries)} queries from {quotes} quotes (seed {seed}), all kinds, ms")
    print("| | median | p90 | max | over 50 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, values in (("clock", clocks), ("CPU of this process", cpus)):
        over = sum(v > 50 for v in values)
        print(
            f"| {name} | {statistics.median(values):.1f} | {pct(values, 0.9):.1f} "
            f"| {values[-1]:.1f} | {over} |"
        )
    print("# slowest: " + ", ".join(f"{w!r} {c:.0f}" for c, _, w in timings[:8]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", help="an SQLite database (bench/make_big_db.py)")
    parser.add_argument("--url", help="a PostgreSQL database instead (bench/pg_load.py)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", help="run only the calls whose label holds this text")
    parser.add_argument(
        "--sweep",
        type=int,
        metavar="QUOTES",
        help="instead, search all kinds for queries drawn from this many random quotes",
    )
    parser.add_argument("--seed", type=int, default=12, help="for --sweep")
    parser.add_argument(
        "--expand-max",
        type=int,
        metavar="N",
        help="spell a typed prefix out as at most N words of the index (0: never, the "
        "prefix query itself, as before; default: tracker.db.search.EXPAND_MAX)",
    )
    args = parser.parse_args()
    if args.expand_max is not None:
        from tracker.db import search as fts

        fts.EXPAND_MAX = args.expand_max
    if (args.path is None) == (args.url is None):
        parser.error("give an SQLite file or --url, one of them")

    db = Database(args.url or f"sqlite:///{args.path}", upgrade=False)
    plain = Plain(args.url, args.path)
    if args.sweep:
        spelled = "" if args.expand_max is None else f", --expand-max {args.expand_max}"
        print(f"# {db.dialect}{spelled}, load average {os.getloadavg()[0]:.1f} at the start")
        sweep(db, plain, args.sweep, args.seed)
        print(f"# load average {os.getloadavg()[0]:.1f} at the end")
        db.close()
        return
    counts = {
        t: plain.all(f"SELECT count(*) FROM {t}")[0][0] for t in ("quotes", "claims", "speakers")
    }
    middle = counts["quotes"] // 2
    speaker = plain.all("SELECT speaker_id FROM quotes ORDER BY id DESC LIMIT 1")[0][0]
    # A phrase a user might paste: three words of a quote from the middle.
    phrase = " ".join(
        plain.all("SELECT text FROM quotes WHERE id = ?", (middle,))[0][0].split()[:3]
    )
    today = dt.date.today()
    final = "false" if plain.pg else "0"

    cases: list[Case] = [
        (
            "list_quotes, first page",
            lambda: svc.list_quotes(db, limit=PAGE),
            lambda: plain.rows(
                plain.all(f"SELECT id FROM quotes ORDER BY id DESC LIMIT {PAGE + 1}")
            ),
        ),
        (
            "list_quotes, a page in the middle",
            lambda: svc.list_quotes(db, after=middle, limit=PAGE),
            lambda: plain.rows(
                plain.all(
                    f"SELECT id FROM quotes WHERE id < ? ORDER BY id DESC LIMIT {PAGE + 1}",
                    (middle,),
                )
            ),
        ),
        (
            "list_quotes, text 'killer'",
            lambda: svc.list_quotes(db, text="killer", limit=PAGE),
            lambda: plain.rows(plain.matches("killer")),
        ),
        (
            "list_quotes, text 'ki' (prefix as typed)",
            lambda: svc.list_quotes(db, text="ki", limit=PAGE),
            lambda: plain.rows(plain.matches("ki")),
        ),
        (
            "list_quotes, text 'killer', middle page",
            lambda: svc.list_quotes(db, text="killer", after=middle, limit=PAGE),
            lambda: plain.rows(plain.matches("killer", middle)),
        ),
        (
            f"list_quotes, text '{phrase}' (a phrase)",
            lambda: svc.list_quotes(db, text=phrase, limit=PAGE),
            lambda: plain.rows(plain.matches(phrase)),
        ),
        (
            "list_quotes, speaker + text 'the'",
            lambda: svc.list_quotes(db, svc.Filters(speaker_id=speaker), text="the", limit=PAGE),
            lambda: plain.rows(plain.speaker_matches(speaker, "the")),
        ),
        (
            "list_claims, due for review (first page)",
            lambda: svc.list_claims(db, svc.Filters(due_by=today), limit=PAGE),
            lambda: plain.all(
                "SELECT c.id, c.text, s.name, c.due_on, c.status FROM claims c "
                "LEFT JOIN speakers s ON s.id = c.claimant_id WHERE c.kind IN ('prediction', 'promise') "
                f"AND c.due_on IS NOT NULL AND c.due_on <= ? AND c.status_final = {final} "
                f"ORDER BY c.id DESC LIMIT {PAGE + 1}",
                (today,),
            ),
        ),
    ]
    searches = {
        "a common word": "killer",
        "a 2-letter prefix": "ki",
        "two common words": "killer troops",
        "a phrase": phrase,
        "a word that is nowhere": "zzyzx",
        "a long prefix as typed": "troop",
    }
    for shape, words in searches.items():
        cases.append(
            (
                f"search '{words}' ({shape}), quotes",
                searching(db, words, ["quote"]),
                ranking(plain, words),
            )
        )
    # What `tracker search` does without --in: every shape, all kinds (the
    # baseline still ranks the quotes alone).
    for shape, words in searches.items():
        cases.append(
            (
                f"search '{words}' ({shape}), all kinds (quotes, claims, speakers)",
                searching(db, words, ["quote", "claim", "speaker"]),
                ranking(plain, words),
            )
        )

    if args.only:
        cases = [c for c in cases if args.only in c[0]]
    driver = "psycopg" if plain.pg else "sqlite3"
    print(
        f"# {db.dialect}: {counts['quotes']:,} quotes, {counts['claims']:,} claims, "
        f"{counts['speakers']:,} speakers"
    )
    print(
        f"# {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} at the start"
    )
    print(f"# median of {args.runs} runs after a warm-up, milliseconds")
    print(f"| call | service | plain {driver} | ratio | service, CPU | plain, CPU |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, service, baseline in cases:
        (ours, ours_cpu), (theirs, theirs_cpu) = (
            timed(service, args.runs),
            timed(baseline, args.runs),
        )
        print(
            f"| {label} | {ours:.1f} | {theirs:.1f} | {ours / max(theirs, 0.01):.1f}x "
            f"| {ours_cpu:.1f} | {theirs_cpu:.1f} |"
        )
    print(f"# load average {os.getloadavg()[0]:.1f} at the end")
    db.close()


if __name__ == "__main__":
    main()

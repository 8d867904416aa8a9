"""Build a large tracker database for the TUI speed benchmark.

1,000,000 quotes, 200,000 claims (half with a verdict), 100,000 speakers
with realistic names (Faker) and an alias each, 20,000 sources. The schema
comes from the real migrations (``Database(url)``); rows go in with plain
sqlite3 ``executemany`` inside one transaction, then the full-text index is
rebuilt with ``tracker.db.search.rebuild``.

    python bench/make_big_db.py /tmp/big.db [--quotes 1000000] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from faker import Faker

from tracker.db import search
from tracker.db.database import Database
from tracker.scales import SCALES

CHUNK = 50_000
NOW = "2024-01-01 00:00:00.000000"
TOPICS = [
    "killer", "withdrawal", "troops", "deadline", "inflation", "vaccine", "border",
    "election", "taxes", "climate", "budget", "jobs", "wages", "pipeline", "tariffs",
]  # fmt: skip


def log(message: str, start: float) -> None:
    print(f"[{time.perf_counter() - start:7.1f}s] {message}", file=sys.stderr, flush=True)


def chunks(
    rows: Iterator[tuple[object, ...]], size: int = CHUNK
) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(path: Path, quotes: int, claims: int, speakers: int, sources: int, seed: int) -> None:
    start = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{path.resolve()}", actor="bench")
    db.close()
    log("schema migrated", start)

    fake = Faker("en_US")
    Faker.seed(seed)
    rnd = random.Random(seed)
    vocab = list({w.lower() for w in fake.words(3000)}) + TOPICS * 20
    names = [fake.name() for _ in range(speakers)]
    log(f"{speakers:,} names generated", start)

    def sentence(low: int, high: int) -> str:
        words = rnd.choices(vocab, k=rnd.randint(low, high))
        return " ".join(words).capitalize()

    def day() -> str:
        return (dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(3650))).isoformat()

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO speakers (id, kind, name, wikidata_qid, notes, created_at, updated_at, version)"
        " VALUES (?, 'person', ?, NULL, NULL, ?, ?, 1)",
        ((i + 1, name, NOW, NOW) for i, name in enumerate(names)),
    )
    conn.executemany(
        "INSERT INTO speaker_aliases (speaker_id, text, kind, role_id) VALUES (?, ?, 'name', NULL)",
        ((i + 1, name.split()[-1]) for i, name in enumerate(names) if len(name.split()) > 1),
    )
    log("speakers inserted", start)
    conn.executemany(
        "INSERT INTO sources (id, kind, title, publisher, authors, url, published_on, accessed_on,"
        " full_text, reports_on_id, notes, created_at, updated_at, version)"
        " VALUES (?, 'article', ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, ?, ?, 1)",
        (
            (
                i + 1,
                sentence(4, 9),
                fake.company(),
                json.dumps([names[rnd.randrange(speakers)]]),
                f"https://news.example/{i + 1}",
                day(),
                (i // 2) or None if i % 10 == 0 else None,
                NOW,
                NOW,
            )
            for i in range(sources)
        ),
    )
    log("sources inserted", start)
    modes = ("direct", "indirect", "mixed")
    for batch in chunks(
        (
            i + 1,
            sentence(6, 24),
            rnd.randrange(speakers) + 1,
            rnd.randrange(sources) + 1 if rnd.random() < 0.9 else None,
            rnd.choice(modes),
            day(),
            NOW,
            NOW,
        )
        for i in range(quotes)
    ):
        conn.executemany(
            "INSERT INTO quotes (id, text, speaker_id, source_id, mode, said_on, venue, start_offset,"
            " end_offset, prefix, suffix, notes, created_at, updated_at, version)"
            " VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, ?, 1)",
            batch,
        )
    log(f"{quotes:,} quotes inserted", start)
    kinds = ("fact", "fact", "opinion", "prediction", "promise")
    scale_of = {
        "fact": "truth-o-meter",
        "opinion": "truth-o-meter",
        "prediction": "prediction",
        "promise": "promise",
    }
    claim_rows, links, reviews = [], [], []
    for i in range(claims):
        claim_id = i + 1
        kind = rnd.choice(kinds)
        quote_id = rnd.randrange(quotes) + 1
        said = day()
        due = None
        if kind in ("prediction", "promise"):
            due = (
                dt.date.fromisoformat(said) + dt.timedelta(days=rnd.randrange(30, 900))
            ).isoformat()
        status, final = None, 0
        if rnd.random() < 0.5:
            scale = SCALES[scale_of[kind]]
            rating = rnd.choice(scale.ratings)
            status, final = rating.label, int(rating.final)
            reviews.append(
                (
                    claim_id,
                    scale.key,
                    rating.label,
                    rating.value,
                    final,
                    sentence(8, 20),
                    "bench",
                    NOW,
                    "[]",
                )
            )
        claim_rows.append(
            (
                claim_id,
                sentence(6, 18),
                kind,
                rnd.randrange(speakers) + 1,
                said,
                due,
                status,
                final,
                NOW,
                NOW,
            )
        )
        links.append((claim_id, quote_id))
    conn.executemany(
        "INSERT INTO claims (id, text, kind, claimant_id, said_on, due_on, status, status_final,"
        " notes, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 1)",
        claim_rows,
    )
    conn.executemany("INSERT INTO claim_quotes (claim_id, quote_id) VALUES (?, ?)", links)
    conn.executemany(
        "INSERT INTO reviews (claim_id, scale, rating, rating_value, final, rationale, reviewer,"
        " reviewed_at, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        reviews,
    )
    conn.execute("COMMIT")
    conn.close()
    log(f"{claims:,} claims and {len(reviews):,} verdicts inserted", start)

    db = Database(f"sqlite:///{path.resolve()}", actor="bench")
    with db.unit_of_work() as session:
        search.rebuild(session)
    db.close()
    log("full-text index rebuilt", start)
    conn = sqlite3.connect(path)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    log(f"done: {path} ({path.stat().st_size / 1e6:,.0f} MB)", start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--speakers", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    build(args.path, args.quotes, args.claims, args.speakers, args.sources, args.seed)


if __name__ == "__main__":
    main()

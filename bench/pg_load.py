"""Copy a tracker SQLite database (``bench/make_big_db.py``'s) into PostgreSQL.

For the benchmarks that compare the two backends on the same data. The
target database is migrated by tracker itself (``Database(url)``, to
``--revision``, head by default) and must hold no records; every model
table is then streamed with psycopg's ``COPY`` (ids kept), the sequences are
moved past the highest id, and the tables analysed. When ``--revision`` is
older than head, the rest of the migrations run afterwards and are timed
(what a desk pays to upgrade a database of this size).

    .ci/pg.sh start    # prints URL
    python bench/pg_load.py /tmp/big.db --url URL [--revision 0005]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Boolean
from sqlalchemy.engine import make_url

from tracker.db import models  # noqa: F401  (registers the tables)
from tracker.db.base import Base
from tracker.db.database import Database


def log(message: str, start: float) -> None:
    print(f"[{time.perf_counter() - start:7.1f}s] {message}", file=sys.stderr, flush=True)


def conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL."""
    parsed = make_url(url)
    parts: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": parsed.database,
    }
    return psycopg.conninfo.make_conninfo("", **{k: v for k, v in parts.items() if v is not None})


def load(path: Path, url: str, revision: str) -> None:
    start = time.perf_counter()
    db = Database(url, actor="bench", upgrade=False)
    db.upgrade(revision)
    db.close()
    log(f"schema migrated to {revision}", start)
    lite = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with psycopg.connect(conninfo(url)) as pg:
        pg.execute("SET TIME ZONE 'UTC'")  # SQLite holds UTC times without a zone
        try:  # skip the foreign-key triggers while copying (a superuser may)
            pg.execute("SET session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            pg.rollback()
            pg.execute("SET TIME ZONE 'UTC'")
        in_source = {
            r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in Base.metadata.sorted_tables:
            if table.name not in in_source:  # a table newer than the source file
                log(f"{table.name}: not in {path}, left empty", start)
                continue
            (held,) = pg.execute(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")').fetchone() or (0,)
            if held:
                raise SystemExit(f"pg_load: {table.name} in the target is not empty")
            names = [c.name for c in table.columns]
            booleans = {i for i, c in enumerate(table.columns) if isinstance(c.type, Boolean)}
            cols = ", ".join(f'"{n}"' for n in names)
            rows = lite.execute(f"SELECT {cols} FROM {table.name}")
            count = 0
            with pg.cursor().copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    values: list[Any] = list(row)
                    for i in booleans:
                        if values[i] is not None:
                            values[i] = bool(values[i])
                    copy.write_row(values)
                    count += 1
            if "id" in names and table.c.id.autoincrement is not False:
                seq = pg.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table.name,))
                (sequence,) = seq.fetchone() or (None,)
                if sequence:
                    pg.execute(
                        f'SELECT setval(%s, (SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"), false)',
                        (sequence,),
                    )
            if count:
                log(f"{table.name}: {count:,} rows", start)
        pg.commit()
    lite.close()
    with psycopg.connect(conninfo(url), autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    log("vacuumed and analysed", start)
    if revision != "head":
        began = time.perf_counter()
        db = Database(url, actor="bench", upgrade=False)
        db.upgrade("head")
        db.close()
        log(f"migrated {revision} -> head in {time.perf_counter() - began:.1f} s", start)
        with psycopg.connect(conninfo(url), autocommit=True) as pg:
            pg.execute("VACUUM ANALYZE")
        log("vacuumed and analysed", start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the SQLite database to copy")
    parser.add_argument("--url", required=True, help="the PostgreSQL database to fill")
    parser.add_argument("--revision", default="head", help="load at this schema revision")
    args = parser.parse_args()
    load(args.path, args.url, args.revision)


if __name__ == "__main__":
    main()

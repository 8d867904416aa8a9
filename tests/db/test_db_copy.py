"""``tracker db copy`` (tracker.services.db_copy): a whole database into an
empty one, SQLite to PostgreSQL and back, all or nothing.

The tests run twice (tests/conftest.py's ``backend``): the database in the
middle of a round trip is another SQLite file, or, in the PostgreSQL
variant, a new database on the server of TRACKER_TEST_PG_URL. The source is
always an SQLite file (the demo plus edits, deletes, verdicts and an undo),
so the PostgreSQL variant is SQLite -> PostgreSQL -> SQLite."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import JSON, Text, cast, create_engine, select, text
from sqlalchemy.pool import NullPool

from tracker import services as svc
from tracker.config import to_url
from tracker.db.database import Database
from tracker.errors import DatabaseError
from tracker.services import db_copy
from tracker.services.db_copy import copied_tables, copy_database
from tracker.services.undo import last_change, undo

KINDS = ("quotes", "claims", "speakers", "sources")
# Text no front end would let in (control characters are refused by the
# services), written straight into the source: the copy must carry it as is.
HOSTILE = [
    "tab\there, newline\nthere, CR\rthere",
    "\x01\x07\x1b[31mred\x1b[0m \x7f \x9b",
    "\u202eevil\u202c \u200b\u200d \ufeff bidi",
    "emoji \U0001f600\U0001f1fa\U0001f1e6 combining e\u0301 \U00010348",
    '\'; DROP TABLE quotes; -- "quoted" [bold]markup[/bold] {x} %s %(x)s ?',
    "COPY markers: \\N \\. \\\\ \\t end \\",
    "long " + "x" * 120_000,
]


# -- databases ------------------------------------------------------------


@pytest.fixture
def source(tmp_path: Path, demo_template: Path) -> Iterator[Path]:
    """An SQLite source: the demo, edited (see :func:`enrich`), closed."""
    path = tmp_path / "source.db"
    shutil.copyfile(demo_template, path)
    database = Database(f"sqlite:///{path}", actor="desk")
    enrich(database)
    database.close()
    yield path


@pytest.fixture
def middle(blank_db: str) -> str:
    """Where the round trip goes through: a new SQLite file (not created
    yet), or a new, empty (not migrated) PostgreSQL database."""
    return blank_db


def enrich(db: Database) -> None:
    """Edits, deletes (id gaps, the newest record too), verdict history, an
    undone change, a source reporting on a later one, an imported key."""
    biden = svc.find_by_name(db, "Joe Biden")[0]
    quotes = sorted(svc.list_quotes(db, limit=100).items, key=lambda q: q.id)
    svc.update_quote(db, quotes[0].id, text="edited \u00e9\u00e8 text", notes="a note")
    svc.delete_quote(db, quotes[1].id)
    svc.delete_quote(db, quotes[-1].id)  # the counter remembers it: never handed out again
    claim = svc.add_claim(
        db, "A claim with a history", kind="promise", claimant_id=biden.id, due="2030-01-01"
    )
    at = dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
    svc.add_review(
        db,
        claim.id,
        rating="Half True",
        scale="truth-o-meter",
        reviewed_at=at,
        evidence=["https://a.example"],
    )
    svc.add_review(
        db,
        claim.id,
        rating="False",
        scale="truth-o-meter",
        reviewed_at=at + dt.timedelta(days=2),
        rationale="Later evidence \u2014 see \U0001f4c4",
    )
    gone = svc.add_claim(db, "deleted claim", claimant_id=biden.id)
    svc.delete_claim(db, gone.id)
    svc.add_quote(db, "said and then undone", speaker_id=biden.id)
    plan = last_change(db)
    assert plan is not None
    undo(db, plan)  # the undo's own audit entries come along
    first = svc.add_source(db, "Reports on a later source", authors=["A. Writer", "B"])
    later = svc.add_source(db, "The later source", url="https://later.example/x")
    svc.update_source(db, first.id, reports_on_id=later.id)
    with db.unit_of_work() as session:
        session.execute(
            text("INSERT INTO record_keys (entity, key, record_id) VALUES ('quote', 'k:1', :q)"),
            {"q": quotes[2].id},
        )


def add_hostile_rows(path: Path) -> list[int]:
    """Quotes (and an audit entry with a JSON null) holding :data:`HOSTILE`
    text, written with plain SQL; their ids."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    ids = []
    with engine.begin() as conn:
        speaker = conn.execute(text("SELECT min(id) FROM speakers")).scalar()
        for value in HOSTILE:
            ids.append(
                conn.execute(
                    text(
                        "INSERT INTO quotes (text, speaker_id, mode, venue, created_at, "
                        "updated_at, version) VALUES (:t, :s, 'direct', :v, "
                        "'2024-01-02 03:04:05.000006', '2024-01-02 03:04:05.000006', 1) "
                        "RETURNING id"
                    ),
                    {"t": value, "s": speaker, "v": value[:1000]},
                ).scalar_one()
            )
        conn.execute(
            text(
                "INSERT INTO audit_log (change_id, at, actor, action, entity, entity_id, "
                "before, after, summary) VALUES ('c0ffee', '2024-01-02 03:04:05.000000', "
                "'x', 'update', 'quote', :q, 'null', :after, NULL)"
            ),
            {"q": ids[0], "after": '{"text": "\\u0001 \u202e", "list": [1, 2.5, true, null]}'},
        )
    engine.dispose()
    return ids


def typed_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every copied table's rows as Python values (JSON as its stored text,
    SQL NULL as None), sorted: what must be equal on both sides."""
    engine = create_engine(url if "://" in url else f"sqlite:///{url}", poolclass=NullPool)
    rows = {}
    with engine.connect() as conn:
        for table in copied_tables():
            cols = [
                cast(c, Text) if isinstance(c.type, JSON) else c
                for c in table.columns
                if c.computed is None
            ]
            rows[table.name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
    engine.dispose()
    return rows


def export(db: str, kind: str, fmt: str) -> bytes:
    from tracker.cli import cli

    result = CliRunner().invoke(cli, ["--db", db, "export", "--kind", kind, "--format", fmt])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout_bytes


def exports(db: str) -> dict[tuple[str, str], bytes]:
    found = {(k, f): export(db, k, f) for k in KINDS for f in ("csv", "jsonl")}
    found["claims", "markdown"] = export(db, "claims", "markdown")
    found["claims", "claimreview"] = export(db, "claims", "claimreview")
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(path.name + "-*"))


# -- the round trip -------------------------------------------------------


def test_round_trip_gives_the_same_export_and_the_same_rows(
    source: Path, middle: str, tmp_path: Path
):
    back = tmp_path / "back.db"
    report = copy_database(str(source), middle)
    assert report.rows == sum(len(r) for r in typed_rows(str(source)).values())
    assert typed_rows(middle) == typed_rows(str(source))
    again = copy_database(middle, str(back))
    assert again.as_json()["tables"] == report.as_json()["tables"]

    assert exports(str(back)) == exports(str(source))
    assert exports(middle) == exports(str(source))
    assert typed_rows(str(back)) == typed_rows(str(source))
    # The audit log and the verdict history, entry for entry.
    db = Database(f"sqlite:///{back}", actor="desk")
    try:
        history = svc.list_changes(db, limit=1000)
        assert any(e.summary and "undo" in e.summary.lower() for e in history) or len(history) > 40
        claim = next(c for c in svc.list_claims(db, limit=100).items if "history" in c.text)
        reviews = svc.get_claim(db, claim.id).reviews
        assert [r.rating for r in reviews] == ["Half True", "False"]
        assert reviews[0].reviewed_at == dt.datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
        # Search works on both copies: the index was rebuilt (SQLite) or
        # computed by the server (PostgreSQL), and finds the same records.
        found = [h.id for h in svc.search(db, "edited", kinds=("quote",))]
        assert found
    finally:
        db.close()
    there = Database(to_url(middle), actor="desk")
    try:
        assert [h.id for h in svc.search(there, "edited", kinds=("quote",))] == found
    finally:
        there.close()


def test_raw_rows_and_id_counters_survive_sqlite_to_sqlite(source: Path, middle: str, tmp_path):
    back = tmp_path / "back.db"
    copy_database(str(source), middle)
    copy_database(middle, str(back))

    def raw(path: Path) -> dict[str, list[tuple[Any, ...]]]:
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
        with engine.connect() as conn:
            names = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                        "name NOT LIKE 'search_index%' AND name != 'sqlite_stat1'"
                    )
                )
            ]
            found = {
                n: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{n}"'))), key=repr)
                for n in names
            }
            found["search_index"] = sorted(
                map(tuple, conn.execute(text("SELECT rowid, kind, body FROM search_index")))
            )
        engine.dispose()
        return found

    # The stored bytes of every row (dates, JSON text, booleans), the
    # search index's content and sqlite_sequence: the same file, row for row.
    assert raw(back) == raw(source)


def test_hostile_text_comes_through_unchanged(source: Path, middle: str, tmp_path: Path):
    ids = add_hostile_rows(source)
    back = tmp_path / "back.db"
    copy_database(str(source), middle)
    copy_database(middle, str(back))
    assert typed_rows(str(back)) == typed_rows(str(source))
    assert typed_rows(middle) == typed_rows(str(source))
    engine = create_engine(f"sqlite:///{back}", poolclass=NullPool)
    with engine.connect() as conn:
        got = conn.execute(
            text("SELECT text FROM quotes WHERE id IN :ids ORDER BY id").bindparams(
                __import__("sqlalchemy").bindparam("ids", expanding=True)
            ),
            {"ids": ids},
        ).scalars()
        assert list(got) == HOSTILE
        before = conn.execute(
            text("SELECT before IS NULL, before FROM audit_log WHERE change_id = 'c0ffee'")
        ).one()
        assert tuple(before) == (0, "null")  # a JSON null, not SQL NULL
        assert (
            conn.execute(text("SELECT count(*) FROM audit_log WHERE before IS NULL")).scalar()
            == create_engine(f"sqlite:///{source}", poolclass=NullPool)
            .connect()
            .execute(text("SELECT count(*) FROM audit_log WHERE before IS NULL"))
            .scalar()
        )
    engine.dispose()


def test_ids_are_not_handed_out_again_after_the_move(source: Path, middle: str, tmp_path: Path):
    src = Database(f"sqlite:///{source}", actor="desk")
    biden = svc.find_by_name(src, "Joe Biden")[0]
    deleted = svc.add_quote(src, "the newest, then deleted", speaker_id=biden.id)
    svc.delete_quote(src, deleted.id)
    src.close()
    back = tmp_path / "back.db"
    copy_database(str(source), middle)
    copy_database(middle, str(back))
    for where in (to_url(middle), to_url(str(back))):
        db = Database(where, actor="desk")
        try:
            added = svc.add_quote(db, "after the move", speaker_id=biden.id)
            assert added.id == deleted.id + 1
            assert svc.add_source(db, "a new source").id > max(
                s.id for s in svc.list_sources(db, limit=1000).items if s.title != "a new source"
            )
        finally:
            db.close()


def test_progress_counts_every_row_once(source: Path, middle: str):
    seen: list[tuple[str, int, int, int, int]] = []
    report = copy_database(str(source), middle, progress=lambda *a: seen.append(a), batch_size=7)
    done = [s[3] for s in seen]
    assert done == sorted(done)  # never goes back
    assert done[-1] == seen[-1][4] == report.rows
    quotes = [s for s in seen if s[0] == "quotes"]
    assert (
        quotes[-1][1] == quotes[-1][2] == dict((t.table, t.rows) for t in report.tables)["quotes"]
    )
    assert len(quotes) > 2  # written in batches, reported after each


# -- the source is only read ------------------------------------------------


def test_the_source_file_is_left_byte_for_byte_and_without_side_files(source: Path, middle: str):
    before = digest(source)
    copy_database(str(source), middle)
    assert digest(source) == before
    assert side_files(source) == []


def test_a_source_behind_head_is_refused_with_how_to_upgrade(tmp_path: Path, middle: str):
    old = tmp_path / "old.db"
    database = Database(f"sqlite:///{old}", actor="desk", upgrade=False)
    database.upgrade("0004")
    database.close()
    before = digest(old)
    with pytest.raises(DatabaseError, match="upgrade it first"):
        copy_database(str(old), middle)
    assert digest(old) == before
    assert not Path(middle).exists() if "://" not in middle else True


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such database file"),
        (lambda p: p.write_bytes(b"not a database at all" * 100), "not an SQLite database"),
        (
            lambda p: __import__("sqlite3").connect(p).execute("CREATE TABLE t (x)"),
            "not a tracker database",
        ),
    ],
)
def test_a_source_that_is_not_a_tracker_database_is_refused(tmp_path, make, message):
    path = tmp_path / "src.db"
    make(path)
    target = tmp_path / "target.db"
    with pytest.raises(DatabaseError, match=message):
        copy_database(str(path), str(target))
    assert not target.exists()


def test_source_and_target_the_same_file_is_refused(source: Path):
    with pytest.raises(DatabaseError, match="same database"):
        copy_database(str(source), f"sqlite:///{source}")


# -- the target: empty, then all or nothing ----------------------------------


def test_a_target_holding_records_is_refused_and_left_as_it_was(source: Path, demo_db: Database):
    url = demo_db.url
    before = typed_rows(url)
    demo_db.close()
    with pytest.raises(DatabaseError, match="is not empty") as caught:
        copy_database(str(source), url)
    assert "quotes" in str(caught.value) or "speakers" in str(caught.value)
    assert typed_rows(url) == before


def test_a_migrated_but_empty_target_is_accepted(source: Path, db: Database):
    url = db.url
    db.close()
    copy_database(str(source), url)
    assert typed_rows(url) == typed_rows(str(source))


def test_a_target_with_another_programs_tables_is_refused(source: Path, middle: str):
    engine = create_engine(middle if "://" in middle else f"sqlite:///{middle}", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="not tracker's|not a tracker database"):
        copy_database(str(source), middle)


def test_an_error_midway_leaves_the_target_without_a_record(
    source: Path, middle: str, monkeypatch: pytest.MonkeyPatch
):
    real = db_copy.Copier._report

    def failing(self: Any, table: str, count: int) -> None:
        real(self, table, count)
        if table == "quotes" and count > 0:  # after a batch of quotes is written
            raise RuntimeError("injected")

    monkeypatch.setattr(db_copy.Copier, "_report", failing)
    with pytest.raises(RuntimeError, match="injected"):
        copy_database(str(source), middle, batch_size=3)
    if "://" not in middle:
        assert not Path(middle).exists()  # the file it had created is removed
    else:
        assert all(rows == [] for rows in typed_rows(middle).values())
    monkeypatch.undo()
    copy_database(str(source), middle)  # the next copy is accepted
    assert typed_rows(middle) == typed_rows(str(source))


def test_text_with_nul_is_kept_on_sqlite_and_one_clear_error_on_postgresql(
    source: Path, middle: str, backend: str
):
    engine = create_engine(f"sqlite:///{source}", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE quotes SET notes = :n WHERE id = (SELECT min(id) FROM quotes)"),
            {"n": "a NUL \x00 here"},
        )
    engine.dispose()
    if backend != "postgresql":
        copy_database(str(source), middle)
        assert typed_rows(middle) == typed_rows(str(source))
        return
    with pytest.raises(DatabaseError, match="not copied: table quotes") as caught:
        copy_database(str(source), middle)
    assert "NUL" in str(caught.value)
    assert all(rows == [] for rows in typed_rows(middle).values())


KILLED = """
import os, sys, time
from tracker.services import db_copy

def progress(table, count, of, done, total):
    if table == "quotes" and count > 0:
        open(sys.argv[3], "w").close()  # some quotes are written, not committed
        time.sleep(60)

db_copy.copy_database(sys.argv[1], sys.argv[2], progress=progress, batch_size=2)
"""


def test_a_killed_copy_leaves_the_target_empty_and_a_new_copy_works(
    source: Path, middle: str, tmp_path: Path
):
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED), str(source), middle, str(marker)]
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the copy ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    # Killed mid-transaction: the target is migrated and holds no record
    # (a hot -wal is rolled back when the file is next opened).
    assert all(rows == [] for rows in typed_rows(middle).values())
    copy_database(str(source), middle)
    assert typed_rows(middle) == typed_rows(str(source))


def test_the_password_never_shows(source: Path):
    url = "postgresql+psycopg://desk:s3cr3t-pw@127.0.0.1:1/nowhere?connect_timeout=2"
    with pytest.raises(DatabaseError) as caught:
        copy_database(str(source), url)
    assert "s3cr3t-pw" not in str(caught.value)
    if importlib.util.find_spec("psycopg") is not None:  # else: "needs the psycopg driver"
        assert "***" in str(caught.value) or "127.0.0.1" in str(caught.value)


def test_a_dangling_reference_in_the_source_is_refused_whole(source: Path, middle: str):
    engine = create_engine(f"sqlite:///{source}", poolclass=NullPool)
    with engine.begin() as conn:  # foreign keys are off in a plain connection
        conn.execute(
            text("UPDATE quotes SET speaker_id = 999999 WHERE id = (SELECT max(id) FROM quotes)")
        )
    engine.dispose()
    with pytest.raises(DatabaseError, match="not copied: table quotes") as caught:
        copy_database(str(source), middle)
    assert "foreign key" in str(caught.value).lower()
    if "://" in middle:
        assert all(rows == [] for rows in typed_rows(middle).values())
    else:
        assert not Path(middle).exists()


def test_the_target_schema_is_the_one_the_migrations_make(
    source: Path, middle: str, backend: str, request: pytest.FixtureRequest
):
    """On PostgreSQL the copy builds indexes and checks foreign keys after the
    rows are in: what it commits has every index and constraint as migrated."""
    copy_database(str(source), middle)
    fresh = request.getfixturevalue("pg_db").url if backend == "postgresql" else None
    if fresh is None:
        fresh_path = Path(middle).with_name("fresh.db")
        Database(f"sqlite:///{fresh_path}", actor="desk").close()
        fresh = f"sqlite:///{fresh_path}"

    def schema(url: str) -> list[tuple[Any, ...]]:
        engine = create_engine(url if "://" in url else f"sqlite:///{url}", poolclass=NullPool)
        with engine.connect() as conn:
            if backend == "postgresql":
                query = (
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() UNION ALL "
                    "SELECT conrelid::regclass::text || ' ' || conname || ' ' || "
                    "pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE connamespace = current_schema()::regnamespace"
                )
            else:
                query = (
                    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'"
                )
            # (SQLite: a batch migration writes a table's constraints in no
            # fixed order, so each statement is compared as a set of lines.)
            found = sorted(
                tuple(sorted(x.strip().rstrip(",") for x in str(v).split("\n")) for v in row)
                if backend == "sqlite"
                else tuple(row)
                for row in conn.execute(text(query))
            )
        engine.dispose()
        return found

    assert schema(middle) == schema(fresh)
    assert len(schema(middle)) > 20


def test_a_user_who_does_not_own_the_tables_copies_into_them(
    source: Path, backend: str, request: pytest.FixtureRequest
):
    """A desk's database migrated by its administrator, written by a role
    granted rights on it: the indexes cannot be set aside, the copy still
    works (PostgreSQL only: SQLite has no roles)."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL roles")
    from sqlalchemy.engine import make_url

    server = request.getfixturevalue("pg_server")
    name = server.create()
    admin_url = server.url_of(name)
    Database(admin_url, actor="admin").close()  # migrated by the owner
    role = f"clerk_{name[-6:]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
        conn.exec_driver_sql(
            f'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO "{role}"'
        )
        conn.exec_driver_sql(f'GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    try:
        clerk_url = make_url(admin_url).set(username=role).render_as_string(hide_password=False)
        copy_database(str(source), clerk_url)
        assert typed_rows(admin_url) == typed_rows(str(source))
    finally:
        engine.dispose()
        server.drop(name)
        with server.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')

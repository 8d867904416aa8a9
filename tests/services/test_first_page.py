"""The quote list's first page read with plain sqlite3 (before SQLAlchemy is
loaded) is exactly what the services give; anything it cannot read safely
gives None (the caller then uses the services), and reading writes nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import services as svc
from tracker.db import migrate
from tracker.db.database import Database
from tracker.db.schema import HEAD_REVISION
from tracker.services.first_page import first_quotes, readable

# first_quotes reads an SQLite file with sqlite3; for any other database it
# answers None (test_none_for_databases_that_are_not_plain_sqlite_files).
pytestmark = pytest.mark.sqlite_only("the first page is read from the SQLite file")


def lazy(path: Path) -> Database:
    return Database(f"sqlite:///{path}", actor="tester", lazy=True)


def revision(path: Path) -> str:
    with sqlite3.connect(path) as con:
        value = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    con.close()
    return str(value)


# ------------------------------------------------------------------ same as the services


@pytest.mark.parametrize("limit", [1, 5, 12, 13, 50])
def test_demo_first_page_equals_list_quotes(demo_db: Database, db_path: Path, limit: int) -> None:
    expected = svc.list_quotes(demo_db, limit=limit)
    reader = lazy(db_path)
    page = first_quotes(reader, limit)
    assert page == expected  # records, in order, and next_cursor
    assert len(page.items) == min(limit, 13)
    assert (page.next_cursor is None) == (limit >= 13)
    assert not reader.is_open  # read without opening the database


def test_demo_first_page_after_the_database_is_closed(demo_db: Database, db_path: Path) -> None:
    expected = svc.list_quotes(demo_db, limit=5)
    demo_db.close()  # everything checkpointed into the file, no -wal to read
    assert first_quotes(lazy(db_path), 5) == expected


def test_the_next_page_follows_on_from_the_first(demo_db: Database, db_path: Path) -> None:
    page = first_quotes(lazy(db_path), 5)
    assert page is not None and page.next_cursor is not None
    rest = svc.list_quotes(demo_db, after=page.next_cursor, limit=50)
    ids = [q.id for q in page.items + rest.items]
    assert ids == list(range(13, 0, -1))


def test_an_empty_database_gives_an_empty_page(db: Database, db_path: Path) -> None:
    page = first_quotes(lazy(db_path), 100)
    assert page == svc.list_quotes(db, limit=100)
    assert page is not None and page.items == () and page.next_cursor is None


def test_a_path_with_spaces_hashes_and_accents(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "Fact checks #2 (été)"
    folder.mkdir()
    path = folder / "my quotes #1 é.db"
    shutil.copyfile(demo_template, path)
    with Database(f"sqlite:///{path}") as opened:
        expected = svc.list_quotes(opened, limit=4)
    assert readable(f"sqlite:///{path}")
    assert first_quotes(lazy(path), 4) == expected
    # A relative path (as sqlite:///name.db), read from the working folder.
    monkeypatch.chdir(folder)
    relative = Database("sqlite:///my quotes #1 é.db", lazy=True)
    assert first_quotes(relative, 4) == expected


def test_an_edited_quote_with_a_claim_and_new_tags(db: Database, db_path: Path) -> None:
    ada = svc.add_speaker(db, "Ada Lovelace").id
    notes = svc.add_source(db, "Notes").id
    first = svc.add_quote(db, "the engine weaves", speaker_id=ada, source_id=notes, tags=["b"])
    svc.add_quote(db, "algebraic patterns", speaker_id=ada, said_on="1843-07")
    svc.add_claim(db, "engines weave", quote_ids=[first.id])
    svc.update_quote(db, first.id, tags=["Zeta", "alpha", "b"], notes="checked")
    expected = svc.list_quotes(db, limit=1)
    assert first_quotes(lazy(db_path), 1) == expected
    full = first_quotes(lazy(db_path), 10)
    assert full == svc.list_quotes(db, limit=10)
    assert full is not None
    edited = full.items[-1]
    assert (edited.tags, edited.version, len(edited.claim_ids)) == (("alpha", "b", "zeta"), 2, 1)


# ------------------------------------------------------------------ property


@dataclass(frozen=True)
class QuoteSpec:
    speaker: int
    source: int | None
    tags: list[str]
    said_on: str | None
    mode: str
    edited: bool


TAG_POOL = ("economy", "Health", "war", "élan", "Économie")
quote_specs = st.builds(
    QuoteSpec,
    speaker=st.integers(0, 2),
    source=st.none() | st.integers(0, 1),
    tags=st.lists(st.sampled_from(TAG_POOL), max_size=3, unique=True),
    said_on=st.none() | st.sampled_from(["2021", "2021-03", "2021-03-17"]),
    mode=st.sampled_from(["direct", "indirect", "mixed"]),
    edited=st.booleans(),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    quotes=st.lists(quote_specs, max_size=8),
    claims=st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=3, unique=True), max_size=3),
    deleted=st.lists(st.integers(0, 7), max_size=2, unique=True),
    limit=st.integers(0, 10),
)
def test_any_database_first_page_equals_list_quotes(
    empty_template: Path,  # session-scoped: the same file for every example
    quotes: list[QuoteSpec],
    claims: list[list[int]],
    deleted: list[int],
    limit: int,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.db"
        shutil.copyfile(empty_template, path)
        db = Database(f"sqlite:///{path}", actor="tester")
        try:
            speakers = [svc.add_speaker(db, name).id for name in ("Ada", "Bob Smith", "Zoë")]
            sources = [svc.add_source(db, title).id for title in ("Notes", "Letters")]
            ids: list[int] = []
            for n, spec in enumerate(quotes):
                quote = svc.add_quote(
                    db,
                    f"quote number {n}",
                    speaker_id=speakers[spec.speaker],
                    source_id=None if spec.source is None else sources[spec.source],
                    said_on=spec.said_on,
                    mode=spec.mode,
                    tags=spec.tags,
                )
                if spec.edited:
                    svc.update_quote(db, quote.id, tags=list(reversed(spec.tags)), venue="here")
                ids.append(quote.id)
            if ids:
                for linked in claims:
                    chosen = sorted({ids[i % len(ids)] for i in linked})
                    svc.add_claim(db, f"claim on {chosen}", quote_ids=chosen)
                for i in deleted:
                    if i < len(ids):
                        svc.delete_quote(db, ids[i])  # gaps in the ids
            expected = svc.list_quotes(db, limit=limit)
            # Read while the writer is still open (its changes may be in the -wal)...
            assert first_quotes(lazy(path), limit) == expected
            db.close()
            # ...and once everything is checkpointed into the file.
            assert first_quotes(lazy(path), limit) == expected
        finally:
            db.close()


# ------------------------------------------------------------------ None: use the services


def test_none_when_the_database_is_open_already(demo_db: Database) -> None:
    assert demo_db.is_open
    assert readable(demo_db.url)  # the file itself could be read...
    assert first_quotes(demo_db, 5) is None  # ...but an open database uses the services


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://someone@db.invalid:5432/tracker",
        "sqlite://",
        "sqlite:///:memory:",
    ],
)
def test_none_for_databases_that_are_not_plain_sqlite_files(url: str) -> None:
    reader = Database(url, lazy=True)
    assert not readable(url)
    assert first_quotes(reader, 5) is None
    assert not reader.is_open  # nothing connected


def test_none_for_sqlite_urls_it_cannot_read_exactly(demo_db: Database, db_path: Path) -> None:
    # The demo file, named so SQLAlchemy would read it differently (a URI
    # filename, a query string): left to the services.
    for url in (f"sqlite:///file:{db_path}?mode=ro&uri=true", f"sqlite:///{db_path}?timeout=5"):
        reader = Database(url, lazy=True)
        assert not readable(url), url
        assert first_quotes(reader, 5) is None, url
        assert not reader.is_open


def test_none_for_a_missing_file_which_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nothing-here.db"
    reader = lazy(path)
    assert not readable(reader.url)
    assert first_quotes(reader, 5) is None
    assert not path.exists()
    assert os.listdir(tmp_path) == []
    assert not reader.is_open


def test_none_for_a_missing_folder(tmp_path: Path) -> None:
    reader = lazy(tmp_path / "nope" / "tracker.db")
    assert not readable(reader.url)
    assert first_quotes(reader, 5) is None
    assert not (tmp_path / "nope").exists()


def test_none_for_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"These are my notes, not a database.\n" * 50
    path.write_bytes(content)
    reader = lazy(path)
    assert not readable(reader.url)
    assert first_quotes(reader, 5) is None
    assert path.read_bytes() == content
    assert sorted(os.listdir(tmp_path)) == ["notes.db"]


def test_none_for_an_empty_file(tmp_path: Path) -> None:
    # SQLite reads a 0-byte file as an empty database: no alembic_version.
    path = tmp_path / "empty.db"
    path.touch()
    reader = lazy(path)
    assert not readable(reader.url)
    assert first_quotes(reader, 5) is None
    assert path.read_bytes() == b""


def test_none_for_a_database_at_an_older_revision(demo_db: Database, db_path: Path) -> None:
    migrate.downgrade(demo_db.engine, "0001")
    demo_db.close()
    assert revision(db_path) != HEAD_REVISION
    before = db_path.read_bytes()
    reader = lazy(db_path)
    assert not readable(reader.url)
    assert first_quotes(reader, 5) is None
    assert db_path.read_bytes() == before  # not migrated by reading
    assert revision(db_path) == "0001"


def test_none_for_a_database_from_a_newer_tracker(demo_db: Database, db_path: Path) -> None:
    demo_db.close()
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    con.close()
    reader = lazy(db_path)
    assert not readable(reader.url)
    assert first_quotes(reader, 5) is None
    assert revision(db_path) == "ffff9999"


def test_none_for_a_database_without_its_tables(demo_db: Database, db_path: Path) -> None:
    # At the right revision but damaged (a table dropped by hand): an error
    # while reading gives None, not an exception.
    demo_db.close()
    with sqlite3.connect(db_path) as con:
        con.execute("DROP TABLE quote_tags")
    con.close()
    assert first_quotes(lazy(db_path), 5) is None


# ------------------------------------------------------------------ writes nothing


def test_reading_does_not_change_the_file(demo_db: Database, db_path: Path) -> None:
    demo_db.close()
    before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    assert readable(f"sqlite:///{db_path}")
    page = first_quotes(lazy(db_path), 13)
    assert page is not None and len(page.items) == 13
    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == before


def test_reading_creates_no_wal_or_shm_files(demo_db: Database, db_path: Path) -> None:
    demo_db.close()  # the last connection closing removes the -wal and -shm
    assert sorted(os.listdir(db_path.parent)) == [db_path.name]
    assert first_quotes(lazy(db_path), 5) is not None
    assert readable(f"sqlite:///{db_path}")
    assert sorted(os.listdir(db_path.parent)) == [db_path.name]

"""Bad input through the CLI: exit code 1, one line starting "Error:" that
names the problem, never a traceback, and the database unchanged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from cli_helpers import Invoke, dump, json_of, ok, refused, usage_error
from db_rows import execute

from tracker import services as svc
from tracker.db.database import Database
from tracker.services.validation import MAX_TEXT

BAD_INPUT = [
    (
        ["add", "quote", "words", "--speaker", "1", "--said", "2021-02-30"],
        ["date said", "2021-02-30"],
    ),
    (["add", "quote", "words", "--speaker", "1", "--said", "March 2021x"], ["date said"]),
    (["add", "quote", "words", "--speaker", "1", "--said", "13/45/2021"], ["date said"]),
    (["add", "claim", "rain", "--kind", "prediction", "--due", "2021-02-30"], ["due date"]),
    (
        [
            "add",
            "claim",
            "rain",
            "--kind",
            "prediction",
            "--said",
            "2021-03-17",
            "--due",
            "2021-03-01",
        ],
        ["before"],
    ),
    (["add", "claim", "rain", "--due", "2021-05-01"], ["only predictions and promises"]),
    (["add", "quote", "words", "--speaker", "999"], ["no speaker with id 999"]),
    (["add", "quote", "words", "--speaker", "1", "--source", "999"], ["no source with id 999"]),
    (["add", "claim", "rain", "--quote", "1", "--quote", "999"], ["no quote with id 999"]),
    (["add", "claim", "rain", "--claimant", "999"], ["no speaker with id 999"]),
    (["add", "quote", "", "--speaker", "1"], ["quote text", "empty"]),
    (["add", "quote", "   ", "--speaker", "1"], ["empty"]),
    (["add", "claim", "\t"], ["claim text", "empty"]),
    (["add", "speaker", ""], ["name", "empty"]),
    (["add", "quote", "x" * (MAX_TEXT + 1), "--speaker", "1"], ["limit is 100,000"]),
    (["add", "quote", "red \x1b[31malert", "--speaker", "1"], ["control character", "U+001B"]),
    (["add", "quote", "bell \x07", "--speaker", "1"], ["U+0007"]),
    (["add", "claim", "nul \x00 byte"], ["U+0000"]),
    (["add", "quote", "words", "--speaker", "1", "--start", "9", "--end", "3"], ["end offset"]),
    (["add", "speaker", "Bob", "--wikidata", "6279"], ["Wikidata id"]),
    (["add", "speaker", "Joe", "--wikidata", "Q6279"], ["Q6279", "exists already"]),
    (["add", "speaker", "Bob", "--role", "a;b;c;d;e"], ["TITLE;ORGANISATION;FROM;TO"]),
    (["add", "speaker", "Bob", "--role", "Mayor;Town;2021-13-01"], ["role start"]),
    (["add", "source", "Title", "--url", "ftp://example.org"], ["not an http(s) URL"]),
    (["add", "source", "Title", "--reports-on", "999"], ["no source with id 999"]),
    (["review", "999", "--rating", "True"], ["no claim with id 999"]),
    (["review", "1", "--rating", "Totally"], ["'Totally'", "Pants on Fire"]),
    (["review", "1", "--rating", "True", "--at", "yesterday"], ["--at", "ISO time"]),
    (["review", "1", "--rating", "True", "--at", "2999-01-01T00:00Z"], ["in the future"]),
    (["show", "quote", "999"], ["no quote with id 999"]),
    (["show", "speaker", "999"], ["no speaker with id 999"]),
    (["edit", "quote", "999", "--set", "text=x"], ["no quote with id 999"]),
    (["edit", "quote", "1", "--set", "bogus=1"], ["no field bogus"]),
    (["edit", "quote", "1"], ["nothing to change"]),
    (["edit", "quote", "1", "--set", "text="], ["quote text"]),
    (
        ["edit", "quote", "1", "--set", "text=new", "--expect-version", "7"],
        ["changed by someone else"],
    ),
    (["edit", "speaker", "1", "--set", "kind=robot"], ["speaker kind", "'robot'"]),
    (["edit", "source", "1", "--set", "reports_on_id=1"], ["loop"]),
    (["delete", "speaker", "1", "--yes"], ["quote(s)"]),
    (["delete", "source", "1", "--yes"], ["cited by"]),
    (["delete", "claim", "999", "--yes"], ["no claim with id 999"]),
    (["list", "quotes", "--from", "2021-02-30"], ["from date"]),
    (["list", "quotes", "--from", "2021-05", "--to", "2021-04"], ["before it starts"]),
    (["search", '"*'], ["give some words"]),
    (["due", "--on", "2021-13-01"], ["--on"]),
    (["due", "--on", "2021-05"], ["needs a day"]),
    (["speakers", "merge", "1", "1", "--yes"], ["into itself"]),
    (["speakers", "merge", "1", "999", "--yes"], ["no speaker with id 999"]),
    (["speakers", "unmerge", "1"], ["no merge to undo"]),
    (["speakers", "split", "1", "Nobody"], ["no alias 'Nobody'"]),
    (["speakers", "alias", "add", "1", "Biden"], ["already has the alias"]),
    (["speakers", "alias", "remove", "1", "Nobody"], ["no alias"]),
]


def _seed(db: Database) -> None:
    """Speaker 1 (with a quote and a Wikidata id), source 1 cited by quote 1,
    claim 1 resting on it."""
    speaker = svc.add_speaker(db, "Joe Biden", aliases=["Biden"], wikidata_qid="Q6279")
    source = svc.add_source(db, "Transcript")
    quote = svc.add_quote(db, "malarkey", speaker_id=speaker.id, source_id=source.id)
    svc.add_claim(db, "rain", quote_ids=[quote.id])


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once on SQLite (see _seed), copied per test."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    with Database(f"sqlite:///{path}", actor="tester") as db:
        _seed(db)
    assert not Path(f"{path}-wal").exists()  # everything is in the main file
    return path


@pytest.fixture
def seeded(backend: str, db_url: str, request: pytest.FixtureRequest) -> None:
    if backend == "postgresql":
        with Database(db_url, actor="tester") as db:
            _seed(db)
        return
    shutil.copyfile(request.getfixturevalue("seeded_template"), db_url)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(("args", "words"), BAD_INPUT, ids=[" ".join(a)[:40] for a, _ in BAD_INPUT])
def test_bad_input_is_refused_cleanly(
    invoke: Invoke, db_url: str, args: list[str], words: list[str]
) -> None:
    before = dump(db_url)
    refused(invoke(*args), *words)
    assert dump(db_url) == before


@pytest.mark.usefixtures("seeded")
def test_set_without_a_value_is_a_usage_error(invoke: Invoke, db_url: str) -> None:
    before = dump(db_url)
    usage_error(invoke("edit", "quote", "1", "--set", "text"), "--set", "FIELD=VALUE")
    assert dump(db_url) == before


@pytest.mark.usefixtures("seeded")
def test_a_far_future_month_is_not_a_crash(invoke: Invoke, db_path: Path) -> None:
    result = invoke("list", "quotes", "--to", "9999-12", "--json")
    assert result.exit_code == 0 or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_a_file_that_is_not_a_database(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    content = b"Meeting notes: not a database at all.\n" * 100
    path.write_bytes(content)
    for args in (["list", "quotes"], ["add", "speaker", "Ada"], ["demo"], ["db", "upgrade"]):
        refused(invoke(*args, db=str(path)), "is not an SQLite database", str(path))
    assert path.read_bytes() == content


def test_a_folder_that_does_not_exist(invoke: Invoke, tmp_path: Path) -> None:
    refused(invoke("list", "quotes", db=str(tmp_path / "nope" / "t.db")), "does not exist")
    assert not (tmp_path / "nope").exists()


def test_a_database_from_a_newer_tracker(invoke: Invoke, db_url: str) -> None:
    ok(invoke("add", "source", "Transcript"))
    execute(db_url, "UPDATE alembic_version SET version_num = 'ffff9999'")
    before = dump(db_url)
    refused(invoke("list", "sources"), "ffff9999", "newer", "upgrade tracker")
    refused(invoke("db", "upgrade"), "newer")
    assert dump(db_url) == before


@pytest.mark.sqlite_only("opens the SQLite file read-only (mode=ro)")
def test_a_read_only_database(demo_db: Database, invoke: Invoke, db_path: Path) -> None:
    demo_db.close()
    before = dump(db_path)
    readonly = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    # Reading works...
    hits = json_of(invoke("search", "killer", "--json", db=readonly))
    assert "Joe Biden" in {h["speaker"] for h in hits}
    # ...writing is refused with one clear line.
    for args in (
        ["add", "speaker", "Ada"],
        ["add", "quote", "words", "--speaker", "1"],
        ["review", "2", "--rating", "Promise Kept"],
        ["edit", "quote", "1", "--set", "notes=x"],
        ["delete", "claim", "1", "--yes"],
    ):
        refused(invoke(*args, db=readonly), "read-only")
    assert dump(db_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
@pytest.mark.sqlite_only("the SQLite file's permissions")
def test_a_database_without_write_permission(
    demo_db: Database, invoke: Invoke, db_path: Path
) -> None:
    demo_db.close()
    before = dump(db_path)
    folder_mode = db_path.parent.stat().st_mode
    db_path.chmod(0o444)
    db_path.parent.chmod(0o555)
    try:
        refused(invoke("add", "speaker", "Ada"), "read-only")
    finally:
        db_path.parent.chmod(folder_mode)
        db_path.chmod(0o644)
    assert dump(db_path) == before


def test_text_that_is_not_utf8(invoke: Invoke, db_url: str, tmp_path: Path) -> None:
    ok(invoke("db", "upgrade"))
    before = dump(db_url)
    text = tmp_path / "latin1.txt"
    text.write_bytes("café".encode("latin-1"))
    result = invoke("add", "source", "Title", "--text-file", str(text))
    refused(result, "not UTF-8")
    assert dump(db_url) == before


def test_declining_a_merge_changes_nothing(seeded: None, invoke: Invoke, db_path: Path) -> None:
    ok(invoke("add", "speaker", "Joseph Biden"))
    before = dump(db_path)
    result = invoke("speakers", "merge", "2", "1", input="n\n")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert dump(db_path) == before


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://ann:s3cret@127.0.0.1:/desk",  # no port after the colon
        "postgresql+psycopg://ann:s3cret@127.0.0.1:abc/desk",
    ],
)
def test_a_url_that_cannot_be_read_is_one_line_without_its_password(
    invoke: Invoke, url: str
) -> None:
    line = refused(invoke("list", "quotes", db=url), "not a database URL")
    assert "s3cret" not in line and "ann:***@" in line

"""Hostile input against every command: ids too big for the database, ids
that are negative, zero or not numbers, bytes that are not UTF-8, control
characters and escape sequences, Rich markup, right-to-left overrides, empty
strings, impossible dates and times at the ends of the calendar, unknown or
malformed ``--set`` fields.

Each case must fail cleanly: exit status 1 with one line "Error: ..." on
stderr, or a usage error (status 2) in click's format; never a traceback;
and the database (loaded with ``tracker demo``) exactly as it was.

Most cases go through CliRunner; the ones that need raw bytes on the
command line or a real standard input run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Invoke, dump, failed_cleanly, ok, usage_error
from click.testing import CliRunner

HUGE = str(2**31)  # one more than the largest id (an INTEGER column on PostgreSQL)
HUGER = "9" * 50
LARGEST = str(2**31 - 1)  # a valid id that no record has
ESC = "\x1b[31mred\x1b[0m"
RLO = "\u202egnp.exe"  # right-to-left override
MARKUP = "[bold red]loud[/bold red]"
SURROGATE = "caf\udce9"  # what Python makes of the bytes b"caf\xe9" in argv
NOT_UTF8 = b"caf\xe9 au lait"

# Demo records used below: speaker 1 (Joe Biden, with quotes), quote 1,
# source 1, claim 1 (a prediction said 2021-03-17 with a verdict on
# 2021-04-15), claim 6 (a fact said 2021-03-18).


def case(*args: str, words: Sequence[str] = (), input: str | bytes | None = None) -> Any:
    shown = " ".join(repr(a)[1:-1] if a.isprintable() else repr(a) for a in args)
    return pytest.param(list(args), tuple(words), input, id=shown[:70])


BAD_IDS = {
    "huge": (HUGE, [HUGE, "not a valid id"]),
    "huger": (HUGER, ["not a valid id", "50 characters"]),
    "zero": ("0", ["0 is not a valid id"]),
    "negative": (" -7 ", ["-7 is not a valid id"]),
    "word": ("abc", ["'abc' is not a valid id"]),
    "empty": ("", ["not a valid id"]),
    "largest": (LARGEST, [LARGEST]),  # valid, but no record has it
}


def ids_in(*command: str, skip: Sequence[str] = ()) -> list[Any]:
    """``command`` with each bad id in place of ``{}``, but those in ``skip``."""
    return [
        case(*(a.replace("{}", bad) for a in command), words=words)
        for name, (bad, words) in BAD_IDS.items()
        if name not in skip
    ]


# A name or an id: words are names, an empty one is refused as such.
NAME = ("word", "empty")
# A cursor or a filter: the largest id is valid and just finds nothing.
FINDS_NOTHING = ("largest",)
# An empty --set value clears the field.
CLEARS = ("empty",)


CASES = [
    # ------------------------------------------------------------ add speaker
    case("add", "speaker", "", words=["name", "empty"]),
    case("add", "speaker", "   ", words=["empty"]),
    case("add", "speaker", ESC, words=["U+001B"]),
    case("add", "speaker", "Bob", "--alias", "\x07", words=["U+0007"]),
    case("add", "speaker", MARKUP, "--kind", "robot", words=["--kind"]),
    case("add", "speaker", RLO, "--notes", "nul\x00", words=["U+0000"]),
    case("add", "speaker", "Bob", "--role", "Mayor;Town;2021-02-30", words=["2021-02-30"]),
    case("add", "speaker", "Bob", "--role", "Mayor;Town;0000-01-01", words=["0000-01-01"]),
    case("add", "speaker", "Bob", "--role", "Mayor;Town;10000-01-01", words=["10000-01-01"]),
    case("add", "speaker", "Bob", "--wikidata", "Q1\x1b", words=["Wikidata"]),
    case("add", "speaker", SURROGATE, words=["argument", "not UTF-8", "byte 4"]),
    # ------------------------------------------------------------ add source
    *ids_in("add", "source", "Title", "--reports-on", "{}"),
    case("add", "source", "", words=["title", "empty"]),
    case("add", "source", "Title\x1b]8;;http://evil\x07", words=["U+001B"]),
    case("add", "source", "Title", "--published", "2021-02-30", words=["2021-02-30"]),
    case("add", "source", "Title", "--published", "0000-01-01", words=["0000-01-01"]),
    case("add", "source", "Title", "--published", "10000-01-01", words=["10000-01-01"]),
    case("add", "source", "Title", "--accessed", "2021-02-30", words=["2021-02-30"]),
    case("add", "source", "Title", "--url", "javascript:alert(1)", words=["http(s)"]),
    case("add", "source", "Title", "--text-file", "-", input=NOT_UTF8, words=["not UTF-8"]),
    case("add", "source", "Title", "--text-file", "/no/such/file", words=["--text-file"]),
    # ------------------------------------------------------------ add quote
    *ids_in("add", "quote", "words", "--speaker", "{}", skip=NAME),
    *ids_in("add", "quote", "words", "--speaker", "1", "--source", "{}"),
    case("add", "quote", "words", "--speaker", "-1", words=["--speaker", "-1 is not a valid id"]),
    case("add", "quote", "w", "--speaker", "1", "--start", HUGE, "--end", HUGE, words=["--start"]),
    case("add", "quote", "w", "--speaker", "1", "--start", "-1", "--end", "3", words=["offset"]),
    case("add", "quote", "w", "--speaker", "1", "--start", "0", "--end", HUGER, words=["--end"]),
    case("add", "quote", "-", "--speaker", "1", input=NOT_UTF8, words=["<stdin>", "byte 4"]),
    case("add", "quote", "-", "--speaker", "1", input="", words=["empty"]),
    case("add", "quote", "-", "--speaker", "1", input=ESC, words=["U+001B"]),
    case("add", "quote", "", "--speaker", "1", words=["empty"]),
    case("add", "quote", ESC, "--speaker", "1", words=["U+001B"]),
    case("add", "quote", RLO, "--speaker", "1", "--said", "2021-02-30", words=["2021-02-30"]),
    case("add", "quote", "w", "--speaker", "1", "--said", "0000-01-01", words=["date said"]),
    case("add", "quote", "w", "--speaker", "1", "--said", "10000-01-01", words=["date said"]),
    case("add", "quote", MARKUP, "--speaker", "[red]Nobody[/red]", words=["[red]Nobody[/red]"]),
    case("add", "quote", "w", "--speaker", "", words=["--speaker", "empty"]),
    case("add", "claim", "rain", "--claimant", " ", words=["--claimant", "empty"]),
    case("add", "quote", "w", "--speaker", "abc", words=["no speaker matches 'abc'"]),
    case("add", "quote", "w", "--speaker", "1", "--tag", ESC, words=["tag", "U+001B"]),
    # ------------------------------------------------------------ add claim
    *ids_in("add", "claim", "rain", "--quote", "{}"),
    *ids_in("add", "claim", "rain", "--claimant", "{}", skip=NAME),
    case("add", "claim", "rain", "--quote", "1", "--quote", HUGE, words=["--quote", HUGE]),
    case("add", "claim", "rain", "--kind", "prediction", "--due", "2021-02-30", words=["due"]),
    case("add", "claim", "rain", "--kind", "prediction", "--due", "10000-01-01", words=["due"]),
    case("add", "claim", "rain", "--kind", "prediction", "--due", "0000-01-01", words=["due"]),
    case("add", "claim", "-", input=b"\xff\xfe", words=["<stdin>", "0xFF", "byte 1"]),
    case("add", "claim", "nul \x00", words=["U+0000"]),
    case("add", "claim", "rain", "--claimant", MARKUP, words=["[bold red]"]),
    # ------------------------------------------------------------ review
    *ids_in("review", "{}", "--rating", "True"),
    case("review", "6", "--rating", "True", "--at", "0001-01-01T00:00:00+05:00", words=["--at"]),
    case("review", "6", "--rating", "True", "--at", "9999-12-31T23:59:59-05:00", words=["--at"]),
    case("review", "6", "--rating", "True", "--at", "2021-02-30T00:00Z", words=["--at"]),
    case("review", "6", "--rating", "True", "--at", "0000-01-01T00:00Z", words=["--at"]),
    case("review", "6", "--rating", "True", "--at", "10000-01-01T00:00Z", words=["--at"]),
    case("review", "6", "--rating", "True", "--at", "", words=["--at"]),
    case("review", "6", "--rating", "True", "--at", "0001-01-01T00:00Z", words=["2021-03-18"]),
    case(
        "review",
        "6",
        "--rating",
        "True",
        "--at",
        "2021-03-17T23:59Z",
        words=["2021-03-17", "2021-03-18", "before"],
    ),
    case("review", "6", "--rating", MARKUP, words=["[bold red]loud"]),
    case("review", "6", "--rating", "", words=["not a rating"]),
    case("review", "6", "--rating", "True", "--reviewer", ESC, words=["U+001B"]),
    case("review", "6", "--rating", "True", "--rationale", "\x1b[2J", words=["U+001B"]),
    case("review", "6", "--rating", "True", "--evidence", "\x1b]8;;x\x07", words=["U+001B"]),
    case("review", "6", "--rating", "True", "--scale", "stars", words=["--scale"]),
    # ------------------------------------------------------------ import
    # (the full corpus of broken files is tests/transfer/test_import_bad_input.py)
    case("import", "/no/such/file.csv", words=["cannot read", "/no/such/file.csv"]),
    case("import", "-", "--format", "jsonl", input=b"\xff\xfe{}", words=["<stdin>", "line 1"]),
    case("import", "-", "--format", "csv", input="", words=["<stdin>", "empty"]),
    case("import", "-", "--format", "csv", input="text,speaker\n", words=["no rows"]),
    case(
        "import",
        "-",
        "--format",
        "csv",
        "--map",
        "text=nope",
        input="text,speaker\nhi,Bob\n",
        words=["'nope'", "does not have"],
    ),
    case("import", "-", "--format", "csv", "--map", MARKUP, words=["[bold red]"]),
    case("import", "-", "--format", "csv", "--mapping", "nosuch", words=["no built-in mapping"]),
    # ------------------------------------------------------------ export
    *ids_in("export", "--source", "{}", skip=FINDS_NOTHING),
    *ids_in("export", "--speaker", "{}", skip=NAME),
    case("export", "--kind", "robots", words=["--kind"]),
    case("export", "--format", "xml", words=["--format"]),
    case("export", "--kind", "quotes", "--format", "claimreview", words=["claims, not quotes"]),
    case("export", "--kind", "quotes", "--status", "open", words=["narrow claims"]),
    case("export", "--from", "2021-02-30", words=["2021-02-30"]),
    case("export", "--speaker", MARKUP, words=["[bold red]loud[/bold red]"]),
    case(
        "export", "--format", "claimreview", "--url-base", "javascript:alert(1)", words=["http(s)"]
    ),
    case("export", "--format", "claimreview", "--publisher", ESC, words=["U+001B"]),
    case("export", "--out", "/no/such/folder/x.csv", words=["/no/such/folder"]),
    case("export", "--out", "x.json", words=["--format"]),
    case("export", "--json", words=["--out"]),
    # ------------------------------------------------------------ show
    *ids_in("show", "quote", "{}"),
    *ids_in("show", "claim", "{}"),
    *ids_in("show", "speaker", "{}"),
    *ids_in("show", "source", "{}"),
    case("show", "robot", "1", words=["robot"]),
    case("show", "quote", SURROGATE, words=["argument 7", "byte 4"]),
    # ------------------------------------------------------------ list
    *ids_in("list", "quotes", "--after", "{}", skip=FINDS_NOTHING),
    *ids_in("list", "claims", "--after", "{}", skip=FINDS_NOTHING),
    *ids_in("list", "speakers", "--after", "{}", skip=FINDS_NOTHING),
    *ids_in("list", "sources", "--after", "{}", skip=FINDS_NOTHING),
    *ids_in("list", "quotes", "--speaker", "{}", skip=NAME),
    *ids_in("list", "claims", "--source", "{}", skip=FINDS_NOTHING),
    case("list", "quotes", "--after", "-1", words=["--after", "-1 is not a valid id"]),
    case("list", "quotes", "--speaker", "-1", words=["--speaker", "-1 is not a valid id"]),
    case("list", "quotes", "--speaker", MARKUP, words=["[bold red]loud"]),
    case("list", "quotes", "--speaker", RLO, words=["no speaker matches"]),
    case("list", "quotes", "--from", "2021-02-30", words=["from date"]),
    case("list", "quotes", "--to", "10000-01-01", words=["to date"]),
    case("list", "quotes", "--from", "0000-01-01", words=["from date"]),
    case("list", "quotes", "--limit", "0", words=["--limit"]),
    case("list", "quotes", "--limit", HUGER, words=["--limit"]),
    case("list", "robots", words=["robots"]),
    # ------------------------------------------------------------ search
    *ids_in("search", "killer", "--speaker", "{}", skip=NAME),
    *ids_in("search", "killer", "--source", "{}", skip=FINDS_NOTHING),
    case("search", "", words=["give some words"]),
    case("search", '"*', words=["give some words"]),
    case("search", "killer", "--from", "2021-02-30", words=["from date"]),
    case("search", "killer", "--to", "0000-01-01", words=["to date"]),
    case("search", "killer", "--in", "robot", words=["--in"]),
    case("search", SURROGATE, words=["argument 6", "byte 4"]),
    # ------------------------------------------------------------ due
    case("due", "--on", "2021-02-30", words=["--on"]),
    case("due", "--on", "0000-01-01", words=["--on"]),
    case("due", "--on", "10000-01-01", words=["--on"]),
    case("due", "--on", "2021", words=["needs a day"]),
    case("due", "--on", ESC, words=["--on"]),
    # ------------------------------------------------------------ edit
    *ids_in("edit", "quote", "{}", "--set", "text=x"),
    *ids_in("edit", "claim", "1", "--set", "quote_ids=1,{}", skip=CLEARS),
    *ids_in("edit", "claim", "1", "--set", "claimant_id={}", skip=CLEARS),
    *ids_in("edit", "quote", "1", "--set", "speaker_id={}", skip=CLEARS),
    case("edit", "quote", "1", "--set", "speaker_id=", words=["needs a speaker"]),
    *ids_in("edit", "quote", "1", "--set", "source_id={}", skip=CLEARS),
    *ids_in("edit", "source", "1", "--set", "reports_on_id={}", skip=CLEARS),
    case("edit", "quote", "1", "--set", "text", words=["--set", "FIELD=VALUE"]),
    case("edit", "quote", "1", "--set", "=x", words=["--set", "FIELD=VALUE"]),
    case("edit", "quote", "1", "--set", "", words=["--set", "FIELD=VALUE"]),
    case("edit", "quote", "1", words=["nothing to change"]),
    case("edit", "quote", "1", "--set", "bogus=1", words=["no field bogus"]),
    case("edit", "quote", "1", "--set", "db=x", words=["no field db"]),
    case("edit", "quote", "1", "--set", "expected_version=1", words=["no field expected_version"]),
    case("edit", "quote", "1", "--set", "quote_id=2", words=["no field quote_id"]),
    case("edit", "speaker", "1", "--set", "speaker_id=2", words=["speaker_id"]),
    case("edit", "quote", "1", "--set", "start_offset=-1", words=["start_offset", "offset"]),
    case("edit", "quote", "1", "--set", f"end_offset={HUGE}", words=["end_offset", HUGE]),
    case("edit", "quote", "1", "--set", "said_on=2021-02-30", words=["2021-02-30"]),
    case("edit", "quote", "1", "--set", "said_on=10000-01-01", words=["date said"]),
    case("edit", "quote", "1", "--set", f"text={ESC}", words=["U+001B"]),
    case("edit", "quote", "1", "--set", "text=", words=["quote text"]),
    case("edit", "quote", "1", "--set", f"text={SURROGATE}", words=["argument 9", "byte 9"]),
    case("edit", "quote", "1", "--set", "text=x", "--expect-version", HUGE, words=["version"]),
    case("edit", "quote", "1", "--set", "text=x", "--expect-version", "0", words=["version"]),
    case("edit", "claim", "1", "--set", "said_on=2021-05", words=["2021-04-15", "before"]),
    case("edit", "claim", "1", "--set", "due=0000-01-01", words=["due date"]),
    case("edit", "source", "1", "--set", "published_on=2021-02-30", words=["published"]),
    case("edit", "source", "1", "--set", f"title={MARKUP}\x07", words=["U+0007"]),
    # ------------------------------------------------------------ delete
    *ids_in("delete", "quote", "{}", "--yes"),
    *ids_in("delete", "claim", "{}", "--yes"),
    *ids_in("delete", "speaker", "{}", "--yes"),
    *ids_in("delete", "source", "{}", "--yes"),
    case("delete", "speaker", "1", "--yes", words=["quote(s)"]),
    # ------------------------------------------------------------ undo
    case("undo", "--yes", words=["no change to undo"]),
    case("undo", "now", words=["unexpected extra argument"]),
    # ------------------------------------------------------------ speakers
    *ids_in("speakers", "merge", "{}", "1", "--yes"),
    *ids_in("speakers", "merge", "1", "{}", "--yes"),
    *ids_in("speakers", "unmerge", "{}"),
    *ids_in("speakers", "split", "{}", "Biden"),
    *ids_in("speakers", "split", "1", "Biden", "--quote", "{}"),
    *ids_in("speakers", "alias", "add", "{}", "Joey"),
    *ids_in("speakers", "alias", "add", "1", "Joey", "--role", "{}"),
    *ids_in("speakers", "alias", "remove", "{}", "Biden"),
    case("speakers", "merge", "1", "1", "--yes", words=["into itself"]),
    case("speakers", "alias", "add", "1", ESC, words=["U+001B"]),
    case("speakers", "alias", "add", "1", "", words=["empty"]),
    case("speakers", "alias", "remove", "1", MARKUP, words=["[bold red]loud"]),
    case("speakers", "split", "1", RLO, words=["no alias"]),
    case("speakers", "match", "Biden", "--on", "2021-02-30", words=["--on"]),
    case("speakers", "match", "Biden", "--on", "10000-01-01", words=["--on"]),
    case("speakers", "match", "Biden", "--limit", HUGE, words=["--limit"]),
    case("speakers", "match", "-", input=b"Biden\n\xc3(\n", words=["<stdin>", "0xC3"]),
    case("speakers", "match", "-", input="Biden\t10000-01-01\n", words=["line 1"]),
    case("speakers", "match", "-", input="Biden\t2021-02-30\n", words=["line 1"]),
    # ------------------------------------------------------------ db, demo
    case("db", "upgrade", "nonexistent", words=["nonexistent"]),
    case("db", "upgrade", ESC, words=["cannot migrate"]),
    case("db", "current", "extra", words=["unexpected extra argument"]),
    case("db", "history", "extra", words=["unexpected extra argument"]),
    case("db", "shrink", words=["shrink"]),
    case("db", "copy", "nowhere/at-all.db", "copy.db", words=["no such database file"]),
    case("db", "copy", "postgresql+psycopg://ann:s3cret@h:/x", "copy.db", words=["not a database"]),
    case(
        "db",
        "copy",
        "nowhere/at-all.db",
        "postgresql+psycopg://ann:pw@h:port/x",
        words=["not a database"],
    ),
    case("db", "copy", "nowhere/at-all.db", words=["missing argument"]),
    case("demo", "again", words=["unexpected extra argument"]),
    case("demo", "--article", "nowhere/article.txt", words=["--article", "does not exist"]),
    case("demo", "--json", "--limit", "1", words=["--limit"]),
    # ------------------------------------------------------------ ingest, queue
    case("ingest", "-", "--title", "t", input=NOT_UTF8, words=["<stdin>", "not UTF-8", "byte 4"]),
    case("ingest", "-", "--title", "t", input="ok\n" + ESC, words=["<stdin>", "line 2", "U+001B"]),
    case("ingest", "-", "--title", "t", input="  \n", words=["<stdin>", "empty"]),
    case("ingest", "-", "--title", ESC, input="words", words=["title", "U+001B"]),
    case(
        "ingest", "-", "--title", "t", "--published", "2021-02-30", input="w", words=["2021-02-30"]
    ),
    case(
        "ingest", "-", "--title", "t", "--url", "javascript:alert(1)", input="w", words=["http(s)"]
    ),
    case("ingest", "/no/such/file", "--title", "t", words=["/no/such/file"]),
    # ------------------------------------------------------------ extract
    case("extract", "/no/such/file", words=["/no/such/file", "no such file"]),
    case("extract", "/", words=["folder"]),
    case("extract", __file__, "--date", "2021-02-30", words=["--date", "2021-02-30"]),
    *ids_in("queue", "list", "--source", "{}", skip=FINDS_NOTHING),
    case("queue", "list", "--status", "done", words=["--status"]),
    *ids_in("queue", "show", "{}"),
    *ids_in("queue", "accept", "{}"),
    *ids_in("queue", "accept", "1", "--speaker-id", "{}", skip=FINDS_NOTHING),
    case("queue", "accept", "1", "--speaker-id", "2", "--new-speaker", words=["--speaker-id"]),
    case("queue", "accept", "1", "--text", ESC, words=["no queue item with id 1"]),
    *ids_in("queue", "reject", "{}"),
    *ids_in("queue", "skip", "{}"),
    # ------------------------------------------------------------ verify
    *ids_in("verify", "{}"),
    case("verify", "1", "2", words=["unexpected extra argument"]),
    # ------------------------------------------------------------ global
    case("--user", "", "add", "speaker", "Ada", words=["--user", "empty"]),
    case("--user", ESC, "add", "speaker", "Ada", words=["--user", "U+001B"]),
    case("--user", SURROGATE, "add", "speaker", "Ada", words=["argument 6", "after --user"]),
    case("add", "speaker", "Ada", f"--alias={SURROGATE}", words=["--alias=", "byte 12"]),
    case("frobnicate", words=["frobnicate"]),
]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database filled by ``tracker demo`` (built once, copied per test)."""
    from tracker.cli import cli

    path = tmp_path_factory.mktemp("hostile") / "demo.db"
    ok(CliRunner().invoke(cli, ["--db", str(path), "--user", "demo", "demo"]))
    return path


@pytest.fixture
def demo_copy(backend: str, db_url: str, invoke: Invoke, request: pytest.FixtureRequest) -> str:
    """``--db``'s value for a database filled by ``tracker demo``."""
    if backend == "postgresql":
        ok(invoke("--user", "demo", "demo"))  # as demo_file: not the tester's changes
    else:
        shutil.copyfile(request.getfixturevalue("demo_file"), db_url)
    return db_url


@pytest.mark.parametrize(("args", "words", "stdin"), CASES)
def test_hostile_input_is_refused_cleanly(
    invoke: Invoke,
    demo_copy: str,
    args: list[str],
    words: tuple[str, ...],
    stdin: str | bytes | None,
) -> None:
    before = dump(demo_copy)
    failed_cleanly(invoke(*args, input=stdin), *words)
    assert dump(demo_copy) == before


def test_every_command_has_hostile_cases() -> None:
    """The corpus keeps up with the commands: each one has a case."""
    from tracker.cli import cli

    def leaves(group: Any, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = []
        ctx = None
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if hasattr(command, "list_commands"):
                found += leaves(command, (*prefix, name))
            else:
                found.append((*prefix, name))
        return found

    covered = {tuple(p.values[0]) for p in CASES}
    for command in leaves(cli, ()):
        assert any(args[: len(command)] == command for args in covered), command


# ---------------------------------------------------------------- real process


def run(
    db: str | Path, *args: str | bytes, stdin: bytes = b"", env: dict[str, Any] | None = None
) -> subprocess.CompletedProcess[bytes]:
    environment: dict[str, Any] = {**os.environ, "TRACKER_USER": "hostile"}
    environment.pop("TRACKER_DB", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db), *args],
        input=stdin,
        env=environment,
        capture_output=True,
        timeout=120,
    )


def assert_failed_cleanly(result: subprocess.CompletedProcess[bytes], *words: str) -> str:
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert result.returncode in (1, 2), (result.returncode, stderr)
    assert lines and lines[-1].startswith("Error: "), stderr
    if result.returncode == 1:
        assert len(lines) == 1, stderr
    else:
        assert all(line.startswith(("Usage: ", "Try ")) for line in lines[:-1]), stderr
    for word in words:
        assert word.lower() in lines[-1].lower(), f"{word!r} not in {lines[-1]!r}"
    return lines[-1]


PROCESS_CASES = [
    pytest.param(["search", b"caf\xe9"], b"", ["argument 4", "byte 4", "0xE9"], id="search-bytes"),
    pytest.param(
        ["add", "quote", b"caf\xe9", "--speaker", "1"], b"", ["argument 5"], id="quote-bytes"
    ),
    pytest.param(
        ["add", "quote", "w", "--speaker", b"Jo\xffe"],
        b"",
        ["argument 7", "after --speaker", "byte 3", "0xFF"],
        id="speaker-bytes",
    ),
    pytest.param(
        ["add", "speaker", "Bob", b"--alias=caf\xe9"], b"", ["--alias=", "byte 12"], id="alias="
    ),
    pytest.param(
        ["edit", "quote", "1", "--set", b"text=caf\xe9"], b"", ["after --set", "byte 9"], id="set"
    ),
    pytest.param(["add", "quote", "-", "--speaker", "1"], NOT_UTF8, ["<stdin>"], id="stdin"),
    pytest.param(["add", "source", "T", "--text-file", "-"], b"ok\x80", ["byte 3"], id="file-"),
    pytest.param(["speakers", "match", "-"], b"Biden\n\xe9\n", ["<stdin>"], id="match-stdin"),
    pytest.param(["show", "quote", HUGE], b"", [HUGE, "not a valid id"], id="huge-id"),
    pytest.param(
        ["review", "6", "--rating", "True", "--at", "9999-12-31T23:59:59-05:00"],
        b"",
        ["--at", "outside the calendar"],
        id="calendar-end",
    ),
]


@pytest.mark.parametrize(("args", "stdin", "words"), PROCESS_CASES)
def test_hostile_input_through_a_real_process(
    demo_copy: str, args: list[str | bytes], stdin: bytes, words: list[str]
) -> None:
    before = dump(demo_copy)
    assert_failed_cleanly(run(demo_copy, *args, stdin=stdin), *words)
    assert dump(demo_copy) == before


@pytest.mark.parametrize("name", ["TRACKER_USER", "TRACKER_DB"])
def test_environment_that_is_not_utf8(demo_copy: str, name: str) -> None:
    before = dump(demo_copy)
    result = run(demo_copy, "add", "speaker", "Ada", env={name: b"caf\xe9"})
    assert_failed_cleanly(result, f"${name}", "byte 4")
    assert dump(demo_copy) == before


def test_usage_error_format_is_clicks(invoke: Invoke, demo_copy: str) -> None:
    line = usage_error(invoke("show", "quote", HUGE), "RECORD_ID")
    assert line == (
        f"Error: Invalid value for 'RECORD_ID': {HUGE} is not a valid id "
        f"(ids are whole numbers from 1 to {LARGEST})"
    )

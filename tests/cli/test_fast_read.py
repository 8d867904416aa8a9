"""``show``, ``list quotes|claims`` and ``due`` with ``--json`` read an SQLite
file directly (tracker.services.fast_read, no SQLAlchemy): what they print
is byte for byte what the services path prints, and whatever the direct
read does not handle (filters, search, other URLs, a database to migrate,
a record that is not there) goes through the services, as before.

Each comparison runs the command twice through CliRunner: as a user gets
it (and checks that the direct read answered), and with the direct read
turned off (``AppContext.read_directly`` answering None), which is the
services path. That these commands load only their own sub-command
module and import neither SQLAlchemy nor Rich is checked in fresh
interpreters by tests/test_layering.py."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from cli_helpers import Runs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracker.cli as cli_package
from tracker import services as svc
from tracker.cli import COMMAND_MODULES, cli
from tracker.db import migrate
from tracker.db.database import Database
from tracker.services.speakers import RoleInput

pytestmark = pytest.mark.sqlite_only("the direct read is of SQLite files")

UTC = dt.UTC


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    return Runs(monkeypatch)


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return path


def ids(path: Path, table: str) -> list[int]:
    with sqlite3.connect(path) as con:
        found = [int(r[0]) for r in con.execute(f"SELECT id FROM {table} ORDER BY id")]  # noqa: S608
    con.close()
    return found


# ------------------------------------------------------------------ the demo database


@pytest.mark.parametrize(
    ("kind", "table"),
    [("quote", "quotes"), ("claim", "claims"), ("speaker", "speakers"), ("source", "sources")],
)
def test_show_every_demo_record(runs: Runs, demo_file: Path, kind: str, table: str) -> None:
    numbers = ids(demo_file, table)
    assert numbers
    for number in numbers:
        runs.same(demo_file, "show", kind, str(number), "--json")
    # One that is not there: the services' error, as before.
    result = runs.falls_back(demo_file, "show", kind, str(numbers[-1] + 1), "--json")
    assert result.exit_code == 1
    assert f"there is no {kind} with id {numbers[-1] + 1}" in result.stderr


@pytest.mark.parametrize("what", ["quotes", "claims"])
def test_list_demo_records(runs: Runs, demo_file: Path, what: str) -> None:
    assert runs.same(demo_file, "list", what, "--json").startswith("[\n  {")
    for limit in ("1", "5", "12", "13", "100", "1000"):
        runs.same(demo_file, "list", what, "--limit", limit, "--json")
    for after in ("1", "2", "6", "13", "14", "999999"):
        runs.same(demo_file, "list", what, "--after", after, "--limit", "3", "--json")


def test_due_in_the_demo_database(runs: Runs, demo_file: Path) -> None:
    runs.same(demo_file, "due", "--json")
    days = ["1999-01-01", "2021-05-01", "2021-12-31", "2030-01-01", "9999-12-31"]
    due = {day: runs.same(demo_file, "due", "--on", day, "--json") for day in days}
    assert due["1999-01-01"] == "[]\n"
    assert due["9999-12-31"] != "[]\n"


def test_due_prints_claims_as_list_claims_does(runs: Runs, demo_file: Path) -> None:
    due = json.loads(runs.same(demo_file, "due", "--on", "9999-12-31", "--json"))
    listed = {c["id"]: c for c in json.loads(runs.same(demo_file, "list", "claims", "--json"))}
    assert due
    for claim in due:
        assert claim == listed[claim["id"]]  # the same object, key for key


# ------------------------------------------------------------------ edits, deletes, verdicts


@pytest.fixture
def edited(db: Database, db_path: Path) -> Path:
    """A database with what the demo lacks: edits, deletes (gaps in the
    ids), verdicts with evidence taken back, roles and aliases, source
    chains with texts, and text that must be escaped in JSON."""
    ada = svc.add_speaker(
        db,
        "Ada Lovelace",
        aliases=[("Countess of Lovelace", "variant"), ("A. Lovelace", "name")],
        roles=[RoleInput("Analyst", "Analytical Society", "1840-01-01", "1852-11-27")],
        wikidata_qid="Q7259",
        party="None",
        region="London",
        notes="first programmer",
    ).id
    svc.add_role(db, ada, RoleInput("Countess", None, "1838-06-30"))
    gone = svc.add_speaker(db, "Nobody Atall").id
    bob = svc.add_speaker(db, "Bob \u202eSmith [bold]", kind="organisation").id
    svc.delete_speaker(db, gone)
    text = "The Analytical Engine weaves algebraical patterns. " * 4
    primary = svc.add_source(
        db,
        "Notes by the translator",
        authors=["Ada Lovelace", "L. F. Menabrea"],
        url="https://example.org/notes",
        published_on="1843-09",
        accessed_on="2024-02-29",
        full_text=text,
        kind="document",
    ).id
    report = svc.add_source(db, "A report", publisher="Gazette", reports_on_id=primary).id
    svc.add_source(db, "A report on the report", reports_on_id=report)
    svc.update_source(db, report, notes="edited")
    q1 = svc.add_quote(
        db,
        "weaves algebraical patterns",
        speaker_id=ada,
        source_id=primary,
        start_offset=text.index("weaves"),
        end_offset=text.index("weaves") + len("weaves algebraical patterns"),
        tags=["Zeta", "alpha", "Économie", "élan"],
        said_on="1843",
    ).id
    q2 = svc.add_quote(db, "a deleted one", speaker_id=bob)
    q3 = svc.add_quote(
        db,
        "Bi\u200bden said \u202e[red]\n\ttabs 🇬🇧 \U0001f600",
        speaker_id=bob,
        source_id=report,
        mode="indirect",
        venue="a hall",
        notes="line one\nline two",
    ).id
    svc.update_quote(db, q1, tags=["b", "alpha"], notes="checked")
    svc.delete_quote(db, q2.id)
    claim = svc.add_claim(
        db, "The engine will compose music", kind="prediction", quote_ids=[q3, q1], due="1900-01-01"
    ).id
    svc.add_claim(db, "kept", kind="promise", claimant_id=ada, due="1850-01-01", tags=["z", "a"])
    fact = svc.add_claim(db, "a fact, no claimant", tags=["x"]).id
    svc.add_review(
        db,
        claim,
        rating="Pending",
        rationale="too early \u2028 to tell",
        reviewed_at=dt.datetime(
            2020, 5, 17, 23, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5))
        ),
        evidence=["https://example.org/a", "https://example.org/b"],
    )
    taken_back = svc.add_review(
        db, claim, rating="Came True", reviewed_at=dt.datetime(2021, 1, 1, tzinfo=UTC)
    )
    svc.delete_review(db, taken_back.id)
    svc.add_review(
        db, fact, rating="Mostly True", reviewed_at=dt.datetime(2022, 3, 4, 5, 6, 7, tzinfo=UTC)
    )
    # Given later, for an earlier day: listed first, and not the status.
    svc.add_review(db, fact, rating="True", reviewed_at=dt.datetime(2021, 6, 1, tzinfo=UTC))
    gone_claim = svc.add_claim(db, "deleted claim", kind="promise", due="1860-01-01").id
    svc.delete_claim(db, gone_claim)
    return db_path


def test_an_edited_database_reads_the_same(runs: Runs, edited: Path) -> None:
    for kind, table in (
        ("quote", "quotes"),
        ("claim", "claims"),
        ("speaker", "speakers"),
        ("source", "sources"),
    ):
        for number in ids(edited, table):
            runs.same(edited, "show", kind, str(number), "--json")
    for what in ("quotes", "claims"):
        for limit in ("1", "2", "50"):
            runs.same(edited, "list", what, "--limit", limit, "--json")
        runs.same(edited, "list", what, "--after", "3", "--json")
    for day in ("1849-12-31", "1850-01-01", "1900-01-01", "2100-01-01"):
        runs.same(edited, "due", "--on", day, "--json")
    runs.same(edited, "due", "--json")


def test_what_an_edited_database_prints(runs: Runs, edited: Path) -> None:
    # The direct read's answer, as a user sees it (not only "the same").
    claim = json.loads(runs.same(edited, "show", "claim", "1", "--json"))
    assert claim["quote_ids"] == [1, 3]
    assert [r["rating"] for r in claim["reviews"]] == ["Pending"]
    assert claim["reviews"][0]["reviewed_at"] == "2020-05-18T04:30:00.123456Z"
    assert claim["reviews"][0]["rating_value"] == -1.0
    assert claim["reviews"][0]["evidence"] == ["https://example.org/a", "https://example.org/b"]
    fact = json.loads(runs.same(edited, "show", "claim", "3", "--json"))
    assert [r["rating"] for r in fact["reviews"]] == ["True", "Mostly True"]
    assert (fact["status"], fact["status_final"]) == ("Mostly True", True)
    quote = runs.same(edited, "show", "quote", "3", "--json")
    assert "\\u200b" in quote and "\\u202e" in quote  # escaped, never raw
    assert [s["title"] for s in json.loads(quote)["source_chain"]] == [
        "A report",
        "Notes by the translator",
    ]
    source = json.loads(runs.same(edited, "show", "source", "3", "--json"))
    assert [s["id"] for s in source["source_chain"]] == [2, 1]
    speaker = json.loads(runs.same(edited, "show", "speaker", "1", "--json"))
    assert [r["title"] for r in speaker["roles"]] == ["Analyst", "Countess"]
    assert (speaker["quote_count"], speaker["claim_count"]) == (1, 1)
    due = json.loads(runs.same(edited, "due", "--on", "1900-01-01", "--json"))
    assert [c["id"] for c in due] == [2, 1]  # oldest due first; the deleted one gone
    quotes = json.loads(runs.same(edited, "list", "quotes", "--json"))
    assert [q["id"] for q in quotes] == [3, 1]  # 2 was deleted
    assert quotes[1]["tags"] == ["alpha", "b"]


# ------------------------------------------------------------------ property


@dataclass(frozen=True)
class ClaimSpec:
    quotes: list[int]
    kind: str
    due_in: int | None  # days after 2021-01-01
    verdicts: list[str]
    take_back: bool


RATINGS = {
    "fact": ["True", "False", "Half True"],
    "opinion": ["True"],
    "prediction": ["Pending", "Came True", "Unresolvable"],
    "promise": ["In the Works", "Promise Kept", "Stalled"],
}
claim_specs = st.builds(
    ClaimSpec,
    quotes=st.lists(st.integers(0, 5), max_size=3, unique=True),
    kind=st.sampled_from(sorted(RATINGS)),
    due_in=st.none() | st.integers(0, 400),
    verdicts=st.lists(st.integers(0, 2), max_size=3).map(lambda xs: [str(x) for x in xs]),
    take_back=st.booleans(),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    quotes=st.lists(
        st.tuples(
            st.integers(0, 2),
            st.lists(
                st.sampled_from(["war", "Health", "élan", "économie"]), max_size=3, unique=True
            ),
            st.booleans(),
        ),
        max_size=6,
    ),
    claims=st.lists(claim_specs, max_size=5),
    deleted_quotes=st.lists(st.integers(0, 5), max_size=2, unique=True),
    deleted_claims=st.lists(st.integers(0, 4), max_size=2, unique=True),
    limit=st.integers(1, 8),
    day=st.integers(0, 500),
)
def test_any_database_reads_the_same(
    empty_template: Path,  # session-scoped: the same file for every example
    quotes: list[tuple[int, list[str], bool]],
    claims: list[ClaimSpec],
    deleted_quotes: list[int],
    deleted_claims: list[int],
    limit: int,
    day: int,
) -> None:
    start = dt.date(2021, 1, 1)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as monkeypatch:
        runs = Runs(monkeypatch)
        path = Path(folder) / "example.db"
        shutil.copyfile(empty_template, path)
        db = Database(f"sqlite:///{path}", actor="tester")
        try:
            speakers = [svc.add_speaker(db, n).id for n in ("Ada", "Bob Smith", "Zoë")]
            quote_ids = []
            for n, (speaker, tags, edited) in enumerate(quotes):
                quote = svc.add_quote(
                    db, f"quote {n}", speaker_id=speakers[speaker], tags=tags, said_on="2021"
                )
                if edited:
                    svc.update_quote(db, quote.id, tags=list(reversed(tags)), venue="here")
                quote_ids.append(quote.id)
            claim_ids = []
            for n, spec in enumerate(claims):
                dated = spec.kind in ("prediction", "promise") and spec.due_in is not None
                claim = svc.add_claim(
                    db,
                    f"claim {n}",
                    kind=spec.kind,
                    quote_ids=[quote_ids[i] for i in spec.quotes if i < len(quote_ids)],
                    said_on="2021-01-01",
                    due=start + dt.timedelta(days=spec.due_in or 0) if dated else None,
                    claimant_id=None if spec.quotes else speakers[n % 3],
                )
                reviews = [
                    svc.add_review(
                        db,
                        claim.id,
                        rating=RATINGS[spec.kind][int(v) % len(RATINGS[spec.kind])],
                        reviewed_at=dt.datetime(2022, 1, 1, tzinfo=UTC) + dt.timedelta(hours=i),
                    )
                    for i, v in enumerate(spec.verdicts)
                ]
                if spec.take_back and reviews:
                    svc.delete_review(db, reviews[-1].id)
                claim_ids.append(claim.id)
            for i in deleted_quotes:
                if i < len(quote_ids):
                    svc.delete_quote(db, quote_ids[i])
            for i in deleted_claims:
                if i < len(claim_ids):
                    svc.delete_claim(db, claim_ids[i])
            # Read while the writer is still open (its changes may be in the -wal).
            for what in ("quotes", "claims"):
                runs.same(path, "list", what, "--limit", str(limit), "--json")
            on = (start + dt.timedelta(days=day)).isoformat()
            runs.same(path, "due", "--on", on, "--json")
            for number in ids(path, "claims"):
                runs.same(path, "show", "claim", str(number), "--json")
            for number in ids(path, "quotes"):
                runs.same(path, "show", "quote", str(number), "--json")
        finally:
            db.close()


# ------------------------------------------------------------------ what falls back


@pytest.mark.parametrize(
    "args",
    [
        ["list", "quotes", "--speaker", "Joe Biden", "--json"],
        ["list", "quotes", "--tag", "withdrawal", "--json"],
        ["list", "quotes", "--mode", "direct", "--json"],
        ["list", "quotes", "--from", "2021-03", "--json"],
        ["list", "quotes", "--text", "withdrawal", "--json"],
        ["list", "claims", "--status", "open", "--json"],
        ["list", "claims", "--kind", "promise", "--json"],
        ["list", "claims", "--source", "1", "--json"],
        ["list", "claims", "--text", "", "--json"],
        ["list", "speakers", "--json"],
        ["list", "sources", "--json"],
        ["list", "quotes", "--limit", "3"],  # a table for people
        ["show", "quote", "1"],
        ["due"],
    ],
)
def test_filters_search_and_tables_use_the_services(
    runs: Runs, demo_file: Path, args: list[str]
) -> None:
    result = runs.falls_back(demo_file, *args)
    assert result.exit_code == 0, result.output
    assert runs.answers == []  # not even tried


def test_a_url_that_is_not_a_plain_sqlite_file(runs: Runs, demo_file: Path) -> None:
    url = f"sqlite:///{demo_file}?timeout=5"  # read by SQLAlchemy, not as a plain path
    for args in (["show", "quote", "1", "--json"], ["list", "claims", "--json"], ["due", "--json"]):
        assert runs.falls_back(url, *args).exit_code == 0


def test_a_database_to_migrate_is_migrated_by_the_services(
    runs: Runs, demo_file: Path, demo_template: Path, tmp_path: Path
) -> None:
    expected = runs.same(demo_file, "show", "claim", "1", "--json")
    old = tmp_path / "old.db"
    shutil.copyfile(demo_template, old)
    with Database(f"sqlite:///{old}", actor="tester") as opened:
        migrate.downgrade(opened.engine, "0003")
    result = runs.run(old, "show", "claim", "1", "--json")
    assert runs.answers == [None]  # not read directly: the services opened it...
    assert result.exit_code == 0 and result.stdout == expected
    runs.same(old, "show", "claim", "1", "--json")  # ...and migrated it, as before


def test_a_database_from_a_newer_tracker(runs: Runs, demo_file: Path) -> None:
    with sqlite3.connect(demo_file) as con:
        con.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    con.close()
    result = runs.falls_back(demo_file, "show", "quote", "1", "--json")
    assert result.exit_code == 1 and result.stdout == ""


def test_a_damaged_database(runs: Runs, demo_file: Path) -> None:
    with sqlite3.connect(demo_file) as con:
        con.execute("DROP TABLE claim_tags")
    con.close()
    runs.same(demo_file, "show", "quote", "1", "--json")  # needs no claim tags
    runs.falls_back(demo_file, "show", "claim", "1", "--json")
    runs.falls_back(demo_file, "due", "--json")


def test_a_missing_file(runs: Runs, tmp_path: Path) -> None:
    # Whatever opening a missing file does (as before), the direct read
    # neither does it differently nor leaves a file behind.
    fast = runs.run(tmp_path / "one" / "missing.db", "show", "quote", "1", "--json")
    assert runs.answers == [None]
    slow = runs.services(tmp_path / "two" / "missing.db", "show", "quote", "1", "--json")
    assert (fast.exit_code, fast.stdout) == (slow.exit_code, slow.stdout)
    assert fast.stderr.replace("one", "two") == slow.stderr
    assert fast.exit_code == 1 and not (tmp_path / "one").exists()


def test_a_bad_user_name_fails_alike(runs: Runs, demo_file: Path) -> None:
    result = runs.falls_back(
        demo_file, "show", "quote", "1", "--json", env={"TRACKER_USER": "bad\u200bname"}
    )
    assert result.exit_code == 1 and "TRACKER_USER" in result.stderr


# ------------------------------------------------------------------ one module per command


def test_the_command_map_is_the_commands_the_modules_register() -> None:
    group = click.Group()
    for module in sorted(set(COMMAND_MODULES.values())):
        __import__(f"tracker.cli.{module}", fromlist=["register"]).register(group)
    registered = {
        name: command.callback.__module__.rsplit(".", 1)[-1]
        for name, command in group.commands.items()
        if command.callback is not None
    }
    assert registered == COMMAND_MODULES
    assert set(cli.list_commands(click.Context(cli))) == set(COMMAND_MODULES)
    # A module of tracker.cli that registers commands but is not in the map
    # would never be loaded: its commands would not exist.
    folder = Path(cli_package.__file__).parent
    registering = {
        path.stem for path in folder.glob("*.py") if "\ndef register(" in path.read_text("utf-8")
    }
    assert registering == set(COMMAND_MODULES.values())

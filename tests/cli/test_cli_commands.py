"""Every command through CliRunner: what it prints, and its --json shape."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from cli_helpers import Invoke, count, dump, json_of, ok

from tracker import services as svc
from tracker.db import migrate
from tracker.db.database import Database

# ---------------------------------------------------------------- add


def test_add_speaker(invoke: Invoke) -> None:
    result = ok(
        invoke(
            "add", "speaker", "Joe Biden", "--alias", "Biden", "--misspelling", "Jo Bidden",
            "--role", "President;United States;2021-01-20", "--wikidata", "Q6279",
        )
    )  # fmt: skip
    assert "Added speaker 1: Joe Biden" in result.stdout
    data = json_of(invoke("show", "speaker", "1", "--json"))
    assert data["name"] == "Joe Biden"
    assert data["wikidata_qid"] == "Q6279"
    assert [(a["text"], a["kind"]) for a in data["aliases"]] == [
        ("Biden", "name"),
        ("Jo Bidden", "misspelling"),
    ]
    assert data["roles"][0]["title"] == "President"
    assert data["roles"][0]["start"] == "2021-01-20"
    human = ok(invoke("show", "speaker", "1")).stdout
    assert "Joe Biden" in human and "Jo Bidden (misspelling)" in human


def test_add_speaker_json(invoke: Invoke) -> None:
    data = json_of(invoke("add", "speaker", "Taliban", "--kind", "organisation", "--json"))
    assert (data["id"], data["name"], data["kind"]) == (1, "Taliban", "organisation")


def test_add_source_with_text_file_and_chain(invoke: Invoke, tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("Biden said Putin is a killer.", encoding="utf-8")
    first = json_of(invoke("add", "source", "Interview", "--kind", "interview", "--json"))
    second = json_of(
        invoke(
            "add", "source", "Article", "--publisher", "Bloomberg", "--author", "A. Writer",
            "--url", "https://example.org/a", "--published", "2021-03", "--accessed",
            "2021-03-20", "--text-file", str(text), "--reports-on", str(first["id"]), "--json",
        )
    )  # fmt: skip
    assert second["published_on"] == "2021-03"
    assert second["has_text"] is True
    shown = json_of(invoke("show", "source", str(second["id"]), "--json"))
    assert shown["full_text"] == "Biden said Putin is a killer."
    assert [s["id"] for s in shown["source_chain"]] == [first["id"]]
    assert "Interview" in ok(invoke("show", "source", str(second["id"]))).stdout


def test_add_quote_and_claim_by_id(invoke: Invoke, tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("He said Putin is a killer, twice.", encoding="utf-8")
    ok(invoke("add", "speaker", "Joe Biden"))
    ok(invoke("add", "source", "Article", "--text-file", str(text)))
    quote = json_of(
        invoke(
            "add", "quote", "Putin is a killer", "--speaker", "1", "--source", "1", "--mode",
            "indirect", "--said", "March 2021", "--venue", "ABC", "--start", "8", "--end", "25",
            "--tag", "Russia", "--json",
        )
    )  # fmt: skip
    assert quote["speaker"] == "Joe Biden"
    assert quote["said_on"] == "2021-03"
    assert quote["tags"] == ["russia"]
    assert quote["prefix"] == "He said "
    claim = json_of(
        invoke(
            "add", "claim", "Putin is a killer", "--kind", "opinion", "--quote", "1", "--json"
        )
    )  # fmt: skip
    assert claim["claimant"] == "Joe Biden"
    assert claim["quote_ids"] == [1]
    assert claim["said_on"] == "2021-03"
    shown = json_of(invoke("show", "quote", "1", "--json"))
    assert shown["claim_ids"] == [1]
    assert [s["title"] for s in shown["source_chain"]] == ["Article"]
    human = ok(invoke("show", "claim", "1")).stdout
    assert "Putin is a killer" in human and "unreviewed" in human


def test_add_quote_text_from_stdin(invoke: Invoke) -> None:
    ok(invoke("add", "speaker", "Ada"))
    quote = json_of(
        invoke("add", "quote", "-", "--speaker", "1", "--json", input="line one\nline two\n")
    )
    assert quote["text"] == "line one\nline two"


def test_user_text_is_never_markup(invoke: Invoke) -> None:
    ok(invoke("add", "speaker", "[bold]Ada[/bold]"))
    assert "[bold]Ada[/bold]" in ok(invoke("show", "speaker", "1")).stdout


# ---------------------------------------------------------------- review


def test_review(invoke: Invoke) -> None:
    ok(invoke("add", "claim", "Rain by May", "--kind", "prediction", "--due", "2021-05-01"))
    human = ok(invoke("review", "1", "--rating", "pending", "--at", "2021-05-02T10:00Z"))
    assert "Claim 1: Pending (prediction)" in human.stdout
    data = json_of(
        invoke(
            "review", "1", "--rating", "Came True", "--rationale", "It rained", "--evidence",
            "https://example.org/w", "--at", "2021-05-10T12:00:00+02:00", "--json",
        )
    )  # fmt: skip
    assert data["rating"] == "Came True"
    assert data["reviewed_at"] == "2021-05-10T10:00:00Z"
    assert data["reviewer"] == "cli-tester"
    claim = json_of(invoke("show", "claim", "1", "--json"))
    assert claim["status"] == "Came True"
    assert [r["rating"] for r in claim["reviews"]] == ["Pending", "Came True"]
    assert "Verdicts" in ok(invoke("show", "claim", "1")).stdout


# ---------------------------------------------------------------- list / search / due


def test_list_json_and_paging(demo_db: Database, invoke: Invoke) -> None:
    for what, total in (("quotes", 13), ("claims", 8), ("speakers", 12), ("sources", 3)):
        seen: list[int] = []
        page = json_of(invoke("list", what, "--limit", "5", "--json"))
        while page:
            seen += [r["id"] for r in page]
            page = json_of(invoke("list", what, "--limit", "5", "--after", str(seen[-1]), "--json"))
        assert len(seen) == len(set(seen)) == total, what


def test_list_filters(demo_db: Database, invoke: Invoke) -> None:
    quotes = json_of(invoke("list", "quotes", "--speaker", "1", "--json"))
    assert {q["speaker"] for q in quotes} == {"Joe Biden"}
    assert len(quotes) == 4
    dated = json_of(
        invoke("list", "quotes", "--from", "2021-03-18", "--to", "2021-03-18", "--json")
    )
    # Quotes said "in March 2021" overlap the day; undated ones do not.
    assert {q["said_on"] for q in dated} == {"2021-03-18", "2021-03"}
    tagged = json_of(invoke("list", "claims", "--tag", "russia", "--json"))
    assert [c["id"] for c in tagged] == [8]
    final = json_of(invoke("list", "claims", "--status", "final", "--json"))
    assert {c["id"] for c in final} == {1, 5, 6}
    promises = json_of(invoke("list", "claims", "--kind", "promise", "--json"))
    assert [c["id"] for c in promises] == [2]
    indirect = json_of(invoke("list", "quotes", "--mode", "direct", "--json"))
    assert {q["speaker"] for q in indirect} == {"Michael Kugelman"}
    text = json_of(invoke("list", "quotes", "--text", "deadline", "--json"))
    assert len(text) == 1


def test_list_human_output(demo_db: Database, invoke: Invoke) -> None:
    assert "Joe Biden" in ok(invoke("list", "speakers")).stdout
    assert "(nothing)" in ok(invoke("list", "quotes", "--tag", "nothing-has-this")).stdout


def test_search_json_shape(demo_db: Database, invoke: Invoke) -> None:
    hits = json_of(invoke("search", "killer", "--json"))
    assert isinstance(hits, list) and hits
    for hit in hits:
        assert {"kind", "id", "text", "speaker"} <= set(hit)
        assert hit["kind"] in ("quote", "claim", "speaker")
    quotes = [h for h in hits if h["kind"] == "quote"]
    assert quotes and {h["speaker"] for h in quotes} == {"Joe Biden"}
    assert "that Putin is a killer" in {h["text"] for h in quotes}


def test_search_options(demo_db: Database, invoke: Invoke) -> None:
    only_claims = json_of(invoke("search", "deadline", "--in", "claim", "--json"))
    assert {h["kind"] for h in only_claims} == {"claim"}
    speakers = json_of(invoke("search", "kremlin", "--in", "speaker", "--json"))
    assert [h["text"] for h in speakers] == ["Russia"]
    assert "killer" in ok(invoke("search", "killer")).stdout
    assert json_of(invoke("search", 'a "quoted" NEAR(word) OR -x', "--json")) == []


def test_due_json_shape(demo_db: Database, invoke: Invoke) -> None:
    due = json_of(invoke("due", "--json"))
    assert isinstance(due, list)
    ids = [c["id"] for c in due]
    assert 2 in ids and 1 not in ids
    (claim,) = [c for c in due if c["id"] == 2]
    assert {"id", "text", "claimant", "kind", "due", "status"} <= set(claim)
    assert claim["due"] == "2021-05-01"
    assert (claim["claimant"], claim["kind"], claim["status"]) == ("Joe Biden", "promise", None)
    assert json_of(invoke("due", "--on", "2021-04-30", "--json")) == []
    assert "Due for review" in ok(invoke("due", "--on", "2021-05-01")).stdout


# ---------------------------------------------------------------- edit / delete


def test_edit(demo_db: Database, invoke: Invoke) -> None:
    before = json_of(invoke("show", "quote", "12", "--json"))
    result = ok(invoke("edit", "quote", "12", "--set", "said_on=2021-03", "--set", "tags=a, B"))
    assert "Updated quote 12" in result.stdout
    after = json_of(invoke("show", "quote", "12", "--json"))
    assert (after["said_on"], after["tags"]) == ("2021-03", ["a", "b"])
    assert after["version"] == before["version"] + 1
    data = json_of(
        invoke(
            "edit", "quote", "12", "--set", "venue=", "--expect-version",
            str(after["version"]), "--json",
        )
    )  # fmt: skip
    assert data["venue"] is None
    claim = json_of(invoke("edit", "claim", "2", "--set", "due=", "--json"))
    assert claim["due"] is None
    assert json_of(invoke("due", "--json")) == []


def test_delete_asks_first(demo_db: Database, invoke: Invoke, db_url: str) -> None:
    before = dump(db_url)
    declined = invoke("delete", "quote", "12", input="n\n")
    assert declined.exit_code == 1
    assert "Delete quote 12?" in declined.output
    assert dump(db_url) == before
    ok(invoke("delete", "quote", "12", input="y\n"))
    assert "Deleted claim 8" in ok(invoke("delete", "claim", "8", "--yes")).stdout
    assert count(db_url, "quotes") == 12
    assert count(db_url, "claims") == 7


def test_undo_reverses_my_last_change(demo_db: Database, invoke: Invoke, db_url: str) -> None:
    ok(invoke("delete", "quote", "12", "--yes"))
    assert count(db_url, "quotes") == 12
    declined = invoke("undo", input="n\n")
    assert "deleted quote #12" in declined.output
    assert count(db_url, "quotes") == 12
    assert "restored the deleted quote" in ok(invoke("undo", "--yes")).stdout
    assert count(db_url, "quotes") == 13
    hits = json_of(invoke("search", "Putin is a killer", "--in", "quote", "--json"))
    assert "that Putin is a killer" in [h["text"] for h in hits]


def test_undo_with_nothing_to_undo_is_refused(db: Database, invoke: Invoke) -> None:
    result = invoke("undo", "--yes")
    assert result.exit_code == 1
    assert "no change to undo" in result.output


# ---------------------------------------------------------------- demo and db


def test_demo_twice_adds_nothing_the_second_time(invoke: Invoke, db_url: str) -> None:
    first = json_of(invoke("demo", "--json"))
    assert first["created"] > 0
    tables = ("speakers", "speaker_aliases", "sources", "quotes", "claims", "reviews", "audit_log")
    counts = {t: count(db_url, t) for t in tables}
    assert (counts["speakers"], counts["quotes"], counts["claims"]) == (12, 13, 8)
    second = ok(invoke("demo"))
    assert "(0 records added this time)" in " ".join(second.stdout.split())
    assert {t: count(db_url, t) for t in tables} == counts


@pytest.mark.sqlite_only("the first command creates the SQLite file")
def test_db_commands(invoke: Invoke, db_path: Path) -> None:
    head = migrate.head_revision()
    assert head
    current = ok(invoke("db", "current")).stdout
    assert "none: not created yet" in current and head in current
    assert f"at revision {head}" in ok(invoke("db", "upgrade")).stdout
    assert f"revision {head};" in ok(invoke("db", "current")).stdout
    assert head in ok(invoke("db", "history")).stdout


def test_help_and_version_do_not_touch_the_database(invoke: Invoke, db_path: Path) -> None:
    assert "Record who said what" in ok(invoke("--help")).stdout
    assert "0.1.0" in ok(invoke("--version")).stdout
    assert not db_path.exists()


@pytest.mark.sqlite_only("the first command creates the SQLite file")
def test_no_command_on_an_empty_database(
    invoke: Invoke, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("tracker.tui.app") is None:
        result = ok(invoke())
        assert "tracker demo" in result.stdout
    else:  # never start the real TUI in a CLI test: only check it is handed the database
        from tracker.tui import app as tui_app

        started: list[object] = []
        monkeypatch.setattr(tui_app.TrackerApp, "run", lambda self, *a, **k: started.append(self))
        ok(invoke())
        assert len(started) == 1
    assert count(db_path, "alembic_version") == 1


# ---------------------------------------------------------------- speakers


def test_speakers_merge_unmerge_split_alias(invoke: Invoke, db_url: str) -> None:
    ok(invoke("add", "speaker", "Joseph Biden"))
    ok(invoke("add", "speaker", "Joe Biden", "--alias", "Jill Biden"))
    ok(invoke("add", "quote", "malarkey", "--speaker", "2"))
    ok(invoke("add", "quote", "folks", "--speaker", "2"))

    declined = invoke("speakers", "merge", "1", "2", input="n\n")
    assert declined.exit_code == 1 and "2 quote(s)" in declined.output
    assert count(db_url, "speakers") == 2

    merged = json_of(invoke("speakers", "merge", "1", "2", "--json"))
    assert {a["text"] for a in merged["aliases"]} == {"Joe Biden", "Jill Biden"}
    assert count(db_url, "speakers") == 1

    restored = json_of(invoke("speakers", "unmerge", "1", "--json"))
    assert restored["restored"]["id"] == 2
    assert [a["text"] for a in restored["keep"]["aliases"]] == []

    split = json_of(invoke("speakers", "split", "2", "Jill Biden", "--quote", "2", "--json"))
    assert split["name"] == "Jill Biden"
    assert json_of(invoke("show", "quote", "2", "--json"))["speaker_id"] == split["id"]

    added = json_of(invoke("speakers", "alias", "add", "1", "Uncle Joe", "--json"))
    assert [a["text"] for a in added["aliases"]] == ["Uncle Joe"]
    assert "removed" in ok(invoke("speakers", "alias", "remove", "1", "Uncle Joe")).stdout
    assert "Merged into" in ok(invoke("speakers", "merge", "1", "2", "--yes")).stdout


# ---------------------------------------------------------------- names (need tracker.matching)


def test_speaker_given_by_name(demo_db: Database, invoke: Invoke) -> None:
    quote = json_of(invoke("add", "quote", "Folks, listen", "--speaker", "Joe Biden", "--json"))
    assert quote["speaker_id"] == 1
    claims = json_of(invoke("list", "claims", "--speaker", "Joe Biden", "--json"))
    assert {c["claimant"] for c in claims} == {"Joe Biden"}
    new = json_of(
        invoke(
            "add", "quote", "Hello", "--speaker", "Zzyzx Quartermaine", "--new-speaker", "--json"
        )
    )
    assert new["speaker"] == "Zzyzx Quartermaine"
    assert svc.find_by_name(demo_db, "Zzyzx Quartermaine")


def test_speakers_match(demo_db: Database, invoke: Invoke) -> None:
    result = json_of(invoke("speakers", "match", "Joe Biden", "--json"))
    assert result["decision"] == "same"
    assert result["candidates"][0]["speaker_id"] == 1
    lines = ok(invoke("speakers", "match", "-", input="Joe Biden\nSergei Lavrov\t2021-03-18\n"))
    assert len(lines.stdout.splitlines()) == 2
    assert "Joe Biden" in ok(invoke("speakers", "match", "Joe Biden")).stdout


def test_the_demo_with_the_seed_article_verifies(
    invoke: Invoke, shared_seed: Path, tmp_path: Path
) -> None:
    article = shared_seed / "article.txt"
    ok(invoke("demo", "--article", str(article)))
    # A second run adds nothing, the text included.
    assert json_of(invoke("demo", "--article", str(article), "--json"))["created"] == 0
    source = json_of(invoke("show", "source", "3", "--json"))
    assert source["full_text"] == article.read_text(encoding="utf-8")
    checked = {c["quote_id"]: c for c in json_of(invoke("verify", "--json"))}
    assert len(checked) == 13
    assert checked[1]["status"] == "verbatim"  # "killer" with its curly quotation marks
    assert sum(c["status"] == "verbatim" for c in checked.values()) >= 12
    ok(invoke("edit", "quote", "12", "--set", "text=that Putin is a murderer"))
    altered = json_of(invoke("verify", "12", "--json"))[0]
    assert altered["status"] == "altered"
    assert "murderer" in json.dumps(altered["difference"])

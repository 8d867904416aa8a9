"""``tracker ingest`` and ``tracker queue ...`` (issue 13): an article into
the review queue, and deciding its items from a script.

These run the real extractor: each article is one plain quotation with its
speaker named, which any rule set finds; the tests look items up by their
text rather than by position."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from cli_helpers import Invoke, json_of, ok, refused, usage_error
from db_rows import rows_of

LAVROV = '"We will not back down," Sergei Lavrov said on Monday.\n'
OBAMA = 'Talks resumed.\n\n"Change is coming to Geneva," Obama said.\n'
STRANGER = '"Nobody [bold]wins[/bold] a trade war," Zanzibar Quillfeather said.\n'


def article(tmp_path: Path, text: str, name: str = "article.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def ingest(invoke: Invoke, path: str, *more: str) -> Any:
    return json_of(invoke("ingest", path, "--title", "Geneva talks", *more, "--json"))


def item_with(items: list[dict[str, Any]], words: str) -> dict[str, Any]:
    found = [i for i in items if words in i["text"]]
    assert found, [i["text"] for i in items]
    return found[0]


def test_ingest_then_accept_records_one_quote_with_source_speaker_and_date(
    invoke: Invoke, tmp_path: Path
) -> None:
    ok(invoke("add", "speaker", "Sergei Lavrov"))
    done = ingest(invoke, article(tmp_path, LAVROV), "--published", "2024-03-05")
    source_id = done["source"]["id"]
    assert done["reused_source"] is False
    listed = json_of(invoke("queue", "list", "--source", str(source_id), "--json"))
    item = item_with(listed, "We will not back down")
    assert item["status"] == "pending" and item["speaker_guess"] == "same"
    accepted = json_of(invoke("queue", "accept", str(item["id"]), "--json"))
    quote_id = accepted["quote"]["id"]
    assert accepted["item"]["status"] == "accepted" and accepted["item"]["quote_id"] == quote_id
    quote = json_of(invoke("show", "quote", str(quote_id), "--json"))
    assert quote["speaker"] == "Sergei Lavrov"
    assert quote["source_id"] == source_id and quote["said_on"] == "2024-03-05"
    assert "We will not back down" in quote["text"]
    # A second accept is refused, and records nothing.
    refused(invoke("queue", "accept", str(item["id"])), "accepted already", f"quote #{quote_id}")
    assert len(json_of(invoke("list", "quotes", "--json"))) == 1


def test_the_same_article_twice_is_refused_and_changes_nothing(
    invoke: Invoke, tmp_path: Path, db_url: str
) -> None:
    path = article(tmp_path, LAVROV)
    done = ingest(invoke, path)
    before = rows_of(db_url)
    refused(invoke("ingest", path, "--title", "Again"), f"already source #{done['source']['id']}")
    assert rows_of(db_url) == before


def test_an_ambiguous_speaker_asks_for_an_id(invoke: Invoke, tmp_path: Path) -> None:
    barack = json_of(invoke("add", "speaker", "Barack Obama", "--json"))["id"]
    ok(invoke("add", "speaker", "Michelle Obama"))
    items = ingest(invoke, article(tmp_path, OBAMA))["items"]
    item = item_with(items, "Change is coming")
    line = refused(invoke("queue", "accept", str(item["id"])), "Barack Obama", "Michelle Obama")
    assert "--speaker-id" in line
    assert json_of(invoke("list", "quotes", "--json")) == []
    accepted = json_of(
        invoke("queue", "accept", str(item["id"]), "--speaker-id", str(barack), "--json")
    )
    assert accepted["quote"]["speaker_id"] == barack and accepted["speaker_created"] is False


def test_a_new_speaker_is_created_only_with_new_speaker(invoke: Invoke, tmp_path: Path) -> None:
    items = ingest(invoke, article(tmp_path, STRANGER))["items"]
    item = item_with(items, "trade war")
    refused(invoke("queue", "accept", str(item["id"])), "no speaker matches", "--new-speaker")
    assert json_of(invoke("list", "speakers", "--json")) == []
    result = ok(invoke("queue", "accept", str(item["id"]), "--new-speaker"))
    assert "new speaker" in result.stdout
    speakers = json_of(invoke("list", "speakers", "--json"))
    assert [s["name"] for s in speakers] == ["Zanzibar Quillfeather"]


def test_edit_then_accept_and_reject(invoke: Invoke, tmp_path: Path) -> None:
    ok(invoke("add", "speaker", "Sergei Lavrov"))
    item = item_with(ingest(invoke, article(tmp_path, LAVROV))["items"], "back down")
    accepted = json_of(
        invoke("queue", "accept", str(item["id"]), "--text", "We will never back down", "--json")
    )
    assert accepted["quote"]["text"] == "We will never back down"
    other = item_with(ingest(invoke, article(tmp_path, STRANGER, "b.txt"))["items"], "trade war")
    rejected = json_of(invoke("queue", "reject", str(other["id"]), "--json"))
    assert rejected["status"] == "rejected" and rejected["quote_id"] is None
    assert len(json_of(invoke("list", "quotes", "--json"))) == 1
    refused(invoke("queue", "reject", str(other["id"])), "rejected already")
    open_items = json_of(invoke("queue", "list", "--json"))
    assert other["id"] not in [i["id"] for i in open_items]
    everything = json_of(invoke("queue", "list", "--status", "all", "--json"))
    assert {i["status"] for i in everything} >= {"accepted", "rejected"}


def test_markup_in_the_article_is_printed_literally(invoke: Invoke, tmp_path: Path) -> None:
    item = item_with(ingest(invoke, article(tmp_path, STRANGER))["items"], "trade war")
    shown = ok(invoke("queue", "show", str(item["id"]))).stdout
    assert "Nobody [bold]wins[/bold] a trade war" in shown
    assert "\x1b" not in shown


def test_bad_articles_are_one_line_naming_the_file_and_write_nothing(
    invoke: Invoke, tmp_path: Path, db_url: str
) -> None:
    ok(invoke("list", "quotes"))  # the database exists
    before = rows_of(db_url)
    control = article(tmp_path, "First line.\nAbc\x1b[31m red\n", "control.txt")
    refused(invoke("ingest", control, "--title", "t"), "control.txt", "line 2, column 4")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9 said".encode("latin-1"))
    refused(invoke("ingest", str(latin1), "--title", "t"), "latin1.txt", "not UTF-8")
    empty = article(tmp_path, "  \n", "empty.txt")
    refused(invoke("ingest", empty, "--title", "t"), "empty.txt")
    assert rows_of(db_url) == before
    usage_error(invoke("ingest", str(tmp_path / "missing.txt"), "--title", "t"), "missing.txt")
    usage_error(
        invoke("queue", "accept", "1", "--speaker-id", "2", "--new-speaker"), "--speaker-id"
    )
    refused(invoke("queue", "accept", "999"), "no queue item with id 999")
    usage_error(invoke("queue", "list", "--status", "done"), "done")


def test_ingest_through_a_real_process(tmp_path: Path) -> None:
    db = tmp_path / "sub.db"
    path = article(tmp_path, LAVROV)
    run = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db), "ingest", path, "--title", "T"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "queued" in run.stdout and "tracker queue list --source 1" in run.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db), "queue", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0 and "We will not back down" in listed.stdout


def test_accepting_a_passage_typed_by_hand_links_it_and_says_so(
    invoke: Invoke, tmp_path: Path
) -> None:
    ok(invoke("add", "speaker", "Sergei Lavrov"))
    source = json_of(
        invoke("add", "source", "Geneva talks", "--url", "https://example.org/g", "--json")
    )
    typed = json_of(
        invoke(
            "add",
            "quote",
            "We will not back down,",
            "--speaker",
            "Sergei Lavrov",
            "--source",
            str(source["id"]),
            "--json",
        )
    )
    done = ingest(invoke, article(tmp_path, LAVROV), "--url", "https://example.org/g")
    assert done["reused_source"] is True
    item = item_with(done["items"], "We will not back down")
    said = ok(invoke("queue", "accept", str(item["id"]))).stdout
    assert f"is quote {typed['id']} already (by Sergei Lavrov)" in said
    assert "nothing recorded again" in said
    assert len(json_of(invoke("list", "quotes", "--json"))) == 1
    shown = json_of(invoke("queue", "list", "--status", "accepted", "--json"))
    assert [(i["id"], i["quote_id"]) for i in shown] == [(item["id"], typed["id"])]

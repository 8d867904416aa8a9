"""The CLI prints stored text as the TUI draws it: no markup is interpreted,
and no escape sequence, bidi override or other invisible character reaches
the terminal raw, even from a database written by something else. JSON
output carries the exact text."""

from __future__ import annotations

import json

import pytest
from cli_helpers import Invoke, json_of, ok, refused
from db_rows import execute

RLO = "\u202e"
NAME = f"Eve {RLO}evoL [bold]Smith[/bold]"
TITLE = f"Report {RLO}fdp.exe [red]x[/red] :thumbs_up:"
QUOTE = f"We {RLO}won [bold]big[/bold], Bi\u200bden said"
OLD_QUOTE = "old \x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x9b2J \u202eend placeholder"
OLD_NAME = "Mallory \x1b[2J\x1b[31mRed\u202e"

RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u200b")


def assert_safe(text: str) -> None:
    for char in RAW:
        assert char not in text, f"{char!r} printed raw in {text!r}"


@pytest.fixture
def records(invoke: Invoke, db_url: str) -> dict[str, int]:
    speaker = json_of(invoke("add", "speaker", NAME, "--alias", f"E{RLO}ve", "--json"))
    source = json_of(invoke("add", "source", TITLE, "--publisher", "[i]Pub[/i]", "--json"))
    quote = json_of(
        invoke(
            "add", "quote", QUOTE, "--speaker", str(speaker["id"]), "--source", str(source["id"]),
            "--venue", f"{RLO}venue", "--json",
        )
    )  # fmt: skip
    other = json_of(invoke("add", "speaker", "Mallory Red", "--json"))
    old = json_of(
        invoke("add", "quote", "placeholder words", "--speaker", str(other["id"]), "--json")
    )
    execute(db_url, "UPDATE quotes SET text = :text WHERE id = :id", text=OLD_QUOTE, id=old["id"])
    execute(
        db_url, "UPDATE speakers SET name = :name WHERE id = :id", name=OLD_NAME, id=other["id"]
    )
    return {
        "speaker": speaker["id"],
        "source": source["id"],
        "quote": quote["id"],
        "old_speaker": other["id"],
        "old_quote": old["id"],
    }


def test_show_prints_stored_text_visibly(invoke: Invoke, records: dict[str, int]) -> None:
    quote = ok(invoke("show", "quote", str(records["quote"]))).stdout
    assert_safe(quote)
    assert "We <U+202E>won [bold]big[/bold], Bi<U+200B>den said" in quote
    assert "Eve <U+202E>evoL [bold]Smith[/bold]" in quote
    assert "<U+202E>venue" in quote

    old = ok(invoke("show", "quote", str(records["old_quote"]))).stdout
    assert_safe(old)
    assert "old \u241b[31mred\u241b[0m \u241b]8;;http://x\u2407link\\x9b2J" in old
    assert "Mallory \u241b[2J\u241b[31mRed<U+202E>" in old

    speaker = ok(invoke("show", "speaker", str(records["speaker"]))).stdout
    assert_safe(speaker)
    assert "E<U+202E>ve (name)" in speaker

    source = ok(invoke("show", "source", str(records["source"]))).stdout
    assert_safe(source)
    assert "[i]Pub[/i]" in source
    assert ":thumbs_up:" in source  # not turned into an emoji either


def test_list_search_and_match_print_stored_text_visibly(
    invoke: Invoke, records: dict[str, int]
) -> None:
    quotes = ok(invoke("list", "quotes")).stdout
    assert_safe(quotes)
    assert "\u241b[31mred" in quotes
    assert "<U+202E>" in quotes

    for what in ("speakers", "sources"):
        listed = ok(invoke("list", what)).stdout
        assert_safe(listed)
        assert "<U+202E>" in listed

    found = ok(invoke("search", "placeholder")).stdout
    assert_safe(found)
    assert "\u241b[31mred" in found

    matched = ok(invoke("speakers", "match", "Mallory Red")).stdout
    assert_safe(matched)
    assert "\u241b[2J\u241b[31mRed<U+202E>" in matched  # the table may wrap the name


def test_messages_that_echo_stored_names_are_safe(invoke: Invoke, records: dict[str, int]) -> None:
    added = ok(invoke("speakers", "alias", "add", str(records["old_speaker"]), "M. Red")).stdout
    assert_safe(added)
    assert "Mallory \u241b[2J\u241b[31mRed<U+202E>: alias 'M. Red' added" in added

    # An error naming the speaker (stored with ESC) is one safe line.
    line = refused(invoke("speakers", "alias", "remove", str(records["old_speaker"]), "nope"))
    assert_safe(line)
    assert "Mallory \u241b[2J" in line


def test_typed_control_characters_are_refused_without_echoing_them(invoke: Invoke) -> None:
    line = refused(invoke("add", "speaker", "Bad \x1b[31mName"), "control character")
    assert_safe(line)
    line = refused(invoke("add", "quote", "text", "--speaker", f"Nobody {RLO}here"))
    assert_safe(line)


def test_json_carries_the_exact_text(invoke: Invoke, records: dict[str, int]) -> None:
    shown = ok(invoke("show", "quote", str(records["old_quote"]), "--json")).stdout
    assert_safe(shown)  # escaped inside the JSON strings, e.g. \u202e
    assert json.loads(shown)["text"] == OLD_QUOTE
    assert json_of(invoke("show", "quote", str(records["quote"]), "--json"))["text"] == QUOTE
    assert json_of(invoke("show", "speaker", str(records["speaker"]), "--json"))["name"] == NAME
    listed = ok(invoke("list", "quotes", "--json")).stdout
    assert_safe(listed)
    assert {q["text"] for q in json.loads(listed)} == {QUOTE, OLD_QUOTE}
    hits = json_of(invoke("search", "placeholder", "--json"))
    assert [h["text"] for h in hits] == [OLD_QUOTE]
    assert json_of(invoke("show", "source", str(records["source"]), "--json"))["title"] == TITLE


def test_json_lines_from_match_carry_the_exact_text(
    invoke: Invoke, records: dict[str, int]
) -> None:
    result = ok(invoke("speakers", "match", "-", input="Mallory Red\n"))
    assert_safe(result.stdout)
    [line] = result.stdout.splitlines()
    names = [c["name"] for c in json.loads(line)["candidates"]]
    assert OLD_NAME in names


def test_legitimate_text_is_printed_as_it_is(invoke: Invoke) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    ok(invoke("add", "speaker", "Sara"))
    ok(invoke("add", "quote", f"“{persian}” {family}", "--speaker", "1"))
    shown = ok(invoke("show", "quote", "1")).stdout
    assert f"“{persian}” {family}" in shown

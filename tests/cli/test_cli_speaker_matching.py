"""The speaker-matching checks of the issue, through the command line on the demo."""

from __future__ import annotations

import json

from cli_helpers import Invoke, json_of, ok

from tracker import services as svc
from tracker.db.database import Database


def test_misspelled_stephanopoulos_is_found(demo_db: Database, invoke: Invoke) -> None:
    result = json_of(invoke("speakers", "match", "Stephanophoulos", "--json"))
    assert result["decision"] == "same"
    assert result["candidates"][0]["name"] == "George Stephanopoulos"
    assert result["candidates"][0]["why"]


def test_the_us_president_depends_on_the_date(demo_db: Database, invoke: Invoke) -> None:
    lines = ok(
        invoke(
            "speakers",
            "match",
            "-",
            input="the U.S. president\t2021-03-17\nthe U.S. president\t2020-03-17\nthe U.S. president\n",
        )
    ).stdout.splitlines()
    biden, trump, undated = (json.loads(line) for line in lines)
    assert (biden["decision"], biden["candidates"][0]["name"]) == ("same", "Joe Biden")
    assert (trump["decision"], trump["candidates"][0]["name"]) == ("same", "Donald Trump")
    assert undated["decision"] == "maybe"
    assert {c["name"] for c in undated["candidates"]} >= {"Joe Biden", "Donald Trump"}


def test_obama_is_a_question_when_both_obamas_are_known(demo_db: Database, invoke: Invoke) -> None:
    svc.add_speaker(demo_db, "Barack Obama")
    svc.add_speaker(demo_db, "Michelle Obama")
    result = json_of(invoke("speakers", "match", "Obama", "--json"))
    assert result["decision"] == "maybe"
    assert {c["name"] for c in result["candidates"]} == {"Barack Obama", "Michelle Obama"}
    refused = invoke("add", "quote", "Yes we can", "--speaker", "Obama")
    assert refused.exit_code == 1
    assert "could be more than one speaker" in refused.output


def test_a_quote_by_a_misspelled_name_goes_to_the_right_speaker(
    demo_db: Database, invoke: Invoke
) -> None:
    added = json_of(
        invoke("add", "quote", "Is he a killer?", "--speaker", "Stephanophoulos", "--json")
    )
    assert added["speaker"] == "George Stephanopoulos"


def test_each_line_is_answered_in_order_with_bad_dates_named(
    demo_db: Database, invoke: Invoke
) -> None:
    lines = ok(
        invoke("speakers", "match", "-", input="LAVROV, Sergei\nSergey Lavrov\n\nPutin\n")
    ).stdout
    names = [json.loads(line)["candidates"][0]["name"] for line in lines.splitlines()]
    assert names == ["Sergei Lavrov", "Sergei Lavrov", "Vladimir Putin"]
    bad = invoke("speakers", "match", "-", input="Biden\nthe U.S. president\t2021-02-30\n")
    assert bad.exit_code == 1
    assert "line 2" in bad.output

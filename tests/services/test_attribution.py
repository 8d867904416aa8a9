"""One attribution use case for every front end: resolve the speaker (by the
date said), create it only when allowed, record the quote or claim, all in
one unit of work."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from tracker import services as svc
from tracker.cli import cli
from tracker.db.database import Database
from tracker.services import undo
from tracker.services.attribution import (
    NeedsChoice,
    Recorded,
    Refused,
    Who,
    record_claim,
    record_quote,
)


def speaker_count(db) -> int:
    return len(svc.list_speakers(db, limit=1000).items)


@pytest.fixture
def obamas(demo_db):
    svc.add_speaker(demo_db, "Barack Obama")
    svc.add_speaker(demo_db, "Michelle Obama")
    return demo_db


def test_a_confident_match_is_used(demo_db) -> None:
    outcome = record_quote(demo_db, "words", Who(name="Stephanophoulos", allow_new=True))
    assert isinstance(outcome, Recorded)
    assert (outcome.speaker.name, outcome.speaker_created, outcome.decision) == (
        "George Stephanopoulos",
        False,
        "same",
    )
    assert outcome.record.speaker == "George Stephanopoulos"


def test_an_ambiguous_name_is_a_question_even_when_new_speakers_are_allowed(obamas) -> None:
    before = speaker_count(obamas)
    outcome = record_quote(obamas, "Yes we can", Who(name="Obama", allow_new=True))
    assert isinstance(outcome, NeedsChoice) and outcome.decision == "maybe"
    assert {c.name for c in outcome.candidates} >= {"Barack Obama", "Michelle Obama"}
    assert speaker_count(obamas) == before
    picked = next(c.speaker_id for c in outcome.candidates if c.name == "Barack Obama")
    again = record_quote(obamas, "Yes we can", Who(name="Obama", speaker_id=picked))
    assert isinstance(again, Recorded) and again.record.speaker_id == picked


def test_a_person_may_confirm_a_new_speaker_over_a_question(obamas) -> None:
    outcome = record_quote(obamas, "words", Who(name="Obama", confirmed_new=True))
    assert isinstance(outcome, Recorded) and outcome.speaker_created
    assert outcome.speaker.name == "Obama"


def test_no_match_without_permission_is_a_question_and_writes_nothing(demo_db) -> None:
    before = speaker_count(demo_db)
    outcome = record_quote(demo_db, "words", Who(name="Zed Newperson"))
    assert isinstance(outcome, NeedsChoice) and outcome.decision == "new"
    assert speaker_count(demo_db) == before


def test_bad_text_leaves_no_new_speaker_behind(demo_db) -> None:
    before = speaker_count(demo_db)
    outcome = record_quote(demo_db, "   ", Who(name="Zed Newperson", allow_new=True))
    assert isinstance(outcome, Refused) and outcome.field == "quote text"
    assert speaker_count(demo_db) == before
    assert svc.find_by_name(demo_db, "Zed Newperson") == []


def test_a_new_speaker_and_its_quote_are_one_change(demo_db) -> None:
    outcome = record_quote(demo_db, "first words", Who(name="Zed Newperson", allow_new=True))
    assert isinstance(outcome, Recorded) and outcome.speaker_created
    plan = undo.last_change(demo_db)
    assert {(e.entity, e.action) for e in plan.entries} == {
        ("speaker", "create"),
        ("quote", "create"),
    }
    undo.undo(demo_db, plan)
    assert svc.find_by_name(demo_db, "Zed Newperson") == []


@pytest.mark.parametrize(
    ("said", "who_said_it"), [("2021-03-17", "Joe Biden"), ("2019-06-01", "Donald Trump")]
)
def test_a_role_reference_resolves_by_the_date_said(demo_db, said: str, who_said_it: str) -> None:
    outcome = record_quote(demo_db, "words", Who(name="the U.S. president"), said_on=said)
    assert isinstance(outcome, Recorded) and outcome.speaker.name == who_said_it


def test_without_a_date_said_the_sources_date_is_used(demo_db) -> None:
    article = svc.list_sources(demo_db, "Power-Sharing").items[0]  # published 2021-03-18
    outcome = record_quote(demo_db, "words", Who(name="the U.S. president"), source_id=article.id)
    assert isinstance(outcome, Recorded) and outcome.speaker.name == "Joe Biden"


def test_a_claim_with_a_named_claimant(demo_db) -> None:
    outcome = record_claim(
        demo_db, "The deadline will be missed", Who(name="Biden"), kind="prediction"
    )
    assert isinstance(outcome, Recorded) and outcome.record.claimant == "Joe Biden"
    unknown = record_claim(demo_db, "x", Who(name="Zed Newperson"))
    assert isinstance(unknown, NeedsChoice) and unknown.field == "claimant"


def test_two_processes_recording_the_same_new_name_create_one_speaker(demo_db) -> None:
    code = (
        "import sys\n"
        "from tracker import services as svc\n"
        "from tracker.services.attribution import Who, record_quote\n"
        f"db = svc.Database({demo_db.url!r}, actor=sys.argv[1])\n"
        "for n in range(5):\n"
        "    out = record_quote(db, f'{sys.argv[1]} {n}', Who(name='Quentin Newcomer', allow_new=True))\n"
        "    assert type(out).__name__ == 'Recorded', out\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, f"p{n}"], stderr=subprocess.PIPE)
        for n in range(3)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    found = svc.find_by_name(demo_db, "Quentin Newcomer")
    assert len(found) == 1
    assert len(svc.list_quotes(demo_db, svc.Filters(speaker_id=found[0].id)).items) == 15


# The CLI is a thin adapter: the cases the issue names, through the command.
def run(db: Database, *args: str):
    return CliRunner().invoke(cli, ["--db", db.url, *args])


def test_cli_new_speaker_with_an_ambiguous_name_creates_nobody(obamas) -> None:
    before = speaker_count(obamas)
    result = run(obamas, "add", "quote", "words", "--speaker", "Obama", "--new-speaker")
    assert result.exit_code == 1
    assert "could be more than one speaker" in result.output
    assert speaker_count(obamas) == before


def test_cli_empty_text_leaves_no_speaker_behind(demo_db) -> None:
    result = run(demo_db, "add", "quote", "  ", "--speaker", "Zed Newperson", "--new-speaker")
    assert result.exit_code == 1
    assert svc.find_by_name(demo_db, "Zed Newperson") == []

"""The example article: every name form, role references, organisations."""

from __future__ import annotations

import datetime as dt

import pytest
from article_speakers import ARTICLE_NAME_FORMS, ARTICLE_SPEAKERS

from tracker.matching import SpeakerEntry, SpeakerIndex


@pytest.fixture(scope="module")
def index() -> SpeakerIndex:
    return SpeakerIndex(ARTICLE_SPEAKERS)


@pytest.mark.parametrize(("text", "speaker_id"), ARTICLE_NAME_FORMS)
def test_every_article_name_form_is_same(index: SpeakerIndex, text: str, speaker_id: int) -> None:
    res = index.match(text)
    assert res.decision == "same", res.to_dict()
    assert res.candidates[0].speaker_id == speaker_id
    assert res.candidates[0].why


def test_misspelling_resolves_without_a_misspelling_alias(index: SpeakerIndex) -> None:
    george = next(s for s in ARTICLE_SPEAKERS if s.id == 8)
    assert not any(kind == "misspelling" for _t, kind in george.aliases)
    res = index.match("Stephanophoulos")
    assert res.decision == "same"
    assert res.candidates[0].name == "George Stephanopoulos"
    assert "typo of surname" in res.candidates[0].why


def test_us_president_by_date(index: SpeakerIndex) -> None:
    biden = index.match("the U.S. president", on=dt.date(2021, 3, 17))
    assert biden.decision == "same"
    assert biden.candidates[0].name == "Joe Biden"
    assert "2021-03-17" in biden.candidates[0].why

    trump = index.match("the U.S. president", on=dt.date(2020, 3, 17))
    assert trump.decision == "same"
    assert trump.candidates[0].name == "Donald Trump"

    undated = index.match("the U.S. president")
    assert undated.decision == "maybe"
    assert {c.name for c in undated.candidates} == {"Joe Biden", "Donald Trump"}


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("Russia's foreign minister", "Sergei Lavrov"),
        ("the Russian foreign minister", "Sergei Lavrov"),
        ("the foreign minister of Russia", "Sergei Lavrov"),
        ("the Afghan president", "Ashraf Ghani"),
        ("the president of Afghanistan", "Ashraf Ghani"),
        ("Afghanistan's president", "Ashraf Ghani"),
        ("the Russian president", "Vladimir Putin"),
        ("the American president", "Joe Biden"),
        ("the president of the United States", "Joe Biden"),
        ("the US special envoy for Afghanistan", "Zalmay Khalilzad"),
    ],
)
def test_role_phrases_on_article_date(index: SpeakerIndex, phrase: str, name: str) -> None:
    res = index.match(phrase, on=dt.date(2021, 3, 17))
    assert res.decision == "same", res.to_dict()
    assert res.candidates[0].name == name


def test_role_not_held_on_date_is_not_same(index: SpeakerIndex) -> None:
    # Ghani left office on 2021-08-15.
    res = index.match("the Afghan president", on=dt.date(2022, 1, 1))
    assert res.decision != "same"


def test_role_alias_and_reference_without_date_are_maybe(index: SpeakerIndex) -> None:
    res = index.match("Russia's foreign minister")
    assert res.decision == "maybe"
    assert res.candidates[0].name == "Sergei Lavrov"


def test_role_alias_kind_role() -> None:
    idx = SpeakerIndex(
        [
            SpeakerEntry(1, "Ned Price", aliases=(("the State Department spokesman", "role"),)),
            SpeakerEntry(2, "Jen Psaki"),
        ]
    )
    res = idx.match("the State Department spokesman")
    assert res.candidates[0].name == "Ned Price"


def test_obama_surname_alone_is_maybe_with_both() -> None:
    idx = SpeakerIndex(
        [*ARTICLE_SPEAKERS, SpeakerEntry(20, "Barack Obama"), SpeakerEntry(21, "Michelle Obama")]
    )
    res = idx.match("Obama")
    assert res.decision == "maybe"
    assert {c.name for c in res.candidates[:2]} == {"Barack Obama", "Michelle Obama"}
    assert idx.match("Barack Obama").decision == "same"
    assert idx.match("Michelle Obama").candidates[0].name == "Michelle Obama"


def test_surname_alone_with_one_holder_is_same_after_second_is_removed() -> None:
    idx = SpeakerIndex([SpeakerEntry(20, "Barack Obama"), SpeakerEntry(21, "Michelle Obama")])
    assert idx.match("Obama").decision == "maybe"
    idx.remove(21)
    res = idx.match("Obama")
    assert res.decision == "same"
    assert res.candidates[0].name == "Barack Obama"


def test_more_quotes_win_ties() -> None:
    idx = SpeakerIndex(
        [
            SpeakerEntry(1, "Barack Obama", quote_count=2),
            SpeakerEntry(2, "Michelle Obama", quote_count=50),
        ]
    )
    res = idx.match("Obama")
    assert [c.name for c in res.candidates[:2]] == ["Michelle Obama", "Barack Obama"]


def test_organisations_match_by_name(index: SpeakerIndex) -> None:
    res = index.match("the Biden administration")
    assert res.decision == "same"
    assert res.candidates[0].speaker_id == 9
    # The person "Biden" alias still wins for the bare surname.
    assert index.match("Biden").candidates[0].speaker_id == 1


def test_unknown_person_is_new(index: SpeakerIndex) -> None:
    res = index.match("Xavier Quintanilla")
    assert res.decision == "new"


def test_every_candidate_explains_itself(index: SpeakerIndex) -> None:
    for text, _sid in ARTICLE_NAME_FORMS:
        for cand in index.match(text).candidates:
            assert cand.why and cand.matched
            assert 0 <= cand.score <= 100

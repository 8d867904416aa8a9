"""The tuning object and the reasons: thresholds come from one frozen Tuning
held by the index, and every kind of reason renders as it always has."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tracker.matching import DEFAULT_TUNING, RoleEntry, SpeakerEntry, SpeakerIndex, Tuning

D = dt.date
US = "United States"


def _whys(index: SpeakerIndex, query: str, on: dt.date | None = None) -> list[str]:
    return [c.why for c in index.match(query, on).candidates]


# ---------------------------------------------------------------- tuning


def test_index_holds_the_default_tuning_unless_given_one() -> None:
    assert SpeakerIndex().tuning is DEFAULT_TUNING
    strict = Tuning(surname_typo_len=20)
    assert SpeakerIndex(tuning=strict).tuning is strict


def test_tuning_cannot_change_under_a_live_index() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_TUNING.same_at = 50.0  # type: ignore[misc]


def test_inconsistent_tuning_is_refused() -> None:
    with pytest.raises(ValueError, match="new_below"):
        Tuning(new_below=90.0, same_at=88.0)
    with pytest.raises(ValueError, match="rare_df"):
        Tuning(rare_df=1.0)


def test_same_worthy_typo_length_comes_from_the_tuning() -> None:
    people = [SpeakerEntry(1, "George Stephanopoulos"), SpeakerEntry(2, "Jon Stewart")]
    query = "George Stephanophoulos"
    assert SpeakerIndex(people).match(query).decision == "same"
    strict = SpeakerIndex(people, tuning=Tuning(surname_typo_len=20))
    res = strict.match(query)
    assert res.decision == "maybe"
    assert res.candidates[0].speaker_id == 1


def test_role_scores_come_from_the_tuning() -> None:
    role = RoleEntry("President", US, D(2021, 1, 20), None)
    people = [SpeakerEntry(1, "Joe Biden", roles=(role,))]
    index = SpeakerIndex(people, tuning=Tuning(role_held_score=95.0))
    res = index.match("the U.S. president", D(2022, 1, 1))
    assert res.decision == "same"
    assert res.candidates[0].score == 95.0


def test_suggestion_scores_come_from_the_tuning() -> None:
    people = [SpeakerEntry(1, "Sergei Lavrov")]
    default = SpeakerIndex(people).suggest("lav")
    flat = SpeakerIndex(people, tuning=Tuning(prefix_score_span=0.0)).suggest("lav")
    assert default.candidates[0].score == round(60.0 + 39.0 * 3 / 6, 1)
    assert flat.candidates[0].score == 60.0


def test_a_saved_index_keeps_its_tuning(tmp_path) -> None:
    # tracker.services.index_snapshot saves the index to a file (disk.py).
    role = RoleEntry("President", US, D(2021, 1, 20), None, ("the U.S. president",))
    people = [SpeakerEntry(1, "Joe Biden", roles=(role,)), SpeakerEntry(2, "Jill Biden")]
    index = SpeakerIndex(people, tuning=Tuning(role_held_score=95.0))
    queries = [("the U.S. president", D(2022, 1, 1)), ("Biden", None), ("Joe Bidne", None)]
    before = [index.match(q, on) for q, on in queries]
    index.save(tmp_path / "index.sqlite", {})
    opened = SpeakerIndex.open(tmp_path / "index.sqlite")
    assert opened is not None
    copy = opened[0]
    assert copy.tuning == index.tuning
    assert [copy.match(q, on) for q, on in queries] == before
    assert copy.suggest("bi") == index.suggest("bi")


# --------------------------------------------------------------- reasons


def test_alias_reasons() -> None:
    index = SpeakerIndex(
        [
            SpeakerEntry(
                4,
                "George Stephanopoulos",
                aliases=(
                    ("Stephanopolous", "misspelling"),
                    ("G. Stephanopoulos", "variant"),
                    ("George Steph", "name"),
                ),
            )
        ]
    )
    assert _whys(index, "George Stephanopoulos") == ["exact name"]
    assert _whys(index, "Stephanopolous") == ["exact misspelling 'Stephanopolous'"]
    assert _whys(index, "G. Stephanopoulos") == ["exact variant 'G. Stephanopoulos'"]
    assert _whys(index, "George Steph") == ["exact alias 'George Steph'"]
    assert _whys(index, "George Stephanophoulos") == [
        "typo of surname 'stephanopoulos'; via name 'George Stephanopoulos'"
    ]


def test_words_joined_reason() -> None:
    index = SpeakerIndex([SpeakerEntry(1, "Riley Bennier"), SpeakerEntry(2, "Mark Lowe")])
    assert _whys(index, "riley benn ier") == ["exact name; words joined: 'benn ier' as 'bennier'"]


def test_common_name_reason() -> None:
    people = [SpeakerEntry(1, "John Smith")]
    people += [SpeakerEntry(10 + i, f"John Q{chr(97 + i)}rk{chr(97 + i)}") for i in range(25)]
    people += [SpeakerEntry(100 + i, f"P{chr(97 + i)}ter{chr(97 + i)}x Smith") for i in range(25)]
    res = SpeakerIndex(people).match("John Smith")
    assert res.decision == "maybe"
    assert res.candidates[0].why == (
        "exact name; common name (given name and surname both frequent: about 0.03 other "
        "speakers expected to share it by chance), please confirm"
    )


def _office() -> SpeakerIndex:
    return SpeakerIndex(
        [
            SpeakerEntry(
                1,
                "George W. Bush",
                roles=(RoleEntry("President", US, D(2001, 1, 20), D(2009, 1, 20)),),
            ),
            SpeakerEntry(
                2,
                "Jeb Bush",
                roles=(RoleEntry("Governor", "Florida", D(1999, 1, 5), D(2007, 1, 2)),),
            ),
            SpeakerEntry(
                3,
                "Jen Psaki",
                roles=(
                    RoleEntry(
                        "Press Secretary",
                        "White House",
                        D(2021, 1, 20),
                        D(2022, 5, 13),
                        ("the president's spokeswoman",),
                    ),
                ),
            ),
            SpeakerEntry(4, "Ned Price", aliases=(("the State Department spokesman", "role"),)),
        ]
    )


def test_title_held_on_the_date_reason() -> None:
    res = _office().match("President Bush", D(2005, 6, 1))
    assert res.decision == "same"
    assert res.candidates[0].why == (
        "surname only; via name 'George W. Bush'; role 'President, United States' held on "
        "2005-06-01"
    )


def test_role_reasons() -> None:
    index = _office()
    res = index.match("the president's spokeswoman", D(2021, 5, 1))
    assert res.candidates[0].matched == "Press Secretary, White House"
    assert res.candidates[0].why == "reference 'the president's spokeswoman' held on 2021-05-01"
    assert _whys(index, "the president's spokeswoman", D(2023, 5, 1)) == [
        "reference 'the president's spokeswoman' held 2021-01-20 to 2022-05-13, not on 2023-05-01"
    ]
    assert _whys(index, "the president", D(2005, 6, 1)) == [
        "role 'President, United States' held on 2005-06-01; organisation not given"
    ]
    assert _whys(index, "the president") == [
        "role 'President, United States' (2001-01-20 to 2009-01-20); no date given; "
        "organisation not given"
    ]


def test_role_alias_without_roles_matches_its_own_text() -> None:
    index = _office()
    dated = index.match("the State Department spokesman", D(2021, 5, 1))
    assert dated.decision == "same"
    assert dated.candidates[0].matched == "the State Department spokesman"
    assert dated.candidates[0].why == "role alias 'the State Department spokesman' (no dates known)"
    undated = index.match("the State Department spokesman")
    assert undated.candidates[0].matched == "the State Department spokesman"
    assert undated.candidates[0].why == "role alias 'the State Department spokesman'; no date given"


def test_suggestion_reasons() -> None:
    index = SpeakerIndex(
        [SpeakerEntry(4, "George Stephanopoulos", aliases=(("George Steph", "name"),))]
    )
    assert [c.why for c in index.suggest("Stepha").candidates] == [
        "'stepha' starts 'stephanopoulos'"
    ]
    assert [c.why for c in index.suggest("George Ste").candidates] == [
        "typed words match, 'ste' completes a name"
    ]

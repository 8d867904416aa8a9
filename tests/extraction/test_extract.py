"""The extractor on small texts written for these tests: what a
fact-checker would see in `tracker extract`'s list."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extraction import Attribution, extract


def only(found: list[Attribution], mode: str | None = None) -> Attribution:
    chosen = [a for a in found if mode is None or a.mode == mode]
    assert len(chosen) == 1, chosen
    return chosen[0]


def content(a: Attribution) -> list[str]:
    return [span.text for span in a.content]


def assert_slices(text: str, found: list[Attribution]) -> None:
    """Every span's text is exactly the slice of the text it indexes."""
    for a in found:
        spans = [*a.content, *(s for s in (a.cue, a.source) if s is not None)]
        for span in spans:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text
        assert 0.0 <= a.confidence <= 1.0


# ---------------------------------------------------------------- direct quotes
@pytest.mark.parametrize(
    "text",
    [
        "\u201cWe will rebuild the bridge by spring,\u201d said Mayor Ann Lee.",
        '"We will rebuild the bridge by spring," Mayor Ann Lee said.',
        "Mayor Ann Lee said: \u201cWe will rebuild the bridge by spring.\u201d",
    ],
)
def test_a_direct_quote_in_curly_or_straight_marks_before_or_after_its_cue(text: str) -> None:
    found = extract(text)
    a = only(found)
    assert a.mode == "direct"
    assert content(a)[0].startswith("We will rebuild the bridge by spring")
    assert a.cue is not None and a.cue.text == "said"
    assert a.source is not None and "Ann Lee" in a.source.text
    assert a.speaker_name == "Ann Lee"  # the title is not part of the name
    assert_slices(text, found)


def test_a_quote_running_across_paragraphs_is_one_attribution_in_pieces() -> None:
    text = (
        "Tom Hart, the council's treasurer, said:\n\n"
        "\u201cThe budget is short by a third. We have asked the state for help.\n\n"
        "\u201cIf the money does not come, the library closes in June.\u201d\n"
    )
    found = extract(text)
    a = only(found, "direct")
    assert content(a) == [
        "The budget is short by a third. We have asked the state for help.",
        "If the money does not come, the library closes in June.",
    ]
    assert a.speaker_name == "Tom Hart"
    assert_slices(text, found)


def test_a_quote_split_around_its_cue_keeps_both_parts_and_the_right_speaker() -> None:
    text = (
        "Governor Maria Lopez spoke to farmers on Monday. "
        "\u201cIf the rain holds off,\u201d she added, \u201cthe harvest will be the best in years.\u201d"
    )
    found = extract(text)
    a = only(found, "direct")
    assert content(a) == ["If the rain holds off", "the harvest will be the best in years."]
    assert a.cue is not None and a.cue.text == "added"
    assert a.source is not None and a.source.text == "she"
    assert a.speaker_name == "Maria Lopez"


def test_a_quote_without_a_cue_continues_the_previous_speaker() -> None:
    text = (
        "\u201cThe plan will not survive the winter,\u201d said Michael Grant, a senior "
        "fellow at the Harbor Institute in Boston. \u201cNobody has costed it.\u201d"
    )
    found = extract(text)
    first, second = [a for a in found if a.mode == "direct"]
    assert first.source is not None
    assert first.source.text.startswith("Michael Grant, a senior fellow at the Harbor Institute")
    assert first.speaker_name == "Michael Grant"  # the appositive is not part of the name
    assert content(second) == ["Nobody has costed it."]
    assert second.cue is None
    assert second.speaker_name == "Michael Grant"


def test_a_quoted_transcript_is_one_quote_per_speaker() -> None:
    text = (
        "The exchange went on:\n\n"
        "\u201cHOST: Will you raise taxes?\n\n"
        "\u201cSMITH: No, and I have said so many times.\u201d"
    )
    found = [a for a in extract(text) if a.mode == "direct"]
    assert [(a.speaker_name, content(a)) for a in found] == [
        ("Host", ["Will you raise taxes?"]),
        ("Smith", ["No, and I have said so many times."]),
    ]


def test_a_scare_quote_or_a_title_is_not_a_direct_quote() -> None:
    text = "The so-called \u201cgrand bargain\u201d was debated on \u201cMeet the Voters\u201d last week."
    assert [a for a in extract(text) if a.mode == "direct"] == []


# ---------------------------------------------------------------- reported speech
def test_reported_speech_holding_a_quoted_fragment_is_mixed() -> None:
    text = "Senator Dana Park said it will be \u201ctough\u201d to pass the bill before August."
    a = only(extract(text))
    assert a.mode == "mixed"
    assert content(a) == ["it will be \u201ctough\u201d to pass the bill before August"]
    assert a.speaker_name == "Dana Park"


def test_reported_speech_with_a_cue_is_indirect_and_runs_to_the_clause_end() -> None:
    text = (
        "Russian Foreign Minister Ivan Petrov urged both sides to return to the talks. "
        "Officials told reporters that the meeting would take place in Geneva."
    )
    found = extract(text)
    urged, told = found
    assert urged.mode == told.mode == "indirect"
    assert content(urged) == ["both sides to return to the talks"]
    assert urged.speaker_name == "Ivan Petrov"
    assert content(told) == ["the meeting would take place in Geneva"]  # past the addressee
    assert told.source is not None and told.source.text == "Officials"


def test_a_report_cut_around_its_cue_keeps_both_sides() -> None:
    text = (
        "Ann Lee said the road would reopen. If the repairs run late, she added, "
        "it will be by days, not weeks."
    )
    added = [a for a in extract(text) if a.cue is not None and a.cue.text == "added"]
    a = only(added)
    assert content(a) == ["If the repairs run late", "it will be by days, not weeks"]
    assert a.speaker_name == "Ann Lee"


def test_according_to_names_the_source_after_it() -> None:
    text = "According to the county auditor, the account was overdrawn twice."
    a = only(extract(text))
    assert a.cue is not None and a.cue.text == "According to"
    assert a.source is not None and a.source.text == "the county auditor"
    assert content(a) == ["the account was overdrawn twice"]


def test_a_word_that_only_looks_like_a_cue_is_not_one() -> None:
    text = (
        "The ambassador was recalled for consultations. His claims were examined. "
        "The United States sent a team."
    )
    assert extract(text) == []


# ---------------------------------------------------------------- speakers
def test_he_and_she_go_to_the_right_earlier_speaker() -> None:
    text = (
        "When former Senator Paul Rowe handed the committee over to Grant in January, "
        "he had already cut its budget. He stated that he hoped the cuts would last.\n\n"
        "Mr. Tom Hart thanked Ms. Ann Lee for the report. She said the numbers were final."
    )
    found = extract(text)
    stated = next(a for a in found if a.cue and a.cue.text == "stated")
    said = next(a for a in found if a.cue and a.cue.text == "said")
    assert stated.speaker_name == "Paul Rowe"  # the subject, not the last name seen
    assert said.speaker_name == "Ann Lee"  # "she" passes over Mr. Hart


def test_a_surname_alone_is_the_full_name_seen_before() -> None:
    text = (
        "Governor Maria Lopez opened the session. Later, Lopez said the vote would "
        "be delayed by a week."
    )
    said = only(extract(text))
    assert said.source is not None and said.source.text == "Lopez"
    assert said.speaker_name == "Maria Lopez"


def test_a_role_phrase_names_whoever_the_article_gave_the_title() -> None:
    text = (
        "President Joan Avery met the press on Friday. In the same interview, the U.S. "
        "president agreed with the anchor that the treaty was dead."
    )
    agreed = only(extract(text))
    assert agreed.source is not None and agreed.source.text == "the U.S. president"
    assert agreed.speaker_name == "Joan Avery"


def test_a_role_phrase_nobody_held_in_the_text_is_left_for_the_date() -> None:
    # The service resolves it with the article's date (tests/extraction/test_service.py).
    a = only(extract("The U.S. president said the talks would go on."))
    assert a.speaker_name == "U.S. president"


# ---------------------------------------------------------------- hostile input
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "He said \u201cthis never ends",
        '\u201d\u201d\u201c\u201c said said said " " \'',
        'She said "[bold]red[/bold]" and \x1b[31m "ok," he said.',
        "Line one\r\nShe said, \u201cwe go on,\u201d\r\n\r\n\u201cand on.\u201d\r\n",
    ],
)
def test_odd_input_gives_valid_spans_and_never_raises(text: str) -> None:
    assert_slices(text, extract(text))


def test_a_huge_line_is_read_whole() -> None:
    sentence = "\u201cWe need more buses,\u201d said Ann Lee. "
    text = sentence * 5000  # one line of 185,000 characters
    found = extract(text)
    assert len([a for a in found if a.mode == "direct"]) == 5000
    assert_slices(text, found[:50])


def test_offsets_are_string_indices_even_after_wide_characters() -> None:
    text = "\U0001f600\U0001f600 Caf\u00e9 closed. \u201cNo comment,\u201d said Zo\u00eb Brun."
    a = only(extract(text))
    assert text[a.content[0].start : a.content[0].end] == "No comment"
    assert a.speaker_name == "Zo\u00eb Brun"


_PIECES = [
    "said",
    "told",
    "he",
    "She",
    "Ann",
    "Lee",
    "Mr.",
    "U.S.",
    "according to",
    "that",
    ",",
    ".",
    ":",
    "?",
    '"',
    "\u201c",
    "\u201d",
    "\u2018",
    "\u2019",
    "'",
    "''",
    "(",
    ")",
    "\u2014",
    "-",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "WALLACE:",
    "\U0001f600",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80).map("".join))
def test_any_mix_of_marks_cues_and_names_gives_valid_spans(text: str) -> None:
    assert_slices(text, extract(text))

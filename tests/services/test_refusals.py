"""Every validation error of the services: the right error type, a message
that names the problem, and nothing written (no row, no audit entry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import ConflictError, NotFoundError, ValidationError
from tracker.services import merges
from tracker.services.records import SpeakerRecord
from tracker.services.validation import MAX_TEXT

# ``refuses`` (tests/services/conftest.py): raises, names the problem, writes nothing.
Refuses = Callable[..., AbstractContextManager[Any]]

pytestmark = pytest.mark.usefixtures("db")


# ---------------------------------------------------------------- text


@pytest.mark.parametrize("text", ["", "   ", " \n\t \n"])
def test_empty_or_blank_quote_text_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses, text: str
) -> None:
    with refuses(ValidationError, "quote text", "empty"):
        svc.add_quote(db, text, speaker_id=speaker.id)


@pytest.mark.parametrize("text", ["", "  \t  "])
def test_empty_or_blank_claim_text_is_refused(db: Database, refuses: Refuses, text: str) -> None:
    with refuses(ValidationError, "claim text", "empty"):
        svc.add_claim(db, text)


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_speaker_name_is_refused(db: Database, refuses: Refuses, name: str) -> None:
    with refuses(ValidationError, "name", "empty"):
        svc.add_speaker(db, name)


def test_empty_source_title_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(ValidationError, "title", "empty"):
        svc.add_source(db, "  ")


def test_blanking_a_quote_by_update_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    quote = svc.add_quote(db, "words", speaker_id=speaker.id)
    with refuses(ValidationError, "quote text", "empty"):
        svc.update_quote(db, quote.id, text=" ")
    assert svc.get_quote(db, quote.id).text == "words"


def test_text_over_the_limit_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    with refuses(ValidationError, "100,001", "limit is 100,000"):
        svc.add_quote(db, "x" * (MAX_TEXT + 1), speaker_id=speaker.id)
    with refuses(ValidationError, "limit"):
        svc.add_claim(db, "y" * (MAX_TEXT + 1))


def test_text_exactly_at_the_limit_is_accepted(db: Database, speaker: SpeakerRecord) -> None:
    quote = svc.add_quote(db, "x" * MAX_TEXT, speaker_id=speaker.id)
    assert len(svc.get_quote(db, quote.id).text) == MAX_TEXT
    claim = svc.add_claim(db, "y" * MAX_TEXT)
    assert len(svc.get_claim(db, claim.id).text) == MAX_TEXT


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x0b", "\x85"])
def test_control_characters_are_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses, char: str
) -> None:
    code = f"U+{ord(char):04X}"
    with refuses(ValidationError, "quote text", "control character", code):
        svc.add_quote(db, f"red{char}[31m alert", speaker_id=speaker.id)
    with refuses(ValidationError, "claim text", code):
        svc.add_claim(db, f"a claim{char}")
    with refuses(ValidationError, "name", code):
        svc.add_speaker(db, f"Bad{char}Name")
    with refuses(ValidationError, "notes", code):
        svc.add_source(db, "A title", notes=f"n{char}")


def test_tab_and_newline_are_accepted(db: Database, speaker: SpeakerRecord) -> None:
    quote = svc.add_quote(db, "first line\n\tsecond line", speaker_id=speaker.id)
    assert svc.get_quote(db, quote.id).text == "first line\n\tsecond line"


def test_windows_line_ends_become_newlines(db: Database, speaker: SpeakerRecord) -> None:
    quote = svc.add_quote(db, "one\r\ntwo\rthree", speaker_id=speaker.id)
    assert svc.get_quote(db, quote.id).text == "one\ntwo\nthree"


def test_newline_in_a_single_line_field_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(ValidationError, "name", "single line"):
        svc.add_speaker(db, "Two\nLines")


# ---------------------------------------------------------------- unknown ids


def test_quote_with_unknown_speaker_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(NotFoundError, "no speaker with id 999"):
        svc.add_quote(db, "words", speaker_id=999)


def test_quote_with_unknown_source_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    with refuses(NotFoundError, "no source with id 424"):
        svc.add_quote(db, "words", speaker_id=speaker.id, source_id=424)


def test_claim_with_unknown_quote_ids_names_every_missing_one(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    quote = svc.add_quote(db, "words", speaker_id=speaker.id)
    with refuses(NotFoundError, "no quote with id 998, 999"):
        svc.add_claim(db, "a claim", quote_ids=[quote.id, 999, 998])


def test_claim_with_unknown_claimant_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(NotFoundError, "no speaker with id 77"):
        svc.add_claim(db, "a claim", claimant_id=77)


def test_review_of_unknown_claim_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(NotFoundError, "no claim with id 5"):
        svc.add_review(db, 5, rating="True")


@pytest.mark.parametrize(
    ("getter", "word"),
    [
        (svc.get_speaker, "speaker"),
        (svc.get_source, "source"),
        (svc.get_quote, "quote"),
        (svc.get_claim, "claim"),
    ],
)
def test_getting_an_unknown_record_names_it(db: Database, getter: object, word: str) -> None:
    with pytest.raises(NotFoundError, match=f"no {word} with id 31"):
        getter(db, 31)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda db: svc.update_speaker(db, 31, name="X"), "speaker"),
        (lambda db: svc.update_source(db, 31, title="X"), "source"),
        (lambda db: svc.update_quote(db, 31, text="X"), "quote"),
        (lambda db: svc.update_claim(db, 31, text="X"), "claim"),
        (lambda db: svc.delete_speaker(db, 31), "speaker"),
        (lambda db: svc.delete_source(db, 31), "source"),
        (lambda db: svc.delete_quote(db, 31), "quote"),
        (lambda db: svc.delete_claim(db, 31), "claim"),
        (lambda db: svc.add_alias(db, 31, "X"), "speaker"),
    ],
)
def test_changing_an_unknown_record_is_refused(
    db: Database, refuses: Refuses, call: object, word: str
) -> None:
    with refuses(NotFoundError, f"no {word} with id 31"):
        call(db)  # type: ignore[operator]


@pytest.mark.parametrize("bad", [0, -3, "abc"])
def test_ids_that_are_not_positive_numbers_are_refused(
    db: Database, refuses: Refuses, bad: object
) -> None:
    with refuses(ValidationError, "speaker id"):
        svc.add_quote(db, "words", speaker_id=bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("bad", ["2021-02-30", "March 2021x", "13/45/2021", "2021-13", "0999"])
def test_invalid_dates_are_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses, bad: str
) -> None:
    with refuses(ValidationError, "date said", bad):
        svc.add_quote(db, "words", speaker_id=speaker.id, said_on=bad)
    with refuses(ValidationError, "published"):
        svc.add_source(db, "A title", published_on=bad)
    with refuses(ValidationError, "due date"):
        svc.add_claim(db, "a claim", kind="prediction", due=bad)


def test_due_date_needs_a_day(db: Database, refuses: Refuses) -> None:
    with refuses(ValidationError, "due date", "needs a day"):
        svc.add_claim(db, "a claim", kind="prediction", due="2021-05")


def test_due_date_before_the_date_said_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(ValidationError, "due date", "before", "2021-03-17"):
        svc.add_claim(db, "rain", kind="prediction", said_on="2021-03-17", due="2021-03-16")
    # A claim said "in March 2021" may fall due on its first day, not before.
    with refuses(ValidationError, "before"):
        svc.add_claim(db, "rain", kind="prediction", said_on="2021-03", due="2021-02-28")
    assert svc.add_claim(db, "rain", kind="prediction", said_on="2021-03", due="2021-03-01").due


def test_moving_the_date_said_past_the_due_date_is_refused(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain", kind="promise", said_on="2021-03", due="2021-05-01")
    with refuses(ValidationError, "before"):
        svc.update_claim(db, claim.id, said_on="2021-06")


@pytest.mark.parametrize("kind", ["fact", "opinion"])
def test_due_date_on_a_fact_or_opinion_is_refused(
    db: Database, refuses: Refuses, kind: str
) -> None:
    with refuses(ValidationError, "only predictions and promises", kind):
        svc.add_claim(db, "a claim", kind=kind, due="2021-05-01")


def test_turning_a_dated_prediction_into_a_fact_is_refused(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain", kind="prediction", due="2021-05-01")
    with refuses(ValidationError, "only predictions and promises"):
        svc.update_claim(db, claim.id, kind="fact")


def test_role_ending_before_it_starts_is_refused(db: Database, refuses: Refuses) -> None:
    role = svc.RoleInput("President", "Ruritania", "2021-01-01", "2020-01-01")
    with refuses(ValidationError, "ends", "before it starts"):
        svc.add_speaker(db, "Rudolf", roles=[role])


# ---------------------------------------------------------------- verdicts


def test_unknown_rating_lists_the_valid_ones(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain", kind="prediction")
    with refuses(ValidationError, "'Mostly True'", "Pending", "Came True", "Did Not Come True"):
        svc.add_review(db, claim.id, rating="Mostly True")
    with refuses(ValidationError, "Pants on Fire"):
        svc.add_review(db, claim.id, rating="Kinda", scale="truth-o-meter")


def test_unknown_scale_is_refused(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain")
    with refuses(ValidationError, "unknown rating scale", "'stars'", "truth-o-meter"):
        svc.add_review(db, claim.id, rating="True", scale="stars")


def test_review_in_the_future_is_refused(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    with refuses(ValidationError, "in the future"):
        svc.add_review(db, claim.id, rating="True", reviewed_at=later)


def test_review_time_without_a_zone_is_refused(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain")
    with refuses(ValidationError, "time zone"):
        svc.add_review(db, claim.id, rating="True", reviewed_at=dt.datetime(2021, 4, 1, 12))


def test_review_with_bad_evidence_link_is_refused(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain")
    with refuses(ValidationError, "evidence link", "not an http(s) URL"):
        svc.add_review(db, claim.id, rating="True", evidence=["file:///etc/passwd"])


# ---------------------------------------------------------------- offsets


@pytest.fixture
def source_with_text(db: Database) -> svc.SourceRecord:
    return svc.add_source(db, "Transcript", full_text="0123456789" * 3)


def test_end_offset_before_start_is_refused(
    db: Database, speaker: SpeakerRecord, source_with_text: svc.SourceRecord, refuses: Refuses
) -> None:
    with refuses(ValidationError, "end offset (3)", "before the start offset (8)"):
        svc.add_quote(
            db, "34567", speaker_id=speaker.id, source_id=source_with_text.id, start_offset=8,
            end_offset=3,
        )  # fmt: skip


def test_offsets_past_the_source_text_are_refused(
    db: Database, speaker: SpeakerRecord, source_with_text: svc.SourceRecord, refuses: Refuses
) -> None:
    with refuses(ValidationError, "past the end of the source text", "30 characters"):
        svc.add_quote(
            db, "x", speaker_id=speaker.id, source_id=source_with_text.id, start_offset=25,
            end_offset=31,
        )  # fmt: skip


def test_negative_or_single_offsets_are_refused(
    db: Database, speaker: SpeakerRecord, source_with_text: svc.SourceRecord, refuses: Refuses
) -> None:
    with refuses(ValidationError, "start offset", "negative"):
        svc.add_quote(db, "x", speaker_id=speaker.id, start_offset=-1, end_offset=2)
    with refuses(ValidationError, "both the start and the end offset"):
        svc.add_quote(db, "x", speaker_id=speaker.id, start_offset=1)


def test_offsets_within_the_text_keep_context(
    db: Database, speaker: SpeakerRecord, source_with_text: svc.SourceRecord
) -> None:
    quote = svc.add_quote(
        db, "345", speaker_id=speaker.id, source_id=source_with_text.id, start_offset=3,
        end_offset=6,
    )  # fmt: skip
    assert (quote.prefix, quote.suffix) == ("012", "6789" + "0123456789" * 2)


# ---------------------------------------------------------------- sources


def test_source_cannot_report_on_itself(db: Database, refuses: Refuses) -> None:
    source = svc.add_source(db, "Self-referential")
    with refuses(ValidationError, "loop"):
        svc.update_source(db, source.id, reports_on_id=source.id)


def test_source_chain_cannot_loop(db: Database, refuses: Refuses) -> None:
    primary = svc.add_source(db, "Primary")
    middle = svc.add_source(db, "Middle", reports_on_id=primary.id)
    top = svc.add_source(db, "Top", reports_on_id=middle.id)
    with refuses(ValidationError, f"source {primary.id} cannot report on source {top.id}", "loop"):
        svc.update_source(db, primary.id, reports_on_id=top.id)


def test_source_reporting_on_unknown_source_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(NotFoundError, "no source with id 12"):
        svc.add_source(db, "Orphan", reports_on_id=12)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/a", "example.org", "http://", "javascript:alert(1)", "not a url"]
)
def test_bad_urls_are_refused(db: Database, refuses: Refuses, url: str) -> None:
    with refuses(ValidationError, "url", "not an http(s) URL"):
        svc.add_source(db, "A title", url=url)


def test_deleting_a_source_cited_by_quotes_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    source = svc.add_source(db, "Cited")
    svc.add_quote(db, "words", speaker_id=speaker.id, source_id=source.id)
    with refuses(ValidationError, "cited by 1 quote"):
        svc.delete_source(db, source.id)


# ---------------------------------------------------------------- speakers


@pytest.mark.parametrize("qid", ["6279", "Qabc", "Q", "Q12a", "P31"])
def test_bad_wikidata_id_is_refused(db: Database, refuses: Refuses, qid: str) -> None:
    with refuses(ValidationError, "Wikidata id", "Q6279"):
        svc.add_speaker(db, "Joe Biden", wikidata_qid=qid)


def test_duplicate_wikidata_id_is_refused(db: Database, refuses: Refuses) -> None:
    svc.add_speaker(db, "Joe Biden", wikidata_qid="Q6279")
    with refuses(ValidationError, "Q6279", "exists already"):
        svc.add_speaker(db, "Joseph Biden", wikidata_qid="q6279")


def test_duplicate_wikidata_id_by_update_points_at_the_field(
    db: Database, refuses: Refuses
) -> None:
    svc.add_speaker(db, "Joe Biden", wikidata_qid="Q6279")
    other = svc.add_speaker(db, "Joseph Biden")
    with refuses(ValidationError, "Joe Biden") as caught:
        svc.update_speaker(db, other.id, wikidata_qid="Q6279")
    assert caught.value.field == "wikidata_qid"


def test_duplicate_wikidata_id_by_update_names_the_id(db: Database, refuses: Refuses) -> None:
    svc.add_speaker(db, "Joe Biden", wikidata_qid="Q6279")
    other = svc.add_speaker(db, "Joseph Biden")
    with refuses(ValidationError, "Wikidata id", "Q6279", "exists already"):
        svc.update_speaker(db, other.id, wikidata_qid="Q6279")


def test_deleting_a_speaker_with_quotes_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    svc.add_quote(db, "words", speaker_id=speaker.id)
    with refuses(ValidationError, "1 quote(s)", "merge"):
        svc.delete_speaker(db, speaker.id)


def test_deleting_a_claimant_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    svc.add_claim(db, "a claim", claimant_id=speaker.id)
    with refuses(ValidationError, "1 claim(s)"):
        svc.delete_speaker(db, speaker.id)


def test_duplicate_alias_is_refused(db: Database, speaker: SpeakerRecord, refuses: Refuses) -> None:
    with refuses(ValidationError, "already has the alias"):
        svc.add_alias(db, speaker.id, "Countess of Lovelace")


def test_unknown_kind_is_refused(db: Database, refuses: Refuses) -> None:
    with refuses(ValidationError, "speaker kind", "'robot'", "person, organisation"):
        svc.add_speaker(db, "R2", kind="robot")
    with refuses(ValidationError, "claim kind", "'rumour'"):
        svc.add_claim(db, "a claim", kind="rumour")


def test_unknown_field_is_refused(db: Database, speaker: SpeakerRecord, refuses: Refuses) -> None:
    with refuses(ValidationError, "color"):
        svc.update_speaker(db, speaker.id, color="blue")


def test_merging_a_speaker_into_itself_is_refused(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    with refuses(ValidationError, "into itself"):
        merges.merge_speakers(db, speaker.id, speaker.id)


# ---------------------------------------------------------------- stale edits


def test_stale_expected_version_is_a_conflict(
    db: Database, speaker: SpeakerRecord, refuses: Refuses
) -> None:
    source = svc.add_source(db, "A title")
    quote = svc.add_quote(db, "words", speaker_id=speaker.id)
    claim = svc.add_claim(db, "a claim")
    # Someone else edits each record first.
    svc.update_speaker(db, speaker.id, notes="edited")
    svc.update_source(db, source.id, notes="edited")
    svc.update_quote(db, quote.id, notes="edited")
    svc.update_claim(db, claim.id, notes="edited")
    with refuses(ConflictError, f"speaker {speaker.id} was changed by someone else"):
        svc.update_speaker(db, speaker.id, expected_version=speaker.version, name="Ada")
    with refuses(ConflictError, "changed by someone else"):
        svc.update_source(db, source.id, expected_version=source.version, title="B")
    with refuses(ConflictError, "changed by someone else"):
        svc.update_quote(db, quote.id, expected_version=quote.version, text="other")
    with refuses(ConflictError, "changed by someone else"):
        svc.update_claim(db, claim.id, expected_version=claim.version, text="other")


def test_current_expected_version_is_accepted(db: Database, speaker: SpeakerRecord) -> None:
    updated = svc.update_speaker(db, speaker.id, expected_version=speaker.version, name="Ada")
    assert updated.name == "Ada"
    assert updated.version == speaker.version + 1


@pytest.mark.parametrize("after", [0, -1, 2**63, "12abc"])
def test_every_list_refuses_a_cursor_that_is_not_an_id(demo_db, after) -> None:
    for listing in (svc.list_quotes, svc.list_claims, svc.list_sources, svc.list_speakers):
        with pytest.raises(ValidationError, match="after"):
            listing(demo_db, after=after)


def test_offsets_too_large_for_the_database_are_refused(demo_db) -> None:
    with pytest.raises(ValidationError, match="start offset"):
        svc.update_quote(demo_db, 1, start_offset=2**63)


@pytest.mark.parametrize(
    ("update", "ident"),
    [
        (svc.update_quote, 1),
        (svc.update_claim, 1),
        (svc.update_source, 1),
        (svc.update_speaker, 1),
    ],
)
def test_a_field_named_like_a_parameter_is_an_unknown_field(demo_db, update, ident) -> None:
    with pytest.raises(ValidationError, match="no field|cannot change db"):
        update(demo_db, ident, db="x")

"""Quotes checked against their source's text (issue 13): verbatim, altered
(with where, how similar and the word difference), not found, no text; the
stored result goes stale when either text changes."""

from __future__ import annotations

import random

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import NotFoundError
from tracker.services import undo
from tracker.services.verification import (
    Change,
    _normalise_slowly,
    normalise,
    stored_check,
    verify_quotes,
    verify_text,
)

ARTICLE = (
    "Talks resumed on Monday.\n\n"
    "\u201cWe will  NOT back down \u2014 ever,\u201d the minister said, adding that "
    "the \u2018red lines\u2019 were clear. Officials left the room quietly after "
    "the meeting ended."
)


def test_normalising_keeps_a_map_to_the_original() -> None:
    text, where = normalise("A\u2014\u201cB\u201d  \tC\u2026")
    assert text == "a-'b' c..."  # every quotation mark folds to one
    assert len(where) == len(text)
    assert [where[i] for i in (0, 1, 2, 5, 6, 7, 9)] == [0, 1, 2, 5, 8, 9, 9]


def test_the_fast_normalisation_is_the_slow_one() -> None:
    rng = random.Random(13)
    chars = "ab AB\t\n\u00a0\u2018\u201c\u2014-\u00ab\u0130\u3000\u2026`"
    for _ in range(5000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        assert normalise(text) == _normalise_slowly(text), repr(text)


@pytest.mark.parametrize(
    "quote",
    [
        "We will not back down - ever,",
        "we will NOT back down \u2013 ever,",
        '"We will not  back\ndown \u2014 ever,"',
        "the 'red lines' were clear.",
        "THE \u2018RED LINES\u2019 WERE CLEAR.",
    ],
)
def test_verbatim_despite_marks_dashes_case_and_spacing(quote: str) -> None:
    found = verify_text(quote, ARTICLE)
    assert found.status == "verbatim"
    assert found.similarity == 100.0 and found.diff == ()
    assert found.start is not None and found.end is not None
    assert normalise(ARTICLE[found.start : found.end])[0] == normalise(quote)[0].strip("\"' ")


def test_a_changed_word_is_altered_with_the_word_and_the_span() -> None:
    found = verify_text("We will never back down - ever,", ARTICLE)
    assert found.status == "altered"
    assert found.diff == (Change("changed", "never", "NOT"),)
    assert ARTICLE[found.start : found.end] == "We will  NOT back down \u2014 ever,"
    assert found.similarity is not None and 75 <= found.similarity < 100


def test_a_word_left_out_is_removed() -> None:
    found = verify_text("Officials left the room after the meeting ended.", ARTICLE)
    assert found.status == "altered"
    assert found.diff == (Change("removed", "", "quietly"),)
    assert ARTICLE[found.start : found.end] == (
        "Officials left the room quietly after the meeting ended."
    )


def test_a_word_put_in_is_added() -> None:
    found = verify_text("Officials angrily left the room quietly after the meeting ended.", ARTICLE)
    assert found.status == "altered"
    assert found.diff == (Change("added", "angrily", ""),)


def test_a_sentence_not_in_the_text_is_not_found() -> None:
    found = verify_text("Bananas are the best fruit in the whole wide world.", ARTICLE)
    assert found.status == "not_found"
    assert found.start is None and found.end is None
    assert found.similarity is not None and found.similarity < 75


@pytest.mark.parametrize("text", [None, "", "  \n "])
def test_no_text(text: str | None) -> None:
    assert verify_text("anything", text).status == "no_text"


def _stale(db: Database, quote_id: int) -> bool:
    checked = stored_check(db, quote_id)
    assert checked is not None
    return checked.stale


def _speaker(db: Database) -> int:
    return svc.add_speaker(db, "Ada Minister").id


def test_verify_stores_results_without_a_version_or_an_audit_entry(db: Database) -> None:
    speaker = _speaker(db)
    source = svc.add_source(db, "Talks", full_text=ARTICLE).id
    bare = svc.add_source(db, "No text").id
    same = svc.add_quote(db, "we will not back down - ever,", speaker_id=speaker, source_id=source)
    changed = svc.add_quote(db, "We will never back down", speaker_id=speaker, source_id=source)
    alone = svc.add_quote(db, "Said somewhere", speaker_id=speaker)
    untexted = svc.add_quote(db, "Said elsewhere", speaker_id=speaker, source_id=bare)
    changes = len(svc.list_changes(db, limit=1000))

    results = {r.quote_id: r for r in verify_quotes(db, None)}

    assert results[same.id].status == "verbatim"
    assert results[changed.id].status == "altered"
    assert results[changed.id].difference == (Change("changed", "never", "NOT"),)
    assert results[alone.id].status == "no_text"
    assert results[untexted.id].status == "no_text"
    assert not any(r.stale for r in results.values())
    assert len(svc.list_changes(db, limit=1000)) == changes
    assert svc.get_quote(db, same.id).version == same.version
    stored = stored_check(db, changed.id)
    assert stored is not None and stored.status == "altered" and not stored.stale
    assert (stored.start, stored.end) == (results[changed.id].start, results[changed.id].end)
    assert stored.difference == (Change("changed", "never", "NOT"),)
    # undo still takes back the last edit a person made, not a check
    plan = undo.last_change(db)
    assert plan is not None and plan.entries[0].entity_id == untexted.id
    undo.undo(db, plan)
    assert [r.quote_id for r in verify_quotes(db, None)] == [same.id, changed.id, alone.id]


def test_one_quote_and_an_unknown_id(db: Database) -> None:
    speaker = _speaker(db)
    source = svc.add_source(db, "Talks", full_text=ARTICLE).id
    quote = svc.add_quote(db, "the red lines were clear", speaker_id=speaker, source_id=source)
    other = svc.add_quote(db, "something", speaker_id=speaker, source_id=source)
    assert [r.quote_id for r in verify_quotes(db, quote.id)] == [quote.id]
    assert stored_check(db, other.id) is None
    with pytest.raises(NotFoundError):
        verify_quotes(db, 999_999)


def test_stale_after_the_quote_or_the_source_text_changes(db: Database) -> None:
    speaker = _speaker(db)
    source = svc.add_source(db, "Talks", full_text=ARTICLE).id
    quote = svc.add_quote(db, "the red lines were clear", speaker_id=speaker, source_id=source)
    verify_quotes(db, quote.id)
    assert _stale(db, quote.id) is False

    svc.update_quote(db, quote.id, text="the red lines were very clear")
    assert _stale(db, quote.id) is True
    assert verify_quotes(db, quote.id)[0].status == "altered"
    assert _stale(db, quote.id) is False

    svc.update_source(db, source, full_text=ARTICLE + " More.")
    assert _stale(db, quote.id) is True


def test_a_word_inside_another_word_is_not_verbatim() -> None:
    found = verify_text("ear", "It was a long year for everyone.")
    assert found.status != "verbatim"


def test_a_quote_found_as_whole_words_after_a_partial_hit() -> None:
    source = "The yearly report said: ear of corn prices rose."
    found = verify_text("ear of corn", source)
    assert found.status == "verbatim"
    assert source[found.start : found.end] == "ear of corn"


def test_single_and_double_quotation_marks_are_the_same() -> None:
    source = "He said they crossed ‘red lines’ that day."
    found = verify_text('they crossed "red lines" that day', source)
    assert found.status == "verbatim"
    assert source[found.start : found.end] == "they crossed ‘red lines’ that day"

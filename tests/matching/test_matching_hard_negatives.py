"""Different people with similar names never merge; variants of one person do."""

from __future__ import annotations

import pytest
from hard_cases import HARD_NEGATIVES, SPELLING_VARIANTS

from tracker.matching import SpeakerEntry, SpeakerIndex


def test_list_sizes() -> None:
    assert len(HARD_NEGATIVES) >= 50
    assert len(SPELLING_VARIANTS) >= 40


@pytest.mark.parametrize(("a", "b"), HARD_NEGATIVES)
def test_both_indexed_each_exact_name_finds_its_owner(a: str, b: str) -> None:
    idx = SpeakerIndex([SpeakerEntry(1, a), SpeakerEntry(2, b)])
    ra = idx.match(a)
    rb = idx.match(b)
    assert ra.decision == "same" and ra.candidates[0].speaker_id == 1, ra.to_dict()
    assert rb.decision == "same" and rb.candidates[0].speaker_id == 2, rb.to_dict()


@pytest.mark.parametrize(("a", "b"), HARD_NEGATIVES)
def test_only_one_indexed_the_other_is_never_same(a: str, b: str) -> None:
    only_a = SpeakerIndex([SpeakerEntry(1, a)])
    only_b = SpeakerIndex([SpeakerEntry(2, b)])
    assert only_a.match(b).decision != "same", only_a.match(b).to_dict()
    assert only_b.match(a).decision != "same", only_b.match(a).to_dict()


@pytest.fixture(scope="module")
def variant_index() -> SpeakerIndex:
    people = sorted({p for p, _v in SPELLING_VARIANTS} | {b for _a, b in HARD_NEGATIVES[:10]})
    return SpeakerIndex([SpeakerEntry(i, p) for i, p in enumerate(people)])


@pytest.mark.parametrize(("person", "variant"), SPELLING_VARIANTS)
def test_spelling_variant_resolves_to_the_person(
    variant_index: SpeakerIndex, person: str, variant: str
) -> None:
    res = variant_index.match(variant)
    assert res.decision in ("same", "maybe")
    assert res.candidates[0].name == person, res.to_dict()


@pytest.mark.parametrize(
    ("query", "decision"),
    [
        ("Donald Trump", "same"),
        ("Donald Trump Jr.", "same"),
        ("George W. Bush", "same"),
        ("George H.W. Bush", "same"),
        ("George Bush", "maybe"),
        ("Bill Clinton", "same"),
        ("William Clinton", "same"),
        ("Clinton", "maybe"),
    ],
)
def test_family_members_side_by_side(query: str, decision: str) -> None:
    idx = SpeakerIndex(
        [
            SpeakerEntry(1, "Donald Trump"),
            SpeakerEntry(2, "Donald Trump Jr."),
            SpeakerEntry(3, "George H. W. Bush"),
            SpeakerEntry(4, "George W. Bush"),
            SpeakerEntry(5, "Bill Clinton"),
            SpeakerEntry(6, "Hillary Clinton"),
        ]
    )
    assert idx.match(query).decision == decision, idx.match(query).to_dict()

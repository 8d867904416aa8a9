"""SpeakerIndex behaviour: upsert/remove, batch, suggestions, result shape."""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracker.matching import (
    Candidate,
    MatchResult,
    RoleEntry,
    SpeakerEntry,
    SpeakerIndex,
    normalize_name,
)

BACKGROUND = [
    SpeakerEntry(1, "George Stephanopoulos", quote_count=3),
    SpeakerEntry(2, "Jon Stewart", quote_count=10),
    SpeakerEntry(3, "Martha Stewart"),
    SpeakerEntry(4, "Joe Biden", aliases=(("Biden", "name"),), quote_count=40),
    SpeakerEntry(5, "Sergei Lavrov"),
    SpeakerEntry(6, "Steve Bannon", quote_count=1),
]


def test_len_upsert_remove() -> None:
    idx = SpeakerIndex(BACKGROUND)
    assert len(idx) == 6
    idx.upsert(SpeakerEntry(7, "Ashraf Ghani"))
    assert len(idx) == 7
    assert idx.match("Ashraf Ghani").decision == "same"
    idx.remove(7)
    assert len(idx) == 6
    assert idx.match("Ashraf Ghani").decision == "new"
    idx.remove(12345)  # unknown id: no error
    assert len(idx) == 6


def test_rename_replaces_old_names_and_aliases() -> None:
    idx = SpeakerIndex(BACKGROUND)
    idx.upsert(SpeakerEntry(5, "Sergey V. Lavrov", aliases=(("Lavrov the Elder", "name"),)))
    assert len(idx) == 6
    res = idx.match("Sergei Lavrov")
    assert res.candidates[0].speaker_id == 5
    assert res.candidates[0].name == "Sergey V. Lavrov"
    # Rename to somebody else entirely: the old name no longer finds them.
    idx.upsert(SpeakerEntry(5, "Maria Zakharova"))
    assert idx.match("Maria Zakharova").candidates[0].speaker_id == 5
    assert idx.match("Sergei Lavrov").decision == "new"


def test_alias_added_later_is_found() -> None:
    idx = SpeakerIndex(BACKGROUND)
    assert idx.match("Uncle Joe").decision != "same"
    idx.upsert(SpeakerEntry(4, "Joe Biden", aliases=(("Biden", "name"), ("Uncle Joe", "variant"))))
    res = idx.match("Uncle Joe")
    assert res.decision == "same" and res.candidates[0].speaker_id == 4
    assert "Uncle Joe" in res.candidates[0].matched


def test_misspelling_alias_exact() -> None:
    idx = SpeakerIndex(
        [*BACKGROUND[:1], SpeakerEntry(9, "Ann Li", aliases=(("Anne Lee", "misspelling"),))]
    )
    res = idx.match("Anne Lee")
    assert res.decision == "same"
    assert "misspelling" in res.candidates[0].why


def test_many_removals_compact_and_stay_correct() -> None:
    idx = SpeakerIndex(SpeakerEntry(i, f"Person{i} Surname{i}") for i in range(3000))
    for i in range(0, 3000, 2):
        idx.remove(i)
    assert len(idx) == 1500
    assert idx.match("Person1 Surname1").candidates[0].speaker_id == 1
    gone = idx.match("Person2 Surname2")
    assert 2 not in [c.speaker_id for c in gone.candidates]
    assert gone.decision != "same"
    assert idx.alias_count == 1500


def test_match_many_input_order_and_each_pair_resolved_once() -> None:
    idx = SpeakerIndex(BACKGROUND)
    calls: list[str] = []
    real = idx.match

    def counting(query: str, on: dt.date | None = None, limit: int = 5) -> MatchResult:
        calls.append(query)
        return real(query, on, limit)

    idx.match = counting  # type: ignore[method-assign]
    day = dt.date(2021, 3, 17)
    queries = [("Joe Biden", None), ("Lavrov", day), ("Joe Biden", None), ("Nobody Here", None)]
    queries += [("Lavrov", day), ("Lavrov", None)]
    out = idx.match_many(queries)
    assert [r.query for r in out] == [q for q, _d in queries]
    assert sorted(calls) == sorted(["Joe Biden", "Lavrov", "Nobody Here", "Lavrov"])
    assert out[0] is out[2]
    assert out[1] is out[4]
    assert out[0].candidates[0].speaker_id == 4
    assert out[3].decision == "new"


def test_to_dict_shape() -> None:
    idx = SpeakerIndex(BACKGROUND)
    d = idx.match("Joe Biden").to_dict()
    assert set(d) == {"query", "decision", "candidates"}
    assert d["query"] == "Joe Biden" and d["decision"] == "same"
    cands = d["candidates"]
    assert isinstance(cands, list) and cands
    assert set(cands[0]) == {"speaker_id", "name", "score", "matched", "why"}
    assert cands[0]["speaker_id"] == 4
    empty = MatchResult("x", "new", ()).to_dict()
    assert empty == {"query": "x", "decision": "new", "candidates": []}
    c = Candidate(1, "A", 50.0, "A", "why")
    assert MatchResult("A", "maybe", (c,)).to_dict()["candidates"] == [
        {"speaker_id": 1, "name": "A", "score": 50.0, "matched": "A", "why": "why"}
    ]


def test_suggest_prefix_steph_puts_stephanopoulos_first() -> None:
    idx = SpeakerIndex(BACKGROUND)
    res = idx.suggest("Steph")
    assert res.candidates[0].name == "George Stephanopoulos"


def test_suggest_one_two_three_letters() -> None:
    idx = SpeakerIndex(BACKGROUND)
    names = [c.name for c in idx.suggest("st").candidates]
    assert {"George Stephanopoulos", "Jon Stewart", "Martha Stewart", "Steve Bannon"} <= set(names)
    assert names[0] == "Jon Stewart"  # most quotes
    assert "Joe Biden" in [c.name for c in idx.suggest("b").candidates]
    assert idx.suggest("ste").candidates
    assert idx.suggest("Lav").candidates[0].name == "Sergei Lavrov"
    assert idx.suggest("zzq").decision == "new"


def test_suggest_multi_word_and_complete() -> None:
    idx = SpeakerIndex(BACKGROUND)
    res = idx.suggest("Martha St")
    assert res.candidates[0].name == "Martha Stewart"
    res = idx.suggest("george steph")
    assert res.candidates[0].name == "George Stephanopoulos"
    full = idx.suggest("Joe Biden")
    assert full.decision == "same" and full.candidates[0].speaker_id == 4


def test_suggest_sees_upserts_and_removals() -> None:
    idx = SpeakerIndex(BACKGROUND)
    assert idx.suggest("st").candidates  # fill the prefix cache
    idx.upsert(SpeakerEntry(50, "Stella Stone", quote_count=999))
    assert idx.suggest("st").candidates[0].name == "Stella Stone"
    idx.remove(50)
    assert "Stella Stone" not in [c.name for c in idx.suggest("st").candidates]


def test_role_with_roles_upserted_later() -> None:
    idx = SpeakerIndex(BACKGROUND)
    assert idx.match("Russia's foreign minister", on=dt.date(2021, 1, 1)).decision == "new"
    idx.upsert(
        SpeakerEntry(
            5, "Sergei Lavrov", roles=(RoleEntry("Foreign Minister", "Russia", None, None),)
        )
    )
    res = idx.match("Russia's foreign minister", on=dt.date(2021, 1, 1))
    assert res.decision == "same" and res.candidates[0].speaker_id == 5


def test_title_and_date_break_a_surname_tie() -> None:
    idx = SpeakerIndex(
        [
            SpeakerEntry(
                1,
                "George W. Bush",
                roles=(
                    RoleEntry(
                        "President", "United States", dt.date(2001, 1, 20), dt.date(2009, 1, 20)
                    ),
                ),
            ),
            SpeakerEntry(2, "Jeb Bush"),
        ]
    )
    assert idx.match("Bush").decision == "maybe"
    res = idx.match("President Bush", on=dt.date(2005, 6, 1))
    assert res.decision == "same" and res.candidates[0].speaker_id == 1


_letters = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=9)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_letters, min_size=2, max_size=3))
def test_any_unique_indexed_name_is_found_same_by_its_exact_text(words: list[str]) -> None:
    name = " ".join(w.capitalize() for w in words)
    key = normalize_name(name)
    assume(key and len(key.split()) >= 2)
    background_keys = {normalize_name(s.name) for s in BACKGROUND}
    assume(key not in background_keys)
    idx = SpeakerIndex([*BACKGROUND, SpeakerEntry(100, name)])
    res = idx.match(name)
    assert res.decision == "same", res.to_dict()
    assert res.candidates[0].speaker_id == 100


def test_removed_exact_name_does_not_hide_a_near_match() -> None:
    idx = SpeakerIndex([SpeakerEntry(1, "Angela Merkel"), SpeakerEntry(2, "Angela Merkle")])
    idx.remove(2)
    res = idx.match("Angela Merkle")
    assert res.candidates and res.candidates[0].speaker_id == 1
    # Two letters swapped, and nobody else close: the typo is read as Merkel
    # (issue 14; it was "maybe" while short surnames never took a typo).
    assert res.decision == "same"
    idx.upsert(SpeakerEntry(3, "Angela Merkle"))
    assert idx.match("Angela Merkle").candidates[0].speaker_id == 3


def _population() -> list[SpeakerEntry]:
    """Many Joshuas and Campbells, one Capel, one Reganne."""
    given = ["joshua", "emma", "liam", "olivia", "noah", "ava", "jack", "mia"]
    surnames = ["campbell", "smith", "nguyen", "clarke", "white", "reid", "green"]
    out = [
        SpeakerEntry(i, f"{g} {s}")
        for i, (g, s) in enumerate((g, s) for g in given for s in surnames)
    ]
    n = len(out)
    out += [
        SpeakerEntry(n + 1, "benjamin capel"),
        SpeakerEntry(n + 2, "reganne mcveigh"),
        SpeakerEntry(n + 3, "tegan white"),
        SpeakerEntry(n + 4, "rupert drzezdzon"),
    ]
    return out


def test_rare_surname_outranks_common_given_name_with_similar_surname() -> None:
    index = SpeakerIndex(_population())
    res = index.match("joshua capel")
    assert res.candidates[0].name == "benjamin capel"
    assert res.decision == "maybe"  # conflicting first names never merge
    assert any(c.name == "joshua campbell" for c in res.candidates)


def test_rare_surname_found_when_given_name_replaced() -> None:
    index = SpeakerIndex(_population())
    res = index.match("amy drzezdzon")
    assert res.candidates[0].name == "rupert drzezdzon"
    assert res.decision == "maybe"
    # With a typo in the rare surname as well.
    assert index.match("amy drzezdzonn").candidates[0].name == "rupert drzezdzon"


def test_swapped_and_replaced_fields_rank_the_rare_token() -> None:
    index = SpeakerIndex(_population())
    res = index.match("white reganne")
    assert res.candidates[0].name == "reganne mcveigh"
    assert res.decision == "maybe"


def test_ranking_does_not_change_exact_and_typo_decisions() -> None:
    index = SpeakerIndex(_population())
    assert index.match("benjamin capel").decision == "same"
    res = index.match("rupert drzezdzom")  # one edit in a long surname
    assert res.candidates[0].name == "rupert drzezdzon"
    assert res.decision == "same"
    res = index.match("joshua campbel")  # short near miss: never "same"
    assert res.candidates[0].name == "joshua campbell"

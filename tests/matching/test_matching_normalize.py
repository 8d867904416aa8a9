"""normalize_name: the documented matching key form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.matching import normalize_name
from tracker.matching.nicknames import expansions, nickname_equivalent, table_size


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Joe Biden", "joe biden"),
        ("Ｊｏｅ　Ｂｉｄｅｎ", "joe biden"),  # NFKC full-width
        ("LAVROV, Sergei", "sergei lavrov"),
        ("Sergey Lavrov", "sergei lavrov"),
        ("Сергей Лавров", "sergei lavrov"),
        ("Russian Foreign Minister Sergei Lavrov", "sergei lavrov"),
        ("J. Biden", "j biden"),
        ("Donald Trump Jr.", "donald trump jr"),
        ("Trump, Donald, Jr.", "donald trump jr"),
        ("Martin Luther King III", "martin luther king iii"),
        ("George H.W. Bush", "george h w bush"),
        ("Dr. Jane O'Brien", "jane obrien"),
        ("Mr Smith", "smith"),
        ("former President Donald Trump", "donald trump"),
        ("his Kremlin counterpart Vladimir Putin", "vladimir putin"),
        ("ABC News Chief Anchor George Stephanophoulos", "george stephanophoulos"),
        ("U.S. special envoy for Afghanistan, Zalmay Khalilzad", "zalmay khalilzad"),
        (
            "Michael Kugelman, deputy director of the Asia program at the Wilson Center",
            "michael kugelman",
        ),
        ("Kugelman, Michael", "michael kugelman"),
        ("Secretary of State Antony Blinken", "antony blinken"),
        ("Volodymyr Zelenskyy", "volodymyr zelensky"),
        ("Yevgeny Prigozhin", "yevgeny prigozhin"),
        ("Evgeny Prigozhin", "yevgeny prigozhin"),
        ("Ivan Smirnoff", "ivan smirnov"),
        ("John Major", "john major"),
        ("Jordan Peterson", "jordan peterson"),
        ("Prince Harry", "prince harry"),
        ("the U.S. president", ""),
    ],
)
def test_normalize_name(text: str, key: str) -> None:
    assert normalize_name(text) == key


def test_suffixes_are_kept_and_distinguish() -> None:
    assert normalize_name("Donald Trump Jr.") != normalize_name("Donald Trump")
    assert normalize_name("Ken Griffey Sr.") == "ken griffey sr"
    assert normalize_name("Davis Love II") != normalize_name("Davis Love III")


def test_nickname_table() -> None:
    assert table_size() >= 300
    assert nickname_equivalent("joe", "joseph")
    assert nickname_equivalent("bill", "william")
    assert nickname_equivalent("bibi", "benjamin")
    assert nickname_equivalent("mike", "michael")
    assert nickname_equivalent("bob", "robert")
    assert nickname_equivalent("bill", "will")  # both William
    assert nickname_equivalent("christopher", "christine") is None
    assert nickname_equivalent("barack", "michelle") is None
    assert "william" in expansions("bill")


_word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéöñ", min_size=1, max_size=10
)
_name = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_messy = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_name)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@settings(max_examples=300, deadline=None)
@given(_messy)
def test_normalize_output_is_plain_ascii_tokens(text: str) -> None:
    key = normalize_name(text)
    assert key == key.strip()
    assert "  " not in key
    assert key.isascii()
    assert key == key.lower()

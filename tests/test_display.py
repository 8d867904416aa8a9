"""Stored text is made safe to show in one place, for the TUI and the CLI:
controls and invisible format characters become visible symbols, and
nothing else changes."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.display import SPECIAL_RANGES, make_visible, visible_control, visible_pieces

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
TECHNOLOGIST = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # woman, skin tone, ZWJ laptop
HEART_ON_FIRE = "\u2764\ufe0f\u200d\U0001f525"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
HINDI = "\u0915\u094d\u200d\u0937"  # KA VIRAMA ZWJ SSA: a half form
THAI_WORDS = "\u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22"  # two words, ZWSP between


def same(stored: str, shown: str | None = None) -> tuple[str, str, str]:
    """A case without newline or tab: single-line mode shows it the same."""
    return (stored, stored if shown is None else shown, stored if shown is None else shown)


CASES = [
    # (stored, shown, shown in single-line mode)
    same("plain text"),
    same("[bold]x[/bold] [link=https://evil.example]y[/link]"),
    same(":thumbs_up: $HOME `id`"),
    same("“killer.” — naïve café 東京"),
    same(""),
    same("a\x1b[31mred", "a\u241b[31mred"),
    same("ring\x07", "ring\u2407"),
    same("nul\x00", "nul\u2400"),
    same("cr\rlf", "cr\u240dlf"),
    same("del\x7f", "del\u2421"),
    ("two\nlines\tand tab", "two\nlines\tand tab", "two lines and tab"),
    ("\x1b\n\x1b", "\u241b\n\u241b", "\u241b \u241b"),
    same("csi\x9b31m nel\x85", "csi\\x9b31m nel\\x85"),
    same("abc\u202edcba", "abc<U+202E>dcba"),
    same(
        "\u202dLRO \u202aLRE \u202bRLE \u202cPDF", "<U+202D>LRO <U+202A>LRE <U+202B>RLE <U+202C>PDF"
    ),
    same("\u2066i\u2067i\u2068i\u2069", "<U+2066>i<U+2067>i<U+2068>i<U+2069>"),
    same("\u200eLRM \u200fRLM \u061cALM", "<U+200E>LRM <U+200F>RLM <U+061C>ALM"),
    same("Bi\u200bden", "Bi<U+200B>den"),
    same("Bi\u200cden Bi\u200dden", "Bi<U+200C>den Bi<U+200D>den"),
    same("Bi\u2060den\ufeff", "Bi<U+2060>den<U+FEFF>"),
    same("Bundes\xadkanzler", "Bundes<U+00AD>kanzler"),
    same("line\u2028para\u2029", "line<U+2028>para<U+2029>"),
    same("hidden\U000e0041\U000e0042", "hidden<U+E0041><U+E0042>"),
    same("\u200dedge\u200d", "<U+200D>edge<U+200D>"),
    # Legitimate uses are left alone ...
    same(FAMILY),
    same(TECHNOLOGIST),
    same(HEART_ON_FIRE),
    same(ENGLAND),
    same(PERSIAN),
    same(HINDI),
    same(THAI_WORDS),
    same("\u0600\u0661 \u06dd"),  # Arabic number sign, end of ayah: visible signs
    # ... but only where they do that job.
    same("Biden\u200d\U0001f600", "Biden<U+200D>\U0001f600"),
    same("\U0001f600\u200b\U0001f600", "\U0001f600<U+200B>\U0001f600"),
    same("x\U000e0067\U000e007f", "x<U+E0067><U+E007F>"),
]


@pytest.mark.parametrize(("stored", "shown", "one_line"), CASES)
def test_make_visible(stored: str, shown: str, one_line: str) -> None:
    assert make_visible(stored) == shown
    assert make_visible(stored, single_line=True) == one_line
    assert "".join(piece for piece, _ in visible_pieces(stored)) == shown


def test_none_is_empty_and_other_values_are_strings() -> None:
    assert make_visible(None) == ""
    assert list(visible_pieces(None)) == []
    assert make_visible(42) == "42"


def test_pieces_mark_the_symbols() -> None:
    assert list(visible_pieces("a\x1bb\u202e\nc", single_line=True)) == [
        ("a", False),
        ("\u241b", True),
        ("b", False),
        ("<U+202E>", True),
        (" ", False),
        ("c", False),
    ]
    assert list(visible_pieces("plain [b]")) == [("plain [b]", False)]
    # A symbol-looking character that was typed is text, not a symbol.
    assert list(visible_pieces("\u241b<U+202E>")) == [("\u241b<U+202E>", False)]


def test_plain_text_is_returned_as_it_is() -> None:
    text = "Joe Biden said Putin is a “killer.”"
    assert make_visible(text) is text


PREPENDED_MARKS = {0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F}
PREPENDED_MARKS |= {0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD}
CONTEXTUAL = "\u200b\u200c\u200d\u180e"
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def _in_ranges(code: int) -> bool:
    return any(low <= code <= high for low, high in SPECIAL_RANGES)


def test_the_table_covers_every_control_and_format_character() -> None:
    # If this fails after a Python upgrade, a new Unicode version added a
    # format character: decide whether to show it and add it to the table.
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category in HIDDEN and code not in PREPENDED_MARKS:
            assert _in_ranges(code), f"U+{code:04X} ({category}) is not in SPECIAL_RANGES"
        if _in_ranges(code):
            # Unassigned here: assigned as a format character by a newer Unicode.
            assert category in HIDDEN | {"Cn"}, f"U+{code:04X} is {category}"


def _shown_alone(char: str, single_line: bool) -> str:
    """What one character becomes, read from the module's promise."""
    if char in "\n\t":
        return " " if single_line else char
    if unicodedata.category(char) in HIDDEN and ord(char) not in PREPENDED_MARKS:
        return visible_control(char)
    return char


@given(
    st.text(
        alphabet=st.one_of(
            st.characters(exclude_characters=CONTEXTUAL, max_codepoint=0xE001F),
            st.sampled_from("\n\t\r\x1b\x85\x9b\u061c\u202e\u2066\u2069\u2060\ufeff\xad\u2028"),
        )
    )
)
def test_every_other_character_is_shown_alone(raw: str) -> None:
    # Without joiners or tag characters, each character is read on its own.
    for single_line in (False, True):
        expected = "".join(_shown_alone(c, single_line) for c in raw)
        assert make_visible(raw, single_line=single_line) == expected
        assert "".join(p for p, _ in visible_pieces(raw, single_line=single_line)) == expected


@given(st.text())
def test_nothing_hidden_reaches_the_terminal(raw: str) -> None:
    shown = make_visible(raw, single_line=True)
    for char in shown:
        category = unicodedata.category(char)
        assert category not in {"Cc", "Zl", "Zp", "Cs"}
        assert (
            category != "Cf"
            or char in CONTEXTUAL
            or char >= "\U000e0020"
            or (ord(char) in PREPENDED_MARKS)
        )

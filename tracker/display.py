"""How text from the database (or typed by someone) is made safe to show.

One decision, shared by the terminal UI (``tracker.tui.text.literal``) and
the command line (``tracker.cli.output``). Text is never interpreted as
markup by either; this module decides which characters are not shown as
they are, and what is shown instead. It imports neither Textual nor Rich.

What is made visible, and how:

* C0 controls (U+0000..U+001F): the Control Pictures symbol, ESC as ``␛``
  (U+241B), BEL as ``␇``, CR as ``␍``. Newline and tab are kept, except in
  single-line mode (table cells), where each becomes one space.
* DEL: ``␡`` (U+2421). C1 controls (U+0080..U+009F): ``\\x9b`` and so on.
* Bidirectional controls (LRM, RLM, ALM, the embeddings and overrides
  U+202A..U+202E, the isolates U+2066..U+2069): ``<U+202E>``. An override
  can make "evil.exe" read as "exe.live"; a reader must see it.
* Every other invisible format character (Unicode category Cf): zero-width
  space U+200B, zero-width (non-)joiner U+200C/U+200D, word joiner U+2060,
  U+FEFF (byte order mark), soft hyphen U+00AD, the invisible mathematical
  operators, tag characters, ...; and the line and paragraph separators
  U+2028/U+2029 and lone surrogates: ``<U+200B>``. In a fact-checking tool
  they matter: "Bi\\u200bden" looks like "Biden" but is not the same quote,
  and does not match a search for it.

What is left as it is, because legitimate text needs it and it hides
nothing a reader would mind:

* U+200C, U+200D, U+200B and U+180E between two letters or marks of a script
  in which they change shaping or mark word breaks (Arabic and Persian,
  the Indic scripts, Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian, ...),
  e.g. the ZWNJ in the Persian word for "I want" (mi-ZWNJ-khaham). Between
  Latin, Greek, Cyrillic or CJK letters they do nothing visible, so there
  they are shown.
* U+200D between two emoji (a ZWJ sequence such as a family or
  "woman technologist", skin tones and U+FE0F included), and tag characters
  inside an emoji tag sequence (the flags of England, Scotland and Wales).
  Tag characters anywhere else (a known way to hide text) are shown.
* The Arabic, Syriac and Kaithi number and end-of-verse signs (U+0600..U+0605,
  U+06DD, U+070F, U+0890, U+0891, U+08E2, U+110BD, U+110CD): format
  characters by category, but drawn as visible signs.

Variation selectors, private-use and unassigned characters, and the various
space characters are not changed: they are visible (or harmless) as drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Every character (range) this module may change: C0, DEL, C1, the format
# characters (Cf) less the visible signs listed above, the line and
# paragraph separators, and surrogates. tests/test_display.py checks this
# table against unicodedata, so a newer Unicode's format characters are noticed.
SPECIAL_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x061C, 0x061C),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)

SPECIAL_CHARACTERS = re.compile(
    "["
    + "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in SPECIAL_RANGES
    )
    + "]"
)

ZWJ = "\u200d"
# Kept between two letters or marks of a script in which they shape text or
# mark word breaks (see the module docstring).
_CONTEXTUAL = frozenset("\u200b\u200c\u200d\u180e")
_SHAPING_SCRIPTS: tuple[tuple[int, int], ...] = (
    (0x0600, 0x08FF),  # Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic
    (0x0900, 0x109F),  # Devanagari .. Sinhala, Thai, Lao, Tibetan, Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0x1900, 0x1BFF),  # Limbu, Tai Le, Buginese, Tai Tham, Balinese, Sundanese, Batak
    (0xA800, 0xABFF),  # Syloti Nagri, Phags-pa, Saurashtra, Javanese, Cham, Meetei
    (0xFB50, 0xFDFF),  # Arabic presentation forms A
    (0xFE70, 0xFEFE),  # Arabic presentation forms B
    (0x10A00, 0x10A5F),  # Kharoshthi
    (0x11000, 0x11FFF),  # Brahmi and the other historic Indic scripts
    (0x1E900, 0x1E95F),  # Adlam
)
# An emoji tag sequence: the black flag, tags, and the cancel tag.
_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def visible_control(char: str) -> str:
    """The symbol shown for a character this module does not show as it is:
    U+2400.. for C0, U+2421 for DEL, ``\\x..`` for C1, ``<U+....>`` for the rest."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def _in_shaping_script(char: str) -> bool:
    code = ord(char)
    return unicodedata.category(char)[0] in "LM" and any(
        low <= code <= high for low, high in _SHAPING_SCRIPTS
    )


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        (code >= 0x2000 and unicodedata.category(char) == "So")
        or char == "\ufe0f"  # emoji presentation selector
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
    )


def _joins(raw: str, index: int) -> bool:
    """Whether the joiner or separator at ``index`` is doing its job in a script."""
    if index == 0 or index + 1 >= len(raw):
        return False
    before, after = raw[index - 1], raw[index + 1]
    if _in_shaping_script(before) and _in_shaping_script(after):
        return True
    return raw[index] == ZWJ and _is_emoji(before) and _is_emoji(after)


def may_change(text: str) -> bool:
    """Whether ``text`` holds any character this module might not show as it
    is. Most text holds none, and can then be shown as it is (a fast path)."""
    return SPECIAL_CHARACTERS.search(text) is not None


def visible_pieces(value: object, *, single_line: bool = False) -> Iterator[tuple[str, bool]]:
    """``value`` (``None`` is empty) as pieces ``(text, is_symbol)`` to show in order.

    ``is_symbol`` is true for a symbol that stands for a control or invisible
    character (so a front end can style it); every other piece is the stored
    text itself. With ``single_line`` newlines and tabs become spaces."""
    raw = "" if value is None else str(value)
    start = 0
    in_tag_sequence: set[int] | None = None
    for match in SPECIAL_CHARACTERS.finditer(raw):
        index = match.start()
        char = raw[index]
        if char in "\n\t":
            if not single_line:
                continue
            shown, is_symbol = " ", False
        elif char in _CONTEXTUAL and _joins(raw, index):
            continue
        else:
            if char >= "\U000e0020":
                if in_tag_sequence is None:
                    in_tag_sequence = {
                        i
                        for m in _TAG_SEQUENCE.finditer(raw)
                        for i in range(m.start() + 1, m.end())
                    }
                if index in in_tag_sequence:
                    continue
            shown, is_symbol = visible_control(char), True
        if start < index:
            yield raw[start:index], False
        yield shown, is_symbol
        start = index + 1
    if start < len(raw):
        yield raw[start:], False


def make_visible(value: object, *, single_line: bool = False) -> str:
    """``value`` as a string safe to print: control and invisible format
    characters replaced by visible symbols (see the module docstring).

    Text without any of them is returned as it is."""
    raw = "" if value is None else str(value)
    if not may_change(raw):
        return raw
    return "".join(piece for piece, _ in visible_pieces(raw, single_line=single_line))

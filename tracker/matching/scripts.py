"""Writing systems of a name: which script it is in, and the scripts that need care.

Names are compared in their own script first; transliteration is only a way
to compare across scripts (``docs/matching.md``, "Other scripts"):

* **Chinese, Japanese and Korean characters** keep their *native form* (the
  characters without spaces) beside the romanised key.  Two names in these
  scripts are the same name only when the characters are: 黎明 and 李明 are
  both "li ming" in pinyin, and two people.
* **Han names** are romanised syllable by syllable in Chinese order, the
  surname (one character, or two for the compound surnames below) as one
  token and the given name as one token: 习近平 -> ``xi jinping``, as the
  name is written in Latin script.
* **Hangul names** are split into syllables: the surname (one syllable, or two
  for the compound ones) through the usual spelling of Korean surnames
  (김 -> kim, 이 -> lee, 박 -> park), each syllable of the given name as its
  own token, as "Kim Jong-un" gives ``kim jong un``.  A name written without
  spaces (김정은) is therefore not one long surname, and a one-syllable
  difference (김정일) is a different given name, not a typo.
* **Loose scripts** (Arabic, Hebrew, Hangul, Khmer, Thai, ...) have no single
  way to be written in Latin letters: Arabic script writes no short vowels
  (محمد is ``mhmd``), Korean and Khmer vowels are romanised in several ways
  (정 is jeong, jong or jung).  A name in one of them is compared with a
  Latin-script name on the consonants of each token
  (:func:`tracker.matching.normalize.consonants`), never with a name in its
  own script.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

LATIN = 0
"""Script code of Latin-script names (and of anything not listed below)."""

# Script codes (stored per alias row as one byte).
SCRIPTS: dict[str, int] = {
    "LATIN": LATIN,
    "CYRILLIC": 1,
    "GREEK": 2,
    "ARMENIAN": 3,
    "GEORGIAN": 4,
    "CJK": 5,  # Han characters
    "HIRAGANA": 6,
    "KATAKANA": 6,
    "HANGUL": 7,
    "ARABIC": 8,
    "HEBREW": 9,
    "KHMER": 10,
    "THAI": 11,
    "LAO": 12,
    "DEVANAGARI": 13,
    "BENGALI": 14,
    "ETHIOPIC": 15,
}
HAN = SCRIPTS["CJK"]
KANA = SCRIPTS["HIRAGANA"]
HANGUL = SCRIPTS["HANGUL"]
ARMENIAN = SCRIPTS["ARMENIAN"]
NATIVE_SCRIPTS = frozenset({HAN, KANA, HANGUL})
"""Scripts whose characters are compared as written (the native form)."""
LOOSE_SCRIPTS = frozenset(
    {SCRIPTS[s] for s in ("HANGUL", "ARABIC", "HEBREW", "KHMER", "THAI", "LAO", "ETHIOPIC")}
)
"""Scripts compared with Latin names on consonants only."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Chinese compound surnames (two characters).
_HAN_COMPOUND = _words(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 夏侯 令狐 司徒 长孙 宇文 歐陽 司馬 諸葛"
)
# Korean compound surnames (two syllables).
_HANGUL_COMPOUND = _words("남궁 황보 제갈 선우 독고 사공 서문 동방")
# How Korean surnames are usually written in Latin script.
_HANGUL_SURNAMES: dict[str, str] = dict(
    pair.split(":")
    for pair in _words("""김:kim 이:lee 리:ri 박:park 최:choi 정:jung 강:kang 조:cho 윤:yoon 장:jang
    임:lim 한:han 오:oh 서:seo 신:shin 권:kwon 황:hwang 안:ahn 송:song 류:ryu 유:yoo
    홍:hong 전:jeon 고:ko 문:moon 양:yang 손:son 배:bae 백:baek 허:heo 남:nam 노:roh
    하:ha 반:ban 심:shim 곽:kwak 성:sung 차:cha 주:joo 우:woo 구:koo 민:min 나:na
    진:jin 지:ji 엄:um 채:chae 원:won 천:chun 방:bang 공:kong 현:hyun 함:ham 변:byun
    염:yeom 여:yeo 추:choo 도:do 소:so 석:seok 선:sun 설:sul 마:ma 길:gil 연:yeon
    위:wi 표:pyo 명:myung 기:ki 금:keum 왕:wang 옥:ok 육:yook 인:in 맹:maeng 제:je
    모:mo 탁:tak 국:kook 어:eo 은:eun 편:pyun 용:yong 남궁:namgung 황보:hwangbo
    제갈:jegal 선우:sunwoo 독고:dokgo""")
)


@lru_cache(maxsize=4_096)
def _char_script(c: str) -> int:
    name = unicodedata.name(c, "")
    return SCRIPTS.get(name.split(" ", 1)[0], LATIN)


# Anything outside Latin letters (with accents), combining marks and punctuation.
_NOT_LATIN = re.compile("[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u206f]")
_ARMENIAN = re.compile("[\u0530-\u058f\ufb13-\ufb17]")


def has_armenian(text: str) -> bool:
    """Whether ``text`` has Armenian letters (cheap, in C)."""
    return _ARMENIAN.search(text) is not None


def script_of(text: str) -> int:
    """The script most of the letters of ``text`` are written in (``LATIN`` for ASCII)."""
    if text.isascii() or _NOT_LATIN.search(text) is None:
        return LATIN
    counts: dict[int, int] = {}
    for c in text:
        if c.isalpha():
            s = _char_script(c)
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return LATIN
    return max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]


def native_form(text: str, script: int) -> str:
    """The characters of a Chinese, Japanese or Korean name without spaces ("" otherwise)."""
    if script not in NATIVE_SCRIPTS:
        return ""
    return "".join(c for c in text if c.isalpha() and _char_script(c) in NATIVE_SCRIPTS)


def _roman(chars: str) -> str:
    return "".join(anyascii(chars).lower().split())


def cjk_tokens(text: str, script: int) -> tuple[str, ...] | None:
    """Romanised tokens of a Han or Hangul personal name, or None if ``text`` is not one.

    Only a name written wholly in those characters, of two to four
    characters or syllables (with or without a space after the surname), is
    taken apart; anything else goes through the usual transliteration.
    """
    if script not in (HAN, HANGUL):
        return None
    parts = text.split()
    chars = "".join(parts)
    if not 2 <= len(chars) <= 4 or any(_char_script(c) != script for c in chars):
        return None
    two = _HAN_COMPOUND if script == HAN else _HANGUL_COMPOUND
    if len(parts) == 2 and (len(parts[0]) == 1 or parts[0] in two):
        surname, given = parts
    elif len(parts) <= 2:  # no space, or a space inside the given name (김정 은)
        n = 2 if chars[:2] in two and len(chars) > 2 else 1
        surname, given = chars[:n], chars[n:]
    else:
        return None
    if script == HAN:
        return (_roman(surname), _roman(given))
    return (_HANGUL_SURNAMES.get(surname) or _roman(surname), *(_roman(c) for c in given))


def armenian_fix(text: str) -> str:
    """Armenian letters as they are written in Latin names (after ``anyascii``).

    anyascii writes ու as "ow", ւ and և as "w"/"ew" and Ռ as "rr": Ռուբեն
    (Ruben) would be "Rrowben".
    """
    t = text.replace("ow", "u").replace("Ow", "U").replace("OW", "U")
    t = t.replace("ew", "ev").replace("rr", "r").replace("Rr", "R").replace("RR", "R")
    return t.replace("w", "v")

"""Who is speaking: the source phrase beside a cue, and the name in it.

A source phrase is the noun phrase a speech cue reports on: before the cue
("Russian Foreign Minister Sergei Lavrov urged ...", "Michael Kugelman,
deputy director of ..., said") or after it ("..., said Michael Kugelman,
deputy director of ..."). The name is its last run of capitalised words
with titles and nationality words before it stripped ("Sergei Lavrov");
a phrase without a name is kept as written, minus its article, as a role
to resolve by date ("U.S. president") or an organisation ("Biden
administration").
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.extraction.lexicon import (
    CLAUSE_WORDS,
    DETERMINERS,
    NATIONALITIES,
    NOT_NAMES,
    ORGANISATION_WORDS,
    PERSON_NOUNS,
    PRONOUNS_PLURAL,
    PRONOUNS_SINGULAR,
    TITLES,
)
from tracker.extraction.text import Token

_QUOTE_CHARS = set("\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019'")
# Lower-case words that may sit between a source and its cue.
_BETWEEN = frozenset(
    [
        "long",
        "now",
        "always",
        "also",
        "later",
        "then",
        "again",
        "has",
        "had",
        "have",
        "would",
        "will",
        "did",
        "was",
        "is",
        "previously",
        "once",
        "recently",
        "further",
        "repeatedly",
        "often",
        "reportedly",
        "never",
        "ever",
        "not",
        "publicly",
        "privately",
        "simply",
        "just",
        "still",
        "already",
        "first",
        "finally",
        "flatly",
        "quickly",
        "bluntly",
        "openly",
        "earlier",
        "since",
    ]
)
_PERIODS = frozenset(
    [
        "week",
        "month",
        "year",
        "weekend",
        "morning",
        "night",
        "afternoon",
        "evening",
        "spring",
        "summer",
    ]
)
_DEICTIC = frozenset(["this", "last", "next"])
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "del",
        "van",
        "von",
        "der",
        "bin",
        "al",
        "la",
        "le",
        "du",
        "st.",
        "jr.",
        "sr.",
        "ii",
        "iii",
    ]
)
_LINKS = frozenset(["of", "for", "at", "with"])
_MAX_SOURCE = 14  # tokens of a source phrase before its cue


@dataclass(frozen=True)
class Speaker:
    """The speaker a source phrase names: ``name`` (None for a pronoun),
    ``pronoun`` ("he", "she", "they") and ``person`` (a person's name,
    rather than an organisation or a role)."""

    name: str | None
    pronoun: str | None = None
    person: bool = False


def is_name_word(token: Token) -> bool:
    """A capitalised word that can be part of a name."""
    word = token.text
    if not word[:1].isupper() or not any(c.isalpha() for c in word):
        return False
    return word.lower() not in NOT_NAMES


def _is_adverb(token: Token) -> bool:
    word = token.text
    return word.islower() and (word in _BETWEEN or (word.endswith("ly") and len(word) > 4))


def source_before(toks: list[Token], cue: int, lowest: int) -> tuple[int, int] | None:
    """The source phrase ending just before token ``cue`` (not reaching
    below ``lowest``), as a token range [start, end), or None."""
    j = cue - 1
    while j >= lowest:
        if _is_adverb(toks[j]):
            j -= 1
        elif j - 1 >= lowest and toks[j].lower in _WEEKDAYS and toks[j - 1].lower == "on":
            j -= 2
        elif j - 1 >= lowest and toks[j].lower in _PERIODS and toks[j - 1].lower in _DEICTIC:
            j -= 2  # "Wells Fargo just this month announced"
        else:
            break
    if j >= lowest and toks[j].text == ")":  # "Rep. John Mica (R-Fla.) said"
        k = j
        while k > lowest and toks[k].text != "(" and j - k < 12:
            k -= 1
        if toks[k].text == "(" and k - 1 >= lowest and is_name_word(toks[k - 1]):
            start = _noun_phrase_start(toks, k - 1, lowest)
            return (start, j + 1) if start is not None else None
    if j < lowest:
        return None
    end = j + 1
    if toks[j].text == ",":  # "Name, appositive, said"
        return _appositive_before(toks, j, lowest)
    low = toks[j].lower
    if low in PRONOUNS_SINGULAR or low in PRONOUNS_PLURAL or low in ("i", "we", "it", "who"):
        return (j, end)
    start = _noun_phrase_start(toks, j, lowest)
    if start is None:
        return None
    return (start, end)


def _noun_phrase_start(toks: list[Token], j: int, lowest: int) -> int | None:
    """Where the noun phrase ending at token ``j`` starts (walking left), or
    None when ``j`` ends no name, title or person noun."""
    start = None
    has_head = False
    k = j
    while k >= lowest and j - k < _MAX_SOURCE:
        token = toks[k]
        low = token.lower
        if token.text in _QUOTE_CHARS or (not token.text[0].isalnum() and token.text != "-"):
            break
        if is_name_word(token) or low in _PARTICLES and start is not None:
            has_head = True
        elif low in PERSON_NOUNS or low in TITLES or low in NATIONALITIES:
            has_head = has_head or low in PERSON_NOUNS or low in TITLES
        elif low in DETERMINERS:
            if start is not None:
                start = k
            break
        elif low in _LINKS and start is not None and k > lowest:
            before = toks[k - 1].lower
            if not (before in PERSON_NOUNS or before in TITLES):
                break
        elif token.text.endswith(("'s", "\u2019s")) and token.text[:1].isupper():
            has_head = True  # "Clinton's spokesman"
        elif low in CLAUSE_WORDS or not token.text[:1].isalpha():
            break
        elif token.text.islower() and "-" in token.text and start is not None:
            pass  # "long-time", "co-host"
        elif token.text.isdigit() and start is not None:
            pass  # "63 percent said"
        elif start is not None and _adjective_before(toks, k, j, lowest):
            pass  # "top black lawmakers said"
        elif token.text.islower() and start is None:
            # a noun we do not know: a source only after an article
            # ("the New York businessman", "the ad's narrator")
            return _after_article(toks, k, lowest)
        else:
            break
        start = k
        k -= 1
    if start is None or not has_head:
        return None
    return start


def _adjective_before(toks: list[Token], k: int, head: int, lowest: int) -> bool:
    """A lower-case word before the person noun the phrase ends with ("top
    black lawmakers"): part of it when the phrase opens before it (a
    sentence's or clause's start, a comma, an article)."""
    if toks[head].lower not in PERSON_NOUNS or head - k > 2:
        return False
    word = toks[k].text
    if not word.isalpha() or not word.islower() or word in CLAUSE_WORDS or word in _BETWEEN:
        return False
    if word.endswith(("ing", "ed")) and word not in ("retired", "elected"):
        return False
    before = toks[k - 1] if k > lowest else None
    return (
        before is None
        or before.text in ",\u2014\u2015("
        or before.lower in DETERMINERS
        or (
            before.text.isalpha()
            and before.text.islower()
            and k - 1 > lowest
            and (toks[k - 2].text in ",\u2014\u2015(" or toks[k - 2].lower in DETERMINERS)
        )
    )


def _after_article(toks: list[Token], head: int, lowest: int) -> int | None:
    for k in range(head - 1, max(lowest - 1, head - 5), -1):
        token = toks[k]
        if token.lower in DETERMINERS and token.lower not in ("that", "this", "these", "those"):
            return k
        if not token.text[:1].isalpha() or token.lower in CLAUSE_WORDS:
            return None
        unknown = token.text.islower() and token.lower not in PERSON_NOUNS
        modifier = "-" in token.text or token.text.endswith(("'s", "\u2019s", "al"))
        if unknown and not modifier:
            return None
    return None


def _appositive_before(toks: list[Token], comma: int, lowest: int) -> tuple[int, int] | None:
    """``Name, appositive,`` ending at the comma at ``comma``: the range from
    the name to the end of the appositive."""
    k = comma - 1
    found = None
    name_start = k
    while name_start - 1 > lowest and is_name_word(toks[name_start - 1]):
        name_start -= 1
    named = is_name_word(toks[comma - 1])
    if named and name_start - 1 >= lowest and toks[name_start - 1].text == ",":
        head = _noun_phrase_start(toks, name_start - 2, lowest) if name_start >= 2 else None
        return (head if head is not None else name_start, comma)
    while k > lowest and comma - k < 30:
        if toks[k].text in _QUOTE_CHARS or toks[k].text in ".;:?!":
            break
        last = k - 1  # the word before this comma
        if toks[last].text == ")":  # "Rep. Gregory W. Meeks (D-N.Y.), chairman of ..."
            while last > lowest and toks[last].text != "(":
                last -= 1
            last -= 1
        if toks[k].text == "," and last >= lowest and is_name_word(toks[last]):
            start = _noun_phrase_start(toks, last, lowest)
            if start is not None:
                found = (start, comma)
                if start == lowest:  # the phrase fills the frame: take it whole
                    return found
        k -= 1
    return found


def source_after(toks: list[Token], cue: int, highest: int) -> tuple[int, int] | None:
    """The source phrase just after token ``cue`` ("said Michael Kugelman,
    deputy director of ..."), up to ``highest`` (exclusive), or None."""
    j = cue + 1
    if j >= highest:
        return None
    first = toks[j]
    low = first.lower
    if low in PRONOUNS_SINGULAR or low in PRONOUNS_PLURAL:
        return (j, j + 1)
    if not (is_name_word(first) or low in DETERMINERS or low in PERSON_NOUNS or low in TITLES):
        # "said 9/11 widow Terry Strada": a name a few words on
        ahead = toks[j : min(highest, j + 5)]
        named = [n for n, t in enumerate(ahead) if is_name_word(t)]
        if not named or any(t.text in ',.;:"\u201c\u201d' for t in ahead[: named[0]]):
            return None
    k = j
    has_head = False
    while k < highest:
        token = toks[k]
        if token.text in _QUOTE_CHARS or token.text in ".;:?!\u2014(":
            break
        if token.text == ",":
            # an appositive runs on; a participle or "who" starts a new clause
            following = toks[k + 1] if k + 1 < highest else None
            if (
                following is None
                or following.lower in CLAUSE_WORDS
                or following.lower
                in (
                    "adding",
                    "saying",
                    "according",
                    "in",
                    "on",
                )
            ):
                break
            if following.text.endswith("ing") and following.text.islower():
                break
        elif not has_head and token.text.islower() and token.lower in ("in", "on", "at", "during"):
            break
        if is_name_word(token) or token.lower in PERSON_NOUNS:
            has_head = True
        elif has_head and token.lower in ("in", "on", "during", "at") and is_name_word(toks[k - 1]):
            break  # "said Trump in a speech": the speech is not the speaker
        k += 1
    if not has_head:
        return None
    while k > j and toks[k - 1].text in ",":
        k -= 1
    return (j, k)


def speaker_of(toks: list[Token]) -> Speaker:
    """The speaker a source phrase names (see the module doc)."""
    if len(toks) == 1:
        low = toks[0].lower
        if low in PRONOUNS_SINGULAR or low in PRONOUNS_PLURAL or low == "who":
            return Speaker(None, low)
        if low in ("i", "we", "it"):
            return Speaker(None, None)
    head = toks
    for i, token in enumerate(toks):
        if token.text == "," and i > 0:
            head = toks[:i]
            rest = [t for t in toks[i + 1 :] if t.text != ","]
            if (
                rest
                and all(is_name_word(t) for t in rest)
                and not any(is_name_word(t) for t in head)
            ):
                head = rest  # "one of the family's attorneys, Justin Bamberg"
            break
    run_end = None
    for i in range(len(head) - 1, -1, -1):
        if is_name_word(head[i]) and not head[i].text.endswith(("'s", "\u2019s")):
            run_end = i + 1
            break
    if run_end is None:
        return Speaker(_as_written(head) or None)
    run_start = run_end - 1
    while run_start > 0 and (
        is_name_word(head[run_start - 1]) or head[run_start - 1].lower in _PARTICLES
    ):
        if head[run_start - 1].text.endswith(("'s", "\u2019s")):
            break
        run_start -= 1
    run = head[run_start:run_end]
    rest = head[run_end:]
    if rest and any(t.text.isalpha() and t.text.islower() for t in rest):
        # "the Clinton campaign", "the U.S. president": a role or a body
        return Speaker(_as_written(head))
    name_start = 0
    for i, token in enumerate(run):
        low = token.lower.rstrip(".")
        if low in TITLES or token.lower in TITLES or low in NATIONALITIES:
            name_start = i + 1
        elif low in ORGANISATION_WORDS and i + 1 < len(run):
            name_start = i + 1  # "ABC News Chief Anchor George ..."
    name = run[name_start:]
    if not name:
        return Speaker(_as_written(head))
    titled = name_start > 0
    organisation = any(t.lower in ORGANISATION_WORDS for t in name)
    person = not organisation and (titled or len(name) >= 2 or len(name) == 1)
    return Speaker(" ".join(t.text for t in name), None, person)


def _as_written(toks: list[Token]) -> str:
    words = [t for t in toks if t.text not in _QUOTE_CHARS]
    while words and words[0].lower in DETERMINERS:
        words = words[1:]
    if not words:
        return ""
    text = " ".join(t.text for t in words)
    return text.replace(" ,", ",").replace(" '", "'")


def sentence_subject(toks: list[Token], cue: int) -> tuple[int, int] | None:
    """The sentence's subject, for a participle cue (", insisting that"): the
    first noun phrase at the start, or after an opening phrase and its comma
    ("During a speech, Trump attacked ..."), that comes before a verb."""
    for j in range(1, min(cue, 30)):
        if not toks[j].text.isalpha() or not toks[j].text.islower():
            continue
        src = source_before(toks, j, 0)
        if src is not None and (src[0] == 0 or toks[src[0] - 1].text == ","):
            return src
    return None

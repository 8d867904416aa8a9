"""Who "he", "she" and "they" are, and who says a quotation without a cue.

- A name is written in full once and by surname after ("President Joe
  Biden" ... "Biden"): a surname alone becomes the full name seen before.
- "he" / "she" as a source: the first person named in its own sentence
  before it, else the first person named in the nearest sentence before
  that names one (the subject of the last sentence is the likeliest
  antecedent; "When Trump handed over ..., he had ..."). A person already
  referred to by the other pronoun is passed over.
- "they": the last organisation or group that was a source.
- A direct quotation without a cue: the speaker of the quotation right
  after it in its paragraph when that one has a cue ("'A.' 'B,' she
  said"), else of the last direct quotation before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.extraction.lexicon import NATIONALITIES, ORGANISATION_WORDS, TITLES
from tracker.extraction.sources import is_name_word
from tracker.extraction.text import Layout, Token

if TYPE_CHECKING:
    from tracker.extraction.found import Found

_GENDER_TITLES = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f"}
# Titles that pick out one person in an article ("the president", "the senator").
_ROLE_TITLES = frozenset(
    [
        "president",
        "senator",
        "governor",
        "secretary",
        "minister",
        "mayor",
        "speaker",
        "chancellor",
        "envoy",
    ]
)
_ROLE_MODIFIERS = frozenset(
    ["u.s", "u.k", "uk", "us", "former", "vice", "prime", "foreign", "state", "the"]
)
_LOOK_BACK = 6  # sentences searched for a pronoun's antecedent
_CONTINUE_WITHIN = 3  # paragraphs over which a speaker without a cue carries on


@dataclass
class _Mention:
    offset: int
    sentence: int
    name: str
    person: bool
    titles: frozenset[str] = frozenset()


class _Names:
    """Names seen so far: surnames to full names, and known genders."""

    def __init__(self) -> None:
        self.full: dict[str, str] = {}
        self.gender: dict[str, str] = {}

    def canonical(self, name: str) -> str:
        words = name.split()
        if len(words) == 1 and words[0] in self.full:
            return self.full[words[0]]
        if len(words) >= 2:
            self.full.setdefault(_surname(words), name)
        return name


def _surname(words: list[str]) -> str:
    end = len(words)
    while end > 1 and words[end - 1].lower().rstrip(".") in ("jr", "sr", "ii", "iii"):
        end -= 1
    return words[end - 1]


def _mentions(layout: Layout, sentence_tokens: list[list[Token]], names: _Names) -> list[_Mention]:
    """The names in the text outside quotations, in order, canonical."""
    found: list[_Mention] = []
    for index, toks in enumerate(sentence_tokens):
        i = 0
        while i < len(toks):
            if not is_name_word(toks[i]) or layout.in_region(toks[i].start) is not None:
                i += 1
                continue
            j = i
            while j < len(toks) and is_name_word(toks[j]):
                j += 1
                if toks[j - 1].text.endswith(("'s", "\u2019s")):
                    break
            run = [t.text.removesuffix("'s").removesuffix("\u2019s") for t in toks[i:j]]
            gender = None
            start = 0
            titles: set[str] = set()
            for k, word in enumerate(run):
                low = word.lower()
                if low in TITLES or low in NATIONALITIES or low.rstrip(".") in TITLES:
                    start = k + 1
                    gender = _GENDER_TITLES.get(low, gender)
                    titles.add(low.rstrip("."))
            words = run[start:]
            if words:
                organisation = any(w.lower() in ORGANISATION_WORDS for w in words)
                known = len(words) == 1 and words[0] in names.full
                person = not organisation and (start > 0 or len(words) >= 2 or known)
                name = names.canonical(" ".join(words)) if person else " ".join(words)
                if gender is not None:
                    names.gender.setdefault(name, gender)
                found.append(_Mention(toks[i].start, index, name, person, frozenset(titles)))
            i = j
    return found


def resolve_speakers(
    layout: Layout, sentence_tokens: list[list[Token]], found: list[Found]
) -> None:
    """Set ``name`` on every attribution in ``found`` (in text order)."""
    names = _Names()
    mentions = _mentions(layout, sentence_tokens, names)
    by_sentence: dict[int, list[_Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    last_group: str | None = None
    last_pronoun: dict[str, str] = {}
    for item in sorted(found, key=lambda f: f.source[0] if f.source else f.content[0][0]):
        speaker = item.speaker
        if speaker is None:
            continue
        if speaker.name is not None:
            item.name = names.canonical(speaker.name) if speaker.person else speaker.name
            if not speaker.person and item.source is not None:
                # "the U.S. president": the person the article gave that title
                item.name = _titled(mentions, speaker.name, item.source[0]) or item.name
            if not speaker.person:
                last_group = item.name
            continue
        if speaker.pronoun in ("he", "she") and item.source is not None:
            item.name = _antecedent(layout, by_sentence, names, item.source[0], speaker.pronoun)
            # nobody named near: the last speaker already called so
            item.name = item.name or last_pronoun.get(speaker.pronoun)
            if item.name is not None:
                last_pronoun[speaker.pronoun] = item.name
                names.gender.setdefault(item.name, "m" if speaker.pronoun == "he" else "f")
                sentence = layout.sentence_at(item.source[0])
                mentioned = by_sentence.setdefault(sentence, [])
                mentioned.append(_Mention(item.source[0], sentence, item.name, True))
                mentioned.sort(key=lambda m: m.offset)
        elif speaker.pronoun == "they":
            item.name = last_group
        elif speaker.pronoun == "who" and item.source is not None:
            # "Schiff, who said ...": the name just before, in its sentence
            here = layout.sentence_at(item.source[0])
            before = [m for m in by_sentence.get(here, []) if m.offset < item.source[0]]
            item.name = before[-1].name if before else None
    _continue_speakers(found)


def _titled(mentions: list[_Mention], role: str, offset: int) -> str | None:
    """The person most recently mentioned before ``offset`` among those the
    text named with the role's title ("President Joe Biden" ... "the U.S.
    president"): None when the role has no title word or nobody had it."""
    words = {w.lower().rstrip(".") for w in role.split()}
    wanted = {w for w in words if w in _ROLE_TITLES}
    if not wanted or len(words - wanted - NATIONALITIES - _ROLE_MODIFIERS) > 0:
        return None
    titled = {m.name for m in mentions if m.offset < offset and m.person and wanted <= m.titles}
    for mention in reversed([m for m in mentions if m.offset < offset]):
        if mention.name in titled:
            return mention.name
    return None


def _antecedent(
    layout: Layout,
    by_sentence: dict[int, list[_Mention]],
    names: _Names,
    offset: int,
    pronoun: str,
) -> str | None:
    gender = "m" if pronoun == "he" else "f"
    here = layout.sentence_at(offset)
    for sentence in range(here, max(-1, here - _LOOK_BACK), -1):
        for mention in by_sentence.get(sentence, []):
            if not mention.person:
                continue
            if sentence == here and mention.offset >= offset:
                continue
            if names.gender.get(mention.name, gender) != gender:
                continue
            return mention.name
    return None


def _continue_speakers(found: list[Found]) -> None:
    directs = [f for f in found if f.mode == "direct"]
    for number, item in enumerate(directs):
        if not item.continuation:
            continue
        nxt = directs[number + 1] if number + 1 < len(directs) else None
        if nxt is not None and nxt.paragraph == item.paragraph and not nxt.continuation:
            item.name, item.source = nxt.name, nxt.source
            continue
        for previous in reversed(directs[:number]):
            if item.paragraph - previous.paragraph > _CONTINUE_WITHIN:
                break
            if previous.name is not None:
                item.name = previous.name
                if previous.paragraph == item.paragraph:
                    item.source = previous.source  # the same source phrase attributes both
                break

"""Speech cues: the verbs and phrases that report what someone said."""

from __future__ import annotations

from tracker.extraction.lexicon import (
    CALL_PARTICLES,
    CLAUSE_NOUN_VERBS,
    CLAUSE_ONLY,
    CUE_PHRASES,
    DETERMINERS,
    SPEECH_VERBS,
)
from tracker.extraction.text import Token

_QUOTE_OR_COLON = set(':,"\u201c\u201d')
_PHRASE_STARTS = frozenset(phrase[0] for phrase in CUE_PHRASES)
_OPENING = set('"\u201c')


def cue_length(toks: list[Token], i: int, *, quoted: bool = False, headline: bool = False) -> int:
    """How many tokens the speech cue starting at token ``i`` has (0: none).

    A verb counts when written in lower case (not "States" or "Says" in a
    headline) and not used as a noun after an article ("a warning", "his
    claims"); "called" only as "called for/on/it ..."; "continued" only
    before a colon or a quotation ("Caddell continued: ..."). ``quoted``: the
    verb frames a quotation, which is its clause ("...," Clarke recalled);
    ``headline``: the sentence is in title case, so a verb may be too."""
    if not 0 <= i < len(toks):
        return 0
    token = toks[i]
    word = token.text
    low = token.lower
    if low in _PHRASE_STARTS:
        for phrase in CUE_PHRASES:
            n = len(phrase)
            if tuple(t.lower for t in toks[i : i + n]) == phrase:
                return n
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if low in CLAUSE_NOUN_VERBS and word.islower() and nxt is not None and nxt.lower == "that":
        # "He notes that ...", not "his notes"
        return 0 if i > 0 and toks[i - 1].lower in DETERMINERS else 1
    if low not in SPEECH_VERBS:
        return 0
    sentence_initial = i == 0 and low in ("asked", "speaking")
    in_headline = headline and word.istitle() and i > 0  # "Sanders Vows To ..."
    if not word.islower() and not sentence_initial and not in_headline:
        return 0
    if i > 0 and toks[i - 1].lower in DETERMINERS:
        return 0
    lemma = SPEECH_VERBS[low]
    if lemma == "call":
        if nxt is not None and nxt.lower in ("for", "on"):
            return 2  # "called for", "called on": the particle is part of the cue
        if nxt is not None and nxt.lower in CALL_PARTICLES:
            return 1
        # "called Trump a "pathological liar"": naming in someone's words
        return 1 if any(t.text in _OPENING for t in toks[i + 1 : i + 7]) else 0
    if quoted and lemma != "call":
        return 1
    if lemma == "continue":
        return 1 if nxt is None or nxt.text in _QUOTE_OR_COLON else 0
    if lemma in CLAUSE_ONLY:  # "recalled that ...", not "recalled its ambassador"
        ahead = [t.lower for t in toks[i + 1 : i + 9]]
        return 1 if "that" in ahead or (nxt is not None and nxt.text in _QUOTE_OR_COLON) else 0
    if nxt is not None and nxt.lower in ("by", "of") and lemma in ("report", "state", "claim"):
        return 0
    return 1


def lemma_of(toks: list[Token], i: int) -> str:
    """The cue's lemma ("say" for "said"; a phrase as its words)."""
    low = toks[i].lower
    if low in SPEECH_VERBS and toks[i].text.islower():
        return SPEECH_VERBS[low]
    return low

"""Reported speech: a speech cue outside quotation marks with a source
phrase beside it, and the clause it governs.

The content is after the cue (past an addressee and "that") to the
sentence's end, or, when the sentence opens with it (``..., X said.``),
from the sentence's start to the comma. Speech-event details at the end
("in an interview with ...") and the writer's asides (", which ...") are
left out. A quoted fragment inside makes it mixed.
"""

from __future__ import annotations

from tracker.extraction.cues import cue_length, lemma_of
from tracker.extraction.found import Found, char_range, trim
from tracker.extraction.lexicon import (
    ADDRESSEE_VERBS,
    CIRCUMSTANCE_OPENERS,
    CIRCUMSTANTIAL,
)
from tracker.extraction.model import Mode
from tracker.extraction.sources import (
    sentence_subject,
    source_after,
    source_before,
    speaker_of,
)
from tracker.extraction.text import Layout, Token

_SUBJECT_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i"])
_PREPOSITIONS = frozenset(
    ["in", "on", "at", "for", "during", "since", "by", "with", "after", "before", "about"]
)
_PASSIVE = frozenset(["was", "were", "been", "being", "is", "are", "be"])
_WH_WORDS = frozenset(["how", "what", "why", "whether", "if", "when", "where", "who"])


def reported_speech(
    layout: Layout, sentence_tokens: list[list[Token]], used: set[int], direct: list[Found]
) -> list[Found]:
    found: list[Found] = []
    direct_chars = [(s, e) for f in direct for s, e in f.content]
    for index, toks in enumerate(sentence_tokens):
        sentence_start, sentence_end = layout.sentences[index]
        paragraph = layout.sentence_paragraph[index]
        skip_until = -1
        words = [t for t in toks if t.text[:1].isalpha()]
        headline = len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)
        for i, token in enumerate(toks):
            if token.start < skip_until or token.start in used:
                continue
            if layout.in_region(token.start) is not None:
                continue
            n = cue_length(toks, i, headline=headline)
            if not n:
                continue
            made = _reported_at(layout, toks, i, n, sentence_start, sentence_end)
            if made is None:
                continue
            content, source = made
            if not content or _covered(content, direct_chars):
                continue
            quoted = any(layout.overlaps_region(s, e) for s, e in content)
            mode: Mode = "mixed" if quoted else "indirect"
            cue = (toks[i].start, toks[i + n - 1].end)
            speaker = None
            if source is not None:
                speaker = speaker_of([t for t in toks if source[0] <= t.start < source[1]])
            found.append(
                Found(mode, content, cue, source, speaker, 0.7 if mode == "indirect" else 0.8)
            )
            found[-1].paragraph = paragraph
            if content[-1][0] > cue[0]:
                skip_until = content[-1][1]
            else:
                _continue_apostrophe_quote(layout, found[-1], index)
    return found


def _continue_apostrophe_quote(layout: Layout, found: Found, sentence: int) -> None:
    """``''A,'' Mr. Burman said. ''B.''``: doubled apostrophes are no
    quotation marks to the rules, but a quotation in them that goes on
    after its cue belongs with it, as with real marks."""
    text = layout.text
    start = found.content[0][0]
    if text[start : start + 2] != "''" or sentence + 1 >= len(layout.sentences):
        return
    if layout.sentence_paragraph[sentence + 1] != layout.sentence_paragraph[sentence]:
        return
    following = layout.sentences[sentence + 1][0]
    if text[following : following + 2] != "''":
        return
    para_end = layout.paragraphs[layout.sentence_paragraph[sentence]][1]
    close = text.find("''", following + 2, para_end)
    end = close + 2 if close >= 0 else para_end
    found.content.append(trim(text, following, end))


def _covered(content: list[tuple[int, int]], direct: list[tuple[int, int]]) -> bool:
    """Most of ``content`` is already a direct quotation."""
    total = sum(e - s for s, e in content)
    inside = sum(max(0, min(e, de) - max(s, ds)) for s, e in content for ds, de in direct)
    return total == 0 or inside >= 0.8 * total


def _reported_at(
    layout: Layout, toks: list[Token], i: int, n: int, sentence_start: int, sentence_end: int
) -> tuple[list[tuple[int, int]], tuple[int, int] | None] | None:
    """Content and source for the cue at token ``i`` (``n`` tokens long)."""
    text = layout.text
    last = i + n - 1
    if toks[i].lower == "according":
        src = _according_source(toks, last)
        if src is None:
            return None
        if i == 0 or toks[i - 1].text in ("\u2014", "(") or _only_adverbials(toks[:i]):
            after = src[1]
            if after < len(toks) and toks[after].text == ",":
                after += 1
            if after >= len(toks):
                return None
            content = trim(text, toks[after].start, sentence_end)
            content = (content[0], _drop_final_stop(text, *content))
        else:
            content = trim(text, sentence_start, toks[i].start)
        return [content], char_range(toks, src)
    before = i - 1
    while before > 0 and (toks[before].text.endswith("ly") or toks[before].text == "first"):
        before -= 1
    if before >= 0 and toks[before].lower in _PASSIVE and toks[i].text.endswith("ed"):
        return None  # "a curfew was announced": what was announced is no speaker
    src = source_before(toks, i, 0)
    participle = i > 0 and toks[i - 1].text == "," and toks[i].text.endswith("ing")
    # "Cruz exhorted ... and said he was ...": the subject of the sentence
    coordinated = i > 0 and toks[i - 1].lower in ("and", "but")
    if src is None and (participle or coordinated):
        src = sentence_subject(toks, i)
        if src is not None:
            return _right_content(layout, toks, i, last, sentence_end), char_range(toks, src)
        return None
    if src is None:
        inverted = source_after(toks, last, len(toks))
        if inverted is not None and i > 1 and toks[i - 1].text in (",", "\u201d", '"', "'"):
            content = trim(text, sentence_start, toks[i - 1].start)
            return [content], char_range(toks, inverted)
        return None
    left = [t for t in toks[: src[0]] if t.text[:1].isalnum()]
    comma = src[0] - 1
    while comma > 0 and toks[comma].text in ("'", "\u2019", "\u201d", '"'):
        comma -= 1  # ",'' Douglas Holtz-Eakin ... told": a quotation's comma
    if comma > 0 and toks[comma].lower == "as" and toks[comma - 1].text == ",":
        comma -= 1  # "..., as police have said"
    if comma >= 0 and toks[comma].text == "," and len(left) >= 3:
        rest = [t for t in toks[last + 1 :] if t.text[:1].isalnum()]
        content = trim(text, sentence_start, toks[comma].start)
        if len(rest) <= 4:
            return [content], char_range(toks, src)
        if toks[last + 1].text == ",":  # "If ..., he added, it won't be ..."
            right = trim(text, toks[last + 1].end, sentence_end)
            right = (right[0], _drop_final_stop(text, *right))
            return [content, right], char_range(toks, src)
    return _right_content(layout, toks, i, last, sentence_end), char_range(toks, src)


def _drop_final_stop(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in ".?!":
        end -= 1
    return end


def _according_source(toks: list[Token], last: int) -> tuple[int, int] | None:
    """ "according to" + whatever names the source, up to a comma."""
    end = last + 1
    while end < len(toks) and end - last <= 20 and toks[end].text not in ",.;:?!\u2014()":
        end += 1
    return (last + 1, end) if end > last + 1 else None


def _only_adverbials(toks: list[Token]) -> bool:
    return len(toks) <= 3 and all(not t.text[:1].isupper() or t.text == "," for t in toks[1:])


def _right_content(
    layout: Layout, toks: list[Token], i: int, last: int, sentence_end: int
) -> list[tuple[int, int]]:
    text = layout.text
    k = last + 1
    lemma = lemma_of(toks, i)
    addressee = lemma in ADDRESSEE_VERBS
    for j in range(k, min(len(toks), k + (9 if addressee else 5))):
        word = toks[j]
        if word.lower == "that" and word.text.islower():
            k = j + 1
            break
        if lemma == "tell" and word.lower in _WH_WORDS:
            k = j
            break
        if word.text in ("\u201c", '"', ";", ","):
            break
        # between a cue and its "that" only an addressee ("told reporters
        # that") or a time or place ("said on Tuesday that") may come
        if not addressee and not _circumstantial(word):
            break
    addressed = lemma == "tell" or (k < len(toks) and toks[k].lower == "to")
    if k == last + 1 and addressed:  # "told reporters he would ...", "signaled to Ghani it's ..."
        for j in range(k + 1, min(len(toks), k + 7)):
            pronoun = toks[j].lower.replace("\u2019", "'").split("'")[0]  # "it's": "it"
            if pronoun in _SUBJECT_PRONOUNS and toks[j].text.islower():
                k = j
                break
            if not toks[j].text[:1].isalnum():
                break
    if k >= len(toks):
        return []
    end = sentence_end
    for j in range(k + 3, len(toks)):
        if layout.in_region(toks[j].start) is None and cue_length(toks, j):
            # the next report in the sentence ends this one: "..., but he
            # said ...", "... and warned ..."
            src = source_before(toks, j, k)
            stop = src[0] if src is not None else j
            while stop > k and toks[stop - 1].lower in ("and", "but", ",", "while"):
                stop -= 1
            if src is not None or toks[j - 1].lower in ("and", "but"):
                end = toks[stop].start if stop < len(toks) else end
                break
        if toks[j].lower == "according" and toks[j - 1].text == ",":
            end = toks[j - 1].start
            break
        if _circumstance_at(toks, j):
            end = toks[j - 1].start if toks[j - 1].text == "," else toks[j].start
            break
        if toks[j].text == ";":
            end = toks[j].start
            break
        if _aside_at(toks, j):
            end = toks[j].start  # ", which ...", ", citing ...": the writer's aside
            break
    start, end = trim(text, toks[k].start, end)
    while end > start and text[end - 1] in ".?!":
        end -= 1
    words = [t for t in toks if start <= t.start < end and t.text[:1].isalnum()]
    if len(words) < 2 or all(_circumstantial(t) for t in words):
        return []  # "spoke on Monday": when, not what
    if words[0].lower in _PREPOSITIONS and len(words) <= 5:
        return []  # "said in a phone interview", "was reported by ...": where or by whom
    return [(start, end)]


_ASIDE_OPENERS = frozenset(["which", "although", "though", "whereas"])


def _aside_at(toks: list[Token], j: int) -> bool:
    """Where the writer's own words take over from a report: ", which ...",
    ", although ...", a participle after a comma (", citing ...", ", arguing
    ..."). (Not a dash: what follows one is as often the speaker's.)"""
    token = toks[j]
    if token.text != "," or j + 1 >= len(toks):
        return False
    following = toks[j + 1]
    if following.lower in _ASIDE_OPENERS:
        return True
    return following.text.islower() and following.text.endswith("ing") and len(following.text) > 5


def _circumstantial(token: Token) -> bool:
    low = token.lower
    return low in CIRCUMSTANTIAL or (low.endswith("ly") and token.text.islower())


_CIRCUMSTANCE_STARTS = frozenset(p[0] for p in CIRCUMSTANCE_OPENERS)


def _circumstance_at(toks: list[Token], j: int) -> bool:
    if toks[j].lower not in _CIRCUMSTANCE_STARTS:
        return False
    words = tuple(t.lower for t in toks[j : j + 5])
    return any(words[: len(p)] == p for p in CIRCUMSTANCE_OPENERS)

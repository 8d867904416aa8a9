"""Direct quotations: which quoted stretches stand as a clause of their
own, and their cue and source.

- A quotation is direct when it stands as a clause: it opens its sentence,
  or follows a colon or a speech cue ("X said, "...""), and it ends its
  sentence or is followed by its attribution (``"...," he said``), or ends
  with punctuation inside the marks; or it is nine tenths of its clause.
  A quotation still open at a paragraph's end continues when the next
  paragraph opens with a quotation mark: one attribution, one piece per
  paragraph.
- Its cue and source are looked for after it (``"...," said X`` or
  ``"...," X said``), then before it (``X said: "..."``), then in the
  paragraph before when that ends with a colon.
"""

from __future__ import annotations

import re

from tracker.extraction.cues import cue_length, lemma_of
from tracker.extraction.found import Found, char_range, trim
from tracker.extraction.lexicon import (
    ADDRESSEE_VERBS,
    NAMING_VERBS,
)
from tracker.extraction.sources import (
    Speaker,
    is_name_word,
    sentence_subject,
    source_after,
    source_before,
    speaker_of,
)
from tracker.extraction.text import Layout, Region, Token, tokens

_SENTENCE_LIKE_END = tuple(".,?!\u2026\u2014-;:")
_INNER_MARKS = "'\u2019\"\u201d "


def _chains(layout: Layout) -> list[list[Region]]:
    """Quotations, each one region or more: a region left open at its
    paragraph's end goes on in the next paragraph if that opens with a mark."""
    chains: list[list[Region]] = []
    previous: Region | None = None
    previous_paragraph = -1
    for region, paragraph in zip(layout.regions, layout.region_paragraph, strict=True):
        starts_paragraph = region.start == layout.paragraphs[paragraph][0]
        if (
            previous is not None
            and not previous.closed
            and starts_paragraph
            and previous_paragraph == paragraph - 1
            and _straight(layout.text[previous.start]) == _straight(layout.text[region.start])
        ):
            chains[-1].append(region)
        else:
            chains.append([region])
        previous, previous_paragraph = region, paragraph
    return chains


def _straight(mark: str) -> bool:
    return mark == '"'


def _frame_tokens(
    layout: Layout, sentence_tokens: list[list[Token]], start: int, end: int
) -> list[Token]:
    """The tokens between ``start`` and ``end``, outside quotation regions."""
    out: list[Token] = []
    first = layout.sentence_at(start)
    last = layout.sentence_at(max(start, end - 1))
    for index in range(first, last + 1):
        for token in sentence_tokens[index]:
            if start <= token.start and token.end <= end and layout.in_region(token.start) is None:
                out.append(token)
    return out


def _first_cue(toks: list[Token], limit: int) -> int | None:
    for i in range(min(limit, len(toks))):
        if cue_length(toks, i, quoted=True):
            return i
    return None


def direct_quotes(
    layout: Layout, sentence_tokens: list[list[Token]]
) -> tuple[list[Found], set[int]]:
    text = layout.text
    found: list[Found] = []
    used: set[int] = set()  # start offsets of cue tokens taken by a quotation
    for whole in _chains(layout):
        chain = _transcript_turns(layout, whole, found)
        if not chain:
            continue
        first, last = chain[0], chain[-1]
        paragraph = layout.paragraph_at(first.start)
        pieces = [trim(text, r.inner_start, r.inner_end) for r in chain]
        pieces = [p for p in pieces if p[0] < p[1]]
        if not pieces:
            continue
        sentence = layout.sentence_at(first.start)
        sentence_start = layout.sentences[sentence][0]
        para_start, para_end = layout.paragraphs[layout.paragraph_at(last.start)]
        # the frame before: from the previous quotation (or the sentence's start)
        before_start = layout.last_region_end(sentence_start, first.start) or sentence_start
        before = _frame_tokens(layout, sentence_tokens, before_start, first.start)
        # the frame after: to the sentence's end or the next quotation
        after_end = para_end
        if last.closed:
            end_sentence = layout.sentence_at(last.end - 1)
            after_end = min(para_end, max(layout.sentences[end_sentence][1], last.end))
            after_end = layout.first_region_start(last.end, after_end) or after_end
        after = _frame_tokens(layout, sentence_tokens, last.end, after_end) if last.closed else []
        inner_text = text[pieces[-1][0] : last.inner_end].rstrip().rstrip(_INNER_MARKS)
        long_quote = sum(len(tokens(text, s, e)) for s, e in pieces) >= 5
        ends = not any(t.text[:1].isalnum() for t in after)
        quoted = sum(c.isalnum() for a, b in pieces for c in text[a:b])
        if not _opens_clause(before, long_quote, ends, after, quoted):
            continue
        if not _closes_clause(after, inner_text, long_quote, quoted) and not _named(before):
            continue
        cue, source = _direct_frame(layout, sentence_tokens, before, after, first, paragraph)
        if cue is None and not last.closed and len(chain) == 1:
            continue  # an excerpt left open, not a newspaper's multi-paragraph quote
        if cue is None and text[first.start] in "\u2018'":
            continue  # single marks without an attribution: a title, a term
        if cue is not None:
            used.add(cue[0])
        speaker = None
        if source is not None:
            speaker = speaker_of(_frame_tokens(layout, sentence_tokens, source[0], source[1]))
        confidence = 0.95 if cue is not None else 0.75
        found.append(
            Found(
                "direct",
                pieces,
                cue,
                source,
                speaker,
                confidence,
                paragraph,
                continuation=cue is None,
                lower_start=text[pieces[0][0]].islower(),
            )
        )
    return _join_split_quotes(found), used


def _join_split_quotes(found: list[Found]) -> list[Found]:
    """``"A," he added, "B."``: one attribution, the quotation in two pieces."""
    joined: list[Found] = []
    for item in found:
        previous = joined[-1] if joined else None
        if previous is not None and item.cue is not None and item.cue == previous.cue:
            # only a short frame between them ("...," he added, "..."), or a
            # second part that goes on with the sentence in lower case
            between = previous.content[-1][1], item.content[0][0]
            if between[1] - between[0] <= 60 or item.mode == "direct" and item.lower_start:
                previous.content.extend(item.content)
                continue
        joined.append(item)
    return joined


_LABEL = re.compile(r"([A-Z][A-Z.'’\- ]{1,40}):\s+")


def _transcript_turns(layout: Layout, chain: list[Region], found: list[Found]) -> list[Region]:
    """A quoted transcript ("WALLACE: ... / PENCE: ..."): each paragraph
    that opens with a speaker's label in capitals is a quotation of that
    speaker (added to ``found``); the regions before the first label are
    returned, to be read as any quotation."""
    text = layout.text
    labelled = [n for n, r in enumerate(chain) if _LABEL.match(text, r.inner_start)]
    if not labelled:
        return chain
    number = labelled[0]
    for region in chain[number:]:
        label = _LABEL.match(text, region.inner_start)
        if label is None:
            if found and found[-1].cue is not None and text[found[-1].cue[0]] == ":":
                piece = trim(text, region.inner_start, region.inner_end)
                if piece[0] < piece[1]:
                    found[-1].content.append(piece)
            continue
        piece = trim(text, label.end(), region.inner_end)
        if piece[0] >= piece[1]:
            continue
        name = label.group(1).strip()
        source = (label.start(1), label.start(1) + len(name))
        colon = label.end(1)
        speaker = Speaker(name.title(), None, True)
        found.append(
            Found(
                "direct",
                [piece],
                (colon, colon + 1),
                source,
                speaker,
                0.9,
                layout.paragraph_at(region.start),
            )
        )
    return chain[:number]


def _opens_clause(
    before: list[Token], long_quote: bool, ends: bool, after: list[Token], quoted: int = 0
) -> bool:
    """Nothing before the quotation in its sentence but its attribution
    (or its subject: ``Clinton "is the only ...," X said``)."""
    if not before or before[-1].text == ":":
        return True
    words = [t for t in before if t.text[:1].isalnum()]
    if not words:
        return True
    subject = len(before) <= 3 and all(is_name_word(t) for t in before)
    if subject and long_quote and any(cue_length(after, i) for i in range(min(len(after), 8))):
        return True
    for i in range(len(before) - 1, -1, -1):
        n = cue_length(before, i)
        if n:
            tail = before[i + n :]
            unquoted = sum(c.isalnum() for t in tail if t.lower != "that" for c in t.text)
            if quoted >= 0.9 * (quoted + unquoted):
                return True  # 'said that the country has spent "hundreds of years ..."'
            if any(t.lower == "that" for t in tail[:-1]):
                return False  # 'said that if ..., "...": the clause starts before the quote
            if not tail or tail[-1].text in (",", ":") or tail[-1].lower == "that":
                return len(tail) <= 12
            lemma = lemma_of(before, i)
            if lemma in ADDRESSEE_VERBS and len(tail) <= 4:
                return True
            named = ends or len(tail) <= 2
            if lemma in NAMING_VERBS and named and len(tail) <= 7 and "," not in tail[-1].text:
                return True  # 'accused Kim Jong Un of "fanatic recklessness."'
            # "said he "...": a subject before the quoted clause; "called it
            # a "...".": a few words before a quotation that ends the sentence
            return (len(tail) <= 2 and long_quote) or (len(tail) <= 3 and ends)
    return False


def _named(before: list[Token]) -> bool:
    """A verb of naming right before the quotation ('call them "lone
    wolves" and ...'): the quoted words are its object, however the
    sentence goes on."""
    for i in range(len(before) - 1, max(-1, len(before) - 4), -1):
        if cue_length(before, i) and lemma_of(before, i) in NAMING_VERBS:
            return all(t.text.isalpha() for t in before[i + 1 :])
    return False


def _closes_clause(after: list[Token], inner: str, long_quote: bool, quoted: int = 0) -> bool:
    if inner.endswith(_SENTENCE_LIKE_END):
        return True
    words = [t for t in after if t.text[:1].isalnum()]
    if not words:
        return True
    if quoted >= 0.9 * (quoted + sum(len(t.text) for t in words)) and not cue_length(after, 0):
        return True  # nearly all quoted: "...," a stray word or two after it
    return not words or (long_quote and len(words) <= 2 and not cue_length(after, 0))


def _direct_frame(
    layout: Layout,
    sentence_tokens: list[list[Token]],
    before: list[Token],
    after: list[Token],
    first: Region,
    paragraph: int,
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The cue and source of a direct quotation, as character ranges."""
    toks = [t for t in after if t.text != ","] if after and after[0].text == "," else after
    if toks:
        start = 1 if toks[0].text == "," else 0
        dash = _dash_source(toks)
        if dash is not None:
            return dash
        ci = _first_cue(toks, 30)
        if ci is not None and not _sentence_ends_before(toks, ci):
            n = cue_length(toks, ci, quoted=True)
            cue = (toks[ci].start, toks[ci + n - 1].end)
            src = source_before(toks, ci, start) if ci > start else None
            if src is None:
                src = source_after(toks, ci + n - 1, len(toks))
            return cue, char_range(toks, src)
    frames = [before]
    para_start = layout.paragraphs[paragraph][0]
    if first.start == para_start and paragraph > 0:
        prev_start, prev_end = layout.paragraphs[paragraph - 1]
        if layout.text[prev_end - 1] == ":":
            last_sentence = layout.sentence_at(prev_end - 1)
            s, _ = layout.sentences[last_sentence]
            frames.append(_frame_tokens(layout, sentence_tokens, s, prev_end))
    for frame in frames:
        found_cue: tuple[int, int] | None = None
        for i in range(len(frame) - 1, -1, -1):
            n = cue_length(frame, i, quoted=True)
            if not n:
                continue
            cue = found_cue = found_cue or (frame[i].start, frame[i + n - 1].end)
            if frame[i].lower == "according":
                src = source_after(frame, i + n - 1, len(frame))
            else:
                src = source_before(frame, i, 0) or source_after(frame, i + n - 1, len(frame))
                if src is None and frame[i].text.endswith("ing"):
                    src = sentence_subject(frame, i)
            if src is not None:  # "Trump said, adding later, "...": the adder is Trump
                return cue, char_range(frame, src)
        if found_cue is not None:
            return found_cue, None
    if before and before[-1].text == ":":  # "A lesson from Loretta Lynch: '...'"
        colon = (before[-1].start, before[-1].end)
        subject = sentence_subject(before, len(before) - 1)
        if subject is not None:  # "..., President Obama is rolling out a message: "...""
            return colon, char_range(before, subject)
        names = [n for n, t in enumerate(before) if is_name_word(t)]
        if names:
            end = names[0]
            while end < len(before) and is_name_word(before[end]):
                end += 1
            colon = (before[-1].start, before[-1].end)
            return colon, (before[names[0]].start, before[end - 1].end)
    return None, None


def _sentence_ends_before(toks: list[Token], end: int) -> bool:
    """A full stop (not inside parentheses: "(R-Fla.)") before token ``end``."""
    depth = 0
    for token in toks[:end]:
        depth += (token.text == "(") - (token.text == ")")
        if token.text in ".?!" and depth <= 0:
            return True
    return False


def _dash_source(toks: list[Token]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """``"..." ― Carla Sanchez``: a name after a dash signs the quotation."""
    if len(toks) < 2 or toks[0].text not in ("―", "—", "–", "-"):
        return None
    end = 1
    while end < len(toks) and (is_name_word(toks[end]) or toks[end].text == "."):
        end += 1
    while end > 1 and toks[end - 1].text == ".":
        end -= 1
    if end == 1:
        return None
    return (toks[0].start, toks[0].end), (toks[1].start, toks[end - 1].end)

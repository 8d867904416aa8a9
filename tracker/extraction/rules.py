"""The extraction rules: direct quotations first, then reported speech
(indirect, or mixed when it holds a quoted fragment), then the speakers.

The rules, in short (``docs/extraction.md`` says more):

- A quotation is direct when it stands as a clause of its own: it opens
  its sentence, or follows a colon or a speech cue ("X said, "...""), and
  it ends its sentence or is followed by its attribution (``"...," he
  said``), or ends with punctuation inside the marks. A quotation still
  open at a paragraph's end continues when the next paragraph opens with a
  quotation mark: one attribution, one piece per paragraph.
- Its cue and source are looked for after it (``"...," said X`` or
  ``"...," X said``), then before it (``X said: "..."``), then in the
  paragraph before when that ends with a colon. A quotation without a cue
  continues the speaker of the quotation next to it in its paragraph, else
  the previous quotation's.
- Reported speech is a speech cue outside quotation marks with a source
  phrase beside it; its content is the clause the cue governs: after the
  cue (past an addressee and "that") to the sentence's end, or, when the
  sentence opens with it (``..., X said.``), from the sentence's start to
  the comma. Speech-event details at the end ("in an interview with ...")
  are left out. A quoted fragment inside makes it mixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.extraction.cues import cue_length, lemma_of
from tracker.extraction.lexicon import (
    ADDRESSEE_VERBS,
    CIRCUMSTANCE_OPENERS,
    CIRCUMSTANTIAL,
    NAMING_VERBS,
)
from tracker.extraction.model import Attribution, Mode, Span
from tracker.extraction.sources import (
    Speaker,
    is_name_word,
    source_after,
    source_before,
    speaker_of,
)
from tracker.extraction.text import Layout, Region, Token, tokens

_SENTENCE_LIKE_END = tuple(".,?!\u2026\u2014-;:")
_SUBJECT_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i"])
_PREPOSITIONS = frozenset(
    ["in", "on", "at", "for", "during", "since", "by", "with", "after", "before", "about"]
)
_PASSIVE = frozenset(["was", "were", "been", "being", "is", "are", "be"])
_WH_WORDS = frozenset(["how", "what", "why", "whether", "if", "when", "where", "who"])
_INNER_MARKS = "'\u2019\"\u201d "
_STRIP = " \t\r\n,;:\u2014\u2013-"


@dataclass
class Found:
    """An attribution being assembled (offsets into the text)."""

    mode: Mode
    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    speaker: Speaker | None
    confidence: float
    paragraph: int = 0
    continuation: bool = False
    name: str | None = field(default=None)
    lower_start: bool = False


def find_attributions(text: str) -> list[Attribution]:
    from tracker.extraction.coreference import resolve_speakers

    layout = Layout(text)
    sentence_tokens = [tokens(text, s, e) for s, e in layout.sentences]
    direct, used_cues = _direct_quotes(layout, sentence_tokens)
    reported = _reported_speech(layout, sentence_tokens, used_cues, direct)
    found = sorted(direct + reported, key=lambda f: (f.content[0][0], f.mode != "direct"))
    resolve_speakers(layout, sentence_tokens, found)
    return [_attribution(text, f) for f in found]


def _attribution(text: str, found: Found) -> Attribution:
    def span(pair: tuple[int, int]) -> Span:
        return Span(pair[0], pair[1], text[pair[0] : pair[1]])

    return Attribution(
        mode=found.mode,
        content=tuple(span(p) for p in found.content),
        cue=span(found.cue) if found.cue else None,
        source=span(found.source) if found.source else None,
        speaker_name=found.name,
        confidence=round(found.confidence, 2),
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


# ----------------------------------------------------------------- direct quotes
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


def _direct_quotes(
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
        pieces = [_trim(text, r.inner_start, r.inner_end) for r in chain]
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
                piece = _trim(text, region.inner_start, region.inner_end)
                if piece[0] < piece[1]:
                    found[-1].content.append(piece)
            continue
        piece = _trim(text, label.end(), region.inner_end)
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
            return cue, _char_range(toks, src)
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
                    src = _subject(frame, i)
            if src is not None:  # "Trump said, adding later, "...": the adder is Trump
                return cue, _char_range(frame, src)
        if found_cue is not None:
            return found_cue, None
    if before and before[-1].text == ":":  # "A lesson from Loretta Lynch: '...'"
        colon = (before[-1].start, before[-1].end)
        subject = _subject(before, len(before) - 1)
        if subject is not None:  # "..., President Obama is rolling out a message: "...""
            return colon, _char_range(before, subject)
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


def _char_range(toks: list[Token], pair: tuple[int, int] | None) -> tuple[int, int] | None:
    if pair is None or pair[0] >= pair[1]:
        return None
    return (toks[pair[0]].start, toks[pair[1] - 1].end)


# ---------------------------------------------------------------- reported speech
def _reported_speech(
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
    found.content.append(_trim(text, following, end))


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
            content = _trim(text, toks[after].start, sentence_end)
            content = (content[0], _drop_final_stop(text, *content))
        else:
            content = _trim(text, sentence_start, toks[i].start)
        return [content], _char_range(toks, src)
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
        src = _subject(toks, i)
        if src is not None:
            return _right_content(layout, toks, i, last, sentence_end), _char_range(toks, src)
        return None
    if src is None:
        inverted = source_after(toks, last, len(toks))
        if inverted is not None and i > 1 and toks[i - 1].text in (",", "\u201d", '"', "'"):
            content = _trim(text, sentence_start, toks[i - 1].start)
            return [content], _char_range(toks, inverted)
        return None
    left = [t for t in toks[: src[0]] if t.text[:1].isalnum()]
    comma = src[0] - 1
    while comma > 0 and toks[comma].text in ("'", "\u2019", "\u201d", '"'):
        comma -= 1  # ",'' Douglas Holtz-Eakin ... told": a quotation's comma
    if comma > 0 and toks[comma].lower == "as" and toks[comma - 1].text == ",":
        comma -= 1  # "..., as police have said"
    if comma >= 0 and toks[comma].text == "," and len(left) >= 3:
        rest = [t for t in toks[last + 1 :] if t.text[:1].isalnum()]
        content = _trim(text, sentence_start, toks[comma].start)
        if len(rest) <= 4:
            return [content], _char_range(toks, src)
        if toks[last + 1].text == ",":  # "If ..., he added, it won't be ..."
            right = _trim(text, toks[last + 1].end, sentence_end)
            right = (right[0], _drop_final_stop(text, *right))
            return [content, right], _char_range(toks, src)
    return _right_content(layout, toks, i, last, sentence_end), _char_range(toks, src)


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


def _subject(toks: list[Token], cue: int) -> tuple[int, int] | None:
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
    start, end = _trim(text, toks[k].start, end)
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

"""The extraction rules: direct quotations first (:mod:`.direct`), then
reported speech, indirect or mixed when it holds a quoted fragment
(:mod:`.reported`), then the speakers (:mod:`.coreference`).

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

from tracker.extraction.direct import direct_quotes
from tracker.extraction.found import Found
from tracker.extraction.model import Attribution, Span
from tracker.extraction.reported import reported_speech
from tracker.extraction.text import Layout, tokens


def find_attributions(text: str) -> list[Attribution]:
    """The attributions of ``text`` in text order, speakers resolved."""
    from tracker.extraction.coreference import resolve_speakers

    layout = Layout(text)
    sentence_tokens = [tokens(text, s, e) for s, e in layout.sentences]
    direct, used_cues = direct_quotes(layout, sentence_tokens)
    reported = reported_speech(layout, sentence_tokens, used_cues, direct)
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

"""What the extractor finds: spans of an article's text and the attributions
they make up. Plain frozen dataclasses, no database and no terminal library.

Offsets are Python string indices into the text as given (for a file: read
as UTF-8 with ``newline=''``); a span's ``text`` is always ``text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["direct", "mixed", "indirect"]


@dataclass(frozen=True)
class Span:
    """A stretch of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Attribution:
    """One thing someone is reported to have said.

    - ``mode``: ``direct`` (a quotation in quotation marks), ``mixed``
      (reported speech holding a quoted fragment) or ``indirect`` (reported
      speech with a speech cue);
    - ``content``: the words attributed, one span or more (a quote split
      around its cue, or running across paragraphs, has several), in order;
      for a direct quote the spans are inside the quotation marks;
    - ``cue``: the speech verb or phrase ("said", "according to"), if any;
    - ``source``: the speaker as written, with appositives ("Michael
      Kugelman, deputy director of ..."), or the pronoun or role phrase;
    - ``speaker_name``: the name the source resolves to (titles and
      appositives stripped; a pronoun or a quote without cue resolved to an
      earlier speaker), or a role phrase ("the U.S. president") to resolve
      by date; None when nobody is named;
    - ``confidence``: 0.0 to 1.0, how sure the rules are.
    """

    mode: Mode
    content: tuple[Span, ...]
    cue: Span | None
    source: Span | None
    speaker_name: str | None
    confidence: float

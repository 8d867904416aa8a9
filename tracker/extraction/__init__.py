"""Finding quotations and their speakers in an article's text.

Pure Python (no database, no terminal library): :func:`extract` takes the
text and returns :class:`Attribution` values whose spans index into it.
Resolving the speaker's name against the database is the service
``tracker.services.extracting``'s job. The rules are in ``docs/extraction.md``.
"""

from __future__ import annotations

import datetime as dt

from tracker.extraction.model import Attribution, Mode, Span

__all__ = ["Attribution", "Mode", "Span", "extract"]


def extract(text: str, *, date: dt.date | None = None) -> list[Attribution]:
    """The attributions in ``text``, in the order they appear.

    ``date`` is the article's date; the extractor itself does not need it
    (role phrases are resolved by date in the service) but takes it so that
    rules may use it. Never raises on odd input (unbalanced quotation marks,
    an empty text, a huge line): it finds what it can."""
    from tracker.extraction.rules import find_attributions

    return find_attributions(text)

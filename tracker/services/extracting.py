"""Extraction as a use case: the attributions of an article's text, each
with its speaker decided by the one attribution rule.

The extractor (:mod:`tracker.extraction`) finds quotations and the names
of their speakers as written; this module resolves each distinct name once
through :func:`tracker.services.attribution.decide_speaker` (the rule every
front end shares), with the article's date so a role phrase ("the U.S.
president") resolves to who held the role that day. Nothing is written.

:func:`found_as_json` is the ``--json`` shape of ``tracker extract``,
documented in ``docs/extraction.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tracker.errors import ValidationError
from tracker.extraction import Attribution, Span, extract

if TYPE_CHECKING:
    from tracker.db.database import Database

Decision = Literal["same", "maybe", "new"]


@dataclass(frozen=True)
class SpeakerGuess:
    """The speaker proposed for a found attribution: the name as the
    extractor resolved it, and the attribution rule's decision. ``speaker_id``
    is the matched speaker's id when the decision is ``same``, else None
    (``maybe``: a person picks among candidates; ``new``: nobody matches)."""

    name: str
    speaker_id: int | None
    decision: Decision


@dataclass(frozen=True)
class Found:
    """An attribution found in the text, with its proposed speaker (None
    when the extractor found no name for it)."""

    attribution: Attribution
    speaker: SpeakerGuess | None


def find_attributions(db: Database | None, text: str, *, date: dt.date | None) -> list[Found]:
    """The attributions in ``text`` with their speakers decided against
    ``db`` (one decision per distinct name), in text order. ``date`` is the
    article's date, for role references. With ``db`` None (no database yet)
    every name is ``new``. Writes nothing."""
    attributions = extract(text, date=date)
    names = dict.fromkeys(a.speaker_name for a in attributions if a.speaker_name is not None)
    guesses: dict[str, SpeakerGuess] = {}
    with _steady(db):
        for name in names:
            guesses[name] = _guess(db, name, date)
    return [
        Found(a, guesses[a.speaker_name] if a.speaker_name is not None else None)
        for a in attributions
    ]


@contextlib.contextmanager
def _steady(db: Database | None) -> Iterator[None]:
    """The speaker index brought up to date once for all of an article's
    names, not before each (it would read the audit log every time). No
    write lock is needed: nothing is written, and a speaker committed by
    another process meanwhile is seen by the next extraction."""
    if db is None:
        yield
        return
    from tracker.services.speaker_index import directory

    with directory(db).steady():
        yield


def _guess(db: Database | None, name: str, date: dt.date | None) -> SpeakerGuess:
    if db is None:
        return SpeakerGuess(name, None, "new")
    # The attribution rule (SQLAlchemy, the matcher) is imported only when
    # there is a database to match against: without one, extracting starts fast.
    from tracker.services.attribution import CreateNew, NeedsChoice, Who, decide_speaker

    try:
        decided = decide_speaker(db, Who(name=name), on=date)
    except ValidationError:  # not a name the rule accepts (too long, say)
        return SpeakerGuess(name, None, "new")
    if isinstance(decided, NeedsChoice):
        return SpeakerGuess(name, None, "maybe" if decided.decision == "maybe" else "new")
    if isinstance(decided, CreateNew):  # not reached: creating is not allowed here
        return SpeakerGuess(name, None, "new")
    return SpeakerGuess(name, decided.id, "same")


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": span.text}


def found_as_json(found: list[Found]) -> dict[str, Any]:
    """The ``--json`` shape of ``tracker extract`` (docs/extraction.md)."""
    return {
        "attributions": [
            {
                "mode": f.attribution.mode,
                "content": [_span(s) for s in f.attribution.content],
                "cue": _span(f.attribution.cue),
                "source": _span(f.attribution.source),
                "speaker": None
                if f.speaker is None
                else {
                    "name": f.speaker.name,
                    "speaker_id": f.speaker.speaker_id,
                    "decision": f.speaker.decision,
                },
                "confidence": f.attribution.confidence,
            }
            for f in found
        ]
    }

"""Public value types of the speaker matcher."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

Decision = Literal["same", "maybe", "new"]


@dataclass(frozen=True)
class RoleEntry:
    """A role a speaker held.

    ``end`` is exclusive and ``None`` while the role is still held: the role is
    held on date D when ``start <= D`` (or start is None) and ``D < end`` (or
    end is None).  ``references`` are explicit phrases that refer to this role
    ("the U.S. president"); they are only valid while the role is held.
    """

    title: str
    organisation: str | None
    start: datetime.date | None
    end: datetime.date | None
    references: tuple[str, ...] = ()

    def held_on(self, day: datetime.date) -> bool:
        if self.start is not None and day < self.start:
            return False
        return self.end is None or day < self.end

    @property
    def label(self) -> str:
        if self.organisation:
            return f"{self.title}, {self.organisation}"
        return self.title

    @property
    def span(self) -> str:
        start = self.start.isoformat() if self.start else "?"
        end = self.end.isoformat() if self.end else ""
        return f"{start} to {end}" if end else f"since {start}"


@dataclass(frozen=True)
class SpeakerEntry:
    """Everything the matcher knows about one speaker.

    ``aliases`` are ``(text, kind)`` pairs, kind one of ``tracker.vocab.ALIAS_KINDS``:
    "name", "variant", "misspelling" or "role" (a role phrase such as "the
    Afghan president").
    """

    id: int
    name: str
    kind: str = "person"
    aliases: tuple[tuple[str, str], ...] = ()
    roles: tuple[RoleEntry, ...] = ()
    quote_count: int = 0


@dataclass(frozen=True)
class Candidate:
    """One possible speaker for a query, with the reason it matched."""

    speaker_id: int
    name: str
    score: float
    matched: str
    why: str

    def to_dict(self) -> dict[str, object]:
        return {
            "speaker_id": self.speaker_id,
            "name": self.name,
            "score": self.score,
            "matched": self.matched,
            "why": self.why,
        }


@dataclass(frozen=True)
class MatchResult:
    """Outcome of matching one name: ``same`` (one confident match), ``maybe``
    (choices to show, best first) or ``new`` (no good candidate)."""

    query: str
    decision: Decision
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "decision": self.decision,
            "candidates": [c.to_dict() for c in self.candidates],
        }

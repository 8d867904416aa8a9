"""Speaker-name matching: pure, in-memory, no database and no UI.

Public API::

    from tracker.matching import (
        SpeakerIndex, SpeakerEntry, RoleEntry, MatchResult, Candidate, normalize_name,
    )
    from tracker.matching import Tuning  # thresholds: SpeakerIndex(..., tuning=...)

See ``docs/matching.md`` for the design and measured quality.
"""

from __future__ import annotations

from .index import SpeakerIndex
from .normalize import normalize_name
from .tuning import DEFAULT_TUNING, Tuning
from .types import Candidate, MatchResult, RoleEntry, SpeakerEntry

__all__ = [
    "DEFAULT_TUNING",
    "Candidate",
    "MatchResult",
    "RoleEntry",
    "SpeakerEntry",
    "SpeakerIndex",
    "Tuning",
    "normalize_name",
]

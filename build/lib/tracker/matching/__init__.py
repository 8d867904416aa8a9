"""Speaker-name matching: pure, in-memory, no database and no UI.

Public API::

    from tracker.matching import (
        SpeakerIndex, SpeakerEntry, RoleEntry, MatchResult, Candidate, normalize_name,
    )

See ``docs/matching.md`` for the design and measured quality.
"""

from __future__ import annotations

from .index import SpeakerIndex
from .normalize import normalize_name
from .types import Candidate, MatchResult, RoleEntry, SpeakerEntry

__all__ = [
    "Candidate",
    "MatchResult",
    "RoleEntry",
    "SpeakerEntry",
    "SpeakerIndex",
    "normalize_name",
]

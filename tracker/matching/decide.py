"""Decision rules for a name query: ``same``, ``maybe`` or ``new``.

A wrong merge is worse than a question, so ``same`` needs a same-worthy best
candidate scoring ``same_at`` or more with no close competitor, and is
withheld for a surname shared by several speakers and for a full name common
enough to belong to someone else (rules 1-6 in ``docs/matching.md``; rule 7,
a title held on the date, is in ``roles.py``).
"""

from __future__ import annotations

from .ranking import Hit
from .reasons import CommonName
from .scoring import Parsed, parse
from .store import AliasStore
from .tuning import Tuning
from .types import Decision


class Decider:
    """Applies the decision rules to ranked hits, with statistics from an :class:`AliasStore`."""

    def __init__(self, store: AliasStore, tuning: Tuning) -> None:
        self._store = store
        self._tuning = tuning

    def decide(self, q: Parsed, hits: list[Hit]) -> tuple[Decision, CommonName | None]:
        """The decision for query ``q`` with ``hits`` best first.

        Also returns the reason to add to the best hit when only the name's
        commonness stopped a ``same``.
        """
        t = self._tuning
        # "new" when nothing resembles the query (ranking adjustments aside).
        if not hits or max(max(h.score, h.base) for h in hits) < t.new_below:
            return "new", None
        best = hits[0]
        if not best.ok or best.score < t.same_at:
            return "maybe", None
        others = hits[1:]
        if q.given is None:
            # A surname alone: only when exactly one speaker has that surname.
            store = self._store
            if best.speaker_id not in store.orgs and store.surname_count.get(best.surname, 0) > 1:
                return "maybe", None
            margin = best.score - t.surname_alone_margin
            if any(h.ok or max(h.score, h.base) >= margin for h in others):
                return "maybe", None
            return "same", None
        if any(h.ok for h in others):
            return "maybe", None
        margin = best.score - t.same_margin
        if not best.exact and any(max(h.score, h.base) >= margin for h in others):
            return "maybe", None
        expected = self.name_commonness(best.row)
        if expected >= t.common_at:
            return "maybe", CommonName(expected)
        return "same", None

    def name_commonness(self, row: int) -> float:
        """Expected number of *other* people with this row's given name + surname.

        Frequency-aware evidence (as in Fellegi-Sunter record linkage): an
        agreement on "Jack Smith" says less than one on "Zalmay Khalilzad".
        Estimated from token frequencies in the index, against a population of
        at least ``min_population`` speakers.
        """
        store = self._store
        a = parse(store.row_key[row])
        if a.given is None or len(a.given) < 2:
            return 0.0
        post = store.postings
        speakers = len(store.names)
        per_speaker = max(1.0, max(1, store.alias_count) / max(1, speakers))
        pg = post.get(a.given)
        ps = post.get(a.surname.rsplit(" ", 1)[-1])
        if pg is None or ps is None:
            return 0.0
        cg = max(1.0, len(pg) / per_speaker)
        cs = max(1.0, len(ps) / per_speaker)
        population = max(speakers, self._tuning.min_population)
        return cg * cs / population

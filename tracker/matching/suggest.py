"""As-you-type suggestions: the last word typed may be unfinished.

One word: rows whose tokens start with it (``CandidateFinder.prefix_rows``).
Several words: candidates for the finished words, filtered to names with a
token completing the last one.  Finished text, and a finished unambiguous
full name, go through the full match.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable

from .candidates import CandidateFinder
from .normalize import analyse, simple_tokens
from .reasons import Completion
from .scoring import parse, score_person
from .store import AliasStore
from .tuning import Tuning
from .types import Candidate, Decision, MatchResult
from .wordlists import SUFFIXES

Match = Callable[[str, datetime.date | None, int], MatchResult]
"""``SpeakerIndex.match``: what a suggestion falls back on."""


class Suggester:
    """Suggestions from an :class:`AliasStore` for a partly typed name."""

    def __init__(self, store: AliasStore, finder: CandidateFinder, tuning: Tuning) -> None:
        self._store = store
        self._finder = finder
        self._tuning = tuning

    def suggest(
        self, typed: str, on: datetime.date | None, limit: int, match: Match
    ) -> MatchResult:
        """Suggestions for ``typed``, best first (see :meth:`SpeakerIndex.suggest`)."""
        words = simple_tokens(typed)
        if not words:
            return MatchResult(typed, "new", ())
        if not typed[-1:].isalnum():  # the last word is finished
            return match(typed, on, limit)
        prefix = words[-1]
        done = list(analyse(" ".join(words[:-1])).tokens) if len(words) > 1 else []
        done = [t for t in done if t not in SUFFIXES]
        if done:
            out = self._complete_after(done, prefix, limit)
        else:
            out = self._complete_one(prefix, limit)
        if not out:
            return match(typed, on, limit)
        decision: Decision = "maybe"
        nk = analyse(typed)
        full = match(typed, on, limit) if nk.tokens and len(nk.tokens) >= 2 else None
        if full is not None and full.decision == "same" and full.candidates:
            top = full.candidates[0]
            out = [top] + [c for c in out if c.speaker_id != top.speaker_id]
            decision = "same"
        return MatchResult(typed, decision, tuple(out[:limit]))

    def _complete_after(self, done: list[str], prefix: str, limit: int) -> list[Candidate]:
        """Names holding the finished words ``done`` and a token completing ``prefix``."""
        store, t = self._store, self._tuning
        rows = self._finder.generate(tuple(done), fuzzy=False)
        q = parse(" ".join(done))
        done_set = set(done)
        quotes = store.quotes
        # Cheap pass: rows with a token completing the prefix, ranked by how
        # many typed words they contain exactly, then quotes; then score the
        # best few properly.
        pre: list[tuple[int, int, int, int]] = []
        for r in rows:
            sid = store.row_speaker[r]
            if sid < 0:
                continue
            ktoks = store.row_key[r].split()
            if not any(tok.startswith(prefix) and tok not in done_set for tok in ktoks):
                continue
            shared = sum(1 for tok in ktoks if tok in done_set)
            pre.append((-shared, -quotes.get(sid, 0), len(ktoks), r))
        scored: list[tuple[float, int, int, str]] = []
        n_scored = t.suggest_scored_per_result * limit + t.suggest_scored_extra
        for _sh, negq, _n, r in heapq.nsmallest(n_scored, pre):
            key = store.row_key[r]
            rest = " ".join(
                tok for tok in key.split() if not tok.startswith(prefix) or tok in done_set
            )
            ps = score_person(q, parse(rest), t.surname_weight, t) if rest else None
            sc = ps.score if ps else t.suggest_unscored
            scored.append((sc, negq, r, key))
        scored.sort(key=lambda x: (-x[0], x[1], len(x[3])))
        out: list[Candidate] = []
        seen: set[int] = set()
        why = Completion(prefix, None).render()
        for sc, _q, r, _k in scored:
            sid = store.row_speaker[r]
            if sid in seen:
                continue
            seen.add(sid)
            score = round(min(sc, t.suggest_cap), 1)
            out.append(Candidate(sid, store.names[sid], score, store.text(r), why))
            if len(out) >= limit:
                break
        return out

    def _complete_one(self, prefix: str, limit: int) -> list[Candidate]:
        """Names with a token starting with ``prefix``: most quoted first."""
        store, t = self._store, self._tuning
        out: list[Candidate] = []
        seen: set[int] = set()
        for r in self._finder.prefix_rows(prefix):
            sid = store.row_speaker[r]
            if sid < 0 or sid in seen:
                continue
            seen.add(sid)
            tok = next((k for k in store.row_key[r].split() if k.startswith(prefix)), prefix)
            score = t.prefix_score_base + t.prefix_score_span * len(prefix) / max(len(tok), 1)
            why = Completion(prefix, tok).render()
            out.append(Candidate(sid, store.names[sid], round(score, 1), store.text(r), why))
            if len(out) >= limit:
                break
        return out

"""Candidate generation: which alias rows a query is compared with.

No query scans all aliases.  Query tokens are expanded to vocabulary tokens
(nicknames; in the fuzzy phase also near spellings from buckets of the
vocabulary), and the rows holding expansions of at least two query tokens
are the candidates (see "Candidate generation" in ``docs/matching.md``).
Prefix rows serve as-you-type suggestions.
"""

from __future__ import annotations

import heapq

import jellyfish
from rapidfuzz import fuzz, process

from .nicknames import expansions
from .normalize import consonants
from .scripts import LATIN, LOOSE_SCRIPTS
from .store import AliasStore
from .tuning import Tuning
from .wordlists import SUFFIXES

TokenSets = list[tuple[str, set[int]]]
"""Per query token, the rows holding it or one of its expansions."""


class CandidateFinder:
    """Finds candidate rows in an :class:`AliasStore`."""

    def __init__(self, store: AliasStore, tuning: Tuning) -> None:
        self._store = store
        self._tuning = tuning

    # ---------------------------------------------------------- expansion

    def expand(self, tok: str, fuzzy: bool) -> list[str]:
        """Vocabulary tokens that may stand for query token ``tok`` (do not mutate).

        The exact and nickname expansions come first, so the fuzzy list
        starts with the exact one.
        """
        memo = self._store.expansion_memo
        out = memo.get((tok, fuzzy))
        if out is None:
            if len(memo) >= self._tuning.memo_max:
                memo.clear()
            out = memo[(tok, fuzzy)] = self._expand_uncached(tok, fuzzy)
        return out

    def _expand_uncached(self, tok: str, fuzzy: bool) -> list[str]:
        store = self._store
        post = store.postings
        out = [tok] if tok in post else []
        for e in expansions(tok):
            if e in post:
                out.append(e)
        if fuzzy and len(tok) >= 3:
            t = self._tuning
            cutoff, limit = t.fuzzy_cutoff, t.fuzzy_per_bucket
            seen = set(out)
            found: list[str] = []
            best = 0.0
            n = len(tok)
            by_first = store.by_first
            for length in range(max(1, n - t.fuzzy_lengths), n + t.fuzzy_lengths + 1):
                bucket = by_first.get((tok[0], length))
                if bucket:
                    for cand, sc, _i in process.extract(
                        tok, bucket, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
                    ):
                        found.append(cand)
                        best = max(best, sc)
            if len(tok) >= 4 and best < t.first_letter_typo_below:
                # The first letter may be the typo.
                tail = store.by_tail.get(tok[-3:])
                if tail:
                    for cand, _s, _i in process.extract(
                        tok, tail, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
                    ):
                        found.append(cand)
            if tok.isalpha():
                sound = store.by_sound.get(str(jellyfish.metaphone(tok)), ())
                found.extend(sound[: t.phonetic_limit])
            for cand in found:
                if cand not in seen and cand in post:
                    seen.add(cand)
                    out.append(cand)
        return out

    # --------------------------------------------------------------- rows

    def token_sets(self, tokens: tuple[str, ...], script: int = LATIN) -> TokenSets:
        """Per query token, the rows holding it or a nickname/variant of it.

        Across loose scripts (``scripts.py``) tokens with the same consonants
        count too: a query in Arabic script finds Latin rows, and a Latin
        query finds rows written in Arabic script or Hangul.
        """
        post = self._store.postings
        qt = [t for t in dict.fromkeys(tokens) if len(t) > 1 and t not in SUFFIXES]
        if not qt:
            qt = [t for t in dict.fromkeys(tokens) if t in post]
        cross = script in LOOSE_SCRIPTS or bool(self._store.loose_cons)
        out: TokenSets = []
        for t in qt:
            s: set[int] = set()
            for v in self.expand(t, fuzzy=False):
                s.update(post[v])
            if cross:
                for v in self.cross_script(t, script in LOOSE_SCRIPTS):
                    s.update(post[v])
            out.append((t, s))
        return out

    def cross_script(self, tok: str, loose_query: bool) -> list[str]:
        """Tokens written in another script with the consonants of ``tok`` (memoised)."""
        store = self._store
        memo = store.expansion_memo
        key = ("\x00" + tok, loose_query)  # apart from expand()'s keys
        out = memo.get(key)
        if out is None:
            c = consonants(tok)
            found: list[str] = []
            if len(c) >= 1:
                forms = [c, c[1:]] if len(c) > 2 and c[0] == "l" else [c]
                for f in forms:
                    if loose_query:
                        found.extend(store.cons_tokens(f))
                    else:
                        found.extend(store.loose_cons.get(f, ()))
            limit = self._tuning.loose_tokens if loose_query else self._tuning.phonetic_limit
            out = [v for v in dict.fromkeys(found) if v != tok and v in store.postings][:limit]
            if len(memo) >= self._tuning.memo_max:
                memo.clear()
            memo[key] = out
        return out

    def add_fuzzy(self, sets: TokenSets) -> TokenSets:
        """Copies of ``sets`` with the rows of approximately matching tokens added."""
        post = self._store.postings
        out: TokenSets = []
        for t, s in sets:
            exact = self.expand(t, fuzzy=False)
            grown = set(s)
            for v in self.expand(t, fuzzy=True)[len(exact) :]:
                grown.update(post[v])
            out.append((t, grown))
        return out

    def combine(
        self, token_sets: TokenSets, fuzzy: bool, exact_sets: TokenSets | None = None
    ) -> set[int]:
        """Rows sharing (expansions of) at least two query tokens.

        With ``fuzzy``, when fewer than ``union_below`` rows share two tokens,
        the rows of each not-too-common token (its exact rows, or failing that
        its fuzzy rows) are added so that a wrong or missing token still finds
        them.
        """
        sets = [s for _t, s in token_sets if s]
        exact = [s for _t, s in exact_sets] if exact_sets else [set() for _t in token_sets]
        if not sets:
            return set()
        if len(sets) == 1:
            return set(sets[0])
        cand: set[int] = set()
        for i in range(len(sets)):
            for j in range(i + 1, len(sets)):
                cand |= sets[i] & sets[j]
        cap = self._tuning.union_cap
        if fuzzy and len(cand) < self._tuning.union_below:
            for (_t, s), e in zip(token_sets, exact, strict=True):
                if e and len(e) <= cap:
                    cand |= e
                elif len(s) <= cap:
                    cand |= s
        return cand

    def generate(self, tokens: tuple[str, ...], fuzzy: bool) -> set[int]:
        """Candidate rows for ``tokens`` (exact and nickname tokens, or also near ones)."""
        sets = self.token_sets(tokens)
        if fuzzy:
            return self.combine(self.add_fuzzy(sets), True, sets)
        return self.combine(sets, False)

    def holds_key(self, rows: set[int], *keys: str) -> bool:
        """Some live row among ``rows`` has one of ``keys`` exactly."""
        row_key, row_speaker = self._store.row_key, self._store.row_speaker
        return any(row_key[r] in keys and row_speaker[r] >= 0 for r in rows)

    def fuzzy_rows(self, sets: TokenSets, raw: tuple[str, ...] | None) -> tuple[set[int], set[int]]:
        """Phase 2 candidates: rows through near tokens, and the rare-token rows.

        ``raw`` (the query's raw tokens, when they differ from its name key)
        adds the rows of an organisation written with a title-like word.  The
        second set holds the rows of query tokens held by at most
        ``keep_rare`` rows: always scored, they skip the pre-ranking.
        """
        rows = self.combine(self.add_fuzzy(sets), True, sets)
        if raw is not None and self._store.orgs:
            rows |= self.generate(raw, fuzzy=False)
        keep: set[int] = set()
        for _t, s in sets:
            # A surname alone too ("Macron"): near spellings held by short
            # names ("a marceron") must not push its few rows out.
            if 0 < len(s) <= self._tuning.keep_rare:
                keep |= s
        rows |= keep
        return rows, keep

    # ------------------------------------------------------------- prefix

    def prefix_rows(self, prefix: str) -> list[int]:
        """Best live rows having a token that starts with ``prefix``, best first.

        Tokens are visited by their best speaker's quote count, so the walk can
        stop once the ``prefix_keep``-th best row found so far has more quotes
        than any row left to visit (or after ``prefix_gather_cap`` rows).
        """
        store, t = self._store, self._tuning
        keep_n = t.prefix_keep
        row_speaker = store.row_speaker
        cacheable = len(prefix) <= t.prefix_cache_len
        if cacheable:
            cached = store.prefix_memo.get(prefix)
            if cached is not None:
                live = [r for r in cached if row_speaker[r] >= 0]
                if len(live) >= min(len(cached), keep_n // 2):
                    return live
        toks = store.tokens_with_prefix(prefix)
        maxq = store.token_max_quotes
        toks.sort(key=lambda tok: (-maxq.get(tok, 0), len(tok)))
        quotes = store.quotes
        gathered: list[int] = []
        top_quotes: list[int] = []  # min-heap of the best keep_n quote counts
        for tok in toks:
            if len(top_quotes) >= keep_n and maxq.get(tok, 0) < top_quotes[0]:
                break
            for r in store.postings[tok]:
                sid = row_speaker[r]
                if sid < 0:
                    continue
                gathered.append(r)
                q = quotes.get(sid, 0)
                if len(top_quotes) < keep_n:
                    heapq.heappush(top_quotes, q)
                elif q > top_quotes[0]:
                    heapq.heapreplace(top_quotes, q)
            if len(gathered) >= t.prefix_gather_cap:
                break
        row_key = store.row_key

        def rank(row: int) -> tuple[int, int, int, str]:
            # More quotes first, then the surname starting with the prefix,
            # then shorter names.
            key = row_key[row]
            on_surname = 0 if key.rsplit(" ", 1)[-1].startswith(prefix) else 1
            return (-quotes.get(row_speaker[row], 0), on_surname, len(key), key)

        rows = heapq.nsmallest(keep_n, gathered, key=rank)
        if cacheable:
            store.prefix_memo[prefix] = rows
        return rows

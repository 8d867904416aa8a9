"""Scoring candidate rows against a query and ranking the speakers they belong to.

Rows are pre-ranked in C when there are many, then compared in detail with
``scoring.score_person`` / ``score_org``.  A pair that is not same-worthy gets
a *ranking score* that weighs the evidence by token rarity ("Ranking" in
``docs/matching.md``); the unadjusted score is kept beside it (``Hit.base``)
for the decision rules, so ranking orders candidates but never makes an
answer ``same``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .candidates import CandidateFinder
from .nicknames import expansions
from .reasons import Note, WordsJoined
from .scoring import (
    NICKNAME_SIM,
    VARIANT_SIM,
    PairScore,
    Parsed,
    parse,
    score_loose,
    score_org,
    score_person,
)
from .scripts import LATIN, LOOSE_SCRIPTS
from .store import AliasStore
from .tuning import Tuning
from .wordlists import SUFFIXES


@dataclass(slots=True)
class Hit:
    """The best row of one speaker for a query."""

    speaker_id: int
    score: float
    """Ranking score (what candidates are ordered and shown by)."""
    ok: bool
    """Same-worthy (see ``scoring``)."""
    exact: bool
    row: int
    pair: PairScore
    surname: str
    note: Note | None = None
    """A reason added after the alias match's (words joined, common name, role)."""
    base: float = 0.0
    """Best score of the speaker's rows before the ranking adjustment."""


class Ranker:
    """Scores candidate rows of an :class:`AliasStore` and orders the speakers."""

    def __init__(self, store: AliasStore, finder: CandidateFinder, tuning: Tuning) -> None:
        self._store = store
        self._finder = finder
        self._tuning = tuning
        self._log_rare_df = math.log(tuning.rare_df)

    def order(self, hits: list[Hit]) -> list[Hit]:
        """Best first; ties go to the speaker with more quotes, then the name."""
        quotes, names = self._store.quotes, self._store.names
        return sorted(
            hits, key=lambda h: (-h.score, -quotes.get(h.speaker_id, 0), names[h.speaker_id])
        )

    def score_rows(
        self,
        rows: set[int],
        q: Parsed,
        qraw: str,
        qkey: str,
        keep: set[int] | None = None,
        rank: bool = True,
        script: int = LATIN,
        native: str = "",
    ) -> list[Hit]:
        """Score candidate rows, one hit per speaker, best first.

        Rows in ``keep`` skip the pre-ranking cut.  With ``rank`` pairs that
        are not same-worthy get their ranking score (:meth:`rank_score`); the
        exact-key path skips it, because its rows share two tokens with the
        query and the adjustment would not move them.  ``script`` and
        ``native`` are the query's (``scripts.py``): names in Chinese,
        Japanese or Korean characters on both sides are the same name only
        when the characters are, and a name in a loose script is compared with
        a name in another script on consonants (``scoring.score_loose``).
        """
        store, t = self._store, self._tuning
        row_speaker = store.row_speaker
        live = [r for r in rows if row_speaker[r] >= 0]
        if not live:
            return []
        if len(live) > t.rescore:
            live = self._prerank(live, q, qraw, qkey)
            if keep:
                have = set(live)
                live.extend(r for r in keep if r not in have and row_speaker[r] >= 0)
        row_key = store.row_key
        hits: dict[int, Hit] = {}
        orgs = store.orgs
        weights = store.stat_memo
        memo_max = t.memo_max
        q_loose = script in LOOSE_SCRIPTS
        scripts_differ = store.non_latin > 0 or script != LATIN
        for r in live:
            sid = row_speaker[r]
            akey = row_key[r]
            if sid in orgs:
                ps = score_org(qraw, akey, t)
                if qkey and qkey != qraw:
                    ps2 = score_org(qkey, akey, t)
                    if ps2.score > ps.score:
                        ps = ps2
                surname = ""
            else:
                a = parse(akey)
                wkey = (a.given, a.surname)
                w = weights.get(wkey)
                if w is None:
                    if len(weights) >= memo_max:
                        weights.clear()
                    w = weights[wkey] = self._surname_weight(a)
                ps = score_person(q, a, w, t)
                surname = a.surname
                if scripts_differ:
                    ps = self._across_scripts(q, a, ps, script, q_loose, native, r)
            rs = ps.score
            if rank and not ps.ok and sid not in orgs:
                rs = self.rank_score(q, a, ps)
            h = hits.get(sid)
            if h is None:
                hits[sid] = Hit(sid, rs, ps.ok, ps.exact, r, ps, surname, base=ps.score)
            elif (rs, ps.exact, ps.ok) > (h.score, h.exact, h.ok):
                base = max(h.base, ps.score)  # decisions see the best unadjusted score
                hits[sid] = Hit(sid, rs, ps.ok, ps.exact, r, ps, surname, base=base)
            elif ps.score > h.base:
                h.base = ps.score
        return self.order(list(hits.values()))

    def _across_scripts(
        self, q: Parsed, a: Parsed, ps: PairScore, script: int, q_loose: bool, native: str, r: int
    ) -> PairScore:
        """The pair's comparison with the scripts of both names taken into account."""
        store = self._store
        rs = store.row_script[r]
        if native:
            rn = store.row_native.get(r)
            if rn is not None:
                if rn == native:
                    return PairScore(100.0, True, True, "")
                if ps.ok or ps.exact:
                    score = min(ps.score, self._tuning.same_at - 1.0)
                    return PairScore(score, False, False, f"different characters ({rn})")
                return ps
            if ps.exact:
                # The same romanisation of a name written in Latin letters:
                # after a row with the same characters.
                return PairScore(99.0, True, False, "same name in another script")
        if not ps.ok and LATIN in (rs, script) and (q_loose or rs in LOOSE_SCRIPTS):
            alt = score_loose(q, a)
            if alt is not None:
                return alt
        return ps

    def _prerank(self, live: list[int], q: Parsed, qraw: str, qkey: str) -> list[int]:
        """The ``rescore`` most promising rows, at most ``rows_per_speaker`` per speaker."""
        store, t = self._store, self._tuning
        row_speaker = store.row_speaker
        quotes = store.quotes
        if quotes and q.given is None:
            # Many rows tie for a surname alone: more quotes first.
            live.sort(key=lambda r: -quotes.get(row_speaker[r], 0))
        keys = [store.row_key[r] for r in live]
        best: dict[int, float] = {}
        variants = [qkey]
        if q.given is not None and len(q.given) > 1:
            for e in sorted(expansions(q.given))[: t.nickname_variants]:
                variants.append(" ".join((e, *q.tokens[1:])))
        if qraw != qkey and store.orgs:
            variants.append(qraw)
        # ratio for typos (token_sort_ratio alone suffers when a typo
        # changes the sort order), token_sort_ratio for swapped words.
        for v in variants:
            for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
                for _k, sc, i in process.extract(v, keys, scorer=scorer, limit=t.rescore):
                    if sc > best.get(i, -1.0):
                        best[i] = sc
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        per_speaker: dict[int, int] = {}
        picked: list[int] = []
        for i, _s in ranked:
            r = live[i]
            n = per_speaker.get(row_speaker[r], 0)
            if n < t.rows_per_speaker:
                per_speaker[row_speaker[r]] = n + 1
                picked.append(r)
        return picked[: t.rescore]

    def split_words(self, tokens: tuple[str, ...], hits: list[Hit]) -> list[Hit]:
        """Add candidates for a word split in two ("riley benn ier" -> "riley bennier").

        Only when two adjacent query tokens join into a known token; such
        candidates are never same-worthy.
        """
        post = self._store.postings
        finder = self._finder
        pen = self._tuning.split_penalty
        found = False
        by_sid = {h.speaker_id: h for h in hits}
        for i in range(len(tokens) - 1):
            joined = tokens[i] + tokens[i + 1]
            if joined not in post or tokens[i] in SUFFIXES or tokens[i + 1] in SUFFIXES:
                continue
            alt = (*tokens[:i], joined, *tokens[i + 2 :])
            akey = " ".join(alt)
            sets = finder.token_sets(alt)
            rows = finder.combine(sets, True, sets)
            for h in self.score_rows(rows, parse(akey), akey, akey):
                h.score -= pen
                h.base -= pen
                h.ok = h.exact = False
                h.note = WordsJoined(tokens[i], tokens[i + 1], joined)
                old = by_sid.get(h.speaker_id)
                if old is not None and old.ok and h.score > old.score:
                    h.ok = True  # same-worthy already without the joined words
                if old is None or h.score > old.score:
                    by_sid[h.speaker_id] = h
                    found = True
        if not found:
            return hits
        return self.order(list(by_sid.values()))

    def rarity(self, tok: str) -> float:
        """1 for a token held by one row, falling to 0 at ``rare_df`` rows or more.

        For ranking, what an exact agreement on a token is worth depends on how
        many other rows share it (the candidates it cannot tell apart).
        """
        memo = self._store.stat_memo
        r = memo.get(tok)
        if r is None:
            p = self._store.postings.get(tok)
            df = len(p) if p is not None else 1
            r = max(0.0, 1.0 - math.log(max(df, 1)) / self._log_rare_df)
            if len(memo) >= self._tuning.memo_max:
                memo.clear()
            memo[tok] = r
        return r

    def _typo_close(self, a: str, b: str) -> bool:
        """One edit in a name of 4+ letters, two in one of 8+ (a typo, not a replacement)."""
        n = min(len(a), len(b))
        if n < self._tuning.typo_min_len:
            return False
        k = 2 if n >= self._tuning.typo_two_edits_len else 1
        return OSA.distance(a, b, score_cutoff=k) <= k

    def rank_score(self, q: Parsed, a: Parsed, ps: PairScore) -> float:
        """Ranking score of a pair that is not same-worthy.

        Frequency-weighted evidence for ranking (not for deciding): a field
        that is only partially similar (capel/campbell: neither equal nor a
        typo) is weak evidence and loses points, and a pair whose given name
        or surname agrees (exactly, by nickname or by a typo) while the other
        field is replaced or swapped scores by the rarity of the agreeing
        token: "benjamin capel" for "joshua capel" when few rows hold "capel"
        comes before "joshua campbell".  Such pairs are never same-worthy, the
        one-field score stays below ``same_at``, and the decision rules
        compare with the unadjusted score as well (``Hit.base``), so this
        changes the order of the candidates, not when the answer is ``same``.
        """
        t = self._tuning
        score = ps.score
        ss = ps.ss
        if ss < 0.0:
            if q.given is None and not ps.exact and a.given is not None:
                tok = q.surname
                if tok == a.surname:
                    return score
                if tok == a.given:
                    return max(score, t.one_field + t.one_field_rare * self.rarity(tok))
                return score - (100.0 - score) * t.partial_k
            return score
        if score < t.show_above:
            return score  # no field agrees; not shown either way
        gs, ws = ps.gs, ps.ws
        qg, ag = q.given or "", a.given or ""
        close, floor = t.close_at, t.typo_sim_floor
        s_close = ss >= close or (ss >= floor and self._typo_close(q.surname, a.surname))
        g_close = gs >= close or (gs >= floor and self._typo_close(qg, ag))
        plain = ps.plain
        if not s_close:
            plain -= ws * (100.0 - ss) * t.partial_k
        if not g_close:
            plain -= (1.0 - ws) * (100.0 - gs) * t.partial_k
        if score > ps.plain:
            plain = max(plain, score)  # an alternative reading (swapped, joined)
        if s_close and g_close:
            return plain
        if s_close:
            r = self.rarity(a.surname.rsplit(" ", 1)[-1])
            if ss < 100.0:
                r = r * t.typo_rarity - t.typo_rarity_penalty  # a typo and a replaced name
            alt = t.one_field + t.one_field_rare * r + t.other_field * gs
        elif g_close:
            r = min(self.rarity(ag), self.rarity(qg))
            if min(len(qg), len(ag)) == 1:
                r = 0.0  # an initial says little
            elif gs < NICKNAME_SIM or gs == VARIANT_SIM:
                # A spelling variant ranks like a typo: weaker than the same name.
                r = r * t.typo_rarity - t.typo_rarity_penalty
            elif gs < 100.0:
                r *= t.nickname_rarity
            alt = t.one_field + t.one_field_rare * r + t.other_field * ss
        elif q.surname == ag or qg == a.surname:
            # Fields swapped ("white reganne" for Reganne ...), one replaced.
            r = self.rarity(q.surname if q.surname == ag else qg)
            alt = t.one_field + t.one_field_rare * r - t.swap_penalty
        else:
            return plain
        return max(plain, min(alt, t.same_at - 0.5))  # just below the same line

    def _surname_weight(self, a: Parsed) -> float:
        """Surname weight from token rarity: a rare surname says more than a common given name."""
        t = self._tuning
        if a.given is None:
            return t.surname_weight
        post = self._store.postings
        n = len(self._store.row_key) + 1
        ps = post.get(a.surname.rsplit(" ", 1)[-1])
        pg = post.get(a.given)
        idf_s = math.log(n / (1 + (len(ps) if ps is not None else 0)))
        idf_g = math.log(n / (1 + (len(pg) if pg is not None else 0)))
        if idf_s + idf_g <= 0:
            return t.surname_weight
        w = idf_s / (idf_s + idf_g)
        return min(
            t.surname_weight_max, max(t.surname_weight_min, 0.5 * t.surname_weight + 0.5 * w)
        )

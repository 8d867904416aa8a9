"""In-memory speaker index: candidate generation, scoring and decisions.

Layout (kept compact so that a million aliases fit in a few hundred MB):

* one row per alias in parallel columns: ``_al_spk`` (``array('i')``, -1 when
  the alias was removed), ``_al_key`` (interned matching key), ``_al_text``
  (original text, ``None`` for the speaker's display name) and ``_al_kind``
  (``bytearray`` of kind codes);
* ``_post``: token -> ``array('i')`` of alias rows (the token index);
* vocabulary helpers for fuzzy token lookup: tokens bucketed by first letter
  and by last three letters (searched with ``rapidfuzz.process.extract``),
  and by metaphone key;
* a sorted vocabulary for prefix lookup (``bisect``) and a per-prefix cache of
  the best rows for 1-3 letter prefixes;
* per-surname speaker counts (the "surname alone" rule) and the role index.

Removing or replacing a speaker tombstones its rows; the columns are
compacted when more than half of the rows are dead.
"""

from __future__ import annotations

import bisect
import datetime
import gc
import heapq
import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import jellyfish
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .nicknames import expansions
from .normalize import SUFFIXES, analyse, simple_tokens
from .roles import role_tokens, title_only
from .scoring import PairScore, Parsed, parse, score_org, score_person
from .types import Candidate, Decision, MatchResult, RoleEntry, SpeakerEntry

_KIND_CODES = {"display": 0, "name": 1, "variant": 2, "misspelling": 3}
_KIND_LABELS = ("name", "alias", "variant", "misspelling")

# Detailed (Python) scoring is applied to this many prescored alias rows.
_RESCORE = 30
# Limit on the rows taken from a single very common token.
_UNION_CAP = 1_000
_PREFIX_KEEP = 64
_NEW_BELOW = 55.0
_SHOW_ABOVE = 40.0
_SAME_AT = 88.0
# A full name whose given name and surname are both frequent is not decided
# "same" on the name alone (see _name_commonness).
_COMMON_AT = 0.02
_MIN_POPULATION = 20_000
# Ranking of pairs that are not same-worthy (see _rank_score): a field is
# "close" at token similarity 90+ or a typo; a partial similarity below that
# loses _PARTIAL_K x its distance; one field agreeing while the other is
# replaced scores _ONE_FIELD + _ONE_FIELD_RARE x rarity (+ _OTHER_FIELD x the
# other field's similarity), where rarity falls from 1 (one row holds the
# token) to 0 (_RARE_DF rows or more).  A typo instead of an exact agreement
# keeps _TYPO_R of the rarity minus _TYPO_PEN; swapped fields lose _SWAP_PEN.
_CLOSE = 90.0
_PARTIAL_K = 0.5
_ONE_FIELD = 60.0
_ONE_FIELD_RARE = 27.0
_OTHER_FIELD = 0.05
_TYPO_R = 0.8
_TYPO_PEN = 0.1
_SWAP_PEN = 3.0
_SPLIT_PEN = 2.0
_LOG_RARE_DF = math.log(200.0)
# Rows of a query token held by at most this many rows skip the pre-ranking.
_KEEP_RARE = 6
# Bound on the memo dictionaries (expansions, rarities, surname weights).
_MEMO_MAX = 200_000


def _typo_close(a: str, b: str) -> bool:
    """One edit in a name of 4+ letters, two in one of 8+ (a typo, not a replacement)."""
    n = min(len(a), len(b))
    if n < 4:
        return False
    k = 2 if n >= 8 else 1
    return OSA.distance(a, b, score_cutoff=k) <= k


@dataclass(slots=True)
class _Hit:
    speaker_id: int
    score: float
    ok: bool
    exact: bool
    row: int
    pair: PairScore
    surname: str
    extra_why: str = ""
    base: float = 0.0  # score before the ranking adjustment (decisions use max)


@dataclass(frozen=True, slots=True)
class _RoleRef:
    speaker_id: int
    role: RoleEntry | None
    source: str


def _quote_key(q: int) -> int:
    return -q


class SpeakerIndex:
    """Index of speakers (people and organisations) for name matching.

    Build it from :class:`SpeakerEntry` values and keep it current with
    :meth:`upsert` and :meth:`remove`.  All methods are pure computations on
    memory; nothing is read from or written to a database.
    """

    def __init__(self, speakers: Iterable[SpeakerEntry] = ()) -> None:
        self._names: dict[int, str] = {}
        self._orgs: set[int] = set()
        self._quotes: dict[int, int] = {}
        self._span: dict[int, int] = {}  # speaker -> (first row << 16) | row count
        self._al_spk = array("i")
        self._al_key: list[str] = []
        self._al_text: list[str | None] = []
        self._al_kind = bytearray()
        self._dead = 0
        self._post: dict[str, array[int]] = {}
        self._by_first: dict[tuple[str, int], list[str]] = {}
        self._by_tail: dict[str, list[str]] = {}
        self._phon: dict[str, list[str]] = {}
        self._sorted_vocab: list[str] | None = None
        self._tok_maxq: dict[str, int] = {}
        self._surname_count: dict[str, int] = {}
        self._roles: dict[int, tuple[RoleEntry, ...]] = {}
        self._role_aliases: dict[int, tuple[str, ...]] = {}
        self._role_full: dict[frozenset[str], list[_RoleRef]] = {}
        self._role_title: dict[frozenset[str], list[_RoleRef]] = {}
        self._role_dirty = False
        self._prefix_cache: dict[str, list[int]] = {}
        self._intern: dict[str, str] = {}
        # Memos for repeated queries (importers): token expansions, cleared
        # when the vocabulary grows; rarity and surname weights, cleared on
        # any change of the rows.
        self._exp_cache: dict[tuple[str, bool], list[str]] = {}
        self._stat_cache: dict[object, float] = {}
        for sp in speakers:
            self.upsert(sp)

    # ------------------------------------------------------------------ build

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, speaker_id: object) -> bool:
        return speaker_id in self._names

    @property
    def alias_count(self) -> int:
        """Number of live indexed alias rows (names, variants, misspellings)."""
        return len(self._al_key) - self._dead

    def upsert(self, speaker: SpeakerEntry) -> None:
        """Add a speaker or replace everything known about ``speaker.id``."""
        if len(speaker.aliases) >= 0xFFFF:
            raise ValueError(f"speaker {speaker.id} has more than 65,534 aliases")
        if speaker.id in self._names:
            self._drop(speaker.id)
        sid = speaker.id
        is_org = speaker.kind == "organisation"
        self._names[sid] = speaker.name
        if is_org:
            self._orgs.add(sid)
        if speaker.quote_count:
            self._quotes[sid] = speaker.quote_count
        first = len(self._al_key)
        seen: set[str] = set()
        surnames: set[str] = set()
        self._add_row(sid, speaker.name, 0, is_org, seen, surnames, speaker.quote_count)
        role_texts: list[str] = []
        for text, kind in speaker.aliases:
            if kind == "role":
                role_texts.append(text)
                continue
            code = _KIND_CODES.get(kind, 1)
            self._add_row(sid, text, code, is_org, seen, surnames, speaker.quote_count)
        count = len(self._al_key) - first
        if count:
            self._span[sid] = (first << 16) | count
        for s in surnames:
            self._surname_count[s] = self._surname_count.get(s, 0) + 1
        if speaker.roles or role_texts:
            if speaker.roles:
                self._roles[sid] = speaker.roles
            if role_texts:
                self._role_aliases[sid] = tuple(role_texts)
            self._role_dirty = True

    def remove(self, speaker_id: int) -> None:
        """Forget a speaker (no error if unknown)."""
        if speaker_id in self._names:
            self._drop(speaker_id)
            self._maybe_compact()

    def _drop(self, sid: int) -> None:
        del self._names[sid]
        if self._stat_cache:
            self._stat_cache = {}
        self._orgs.discard(sid)
        self._quotes.pop(sid, None)
        if sid in self._roles or sid in self._role_aliases:
            self._roles.pop(sid, None)
            self._role_aliases.pop(sid, None)
            self._role_dirty = True
        span = self._span.pop(sid, None)
        if span is None:
            return
        first, count = span >> 16, span & 0xFFFF
        surnames: set[str] = set()
        for row in range(first, first + count):
            if self._al_spk[row] != sid:
                continue
            self._al_spk[row] = -1
            self._dead += 1
            key = self._al_key[row]
            surnames.add(parse(key).surname)
            for tok in key.split():
                for n in (1, 2, 3):
                    self._prefix_cache.pop(tok[:n], None)
        if sid not in self._orgs:
            for s in surnames:
                c = self._surname_count.get(s, 0) - 1
                if c > 0:
                    self._surname_count[s] = c
                else:
                    self._surname_count.pop(s, None)

    def _add_row(
        self,
        sid: int,
        text: str,
        code: int,
        is_org: bool,
        seen: set[str],
        surnames: set[str],
        quotes: int,
    ) -> None:
        nk = analyse(text)
        toks = nk.raw if (is_org or not nk.tokens) else nk.tokens
        if not toks:
            return
        key = " ".join(toks)
        if key in seen:
            return
        seen.add(key)
        key = self._intern.setdefault(key, key)
        if self._stat_cache:
            self._stat_cache = {}
        row = len(self._al_key)
        if row >= 2**31 - 1:
            raise OverflowError("too many aliases")
        self._al_spk.append(sid)
        self._al_key.append(key)
        self._al_text.append(None if code == 0 else text)
        self._al_kind.append(code)
        if not is_org:
            surnames.add(parse(key).surname)
        post = self._post
        maxq = self._tok_maxq
        for tok in set(toks):
            if len(tok) < 2 or tok in SUFFIXES:
                continue
            p = post.get(tok)
            if p is None:
                p = post[tok] = array("i")
                self._new_token(tok)
            p.append(row)
            if quotes > maxq.get(tok, -1):
                maxq[tok] = quotes
            if self._prefix_cache:
                for n in (1, 2, 3):
                    self._prefix_cache.pop(tok[:n], None)

    def _new_token(self, tok: str) -> None:
        if self._exp_cache:
            self._exp_cache = {}
        self._by_first.setdefault((tok[0], len(tok)), []).append(tok)
        if len(tok) >= 4:
            self._by_tail.setdefault(tok[-3:], []).append(tok)
        if tok.isalpha():
            self._phon.setdefault(str(jellyfish.metaphone(tok)), []).append(tok)
        if self._sorted_vocab is not None:
            bisect.insort(self._sorted_vocab, tok)

    def _maybe_compact(self) -> None:
        total = len(self._al_key)
        if self._dead > 1000 and self._dead * 2 > total:
            self.compact()

    def compact(self) -> None:
        """Rebuild the columns without removed rows (done automatically)."""
        old_spk, old_key, old_text, old_kind = (
            self._al_spk,
            self._al_key,
            self._al_text,
            self._al_kind,
        )
        self._al_spk = array("i")
        self._al_key = []
        self._al_text = []
        self._al_kind = bytearray()
        self._post = {}
        self._by_first = {}
        self._by_tail = {}
        self._phon = {}
        self._sorted_vocab = None
        self._tok_maxq = {}
        self._prefix_cache = {}
        self._span = {}
        self._intern = {}
        self._exp_cache = {}
        self._stat_cache = {}
        self._dead = 0
        current = -1
        first = 0
        for row, sid in enumerate(old_spk):
            if sid < 0:
                continue
            new_row = len(self._al_key)
            if sid != current:
                if current >= 0:
                    self._span[current] = (first << 16) | (new_row - first)
                current, first = sid, new_row
            key = self._intern.setdefault(old_key[row], old_key[row])
            self._al_spk.append(sid)
            self._al_key.append(key)
            self._al_text.append(old_text[row])
            self._al_kind.append(old_kind[row])
            q = self._quotes.get(sid, 0)
            for tok in set(key.split()):
                if len(tok) < 2 or tok in SUFFIXES:
                    continue
                p = self._post.get(tok)
                if p is None:
                    p = self._post[tok] = array("i")
                    self._new_token(tok)
                p.append(new_row)
                if q > self._tok_maxq.get(tok, -1):
                    self._tok_maxq[tok] = q
        if current >= 0:
            self._span[current] = (first << 16) | (len(self._al_key) - first)

    # ------------------------------------------------------------ candidates

    def _expand(self, tok: str, fuzzy: bool) -> list[str]:
        """Vocabulary tokens that may stand for query token ``tok`` (do not mutate)."""
        cache = self._exp_cache
        out = cache.get((tok, fuzzy))
        if out is None:
            if len(cache) >= _MEMO_MAX:
                cache.clear()
            out = cache[(tok, fuzzy)] = self._expand_uncached(tok, fuzzy)
        return out

    def _expand_uncached(self, tok: str, fuzzy: bool) -> list[str]:
        post = self._post
        out = [tok] if tok in post else []
        for e in expansions(tok):
            if e in post:
                out.append(e)
        if fuzzy and len(tok) >= 3:
            cutoff = 72.0 if len(tok) <= 4 else 70.0
            seen = set(out)
            found: list[str] = []
            best = 0.0
            n = len(tok)
            by_first = self._by_first
            for length in range(max(1, n - 2), n + 3):
                bucket = by_first.get((tok[0], length))
                if bucket:
                    for cand, sc, _i in process.extract(
                        tok, bucket, scorer=fuzz.ratio, score_cutoff=cutoff, limit=6
                    ):
                        found.append(cand)
                        best = max(best, sc)
            if len(tok) >= 4 and best < 85.0:
                # The first letter may be the typo.
                tail = self._by_tail.get(tok[-3:])
                if tail:
                    for cand, _s, _i in process.extract(
                        tok, tail, scorer=fuzz.ratio, score_cutoff=cutoff, limit=6
                    ):
                        found.append(cand)
            if tok.isalpha():
                for cand in self._phon.get(str(jellyfish.metaphone(tok)), ())[:12]:
                    found.append(cand)
            for cand in found:
                if cand not in seen and cand in post:
                    seen.add(cand)
                    out.append(cand)
        return out

    def _token_sets(self, tokens: tuple[str, ...]) -> list[tuple[str, set[int]]]:
        """Per query token, the rows holding it or a nickname/variant of it."""
        qt = [t for t in dict.fromkeys(tokens) if len(t) > 1 and t not in SUFFIXES]
        if not qt:
            qt = [t for t in dict.fromkeys(tokens) if t in self._post]
        post = self._post
        out: list[tuple[str, set[int]]] = []
        for t in qt:
            s: set[int] = set()
            for v in self._expand(t, fuzzy=False):
                s.update(post[v])
            out.append((t, s))
        return out

    def _add_fuzzy(self, sets: list[tuple[str, set[int]]]) -> list[tuple[str, set[int]]]:
        """Copies of ``sets`` with the rows of approximately matching tokens added."""
        post = self._post
        out: list[tuple[str, set[int]]] = []
        for t, s in sets:
            exact = self._expand(t, fuzzy=False)
            grown = set(s)
            for v in self._expand(t, fuzzy=True)[len(exact) :]:
                grown.update(post[v])
            out.append((t, grown))
        return out

    @staticmethod
    def _combine(
        token_sets: list[tuple[str, set[int]]],
        fuzzy: bool,
        exact_sets: list[tuple[str, set[int]]] | None = None,
    ) -> set[int]:
        """Rows sharing (expansions of) at least two query tokens.

        With ``fuzzy``, when fewer than 50 rows share two tokens, the rows of
        each not-too-common token (its exact rows, or failing that its fuzzy
        rows) are added so that a wrong or missing token still finds them.
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
        if fuzzy and len(cand) < 50:
            for (_t, s), e in zip(token_sets, exact, strict=True):
                if e and len(e) <= _UNION_CAP:
                    cand |= e
                elif len(s) <= _UNION_CAP:
                    cand |= s
        return cand

    def _generate(self, tokens: tuple[str, ...], fuzzy: bool) -> set[int]:
        sets = self._token_sets(tokens)
        if fuzzy:
            return self._combine(self._add_fuzzy(sets), True, sets)
        return self._combine(sets, False)

    # ---------------------------------------------------------------- scoring

    def _score_rows(
        self,
        rows: set[int],
        q: Parsed,
        qraw: str,
        qkey: str,
        keep: set[int] | None = None,
        rank: bool = True,
    ) -> list[_Hit]:
        """Score candidate rows; rows in ``keep`` skip the pre-ranking cut.

        With ``rank`` pairs that are not same-worthy get their ranking score
        (see :meth:`_rank_score`); the exact-key path skips it, because its rows
        share two tokens with the query and the adjustment would not move them.
        """
        al_spk = self._al_spk
        al_key = self._al_key
        live = [r for r in rows if al_spk[r] >= 0]
        if not live:
            return []
        if len(live) > _RESCORE:
            quotes = self._quotes
            if quotes and q.given is None:
                # Many rows tie for a surname alone: more quotes first.
                live.sort(key=lambda r: -quotes.get(al_spk[r], 0))
            keys = [al_key[r] for r in live]
            best: dict[int, float] = {}
            variants = [qkey]
            if q.given is not None and len(q.given) > 1:
                for e in sorted(expansions(q.given))[:4]:
                    variants.append(" ".join((e, *q.tokens[1:])))
            if qraw != qkey and self._orgs:
                variants.append(qraw)
            # ratio for typos (token_sort_ratio alone suffers when a typo
            # changes the sort order), token_sort_ratio for swapped words.
            for v in variants:
                for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
                    for _k, sc, i in process.extract(v, keys, scorer=scorer, limit=_RESCORE):
                        if sc > best.get(i, -1.0):
                            best[i] = sc
            ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
            per_speaker: dict[int, int] = {}
            picked: list[int] = []
            for i, _s in ranked:
                r = live[i]
                n = per_speaker.get(al_spk[r], 0)
                if n < 2:  # at most two rows of one speaker
                    per_speaker[al_spk[r]] = n + 1
                    picked.append(r)
            live = picked[:_RESCORE]
            if keep:
                have = set(live)
                live.extend(r for r in keep if r not in have and al_spk[r] >= 0)
        hits: dict[int, _Hit] = {}
        orgs = self._orgs
        weights = self._stat_cache
        for r in live:
            sid = al_spk[r]
            akey = al_key[r]
            if sid in orgs:
                ps = score_org(qraw, akey)
                if qkey and qkey != qraw:
                    ps2 = score_org(qkey, akey)
                    if ps2.score > ps.score:
                        ps = ps2
                surname = ""
            else:
                a = parse(akey)
                wkey = (a.given, a.surname)
                w = weights.get(wkey)
                if w is None:
                    if len(weights) >= _MEMO_MAX:
                        weights.clear()
                    w = weights[wkey] = self._surname_weight(a)
                ps = score_person(q, a, w)
                surname = a.surname
            rs = ps.score
            if rank and not ps.ok and sid not in orgs:
                rs = self._rank_score(q, a, ps)
            h = hits.get(sid)
            if h is None:
                hits[sid] = _Hit(sid, rs, ps.ok, ps.exact, r, ps, surname, base=ps.score)
            elif (rs, ps.exact, ps.ok) > (h.score, h.exact, h.ok):
                base = max(h.base, ps.score)  # decisions see the best unadjusted score
                hits[sid] = _Hit(sid, rs, ps.ok, ps.exact, r, ps, surname, base=base)
            elif ps.score > h.base:
                h.base = ps.score
        return sorted(
            hits.values(),
            key=lambda h: (-h.score, -self._quotes.get(h.speaker_id, 0), self._names[h.speaker_id]),
        )

    def _split_words(self, tokens: tuple[str, ...], hits: list[_Hit]) -> list[_Hit]:
        """Add candidates for a word split in two ("riley benn ier" -> "riley bennier").

        Only when two adjacent query tokens join into a known token; such
        candidates are never same-worthy.
        """
        post = self._post
        found = False
        by_sid = {h.speaker_id: h for h in hits}
        for i in range(len(tokens) - 1):
            joined = tokens[i] + tokens[i + 1]
            if joined not in post or tokens[i] in SUFFIXES or tokens[i + 1] in SUFFIXES:
                continue
            alt = (*tokens[:i], joined, *tokens[i + 2 :])
            akey = " ".join(alt)
            sets = self._token_sets(alt)
            rows = self._combine(sets, True, sets)
            for h in self._score_rows(rows, parse(akey), akey, akey):
                h.score -= _SPLIT_PEN
                h.base -= _SPLIT_PEN
                h.ok = h.exact = False
                h.extra_why = f"words joined: '{tokens[i]} {tokens[i + 1]}' as '{joined}'"
                old = by_sid.get(h.speaker_id)
                if old is None or h.score > old.score:
                    by_sid[h.speaker_id] = h
                    found = True
        if not found:
            return hits
        quotes, names = self._quotes, self._names
        return sorted(
            by_sid.values(),
            key=lambda h: (-h.score, -quotes.get(h.speaker_id, 0), names[h.speaker_id]),
        )

    def _rarity(self, tok: str) -> float:
        """1 for a token held by one row, falling to 0 at 200 rows (``_LOG_RARE_DF``) or more.

        For ranking, what an exact agreement on a token is worth depends on how
        many other rows share it (the candidates it cannot tell apart).
        """
        cache = self._stat_cache
        r = cache.get(tok)
        if r is None:
            p = self._post.get(tok)
            df = len(p) if p is not None else 1
            r = max(0.0, 1.0 - math.log(max(df, 1)) / _LOG_RARE_DF)
            if len(cache) >= _MEMO_MAX:
                cache.clear()
            cache[tok] = r
        return r

    def _rank_score(self, q: Parsed, a: Parsed, ps: PairScore) -> float:
        """Ranking score of a pair that is not same-worthy.

        Frequency-weighted evidence for ranking (not for deciding): a field
        that is only partially similar (capel/campbell: neither equal nor a
        typo) is weak evidence and loses points, and a pair whose given name
        or surname agrees (exactly, by nickname or by a typo) while the other
        field is replaced or swapped scores by the rarity of the agreeing
        token: "benjamin capel" for "joshua capel" when few rows hold "capel"
        comes before "joshua campbell".  Such pairs are never same-worthy, the
        one-field score stays below ``_SAME_AT``, and the decision rules
        compare with the unadjusted score as well (``_Hit.base``), so this
        changes the order of the candidates, not when the answer is ``same``.
        """
        score = ps.score
        ss = ps.ss
        if ss < 0.0:
            if q.given is None and not ps.exact and a.given is not None:
                tok = q.surname
                if tok == a.surname:
                    return score
                if tok == a.given:
                    return max(score, _ONE_FIELD + _ONE_FIELD_RARE * self._rarity(tok))
                return score - (100.0 - score) * _PARTIAL_K
            return score
        if score < _SHOW_ABOVE:
            return score  # no field agrees; not shown either way
        gs, ws = ps.gs, ps.ws
        qg, ag = q.given or "", a.given or ""
        # A typo in a name of 4+ letters keeps the similarity above 70.
        s_close = ss >= _CLOSE or (ss >= 70.0 and _typo_close(q.surname, a.surname))
        g_close = gs >= _CLOSE or (gs >= 70.0 and _typo_close(qg, ag))
        plain = ps.plain
        if not s_close:
            plain -= ws * (100.0 - ss) * _PARTIAL_K
        if not g_close:
            plain -= (1.0 - ws) * (100.0 - gs) * _PARTIAL_K
        if score > ps.plain:
            plain = max(plain, score)  # an alternative reading (swapped, joined)
        if s_close and g_close:
            return plain
        if s_close:
            r = self._rarity(a.surname.rsplit(" ", 1)[-1])
            if ss < 100.0:
                r = r * _TYPO_R - _TYPO_PEN  # a typo as well as a replaced name
            alt = _ONE_FIELD + _ONE_FIELD_RARE * r + _OTHER_FIELD * gs
        elif g_close:
            r = min(self._rarity(ag), self._rarity(qg))
            if min(len(qg), len(ag)) == 1:
                r = 0.0  # an initial says little
            elif gs < 96.0:
                r = r * _TYPO_R - _TYPO_PEN
            elif gs < 100.0:
                r *= 0.7  # through a nickname
            alt = _ONE_FIELD + _ONE_FIELD_RARE * r + _OTHER_FIELD * ss
        elif q.surname == ag or qg == a.surname:
            # Fields swapped ("white reganne" for Reganne ...), one replaced.
            r = self._rarity(q.surname if q.surname == ag else qg)
            alt = _ONE_FIELD + _ONE_FIELD_RARE * r - _SWAP_PEN
        else:
            return plain
        return max(plain, min(alt, _SAME_AT - 0.5))

    def _surname_weight(self, a: Parsed) -> float:
        """Surname weight from token rarity: a rare surname says more than a common given name."""
        if a.given is None:
            return 0.55
        post = self._post
        n = len(self._al_key) + 1
        ps = post.get(a.surname.rsplit(" ", 1)[-1])
        pg = post.get(a.given)
        idf_s = math.log(n / (1 + (len(ps) if ps is not None else 0)))
        idf_g = math.log(n / (1 + (len(pg) if pg is not None else 0)))
        if idf_s + idf_g <= 0:
            return 0.55
        w = idf_s / (idf_s + idf_g)
        return min(0.7, max(0.4, 0.5 * 0.55 + 0.5 * w))

    def _why(self, ps: PairScore, row: int) -> str:
        kind = self._al_kind[row]
        label = _KIND_LABELS[kind]
        text = self._al_text[row] or self._names[self._al_spk[row]]
        if ps.exact:
            return f"exact {label}" if kind == 0 else f"exact {label} '{text}'"
        return f"{ps.why}; via {label} '{text}'" if ps.why else f"similar to {label} '{text}'"

    def _decide_names(self, q: Parsed, hits: list[_Hit]) -> Decision:
        # "new" when nothing resembles the query (ranking adjustments aside).
        if not hits or max(max(h.score, h.base) for h in hits) < _NEW_BELOW:
            return "new"
        best = hits[0]
        if not best.ok or best.score < _SAME_AT:
            return "maybe"
        others = hits[1:]
        if q.given is None:
            # A surname alone: only when exactly one speaker has that surname.
            if best.speaker_id not in self._orgs and self._surname_count.get(best.surname, 0) > 1:
                return "maybe"
            if any(h.ok or max(h.score, h.base) >= best.score - 5 for h in others):
                return "maybe"
            return "same"
        if any(h.ok for h in others):
            return "maybe"
        if not best.exact and any(max(h.score, h.base) >= best.score - 3 for h in others):
            return "maybe"
        expected = self._name_commonness(best.row)
        if expected >= _COMMON_AT:
            best.extra_why = (
                f"common name (given name and surname both frequent: about {expected:.2f} "
                "other speakers expected to share it by chance), please confirm"
            )
            return "maybe"
        return "same"

    def _name_commonness(self, row: int) -> float:
        """Expected number of *other* people with this given name + surname.

        Frequency-aware evidence (as in Fellegi-Sunter record linkage): an
        agreement on "Jack Smith" says less than one on "Zalmay Khalilzad".
        Estimated from token frequencies in the index, against a population of
        at least ``_MIN_POPULATION`` speakers.
        """
        a = parse(self._al_key[row])
        if a.given is None or len(a.given) < 2:
            return 0.0
        post = self._post
        live = max(1, len(self._al_key) - self._dead)
        per_speaker = max(1.0, live / max(1, len(self._names)))
        pg = post.get(a.given)
        ps = post.get(a.surname.rsplit(" ", 1)[-1])
        if pg is None or ps is None:
            return 0.0
        cg = max(1.0, len(pg) / per_speaker)
        cs = max(1.0, len(ps) / per_speaker)
        population = max(len(self._names), _MIN_POPULATION)
        return cg * cs / population

    def _candidates(self, hits: list[_Hit], limit: int) -> tuple[Candidate, ...]:
        out: list[Candidate] = []
        for h in hits:
            if len(out) >= limit:
                break
            if max(h.score, h.base) < _SHOW_ABOVE:
                continue
            row = h.row
            text = self._al_text[row] or self._names[h.speaker_id]
            why = self._why(h.pair, row)
            if h.extra_why:
                why = f"{why}; {h.extra_why}"
            out.append(
                Candidate(h.speaker_id, self._names[h.speaker_id], round(h.score, 1), text, why)
            )
        return tuple(out)

    # ------------------------------------------------------------------ roles

    def _rebuild_roles(self) -> None:
        full: dict[frozenset[str], list[_RoleRef]] = {}
        title: dict[frozenset[str], list[_RoleRef]] = {}
        for sid, roles in self._roles.items():
            for r in roles:
                k = role_tokens(f"{r.title} {r.organisation or ''}")
                if title_only(k):
                    full.setdefault(k, []).append(_RoleRef(sid, r, f"role '{r.label}'"))
                tk = role_tokens(r.title)
                if tk != k and title_only(tk):
                    title.setdefault(tk, []).append(_RoleRef(sid, r, f"role '{r.label}'"))
                tk2 = title_only(k)
                if tk2 and tk2 != k and tk2 != tk:
                    title.setdefault(tk2, []).append(_RoleRef(sid, r, f"role '{r.label}'"))
                for ref in r.references:
                    rk = role_tokens(ref)
                    if rk:
                        full.setdefault(rk, []).append(_RoleRef(sid, r, f"reference '{ref}'"))
        for sid, texts in self._role_aliases.items():
            roles = self._roles.get(sid, ())
            for text in texts:
                rk = role_tokens(text)
                if not rk:
                    continue
                lst = full.setdefault(rk, [])
                if roles:
                    lst.extend(_RoleRef(sid, r, f"role alias '{text}'") for r in roles)
                else:
                    lst.append(_RoleRef(sid, None, f"role alias '{text}'"))
        self._role_full = full
        self._role_title = title
        self._role_dirty = False

    def _match_role(
        self, query: str, on: datetime.date | None, limit: int, exact_only: bool = False
    ) -> MatchResult | None:
        """Resolve a role phrase; with ``exact_only`` only a known phrase counts."""
        if self._role_dirty:
            self._rebuild_roles()
        if not self._role_full and not self._role_title:
            return None
        rk = role_tokens(query)
        if not title_only(rk):
            return None
        refs = self._role_full.get(rk)
        partial = False
        if not refs and exact_only:
            return None
        if not refs:
            refs = self._role_title.get(rk)
            partial = True
        if not refs:
            return None
        # speaker -> (score, matched, why, sort date)
        best: dict[int, tuple[float, str, str, datetime.date]] = {}
        holders: set[int] = set()
        for ref in refs:
            sid = ref.speaker_id
            if sid not in self._names:
                continue
            role = ref.role
            matched = role.label if role is not None else ref.source.split("'", 1)[1][:-1]
            start = role.start if role and role.start else datetime.date.min
            if on is None:
                score = 80.0
                span = f" ({role.span})" if role else ""
                why = f"{ref.source}{span}; no date given"
            elif role is None or role.held_on(on):
                score = 97.0
                holders.add(sid)
                why = f"{ref.source} held on {on.isoformat()}"
                if role is None:
                    why = f"{ref.source} (no dates known)"
            else:
                score = 50.0
                why = f"{ref.source} held {role.span}, not on {on.isoformat()}"
            if partial:
                score -= 15.0
                why += "; organisation not given"
            prev = best.get(sid)
            if prev is None or (score, start) > (prev[0], prev[3]):
                best[sid] = (score, matched, why, start)
        if not best:
            return None
        order = sorted(
            best.items(),
            key=lambda kv: (-kv[1][0], -kv[1][3].toordinal(), -self._quotes.get(kv[0], 0)),
        )
        cands = tuple(
            Candidate(sid, self._names[sid], sc, matched, why)
            for sid, (sc, matched, why, _d) in order[:limit]
        )
        decision: Decision = "maybe"
        if on is not None and not partial and len(holders) == 1:
            decision = "same"
        return MatchResult(query, decision, cands)

    def _role_boost(
        self, query: str, on: datetime.date, hits: list[_Hit]
    ) -> tuple[int, str] | None:
        """A title in a name query ("President Bush") held on ``on`` by one top hit."""
        if self._role_dirty:
            self._rebuild_roles()
        words = set(simple_tokens(query))
        top = [h for h in hits if h.score >= hits[0].score - 5 and h.ok][:10]
        holders: list[tuple[int, str]] = []
        for h in top:
            for r in self._roles.get(h.speaker_id, ()):
                if title_only(role_tokens(r.title)) <= words and r.held_on(on):
                    holders.append((h.speaker_id, f"role '{r.label}' held on {on.isoformat()}"))
                    break
        if len(holders) == 1:
            return holders[0]
        return None

    # ------------------------------------------------------------------ match

    def match(self, query: str, on: datetime.date | None = None, limit: int = 5) -> MatchResult:
        """Resolve a name, alias or role phrase as written in a source."""
        nk = analyse(query)
        role = self._match_role(query, on, limit, exact_only=bool(nk.tokens))
        if role is not None:
            return role
        tokens = nk.tokens or nk.raw
        if not tokens:
            return MatchResult(query, "new", ())
        qkey = " ".join(tokens)
        qraw = nk.raw_key or qkey
        q = parse(qkey)
        # Phase 1: exact, canonical and nickname tokens only.  Enough when the
        # key is known and decides "same"; otherwise phase 2 adds fuzzy tokens.
        sets = self._token_sets(tokens)
        rows = self._combine(sets, fuzzy=False)
        al_key = self._al_key
        hits: list[_Hit] = []
        decision: Decision = "new"
        al_spk = self._al_spk
        known = any((al_key[r] == qkey or al_key[r] == qraw) and al_spk[r] >= 0 for r in rows)
        if known:
            hits = self._score_rows(rows, q, qraw, qkey, rank=False)
            decision = self._decide_names(q, hits)
        # Fuzzy rows only add weaker competitors to an exactly known key, so
        # they cannot turn its decision into "same"; skip them then.
        if not known:
            extra = self._combine(self._add_fuzzy(sets), True, sets)
            if qraw != qkey and self._orgs:
                extra |= self._generate(nk.raw, fuzzy=False)
            # Rows holding a rare query token exactly are always scored: with
            # the other name replaced they rank by that token's rarity.
            keep: set[int] = set()
            if len(sets) > 1:
                for _t, s in sets:
                    if 0 < len(s) <= _KEEP_RARE:
                        keep |= s
                extra |= keep
            hits = self._score_rows(extra, q, qraw, qkey, keep)
            if len(tokens) >= 3:
                hits = self._split_words(tokens, hits)
            decision = self._decide_names(q, hits)
        if decision == "maybe" and on is not None and self._roles and len(nk.raw) > len(tokens):
            boost = self._role_boost(query, on, hits)
            if boost is not None:
                sid, why = boost
                for i, h in enumerate(hits):
                    if h.speaker_id == sid:
                        h.extra_why = why
                        hits.insert(0, hits.pop(i))
                        decision = "same"
                        break
        return MatchResult(query, decision, self._candidates(hits, limit))

    def match_many(
        self,
        queries: Iterable[tuple[str, datetime.date | None]],
        limit: int = 5,
    ) -> list[MatchResult]:
        """Match a batch; each distinct (name, date) pair is resolved once.

        Results are in input order; repeated pairs share the same result object.
        """
        cache: dict[tuple[str, datetime.date | None], MatchResult] = {}
        out: list[MatchResult] = []
        # The results hold no reference cycles; pausing the cyclic collector
        # avoids repeated full scans of a large heap during a big import.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            for pair in queries:
                res = cache.get(pair)
                if res is None:
                    res = cache[pair] = self.match(pair[0], pair[1], limit)
                out.append(res)
        finally:
            if was_enabled:
                gc.enable()
        return out

    # ---------------------------------------------------------------- suggest

    def _vocab(self) -> list[str]:
        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self._post)
        return self._sorted_vocab

    def _prefix_tokens(self, prefix: str) -> list[str]:
        vocab = self._vocab()
        lo = bisect.bisect_left(vocab, prefix)
        hi = bisect.bisect_left(vocab, prefix + "\x7f")
        return vocab[lo:hi]

    def _row_rank(self, row: int, prefix: str) -> tuple[int, int, int, str]:
        key = self._al_key[row]
        on_surname = 0 if key.rsplit(" ", 1)[-1].startswith(prefix) else 1
        return (-self._quotes.get(self._al_spk[row], 0), on_surname, len(key), key)

    def _prefix_rows(self, prefix: str) -> list[int]:
        """Best live rows having a token that starts with ``prefix``, best first.

        Tokens are visited by their best speaker's quote count, so the walk can
        stop once the ``_PREFIX_KEEP``-th best row found so far has more quotes
        than any row left to visit (or after a few thousand rows).
        """
        cacheable = len(prefix) <= 3
        if cacheable:
            cached = self._prefix_cache.get(prefix)
            if cached is not None:
                live = [r for r in cached if self._al_spk[r] >= 0]
                if len(live) >= min(len(cached), _PREFIX_KEEP // 2):
                    return live
        toks = self._prefix_tokens(prefix)
        maxq = self._tok_maxq
        toks.sort(key=lambda t: (-maxq.get(t, 0), len(t)))
        quotes = self._quotes
        al_spk = self._al_spk
        gathered: list[int] = []
        top_quotes: list[int] = []  # min-heap of the best _PREFIX_KEEP quote counts
        for t in toks:
            if len(top_quotes) >= _PREFIX_KEEP and maxq.get(t, 0) < top_quotes[0]:
                break
            for r in self._post[t]:
                sid = al_spk[r]
                if sid < 0:
                    continue
                gathered.append(r)
                q = quotes.get(sid, 0)
                if len(top_quotes) < _PREFIX_KEEP:
                    heapq.heappush(top_quotes, q)
                elif q > top_quotes[0]:
                    heapq.heapreplace(top_quotes, q)
            if len(gathered) >= 3000:
                break
        rows = heapq.nsmallest(_PREFIX_KEEP, gathered, key=lambda r: self._row_rank(r, prefix))
        if cacheable:
            self._prefix_cache[prefix] = rows
        return rows

    def suggest(self, typed: str, on: datetime.date | None = None, limit: int = 8) -> MatchResult:
        """As-you-type suggestions; the last token may be an unfinished prefix."""
        words = simple_tokens(typed)
        if not words:
            return MatchResult(typed, "new", ())
        complete_text = not typed[-1:].isalnum()
        nk = analyse(typed)
        if complete_text:
            res = self.match(typed, on, limit)
            return res
        prefix = words[-1]
        done = [t for t in analyse(" ".join(words[:-1])).tokens] if len(words) > 1 else []
        done = [t for t in done if t not in SUFFIXES]
        out: list[Candidate] = []
        seen: set[int] = set()
        if done:
            rows = self._generate(tuple(done), fuzzy=False)
            q = parse(" ".join(done))
            done_set = set(done)
            quotes = self._quotes
            # Cheap pass: rows with a token completing the prefix, ranked by how
            # many typed words they contain exactly, then quotes; then score the
            # best few properly.
            pre: list[tuple[int, int, int, int]] = []
            for r in rows:
                sid = self._al_spk[r]
                if sid < 0:
                    continue
                ktoks = self._al_key[r].split()
                if not any(t.startswith(prefix) and t not in done_set for t in ktoks):
                    continue
                shared = sum(1 for t in ktoks if t in done_set)
                pre.append((-shared, -quotes.get(sid, 0), len(ktoks), r))
            scored: list[tuple[float, int, int, str]] = []
            for _sh, negq, _n, r in heapq.nsmallest(4 * limit + 8, pre):
                key = self._al_key[r]
                ktoks = key.split()
                rest = " ".join(t for t in ktoks if not t.startswith(prefix) or t in done_set)
                ps = score_person(q, parse(rest)) if rest else None
                sc = ps.score if ps else 50.0
                scored.append((sc, negq, r, key))
            scored.sort(key=lambda x: (-x[0], x[1], len(x[3])))
            for sc, _q, r, _k in scored:
                sid = self._al_spk[r]
                if sid in seen:
                    continue
                seen.add(sid)
                text = self._al_text[r] or self._names[sid]
                out.append(
                    Candidate(
                        sid,
                        self._names[sid],
                        round(min(sc, 99.0), 1),
                        text,
                        f"typed words match, '{prefix}' completes a name",
                    )
                )
                if len(out) >= limit:
                    break
        else:
            for r in self._prefix_rows(prefix):
                sid = self._al_spk[r]
                if sid < 0 or sid in seen:
                    continue
                seen.add(sid)
                key = self._al_key[r]
                tok = next((t for t in key.split() if t.startswith(prefix)), prefix)
                score = 60.0 + 39.0 * len(prefix) / max(len(tok), 1)
                text = self._al_text[r] or self._names[sid]
                out.append(
                    Candidate(
                        sid, self._names[sid], round(score, 1), text, f"'{prefix}' starts '{tok}'"
                    )
                )
                if len(out) >= limit:
                    break
        if not out:
            return self.match(typed, on, limit)
        decision: Decision = "maybe"
        full = self.match(typed, on, limit) if nk.tokens and len(nk.tokens) >= 2 else None
        if full is not None and full.decision == "same" and full.candidates:
            top = full.candidates[0]
            out = [top] + [c for c in out if c.speaker_id != top.speaker_id]
            decision = "same"
        return MatchResult(typed, decision, tuple(out[:limit]))

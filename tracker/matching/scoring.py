"""Pairwise scoring of a query name against one alias key.

Scores are 0-100.  Besides the score each comparison says whether the pair is
*same-worthy* (``ok``): the names agree on everything that distinguishes
people (given name equal, nickname-equivalent or a matching initial; surname
equal or an unmistakable typo of a long surname; no conflicting middle
initials; same generational suffix).  A query can only be decided ``same``
through a same-worthy pair.  The lines that make a pair same-worthy (how long
a surname must be for a typo to count, ...) come from :class:`Tuning`; the
weights inside a score are this module's model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from .nicknames import nickname_equivalent
from .tuning import Tuning
from .wordlists import PARTICLES, SUFFIXES

# Given-name similarity of two nickname-equivalent names (Joe/Joseph): below
# equal (100), above any plain similarity (at most 99 x 0.95).
NICKNAME_SIM = 96.0


@dataclass(frozen=True, slots=True)
class Parsed:
    """A key split into its parts (all canonical lower-case tokens)."""

    tokens: tuple[str, ...]
    given: str | None
    middles: tuple[str, ...]
    surname: str
    suffix: tuple[str, ...]
    core: tuple[str, ...]  # tokens without the suffix


@lru_cache(maxsize=65_536)
def parse(key: str) -> Parsed:
    """Split a matching key into given name, middles, surname and suffix."""
    tokens = tuple(key.split())
    n = len(tokens)
    while n > 1 and tokens[n - 1] in SUFFIXES:
        n -= 1
    core = tokens[:n]
    suffix = tokens[n:]
    if not core:
        return Parsed(tokens, None, (), "", suffix, core)
    # Surname: last token plus the particles just before it.
    j = len(core) - 1
    while j > 0 and core[j - 1] in PARTICLES:
        j -= 1
    if j == 0:
        return Parsed(tokens, None, (), " ".join(core), suffix, core)
    return Parsed(tokens, core[0], core[1:j], " ".join(core[j:]), suffix, core)


@lru_cache(maxsize=16_384)
def _phonetic(tok: str) -> str:
    return str(jellyfish.metaphone(tok)) if tok.isalpha() else tok


def token_sim(a: str, b: str) -> float:
    """Similarity of two name tokens, 0-100 (typo and sound aware)."""
    if a == b:
        return 100.0
    if not a or not b:
        return 0.0
    r = fuzz.ratio(a, b)
    jw = JaroWinkler.normalized_similarity(a, b) * 100.0
    s = 0.5 * r + 0.5 * jw
    if len(a) > 2 and len(b) > 2 and _phonetic(a) == _phonetic(b):
        s += (100.0 - s) * 0.3
    return min(s, 99.0)


def typo_ok(a: str, b: str, min_len: int) -> bool:
    """One edit (insertion, deletion, substitution, transposition); both ``min_len``+ letters."""
    return min(len(a), len(b)) >= min_len and OSA.distance(a, b, score_cutoff=1) <= 1


@dataclass(slots=True)
class PairScore:
    score: float
    ok: bool  # same-worthy
    exact: bool  # canonical keys equal
    why: str
    # Field similarities behind ``score`` (-1: not a plain given/surname
    # comparison); the index uses them to rank near misses.
    ss: float = -1.0
    gs: float = -1.0
    ws: float = 0.0
    plain: float = 0.0  # the given + surname score before the alternatives


def _given_sim(q: str, a: str) -> tuple[float, bool, str]:
    if q == a:
        return 100.0, True, ""
    if len(q) == 1 or len(a) == 1:
        if q[0] == a[0]:
            if len(q) == 1:  # "J. Biden" written, "Joe Biden" known
                return 90.0, True, f"initial {q.upper()}.={a.capitalize()}"
            # A full name written, only an initial known: weaker evidence.
            return 75.0, True, f"initial {a.upper()}. of {q.capitalize()}"
        return 25.0, False, f"first initials differ ({q} vs {a})"
    nick = nickname_equivalent(q, a)
    if nick:
        return NICKNAME_SIM, True, nick
    s = token_sim(q, a) * 0.95
    return s, False, f"first names differ ({q} vs {a})"


def _middle_check(q: tuple[str, ...], a: tuple[str, ...]) -> tuple[float, bool, str]:
    if not q or not a:
        if any(len(t) > 1 for t in q):
            return 3.0, True, ""  # an unmatched full middle name in the query
        return (1.0 if (q or a) else 0.0), True, ""
    if len(q) != len(a):
        return 10.0, False, "middle names differ"
    for x, y in zip(q, a, strict=True):
        if x[0] != y[0]:
            return 10.0, False, "middle initials differ"
        if len(x) > 1 and len(y) > 1 and token_sim(x, y) < 90:
            return 8.0, False, "middle names differ"
    return 0.0, True, ""


def _suffix_check(q: tuple[str, ...], a: tuple[str, ...]) -> tuple[float, bool, str]:
    if q == a:
        return 0.0, True, ""
    qs = " ".join(q) or "no suffix"
    as_ = " ".join(a) or "no suffix"
    return 12.0, False, f"suffix differs ({qs} vs {as_})"


def _surname_sim(q: str, a: str, typo_len: int) -> tuple[float, bool, str]:
    if q == a:
        return 100.0, True, ""
    s = token_sim(q.replace(" ", ""), a.replace(" ", ""))
    if q.replace(" ", "") == a.replace(" ", ""):
        return 99.0, True, "surname spacing"
    if typo_ok(q, a, typo_len):
        return max(s, 95.0), True, f"typo of surname '{a}'"
    if s >= 88 and _phonetic(q) == _phonetic(a):
        return s, False, f"surname sounds like '{a}'"
    return s, False, f"surname similar to '{a}'" if s >= 70 else f"surname differs ('{a}')"


def score_person(q: Parsed, a: Parsed, ws: float, tuning: Tuning) -> PairScore:
    """Score a parsed person-name query against a parsed alias key.

    ``ws`` is the weight of the surname (the rest goes to the given name); the
    index raises it for rare surnames and lowers it for common ones.
    """
    if q.tokens == a.tokens:
        return PairScore(100.0, True, True, "")
    typo_len = tuning.surname_typo_len
    if q.given is None:
        # Surname alone (or one token of any kind).
        sfx_pen, sfx_ok, sfx_why = _suffix_check(q.suffix, a.suffix) if q.suffix else (0, True, "")
        ss, s_ok, s_why = _surname_sim(q.surname, a.surname, typo_len)
        if a.given is None:
            score = ss
            why = s_why or "same single name"
        else:
            score = ss * 0.93
            why = (s_why + "; " if s_why else "") + "surname only"
        ok = s_ok and sfx_ok
        if ok and ss < 99.0 and min(len(q.surname), len(a.surname)) < tuning.surname_alone_typo_len:
            ok = False  # a typo of a short name alone is too weak
        if a.given is not None:
            gs = token_sim(q.surname, a.given) * 0.7
            if gs > score:
                res = PairScore(gs - sfx_pen, False, False, "matches the first name only")
                return _joined(q, a, res, sfx_pen)
        res = PairScore(score - sfx_pen, ok, False, "; ".join(w for w in (why, sfx_why) if w))
        return _joined(q, a, res, sfx_pen) if len(a.core) > 1 else res
    if a.given is None:
        ss, _s_ok, s_why = _surname_sim(q.surname, a.surname, typo_len)
        why = "; ".join(w for w in (s_why, "alias is a single name") if w)
        best_tok = max(token_sim(t, a.surname) for t in q.core)
        res = PairScore(max(ss, best_tok) * 0.8, False, False, why)
        return _joined(q, a, res, 0.0)
    ss, s_ok, s_why = _surname_sim(q.surname, a.surname, typo_len)
    gs, g_ok, g_why = _given_sim(q.given, a.given)
    mp, m_ok, m_why = _middle_check(q.middles, a.middles)
    sp, sx_ok, sx_why = _suffix_check(q.suffix, a.suffix)
    score = ws * ss + (1.0 - ws) * gs - mp - sp
    ok = s_ok and g_ok and m_ok and sx_ok
    parts = [w for w in (s_why, g_why, m_why, sx_why) if w]
    best = PairScore(score, ok, False, "; ".join(parts), ss=ss, gs=gs, ws=ws, plain=score)
    if score >= 88.0:
        return best  # the alternatives below score at most 94, rarely above 88
    # Given name and surname swapped ("Lavrov Sergei", FEBRL swaps).
    ss2 = token_sim(q.given, a.surname)
    if ss2 >= 65:
        gs2, _, _ = _given_sim(q.surname, a.given)
        sw = ws * ss2 + (1.0 - ws) * gs2 - mp - sp - 4.0
        if sw > best.score:
            best = PairScore(sw, False, False, "given name and surname swapped")
    res = _joined(q, a, best, sp)
    if res is not best or best.ss < 0.0:
        res.ss, res.gs, res.ws, res.plain = ss, gs, ws, score
    return res


def _joined(q: Parsed, a: Parsed, best: PairScore, penalty: float) -> PairScore:
    """Tokens split, merged or ordered differently ("elk i menzies" vs "elki menzies")."""
    qj = "".join(q.core)
    joined = fuzz.ratio(qj, "".join(a.core))
    why = "same letters, different word breaks"
    if a.given is not None:
        swapped = a.surname.replace(" ", "") + a.given + "".join(a.middles)
        sw = fuzz.ratio(qj, swapped) - 2.0
        if sw > joined:
            joined, why = sw, "same letters, surname first"
    unordered = fuzz.token_sort_ratio(" ".join(q.core), " ".join(a.core)) - 2.0
    if unordered > joined:
        joined, why = unordered, "same words in another order"
    joined -= 6.0 + penalty
    if joined > best.score:
        return PairScore(joined, False, False, why)
    return best


def score_org(query_raw: str, alias_key: str, tuning: Tuning) -> PairScore:
    """Score an organisation alias against the query's raw key."""
    if query_raw == alias_key:
        return PairScore(100.0, True, True, "")
    r = fuzz.ratio(query_raw, alias_key)
    ok = min(len(query_raw), len(alias_key)) >= tuning.org_same_len and r >= tuning.org_same_ratio
    return PairScore(r, ok, False, "similar organisation name")

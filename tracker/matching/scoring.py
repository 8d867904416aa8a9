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
from .normalize import consonants, skeleton
from .tuning import Tuning
from .wordlists import PARTICLES, SUFFIXES

# Given-name similarity of two nickname-equivalent names (Joe/Joseph): below
# equal (100), above any plain similarity (at most 99 x 0.95).
NICKNAME_SIM = 96.0
# Given-name or surname similarity of two spelling variants (Dmitri/Dmitry,
# Hassan/Hasan): just above a nickname.
VARIANT_SIM = 97.0
# Given-name similarity of a full given name written when only its initial is
# known ("Vladimir Putin" for an alias "V. Putin"): weaker evidence than the
# initial written for a known full name (90).  It stays below the ``same``
# line: "S. Khan" may be an alias of Sumati Khan, whose full name says she is
# not Salman Khan.
INITIAL_KNOWN_SIM = 75.0


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


def variant(a: str, b: str) -> bool:
    """Spelling or transliteration variants of one name (``normalize.skeleton``).

    Names of four letters or more: in shorter ones a doubled letter or a
    vowel is too much of the name (Jed/Jeed, Ann/An).
    """
    if len(a) < 4 or len(b) < 4 or abs(len(a) - len(b)) > 3:
        return False
    if a[0] != b[0] and frozenset((a[0], b[0])) not in _FIRST_LETTER_VARIANTS:
        return False  # cheap: most pairs differ from the first letter on
    return skeleton(a) == skeleton(b)


# First letters a skeleton can merge (j/y, c/k, q/k, w/v; Yevgeny/Evgeny,
# Khodorkovsky/Hodorkovsky, Phil/Fil).
_FIRST_LETTER_VARIANTS = frozenset(
    frozenset(p) for p in ("jy", "ck", "qk", "cq", "wv", "ye", "ya", "yi", "yu", "kh", "pf")
)


def transposed(a: str, b: str, min_len: int) -> bool:
    """Two neighbouring letters swapped (Merkle/Merkel), not the first; ``min_len``+ letters."""
    n = len(a)
    if n != len(b) or n < min_len or a == b:
        return False
    i = 0
    while a[i] == b[i]:
        i += 1
    return 0 < i < n - 1 and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]


_PATRONYMIC = frozenset(("bin", "ibn", "ben", "bint", "bn"))


def _particles_clash(q: str, a: str) -> bool:
    """ "bin Khalifa" (son of Khalifa) is not "Al Khalifa" (the Khalifa family)."""
    qp = {t for t in q.split()[:-1] if t in PARTICLES}
    ap = {t for t in a.split()[:-1] if t in PARTICLES}
    return bool(qp and ap) and bool(qp & _PATRONYMIC) != bool(ap & _PATRONYMIC)


def _bare(surname: str) -> str:
    """A surname without its particles ("al sisi" -> "sisi", "von der leyen" -> "leyen")."""
    parts = surname.split()
    while len(parts) > 1 and parts[0] in PARTICLES:
        parts = parts[1:]
    return "".join(parts)


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
            return INITIAL_KNOWN_SIM, True, f"initial {a.upper()}. of {q.capitalize()}"
        return 25.0, False, f"first initials differ ({q} vs {a})"
    nick = nickname_equivalent(q, a)
    if nick:
        return NICKNAME_SIM, True, nick
    if variant(q, a):
        return VARIANT_SIM, True, f"spelling variant {q.capitalize()}/{a.capitalize()}"
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
        if len(x) > 1 and len(y) > 1 and skeleton(x) != skeleton(y) and token_sim(x, y) < 90:
            return 8.0, False, "middle names differ"
    return 0.0, True, ""


def _suffix_check(q: tuple[str, ...], a: tuple[str, ...]) -> tuple[float, bool, str]:
    if q == a:
        return 0.0, True, ""
    qs = " ".join(q) or "no suffix"
    as_ = " ".join(a) or "no suffix"
    return 12.0, False, f"suffix differs ({qs} vs {as_})"


def _surname_sim(q: str, a: str, typo_len: int, particles: bool = True) -> tuple[float, bool, str]:
    """Surname similarity, same-worthiness and reason.

    ``particles``: the surnames may be compared without their particles
    ("al sisi" = "el sisi" = "sisi"); not when a particle is the first word of
    a name that has no given name ("ben nguyen", "mac beaty": Ben and Mac are
    given names there).
    """
    if q == a:
        return 100.0, True, ""
    s = token_sim(q.replace(" ", ""), a.replace(" ", ""))
    if q.replace(" ", "") == a.replace(" ", ""):
        return 99.0, True, "surname spacing"
    spaced = " " in q or " " in a
    if particles and spaced and _particles_clash(q, a):
        particles = False
    qb, ab = (_bare(q), _bare(a)) if particles and spaced else (q, a)
    if spaced and qb == ab:
        return 98.0, True, f"surname '{a}' with another particle"
    if variant(qb.replace(" ", ""), ab.replace(" ", "")):
        return VARIANT_SIM, True, f"spelling variant of surname '{a}'"
    if typo_ok(q, a, typo_len):
        return max(s, 95.0), True, f"typo of surname '{a}'"
    if transposed(qb, ab, 5):
        return max(s, 95.0), True, f"letters swapped in surname '{a}'"
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
    particles = (q.given is not None or " " not in q.surname) and (
        a.given is not None or " " not in a.surname
    )
    if q.given is None:
        # Surname alone (or one token of any kind).
        sfx_pen, sfx_ok, sfx_why = _suffix_check(q.suffix, a.suffix) if q.suffix else (0, True, "")
        ss, s_ok, s_why = _surname_sim(q.surname, a.surname, typo_len, particles)
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
        ss, _s_ok, s_why = _surname_sim(q.surname, a.surname, typo_len, particles)
        why = "; ".join(w for w in (s_why, "alias is a single name") if w)
        best_tok = max(token_sim(t, a.surname) for t in q.core)
        res = PairScore(max(ss, best_tok) * 0.8, False, False, why)
        return _joined(q, a, res, 0.0)
    ss, s_ok, s_why = _surname_sim(q.surname, a.surname, typo_len, particles)
    gs, g_ok, g_why = _given_sim(q.given, a.given)
    mp, m_ok, m_why = _middle_check(q.middles, a.middles)
    sp, sx_ok, sx_why = _suffix_check(q.suffix, a.suffix)
    score = ws * ss + (1.0 - ws) * gs - mp - sp
    ok = s_ok and g_ok and m_ok and sx_ok
    parts = [w for w in (s_why, g_why, m_why, sx_why) if w]
    best = PairScore(score, ok, False, "; ".join(parts), ss=ss, gs=gs, ws=ws, plain=score)
    if not ok and sx_ok:
        alt = same_worthy_alternative(q, a)
        if alt is not None:
            alt.score = max(alt.score, score)
            alt.ss, alt.gs, alt.ws, alt.plain = ss, gs, ws, score
            return alt
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


def _tok_eq(x: str, y: str) -> bool:
    return x == y or variant(x, y)


def _first_eq(x: str, y: str) -> bool:
    return _tok_eq(x, y) or nickname_equivalent(x, y) is not None


def _in_order(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every token of ``short`` in ``long``, in order; a particle only with the token after it.

    The first tokens must agree (given name); ``long`` may have more tokens
    in between or after (middle names, patronymics, a dynasty name), but
    "hamad bin khalifa" is not in "hamad bin isa al khalifa": a particle and
    its name are one unit.
    """
    if not _first_eq(short[0], long[0]):
        return False
    last = short[-1]
    if not _tok_eq(last, long[-1]):
        # The shorter name's surname inside the longer one: only when what
        # follows it there is a family or dynasty name ("... Al Saud", "...
        # de Nagy-Bocsa"), not another name ("Ahmed Shah" / "Ahmad Shah Massoud").
        k = max((i for i, t in enumerate(long) if _tok_eq(t, last)), default=-1)
        if k < 1 or k + 1 >= len(long) or long[k + 1] not in PARTICLES:
            return False
    j = 1
    i = 1
    while i < len(short):
        t = short[i]
        if t in PARTICLES and i + 1 < len(short):
            nxt = short[i + 1]
            while j + 1 < len(long) and not (_tok_eq(long[j], t) and _tok_eq(long[j + 1], nxt)):
                j += 1
            if j + 1 >= len(long):
                return False
            i += 2
            j += 2
            continue
        while j < len(long) and not _tok_eq(long[j], t):
            j += 1
        if j >= len(long):
            return False
        i += 1
        j += 1
    return True


def same_worthy_alternative(q: Parsed, a: Parsed) -> PairScore | None:
    """Readings of a pair that make it same-worthy although the plain comparison is not.

    * the same words in another order ("Lukashenko Alexander", "KIM Jong Un"
      written surname last), tokens equal or spelling variants;
    * the same letters with other word breaks ("Abdulaziz" / "Abdul Aziz",
      "Moon Jaein" / "Moon Jae-in"), 8 letters or more;
    * the shorter name, a given name and a surname only, is the longer one
      with fewer names (middle names, patronymics, a dynasty name:
      "Mohammed bin Salman" / "Mohammed bin Salman Al Saud"), the given
      names agreeing (see :func:`_in_order`).
    """
    qc, ac = q.core, a.core
    if len(qc) == len(ac):
        if (
            len(qc) >= 2
            and (qc[0] in ac[1:] or qc[-1] in ac[:-1])  # cheap: a word moved as it was
            and all(len(t) > 1 for t in qc + ac)
            and sorted(skeleton(t) for t in qc) == sorted(skeleton(t) for t in ac)
        ):
            return PairScore(96.0, True, False, "same names in another order")
        return None
    if qc[0][:1] != ac[0][:1] and qc[-1] not in ac:
        return None  # cheap: neither reading below can hold
    qj, aj = "".join(qc), "".join(ac)
    if len(qj) >= 8 and (qj == aj or (variant(qj, aj) and qj[-2:] == aj[-2:])):
        return PairScore(97.0, True, False, "same letters, different word breaks")
    if min(len(qc), len(ac)) >= 2:
        (short, sp), long = ((qc, q), ac) if len(qc) < len(ac) else ((ac, a), qc)
        if (
            not sp.middles
            and (short[-1] in long or variant(short[-1], long[-1]))  # cheap first
            and all(len(t) > 1 for t in short)
            and _in_order(short, long)
        ):
            return PairScore(94.0, True, False, "more names on one side")
    return None


def score_loose(q: Parsed, a: Parsed) -> PairScore | None:
    """Same-worthy comparison of names across a loose script (see ``scripts.py``).

    Each token is compared on its consonants, particles aside (and Arabic
    script's article written together with the name, ``lhryry``): محمد بن
    سلمان and Mohammed bin Salman, 김정은 and Kim Jong Un.
    """
    qt = [consonants(t) for t in q.core if t not in PARTICLES and t != "bn"]
    at = [consonants(t) for t in a.core if t not in PARTICLES and t != "bn"]
    if len(qt) < 2 or len(at) < 2 or not all(qt) or not all(at):
        return None
    if any(len(t) < 2 for t in q.core + a.core):
        return None  # an initial says too little across scripts
    if len(qt) == len(at) and all(
        x == y
        or (len(x) > 2 and x[0] == "l" and x[1:] == y)
        or (len(y) > 2 and y[0] == "l" and y[1:] == x)
        for x, y in zip(qt, at, strict=True)
    ):
        return PairScore(95.0, True, False, "same name in another script")
    # Written in one more or one fewer word (نصر الله / Nasrallah; the article
    # written with the next word, عبد الفتاح السيسي / Abdel Fattah el-Sisi):
    # all the consonants in order, particles included, agree.
    qa = "".join(consonants(t) for t in q.core).removesuffix("h")
    aa = "".join(consonants(t) for t in a.core).removesuffix("h")
    if abs(len(q.core) - len(a.core)) <= 1 and len(qa) >= 6 and qa == aa and qt[0][:2] == at[0][:2]:
        return PairScore(93.0, True, False, "same name in another script")
    return None


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

"""Name normalisation: the matching key form of a speaker name.

``normalize_name(text)`` returns the *matching key*: lower-case ASCII tokens
separated by single spaces, in "given ... surname suffix" order, with
honorifics, job titles and nationality adjectives removed, appositions after
a comma dropped, "Surname, Given" reordered, and romanisation variants mapped
to one canonical spelling (``Sergey`` and ``Sergei`` both become ``sergei``,
``-off`` becomes ``-ov``).  Generational suffixes (``jr``, ``sr``, ``ii``,
``iii``, ``iv``) are kept as the last tokens because they distinguish people.

Steps, in order:

1. Unicode NFKC, then transliteration to ASCII with ``anyascii``.
2. Split on commas and pick the name part: ``"LAVROV, Sergei"`` is
   surname-first and becomes ``sergei lavrov``; in ``"Michael Kugelman, deputy
   director of ..."`` the part after the comma is a description and is dropped;
   in ``"U.S. special envoy for Afghanistan, Zalmay Khalilzad"`` the part before
   is.  A part that is only a suffix (``", Jr."``) is kept as a suffix.
3. Lower-case, punctuation to spaces (``"J. Biden"`` -> ``j biden``;
   apostrophes are dropped inside words: ``O'Brien`` -> ``obrien``).
4. Titles: everything up to the last job-title word that still leaves a name
   after it is removed (``"Russian Foreign Minister Sergei Lavrov"``), then
   leading honorifics (``dr``, ``mr``, ``former``, ``his``...).
5. Each token is mapped through the romanisation variant table.

An empty string means the text held no name (for example ``"the U.S.
president"``, which the index resolves as a role reference instead).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from .wordlists import (
    DEGREES,
    HONORIFICS,
    NATIONALITY_ADJECTIVES,
    PARTICLES,
    STOPWORDS,
    SUFFIXES,
    TITLE_PHRASE_WORDS,
    TITLE_WORDS,
    VARIANT_TO_CANON,
    WEAK_LEADING,
    country_at,
)

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_APOS = re.compile(r"(?<=[a-z])['`](?=[a-z])")


def canon_token(tok: str) -> str:
    """Map one lower-case token to its canonical romanisation."""
    c = VARIANT_TO_CANON.get(tok)
    if c is not None:
        return c
    n = len(tok)
    if n > 5:
        if tok.endswith(("skiy", "skyy", "skii")):
            tok = tok[:-4] + "sky"
        elif tok.endswith("ski"):
            tok = tok[:-3] + "sky"
        elif tok.endswith("off"):
            tok = tok[:-3] + "ov"
        elif tok.endswith("eff"):
            tok = tok[:-3] + "ev"
    return VARIANT_TO_CANON.get(tok, tok)


def ascii_fold(text: str) -> str:
    """NFKC + transliteration to ASCII (no case change)."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = anyascii(text)
    return text


def simple_tokens(text: str) -> list[str]:
    """Lower-case ASCII word tokens of ``text`` (punctuation removed)."""
    t = ascii_fold(text).lower()
    t = t.replace("'s ", " ").replace("\u2019s ", " ")
    t = _APOS.sub("", t)
    t = _PUNCT.sub(" ", t)
    return t.split()


def _is_description(part_tokens: list[str], raw_part: str) -> bool:
    """True when a comma part reads as a description rather than a name."""
    if not part_tokens:
        return True
    if any(t in STOPWORDS for t in part_tokens):
        return True
    if any(t in TITLE_WORDS for t in part_tokens):
        return True
    if len(part_tokens) > 4:
        return True
    # A lower-case word in mixed-case text ("deputy director") is descriptive.
    words = raw_part.split()
    has_upper = any(w[:1].isupper() for w in words)
    return has_upper and any(w[:1].islower() and w.isalpha() for w in words)


def _only_suffixes(tokens: list[str]) -> bool:
    return bool(tokens) and all(t in SUFFIXES or t in DEGREES for t in tokens)


def _choose_part(text: str) -> list[str]:
    """Apply the comma rules and return the lower-case tokens of the name part."""
    raw_parts = [p.strip() for p in text.split(",")]
    raw_parts = [p for p in raw_parts if p]
    if not raw_parts:
        return []
    parts = [(p, simple_tokens(p)) for p in raw_parts]
    suffix_tokens: list[str] = []
    kept: list[tuple[str, list[str]]] = []
    for raw, toks in parts:
        if _only_suffixes(toks):
            suffix_tokens.extend(t for t in toks if t in SUFFIXES)
        elif toks:
            kept.append((raw, toks))
    if not kept:
        return suffix_tokens
    if len(kept) == 1:
        return kept[0][1] + suffix_tokens
    first_raw, first = kept[0]
    second_raw, second = kept[1]
    first_desc = _is_description(first, first_raw)
    second_desc = _is_description(second, second_raw)
    core_first = [t for t in first if t not in SUFFIXES]
    # "LAVROV, Sergei", "van der Leyen, Ursula", "Bush, George W."
    if (
        not first_desc
        and not second_desc
        and 1 <= len(core_first) <= 3
        and (len(core_first) == 1 or all(t in PARTICLES for t in core_first[:-1]))
        and 1 <= len(second) <= 3
    ):
        sfx = [t for t in first if t in SUFFIXES]
        return second + core_first + sfx + suffix_tokens
    for raw, toks in kept:
        if not _is_description(toks, raw):
            return toks + suffix_tokens
    # Every part is descriptive: keep the one that still has a name after titles.
    for _raw, toks in kept:
        if strip_titles(toks):
            return toks + suffix_tokens
    return kept[0][1] + suffix_tokens


def strip_titles(tokens: list[str]) -> list[str]:
    """Remove job titles, honorifics and nationality words around a name."""
    tail_sfx: list[str] = []
    toks = list(tokens)
    while toks and (toks[-1] in SUFFIXES or toks[-1] in DEGREES):
        t = toks.pop()
        if t in SUFFIXES:
            tail_sfx.insert(0, SUFFIXES[t])
    # Drop everything up to the last title word that leaves a name after it.
    cut = -1
    for i in range(len(toks) - 2, -1, -1):
        if toks[i] in TITLE_WORDS:
            cut = i
            break
    if cut >= 0:
        rest = toks[cut + 1 :]
        # "special envoy for Afghanistan Zalmay Khalilzad"
        while rest and rest[0] in STOPWORDS:
            rest = rest[1:]
            # "for Afghanistan", "of State", "of the Treasury"
            while len(rest) > 1:
                n = country_at(rest, 0)
                if n and len(rest) > n:
                    rest = rest[n:]
                elif rest[0] in TITLE_PHRASE_WORDS or rest[0] in STOPWORDS:
                    rest = rest[1:]
                else:
                    break
        if rest:
            toks = rest
    # Leading honorifics / nationality adjectives.
    changed = True
    while changed and len(toks) > 1:
        changed = False
        head = toks[0]
        if (
            head in HONORIFICS
            and head not in WEAK_LEADING
            or (head in WEAK_LEADING or head in NATIONALITY_ADJECTIVES)
            and len(toks) > 2
        ):
            toks = toks[1:]
            changed = True
        elif head in ("u", "e") and len(toks) > 3 and toks[1] in ("s", "k", "u", "n"):
            toks = toks[2:]
            changed = True
    if not toks and tail_sfx:
        return []
    return toks + tail_sfx


def _all_title_like(tokens: list[str]) -> bool:
    i = 0
    while i < len(tokens):
        n = country_at(tokens, i)
        if n:
            i += n
            continue
        t = tokens[i]
        if t in TITLE_PHRASE_WORDS or t in STOPWORDS or t in HONORIFICS or t in ("s",):
            i += 1
            continue
        return False
    return True


@dataclass(frozen=True, slots=True)
class NameKey:
    """Analysed query/alias text.

    ``tokens`` is the canonical person-name key (may be empty when the text is
    only a title or role phrase); ``raw`` is every canonical token with only
    punctuation and a leading "the" removed (used for organisations and as a
    fallback).
    """

    tokens: tuple[str, ...]
    raw: tuple[str, ...]

    @property
    def key(self) -> str:
        return " ".join(self.tokens)

    @property
    def raw_key(self) -> str:
        return " ".join(self.raw)


def _expand_initial_runs(text: str) -> str:
    # "G.W. Bush" -> "G. W. Bush" so that initials become separate tokens.
    return re.sub(r"\b([A-Za-z])\.(?=[A-Za-z]\.)", r"\1. ", text)


@lru_cache(maxsize=8_192)
def analyse(text: str) -> NameKey:
    """Analyse a name or role text (cached)."""
    folded = _expand_initial_runs(ascii_fold(text))
    raw_tokens = simple_tokens(folded)
    while raw_tokens and raw_tokens[0] in ("the", "a", "an"):
        raw_tokens = raw_tokens[1:]
    raw = tuple(canon_token(SUFFIXES.get(t, t)) for t in raw_tokens)
    chosen = _choose_part(folded)
    if _all_title_like(chosen):
        name: list[str] = []
    else:
        name = strip_titles(chosen)
    # Move suffixes to the end, drop degrees.
    core = [t for t in name if t not in SUFFIXES and t not in DEGREES]
    sfx = [SUFFIXES[t] for t in name if t in SUFFIXES]
    if not core:
        sfx = []
        # A lone suffix-like token ("Ii") is kept as a name.
        if name and not raw:
            core = name
    toks = tuple(canon_token(t) for t in core) + tuple(dict.fromkeys(sfx))
    return NameKey(tokens=toks, raw=raw)


def normalize_name(text: str) -> str:
    """Return the matching key of a person's name (see module docstring).

    >>> normalize_name("LAVROV, Sergei")
    'sergei lavrov'
    >>> normalize_name("Russian Foreign Minister Sergey Lavrov")
    'sergei lavrov'
    >>> normalize_name("Donald Trump Jr.")
    'donald trump jr'
    """
    return analyse(text).key

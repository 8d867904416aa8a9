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

from .scripts import (
    LATIN,
    LOOSE_SCRIPTS,
    armenian_fix,
    cjk_tokens,
    has_armenian,
    native_form,
    script_of,
)
from .wordlists import (
    DEGREES,
    GENDERED_ADDRESS,
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
    words,
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
        armenian = has_armenian(text)
        text = anyascii(text)
        if armenian:
            text = armenian_fix(text)
    return text


_SK_START = re.compile(r"^ye")
_SK_VYV = re.compile(r"(?<=[aeiou])y(?=[aeiou])")
_SK_VYC = re.compile(r"(?<=[aeiou])y(?=[^aeiouy]|$)")
_SK_END = re.compile(r"(?:yy|iy|ii|yi|y)$")
_SK_C = re.compile(r"c(?![eiyh])")
_SK_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65_536)
def skeleton(tok: str) -> str:
    """The spelling skeleton of a name token: transliteration variants share one.

    Dmitri/Dmitry/Dmitrij, Aleksandr/Alexandr, Hasan/Hassan, Jevgeni/Yevgeniy,
    Nazarbayev/Nazarbaev, Shoygu/Shoigu, Viktor/Victor, Jeong/Jong all meet;
    Michel/Michelle, John/Joan, Ivana/Ivanka, Smith/Smyth, Allen/Allan,
    Miller/Millar, Kozyrev/Kozyrov stay apart (vowels that tell names or
    genders apart are kept; only spellings of one sound are merged).
    """
    s = tok.replace("ks", "x").replace("kh", "h").replace("ph", "f").replace("w", "v")
    s = s.replace("ck", "k").replace("q", "k").replace("j", "y").replace("tch", "ch")
    s = s.replace("ou", "u").replace("oo", "u").replace("eo", "o").replace("eu", "u")
    s = _SK_C.sub("k", s)
    s = _SK_DOUBLE.sub(r"\1", s)
    s = _SK_START.sub("e", s)
    s = _SK_VYV.sub("", s)
    s = _SK_VYC.sub("i", s)
    if len(s) > 3:
        s = _SK_END.sub("i", s)
        if s.endswith("ych"):
            s = s[:-3] + "ich"
    return _SK_DOUBLE.sub(r"\1", s)


_CONS_MAP = str.maketrans("gdbzqcvx", "ktpskkws")
_CONS_PAIRS = (("kh", "h"), ("ph", "f"), ("ck", "k"), ("ch", "j"), ("sh", "s"), ("th", "t"))
_CONS_PAIRS2 = (("dh", "d"), ("gh", "g"), ("zh", "j"))


@lru_cache(maxsize=65_536)
def consonants(tok: str) -> str:
    """Consonant skeleton of a token, for names across loose scripts (Arabic, Hangul, Khmer).

    Vowels (and the letters Arabic script uses for long vowels, w and y) are
    dropped, voiced and voiceless pairs merged, a final h dropped:
    Muhammad, Mohammed and محمد (``mhmd``) meet, as do 정 (jeong), Jong and Chung.
    """
    s = tok
    for a, b in _CONS_PAIRS + _CONS_PAIRS2:
        s = s.replace(a, b)
    s = s.translate(_CONS_MAP)
    s = "".join(c for c in s if c not in "aeiouyw'`")
    s = _SK_DOUBLE.sub(r"\1", s)
    if len(s) > 2 and s.endswith("h"):
        s = s[:-1]
    return s


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
    script: int = LATIN
    """Script the text was written in (``scripts.SCRIPTS``)."""
    address: str = ""
    """A form of address that stood before a lone surname ("mrs" of "Mrs
    Obama"; ``wordlists.GENDERED_ADDRESS``)."""
    native: str = ""
    """Chinese, Japanese or Korean characters as written (``scripts.native_form``)."""

    @property
    def key(self) -> str:
        return " ".join(self.tokens)

    @property
    def raw_key(self) -> str:
        return " ".join(self.raw)


def _expand_initial_runs(text: str) -> str:
    # "G.W. Bush" -> "G. W. Bush" so that initials become separate tokens.
    return re.sub(r"\b([A-Za-z])\.(?=[A-Za-z]\.)", r"\1. ", text)


_CAPS_WORD = re.compile(r"^[A-Z][A-Z'-]*[A-Z]$")
_NAME_WORD = re.compile(r"^[A-Z][a-z'-]*[a-z]$|^[A-Z]\.?$")


_NOT_NAMES = (
    TITLE_WORDS
    | TITLE_PHRASE_WORDS
    | HONORIFICS
    | STOPWORDS
    | NATIONALITY_ADJECTIVES
    | words("us uk un eu usa nato abc bbc cnn nbc cbs fox")
)


def _caps_surname_first(text: str) -> str:
    """``PESKOV Dmitry Sergeyevich`` -> ``Dmitry Sergeyevich PESKOV``.

    A name whose first word or words are in capitals and the rest in mixed
    case is written surname first (sanctions lists, official documents).
    Only for short texts that are nothing but such words, so that an acronym
    in front of a title ("ABC News Chief Anchor ...") is left alone.
    """
    if "," in text or not text[:2].isupper():
        return text  # cheap: most names do not start with two capitals
    words = text.split()
    if not 2 <= len(words) <= 5:
        return text
    n = 0
    while n < len(words) and _CAPS_WORD.match(words[n]):
        n += 1
    rest = words[n:]
    if not n or not 1 <= len(rest) <= 3 or not all(_NAME_WORD.match(w) for w in rest):
        return text
    lowered = {t for w in words for t in w.lower().replace("-", " ").split()}
    if lowered & _NOT_NAMES:
        return text
    return " ".join(rest + words[:n])


def _initials_last(tokens: list[str]) -> list[str]:
    """``putin v v`` (``Putin V.V.``) -> ``v v putin``: initials after a surname go first.

    Only for initials written with a period (the caller checks): "sachi n" is
    a name split by a typo, not an initial.
    """
    core = [t for t in tokens if t not in SUFFIXES]
    if len(core) < 2 or len(core[0]) < 2 or any(len(t) != 1 for t in core[1:]):
        return tokens
    return core[1:] + core[:1] + [t for t in tokens if t in SUFFIXES]


@lru_cache(maxsize=8_192)
def analyse(text: str) -> NameKey:
    """Analyse a name or role text (cached)."""
    script = script_of(text)
    native = native_form(text, script)
    cjk = cjk_tokens(text.strip(), script)
    if cjk is not None:
        return NameKey(tokens=cjk, raw=cjk, script=script, native=native)
    folded = _expand_initial_runs(_caps_surname_first(ascii_fold(text).strip()))
    raw_tokens = simple_tokens(folded)
    while raw_tokens and raw_tokens[0] in ("the", "a", "an"):
        raw_tokens = raw_tokens[1:]
    raw = tuple(canon_token(SUFFIXES.get(t, t)) for t in raw_tokens)
    chosen = _choose_part(folded)
    if script in LOOSE_SCRIPTS:
        name = chosen  # title words are English; "hon" is Khmer for Hun, not Hon.
    elif _all_title_like(chosen):
        name = []
    else:
        name = strip_titles(chosen)
        if "," not in folded and "." in folded:
            name = _initials_last(name)
    # Move suffixes to the end, drop degrees.
    core = [t for t in name if t not in SUFFIXES and t not in DEGREES]
    sfx = [SUFFIXES[t] for t in name if t in SUFFIXES]
    if not core:
        sfx = []
        # A lone suffix-like token ("Ii") is kept as a name.
        if name and not raw:
            core = name
    toks = tuple(canon_token(t) for t in core) + tuple(dict.fromkeys(sfx))
    address = ""
    if len(core) == 1 and len(raw_tokens) >= 2 and raw_tokens[-2] in GENDERED_ADDRESS:
        address = raw_tokens[-2]
    return NameKey(tokens=toks, raw=raw, script=script, native=native, address=address)


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

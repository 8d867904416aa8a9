"""Role phrases: "the U.S. president", "Russia's foreign minister", ...

A role phrase is reduced to a set of tokens: title words plus ``@country``
tokens for nationality adjectives, possessives and "X of Y" forms, so that
"the president of Afghanistan", "the Afghan president" and "Afghanistan's
president" all become ``{"president", "@afghanistan"}``.
"""

from __future__ import annotations

from .normalize import COUNTRY_PHRASES, _country_at, _words, simple_tokens

_ROLE_STOP = _words("""the a an of for in at to and s former current then his her their its our
    acting incumbent sitting outgoing""")

# Multi-word title synonyms -> canonical token sets (applied to the token set).
_SYNONYMS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"minister", "foreign", "affairs"}), frozenset({"minister", "foreign"})),
    (frozenset({"secretary", "foreign", "affairs"}), frozenset({"secretary", "foreign"})),
    (frozenset({"head", "state"}), frozenset({"president"})),
    (frozenset({"pm"}), frozenset({"prime", "minister"})),
    (frozenset({"premier"}), frozenset({"prime", "minister"})),
)


def role_tokens(text: str) -> frozenset[str]:
    """Canonical token set of a role phrase (title and organisation)."""
    toks = simple_tokens(text)
    out: set[str] = set()
    i = 0
    while i < len(toks):
        n = _country_at(toks, i)
        # "us" alone is a pronoun unless written U.S./US in a role context;
        # simple_tokens lower-cases, so accept it: role phrases rarely say "us".
        if n:
            out.add("@" + COUNTRY_PHRASES[tuple(toks[i : i + n])])
            i += n
            continue
        t = toks[i]
        if t not in _ROLE_STOP:
            out.add(t)
        i += 1
    for pattern, repl in _SYNONYMS:
        if pattern <= out:
            out = (out - pattern) | repl
    return frozenset(out)


def title_only(tokens: frozenset[str]) -> frozenset[str]:
    """The role tokens without organisation/country tokens."""
    return frozenset(t for t in tokens if not t.startswith("@"))

"""Deterministic generator of realistic speaker names for the matching benches.

Given names and surnames come from Faker's person providers for several
locales (sampled directly from the provider lists, which is much faster than
calling ``Faker.name()`` a million times).  Each speaker gets a display name
and a few aliases: an initial form ("J. Smith"), a middle-initial form,
"SURNAME, Given", a nickname form when the given name has one, a misspelling
(one edit in the surname) and, for Cyrillic locales, the original script.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from faker import Faker

from tracker.matching import SpeakerEntry
from tracker.matching.nicknames import FORMAL_TO_NICK

LOCALES: dict[str, float] = {
    "en_US": 0.30,
    "en_GB": 0.10,
    "de_DE": 0.08,
    "fr_FR": 0.08,
    "es_ES": 0.08,
    "it_IT": 0.08,
    "ru_RU": 0.08,
    "nl_NL": 0.05,
    "pt_BR": 0.05,
    "tr_TR": 0.05,
    "hi_IN": 0.05,
}


@dataclass
class _Pool:
    given: list[str]
    surnames: list[str]


def _pools() -> dict[str, _Pool]:
    pools: dict[str, _Pool] = {}
    for loc in LOCALES:
        prov = Faker(loc).provider("faker.providers.person")
        assert prov is not None
        given: set[str] = set()
        for attr in ("first_names", "first_names_male", "first_names_female"):
            given.update(getattr(prov, attr, ()) or ())
        surnames: set[str] = set()
        for attr in ("last_names", "last_names_male", "last_names_female"):
            surnames.update(getattr(prov, attr, ()) or ())
        pools[loc] = _Pool(sorted(given), sorted(surnames))
    return pools


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(word: str, rng: random.Random) -> str:
    """One random edit (substitute, insert, delete or transpose) inside ``word``."""
    if len(word) < 3:
        return word + rng.choice(_LETTERS)
    i = rng.randrange(1, len(word))
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + rng.choice(_LETTERS) + word[i + 1 :]
    if op == 1:
        return word[:i] + rng.choice(_LETTERS) + word[i:]
    if op == 2:
        return word[:i] + word[i + 1 :]
    if i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(_LETTERS)


def typo_name(name: str, rng: random.Random) -> str:
    parts = name.split()
    j = rng.randrange(len(parts))
    parts[j] = typo(parts[j], rng)
    return " ".join(parts)


class NameGen:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.pools = _pools()
        self.locales = list(LOCALES)
        self.weights = [LOCALES[loc] for loc in self.locales]

    def person(self) -> tuple[str, str, str]:
        """(locale, given, surname)"""
        loc = self.rng.choices(self.locales, self.weights)[0]
        pool = self.pools[loc]
        return loc, self.rng.choice(pool.given), self.rng.choice(pool.surnames)

    def full_name(self) -> str:
        _loc, g, s = self.person()
        return f"{g} {s}"

    def speakers(self, n: int, aliases_per_speaker: int = 3) -> Iterator[SpeakerEntry]:
        rng = self.rng
        for sid in range(n):
            _loc, g, s = self.person()
            display = f"{g} {s}"
            options: list[tuple[str, str]] = [
                (f"{g[0]}. {s}", "variant"),
                (f"{g} {rng.choice(_LETTERS).upper()}. {s}", "variant"),
                (f"{s.upper()}, {g}", "variant"),
                (f"{g} {typo(s, rng)}", "misspelling"),
            ]
            nicks = FORMAL_TO_NICK.get(g.lower())
            if nicks:
                options.append((f"{sorted(nicks)[0].capitalize()} {s}", "name"))
            rng.shuffle(options)
            quotes = int(rng.paretovariate(1.2)) - 1
            yield SpeakerEntry(
                sid, display, aliases=tuple(options[:aliases_per_speaker]), quote_count=quotes
            )

"""Role phrases: "the U.S. president", "Russia's foreign minister", ...

A role phrase is reduced to a set of tokens: title words plus ``@country``
tokens for nationality adjectives, possessives and "X of Y" forms, so that
"the president of Afghanistan", "the Afghan president" and "Afghanistan's
president" all become ``{"president", "@afghanistan"}``.

:class:`RoleIndex` resolves such phrases to the speakers holding the role on a
date, from the roles and role aliases kept in the :class:`AliasStore`, and
promotes a name query carrying a title held on its date ("President Bush").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .normalize import simple_tokens
from .ranking import Hit
from .reasons import RoleHeld, RoleMatch, RoleSource
from .store import AliasStore
from .tuning import Tuning
from .types import Candidate, Decision, MatchResult, RoleEntry
from .wordlists import COUNTRY_PHRASES, country_at, words

_ROLE_STOP = words("""the a an of for in at to and s former current then his her their its our
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
        n = country_at(toks, i)
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


@dataclass(frozen=True, slots=True)
class _RoleRef:
    """One way of referring to a speaker's role (``role`` None: a role alias
    of a speaker with no known roles, valid at any date)."""

    speaker_id: int
    role: RoleEntry | None
    source: RoleSource


class RoleIndex:
    """Role phrases of the speakers in an :class:`AliasStore`, rebuilt when they change."""

    def __init__(self, store: AliasStore, tuning: Tuning) -> None:
        self._store = store
        self._tuning = tuning
        self._full: dict[frozenset[str], list[_RoleRef]] = {}
        self._title: dict[frozenset[str], list[_RoleRef]] = {}
        self._version = 0  # the store's roles_version the phrases were built from
        # Where each speaker's phrases are, to take them out when they change.
        self._of: dict[int, list[tuple[dict[frozenset[str], list[_RoleRef]], frozenset[str]]]] = {}

    def _refresh(self) -> None:
        """Bring the phrases up to date: all of them the first time, then
        only those of the speakers whose roles changed (an import creating
        thousands of speakers must not rebuild them all for each)."""
        store = self._store
        if self._version == store.roles_version:
            return
        if self._version == 0:
            self._full, self._title, self._of = {}, {}, {}
            changed: Iterable[int] = set(store.roles) | set(store.role_aliases)
        else:
            changed = store.roles_changed
        for sid in sorted(changed):
            self._drop(sid)
            self._add(sid)
        store.roles_changed = set()
        self._version = store.roles_version

    def _drop(self, sid: int) -> None:
        for table, key in self._of.pop(sid, ()):
            refs = [r for r in table[key] if r.speaker_id != sid]
            if refs:
                table[key] = refs
            else:
                del table[key]

    def _add(self, sid: int) -> None:
        full, title = self._full, self._title
        placed: list[tuple[dict[frozenset[str], list[_RoleRef]], frozenset[str]]] = []

        def put(
            table: dict[frozenset[str], list[_RoleRef]], key: frozenset[str], ref: _RoleRef
        ) -> None:
            table.setdefault(key, []).append(ref)
            placed.append((table, key))

        roles = self._store.roles.get(sid, ())
        for r in roles:
            src = RoleSource("role", r.label)
            k = role_tokens(f"{r.title} {r.organisation or ''}")
            if title_only(k):
                put(full, k, _RoleRef(sid, r, src))
            tk = role_tokens(r.title)
            if tk != k and title_only(tk):
                put(title, tk, _RoleRef(sid, r, src))
            tk2 = title_only(k)
            if tk2 and tk2 != k and tk2 != tk:
                put(title, tk2, _RoleRef(sid, r, src))
            for ref in r.references:
                rk = role_tokens(ref)
                if rk:
                    put(full, rk, _RoleRef(sid, r, RoleSource("reference", ref)))
        for text in self._store.role_aliases.get(sid, ()):
            rk = role_tokens(text)
            if not rk:
                continue
            src = RoleSource("role alias", text)
            if roles:
                for r in roles:
                    put(full, rk, _RoleRef(sid, r, src))
            else:
                put(full, rk, _RoleRef(sid, None, src))
        if placed:
            unique = {(id(table), key): (table, key) for table, key in placed}
            self._of[sid] = list(unique.values())

    def match(
        self, query: str, on: datetime.date | None, limit: int, exact_only: bool = False
    ) -> MatchResult | None:
        """Resolve a role phrase; with ``exact_only`` only a known phrase counts.

        ``None`` when the query is not a known role phrase.
        """
        self._refresh()
        if not self._full and not self._title:
            return None
        rk = role_tokens(query)
        if not title_only(rk):
            return None
        refs = self._full.get(rk)
        partial = False
        if not refs and exact_only:
            return None
        if not refs:
            refs = self._title.get(rk)
            partial = True
        if not refs:
            return None
        t = self._tuning
        names = self._store.names
        # speaker -> (score, matched, reason, sort date)
        best: dict[int, tuple[float, str, RoleMatch, datetime.date]] = {}
        holders: set[int] = set()
        for ref in refs:
            sid = ref.speaker_id
            if sid not in names:
                continue
            role = ref.role
            matched = role.label if role is not None else ref.source.text
            start = role.start if role and role.start else datetime.date.min
            held = role is None or on is None or role.held_on(on)
            if on is None:
                score = t.role_undated_score
            elif held:
                score = t.role_held_score
                holders.add(sid)
            else:
                score = t.role_other_time_score
            if partial:
                score -= t.role_no_org_penalty
            reason = RoleMatch(ref.source, role.span if role else None, on, held, partial)
            prev = best.get(sid)
            if prev is None or (score, start) > (prev[0], prev[3]):
                best[sid] = (score, matched, reason, start)
        if not best:
            return None
        quotes = self._store.quotes
        order = sorted(
            best.items(),
            key=lambda kv: (-kv[1][0], -kv[1][3].toordinal(), -quotes.get(kv[0], 0)),
        )
        cands = tuple(
            Candidate(sid, names[sid], sc, matched, reason.render())
            for sid, (sc, matched, reason, _d) in order[:limit]
        )
        decision: Decision = "maybe"
        if on is not None and not partial and len(holders) == 1:
            decision = "same"
        return MatchResult(query, decision, cands)

    def boost(self, query: str, on: datetime.date, hits: list[Hit]) -> tuple[int, RoleHeld] | None:
        """A title in a name query ("President Bush") held on ``on`` by one top hit."""
        self._refresh()
        t = self._tuning
        words = set(simple_tokens(query))
        floor = hits[0].score - t.role_boost_margin
        top = [h for h in hits if h.score >= floor and h.ok][: t.role_boost_top]
        holders: list[tuple[int, RoleHeld]] = []
        for h in top:
            for r in self._store.roles.get(h.speaker_id, ()):
                if title_only(role_tokens(r.title)) <= words and r.held_on(on):
                    holders.append((h.speaker_id, RoleHeld(r.label, on)))
                    break
        if len(holders) == 1:
            return holders[0]
        return None

"""The speaker index: the front of the matcher, one class over its parts.

:class:`SpeakerIndex` keeps the public API and runs a match; the work is done
by one module per job, all reading the same storage:

* ``store.py``: alias rows, the token index, upsert/remove/compact, memos;
* ``candidates.py``: query token expansion, candidate rows, prefix rows;
* ``ranking.py``: detailed scoring of rows and the ranking of speakers;
* ``decide.py``: the ``same``/``maybe``/``new`` rules;
* ``roles.py``: role phrases and titles held on a date;
* ``suggest.py``: as-you-type suggestions;
* ``tuning.py``: every threshold, in one frozen :class:`Tuning`;
* ``reasons.py``: why a candidate matched, as data, rendered here.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from .candidates import CandidateFinder
from .decide import Decider
from .disk import DiskStore, open_store
from .disk import save as save_store
from .normalize import analyse
from .ranking import Hit, Ranker
from .reasons import AliasMatch, HonorificOnly
from .roles import RoleIndex
from .scoring import parse
from .scripts import LOOSE_SCRIPTS
from .store import DISPLAY, KIND_LABELS, AliasStore
from .suggest import Suggester
from .tuning import DEFAULT_TUNING, Tuning
from .types import Candidate, MatchResult, SpeakerEntry
from .wordlists import FEMALE_ADDRESS, WEAK_LEADING, words


def _tuning_from(meta: dict[str, Any]) -> Tuning | None:
    """The tuning saved in an index file's metadata (None if it is not one)."""
    saved = meta.get("tuning")
    known = {f.name for f in fields(Tuning)}
    if not isinstance(saved, dict) or set(saved) != known:
        return None
    try:
        return Tuning(**saved)
    except TypeError:
        return None


# Words that are titles in front of a name but also names ("Lord Cameron",
# "Imam Khomeini", "Sister Helen"): kept in the key, and a name that is not
# ``same`` with them is tried without them.  Not "don", "major", "sr": they
# are given names or surnames too often.
_TITLE_RETRY = WEAK_LEADING - words("don dona sr sra major")


class SpeakerIndex:
    """Index of speakers (people and organisations) for name matching.

    Build it from :class:`SpeakerEntry` values and keep it current with
    :meth:`upsert` and :meth:`remove`.  All methods are pure computations on
    memory; nothing is read from or written to a database.  ``tuning`` holds
    every threshold (see :class:`Tuning`); the default is what
    ``docs/matching.md`` reports figures for.
    """

    def __init__(
        self, speakers: Iterable[SpeakerEntry] = (), *, tuning: Tuning = DEFAULT_TUNING
    ) -> None:
        self._wire(AliasStore(tuning), tuning)
        for sp in speakers:
            self.upsert(sp)

    def _wire(self, store: AliasStore, tuning: Tuning) -> None:
        self._tuning = tuning
        self._store = store
        self._finder = CandidateFinder(store, tuning)
        self._ranker = Ranker(store, self._finder, tuning)
        self._decider = Decider(store, tuning)
        self._roles = RoleIndex(store, tuning)
        self._suggester = Suggester(store, self._finder, tuning)

    @classmethod
    def open(cls, path: Path) -> tuple[SpeakerIndex, dict[str, Any]] | None:
        """An index over a file written by :meth:`save`, read as it is used
        (see ``disk.py``), with the tuning it was saved with, and the file's
        metadata; None if there is no such file or it is not one this code
        reads."""
        opened = open_store(path, _tuning_from)
        if opened is None:
            return None
        store, meta = opened
        index = cls.__new__(cls)
        index._wire(store, store.tuning)
        return index, meta

    def save(self, path: Path, extra: dict[str, Any]) -> None:
        """Write the index and its tuning to a file at ``path`` (replaced
        atomically), with ``extra`` in its metadata. Raises OSError or
        sqlite3.Error."""
        tuning = {f.name: getattr(self._tuning, f.name) for f in fields(self._tuning)}
        save_store(self._store, path, {**extra, "tuning": tuning})

    def close(self) -> None:
        """Close the file an :meth:`open` index reads (nothing otherwise)."""
        if isinstance(self._store, DiskStore):
            self._store.close()

    @property
    def tuning(self) -> Tuning:
        """The thresholds this index decides with."""
        return self._tuning

    # ------------------------------------------------------------------ build

    def __len__(self) -> int:
        return len(self._store.names)

    def __contains__(self, speaker_id: object) -> bool:
        return speaker_id in self._store.names

    @property
    def alias_count(self) -> int:
        """Number of live indexed alias rows (names, variants, misspellings)."""
        return self._store.alias_count

    def quote_counts(self) -> Mapping[int, int]:
        """Each speaker's number of quotes as the index has it (speakers
        with none are left out). Read-only."""
        return self._store.quotes

    def upsert(self, speaker: SpeakerEntry) -> None:
        """Add a speaker or replace everything known about ``speaker.id``."""
        self._store.upsert(speaker)

    def remove(self, speaker_id: int) -> None:
        """Forget a speaker (no error if unknown)."""
        self._store.remove(speaker_id)

    def compact(self) -> None:
        """Rebuild the columns without removed rows (done automatically)."""
        self._store.compact()

    # ------------------------------------------------------------------ match

    def depends_on_date(self, query: str) -> bool:
        """Whether :meth:`match` can answer differently for ``query`` on
        different days: a role phrase ("the U.S. president"), or a name with
        a title ("President Biden") when some speaker has roles. A caller
        matching the same name for many dates (an import) matches the others
        once."""
        nk = analyse(query)
        if self._roles.match(query, None, 1, exact_only=bool(nk.tokens)) is not None:
            return True
        return bool(self._store.roles) and len(nk.raw) > len(nk.tokens)

    def match(self, query: str, on: datetime.date | None = None, limit: int = 5) -> MatchResult:
        """Resolve a name, alias or role phrase as written in a source."""
        res = self._match(query, on, limit)
        if res.decision != "same":
            toks = analyse(query).tokens
            if len(toks) >= 2 and toks[0] in _TITLE_RETRY:
                # "Lord Cameron", "Imam Khomeini": the title read as a given name.
                alt = self._match(" ".join(toks[1:]), on, limit)
                if alt.decision == "same":
                    best = alt.candidates[0]
                    why = f"{best.why}; '{toks[0]}' read as a title"
                    cands = (
                        Candidate(best.speaker_id, best.name, best.score, best.matched, why),
                        *alt.candidates[1:],
                    )
                    return MatchResult(query, "same", cands)
        return res

    def _match(self, query: str, on: datetime.date | None, limit: int) -> MatchResult:
        nk = analyse(query)
        role = self._roles.match(query, on, limit, exact_only=bool(nk.tokens))
        if role is not None:
            return role
        tokens = nk.tokens or nk.raw
        if not tokens:
            return MatchResult(query, "new", ())
        qkey = " ".join(tokens)
        qraw = nk.raw_key or qkey
        q = parse(qkey)
        finder, ranker = self._finder, self._ranker
        # Phase 1: exact, canonical and nickname tokens only.  Enough when the
        # key is known: fuzzy rows would only add weaker competitors, which
        # cannot turn its decision into "same".  Otherwise phase 2 adds fuzzy
        # tokens.
        sets = finder.token_sets(tokens, nk.script)
        rows = finder.combine(sets, fuzzy=False)
        if finder.holds_key(rows, qkey, qraw):
            hits = ranker.score_rows(
                rows, q, qraw, qkey, rank=False, script=nk.script, native=nk.native
            )
        else:
            rows, keep = finder.fuzzy_rows(sets, nk.raw if qraw != qkey else None)
            if nk.script in LOOSE_SCRIPTS and len(rows) <= self._tuning.loose_rows:
                # Written in Arabic script, Hangul, ...: the Latin rows do not
                # look like the query's letters, so the pre-ranking cannot
                # choose among them; all are compared.
                keep = keep | rows
            hits = ranker.score_rows(rows, q, qraw, qkey, keep, script=nk.script, native=nk.native)
            if len(tokens) >= 3:
                hits = ranker.split_words(tokens, hits)
        decision, common = self._decider.decide(q, hits)
        if common is not None:
            hits[0].note = common
        if (
            decision == "same"
            and nk.address
            and q.given is None
            and not self._address_fits(nk.address, hits[0].speaker_id)
        ):
            decision = "maybe"  # "Mrs Obama" for Barack Obama: ask
            hits[0].note = HonorificOnly(nk.address)
        if (
            decision == "maybe"
            and on is not None
            and self._store.roles
            and len(nk.raw) > len(tokens)
        ):
            boost = self._roles.boost(query, on, hits)
            if boost is not None:
                sid, held = boost
                for i, h in enumerate(hits):
                    if h.speaker_id == sid:
                        h.note = held
                        hits.insert(0, hits.pop(i))
                        decision = "same"
                        break
        return MatchResult(query, decision, self._candidates(hits, limit))

    def _address_fits(self, address: str, speaker_id: int) -> bool:
        """Whether "Mrs"/"Mr" (and the like) before a surname alone fits the speaker.

        The index knows no one's sex; the given name's ending is the hint a
        reader uses: "Mrs Obama" is not Barack Obama, "Madame Macron" not
        Emmanuel Macron, "Mr Clinton" not Hillary Clinton only when her name
        ends in -a.  A woman's given name ending in a consonant (Margaret)
        makes "Mrs ..." a question, never a wrong merge.
        """
        given = parse(" ".join(analyse(self._store.names[speaker_id]).tokens)).given
        if given is None or len(given) < 2:
            return True
        if address in FEMALE_ADDRESS:
            return given[-1] in "aeiy"
        return given[-1] != "a"

    def _candidates(self, hits: list[Hit], limit: int) -> tuple[Candidate, ...]:
        """The hits worth showing as candidates, each with its reason rendered."""
        store = self._store
        show_above = self._tuning.show_above
        out: list[Candidate] = []
        for h in hits:
            if len(out) >= limit:
                break
            if max(h.score, h.base) < show_above:
                continue
            kind = store.row_kind[h.row]
            text = store.text(h.row)
            pair = h.pair
            why = AliasMatch(KIND_LABELS[kind], text, kind == DISPLAY, pair.exact, pair.why)
            rendered = why.render() if h.note is None else f"{why.render()}; {h.note.render()}"
            name = store.names[h.speaker_id]
            out.append(Candidate(h.speaker_id, name, round(h.score, 1), text, rendered))
        return tuple(out)

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

    def suggest(self, typed: str, on: datetime.date | None = None, limit: int = 8) -> MatchResult:
        """As-you-type suggestions; the last token may be an unfinished prefix."""
        return self._suggester.suggest(typed, on, limit, self.match)

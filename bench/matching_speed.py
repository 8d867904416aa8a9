"""Speed and memory of tracker.matching at scale.

    python bench/matching_speed.py                 # 1,000,000 aliases (full run)
    python bench/matching_speed.py --quick         # 100,000 aliases, smaller batch
    python bench/matching_speed.py --aliases 300000 --no-write

Measures index build time and memory (RSS delta), per-query latency for full
names, typos and 1-3 letter prefixes (``suggest``), brute-force
``rapidfuzz.process.extract(..., scorer=fuzz.WRatio, limit=5)`` over the same
alias strings on a sample of queries, recall@5 on typo queries for both, and
``match_many`` on 1,000,000 names (100,000 distinct) against 100,000 speakers.
Results are written to the "## Speaker matching" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from names_gen import NameGen, typo_name  # noqa: E402

from tracker.matching import SpeakerEntry, SpeakerIndex  # noqa: E402

SECTION = "## Speaker matching"


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100.0 * (len(s) - 1))))
    return s[k]


def timed(fn, items):  # type: ignore[no-untyped-def]
    lat: list[float] = []
    out = []
    for it in items:
        t = time.perf_counter()
        out.append(fn(it))
        lat.append((time.perf_counter() - t) * 1000.0)
    return lat, out


def lat_summary(lat: list[float]) -> dict[str, float]:
    return {
        "n": len(lat),
        "p50_ms": round(pct(lat, 50), 3),
        "p99_ms": round(pct(lat, 99), 3),
        "mean_ms": round(statistics.fmean(lat), 3),
    }


def run(
    n_aliases: int,
    n_queries: int,
    n_brute: int,
    batch_speakers: int,
    batch_total: int,
    batch_distinct: int,
    seed: int,
) -> dict[str, object]:
    rng = random.Random(seed)
    gen = NameGen(seed)
    per = 4  # aliases per speaker besides the display name
    n_speakers = max(1, n_aliases // (per + 1))
    speakers: list[SpeakerEntry] = list(gen.speakers(n_speakers, per))
    alias_strings: list[str] = []
    alias_owner: list[int] = []
    for sp in speakers:
        alias_strings.append(sp.name)
        alias_owner.append(sp.id)
        for text, _kind in sp.aliases:
            alias_strings.append(text)
            alias_owner.append(sp.id)
    gc.collect()
    rss0 = rss_mb()
    t0 = time.perf_counter()
    index = SpeakerIndex(speakers)
    build_s = time.perf_counter() - t0
    gc.collect()
    rss1 = rss_mb()
    res: dict[str, object] = {
        "aliases": len(alias_strings),
        "speakers": len(index),
        "index_rows": index.alias_count,
        "build_s": round(build_s, 1),
        "index_rss_mb": round(rss1 - rss0, 1),
    }
    print(json.dumps(res), flush=True)

    sample = rng.sample(speakers, min(n_queries, len(speakers)))
    full_q = [sp.name for sp in sample]
    typo_q = [(typo_name(sp.name, rng), sp.id) for sp in sample]
    match, suggest = index.match, index.suggest
    lat_full, out_full = timed(match, full_q)
    lat_typo, out_typo = timed(match, [q for q, _sid in typo_q])
    ours_recall = sum(
        any(c.speaker_id == sid for c in r.candidates[:5])
        for r, (_q, sid) in zip(out_typo, typo_q, strict=True)
    ) / len(typo_q)
    full_acc = sum(
        r.candidates[:1] and r.candidates[0].speaker_id == sp.id
        for r, sp in zip(out_full, sample, strict=True)
    ) / len(sample)
    prefix_lat: dict[str, dict[str, float]] = {}
    for n in (1, 2, 3):
        qs = []
        for sp in sample:
            surname = sp.name.split()[-1]
            qs.append(surname[:n])
        lat, _ = timed(suggest, qs)
        prefix_lat[f"prefix{n}"] = lat_summary(lat)
    two_word = [sp.name.split()[0] + " " + sp.name.split()[-1][:2] for sp in sample]
    lat_tw, _ = timed(suggest, two_word)
    res["latency"] = {
        "full": lat_summary(lat_full),
        "typo": lat_summary(lat_typo),
        **prefix_lat,
        "given+prefix2": lat_summary(lat_tw),
    }
    res["full_acc1"] = round(full_acc, 4)
    res["typo_recall5_ours"] = round(ours_recall, 4)
    print(json.dumps(res["latency"]), flush=True)

    # Brute force baseline over the same alias strings, same queries (sample).
    bsample = typo_q[:n_brute]
    blat: list[float] = []
    hits = 0
    for q, sid in bsample:
        t = time.perf_counter()
        top = process.extract(q, alias_strings, scorer=fuzz.WRatio, limit=5)
        blat.append((time.perf_counter() - t) * 1000.0)
        hits += any(alias_owner[i] == sid for _s, _sc, i in top)
    ours_on_sample = sum(
        any(c.speaker_id == sid for c in r.candidates[:5])
        for r, (_q, sid) in zip(out_typo[:n_brute], bsample, strict=True)
    ) / len(bsample)
    res["brute_force"] = {
        "queries": len(bsample),
        **lat_summary(blat),
        "typo_recall5_brute": round(hits / len(bsample), 4),
        "typo_recall5_ours_same_queries": round(ours_on_sample, 4),
        "speedup_p50_vs_typo": round(pct(blat, 50) / max(pct(lat_typo, 50), 1e-9), 1),
        "speedup_mean_vs_typo": round(statistics.fmean(blat) / statistics.fmean(lat_typo), 1),
    }
    print(json.dumps(res["brute_force"]), flush=True)
    del index, match, suggest, speakers, alias_strings, alias_owner, sample
    del out_full, out_typo, typo_q, full_q
    gc.collect()

    # Batch: match_many against a separate index of batch_speakers speakers.
    bgen = NameGen(seed + 1)
    bspeakers = list(bgen.speakers(batch_speakers, 3))
    bindex = SpeakerIndex(bspeakers)
    distinct: list[str] = []
    seen: set[str] = set()
    while len(distinct) < batch_distinct:
        r = rng.random()
        sp = rng.choice(bspeakers)
        if r < 0.6:
            q = sp.name
        elif r < 0.75:
            q = rng.choice(sp.aliases)[0]
        elif r < 0.9:
            q = typo_name(sp.name, rng)
        else:
            q = bgen.full_name()
        if q not in seen:
            seen.add(q)
            distinct.append(q)
    batch = distinct + [rng.choice(distinct) for _ in range(batch_total - len(distinct))]
    rng.shuffle(batch)
    t = time.perf_counter()
    out = bindex.match_many((q, None) for q in batch)
    batch_s = time.perf_counter() - t
    decisions = {d: sum(1 for r in out if r.decision == d) for d in ("same", "maybe", "new")}
    res["batch"] = {
        "speakers": len(bindex),
        "names": len(batch),
        "distinct": len(distinct),
        "seconds": round(batch_s, 1),
        "decisions": decisions,
    }
    print(json.dumps(res["batch"]), flush=True)
    return res


def machine() -> dict[str, str]:
    try:
        uname = subprocess.run(
            ["uname", "-a"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        uname = " ".join(platform.uname())
    return {
        "uname": uname,
        "nproc": str(os.cpu_count()),
        "python": sys.version.split()[0],
    }


def write_section(res: dict[str, object], command: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    lat = res["latency"]
    bf = res["brute_force"]
    batch = res["batch"]
    assert isinstance(lat, dict) and isinstance(bf, dict) and isinstance(batch, dict)
    m = machine()
    rows = "\n".join(
        f"| {name} | {v['n']} | {v['p50_ms']} | {v['p99_ms']} | {v['mean_ms']} |"
        for name, v in lat.items()
    )
    full, typo = lat["full"], lat["typo"]
    worst_prefix = max(lat[f"prefix{n}"]["p99_ms"] for n in (1, 2, 3))

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    targets = f"""| target | measured | |
| --- | --- | --- |
| p50 <= 5 ms, p99 <= 20 ms (full names) | {full["p50_ms"]} / {full["p99_ms"]} ms | {met(full["p50_ms"] <= 5 and full["p99_ms"] <= 20)} |
| p50 <= 5 ms, p99 <= 20 ms (typos) | {typo["p50_ms"]} / {typo["p99_ms"]} ms | {met(typo["p50_ms"] <= 5 and typo["p99_ms"] <= 20)} |
| p99 <= 20 ms (1-3 letter prefixes, `suggest`) | worst p99 {worst_prefix} ms | {met(worst_prefix <= 20)} |
| >= 20x faster than brute-force WRatio | {bf["speedup_p50_vs_typo"]}x | {met(bf["speedup_p50_vs_typo"] >= 20)} |
| typo recall@5 no worse than brute force | {bf["typo_recall5_ours_same_queries"]} vs {bf["typo_recall5_brute"]} | {met(bf["typo_recall5_ours_same_queries"] >= bf["typo_recall5_brute"])} |
| index memory <= 500 MB | {res["index_rss_mb"]} MB | {met(float(str(res["index_rss_mb"])) <= 500)} |
| `match_many` 1M names / 100k distinct / 100k speakers < 60 s | {batch["seconds"]} s | {met(float(str(batch["seconds"])) < 60)} |
"""
    body = f"""{SECTION}

Command: `{command}` (from the repository root, {res.get("date", "")}).

Machine: `{m["uname"]}`, nproc {m["nproc"]}, Python {m["python"]}.
No other benchmark ran at the same time; the 2 cores are shared with
whatever else the machine runs. Single-threaded.

{targets}
Index: {res["aliases"]:,} alias strings (display names + aliases, Faker names
from 11 locales), {res["speakers"]:,} speakers, {res["index_rows"]:,} distinct
index rows after normalisation. Build {res["build_s"]} s, memory (RSS delta)
{res["index_rss_mb"]} MB.

| query kind | n | p50 ms | p99 ms | mean ms |
| --- | --- | --- | --- | --- |
{rows}

Brute force `process.extract(q, all_alias_strings, scorer=fuzz.WRatio, limit=5)`
on {bf["queries"]} typo queries: p50 {bf["p50_ms"]} ms, p99 {bf["p99_ms"]} ms.
Speed-up (p50 brute / p50 typo query): {bf["speedup_p50_vs_typo"]}x
(mean: {bf["speedup_mean_vs_typo"]}x). Recall@5 on those queries: index
{bf["typo_recall5_ours_same_queries"]}, brute force {bf["typo_recall5_brute"]};
index over all {lat["typo"]["n"]} typo queries: {res["typo_recall5_ours"]}.
Exact full names: acc@1 {res["full_acc1"]} (the generated population has
many identical names: 200,000 draws from a few thousand given names and
surnames per locale, so an exact name often belongs to two speakers).

Batch `match_many`: {batch["names"]:,} names ({batch["distinct"]:,} distinct)
against {batch["speakers"]:,} speakers in {batch["seconds"]} s
(decisions: {batch["decisions"]}; the mix of distinct names is 60% display
names, 15% other aliases such as "J. Smith", 15% typos, 10% unknown names,
and identical or initial-only names are answered `maybe`).

Memory is the RSS growth of the process while the index is built (after
`gc.collect()`), so it includes the interned strings, the `array('i')`
postings and the normalisation caches.
"""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION in text:
        start = text.index(SECTION)
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[nxt + 1 :] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--aliases", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100k aliases, smaller batch")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--brute", type=int, default=200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if args.quick:
        n, bs, bt, bd = 100_000, 10_000, 100_000, 10_000
    else:
        n, bs, bt, bd = args.aliases, 100_000, 1_000_000, 100_000
    res = run(n, args.queries, args.brute, bs, bt, bd, args.seed)
    res["date"] = time.strftime("%Y-%m-%d")
    res["machine"] = machine()
    print(json.dumps(res, indent=2))
    if not args.no_write:
        cmd = "/work/venv-scratch/bin/python bench/matching_speed.py " + " ".join(sys.argv[1:])
        write_section(res, cmd.strip())
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        ).stdout.strip()
    except OSError:
        rev = ""
    if rev:
        print("git", rev)


if __name__ == "__main__":
    main()

"""The speaker index read from its saved file against the index in memory.

Builds a population of speakers (``names_gen``, as ``matching_speed.py``),
saves the index to a file (``SpeakerIndex.save``, what
``tracker.services.index_snapshot`` writes), then, each in a fresh process:

- ``memory``: the index built in memory (the baseline: what a process had
  before the file, or loads whole);
- ``file``: the index opened from the file (``SpeakerIndex.open``), which
  reads entries as the queries ask for them.

Each process reports the time to have the index ready, its peak RSS, and
the latency of full names, typos and 1-3 letter prefixes (``suggest``) in
the order a person meets them: the first queries find the file's entries
unread (cold), the same queries again find them read (warm). Every answer
is compared between the two (they must be equal).

    python bench/saved_index_speed.py [--speakers 100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tracker.matching import SpeakerIndex  # noqa: E402


def population(speakers: int, seed: int) -> list:
    from names_gen import NameGen  # Faker: not imported by the file's process

    return list(NameGen(seed).speakers(speakers, 1))


def queries(people: list, n: int, seed: int) -> dict[str, list[str]]:
    from names_gen import typo_name

    rng = random.Random(seed)
    sample = rng.sample(people, min(n, len(people)))
    out: dict[str, list[str]] = {
        "full": [p.name for p in sample],
        "typo": [typo_name(p.name, rng) for p in sample],
    }
    for k in (1, 2, 3):
        out[f"prefix{k}"] = [p.name.split()[-1][:k] for p in sample]
    return out


def peak_mb() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss would carry the parent's
    peak across exec on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def child(mode: str, path: str, speakers: int, seed: int, asked: str, out: str) -> None:
    # The queries come from the parent: the file's process never builds the
    # population, so its memory is the index's as read.
    qs: dict[str, list[str]] = json.loads(Path(asked).read_text())
    people = population(speakers, seed) if mode == "memory" else None
    before_mb = peak_mb()
    t = time.perf_counter()
    if mode == "memory":
        index = SpeakerIndex(people or [])
    else:
        opened = SpeakerIndex.open(Path(path))
        assert opened is not None
        index = opened[0]
    ready = time.perf_counter() - t
    report: dict[str, object] = {"ready_s": round(ready, 3)}
    answers: list[object] = []
    for rnd in ("cold", "warm"):
        for kind, texts in qs.items():
            call = index.match if kind in ("full", "typo") else index.suggest
            lat = []
            for q in texts:
                t = time.perf_counter()
                answers.append(call(q).to_dict())
                lat.append((time.perf_counter() - t) * 1000)
            report[f"{rnd}_{kind}"] = {
                "p50": round(statistics.median(lat), 2),
                "p95": round(pct(lat, 95), 2),
                "max": round(max(lat), 2),
            }
    report["rss_mb"] = round(peak_mb(), 1)
    report["rss_before_mb"] = round(before_mb, 1)
    Path(out).write_text(json.dumps({"report": report, "answers": answers}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speakers", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)  # MODE PATH QUERIES OUT
    args = ap.parse_args()
    if args.child:
        mode, path, asked, out = args.child
        child(mode, path, args.speakers, args.seed, asked, out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "index.sqlite"
        t = time.perf_counter()
        people = population(args.speakers, args.seed)
        built = SpeakerIndex(people)
        build_s = time.perf_counter() - t
        asked = Path(tmp) / "queries.json"
        asked.write_text(json.dumps(queries(people, args.queries, args.seed + 1)))
        del people
        t = time.perf_counter()
        built.save(file, {})
        save_s = time.perf_counter() - t
        size_mb = file.stat().st_size / 2**20
        del built
        print(
            f"# {args.speakers:,} speakers, {args.queries} queries of each kind; "
            f"build {build_s:.1f} s, save {save_s:.1f} s, file {size_mb:.1f} MB; "
            f"{platform.processor() or platform.machine()}, nproc {os.cpu_count()}, "
            f"load {os.getloadavg()[0]:.1f}"
        )
        results = {}
        for mode in ("memory", "file"):
            out = Path(tmp) / f"{mode}.json"
            cmd = [sys.executable, __file__, "--speakers", str(args.speakers)]
            cmd += ["--queries", str(args.queries), "--seed", str(args.seed)]
            cmd += ["--child", mode, str(file), str(asked), str(out)]
            subprocess.run(cmd, check=True)
            results[mode] = json.loads(out.read_text())
        same = results["memory"]["answers"] == results["file"]["answers"]
        print(f"# answers equal: {same} ({len(results['file']['answers'])} compared)")
        mem, fil = results["memory"]["report"], results["file"]["report"]
        print("| | in memory | from the file |")
        print("| --- | ---: | ---: |")
        print(f"| index ready | {mem['ready_s']} s (built) | {fil['ready_s']} s (opened) |")
        print(
            f"| peak RSS before the index / at the end | {mem['rss_before_mb']} / {mem['rss_mb']} MB "
            f"| {fil['rss_before_mb']} / {fil['rss_mb']} MB |"
        )
        for rnd in ("cold", "warm"):
            for kind in ("full", "typo", "prefix1", "prefix2", "prefix3"):
                a, b = mem[f"{rnd}_{kind}"], fil[f"{rnd}_{kind}"]
                print(
                    f"| {rnd} {kind}, p50 / p95 / max ms | {a['p50']} / {a['p95']} / {a['max']} "
                    f"| {b['p50']} / {b['p95']} / {b['max']} |"
                )
        if not same:
            sys.exit("the answers differ")


if __name__ == "__main__":
    main()

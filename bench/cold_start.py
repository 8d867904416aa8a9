"""Cold start (issue 10): whole tracker commands as a user runs them.

Each command is a fresh process, timed from start to exit (wall time) with
its peak RSS, against a baseline run the same way in the same rounds: the
same answer from a plain Python script (``sqlite3``, ``json``, and for
matching brute-force ``rapidfuzz``). Rounds alternate the commands, so a
noisy neighbour slows all of them alike; the ratios are what to compare.
Bytecode is cached in a temporary folder, as for an installed package, and
one unmeasured run of each command fills it and the page cache.

``speakers match`` runs twice: with an empty cache folder each run (no
saved speaker index: it builds the index and saves it) and with a cache
folder warmed by one unmeasured run (the saved index file is read as the match needs it).

    python bench/make_big_db.py /tmp/big.db
    python bench/cold_start.py --db /tmp/big.db --runs 7 [--quote-id 500000]
    python bench/cold_start.py --only show,list,due   # without the matcher's runs
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

QUERY = "Stephanophoulos"
ROOT = Path(__file__).resolve().parent.parent

# The floors: the same rows and fields the tracker prints, with plain sqlite3.
PRELUDE = """
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
def linked(sql, ids):
    out = {i: [] for i in ids}
    marks = ",".join("?" * len(ids))
    for owner, value in db.execute(sql.format(marks), ids):
        out[owner].append(value)
    return out
TAGS = "SELECT x.{0}_id, t.name FROM {0}_tags x JOIN tags t ON t.id = x.tag_id WHERE x.{0}_id IN ({{}})"
QUOTES = ("SELECT q.*, s.name AS speaker, src.title AS source FROM quotes q "
          "JOIN speakers s ON s.id = q.speaker_id LEFT JOIN sources src ON src.id = q.source_id ")
def quotes(rows):
    ids = [r["id"] for r in rows]
    tags = linked(TAGS.format("quote"), ids)
    claims = linked("SELECT quote_id, claim_id FROM claim_quotes WHERE quote_id IN ({})", ids)
    return [{**dict(r), "tags": tags[r["id"]], "claim_ids": claims[r["id"]]} for r in rows]
"""
SHOW_FLOOR = (
    PRELUDE
    + """
rows = db.execute(QUOTES + "WHERE q.id = ?", (int(sys.argv[2]),)).fetchall()
print(json.dumps(quotes(rows)[0], indent=2))
"""
)
LIST_FLOOR = (
    PRELUDE
    + """
print(json.dumps(quotes(db.execute(QUOTES + "ORDER BY q.id DESC LIMIT 100").fetchall()), indent=2))
"""
)
DUE_FLOOR = (
    PRELUDE
    + """
import datetime as dt
rows = db.execute(
    "SELECT c.*, s.name AS claimant FROM claims c LEFT JOIN speakers s ON s.id = c.claimant_id "
    "WHERE c.kind IN ('prediction', 'promise') AND c.due_on IS NOT NULL AND c.due_on <= ? "
    "AND c.status_final = 0 ORDER BY c.due_on, c.id LIMIT 1000",
    (dt.date.today().isoformat(),),
).fetchall()
ids = [r["id"] for r in rows]
tags = linked(TAGS.format("claim"), ids)
links = linked("SELECT claim_id, quote_id FROM claim_quotes WHERE claim_id IN ({})", ids)
reviews = linked("SELECT claim_id, json_object('rating', rating, 'final', final, "
                 "'reviewer', reviewer, 'at', reviewed_at) FROM reviews WHERE claim_id IN ({})", ids)
print(json.dumps([{**dict(r), "tags": tags[r["id"]], "quote_ids": links[r["id"]],
                   "reviews": reviews[r["id"]]} for r in rows], indent=2))
"""
)
BRUTE_MATCH = """
import json, sqlite3, sys
from rapidfuzz import fuzz, process
db = sqlite3.connect(sys.argv[1])
names = [r[0] for r in db.execute("SELECT name FROM speakers UNION ALL SELECT text FROM speaker_aliases")]
top = process.extract(sys.argv[2], names, scorer=getattr(fuzz, sys.argv[3]), limit=5)
print(json.dumps([{"name": n, "score": s} for n, s, _ in top], indent=2))
"""


GROUPS = ("version", "show", "list", "due", "match")


@dataclass
class Case:
    """One command, run as a user runs it."""

    key: str  # a short name, in ratios
    label: str  # in the table
    argv: list[str]
    cache: str = "shared"  # "empty": a fresh cache folder each run; "warm": a warmed one
    prints_json: bool = True
    times: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    rebuilt: int = 0  # runs that saved the index again instead of loading it
    group: str = ""  # what --only names: the command with its baselines


def run_once(argv: list[str], env: dict[str, str], expect_json: bool) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process; fails loudly on an error
    or on output that is not JSON."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read()
        if proc.returncode != 0:
            raise SystemExit(f"{shlex.join(argv)}: exit {proc.returncode}\n{err.read().decode()}")
        if expect_json and not json.loads(text):
            raise SystemExit(f"{shlex.join(argv)}: printed nothing")
    return elapsed, usage.ru_maxrss / 1024


def saved_copies(cache: Path) -> dict[Path, int]:
    """The saved speaker indexes in a cache folder, with their change times."""
    return {p: p.stat().st_mtime_ns for p in cache.glob("tracker/speaker-index/*.sqlite")}


def measure(cases: list[Case], runs: int, env: dict[str, str], tmp: Path) -> None:
    """One unmeasured run of each case, then ``runs`` rounds of all of them."""
    warm = tmp / "warm-cache"
    for round_no in range(runs + 1):
        for case in cases:
            cache = Path(tempfile.mkdtemp(dir=tmp)) if case.cache == "empty" else warm
            run_env = env if case.cache == "shared" else {**env, "XDG_CACHE_HOME": str(cache)}
            before = saved_copies(warm)
            seconds, rss = run_once(case.argv, run_env, case.prints_json)
            if case.cache == "empty":
                shutil.rmtree(cache)
            saved_again = case.cache == "warm" and saved_copies(warm) != before
            if not round_no:
                if case.cache == "warm" and not saved_again:
                    raise SystemExit("the unmeasured run saved no speaker index")
            elif saved_again:
                # Saved again, so not loaded (the matcher's code changed under
                # the run, say): not what this case measures; counted, not timed.
                case.rebuilt += 1
            else:
                case.times.append(seconds)
                case.rss.append(rss)
        print(f"# round {round_no}/{runs} done", file=sys.stderr)
    for case in cases:
        if not case.times:
            raise SystemExit(f"{case.label}: every run saved the speaker index again")


def import_times(argv: list[str], env: dict[str, str], runs: int) -> list[tuple[str, int, float]]:
    """(module, nesting level, median cumulative ms) from ``-X importtime``,
    largest first."""
    cumulative: dict[tuple[str, int], list[float]] = {}
    for _ in range(runs):
        proc = subprocess.run(
            [argv[0], "-X", "importtime", *argv[1:]],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _self, cum, name = line.removeprefix("import time:").split("|")
            level = (len(name) - len(name.lstrip()) - 1) // 2
            cumulative.setdefault((name.strip(), level), []).append(int(cum) / 1000)
    rows = [(n, lvl, statistics.median(v)) for (n, lvl), v in cumulative.items()]
    return sorted(rows, key=lambda r: -r[2])


def machine() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((x.split(":", 1)[1].strip() for x in cpuinfo if x.startswith("model name")), "")
    dirty = (
        " with uncommitted changes in tracker/" if git("status", "--porcelain", "tracker") else ""
    )
    return (
        f"nproc {os.cpu_count()}, {model or 'CPU model unknown'}, {platform.system()} "
        f"{platform.release()} {platform.machine()}, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}; commit {git('rev-parse', '--short', 'HEAD').strip()}"
        f"{dirty}; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="/tmp/big.db")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quote-id", type=int, default=500000)
    parser.add_argument(
        "--only",
        metavar="GROUPS",
        help=f"run only these, comma-separated, each with its baselines: {', '.join(GROUPS)}",
    )
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else set(GROUPS)
    if only - set(GROUPS):
        parser.error(f"--only: unknown {', '.join(sorted(only - set(GROUPS)))}")
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db} is missing: python bench/make_big_db.py {args.db}")
    py, quote = sys.executable, str(args.quote_id)
    tracker = [py, shutil.which("tracker", path=str(Path(py).parent)) or "tracker", "--db", args.db]
    show = "`show`"
    match = [*tracker, "speakers", "match", QUERY, "--json"]
    brute = ("WRatio script", "ratio script")
    cases = [
        Case(
            "`python -c pass`",
            "`python -c pass`",
            [py, "-c", "pass"],
            prints_json=False,
            group="version",
        ),
        Case(
            "--version",
            "`tracker --version`",
            [*tracker[:2], "--version"],
            prints_json=False,
            group="version",
        ),
        Case(
            "floor show",
            "plain sqlite3: show",
            [py, "-c", SHOW_FLOOR, args.db, quote],
            group="show",
        ),
        Case(
            show,
            f"`tracker show quote {quote} --json`",
            [*tracker, "show", "quote", quote, "--json"],
            group="show",
        ),
        Case("floor list", "plain sqlite3: list", [py, "-c", LIST_FLOOR, args.db], group="list"),
        Case(
            "list",
            "`tracker list quotes --limit 100 --json`",
            [*tracker, "list", "quotes", "--limit", "100", "--json"],
            group="list",
        ),
        Case("floor due", "plain sqlite3: due", [py, "-c", DUE_FLOOR, args.db], group="due"),
        Case("due", "`tracker due --json`", [*tracker, "due", "--json"], group="due"),
        Case(
            brute[0],
            "plain script: rapidfuzz WRatio",
            [py, "-c", BRUTE_MATCH, args.db, QUERY, "WRatio"],
            group="match",
        ),
        Case(
            brute[1],
            "plain script: rapidfuzz ratio",
            [py, "-c", BRUTE_MATCH, args.db, QUERY, "ratio"],
            group="match",
        ),
        Case(
            "match cold",
            f"`tracker speakers match {QUERY} --json`, no saved index",
            match,
            cache="empty",
            group="match",
        ),
        Case(
            "match",
            f"`tracker speakers match {QUERY} --json`, saved index",
            match,
            cache="warm",
            group="match",
        ),
    ]
    if "match" in only:
        only.add("show")  # the saved-index target is relative to `show`
    cases = [c for c in cases if c.group in only]
    by_key = {c.key: c for c in cases}
    # What each command is compared with; the first one carries the target.
    baselines = {
        "--version": (["`python -c pass`"], None),
        show: (["floor show"], 3.0),
        "list": (["floor list"], 3.0),
        "due": (["floor due"], 3.0),
        "match cold": ([show, *brute], None),
        "match": ([show, *brute], 2.0),
    }
    info = machine()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "TRACKER_DB")
        }
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        env["XDG_CACHE_HOME"] = str(tmp / "shared-cache")  # never the user's own
        measure(cases, args.runs, env, tmp)
        # Where the time of a read command goes (show's, unless left out).
        profiled = next((by_key[k] for k in (show, "list", "due") if k in by_key), None)
        imports = import_times(profiled.argv, env, min(args.runs, 5)) if profiled else []

    print(f"\nCommand: `{shlex.join(sys.orig_argv)}` ({time.strftime('%Y-%m-%d')})\n")
    print(f"Machine: {info}.\n")
    print(
        f"{args.runs} runs each, after one unmeasured run: wall time and peak RSS (median) of the process.\n"
    )
    print("| command | median s | min s | peak RSS MB | ratio to its baseline | target | met? |")
    print("| --- | ---: | ---: | ---: | --- | --- | --- |")
    for case in cases:
        median = statistics.median(case.times)
        keys, target = baselines.get(case.key, ([], None))
        ratios = [median / statistics.median(by_key[k].times) for k in keys]
        shown = "; ".join(f"{r:.2f}x {k}" for r, k in zip(ratios, keys, strict=True))
        goal = f"≤ {target:g}x {keys[0]}" if target else ""
        met = ("met" if ratios[0] <= target else "**not met**") if target else ""
        if case.rebuilt:
            met += f" ({case.rebuilt} more runs left out: the index was saved again)"
        print(
            f"| {case.label} | {median:.3f} | {min(case.times):.3f} | "
            f"{statistics.median(case.rss):.0f} | {shown or 'baseline'} | {goal} | {met} |"
        )
    if profiled is None:
        return
    total = sum(ms for _n, level, ms in imports if level == 0)
    print(f"\nImports of {profiled.label} (`-X importtime`, median of {min(args.runs, 5)}):")
    print(f"{total:.0f} ms in all top-level imports. Largest cumulative:\n")
    print("| module | level | cumulative ms |")
    print("| --- | ---: | ---: |")
    for name, level, ms in imports[:8]:
        print(f"| `{name}` | {level} | {ms:.0f} |")
    top = [f"`{n}` {ms:.0f}" for n, level, ms in imports if level == 0][:6]
    print(f"\nLargest top-level imports, ms: {', '.join(top)}.")


if __name__ == "__main__":
    main()

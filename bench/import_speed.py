"""Import speed (issue 11): ``tracker import`` of a big CSV against its floor.

A CSV of ``--rows`` quote rows (text, speaker, source_title, said_on) naming
``--speakers`` distinct people, rows per name Zipf-like, is imported into a
database that holds ``--existing`` speakers. Of the distinct names about 80%
are existing speakers' names as stored, 10% the same people written another
way ("Surname, Given", or without the middle name) and 10% names nobody in
the database has. Sentences come from Faker's word list, 1,000 source titles.

Measured, each as a fresh process timed from start to exit with its own
peak RSS (``os.wait4``):

- the floor: a plain ``sqlite3`` script on a copy of the same database reads
  the same CSV with ``csv``, looks speakers and sources up in dicts of
  name -> id (creating the names it lacks), and ``executemany``s the rows into
  ``quotes`` and ``search_index`` (and new speakers and sources), in one
  transaction;
- the speaker index alone (``tracker speakers match``), with an empty cache
  folder (built, then saved) and with the saved copy;
- ``tracker --db COPY import FILE --format csv --json --rejects R``, with the
  saved speaker index (``XDG_CACHE_HOME`` warmed as above) and without (an
  empty cache folder); then the same import again (idempotent: nothing added);
  and with ``--accept-maybe`` (every row written, as in the floor: the
  matcher answers 'maybe' for many names in a population this dense);
- ``tracker import liar-valid.tsv --mapping liar`` into an empty database.

Setup (data, the database with its speakers) is not timed. What is measured
is a copy of ``tracker/`` (and ``migrations/``) taken at the start (with any uncommitted changes),
so commits made while the bench runs do not mix into its figures. Bytecode
is cached in the work folder, as for an installed package.

    python bench/import_speed.py [--rows 1000000] [--speakers 100000]
        [--existing 100000] [--workdir DIR] [--keep] [--write-docs]
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import itertools
import json
import os
import platform
import random
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIAR = ROOT.parent / "shared" / "data" / "liar-valid.tsv"
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## Imports (issue 11)"
END = "<!-- end of bench/import_speed.py's figures; notes below are kept -->"
CHUNK = 10_000
NOW = "2024-01-01 00:00:00.000000"
ZIPF = 1.0  # rows per name ~ 1 / rank**ZIPF, on top of one row each


# -- the data -------------------------------------------------------------


@dataclass
class Names:
    existing: list[str]  # the database's speakers, id = position + 1
    distinct: list[tuple[str, str]]  # (name as written in the CSV, exact|variant|new)


def make_names(existing: int, speakers: int, rng: random.Random) -> Names:
    """Distinct existing names (30% with a middle name), then the CSV's names."""
    sys.path.insert(0, str(ROOT / "bench"))
    from names_gen import NameGen

    gen = NameGen(rng.randrange(1 << 30))
    people: list[tuple[str, str | None, str]] = []
    taken: set[str] = set()
    while len(people) < existing:
        loc, given, surname = gen.person()
        middle = rng.choice(gen.pools[loc].given) if rng.random() < 0.3 else None
        name = " ".join(p for p in (given, middle, surname) if p)
        if name not in taken and middle != given:
            taken.add(name)
            people.append((given, middle, surname))
    names = [" ".join(p for p in person if p) for person in people]
    n_variant = min(speakers // 10, existing)
    n_exact = min(speakers - 2 * n_variant, existing - n_variant)
    n_new = speakers - n_exact - n_variant
    order = rng.sample(range(existing), n_exact + n_variant)
    distinct = [(names[i], "exact") for i in order[:n_exact]]
    used = set(taken)
    for i in order[n_exact:]:
        given, middle, surname = people[i]
        if middle and rng.random() < 0.5:
            written = f"{given} {surname}"
        else:
            written = f"{surname}, {given}" + (f" {middle}" if middle else "")
        if written not in used:
            used.add(written)
            distinct.append((written, "variant"))
    while len(distinct) < n_exact + n_variant + n_new:
        written = gen.full_name()
        if written not in used:
            used.add(written)
            distinct.append((written, "new"))
    rng.shuffle(distinct)  # which names are frequent is random
    return Names(names, distinct)


def write_csv(path: Path, rows: int, names: Names, rng: random.Random) -> collections.Counter[str]:
    """``rows`` quotes: every distinct name at least once, the rest Zipf-like.
    Returns the number of rows by kind of name (exact, variant, new)."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(rng.randrange(1 << 30))
    vocab = sorted({w.lower() for w in fake.words(3000, unique=False)})
    titles: set[str] = set()
    while len(titles) < 1000:
        titles.add(" ".join(rng.choices(vocab, k=rng.randint(4, 9))).capitalize())
    title_list = sorted(titles)
    written = [n for n, _ in names.distinct]
    count = len(written)
    weights = list(itertools.accumulate(1 / (r + 1) ** ZIPF for r in range(count)))
    who = list(range(count)) if rows >= count else rng.sample(range(count), rows)
    who += rng.choices(range(count), cum_weights=weights, k=max(0, rows - count))
    rng.shuffle(who)
    per_kind = collections.Counter(names.distinct[i][1] for i in who)
    start = dt.date(2015, 1, 1).toordinal()
    with path.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["text", "speaker", "source_title", "said_on"])
        for i in who:
            limit = rng.randint(100, 200)
            words = rng.choices(vocab, k=40)
            text = words[0]
            for word in words[1:]:
                if len(text) + len(word) + 2 > limit:
                    break
                text += " " + word
            w.writerow(
                [
                    text.capitalize() + ".",
                    written[i],
                    rng.choice(title_list),
                    dt.date.fromordinal(start + rng.randrange(3650)).isoformat(),
                ]
            )
    return per_kind


def build_base(path: Path, names: list[str]) -> None:
    """The schema through the real migrations, then the speakers (and their
    full-text rows) with plain sqlite3, as bench/make_big_db.py does."""
    from tracker.db.database import Database

    Database(f"sqlite:///{path.resolve()}", actor="bench").close()
    conn = sqlite3.connect(path)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO speakers (id, kind, name, wikidata_qid, notes, created_at, updated_at,"
        " version) VALUES (?, 'person', ?, NULL, NULL, ?, ?, 1)",
        ((i + 1, name, NOW, NOW) for i, name in enumerate(names)),
    )
    conn.executemany(
        "INSERT INTO search_index (rowid, kind, body) VALUES (?, 'speaker', ?)",
        (((i + 1) * 4 + 3, name) for i, name in enumerate(names)),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def fresh_copy(base: Path, target: Path) -> Path:
    remove_db(target)
    shutil.copyfile(base, target)
    return target


# -- the floor ------------------------------------------------------------


def floor(db: Path, csv_path: Path) -> dict[str, int]:
    """The same rows with plain sqlite3, one transaction (run in its own process)."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=30)
    conn.execute("PRAGMA foreign_keys=ON")  # as tracker's connections
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN IMMEDIATE")
    speakers = {n: i for n, i in conn.execute("SELECT name, id FROM speakers ORDER BY id")}
    sources = {t: i for t, i in conn.execute("SELECT title, id FROM sources ORDER BY id")}
    next_speaker = (conn.execute("SELECT max(id) FROM speakers").fetchone()[0] or 0) + 1
    next_source = (conn.execute("SELECT max(id) FROM sources").fetchone()[0] or 0) + 1
    next_quote = (conn.execute("SELECT max(id) FROM quotes").fetchone()[0] or 0) + 1
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    counts = collections.Counter[str]()
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        while batch := list(itertools.islice(reader, CHUNK)):
            new_speakers, new_sources, quotes, search = [], [], [], []
            for text, speaker, title, said_on in batch:
                speaker_id = speakers.get(speaker)
                if speaker_id is None:
                    speaker_id = speakers[speaker] = next_speaker
                    next_speaker += 1
                    new_speakers.append((speaker_id, speaker, now, now))
                    search.append((speaker_id * 4 + 3, "speaker", speaker))
                source_id = sources.get(title)
                if source_id is None:
                    source_id = sources[title] = next_source
                    next_source += 1
                    new_sources.append((source_id, title, now, now))
                quotes.append((next_quote, text, speaker_id, source_id, said_on, now, now))
                search.append((next_quote * 4 + 1, "quote", text))
                next_quote += 1
            conn.executemany(
                "INSERT INTO speakers (id, kind, name, created_at, updated_at, version)"
                " VALUES (?, 'person', ?, ?, ?, 1)",
                new_speakers,
            )
            conn.executemany(
                "INSERT INTO sources (id, kind, title, authors, created_at, updated_at, version)"
                " VALUES (?, 'article', ?, '[]', ?, ?, 1)",
                new_sources,
            )
            conn.executemany(
                "INSERT INTO quotes (id, text, speaker_id, source_id, mode, said_on, created_at,"
                " updated_at, version) VALUES (?, ?, ?, ?, 'direct', ?, ?, ?, 1)",
                quotes,
            )
            conn.executemany(
                "INSERT INTO search_index (rowid, kind, body) VALUES (?, ?, ?)", search
            )
            counts.update(quotes=len(quotes), speakers=len(new_speakers), sources=len(new_sources))
    conn.execute("COMMIT")
    conn.close()
    return dict(counts)


# -- measuring ------------------------------------------------------------


@dataclass
class Run:
    label: str
    argv: list[str]
    seconds: float = 0.0
    peak_mb: float = 0.0
    out: str = ""
    report: dict[str, object] = field(default_factory=dict)
    load: float = 0.0  # the 1-minute load average as it ended


# Run from a small launcher: on Linux a child's peak RSS starts at its
# parent's size at fork (exec keeps the high-water mark), and this process
# holds the generated names.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": seconds, "kb": usage.ru_maxrss, "rc": os.waitstatus_to_exitcode(status)}, out)
"""


def measure(run: Run, env: dict[str, str]) -> Run:
    """One fresh process: wall seconds and its own peak RSS (``os.wait4``)."""
    with tempfile.TemporaryDirectory() as tmp:
        stats, out, err = Path(tmp, "stats"), Path(tmp, "out"), Path(tmp, "err")
        with out.open("wb") as o, err.open("wb") as e:
            subprocess.run(
                [sys.executable, "-c", LAUNCHER, str(stats), *run.argv],
                stdout=o, stderr=e, env=env, cwd=env.get("PYTHONPATH", ROOT), check=True,
            )  # fmt: skip
        got = json.loads(stats.read_text())
        run.out = out.read_text()
        if got["rc"] != 0:
            raise SystemExit(f"{shlex.join(run.argv)}: exit {got['rc']}\n{err.read_text()[-3000:]}")
    run.seconds, run.peak_mb = got["seconds"], got["kb"] / 1024
    run.load = os.getloadavg()[0]  # other work on the machine meanwhile
    if run.out.strip().startswith("{"):
        run.report = json.loads(run.out)
    print(f"  {run.label}: {run.seconds:.1f} s, {run.peak_mb:.0f} MB", file=sys.stderr)
    return run


def reject_kinds(rejects: Path, kinds: dict[str, str]) -> collections.Counter[str]:
    """Rejected rows by reason and by the kind of name the row gave."""
    tally = collections.Counter[str]()
    with rejects.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            reason = row["_reason"]
            why = "maybe" if "--accept-maybe" in reason else re.sub(r"'.*", "'…", reason)[:60]
            tally[f"{why} ({kinds.get(row['speaker'], '?')} name)"] += 1
    return tally


def machine() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout

    info = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((x.split(":", 1)[1].strip() for x in info if x.startswith("model name")), "?")
    mem = Path("/proc/meminfo").read_text().split()
    ram = int(mem[mem.index("MemTotal:") + 1]) / 1024**2
    dirty = (
        " with uncommitted changes in tracker/" if git("status", "--porcelain", "tracker") else ""
    )
    return (
        f"{model}, nproc {os.cpu_count()}, {ram:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()} {platform.machine()}, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}; commit {git('rev-parse', '--short', 'HEAD').strip()}"
        f"{dirty}; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--speakers", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="default: a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the import without a saved index"
    )
    parser.add_argument("--write-docs", action="store_true", help=f"write {HEADING} in docs")
    parser.add_argument("--floor-run", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_run:
        print(json.dumps(floor(*args.floor_run)))
        return
    command = shlex.join(["python", "bench/import_speed.py", *sys.argv[1:]])
    work = args.workdir or Path(tempfile.mkdtemp(prefix="import-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = bench(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = render(results, command)
    print(text)
    if args.write_docs:
        write_docs(text)


def bench(args: argparse.Namespace, work: Path) -> dict[str, object]:
    started = time.perf_counter()
    about = machine()
    # Measure the code as it stands now, whatever is committed or edited
    # while the bench runs (it can take half an hour): a copy of tracker/,
    # first on the path of this process and of every measured one.
    src = work / "src"
    shutil.rmtree(src, ignore_errors=True)
    for part in ("tracker", "migrations"):
        shutil.copytree(ROOT / part, src / part, ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(src))
    rng = random.Random(args.seed)
    names = make_names(args.existing, args.speakers, rng)
    data = work / "quotes.csv"
    per_kind = write_csv(data, args.rows, names, rng)
    base = work / "base.db"
    remove_db(base)
    build_base(base, names.existing)
    print(
        f"setup {time.perf_counter() - started:.0f} s: {data} ({data.stat().st_size / 1e6:.0f} MB)",
        file=sys.stderr,
    )

    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "TRACKER_DB")
    }
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["PYTHONPATH"] = str(src)
    py = sys.executable
    db = work / "import.db"
    rejects = work / "rejects.csv"

    def tracker(*argv: str) -> list[str]:
        return [py, "-m", "tracker", "--db", str(db), *argv]

    importing = tracker("import", str(data), "--format", "csv", "--json", "--rejects", str(rejects))
    probe = names.existing[0]
    warm_cache = {**env, "XDG_CACHE_HOME": str(work / "cache-warm")}
    # One small import first, so every measured run finds the bytecode cached.
    sample = work / "sample.csv"
    with data.open(encoding="utf-8") as full:
        sample.write_text("".join(itertools.islice(full, 6)), encoding="utf-8")
    fresh_copy(base, work / "sample.db")
    warm_up = [py, "-m", "tracker", "--db", str(work / "sample.db"), "import", str(sample)]
    measure(
        Run("warm-up", [*warm_up, "--format", "csv", "--json"]),
        {**env, "XDG_CACHE_HOME": str(work / "cache-sample")},
    )
    runs: dict[str, Run] = {}
    fresh_copy(base, work / "floor.db")
    runs["floor"] = measure(
        Run(
            "floor",
            [py, str(Path(__file__).resolve()), "--floor-run", str(work / "floor.db"), str(data)],
        ),
        env,
    )
    fresh_copy(base, db)
    runs["index_cold"] = measure(
        Run("index built", tracker("speakers", "match", probe, "--json")), warm_cache
    )
    runs["index_warm"] = measure(
        Run("index loaded", tracker("speakers", "match", probe, "--json")), warm_cache
    )
    runs["warm"] = measure(Run("import, saved index", importing), warm_cache)
    kinds = dict(names.distinct)
    tally = reject_kinds(rejects, kinds)
    with sqlite3.connect(db) as conn:
        stored = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in ("quotes", "speakers", "sources", "record_keys")
        }
    runs["rerun"] = measure(Run("import again (nothing new)", importing), warm_cache)
    # Every row written, as in the floor: a 'maybe' links its best candidate.
    fresh_copy(base, db)
    measure(Run("(index warmed again, not timed)", tracker("speakers", "match", probe)), warm_cache)
    runs["accept"] = measure(
        Run("import --accept-maybe, saved index", [*importing, "--accept-maybe"]), warm_cache
    )
    if not args.no_cold:
        fresh_copy(base, db)
        cold = {**env, "XDG_CACHE_HOME": str(work / "cache-cold")}
        runs["cold"] = measure(Run("import, no saved index", importing), cold)
    if LIAR.exists():
        liar_db = work / "liar.db"
        liar = [
            py,
            "-m",
            "tracker",
            "--db",
            str(liar_db),
            "import",
            str(LIAR),
            "--mapping",
            "liar",
            "--json",
        ]
        liar_env = {**env, "XDG_CACHE_HOME": str(work / "cache-liar")}
        runs["liar"] = measure(Run("LIAR", liar), liar_env)
    else:
        print(f"  {LIAR} is absent: LIAR skipped", file=sys.stderr)
    return {
        "args": vars(args),
        "machine": about,
        "runs": runs,
        "tally": tally,
        "stored": stored,
        "names": collections.Counter(k for _, k in names.distinct),
        "per_kind": per_kind,
        "csv_mb": data.stat().st_size / 1e6,
    }


# -- the report -----------------------------------------------------------


def render(res: dict[str, object], command: str) -> str:
    args = res["args"]
    runs: dict[str, Run] = res["runs"]  # type: ignore[assignment]
    rows = args["rows"]  # type: ignore[index]
    fl = runs["floor"]
    per_s = rows / fl.seconds
    lines = [
        HEADING,
        "",
        f"Measured {dt.date.today().isoformat()} by `bench/import_speed.py`. Machine: {res['machine']}.",
        "",
        "```",
        command,
        "```",
        "",
        f"{rows:,} quote rows ({res['csv_mb']:.0f} MB of CSV: text, speaker, source_title,"
        f" said_on), {args['speakers']:,} distinct names"  # type: ignore[index]
        f" ({', '.join(f'{v:,} {k}' for k, v in sorted(res['names'].items()))}),"  # type: ignore[attr-defined]
        f" {args['existing']:,} speakers in the database, 1,000 source titles."  # type: ignore[index]
        " Each figure is one fresh process, start to exit, with its own peak RSS;"
        f" *load after* is the machine's 1-minute load average as it ended ({os.cpu_count()} cores).",
        "",
        "| What | seconds | rows/s | × floor | peak MB | load after | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]

    def line(key: str, label: str, target: str = "") -> None:
        r = runs.get(key)
        if r is None:
            return
        ratio = r.seconds / fl.seconds
        lines.append(
            f"| {label} | {r.seconds:.1f} | {rows / r.seconds:,.0f} | {ratio:.1f}x | "
            f"{r.peak_mb:.0f} | {r.load:.1f} | {target} |"
        )

    lines.append(
        f"| Floor: plain sqlite3 `executemany`, one transaction | {fl.seconds:.1f} | {per_s:,.0f} | 1.0x | {fl.peak_mb:.0f} | {fl.load:.1f} | |"
    )

    def verdict(key: str) -> str:
        r = runs.get(key)
        if r is None:
            return ""
        met = r.seconds <= 3 * fl.seconds and r.peak_mb <= 500
        return "≤ 3x, ≤ 500 MB: " + ("met" if met else "**not met**")

    line("cold", "`tracker import`, no saved speaker index", verdict("cold"))
    line("warm", "`tracker import`, saved speaker index", verdict("warm"))
    line("accept", "`tracker import --accept-maybe`, saved index", verdict("accept"))
    line("rerun", "the first import again (nothing added)")
    for key, label in (
        ("index_cold", "speaker index built (`speakers match`, empty cache)"),
        ("index_warm", "speaker index loaded (`speakers match`, saved copy)"),
    ):
        r = runs[key]
        lines.append(f"| {label} | {r.seconds:.1f} | | | {r.peak_mb:.0f} | {r.load:.1f} | |")
    if "liar" in runs:
        r = runs["liar"]
        rep = r.report
        lines.append(
            f"| LIAR `liar-valid.tsv --mapping liar`, empty database ({rep.get('read')} rows,"
            f" {rep.get('inserted')} in, {rep.get('rejected')} rejected) | {r.seconds:.1f} | | | {r.peak_mb:.0f} | {r.load:.1f} | |"
        )
    rep = runs["warm"].report
    again = runs["rerun"].report
    lines += [
        "",
        f"The import's report (`--json`): read {rep['read']:,}, inserted {rep['inserted']:,},"
        f" rejected {rep['rejected']:,}, speakers_created {rep['speakers_created']:,},"
        f" speakers_matched {rep['speakers_matched']:,}. Stored afterwards:"
        f" {', '.join(f'{v:,} {k}' for k, v in res['stored'].items())}."  # type: ignore[attr-defined]
        f" Run again: inserted {again['inserted']:,}, unchanged {again['unchanged']:,},"
        f" rejected {again['rejected']:,}.",
        *(
            [
                f"With `--accept-maybe`: inserted {acc['inserted']:,}, rejected"
                f" {acc['rejected']:,}, speakers_created {acc['speakers_created']:,},"
                f" speakers_matched {acc['speakers_matched']:,}."
            ]
            if (acc := runs["accept"].report)
            else []
        ),
        "",
        "Rejected rows by reason and by the kind of name the row gave:",
        "",
    ]
    per_kind: collections.Counter[str] = res["per_kind"]  # type: ignore[assignment]
    for reason, count in res["tally"].most_common():  # type: ignore[attr-defined]
        kind = reason.rsplit("(", 1)[-1].split()[0]
        of = per_kind.get(kind)
        share = f" of {of:,} rows with such a name ({count / of:.0%})" if of else ""
        lines.append(f"- {reason}: {count:,}{share}")
    return "\n".join([*lines, "", END]) + "\n"


def write_docs(section: str) -> None:
    """Replace this section's figures in docs/benchmarks.md (up to the END
    marker, or else the next section), or append the section."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        rest = text[start + len(HEADING) :]
        marker = rest.find(END)
        nxt = re.search(r"^## ", rest, flags=re.M)
        if marker >= 0 and (nxt is None or marker < nxt.start()):
            end = start + len(HEADING) + marker + len(END) + 1
            text = text[:start] + section + text[end:]
        else:
            end = start + len(HEADING) + nxt.start() if nxt else len(text)
            text = text[:start] + section + ("\n" + text[end:] if nxt else "")
    DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

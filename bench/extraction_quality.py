"""How well `tracker extract` finds quotations and their speakers (issue 13).

    python bench/extraction_quality.py [--data ../shared/data/polnear-dev]
        [--seed ../shared/seed] [--jobs 2] [--skip-cli] [--write-docs]

1. The scoring rule of issue 13, ``../shared/eval/polnear_score.py``, runs
   the real command on every text of the PolNeAR split, as the issue says:
   ``--cmd '.venv/bin/tracker extract {file} --json'``, against a fresh demo
   database (made with ``tracker demo`` in a temporary folder).
2. The same texts scored in-process with the scorer's own functions
   (``load_gold``, ``validate``, ``score_doc``): the same figures without a
   Python start-up per article, so the time is the extractor's (and the
   speaker look-ups').
3. A baseline in the same run, scored the same way: every double-quoted
   stretch as a direct quote, its speaker the name beside "said" (the kind
   of short regular-expression extractor issue 13 compares against).
4. The seed article (``../shared/seed/gold.json``), each gold item converted
   to the scorer's form (quotation share by the scorer's rule, speech cue by
   its word list). The seed gold names each speaker as resolved ("he" ->
   Joe Biden), so its speaker figure is by name, over every matched item:
   right when the last word of the predicted name is the last word of the
   gold speaker's.

``--write-docs`` writes the "Extraction (issue 13)" section of
docs/benchmarks.md (machine, date, command and figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "polnear_score.py"
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## Extraction (issue 13)"
END = "<!-- end of bench/extraction_quality.py's figures; notes below are kept -->"
TRACKER = Path(sys.executable).parent / "tracker"

sys.path.insert(0, str(ROOT))
LOAD = os.getloadavg()


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("polnear_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- scoring
def figures(ps: ModuleType, tot: Counter[str]) -> dict[str, float]:
    """The scorer's headline figures (tolerant, as its thresholds use)."""
    dp, dr, _ = ps.prf(
        tot["d_tp_pred"],
        tot["d_pred"] - tot["d_pred_boundary"],
        tot["d_tp_gold"],
        tot["d_gold"] - tot["d_gold_boundary"],
    )
    cp, cr, cf = ps.prf(
        tot["c_tp_pred"], tot["n_pred"] - tot["c_pred_other"], tot["c_tp_gold"], tot["c_gold"]
    )
    speaker = tot["spk_ok"] / tot["spk_n"] if tot["spk_n"] else 0.0
    mixed = tot["m_found"] / tot["m_gold"] if tot["m_gold"] else 0.0
    return {
        "direct_p": dp,
        "direct_r": dr,
        "speaker": speaker,
        "speaker_n": tot["spk_n"],
        "cue_p": cp,
        "cue_r": cr,
        "cue_f1": cf,
        "mixed": mixed,
    }


def score_in_process(
    ps: ModuleType, docs: list[dict[str, Any]], predict: Any
) -> tuple[dict[str, float], float, int]:
    """Score ``predict(text) -> JSON text`` on ``docs``: figures, mean seconds
    per article, contract errors."""
    tot: Counter[str] = Counter()
    errors = 0
    spent = 0.0
    for doc in docs:
        start = time.perf_counter()
        out = predict(doc["text"])
        spent += time.perf_counter() - start
        preds, errs = ps.validate(out, doc["text"])
        errors += len(errs)
        result, _ = ps.score_doc(doc, preds or [])
        tot.update(result)
    return figures(ps, tot), spent / len(docs), errors


def tracker_predict(db: Any) -> Any:
    from tracker.services.extracting import find_attributions, found_as_json

    def predict(text: str) -> str:
        return json.dumps(found_as_json(find_attributions(db, text, date=None)))

    return predict


_BASELINE_SPEAKER = re.compile(
    r"^[,\s]*(?:said|says)\s+((?:[A-Z][\w.'-]*\s?){1,3})|^[,\s]*((?:[A-Z][\w.'-]*\s?){1,3})\s*(?:said|says)\b"
)


def baseline_predict(text: str) -> str:
    """Every double-quoted stretch of a paragraph is a direct quote; its
    speaker is a capitalised name right before or after "said"."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        for match in re.finditer(r"[\"\u201c]([^\"\u201c\u201d]{2,}?)[\"\u201d]", para.group()):
            start = para.start() + match.start(1)
            end = para.start() + match.end(1)
            after = text[para.start() + match.end() : para.end()]
            found = _BASELINE_SPEAKER.match(after)
            name = (found.group(1) or found.group(2)).strip() if found else None
            out.append(
                {
                    "mode": "direct",
                    "content": [{"start": start, "end": end, "text": text[start:end]}],
                    "cue": None,
                    "source": None,
                    "speaker": {"name": name, "speaker_id": None, "decision": "new"}
                    if name
                    else None,
                    "confidence": 0.5,
                }
            )
    return json.dumps({"attributions": out})


# ---------------------------------------------------------------- the seed
def seed_doc(ps: ModuleType, seed: Path) -> dict[str, Any]:
    """gold.json's article in the scorer's form (as load_gold builds it)."""
    text = ps.read_text(seed / "article.txt")
    gold = json.loads((seed / "gold.json").read_text(encoding="utf-8"))
    regions = ps.quote_regions(text)
    items = []
    for entry in gold["attributions"]:
        content = entry["content"]
        pieces = content.get("spans", [content])
        g: dict[str, Any] = {
            "content": [(p["start"], p["end"]) for p in pieces],
            "cue": [(entry["cue"]["start"], entry["cue"]["end"])] if entry["cue"] else [],
            "source": [(entry["source"]["start"], entry["source"]["end"])]
            if entry["source"]
            else [],
            "speaker": entry["speaker"],
        }
        g["chars"] = ps.alnum(text, g["content"])
        g["q"] = ps.quoted_fraction(text, regions, g["content"], g["cue"])
        words = " ".join(text[s:e] for s, e in g["content"])
        g["words"] = len(re.findall(r"[^\W_]+", words))
        g["kind"] = "direct" if g["q"] >= 0.9 else "mixed" if g["q"] > 0 else "indirect"
        g["cue_text"] = " ".join(text[s:e] for s, e in g["cue"])
        g["source_text"] = " ".join(text[s:e] for s, e in g["source"])
        toks = re.findall(r"[a-z]+", g["cue_text"].lower())
        g["speech"] = bool(ps.SPEECH_FORMS.intersection(toks)) or any(
            f" {ph} " in f" {' '.join(toks)} " for ph in ps.SPEECH_PHRASES
        )
        items.append(g)
    return {"name": "seed", "path": str(seed / "article.txt"), "text": text, "gold": items}


def seed_speakers(ps: ModuleType, doc: dict[str, Any], out: str) -> tuple[int, int, int]:
    """(gold items found by some prediction at the 50%/50% rule, of them with
    the right speaker by name, gold items)."""
    preds, _ = ps.validate(out, doc["text"])
    preds = preds or []
    found = right = 0
    for g in doc["gold"]:
        best = None
        for p in preds:
            overlap = len(p["chars"] & g["chars"])
            holds = overlap * 2 >= len(p["chars"]) and overlap * 2 >= len(g["chars"])
            if holds and (best is None or overlap > best[0]):
                best = (overlap, p)
        if best is None:
            continue
        found += 1
        right += ps.last_token(best[1]["name"] or "") == ps.last_token(g["speaker"])
    return found, right, len(doc["gold"])


# ---------------------------------------------------------------- the command
def demo_database(folder: Path) -> Path:
    path = folder / "demo.db"
    env = {**os.environ, "TRACKER_DB": str(path), "TRACKER_USER": "bench"}
    subprocess.run([str(TRACKER), "demo"], env=env, check=True, capture_output=True)
    return path


def run_scorer(data: Path, db: Path, jobs: int) -> tuple[str, str]:
    """The scorer on the real command: (its SCORE line, its runtime line)."""
    command = f"{TRACKER} extract {{file}} --json"
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_USER": "bench"}
    done = subprocess.run(
        [sys.executable, str(SCORER), "--data", str(data), "--cmd", command, "--jobs", str(jobs)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    score = next((line for line in lines if line.startswith("SCORE")), done.stdout[-500:])
    runtime = next((line for line in lines if line.startswith("runtime:")), "")
    return score, runtime


def startup_seconds(db: Path, runs: int = 5) -> dict[str, float]:
    """Median wall times of start-ups, in the same run: the interpreter
    alone, `tracker --version`, and `tracker extract` on an empty file
    (which opens the database)."""
    empty = db.parent / "empty.txt"
    empty.write_text("", encoding="utf-8")
    env = {**os.environ, "TRACKER_DB": str(db)}
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "tracker --version": [str(TRACKER), "--version"],
        "tracker extract EMPTY --json": [str(TRACKER), "extract", str(empty), "--json"],
    }
    medians = {}
    for label, command in commands.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        medians[label] = sorted(times)[len(times) // 2]
    return medians


# ---------------------------------------------------------------- report
def row(label: str, f: dict[str, float], seconds: float | None, errors: int | None) -> str:
    time_cell = f"{seconds * 1000:.0f} ms" if seconds is not None else ""
    return (
        f"| {label} | {f['direct_p']:.3f} | {f['direct_r']:.3f} | {f['speaker']:.3f} "
        f"| {f['cue_p']:.3f} | {f['cue_r']:.3f} | {f['cue_f1']:.3f} | {f['mixed']:.3f} "
        f"| {'' if errors is None else errors} | {time_cell} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "polnear-dev")
    parser.add_argument("--seed", type=Path, default=SHARED / "seed")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-cli", action="store_true", help="only the in-process runs")
    parser.add_argument("--write-docs", action="store_true", help=f"write {HEADING} in docs")
    args = parser.parse_args()
    if not SCORER.exists() or not (args.data / "text").is_dir():
        sys.exit(f"{SCORER} or {args.data} is missing: nothing to measure")
    ps = load_scorer()
    docs, _, _ = ps.load_gold(str(args.data))

    from tracker.db.database import Database
    from tracker.extraction import extract

    with tempfile.TemporaryDirectory(prefix="extract-bench-") as folder:
        db_path = demo_database(Path(folder))
        db = Database(f"sqlite:///{db_path}", "bench")
        try:
            ours, ours_time, ours_errors = score_in_process(ps, docs, tracker_predict(db))
            _, rules_time, _ = score_in_process(
                ps, docs, lambda text: json.dumps([a.mode for a in extract(text)])
            )
            base, base_time, base_errors = score_in_process(ps, docs, baseline_predict)
            seed = seed_doc(ps, args.seed)
            seed_out = tracker_predict(db)(seed["text"])
            seed_tot: Counter[str] = Counter()
            seed_tot.update(ps.score_doc(seed, ps.validate(seed_out, seed["text"])[0] or [])[0])
            seed_figures = figures(ps, seed_tot)
            seed_found, seed_right, seed_n = seed_speakers(ps, seed, seed_out)
        finally:
            db.close()
        cli_score = cli_runtime = ""
        startup = None
        if not args.skip_cli:
            cli_score, cli_runtime = run_scorer(args.data, db_path, args.jobs)
            startup = startup_seconds(db_path)

    head = (
        "| run | direct P | direct R | speaker | cue P | cue R | cue F1 | mixed found "
        "| contract errors | time per article |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [
        head,
        row("tracker, in-process (extract + speaker decisions)", ours, ours_time, ours_errors),
        row("baseline: quoted stretches + 'said NAME', same run", base, base_time, base_errors),
    ]
    print(f"{len(docs)} texts from {args.data}")
    print("\n".join(lines))
    print(f"extractor alone (no speaker look-ups): {rules_time * 1000:.1f} ms per article")
    seed_line = (
        f"seed article ({seed_n} gold attributions, "
        f"{sum(g['kind'] == 'direct' for g in seed['gold'])} direct): direct P "
        f"{seed_figures['direct_p']:.3f} R {seed_figures['direct_r']:.3f}, cue P "
        f"{seed_figures['cue_p']:.3f} R {seed_figures['cue_r']:.3f}; {seed_found}/{seed_n} found "
        f"at the 50%/50% rule, {seed_right}/{seed_found} of them with the right speaker by name"
    )
    print(seed_line)
    if cli_score:
        print(f"the command through the scorer: {cli_score}\n{cli_runtime}")
        print("start-ups (median of 5): " + _startups(startup or {}))
    if args.write_docs:
        write_docs(
            section(args, docs, lines, rules_time, seed_line, cli_score, cli_runtime, startup)
        )


def section(
    args: argparse.Namespace,
    docs: list[dict[str, Any]],
    lines: list[str],
    rules_time: float,
    seed_line: str,
    cli_score: str,
    cli_runtime: str,
    startup: dict[str, float] | None,
) -> str:
    machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    load = ", ".join(f"{x:.1f}" for x in LOAD)
    out = [
        HEADING,
        "",
        f"Measured {dt.date.today().isoformat()} on {machine}, with other work sharing "
        f"the cores (load average {load} when the bench started: times vary with it, "
        "so compare them with the start-ups and the baseline of the same run); "
        "figures by the scoring rule of issue 13 "
        "(`../shared/eval/polnear_score.py`; direct quotes with its boundary tolerance, "
        "as its thresholds use). Command:",
        "",
        "```",
        "python bench/extraction_quality.py --write-docs",
        "```",
        "",
        f"PolNeAR development split ({len(docs)} texts, {args.data.name}), against a fresh "
        "demo database:",
        "",
        *lines,
        "",
        f"- The extractor alone (no speaker look-ups): {rules_time * 1000:.1f} ms per article.",
    ]
    if cli_score:
        out += [
            "- The real command, once per article, through the scorer "
            f"(`--cmd '.venv/bin/tracker extract {{file}} --json' --jobs {args.jobs}`):",
            f"  `{cli_score}`; {cli_runtime.removeprefix('runtime: ')}.",
            f"- Start-ups in the same run (median of 5): {_startups(startup or {})}. "
            "Per-article time through the command is Python's and the database's start-up "
            "(importing SQLAlchemy, opening the database, loading the speaker index), "
            "not the extractor's: hence the in-process row.",
        ]
    out += ["- " + seed_line[0].upper() + seed_line[1:] + ".", "", END]
    return "\n".join(out) + "\n"


def _startups(startup: dict[str, float]) -> str:
    return "; ".join(f"`{label}` {seconds:.3f} s" for label, seconds in startup.items())


def write_docs(text: str) -> None:
    """Replace this section's figures in docs/benchmarks.md (up to the END
    marker, or else the next section), or append the section."""
    doc = DOCS.read_text(encoding="utf-8")
    start = doc.find(HEADING)
    if start < 0:
        doc = doc.rstrip("\n") + "\n\n" + text
    else:
        rest = doc[start + len(HEADING) :]
        marker = rest.find(END)
        nxt = re.search(r"^## ", rest, flags=re.M)
        if marker >= 0 and (nxt is None or marker < nxt.start()):
            end = start + len(HEADING) + marker + len(END) + 1
            doc = doc[:start] + text + doc[end:]
        else:
            end = start + len(HEADING) + nxt.start() if nxt else len(doc)
            doc = doc[:start] + text + ("\n" + doc[end:] if nxt else "")
    DOCS.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()

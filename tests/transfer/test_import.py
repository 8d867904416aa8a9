"""``tracker import`` as a fact-checker meets it: the LIAR file with its
built-in mapping, nothing imported twice, nothing half-written (a file that
breaks near its end, a process killed between batches, Ctrl-C), dry runs,
rejects written back and imported again, speakers linked or created by the
one attribution rule, an import taken back by ``tracker undo``, the
``--json`` report, ClaimReview feeds and pages, and the Python API.

Broken files are in test_import_bad_input.py."""

from __future__ import annotations

import csv
import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tracker.db.database import Database
from tracker.services.transfer.importer import import_records
from tracker.services.transfer.mapping import Mapping
from transfer.import_helpers import (
    LIAR,
    REPORT_KEYS,
    Invoke,
    cli_for,
    counts,
    dump,
    failed_cleanly,
    json_of,
    ok,
    one_line,
    records_dump,
    scalar,
    write,
)

# Names the matcher keeps apart (each "new" to the others), and the demo's
# "Joe Biden"; "Joe Baiden" is a "maybe" for him.
NAMES = ["Marguerite Okafor", "Tobias Lindqvist", "Hiroshi Nakamura", "Ingrid Castellanos"]
LIAR_LABELS = {
    "true": "True",
    "mostly-true": "Mostly True",
    "half-true": "Half True",
    "barely-true": "Mostly False",
    "false": "False",
    "pants-fire": "Pants on Fire",
}


@pytest.fixture
def invoke(db_path: Path) -> Invoke:
    return cli_for(db_path)


def imported(invoke: Invoke, *args: str, input: str | None = None) -> dict[str, Any]:
    report = json_of(invoke("import", *args, "--json", input=input))
    assert isinstance(report, dict)
    return report


def record_id(db_path: Path, entity: str, key: str) -> int:
    found = scalar(
        db_path, "SELECT record_id FROM record_keys WHERE entity = ? AND key = ?", entity, key
    )
    assert isinstance(found, int), f"no {entity} with key {key!r}"
    return found


def shown(invoke: Invoke, kind: str, ident: int) -> dict[str, Any]:
    record = json_of(invoke("show", kind, str(ident), "--json"))
    assert isinstance(record, dict)
    return record


# ---------------------------------------------------------------- LIAR


def liar_rows() -> list[list[str]]:
    with LIAR.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_liar_with_its_mapping(db: Database, db_path: Path, invoke: Invoke) -> None:
    """The one documented command: every row a claim on its quote with its
    verdict, speakers named and described once each; run twice, nothing added.
    (One test, so the file is imported once.)"""
    if not LIAR.exists():
        pytest.skip(f"{LIAR} is not present (../shared/data is not in a fresh clone)")
    rows = liar_rows()
    assert len(rows) == 1284
    report = imported(invoke, str(LIAR), "--mapping", "liar")
    assert (report["read"], report["inserted"], report["rejected"]) == (1284, 1284, 0)
    assert report["rejects"] == []
    held = counts(db_path)
    assert held["claims"] == held["quotes"] == held["claim_quotes"] == held["reviews"] == 1284
    # Speakers deduplicated: one per distinct slug.
    assert held["speakers"] == len({r[4] for r in rows}) == report["speakers_created"]
    con = sqlite3.connect(db_path)
    statuses = Counter(dict(con.execute("SELECT status, count(*) FROM claims GROUP BY status")))
    assert statuses == Counter(LIAR_LABELS[r[1]] for r in rows)

    for label in ("barely-true", "pants-fire"):
        row = next(r for r in rows if r[1] == label)
        claim = shown(invoke, "claim", record_id(db_path, "claim", "liar:" + row[0]))
        assert claim["text"] == row[2]
        assert claim["status"] == LIAR_LABELS[label]
        assert [(v["scale"], v["rating"], v["reviewer"]) for v in claim["reviews"]] == [
            ("truth-o-meter", LIAR_LABELS[label], "PolitiFact")
        ]
        assert sorted(claim["tags"]) == sorted(row[3].split(","))
        (quote_id,) = claim["quote_ids"]
        quote = shown(invoke, "quote", quote_id)
        assert quote["venue"] == (row[13] or None)
        assert quote["speaker"] == claim["claimant"]

    def speaker(name: str) -> dict[str, Any]:
        ids = con.execute("SELECT id FROM speakers WHERE name = ?", (name,))
        (found,) = [i for (i,) in ids]  # exactly one
        return shown(invoke, "speaker", found)

    obama = speaker("Barack Obama")
    assert (obama["kind"], obama["party"], obama["region"]) == ("person", "democrat", "Illinois")
    assert "President" in [r["title"] for r in obama["roles"]]
    assert obama["claim_count"] == sum(1 for r in rows if r[4] == "barack-obama")
    assert con.execute("SELECT count(*) FROM speakers WHERE name LIKE '%obama%'").fetchone() == (1,)
    assert speaker("Chain Email")["kind"] == "organisation"
    assert speaker("Facebook Posts")["kind"] == "organisation"
    con.close()

    before = counts(db_path)
    again = imported(invoke, str(LIAR), "--mapping", "liar")
    assert (again["read"], again["inserted"], again["unchanged"]) == (1284, 0, 1284)
    assert (again["updated"], again["rejected"], again["speakers_created"]) == (0, 0, 0)
    assert counts(db_path) == before


def liar_line(key: str, label: str, text: str, slug: str, job: str, state: str) -> str:
    return "\t".join(
        [key, label, text, "taxes", slug, job, state, "democrat", *"00000", "a debate"]
    )


def test_liar_second_file_links_speakers_the_first_created(
    db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    first = write(
        tmp_path,
        "first.tsv",
        liar_line("1.json", "true", "First.", "john-edwards", "former senator", "North Carolina")
        + "\n"
        + liar_line("2.json", "false", "Second.", "john-g-edwards", "State Rep", "Rhode Island")
        + "\n",
    )
    second = write(
        tmp_path,
        "second.tsv",
        liar_line("3.json", "half-true", "Third.", "john-edwards", "former senator", "NC") + "\n",
    )
    assert imported(invoke, str(first), "--mapping", "liar")["speakers_created"] == 2
    report = imported(invoke, str(second), "--mapping", "liar")
    assert (report["speakers_created"], report["speakers_matched"]) == (0, 1)
    assert scalar(db_path, "SELECT count(*) FROM speakers WHERE name = 'John Edwards'") == 1


# ---------------------------------------------------------------- keys


def test_same_file_twice_adds_nothing(
    db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "quotes.csv",
        "text,speaker,source_title\n"
        f"We will fix the roads.,{NAMES[0]},Council meeting\n"
        f"Taxes stay as they are.,{NAMES[1]},Council meeting\n"
        f"Nobody asked me.,{NAMES[0]},Radio interview\n",
    )
    first = imported(invoke, str(path))
    assert (first["inserted"], first["speakers_created"]) == (3, 2)
    before = counts(db_path)
    second = imported(invoke, str(path))
    assert (second["read"], second["inserted"], second["unchanged"]) == (3, 0, 3)
    assert counts(db_path) == before
    assert before["speakers"] == 2 and before["sources"] == 2


def test_a_key_column_and_update(
    db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    header = "key,text,speaker\n"
    other = f"q2,Other words.,{NAMES[1]}\n"
    path = write(tmp_path, "v1.csv", f"{header}q1,First words.,{NAMES[0]}\n{other}")
    assert imported(invoke, str(path))["inserted"] == 2
    quote = record_id(db_path, "quote", "q1")
    changed = write(tmp_path, "v2.csv", f'{header}q1,"First words, corrected.",{NAMES[0]}\n{other}')

    report = imported(invoke, str(changed))
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert shown(invoke, "quote", quote)["text"] == "First words."

    report = imported(invoke, str(changed), "--update")
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 1, 1)
    assert shown(invoke, "quote", quote)["text"] == "First words, corrected."
    assert counts(db_path)["quotes"] == 2


def test_update_with_nothing_changed_changes_nothing(
    db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "tagged.csv",
        "key,record,text,speaker,tags,rating\n"
        f"c1,claim,The bridge cost a billion.,{NAMES[0]},zeta;alpha,False\n"
        f"q1,quote,We will fix the roads.,{NAMES[0]},roads;budget,\n",
    )
    assert imported(invoke, str(path))["inserted"] == 2
    before = records_dump(db_path)
    report = imported(invoke, str(path), "--update")
    assert (report["updated"], report["unchanged"]) == (0, 2)
    assert records_dump(db_path) == before
    assert scalar(db_path, "SELECT max(version) FROM claims") == 1


# ---------------------------------------------------------------- all or nothing


def many_rows(path: Path, rows: int, *, broken_at_end: bool = False) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["key", "text", "speaker", "source_title"])
        for i in range(rows):
            speaker = NAMES[i % len(NAMES)]
            out.writerow([f"row-{i}", f"Statement {i} on the budget.", speaker, f"Hearing {i % 7}"])
        if broken_at_end:
            f.write(f'"a quoted field that never closes,{NAMES[0]},Hearing 1\n')
            f.write(f"one more row,{NAMES[1]},Hearing 2\n")
    return path


def test_a_file_broken_near_its_end_writes_nothing(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    # More rows than one chunk of work (1,000), all fine, then a quote that never closes.
    path = many_rows(tmp_path / "nearly.csv", 1200, broken_at_end=True)
    before = dump(db_path)
    failed_cleanly(invoke("import", str(path)), "nearly.csv", "line 1202", "never ends")
    assert dump(db_path) == before
    # The speakers it would have created are not left behind in the speaker index either.
    report = imported(invoke, str(write(tmp_path, "one.csv", f"text,speaker\nHi.,{NAMES[0]}\n")))
    assert report["speakers_created"] == 1


def test_a_script_whose_rows_fail_midway_writes_nothing(demo_db: Database, db_path: Path) -> None:
    def rows() -> Any:
        for i in range(1500):
            yield {"text": f"Statement {i}.", "speaker": NAMES[i % 2]}
        raise RuntimeError("the feed broke")

    before = dump(db_path)
    with pytest.raises(RuntimeError, match="the feed broke"):
        import_records(demo_db, rows())
    assert dump(db_path) == before
    report = import_records(demo_db, [{"text": "Hi.", "speaker": NAMES[0]}], speakers="strict")
    assert (report.inserted, report.rejected) == (0, 1)
    assert "no speaker matches" in report.rejects[0].reason


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; any still running when it ends are killed."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def tracker_process(
    processes: list[subprocess.Popen[bytes]], db_path: Path, *args: str
) -> subprocess.Popen[bytes]:
    """``python -m tracker --db DB ARGS``, a real process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "--user", "importer", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    processes.append(process)
    return process


def committed_quotes(db_path: Path) -> int | None:
    """Quotes another process can see now (read-only), or None while busy."""
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.5)
        try:
            return int(con.execute("SELECT count(*) FROM quotes").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return None


def test_killed_between_batches_then_run_again_ends_with_exactly_the_rows(
    db: Database, db_path: Path, tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    rows, batch = 3000, 200
    path = many_rows(tmp_path / "many.csv", rows)
    process = tracker_process(processes, db_path, "import", str(path), "--batch-size", str(batch))
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if (committed_quotes(db_path) or 0) >= batch:
            process.kill()  # SIGKILL: no handler, no cleanup
            break
        time.sleep(0.005)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    left = int(scalar(db_path, "SELECT count(*) FROM quotes"))
    assert 0 < left < rows
    assert left % batch == 0, f"{left} quotes: a batch was half-written"

    again = tracker_process(
        processes, db_path, "import", str(path), "--batch-size", str(batch), "--json"
    )
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    report = json.loads(out)
    assert (report["inserted"], report["unchanged"], report["rejected"]) == (rows - left, left, 0)

    con = sqlite3.connect(db_path)
    stored = dict(
        con.execute(
            "SELECT k.key, q.text FROM record_keys k JOIN quotes q ON q.id = k.record_id"
            " WHERE k.entity = 'quote'"
        )
    )
    assert stored == {f"row-{i}": f"Statement {i} on the budget." for i in range(rows)}
    assert con.execute("SELECT count(*) FROM quotes").fetchone() == (rows,)
    assert con.execute("SELECT count(*) FROM speakers").fetchone() == (len(NAMES),)
    assert con.execute("SELECT count(*) FROM sources").fetchone() == (7,)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    con.close()


def write_locked(db_path: Path) -> bool:
    """Whether another process holds the database's write lock now."""
    con = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()


def test_ctrl_c_in_the_middle_of_an_atomic_import_writes_nothing(
    db: Database, db_path: Path, tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    path = many_rows(tmp_path / "many.csv", 2000)
    before = dump(db_path)
    process = tracker_process(processes, db_path, "import", str(path))
    deadline = time.monotonic() + 60
    seen = 0
    while process.poll() is None and time.monotonic() < deadline:
        seen = seen + 1 if write_locked(db_path) else 0
        if seen >= 2:  # the import's unit of work is under way
            process.send_signal(signal.SIGINT)
            break
        time.sleep(0.01)
    _, err = process.communicate(timeout=60)
    assert seen >= 2, "the import ended before Ctrl-C could interrupt it"
    assert process.returncode != 0
    assert b"Traceback" not in err
    assert dump(db_path) == before


# ---------------------------------------------------------------- dry run, rejects, strict


def test_dry_run_says_what_would_happen_and_writes_nothing(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "dry.csv",
        f"text,speaker\nOne.,{NAMES[0]}\nTwo.,{NAMES[1]}\nThree.,Joe Biden\nFour.,{NAMES[0]}\n",
    )
    before = dump(db_path)
    report = imported(invoke, str(path), "--dry-run")
    assert report["dry_run"] is True and report["import_id"] is None
    assert (report["read"], report["inserted"], report["rejected"]) == (4, 4, 0)
    assert (report["speakers_created"], report["speakers_matched"]) == (2, 1)
    said = one_line(ok(invoke("import", str(path), "--dry-run")).stdout)
    assert "would import" in said and "4 added" in said and "2 created" in said
    assert dump(db_path) == before


def test_rejects_written_back_fixed_and_imported_again(
    db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "people.csv",
        "Words,Who,When\n"
        f"Fine words.,{NAMES[0]},2021-03-01\n"
        f"Bad date.,{NAMES[0]},2021-02-30\n"
        f",{NAMES[0]},2021-03-02\n",
    )
    options = ["--map", "text=Words", "--map", "speaker=Who", "--map", "said_on=When"]
    rejects = tmp_path / "rejects.csv"
    report = imported(invoke, str(path), *options, "--rejects", str(rejects))
    assert (report["inserted"], report["rejected"]) == (1, 2)
    with rejects.open(encoding="utf-8", newline="") as f:
        written = list(csv.DictReader(f))
    assert [(r["_line"], r["Words"]) for r in written] == [("3", "Bad date."), ("4", "")]
    assert "said_on" in written[0]["_reason"] and "2021-02-30" in written[0]["_reason"]
    assert "text" in written[1]["_reason"]

    fixed = rejects.read_text(encoding="utf-8")
    fixed = fixed.replace("2021-02-30", "2021-02-28").replace(
        f",{NAMES[0]},2021-03-02", f"Mended.,{NAMES[0]},2021-03-02"
    )
    rejects.write_text(fixed, encoding="utf-8")
    report = imported(invoke, str(rejects), *options)
    assert (report["inserted"], report["rejected"]) == (2, 0)
    texts = sqlite3.connect(db_path).execute("SELECT text, said_on FROM quotes ORDER BY id")
    assert list(texts) == [
        ("Fine words.", "2021-03-01"),
        ("Bad date.", "2021-02-28"),
        ("Mended.", "2021-03-02"),
    ]


def test_json_lines_rejects_come_back_as_json_lines(
    db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    rows = [
        {"text": "Fine.", "speaker": NAMES[2], "tags": ["a"]},
        {"text": "Bell\u0007 rings.", "speaker": NAMES[2]},
    ]
    path = write(tmp_path, "in.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    rejects = tmp_path / "rejects.jsonl"
    assert imported(invoke, str(path), "--rejects", str(rejects))["rejected"] == 1
    (back,) = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert back["_line"] == 2 and "U+0007" in back["_reason"]
    assert {k: back[k] for k in ("text", "speaker")} == rows[1]
    back["text"] = "Bell rings."
    rejects.write_text(json.dumps(back) + "\n", encoding="utf-8")
    assert imported(invoke, str(rejects))["inserted"] == 1
    assert counts(db_path)["quotes"] == 2


def test_json_report_has_the_documented_keys_and_at_most_100_rejects(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    bad = "".join(",Joe Biden\n" for _ in range(150))
    path = write(
        tmp_path, "mostly-bad.csv", f"text,speaker\nGood.,Joe Biden\n{bad}Also good.,Joe Biden\n"
    )
    rejects = tmp_path / "rejects.csv"
    result = ok(invoke("import", str(path), "--json", "--rejects", str(rejects)))
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    report = json.loads(result.stdout)
    assert set(report) == REPORT_KEYS
    assert (report["read"], report["inserted"], report["rejected"]) == (152, 2, 150)
    assert len(report["rejects"]) == 100
    assert [r["line"] for r in report["rejects"]] == list(range(3, 103))
    assert all(set(r) == {"line", "reason"} for r in report["rejects"])
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 1 + 150


def test_strict_refuses_the_whole_file_on_any_reject(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "strict.csv",
        f"text,speaker,said_on\nFine.,{NAMES[0]},2021-01-01\nBad.,{NAMES[1]},2021-02-30\n",
    )
    before = dump(db_path)
    failed_cleanly(invoke("import", str(path), "--strict"), "line 3", "2021-02-30")
    failed_cleanly(invoke("import", str(path), "--strict", "--json"), "line 3")
    assert dump(db_path) == before


def test_strict_refusal_names_the_file(demo_db: Database, invoke: Invoke, tmp_path: Path) -> None:
    path = write(tmp_path, "strict.csv", f"text,speaker\n,{NAMES[0]}\n")
    failed_cleanly(invoke("import", str(path), "--strict"), "strict.csv", "line 2")


# ---------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("options", "created", "matched", "rejected_lines"),
    [
        pytest.param(["--speakers", "strict"], 0, 1, [3, 4, 5], id="strict"),
        pytest.param([], 1, 1, [4], id="match"),
        pytest.param(["--accept-maybe"], 1, 2, [], id="match-accept-maybe"),
        pytest.param(["--speakers", "create"], 2, 1, [], id="create"),
    ],
)
def test_speaker_modes(
    demo_db: Database,
    db_path: Path,
    invoke: Invoke,
    tmp_path: Path,
    options: list[str],
    created: int,
    matched: int,
    rejected_lines: list[int],
) -> None:
    path = write(
        tmp_path,
        "speakers.csv",
        f"text,speaker\nOne.,Joe Biden\nTwo.,{NAMES[0]}\nThree.,Joe Baiden\nFour.,{NAMES[0]}\n",
    )
    report = imported(invoke, str(path), *options)
    assert (report["speakers_created"], report["speakers_matched"]) == (created, matched)
    assert [r["line"] for r in report["rejects"]] == rejected_lines
    reasons = {r["line"]: r["reason"] for r in report["rejects"]}
    if 3 in reasons:
        assert f"no speaker matches '{NAMES[0]}'" in reasons[3]
    if 4 in reasons:  # the maybe, with its candidate
        assert "Joe Baiden" in reasons[4] and "Joe Biden" in reasons[4]
    con = sqlite3.connect(db_path)
    written = dict(
        con.execute("SELECT q.text, s.name FROM quotes q JOIN speakers s ON s.id = q.speaker_id")
    )
    assert written["One."] == "Joe Biden"
    expect_okafor = 0 if "strict" in options else 1
    assert con.execute("SELECT count(*) FROM speakers WHERE name = ?", (NAMES[0],)).fetchone() == (
        expect_okafor,
    )
    if "--accept-maybe" in options:
        assert written["Three."] == "Joe Biden"
    if "create" in options:
        assert written["Three."] == "Joe Baiden"


def test_speakers_are_counted_by_distinct_names(
    demo_db: Database, invoke: Invoke, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "days.csv",
        "text,speaker,said_on\n"
        f"One.,{NAMES[0]},2021-03-01\nTwo.,{NAMES[0]},2021-03-02\n"
        "Three.,Joe Biden,2021-03-01\nFour.,Joe Biden,2021-03-02\n",
    )
    # docs/import.md: both count distinct names.
    report = imported(invoke, str(path))
    assert (report["inserted"], report["speakers_created"], report["speakers_matched"]) == (4, 1, 1)


# ---------------------------------------------------------------- undo


FULL = (
    "record,text,speaker,source_title,source_url,rating,tags,said_on\n"
    "quote+claim,The deficit halved.,Joe Biden,Budget hearing,"
    "https://example.org/budget,False,economy;budget,2021-03-01\n"
    f"quote,We will fix the roads.,{NAMES[0]},Council minutes,,,,2021-03-02\n"
    f"claim,Crime fell by half.,{NAMES[1]},,,True,,\n"
)


@pytest.mark.parametrize("options", [[], ["--batch-size", "1"]], ids=["atomic", "batches"])
def test_undo_takes_back_the_whole_import(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path, options: list[str]
) -> None:
    before, records = counts(db_path), records_dump(db_path)
    report = imported(invoke, str(write(tmp_path, "full.csv", FULL)), *options)
    assert (report["inserted"], report["speakers_created"], report["speakers_matched"]) == (3, 2, 1)
    after = counts(db_path)
    assert (after["quotes"] - before["quotes"], after["claims"] - before["claims"]) == (2, 2)
    assert after["sources"] - before["sources"] == 2

    said = one_line(ok(invoke("undo", "--yes")).stdout)
    assert "full.csv" in said
    assert counts(db_path) == before
    assert records_dump(db_path) == records


def test_undo_gives_a_matched_speaker_back_as_it_was(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    joe_before = shown(invoke, "speaker", 1)
    path = write(
        tmp_path,
        "described.csv",
        "text,speaker,speaker_role,speaker_party,speaker_region\n"
        "The deficit halved.,Joe Biden,Commentator,democrat,Delaware\n",
    )
    assert imported(invoke, str(path))["speakers_matched"] == 1
    joe = shown(invoke, "speaker", 1)
    assert (joe["party"], joe["region"]) == ("democrat", "Delaware")
    assert "Commentator" in [r["title"] for r in joe["roles"]]
    ok(invoke("undo", "--yes"))
    joe_after = shown(invoke, "speaker", 1)
    # The undo is itself an edit: the version moves on, everything else is back.
    assert joe_after["version"] > joe_before["version"]
    for moved in ("version", "quote_count", "claim_count"):
        joe_before.pop(moved, None)
        joe_after.pop(moved, None)
    assert joe_after == joe_before


def test_undo_is_refused_when_an_imported_quote_was_edited(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    imported(invoke, str(write(tmp_path, "full.csv", FULL)))
    quote = int(scalar(db_path, "SELECT max(id) FROM quotes"))
    ok(invoke("edit", "quote", str(quote), "--set", "notes=checked", user="editor"))
    before = dump(db_path)
    failed_cleanly(invoke("undo", "--yes"), f"quote #{quote}", "changed since", "editor")
    assert dump(db_path) == before


def test_an_import_is_undone_only_once(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    imported(invoke, str(write(tmp_path, "full.csv", FULL)))
    ok(invoke("undo", "--yes"))
    before = dump(db_path)
    failed_cleanly(invoke("undo", "--yes"), "undone already")
    assert dump(db_path) == before


# ---------------------------------------------------------------- formats and ClaimReview


def review(url: str, claim: str | None, author: dict[str, str], rating: dict[str, Any]) -> dict:
    found: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": url,
        "author": {"@type": "Organization", "name": "Checkers United"},
        "datePublished": "2021-05-02",
        "itemReviewed": {"@type": "Claim", "author": author, "datePublished": "2021-05-01"},
        "reviewRating": {"@type": "Rating", **rating},
    }
    if claim is not None:
        found["claimReviewed"] = claim
    return found


def test_claimreview_feed_and_page(
    db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            review(
                "https://example.org/fc/cheese",
                "The moon is made of cheese.",
                {"@type": "Person", "name": NAMES[2]},
                {"alternateName": "Pants on Fire"},
            ),
            review(
                "https://example.org/fc/taxes",
                "Taxes went down for everyone.",
                {"@type": "Organization", "name": "Acme Action Fund"},
                {
                    "alternateName": "Four Pinocchios",
                    "ratingValue": 2,
                    "bestRating": 5,
                    "worstRating": 1,
                },
            ),
        ],
    }
    report = imported(invoke, str(write(tmp_path, "feed.json", json.dumps(feed, indent=2))))
    assert (report["inserted"], report["rejected"], report["speakers_created"]) == (2, 0, 2)
    con = sqlite3.connect(db_path)
    claims = {
        text: (status, name, kind, rationale)
        for text, status, name, kind, rationale in con.execute(
            "SELECT c.text, c.status, s.name, s.kind, r.rationale FROM claims c"
            " JOIN speakers s ON s.id = c.claimant_id JOIN reviews r ON r.claim_id = c.id"
        )
    }
    assert claims["The moon is made of cheese."] == ("Pants on Fire", NAMES[2], "person", None)
    status, name, kind, rationale = claims["Taxes went down for everyone."]
    assert (status, name, kind) == ("False", "Acme Action Fund", "organisation")
    assert "Four Pinocchios" in rationale

    page = (
        "<!doctype html>\n<html><head><title>Fact check</title>\n"
        '<script type="application/ld+json">\n'
        + json.dumps(
            review(
                "https://example.org/fc/bread",
                "Bridges are made of bread.",
                {"@type": "Person", "name": NAMES[3]},
                {"alternateName": "False"},
            )
        )
        + "\n</script></head><body><p>Our verdict.</p></body></html>\n"
    )
    report = imported(invoke, str(write(tmp_path, "check.html", page)))
    assert (report["inserted"], report["rejected"]) == (1, 0)
    assert scalar(db_path, "SELECT status FROM claims WHERE text LIKE 'Bridges%'") == "False"
    assert imported(invoke, str(tmp_path / "feed.json"))["unchanged"] == 2


def test_a_claimreview_without_claim_reviewed_is_a_reject_naming_its_line(
    db: Database, invoke: Invoke, tmp_path: Path
) -> None:
    reviews = [
        review(
            "https://example.org/1", "Cats can fly.", {"name": NAMES[2]}, {"alternateName": "False"}
        ),
        review("https://example.org/2", None, {"name": NAMES[2]}, {"alternateName": "True"}),
    ]
    path = write(tmp_path, "reviews.json", json.dumps(reviews, indent=1))
    line = path.read_text().splitlines().index(" {", 2) + 1  # where the second object starts
    report = imported(invoke, str(path))
    assert (report["inserted"], report["rejected"]) == (1, 1)
    assert report["rejects"][0]["line"] == line
    assert "claimReviewed" in report["rejects"][0]["reason"]


@pytest.mark.parametrize(
    ("name", "content", "options"),
    [
        pytest.param(
            "bom.csv",
            b"\xef\xbb\xbftext,speaker\r\nOne.,Joe Biden\r\nTwo.,Joe Biden\r\n",
            [],
            id="csv-bom-crlf",
        ),
        pytest.param("q.tsv", b"text\tspeaker\nOne.\tJoe Biden\nTwo.\tJoe Biden\n", [], id="tsv"),
        pytest.param(
            "q.jsonl",
            b'{"text": "One.", "speaker": "Joe Biden"}\n\n{"text": "Two.", "speaker": "Joe Biden"}\n',
            [],
            id="jsonl",
        ),
        pytest.param(
            "q.json",
            b'[{"text": "One.", "speaker": "Joe Biden"},\n {"text": "Two.", "speaker": "Joe Biden"}]',
            [],
            id="json",
        ),
        pytest.param(
            "q.txt",
            b"Joe Biden,One.\nJoe Biden,Two.\n",
            ["--format", "csv", "--no-header", "--map", "speaker=1", "--map", "text=2"],
            id="no-header-by-number",
        ),
        pytest.param(
            "utf16.csv",
            "text,speaker\nOne.,Joe Biden\nTwo.,Joe Biden\n".encode("utf-16"),
            ["--encoding", "utf-16"],
            id="utf-16",
        ),
    ],
)
def test_formats(
    demo_db: Database,
    db_path: Path,
    invoke: Invoke,
    tmp_path: Path,
    name: str,
    content: bytes,
    options: list[str],
) -> None:
    report = imported(invoke, str(write(tmp_path, name, content)), *options)
    assert (report["inserted"], report["rejected"]) == (2, 0)
    texts = sqlite3.connect(db_path).execute(
        "SELECT q.text FROM quotes q JOIN speakers s ON s.id = q.speaker_id"
        " WHERE s.name = 'Joe Biden' AND q.text IN ('One.', 'Two.')"
    )
    assert sorted(t for (t,) in texts) == ["One.", "Two."]


def test_standard_input(demo_db: Database, invoke: Invoke) -> None:
    rows = '{"text": "From a pipe.", "speaker": "Joe Biden"}\n'
    assert imported(invoke, "-", "--format", "jsonl", input=rows)["inserted"] == 1
    failed_cleanly(invoke("import", "-", input=rows), "--format")


def test_list_mappings_names_liar_with_its_description(invoke: Invoke) -> None:
    from tracker.services.transfer.mapping import builtin

    listed = one_line(ok(invoke("import", "--list-mappings")).stdout)
    assert "liar" in listed
    assert one_line(builtin("liar").description) in listed
    assert "LIAR" in listed and "PolitiFact" in listed


# ---------------------------------------------------------------- Python API


def test_python_api_imports_dicts(db: Database, db_path: Path) -> None:
    rows = [{"text": f"Statement {i}.", "speaker": NAMES[i % 3]} for i in range(5)]
    report = import_records(db, rows)
    assert (report.read, report.inserted, report.rejected, report.speakers_created) == (5, 5, 0, 3)
    assert import_records(db, rows).unchanged == 5

    mapping = Mapping(columns={"text": "Quote", "speaker": "Who"}, record="quote")
    report = import_records(db, [{"Quote": "Mapped words.", "Who": NAMES[3]}], mapping)
    assert report.inserted == 1
    report = import_records(db, [{"text": "Dry.", "speaker": NAMES[0]}], dry_run=True)
    assert (report.inserted, report.dry_run, report.import_id) == (1, True, None)
    assert counts(db_path)["quotes"] == 6


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [("quotes", "csv"), ("claims", "jsonl"), ("claims", "claimreview")],
)
def test_an_export_imported_back_into_its_own_database_adds_nothing(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path, kind: str, fmt: str
) -> None:
    """The demo's records were typed in (no stored keys): an export names
    them by a content hash or, in ClaimReview, by a url. Read back, each row
    is found as the record it came from."""
    out = tmp_path / f"export.{fmt}"
    ok(invoke("export", "--kind", kind, "--format", fmt, "--out", str(out)))
    before = records_dump(db_path)
    report = imported(invoke, str(out), "--format", fmt)
    assert report["inserted"] == 0 and report["rejected"] == 0
    assert report["unchanged"] == report["read"] > 0
    assert records_dump(db_path) == before


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_import_export_gives_the_same_bytes(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path, fmt: str
) -> None:
    """Every kind, exported from the demo, imported into an empty database
    (speakers, sources, quotes, claims, in that order, no mapping options)
    and exported again: byte for byte the same files."""
    empty = cli_for(tmp_path / "empty.db")
    kinds = ("speakers", "sources", "quotes", "claims")
    for kind in kinds:
        first = tmp_path / f"first-{kind}.{fmt}"
        ok(invoke("export", "--kind", kind, "--format", fmt, "--out", str(first)))
        report = json_of(empty("import", str(first), "--format", fmt, "--json"))
        assert isinstance(report, dict) and report["rejected"] == 0, report
        assert report["inserted"] == report["read"] > 0
    for kind in kinds:
        again = tmp_path / f"again-{kind}.{fmt}"
        ok(empty("export", "--kind", kind, "--format", fmt, "--out", str(again)))
        assert again.read_bytes() == (tmp_path / f"first-{kind}.{fmt}").read_bytes(), kind

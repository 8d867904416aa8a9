"""``tracker export`` and the export service: every format on the demo, the
columns an import recognises, keys, filters, a file written whole or not at
all, Markdown that shows text literally, and reading a page at a time."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import services as svc
from tracker.db.database import Database
from tracker.db.models import Claim, Quote, RecordKey, Source, Speaker
from tracker.services.filters import Filters
from tracker.services.transfer import claimreview, export_rows
from tracker.services.transfer.columns import OWN_COLUMNS, content_key, own_kind
from tracker.services.transfer.digest import markdown_text
from tracker.services.transfer.exporter import csv_line, export_records, write_export

Invoke = Callable[..., Result]
KINDS = {"quotes": Quote, "claims": Claim, "speakers": Speaker, "sources": Source}
LIST_COLUMNS = {"tags", "quote_keys", "verdicts", "aliases", "roles", "authors"}


@pytest.fixture
def invoke(db_path: Path) -> Invoke:
    """``invoke("export", ...)`` runs ``tracker --db db_path export ...``."""
    from tracker.cli import cli

    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli, ["--db", str(db_path), "--user", "exporter", *args])

    return run


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def refused(result: Result, *words: str) -> str:
    """Exit status 1 or 2, the last line of stderr 'Error: ...' naming the problem."""
    assert result.exit_code in (1, 2), (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: "), result.stderr
    for word in words:
        assert word.lower() in last.lower(), (word, last)
    return last


def count(db: Database, model: Any) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def csv_rows(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


# ---------------------------------------------------------------- formats


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_each_kind_exports_every_record_with_its_own_columns(
    demo_db: Database, invoke: Invoke, kind: str, fmt: str
) -> None:
    out = ok(invoke("export", "--kind", kind, "--format", fmt)).stdout
    columns = OWN_COLUMNS[kind[:-1]]
    assert "\r" not in out and out.endswith("\n")
    if fmt == "jsonl":
        records = [json.loads(line) for line in out.splitlines()]
        assert all(list(r) == list(columns) for r in records)
    else:
        delimiter = "\t" if fmt == "tsv" else ","
        header = next(csv.reader(io.StringIO(out), delimiter=delimiter))
        assert tuple(header) == columns
        assert own_kind(header) == kind[:-1]  # what the import recognises
        records = csv_rows(out, delimiter)
    assert len(records) == count(demo_db, KINDS[kind]) > 0
    # The same records, in the same order, as the service yields.
    assert [r[columns[0]] for r in records] == [
        r[columns[0]] for r in export_records(demo_db, kind)
    ]


def test_csv_lists_are_compact_json_and_empty_is_an_empty_cell(
    demo_db: Database, invoke: Invoke
) -> None:
    claims = csv_rows(ok(invoke("export", "--kind", "claims")).stdout)
    records = list(export_records(demo_db, "claims"))
    for row, record in zip(claims, records, strict=True):
        for column in LIST_COLUMNS & set(row):
            value = record[column]
            assert isinstance(value, list)
            if value:
                assert row[column] == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                assert json.loads(row[column]) == value
            else:
                assert row[column] == ""
        for column in set(row) - LIST_COLUMNS:
            assert row[column] == ("" if record[column] is None else str(record[column]))
    reviewed = next(r for r in records if r["verdicts"])
    verdicts = reviewed["verdicts"]
    assert isinstance(verdicts, list)
    assert set(verdicts[0]) == {
        "scale",
        "rating",
        "reviewer",
        "reviewed_at",
        "rationale",
        "evidence",
    }
    assert verdicts[0]["reviewed_at"] == "2021-04-15T12:00:00Z"
    assert reviewed["status"] == "Came True" and reviewed["due"] == "2021-05-01"


def test_jsonl_lines_are_the_records(demo_db: Database, invoke: Invoke) -> None:
    out = ok(invoke("export", "--kind", "quotes", "--format", "jsonl")).stdout
    records = list(export_records(demo_db, "quote"))
    assert [json.loads(line) for line in out.splitlines()] == records
    assert out == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    first = records[0]
    assert isinstance(first["start_offset"], int) and isinstance(first["tags"], list)


def test_csv_fields_are_quoted_only_when_they_must_be() -> None:
    fields = ["plain", "a,b", 'say "hi"', "line\nbreak", "lone\rreturn", "tab\there", ""]
    line = csv_line(fields, ",")
    assert line == 'plain,"a,b","say ""hi""","line\nbreak","lone\rreturn",tab\there,\n'
    assert list(csv.reader(io.StringIO(line, newline=""))) == [fields]
    tsv = csv_line(fields, "\t")
    assert list(csv.reader(io.StringIO(tsv, newline=""), delimiter="\t")) == [fields]


def test_speakers_and_sources_rows(demo_db: Database) -> None:
    speakers = {r["name"]: r for r in export_records(demo_db, "speakers")}
    biden = speakers["Joe Biden"]
    assert biden["wikidata_qid"] == "Q6279"
    assert biden["roles"][0] == {  # type: ignore[index]
        "title": "President",
        "organisation": "United States",
        "start": "2021-01-20",
        "end": None,
    }
    # The role reference says which role it names (the first: President).
    assert {"text": "the U.S. president", "kind": "role", "role": 0} in biden["aliases"]  # type: ignore[operator]
    assert {"text": "Biden", "kind": "name"} in biden["aliases"]  # type: ignore[operator]
    sources = {r["title"]: r for r in export_records(demo_db, "sources")}
    article = sources["U.S, Russia in Joint Push for Afghan Power-Sharing Despite Spat"]
    doha = sources["Agreement for Bringing Peace to Afghanistan (U.S.-Taliban agreement)"]
    assert article["key"] == article["title"]  # no url: the title
    assert article["reports_on"] == "Joe Biden interviewed by George Stephanopoulos"
    assert doha["key"] == doha["url"] and str(doha["url"]).startswith("https://")


# ---------------------------------------------------------------- keys


def test_a_stored_key_is_used_else_a_hash_of_speaker_text_and_source(demo_db: Database) -> None:
    quote = svc.get_quote(demo_db, 10)
    with demo_db.unit_of_work() as session:
        session.add(RecordKey(entity="quote", key="liar:1234.json", record_id=quote.id))
        session.add(RecordKey(entity="claim", key="claim-one", record_id=1))
    quotes = {r["text"]: r for r in export_records(demo_db, "quotes")}
    assert quotes[quote.text]["key"] == "liar:1234.json"
    other = svc.get_quote(demo_db, 12)
    assert quotes[other.text]["key"] == content_key("Joe Biden", other.text, other.source)
    claims = list(export_records(demo_db, "claims"))
    first = claims[0]
    assert first["key"] == "claim-one"
    assert first["quote_keys"] == ["liar:1234.json"]  # the quote's stored key here too
    unkeyed = svc.get_claim(demo_db, 6)
    assert claims[5]["key"] == content_key("Sergei Lavrov", unkeyed.text, None)


# ---------------------------------------------------------------- filters


def test_filters_narrow_as_list_does(demo_db: Database, invoke: Invoke) -> None:
    biden = csv_rows(ok(invoke("export", "--speaker", "Joe Biden")).stdout)
    assert {r["speaker"] for r in biden} == {"Joe Biden"}
    listed = json.loads(ok(invoke("list", "quotes", "--speaker", "Joe Biden", "--json")).stdout)
    assert sorted(r["text"] for r in biden) == sorted(q["text"] for q in listed)

    predictions = csv_rows(
        ok(invoke("export", "--kind", "claims", "--claim-kind", "prediction")).stdout
    )
    assert {r["claim_kind"] for r in predictions} == {"prediction"} and len(predictions) == 3
    final = csv_rows(ok(invoke("export", "--kind", "claims", "--status", "final")).stdout)
    assert len(final) == 3 and all(r["status"] for r in final)
    tagged = csv_rows(ok(invoke("export", "--tag", "russia", "--from", "2021-03-17")).stdout)
    assert tagged and all("russia" in json.loads(r["tags"]) for r in tagged)
    words = csv_rows(ok(invoke("export", "--text", "killer")).stdout)
    assert len(words) == 2 and all("killer" in r["text"] for r in words)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--kind", "quotes", "--status", "open"], ["narrow claims"]),
        (["--kind", "claims", "--mode", "direct"], ["narrows quotes"]),
        (["--kind", "speakers", "--speaker", "1"], ["not speakers"]),
        (["--kind", "sources", "--text", "Bloomberg"], ["not sources"]),
        (["--kind", "quotes", "--format", "claimreview"], ["claims, not quotes"]),
        (["--kind", "speakers", "--format", "markdown"], ["not speakers"]),
        (["--from", "2021-02-30"], ["2021-02-30"]),
        (["--speaker", "Nobody Atall"], ["Nobody Atall"]),
        (["--format", "claimreview", "--url-base", "javascript:x"], ["url base"]),
        (["--publisher", "Acme"], ["--format claimreview"]),
        (["--out", "report.json"], ["--format"]),
        (["--json"], ["--out"]),
        (["--format", "xml"], ["--format"]),
    ],
)
def test_bad_options_are_one_line_and_non_zero(
    demo_db: Database,
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    words: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    refused(invoke("export", *args), *words)
    assert not (tmp_path / "report.json").exists()


# ---------------------------------------------------------------- files


def test_out_writes_the_file_and_guesses_the_format(
    demo_db: Database, invoke: Invoke, tmp_path: Path
) -> None:
    target = tmp_path / "quotes.tsv"
    result = ok(invoke("export", "--out", str(target), "--json"))
    summary = json.loads(result.stdout)
    assert summary == {
        "kind": "quotes",
        "format": "tsv",
        "out": str(target),
        "written": 13,
        "skipped": 0,
    }
    assert target.read_bytes() == ok(invoke("export", "--format", "tsv")).stdout_bytes
    digest = tmp_path / "claims.md"
    ok(invoke("export", "--kind", "claims", "--out", str(digest)))
    assert digest.read_text(encoding="utf-8").startswith("# Claims\n")
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("existed", [False, True])
def test_a_failed_export_leaves_no_half_file(
    demo_db: Database,
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    existed: bool,
) -> None:
    target = tmp_path / "out" / "quotes.csv"
    target.parent.mkdir()
    if existed:
        target.write_text("the old export\n", encoding="utf-8")
    monkeypatch.setattr(export_rows, "PAGE_SIZE", 5)
    real = export_rows.quote_rows
    pages: list[int] = []

    def failing(session: Session, quotes: list[Quote]) -> list[dict[str, object]]:
        pages.append(len(quotes))
        if len(pages) == 2:
            raise OSError(28, "No space left on device")
        return real(session, quotes)

    monkeypatch.setattr(export_rows, "quote_rows", failing)
    result = invoke("export", "--out", str(target))
    assert result.exit_code != 0 and pages == [5, 5]
    if existed:
        assert target.read_text(encoding="utf-8") == "the old export\n"
        assert [p.name for p in target.parent.iterdir()] == ["quotes.csv"]
    else:
        assert list(target.parent.iterdir()) == []


def test_a_file_keeps_the_mode_an_ordinary_file_gets(
    demo_db: Database, invoke: Invoke, tmp_path: Path
) -> None:
    target = tmp_path / "quotes.csv"
    ok(invoke("export", "--out", str(target)))
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


# ---------------------------------------------------------------- ClaimReview


def test_claimreview_feed_of_final_verdicts(demo_db: Database, invoke: Invoke) -> None:
    result = ok(
        invoke(
            "export",
            "--format",
            "claimreview",
            "--url-base",
            "https://checks.example/claims/",
            "--publisher",
            "Example Checks",
        )
    )
    feed = json.loads(result.stdout)
    # Streamed, but the same text as the whole feed dumped at once.
    assert result.stdout == json.dumps(feed, indent=2, ensure_ascii=False) + "\n"
    assert feed["@type"] == "DataFeed"
    reviews = feed["dataFeedElement"]
    assert [r["url"] for r in reviews] == [f"https://checks.example/claims/{n}" for n in (1, 5, 6)]
    for review in reviews:
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and review["datePublished"].endswith("Z")
        assert review["reviewRating"]["alternateName"]
        assert review["author"] == {"@type": "Organization", "name": "Example Checks"}
        assert review["itemReviewed"]["@type"] == "Claim"
    assert reviews[0]["itemReviewed"]["author"]["sameAs"].endswith("Q6279")
    assert "left out 5 claims with no final verdict" in result.stderr
    claims = svc.get_claims(demo_db, [1])
    assert reviews[0]["claimReviewed"] == claims[0].text


def test_claimreview_with_nothing_final_is_an_empty_feed(demo_db: Database) -> None:
    out = io.StringIO()
    done = write_export(
        demo_db, out, kind="claims", fmt="claimreview", filters=Filters(status="open")
    )
    assert (done.written, done.skipped) == (0, 5)
    assert out.getvalue() == json.dumps(claimreview.feed([]), indent=2) + "\n"


# ---------------------------------------------------------------- Markdown


def test_markdown_digest_of_claims(demo_db: Database, invoke: Invoke) -> None:
    text = ok(invoke("export", "--kind", "claims", "--format", "markdown")).stdout
    assert text.startswith("# Claims\n")
    assert text.count("\n## ") == 8
    section = text.split("\n## ")[1]
    assert "**Claimant:** Joe Biden (person)" in section
    assert "**Due:** 2021-05-01" in section
    assert "1. **Came True** on the prediction scale, 2021-04-15T12:00:00Z" in section
    assert "### Quotes it rests on" in section and "Source: *U.S, Russia" in section


def test_markdown_digest_of_quotes_groups_them_by_source(demo_db: Database, invoke: Invoke) -> None:
    lonely = svc.add_quote(demo_db, "words with no source", speaker_id=1)
    text = ok(invoke("export", "--format", "markdown")).stdout
    assert text.startswith("# Quotes by source\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## U.S, Russia in Joint Push for Afghan Power-Sharing Despite Spat",
        "## Quotes with no source",
    ]
    assert "\narticle, Bloomberg L.P., 2021-03-18\n" in text
    assert text.rstrip().endswith(f"“{lonely.text}”: Joe Biden")
    assert text.count("\n- ") == 14


def test_markdown_shows_text_literally(demo_db: Database) -> None:
    speaker = svc.add_speaker(demo_db, "_Eve_ <b>Mallory</b>")
    hostile = "*bold* [click](https://evil.example) `code` # not a heading | ~~gone~~ &amp;"
    quote = svc.add_quote(demo_db, hostile, speaker_id=speaker.id, said_on="2021-03-01")
    svc.add_claim(demo_db, "1. not a list", quote_ids=[quote.id], tags=["x_y"])
    out = io.StringIO()
    write_export(demo_db, out, kind="claims", fmt="markdown", filters=Filters(tag="x_y"))
    text = out.getvalue()
    assert "## 1\\. not a list" in text
    assert "\\_Eve\\_ \\<b\\>Mallory\\</b\\>" in text
    assert (
        "\\*bold\\* \\[click\\](https://evil.example) \\`code\\` \\# not a heading "
        "\\| \\~\\~gone\\~\\~ \\&amp;" in text
    )
    assert hostile not in text and "<b>" not in text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("- not an item", "\\- not an item"),
        ("+ nor this", "\\+ nor this"),
        ("2021. A year", "2021\\. A year"),
        ("3) three", "3\\) three"),
        ("two\nlines", "two lines"),
        ("a\\b", "a\\\\b"),
        ("plain words, U.S. style", "plain words, U.S. style"),
    ],
)
def test_markdown_text(text: str, shown: str) -> None:
    assert markdown_text(text) == shown


# ---------------------------------------------------------------- streaming


def add_quotes(db: Database, number: int) -> None:
    with db.unit_of_work() as session:
        session.add_all(
            Quote(text=f"bulk quote {n}", speaker_id=1, mode="direct") for n in range(number)
        )


def counting_reads(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = db.reading

    def reading() -> AbstractContextManager[Session]:
        reads.append(1)
        return real()

    monkeypatch.setattr(db, "reading", reading)
    return reads


def test_a_large_export_is_read_a_page_at_a_time(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_quotes(demo_db, 2987)
    total = count(demo_db, Quote)
    monkeypatch.setattr(export_rows, "PAGE_SIZE", 250)
    reads = counting_reads(demo_db, monkeypatch)
    records = export_records(demo_db, "quotes")
    first = next(records)
    assert len(reads) == 1  # one page read so far, not the table
    keys = [first["key"], *(r["key"] for r in records)]
    assert len(keys) == total == 3000
    assert len(reads) == math.ceil(total / 250) + (total % 250 == 0)
    assert keys[-1] == content_key("Joe Biden", "bulk quote 2986", None)


def test_pages_of_quotes_grouped_by_source_cover_every_quote_once(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_quotes(demo_db, 40)
    monkeypatch.setattr(export_rows, "PAGE_SIZE", 7)
    out = io.StringIO()
    done = write_export(demo_db, out, kind="quotes", fmt="markdown")
    assert done.written == count(demo_db, Quote) == 53
    assert out.getvalue().count("\n- ") == 53
    assert out.getvalue().count("## Quotes with no source") == 1


def test_progress_is_reported_while_writing(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.services.transfer import exporter

    add_quotes(demo_db, 7)
    monkeypatch.setattr(exporter, "PROGRESS_EVERY", 5)
    seen: list[int] = []
    write_export(demo_db, io.StringIO(), kind="quotes", fmt="jsonl", progress=seen.append)
    assert seen == [5, 10, 15, 20]


# ---------------------------------------------------------------- a real process


def test_export_in_a_real_process(demo_db: Database, db_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TRACKER_USER": "subprocess", "LC_ALL": "C", "PYTHONUTF8": "0"}
    env.pop("TRACKER_DB", None)

    def export(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", "--db", str(db_path), "export", *args],
            capture_output=True,
            env=env,
            timeout=120,
        )

    piped = export("--kind", "claims")
    assert piped.returncode == 0, piped.stderr
    expected = io.StringIO()
    write_export(demo_db, expected, kind="claims", fmt="csv")
    assert piped.stdout == expected.getvalue().encode("utf-8")  # UTF-8 whatever the locale
    target = tmp_path / "claims.jsonl"
    written = export("--kind", "claims", "--out", str(target))
    assert written.returncode == 0 and b"wrote 8 claims" in written.stderr
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == list(
        export_records(demo_db, "claims")
    )

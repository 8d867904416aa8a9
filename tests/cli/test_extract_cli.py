"""``tracker extract FILE [--json] [--date YYYY-MM-DD]``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tracker.db.database import Database

ARTICLE = (
    "Mayor Ann Lee spoke on Monday.\r\n\r\n"
    "\u201cWe will rebuild the bridge [bold]by spring[/bold],\u201d she said. "
    "\u201cThe money is there.\u201d\r\n\r\n"
    "President Joe Biden said it will be \u201ctough\u201d to finish in time.\r\n"
)


def run(db: str, *args: str) -> Result:
    from tracker.cli import cli

    return CliRunner().invoke(cli, ["--db", db, "--user", "cli-tester", "extract", *args])


def one_error_line(result: Result, *words: str) -> str:
    assert result.exit_code == 1, (result.output, result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]
    return lines[0]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("utf-8"))
    return path


def test_json_lists_the_attributions_with_offsets_into_the_file_as_read(
    demo_db: Database, article: Path
) -> None:
    result = run(demo_db.url, str(article), "--json", "--date", "2021-03-18")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    text = article.open(encoding="utf-8", newline="").read()  # CRLF kept
    found = data["attributions"]
    assert [a["mode"] for a in found] == ["direct", "direct", "mixed"]
    for item in found:
        assert list(item) == ["mode", "content", "cue", "source", "speaker", "confidence"]
        for span in [*item["content"], item["cue"], item["source"]]:
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"]
    first, second, mixed = found
    assert first["speaker"] == {"name": "Ann Lee", "speaker_id": None, "decision": "new"}
    assert second["cue"] is None and second["speaker"]["name"] == "Ann Lee"  # no cue: continues
    assert mixed["speaker"]["name"] == "Joe Biden"
    assert mixed["speaker"]["decision"] == "same" and mixed["speaker"]["speaker_id"] is not None


def test_the_table_shows_text_literally(demo_db: Database, article: Path) -> None:
    result = run(demo_db.url, str(article))
    assert result.exit_code == 0, result.output
    assert "Ann Lee" in result.stdout and "Joe Biden" in result.stdout
    assert "[bold]" in result.stdout  # user text is never markup


def test_an_empty_file_has_no_attributions(demo_db: Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run(demo_db.url, str(empty), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"attributions": []}


def test_without_a_database_nothing_is_created(tmp_path: Path, article: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = run(str(missing), str(article), "--json")
    assert result.exit_code == 0, result.output
    speakers = [a["speaker"] for a in json.loads(result.stdout)["attributions"]]
    assert {s["decision"] for s in speakers} == {"new"}
    assert not missing.exists()


def test_bad_input_is_one_clear_line_and_exit_1(tmp_path: Path, article: Path) -> None:
    db = str(tmp_path / "none.db")
    one_error_line(run(db, str(tmp_path / "missing.txt")), "missing.txt", "no such file")
    one_error_line(run(db, str(tmp_path)), "folder")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\u00e9 said \u201cno\u201d".encode("cp1252"))
    one_error_line(run(db, str(latin1)), "latin1.txt", "not UTF-8", "byte")
    one_error_line(run(db, str(article), "--date", "2021-02-30"), "--date")
    one_error_line(run(db, str(article), "--date", "soon"), "--date")


def test_the_seed_article_finds_the_speakers_a_reader_would(
    demo_db: Database, shared_seed: Path
) -> None:
    result = run(demo_db.url, str(shared_seed / "article.txt"), "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["attributions"]

    def speaker(cue: str | None, source: str | None) -> str:
        for item in found:
            cue_text = item["cue"]["text"] if item["cue"] else None
            source_text = item["source"]["text"] if item["source"] else None
            if cue_text == cue and (source is None or source_text == source):
                return str(item["speaker"]["name"])
        raise AssertionError(f"no attribution with cue {cue!r} and source {source!r}")

    assert speaker("warned", "He") == "Sergei Lavrov"
    assert speaker("stated", "He") == "Donald Trump"
    assert speaker("added", "he") == "Joe Biden"
    assert speaker("agreed", "the U.S. president") == "Joe Biden"
    assert speaker(None, None) == "Michael Kugelman"  # the quote without a cue
    decided = {item["speaker"]["decision"] for item in found if item["speaker"]}
    assert decided == {"same"}  # every name is a demo speaker


def test_through_a_real_process(tmp_path: Path, article: Path) -> None:
    command = Path(sys.executable).parent / "tracker"
    if not command.exists() and shutil.which("tracker") is None:
        pytest.skip("the tracker command is not installed (pip install -e .)")
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "none.db")}
    done = subprocess.run(
        [str(command) if command.exists() else "tracker", "extract", str(article), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["attributions"]) == 3
    assert not (tmp_path / "none.db").exists()

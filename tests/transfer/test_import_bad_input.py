"""A corpus of broken files for ``tracker import``, against the demo database.

A file that cannot be read (truncated, the wrong delimiter, unbalanced
quotes, bytes not valid in its encoding, a mapping naming a column it does
not have, a header and no rows, nothing at all) is refused: exit 1, one line
"Error: FILE: line N: problem" (the line where there is one), and the
database exactly as it was.

A row that cannot be imported (a wrong type, an impossible date, an empty
required field, a NUL byte, a control character, a field over the limit,
a key seen before, a line that is not JSON, a ClaimReview without
``claimReviewed``) is rejected with its line and the problem; the rest of
the file is imported and the exit status is 0 with the count, unless
``--strict``: then the import is refused like a broken file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tracker.db.database import Database
from transfer.import_helpers import Invoke, cli_for, dump, failed_cleanly, json_of, write

GOOD = "Fine words.,Joe Biden\n"  # the demo's Joe Biden: a "same" match
ESC = "\x1b"


@pytest.fixture
def invoke(db_path: Path) -> Invoke:
    return cli_for(db_path)


def refused(name: str, content: str | bytes, *args: str, words: list[str]) -> Any:
    return pytest.param(name, content, list(args), words, id=name)


REFUSED = [
    refused(
        "truncated.csv",
        f'text,speaker\n{GOOD}"The file ends in the middle of a quoted fie',
        words=["truncated.csv", "line 3", "never ends"],
    ),
    refused(
        "tabs.tsv",
        "text\tspeaker\nFine words.\tJoe Biden\n",
        "--format",
        "csv",
        words=["tabs.tsv", "line 1", "tabs", "--format tsv"],
    ),
    refused(
        "unbalanced.csv",
        f'text,speaker\n{GOOD}"Half" quoted,Joe Biden\n{GOOD}',
        words=["unbalanced.csv", "line 3", "unbalanced"],
    ),
    refused(
        "no-such-column.csv",
        f"text,speaker\n{GOOD}",
        "--map",
        "text=text",
        "--map",
        "speaker=who",
        words=["no-such-column.csv", "speaker", "'who'", "does not have"],
    ),
    refused(
        "no-such-number.csv",
        GOOD,
        "--no-header",
        "--map",
        "text=1",
        "--map",
        "speaker=3",
        words=["no-such-number.csv", "column 3", "2 columns"],
    ),
    refused(
        "not-utf8.csv",
        f"text,speaker\n{GOOD}".encode() + b"Caf\xe9 au lait.,Joe Biden\n",
        words=["not-utf8.csv", "line 3", "UTF-8", "--encoding"],
    ),
    refused(
        "feed.jsonld",
        b'{"@type": "ClaimReview",\n "claimReviewed": "Caf\xe9"}\n',
        words=["feed.jsonld", "line 2", "--encoding"],
    ),
    refused("header-only.csv", "text,speaker\n", words=["header-only.csv", "no rows"]),
    refused("empty.csv", b"", words=["empty.csv", "empty"]),
    refused("blank.jsonl", "\n\n", words=["blank.jsonl", "empty"]),
    refused(
        "document.json",
        '[\n{"text": "a", "speaker": "Joe Biden"},\n{"text": "b" "speaker": "Joe Biden"}\n]\n',
        words=["document.json", "line 3", "invalid JSON"],
    ),
    refused(
        "document.jsonl",
        '[\n {"text": "a", "speaker": "Joe Biden"}\n]\n',
        words=["document.jsonl", "line 1", "--format json"],
    ),
    refused(
        "twice.csv",
        "text,text\nFine words.,Again\n",
        words=["twice.csv", "line 1", "'text' appears twice"],
    ),
    refused(
        "colour.csv",
        "text,speaker,colour\nFine words.,Joe Biden,red\n",
        words=["colour.csv", "'colour'", "--map"],
    ),
    refused(
        "encoding.csv",
        f"text,speaker\n{GOOD}",
        "--encoding",
        "klingon",
        words=["encoding.csv", "klingon"],
    ),
    refused(
        "page.html",
        "<html><body><p>No markup here.</p></body></html>\n",
        words=["page.html", "ClaimReview"],
    ),
]


@pytest.mark.parametrize(("name", "content", "args", "words"), REFUSED)
def test_a_file_that_cannot_be_read_is_refused_and_changes_nothing(
    demo_db: Database,
    db_path: Path,
    invoke: Invoke,
    tmp_path: Path,
    name: str,
    content: str | bytes,
    args: list[str],
    words: list[str],
) -> None:
    path = write(tmp_path, name, content)
    before = dump(db_path)
    failed_cleanly(invoke("import", str(path), *args), *words)
    assert dump(db_path) == before


def rejected(
    name: str,
    content: str | bytes,
    *args: str,
    line: int,
    words: list[str],
    marks: Any = (),
) -> Any:
    return pytest.param(name, content, list(args), line, words, id=name, marks=marks)


CLAIMREVIEWS = """[
  {"@type": "ClaimReview", "url": "https://example.org/fc/1", "claimReviewed": "Cats can fly.",
   "reviewRating": {"@type": "Rating", "alternateName": "False"},
   "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Joe Biden"}}},
  {"@type": "ClaimReview", "url": "https://example.org/fc/2",
   "reviewRating": {"@type": "Rating", "alternateName": "True"},
   "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Joe Biden"}}}
]
"""

REJECTED = [
    rejected(
        "fields.csv",
        f"text,speaker\n{GOOD}Too,many,fields\n",
        line=3,
        words=["3 fields", "header has 2"],
    ),
    rejected(
        "list-text.jsonl",
        '{"text": "Fine words.", "speaker": "Joe Biden"}\n'
        '{"text": ["two", "texts"], "speaker": "Joe Biden"}\n',
        line=2,
        words=["text", "list"],
    ),
    rejected(
        "list-speaker.jsonl",
        '{"text": "Fine words.", "speaker": "Joe Biden"}\n'
        '{"text": "Other words.", "speaker": ["Joe Biden", "Jill Biden"]}\n',
        line=2,
        words=["speaker", "list"],
    ),
    rejected(
        "date.csv",
        "text,speaker,said_on\nFine words.,Joe Biden,2021-02-28\nBad day.,Joe Biden,2021-02-30\n",
        line=3,
        words=["said_on", "2021-02-30"],
    ),
    rejected(
        "empty-text.csv", f"text,speaker\n{GOOD},Joe Biden\n", line=3, words=["text", "required"]
    ),
    rejected(
        "nul.csv",
        f"text,speaker\n{GOOD}".encode() + b"Null\x00byte.,Joe Biden\n",
        line=3,
        words=["NUL"],
    ),
    rejected(
        "nul.jsonl",
        '{"text": "Null\\u0000byte.", "speaker": "Joe Biden"}\n',
        line=1,
        words=["text", "U+0000"],
    ),
    rejected(
        "escape.csv",
        f"text,speaker\n{GOOD}Red {ESC}[31malert,Joe Biden\n",
        line=3,
        words=["text", "U+001B"],
    ),
    rejected(
        "long.csv",
        "text,speaker\n" + "x" * 100_001 + f",Joe Biden\n{GOOD}",
        line=2,
        words=["text", "100,001", "limit is 100,000"],
    ),
    rejected(
        "keys.csv",
        "key,text,speaker\nk1,Fine words.,Joe Biden\nk2,Other.,Joe Biden\nk1,Again.,Joe Biden\n",
        line=4,
        words=["same key as line 2"],
    ),
    rejected(
        "broken-line.jsonl",
        '{"text": "Fine words.", "speaker": "Joe Biden"}\n\n'
        '{"text": "Broken", speaker: "Joe Biden"}\n'
        '{"text": "Other words.", "speaker": "Joe Biden"}\n',
        line=3,
        words=["invalid JSON"],
    ),
    rejected(
        "array.jsonl",
        '{"text": "Fine words.", "speaker": "Joe Biden"}\n[1, 2]\n',
        line=2,
        words=["not a JSON object"],
    ),
    rejected("reviews.json", CLAIMREVIEWS, line=5, words=["claimReviewed"]),
    rejected(
        "rating.csv",
        "record,text,speaker,rating\nclaim,Fine words.,Joe Biden,True\n"
        "claim,Other words.,Joe Biden,Sorta True\n",
        line=3,
        words=["Sorta True", "Truth-O-Meter"],
    ),
    rejected(
        "url.csv",
        "text,speaker,source_url\nFine words.,Joe Biden,\nBad link.,Joe Biden,javascript:alert(1)\n",
        line=3,
        words=["source_url", "http"],
    ),
    rejected(
        "offsets.csv",
        "text,speaker,start_offset,end_offset\nFine words.,Joe Biden,,\nHalf.,Joe Biden,3,\n",
        line=3,
        words=["start_offset", "end_offset"],
    ),
]


@pytest.mark.parametrize(("name", "content", "args", "line", "words"), REJECTED)
def test_a_bad_row_is_rejected_with_its_line_unless_strict(
    demo_db: Database,
    db_path: Path,
    invoke: Invoke,
    tmp_path: Path,
    name: str,
    content: str | bytes,
    args: list[str],
    line: int,
    words: list[str],
) -> None:
    path = write(tmp_path, name, content)
    before = dump(db_path)
    failed_cleanly(invoke("import", str(path), *args, "--strict"), f"line {line}", *words)
    assert dump(db_path) == before

    report = json_of(invoke("import", str(path), *args, "--json"))
    assert report["rejected"] == 1
    assert report["inserted"] == report["read"] - 1
    (reject,) = report["rejects"]
    assert reject["line"] == line
    for word in words:
        assert word.lower() in reject["reason"].lower(), (word, reject["reason"])


def test_the_right_encoding_makes_the_same_file_import(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = write(tmp_path, "latin.csv", f"text,speaker\n{GOOD}".encode() + b"Caf\xe9.,Joe Biden\n")
    failed_cleanly(invoke("import", str(path)), "line 3")
    report = json_of(invoke("import", str(path), "--encoding", "latin-1", "--json"))
    assert (report["inserted"], report["rejected"]) == (2, 0)
    assert json_of(invoke("search", "Café", "--json"))  # stored as text, found by search


def test_a_number_where_text_is_expected_is_taken_as_written(
    demo_db: Database, invoke: Invoke, tmp_path: Path
) -> None:
    rows = [{"text": 5, "speaker": "Joe Biden"}, {"text": 2.5, "speaker": "Joe Biden"}]
    path = write(tmp_path, "numbers.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    report = json_of(invoke("import", str(path), "--json"))
    assert (report["inserted"], report["rejected"]) == (2, 0)
    listed = json_of(invoke("list", "quotes", "--speaker", "Joe Biden", "--json"))
    assert {"5", "2.5"} <= {q["text"] for q in listed}


def test_a_10_mb_field_is_a_reject_saying_the_limit(
    demo_db: Database, db_path: Path, invoke: Invoke, tmp_path: Path
) -> None:
    # Once, without --strict: reading 10 MB takes a while (long.csv above covers --strict).
    huge = "x" * (10 * 1024 * 1024)
    path = write(tmp_path, "huge.csv", f'text,speaker\n"{huge}",Joe Biden\n{GOOD}')
    report = json_of(invoke("import", str(path), "--json"))
    assert (report["read"], report["inserted"], report["rejected"]) == (2, 1, 1)
    (reject,) = report["rejects"]
    assert reject["line"] == 2
    assert "10,485,760 characters" in reject["reason"] and "limit is 100,000" in reject["reason"]

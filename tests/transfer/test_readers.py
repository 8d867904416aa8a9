"""Reading rows from CSV, TSV, JSON Lines and JSON files, and writing rejected
rows back: what a person importing a file sees (the rows, their line numbers,
and messages that name the line and the problem)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from tracker.services.transfer import readers
from tracker.services.transfer.columns import own_kind
from tracker.services.transfer.readers import (
    FileError,
    InputRow,
    RejectsWriter,
    RowReader,
    guess_format,
    open_rows,
)


def read(data: bytes | str, fmt: str = "csv", **options: Any) -> list[InputRow]:
    if isinstance(data, str):
        data = data.encode()
    return list(open_rows(io.BytesIO(data), fmt, **options))


def refusal(data: bytes | str, fmt: str = "csv", **options: Any) -> FileError:
    with pytest.raises(FileError) as caught:
        read(data, fmt, **options)
    return caught.value


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [
        ("quotes.csv", "csv"),
        ("LIAR/valid.TSV", "tsv"),
        ("x.tab", "tsv"),
        ("x.jsonl", "jsonl"),
        ("x.ndjson", "jsonl"),
        ("x.json", "json"),
        ("page.html", "claimreview"),
        ("page.htm", "claimreview"),
        ("feed.jsonld", "claimreview"),
        ("notes.txt", None),
        ("-", None),
    ],
)
def test_format_is_guessed_from_the_name(filename: str, fmt: str | None) -> None:
    assert guess_format(filename) == fmt


# --- CSV and TSV -----------------------------------------------------------


def test_csv_rows_by_header_name_with_the_line_each_starts_on() -> None:
    data = 'text,speaker\n"Two\nlines",Ann\n\n,\n"Said ""hi""",Bob\n'
    reader = open_rows(io.BytesIO(data.encode()), "csv")
    assert reader.columns == ("text", "speaker")
    rows = list(reader)
    # The blank line and the row of empty fields are skipped.
    assert [(row.line, row.values) for row in rows] == [
        (2, {"text": "Two\nlines", "speaker": "Ann"}),
        (6, {"text": 'Said "hi"', "speaker": "Bob"}),
    ]
    assert all(row.problem is None for row in rows)
    assert reader.bytes_read == len(data.encode())


def test_without_a_header_columns_are_numbered_from_one() -> None:
    reader = open_rows(io.BytesIO(b"a,b\nc,d\n"), "csv", header=False)
    assert reader.columns is None
    assert [(row.line, row.values) for row in reader] == [
        (1, {"1": "a", "2": "b"}),
        (2, {"1": "c", "2": "d"}),
    ]


def test_tsv_with_literal_quotes_reads_them_as_text() -> None:
    # As in LIAR: a field that starts with a quote that never closes.
    line = '929.json\thalf-true\t"If you add all that up," he said\tbarack-obama\n'
    rows = read(line * 2, "tsv", header=False, quoting=False)
    assert [row.values["3"] for row in rows] == ['"If you add all that up," he said'] * 2
    assert [row.line for row in rows] == [1, 2]


def test_a_custom_delimiter() -> None:
    assert read("a;b\n1;2\n", delimiter=";")[0].values == {"a": "1", "b": "2"}
    assert "one character" in str(refusal("a\n", delimiter="::"))


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("encoding", [None, "utf-8", "UTF-8-SIG"])
def test_utf8_with_or_without_a_bom(bom: bytes, encoding: str | None) -> None:
    reader = open_rows(io.BytesIO(bom + "key,text\n1,café\n".encode()), "csv", encoding=encoding)
    assert reader.columns == ("key", "text")
    assert [row.values for row in reader] == [{"key": "1", "text": "café"}]


def test_the_encoding_can_be_given() -> None:
    rows = read("text\ncafé\n".encode("latin-1"), encoding="latin-1")
    assert rows[0].values == {"text": "café"}
    utf16 = read("text\ncafé\n".encode("utf-16"), encoding="utf-16")
    assert utf16[0].values == {"text": "café"}


def test_an_unknown_encoding_is_refused() -> None:
    error = refusal("a\n", encoding="klingon")
    assert str(error) == "unknown encoding 'klingon'"
    assert error.line is None


def test_bytes_not_valid_utf8_name_their_line_and_byte() -> None:
    data = b"text,speaker\nfine,Ann\nbad \xff here,Bob\nnever,read\n"
    reader = open_rows(io.BytesIO(data), "csv", name="quotes.csv")
    rows: list[InputRow] = []
    with pytest.raises(FileError) as caught:
        rows.extend(reader)
    # The rows before the bad line are read; the message names the line.
    assert [row.values["text"] for row in rows] == ["fine"]
    assert (
        str(caught.value) == "line 3: bytes not valid UTF-8 (b'\\xff' at byte 26); give --encoding"
    )
    assert caught.value.line == 3
    assert caught.value.name == "quotes.csv"


def test_bad_bytes_far_into_a_file_name_the_right_line() -> None:
    # Past the first chunks, after a BOM, with characters split across chunks.
    body = "text\n" + "é" * 50_000 + "\n" + "ok\n" * 30_000
    data = b"\xef\xbb\xbf" + body.encode() + b"x\xc3(\n"
    error = refusal(data)
    offset = len(data) - 3
    assert str(error) == (
        f"line 30003: bytes not valid UTF-8 (b'\\xc3' at byte {offset}); give --encoding"
    )


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xef\xbb\xbfa\n\xff\n", "line 2: bytes not valid UTF-8 (b'\\xff' at byte 5)"),
        (b"a\nb\xc3(\n", "line 2: bytes not valid UTF-8 (b'\\xc3' at byte 3)"),
        (b"a\r\nb\r\nc\xe9\n", "line 3: bytes not valid UTF-8 (b'\\xe9' at byte 7)"),
    ],
)
def test_bad_bytes_are_placed_exactly_however_the_file_is_read(
    chunk: int, data: bytes, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "_CHUNK", chunk)
    assert str(refusal(data, header=False)).startswith(message)


def test_a_file_cut_in_the_middle_of_a_character() -> None:
    error = refusal(b"text\nabc\xc3")
    assert error.line == 2
    assert "bytes not valid UTF-8 (b'\\xc3' at byte 8)" in str(error)


def test_csv_is_streamed() -> None:
    data = b"text\n" + b"a quote of some length\n" * 300_000  # 6.9 MB
    reader = open_rows(io.BytesIO(data), "csv")
    rows = iter(reader)
    next(rows)
    assert reader.bytes_read < 200_000
    assert sum(1 for _ in rows) == 299_999
    assert reader.bytes_read == len(data)


def test_a_ten_megabyte_field_is_read_whole() -> None:
    big = "x" * 10_000_000
    rows = read(f'key,text\n1,"{big}"\n2,short\n')
    assert [len(str(row.values["text"])) for row in rows] == [10_000_000, 5]


def test_a_header_column_without_a_name_is_refused() -> None:
    assert str(refusal("key,text, ,notes\n")) == "line 1: column 3 has no name"


def test_a_header_name_twice_is_refused() -> None:
    assert str(refusal("key,text,key\n")) == "line 1: column name 'key' appears twice"


@pytest.mark.parametrize("data", ["", "\n\n", "\ufeff"])
@pytest.mark.parametrize("header", [True, False])
def test_an_empty_file_is_refused(data: str, header: bool) -> None:
    error = refusal(data, header=header)
    assert str(error) == "the file is empty"
    assert error.line is None


def test_a_header_alone_gives_no_rows() -> None:
    reader = open_rows(io.BytesIO(b"key,text\n"), "csv")
    assert reader.columns == ("key", "text")
    assert list(reader) == []


def test_a_row_with_the_wrong_number_of_fields_is_a_row_problem() -> None:
    rows = read("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
    assert [(row.line, row.problem) for row in rows] == [
        (2, None),
        (3, "has 2 fields; the header has 3"),
        (4, "has 4 fields; the header has 3"),
        (5, None),
    ]
    assert rows[1].values == {"a": "4", "b": "5"}


def test_a_truncated_file_ends_with_a_short_row() -> None:
    rows = read("a,b,c\n1,2,3\n4,5", header=False)
    assert rows[-1].problem == "has 2 fields; the first row has 3"
    assert rows[-1].raw == ["4", "5"]


def test_a_quote_that_never_ends_names_the_line_it_starts_on() -> None:
    error = refusal('text,speaker\nfine,Ann\n"never ends,Bob\nmore,Cy\n')
    assert str(error) == "line 3: a quoted field starts here and never ends (unbalanced quotes)"


def test_a_stray_quote_that_closes_a_field_early_names_both_lines() -> None:
    error = refusal('text,speaker\n"opens,Ann\nmore,Bob\n"closes" here,Cy\n')
    assert error.line == 2
    assert "text follows its closing quote on line 4" in str(error)
    assert "quoting off" in str(error)


def test_an_unbalanced_quote_swallowing_the_file_stops_at_the_field_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readers, "MAX_FIELD", 1000)
    error = refusal('text\n"opens\n' + "more\n" * 1000)
    assert error.line == 2
    assert "unbalanced quotes" in str(error)


def test_a_tsv_read_as_csv_is_named() -> None:
    error = refusal("key\ttext\tspeaker\n1\thi\tAnn\n")
    assert str(error) == (
        "line 1: the header is one column containing tabs: is this a TSV file? use --format tsv"
    )
    headerless = refusal("1\thi\tAnn\n", header=False)
    assert "the first row is one column containing tabs" in str(headerless)


def test_a_csv_read_as_tsv_is_named() -> None:
    error = refusal("key,text,speaker\n1,hi,Ann\n", "tsv")
    assert str(error) == (
        "line 1: the header is one column containing commas: is this a CSV file? use --format csv"
    )
    # Without a header a one-column text may well contain commas.
    assert read("Well, yes\n", "tsv", header=False)[0].values == {"1": "Well, yes"}


def test_a_nul_byte_is_a_row_problem() -> None:
    rows = read(b"text,speaker\nbad\x00text,Ann\ngood,Bob\n")
    assert [(row.line, row.problem) for row in rows] == [(2, "contains a NUL byte"), (3, None)]


def test_crlf_line_ends() -> None:
    rows = read(b'text,speaker\r\n"two\r\nlines",Ann\r\nok,Bob\r\n')
    assert [(row.line, row.values["text"]) for row in rows] == [(2, "two\r\nlines"), (4, "ok")]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
def test_chunk_boundaries_split_nothing(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # A "\r\n" or a character cut in two by a read must not shift a line.
    monkeypatch.setattr(readers, "_CHUNK", chunk)
    data = 'text,n\r\n"é\r\nè",1\r\nà,2\r\n\r\nü,3\rö,4\n'.encode()
    rows = read(b"\xef\xbb\xbf" + data)
    assert [(row.line, row.values["text"]) for row in rows] == [
        (2, "é\r\nè"),
        (4, "à"),
        (6, "ü"),
        (7, "ö"),
    ]


# --- JSON Lines and JSON ---------------------------------------------------


def test_json_lines_rows_and_their_problems() -> None:
    data = '{"text": "a"}\n\n{"text": "b", "tags": ["x"]}\n{"text": \n[1, 2]\n{"text": "cut'
    rows = read(data, "jsonl")
    assert [(row.line, row.values, row.problem) for row in rows] == [
        (1, {"text": "a"}, None),
        (3, {"text": "b", "tags": ["x"]}, None),
        (4, {}, "invalid JSON: Expecting value (column 10)"),
        (5, {}, "is not a JSON object"),
        (6, {}, "invalid JSON: Unterminated string starting at (column 10)"),
    ]
    assert rows[2].raw == '{"text": '


def test_json_lines_is_streamed() -> None:
    data = b'{"text": "a quote of some length"}\n' * 200_000
    reader = open_rows(io.BytesIO(data), "jsonl")
    rows = iter(reader)
    next(rows)
    assert reader.bytes_read < 200_000
    assert sum(1 for _ in rows) == 199_999


def test_a_json_document_given_as_json_lines_is_named() -> None:
    error = refusal('[\n  {"text": "a"}\n]\n', "jsonl")
    assert error.line == 1
    assert str(error).endswith("is this one JSON document? use --format json")


def test_empty_json_files_are_refused() -> None:
    assert str(refusal("\n \n", "jsonl")) == "the file is empty"
    assert str(refusal("  ", "json")) == "the file is empty"


def test_json_list_items_with_their_lines() -> None:
    data = '[\n  {"text": "a"},\n  {\n    "text": "b"\n  },\n  "c", {"text": "d"}\n]\n'
    rows = read(data, "json")
    assert [(row.line, row.values, row.problem) for row in rows] == [
        (2, {"text": "a"}, None),
        (3, {"text": "b"}, None),
        (6, {}, "is not a JSON object"),
        (6, {"text": "d"}, None),
    ]


def test_one_json_object_is_one_row() -> None:
    rows = read('\n{"text": "a"}', "json")
    assert [(row.line, row.values) for row in rows] == [(2, {"text": "a"})]
    assert read("[]", "json") == []


def test_invalid_json_names_the_line_and_column() -> None:
    data = '[\n  {"text": "a"},\n  {"text": "b"},\n  {"a": 1 "b": 2}\n]'
    error = refusal(data, "json")
    assert str(error) == "line 4: invalid JSON: Expecting ',' delimiter (column 11)"
    assert error.line == 4


def test_json_lines_given_as_json_is_named() -> None:
    error = refusal('{"text": "a"}\n{"text": "b"}\n', "json")
    assert str(error).startswith("line 2: invalid JSON: Extra data (column 1)")
    assert str(error).endswith("use --format jsonl")


def test_a_json_file_that_is_not_objects_is_refused() -> None:
    assert str(refusal('"text"', "json")) == (
        "line 1: the file is not a JSON object or a list of objects"
    )


def test_an_unknown_format_is_refused() -> None:
    assert "the formats are csv, tsv, jsonl, json" in str(refusal("a", "xml"))


# --- Rejects ---------------------------------------------------------------


def reject_all(data: bytes, fmt: str, **options: Any) -> tuple[RowReader, str]:
    reader = open_rows(io.BytesIO(data), fmt, **options)
    out = io.StringIO(newline="")
    with RejectsWriter(out, reader) as rejects:
        for row in reader:
            rejects.write(row, row.problem or "speaker, unknown")
    return reader, out.getvalue()


def test_csv_rejects_read_back_as_the_same_rows_with_line_and_reason() -> None:
    data = b'key,text\n1,"two\nlines, and ""quotes"""\n2,short\n3,a,b\n'
    original = read(data)
    _, written = reject_all(data, "csv")
    reader = open_rows(io.BytesIO(written.encode()), "csv")
    assert reader.columns == ("key", "text", "_line", "_reason")
    assert own_kind(("key", "text", "_line", "_reason")) is None  # (not an export kind)
    back = list(reader)
    assert [row.values for row in back[:2]] == [
        {**row.values, "_line": str(row.line), "_reason": "speaker, unknown"}
        for row in original[:2]
    ]
    # The row with an extra field keeps it, and is still refused when read back.
    assert back[2].raw == ["3", "a", "b", "5", "has 3 fields; the header has 2"]
    assert back[2].problem == "has 5 fields; the header has 4"


def test_rejects_of_a_rejects_file_replace_its_line_and_reason() -> None:
    data = b"key,text,_line,_reason\r\n1,hi,7,old reason\r\n"
    _, written = reject_all(data, "csv")
    # Same line ends as the input, and no second pair of columns.
    assert written == 'key,text,_line,_reason\r\n1,hi,2,"speaker, unknown"\r\n'


def test_tsv_rejects_without_quoting_keep_literal_quotes() -> None:
    data = b'1\t"So," he said\tAnn\n2\tok\tBob\n'
    _, written = reject_all(data, "tsv", header=False, quoting=False)
    back = read(written, "tsv", header=False, quoting=False)
    assert back[0].values == {
        "1": "1",
        "2": '"So," he said',
        "3": "Ann",
        "4": "1",
        "5": "speaker, unknown",
    }
    assert len(back) == 2


def test_a_reason_with_a_tab_cannot_break_an_unquoted_tsv() -> None:
    reader = open_rows(io.BytesIO(b"a\tb\n1\t2\n"), "tsv", quoting=False)
    out = io.StringIO(newline="")
    with RejectsWriter(out, reader) as rejects:
        for row in reader:
            rejects.write(row, "bad\tvalue\non two lines")
    back = read(out.getvalue(), "tsv", quoting=False)
    assert back[0].values["_reason"] == "bad value on two lines"


def test_json_lines_rejects_keep_each_object_or_the_invalid_line() -> None:
    data = b'{"text": "a", "n": 1}\n{"text": \n'
    _, written = reject_all(data, "jsonl")
    assert [json.loads(line) for line in written.splitlines()] == [
        {"text": "a", "n": 1, "_line": 1, "_reason": "speaker, unknown"},
        {
            "_line": 2,
            "_reason": "invalid JSON: Expecting value (column 10)",
            "_raw": '{"text": ',
        },
    ]


def test_json_rejects_are_one_array() -> None:
    data = b'[{"text": "a"}, 7]'
    reader, written = reject_all(data, "json")
    assert json.loads(written) == [
        {"text": "a", "_line": 1, "_reason": "speaker, unknown"},
        {"_line": 1, "_reason": "is not a JSON object", "_raw": 7},
    ]
    back = read(written, "json")
    assert back[0].values == {"text": "a", "_line": 1, "_reason": "speaker, unknown"}


def test_closing_twice_and_with_no_rejects_leaves_a_valid_file() -> None:
    reader = open_rows(io.BytesIO(b"[]"), "json")
    out = io.StringIO()
    rejects = RejectsWriter(out, reader)
    rejects.close()
    rejects.close()
    assert json.loads(out.getvalue()) == []
    with pytest.raises(ValueError, match="closed"):
        rejects.write(InputRow(1, {}, {}), "late")

    csv_reader = open_rows(io.BytesIO(b"key,text\n"), "csv")
    csv_out = io.StringIO(newline="")
    RejectsWriter(csv_out, csv_reader).close()
    assert csv_out.getvalue() == "key,text,_line,_reason\n"

"""Rows from a file, each with the line it starts on; rejected rows written
back in the file's own format.

CSV, TSV and JSON Lines are streamed: memory holds one chunk of the file and
one record, whatever the file's size. A ``.json`` file is one document and is
read whole; JSON Lines is the format to use for large JSON inputs.

Problems come in two sizes. A row-level problem (a field count that differs
from the header's, invalid JSON on one line, a NUL byte) is carried on the
:class:`InputRow` and the importer rejects that row. A problem that stops the
file being read past a point (bytes not valid in the encoding, a quoted field
that never ends, a bad header, an empty file) raises :class:`FileError`,
from :func:`open_rows` (which reads the header at once) or while iterating.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO, TextIO

from tracker.errors import ValidationError
from tracker.services.transfer.columns import REJECT_COLUMNS

FORMATS = ("csv", "tsv", "jsonl", "json")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "claimreview",
    ".htm": "claimreview",
    ".jsonld": "claimreview",
}
# The csv module refuses fields over 128 KB by default; a real quote can be
# longer. Whether a long text is acceptable is the importer's decision: this
# limit only stops an unbalanced quote from swallowing a large file whole.
MAX_FIELD = 20 * 1024 * 1024
_CHUNK = 64 * 1024
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
# A one-column header that contains one of these was probably split on the
# wrong delimiter.
_OTHER_DELIMITERS = {
    "\t": ("tabs", "is this a TSV file? use --format tsv"),
    ",": ("commas", "is this a CSV file? use --format csv"),
    ";": ("semicolons", "is the delimiter ';'?"),
}


class FileError(ValidationError):
    """The file cannot be read past ``line`` (None: not at all). ``str()`` is
    ``"line N: problem"``; ``name`` is the file's name as given to open_rows."""

    def __init__(self, message: str, line: int | None, name: str | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line
        self.problem = message
        self.name = name


@dataclass(frozen=True, slots=True)
class InputRow:
    """One record: ``values`` by column name (``"1"``, ``"2"``, ... without a
    header); ``raw`` is what :class:`RejectsWriter` writes back; ``problem``,
    when set, is why the importer must reject the row."""

    line: int
    values: dict[str, object]
    raw: object
    problem: str | None = None


def guess_format(filename: str) -> str | None:
    """The format a file name suggests (``"claimreview"`` for HTML and
    JSON-LD), or None."""
    return _SUFFIXES.get(PurePath(filename).suffix.lower())


class _Lines:
    """A binary stream's text, line by line with line ends kept (as
    ``newline=""`` gives them, which the csv module needs), decoded strictly:
    bytes not valid in the encoding stop the file at the line they are on."""

    def __init__(self, stream: BinaryIO, encoding: str | None) -> None:
        try:
            info = codecs.lookup(encoding or "utf-8-sig")
        except LookupError:
            raise FileError(f"unknown encoding {encoding!r}", None) from None
        if not info._is_text_encoding:
            raise FileError(f"{encoding!r} is not a text encoding", None)
        # UTF-8's BOM is stripped here rather than by the utf-8-sig codec,
        # which would shift the byte offsets its errors report.
        self._utf8 = info.name in ("utf-8", "utf-8-sig")
        self.label = "UTF-8" if self._utf8 else info.name
        self._decoder = codecs.getincrementaldecoder("utf-8" if self._utf8 else info.name)()
        self._read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
        self.bytes_read = 0
        self.has_nul = False  # lets the csv reader skip a per-row check
        self.ending: str | None = None  # the first line's end, for the rejects file

    def _chunks(self) -> Iterator[bytes]:
        head = b""
        while len(head) < 3 and (more := self._read(_CHUNK)):
            head += more
        self.bytes_read = len(head)
        if self._utf8 and head.startswith(codecs.BOM_UTF8):
            head = head[3:]
        if head:  # (an empty chunk means the end)
            yield head
        while chunk := self._read(_CHUNK):
            self.bytes_read += len(chunk)
            yield chunk
        yield b""

    def __iter__(self) -> Iterator[str]:
        emitted = 0
        rest = ""
        parts: list[str] = []  # text read since ``rest`` with no line end in it
        for chunk in self._chunks():
            final = not chunk
            # Bytes the decoder holds from the last chunk (half a character)
            # count in the offset of an error.
            state = self._decoder.getstate()
            pending = state[0] if isinstance(state, tuple) else b""
            try:
                text, bad = self._decoder.decode(chunk, final), None
            except UnicodeDecodeError as error:
                # Hand out the lines before the bad bytes, then stop on the
                # line they are on.
                good = (
                    error.object[len(pending) : error.start] if error.start > len(pending) else b""
                )
                try:
                    text = self._decoder.decode(good)
                except UnicodeDecodeError:
                    text = ""
                offset = self.bytes_read - len(chunk) - len(pending) + error.start
                bad = f"{bytes(error.object[error.start : error.end])!r} at byte {offset}"
            self.has_nul = self.has_nul or "\x00" in text
            if not final and bad is None and "\n" not in text and "\r" not in text:
                parts.append(text)  # a long field: joined once, when its line ends
                continue
            text = rest + "".join(parts) + text
            parts.clear()
            # A "\r" at a chunk's end may be the first half of "\r\n".
            held = "\r" if text.endswith("\r") and not final and bad is None else ""
            lines, rest = _split(text[:-1] if held else text)
            rest += held
            if lines:
                if self.ending is None:
                    self.ending = "\r\n" if lines[0].endswith("\r\n") else lines[0][-1]
                yield from lines
                emitted += len(lines)
            if bad is not None:
                raise FileError(
                    f"bytes not valid {self.label} ({bad}); give --encoding", emitted + 1
                )
            if final:
                if rest:
                    yield rest
                return


def _split(text: str) -> tuple[list[str], str]:
    """Whole lines (ends kept) and the unfinished rest."""
    if "\r" in text:
        lines = _LINE.findall(text)
        return lines, text[sum(map(len, lines)) :]
    parts = text.split("\n")
    rest = parts.pop()
    return [part + "\n" for part in parts], rest


class RowReader:
    """The rows of one file, read once, in order. ``columns`` are the header's
    names (CSV/TSV with a header), else None; ``bytes_read`` is how far into
    the file reading has got, for a progress bar."""

    fmt: str

    def __init__(
        self,
        lines: _Lines,
        name: str,
        *,
        header: bool = False,
        quoting: bool = True,
        delimiter: str | None = None,
    ) -> None:
        self._lines = lines
        self.name = name
        self.header = header
        self.quoting = quoting
        self.delimiter = delimiter
        self.columns: tuple[str, ...] | None = None
        self.raw_columns: list[str] | None = None  # the header as written, for the rejects file
        self._rest: Iterator[InputRow] = iter(())
        self._first: InputRow | None = None

    @property
    def bytes_read(self) -> int:
        return self._lines.bytes_read

    @property
    def lineterminator(self) -> str:
        return self._lines.ending or "\n"

    def _start(self) -> None:
        # Reads the header (and the first row) now, so that columns are known
        # and a file that cannot be read at all fails before any work is done.
        self._rest = self._rows()
        try:
            self._first = next(self._rest, None)
        except FileError as error:
            error.name = error.name or self.name
            raise

    def __iter__(self) -> Iterator[InputRow]:
        first, self._first = self._first, None
        if first is not None:
            yield first
        try:
            yield from self._rest
        except FileError as error:
            error.name = error.name or self.name
            raise

    def _rows(self) -> Iterator[InputRow]:
        raise NotImplementedError


class _DelimitedReader(RowReader):
    def _rows(self) -> Iterator[InputRow]:
        assert self.delimiter is not None
        records = csv.reader(
            self._lines,
            delimiter=self.delimiter,
            quoting=csv.QUOTE_MINIMAL if self.quoting else csv.QUOTE_NONE,
            # strict: a quote that never closes is an error at the end of the
            # file, instead of a last field holding the rest of the file.
            strict=True,
        )
        names: tuple[str, ...] = ()
        width = -1  # the header's field count, or the first row's without one
        while True:
            start = records.line_num + 1
            try:
                fields = next(records)
            except StopIteration:
                break
            except csv.Error as error:
                raise self._quote_error(str(error), start, records.line_num) from None
            if not any(fields):  # a blank line, or only delimiters
                continue
            if width < 0:
                width = len(fields)
                self._check_delimiter(fields, start)
                if self.header:
                    self.raw_columns = fields
                    self.columns = names = _header_names(fields, start)
                    continue
            if not self.header and len(fields) > len(names):
                names = names + tuple(str(n) for n in range(len(names) + 1, len(fields) + 1))
            problem = None
            if self._lines.has_nul and any("\x00" in field for field in fields):
                problem = "contains a NUL byte"
            elif len(fields) != width:
                against = "the header" if self.header else "the first row"
                problem = f"has {len(fields)} fields; {against} has {width}"
            yield InputRow(start, dict(zip(names, fields, strict=False)), fields, problem)
        if width < 0:
            raise FileError("the file is empty", None)

    def _check_delimiter(self, fields: list[str], line: int) -> None:
        if len(fields) != 1:
            return
        for other, (plural, hint) in _OTHER_DELIMITERS.items():
            # Without a header only tabs are telling: a one-column text often
            # contains commas.
            if other != self.delimiter and other in fields[0] and (self.header or other == "\t"):
                what = "the header" if self.header else "the first row"
                raise FileError(f"{what} is one column containing {plural}: {hint}", line)

    def _quote_error(self, message: str, start: int, line: int) -> FileError:
        if "field larger than field limit" in message:
            return FileError(
                f"a field in the row starting here runs past {MAX_FIELD // 2**20} MB:"
                " a quoted field that never ends (unbalanced quotes)?",
                start,
            )
        if "expected after" in message:
            where = "" if line == start else f" on line {line}"
            return FileError(
                f"a quoted field starts here and text follows its closing quote{where}"
                " (unbalanced quotes, or literal quotes: read with quoting off)",
                start,
            )
        if "unexpected end of data" in message:
            return FileError("a quoted field starts here and never ends (unbalanced quotes)", start)
        return FileError(f"cannot read the row starting here: {message}", start)


def _header_names(fields: list[str], line: int) -> tuple[str, ...]:
    # Spaces around a name are never meant, and would make a mapping by name
    # miss it.
    names = tuple(field.strip() for field in fields)
    seen: set[str] = set()
    for number, name in enumerate(names, 1):
        if not name:
            raise FileError(f"column {number} has no name", line)
        if name in seen:
            raise FileError(f"column name {name!r} appears twice", line)
        seen.add(name)
    return names


class _JsonLinesReader(RowReader):
    fmt = "jsonl"

    def _rows(self) -> Iterator[InputRow]:
        seen = False
        for number, line in enumerate(self._lines, 1):
            stripped = line.strip()
            if not stripped:
                continue
            raw = line.rstrip("\r\n")
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as error:
                if not seen and (stripped == "{" or stripped.startswith("[")):
                    # A JSON document spread over lines, not one object per line.
                    raise FileError(
                        f"invalid JSON: {error.msg} (column {error.colno});"
                        " is this one JSON document? use --format json",
                        number,
                    ) from None
                seen = True
                yield InputRow(number, {}, raw, f"invalid JSON: {error.msg} (column {error.colno})")
                continue
            seen = True
            if isinstance(value, dict):
                yield InputRow(number, value, raw)
            else:
                yield InputRow(number, {}, raw, "is not a JSON object")
        if not seen:
            raise FileError("the file is empty", None)


class _JsonReader(RowReader):
    fmt = "json"

    def _rows(self) -> Iterator[InputRow]:
        text = "".join(self._lines)
        if not text.strip():
            raise FileError("the file is empty", None)
        try:
            # Checked whole first, so that no row is handed out from a file
            # that turns out to be broken further down.
            document = json.loads(text)
        except json.JSONDecodeError as error:
            hint = ": one JSON value per line is JSON Lines, use --format jsonl"
            raise FileError(
                f"invalid JSON: {error.msg} (column {error.colno})"
                + (hint if error.msg == "Extra data" else ""),
                error.lineno,
            ) from None
        position = _skip_space(text, 0)
        line = text.count("\n", 0, position) + 1
        if isinstance(document, dict):
            yield InputRow(line, document, document)
            return
        if not isinstance(document, list):
            raise FileError("the file is not a JSON object or a list of objects", line)
        # Decoded again item by item, only to learn the line each starts on;
        # `position` is at the "[" or "," before the next item.
        decoder = json.JSONDecoder()
        for _ in document:
            start = _skip_space(text, position + 1)
            line += text.count("\n", position, start)
            item, end = decoder.raw_decode(text, start)
            position = _skip_space(text, end)
            if isinstance(item, dict):
                yield InputRow(line, item, item)
            else:
                yield InputRow(line, {}, item, "is not a JSON object")
            line += text.count("\n", start, position)


def _skip_space(text: str, position: int) -> int:
    space = _JSON_SPACE.match(text, position)
    return space.end() if space else position


def open_rows(
    stream: BinaryIO,
    fmt: str,
    *,
    encoding: str | None = None,
    header: bool = True,
    quoting: bool = True,
    delimiter: str | None = None,
    name: str = "<stdin>",
) -> RowReader:
    """Start reading ``stream`` as ``fmt`` (csv, tsv, jsonl or json).

    The encoding defaults to UTF-8 with or without a BOM. ``header`` and
    ``delimiter`` apply to CSV/TSV; ``quoting=False`` reads quotes as literal
    characters. The header (and first row) are read at once: a file that
    cannot be read at all raises :class:`FileError` here.
    """
    lines = _Lines(stream, encoding)
    reader: RowReader
    if fmt in ("csv", "tsv"):
        delimiter = delimiter or ("\t" if fmt == "tsv" else ",")
        if len(delimiter) != 1:
            raise FileError(f"the delimiter must be one character, not {delimiter!r}", None)
        csv.field_size_limit(MAX_FIELD)
        reader = _DelimitedReader(lines, name, header=header, quoting=quoting, delimiter=delimiter)
        reader.fmt = fmt
    elif fmt == "jsonl":
        reader = _JsonLinesReader(lines, name)
    elif fmt == "json":
        reader = _JsonReader(lines, name)
    else:
        raise FileError(f"cannot read {fmt!r} as rows; the formats are {', '.join(FORMATS)}", None)
    reader._start()
    return reader


class RejectsWriter:
    """Writes rejected rows in the input's own format, each with its line
    number and reason (``_line``, ``_reason``), so that they can be fixed and
    imported again with the same options. Give CSV/TSV a stream opened with
    ``newline=""``. Call :meth:`close` (or use ``with``) to finish the file."""

    def __init__(self, stream: TextIO, reader: RowReader) -> None:
        self._stream = stream
        self._reader = reader
        self._started = self._closed = False
        self.written = 0
        self._csv = None
        if reader.fmt in ("csv", "tsv"):
            self._csv = csv.writer(
                stream,
                delimiter=reader.delimiter or ",",
                quoting=csv.QUOTE_MINIMAL if reader.quoting else csv.QUOTE_NONE,
                quotechar='"' if reader.quoting else None,
                lineterminator=reader.lineterminator,
            )
        # A rejects file read back: its own _line and _reason are replaced.
        columns = reader.columns or ()
        self._replace = columns[-2:] == REJECT_COLUMNS

    def write(self, row: InputRow, reason: str) -> None:
        if self._closed:
            raise ValueError("the rejects file is closed")
        self._begin()
        if self._csv is not None:
            self._csv.writerow(self._fields(row, reason))
        else:
            if self._reader.fmt == "json" and self.written:
                self._stream.write(",\n")
            tagged = json.dumps(self._tagged(row, reason), ensure_ascii=False)
            self._stream.write(tagged + ("\n" if self._reader.fmt == "jsonl" else ""))
        self.written += 1

    def close(self) -> None:
        """Finish the file (a JSON array is closed); closing again does nothing.
        The stream itself is the caller's to close."""
        if self._closed:
            return
        self._begin()
        if self._reader.fmt == "json":
            self._stream.write("\n]\n" if self.written else "]\n")
        self._stream.flush()
        self._closed = True

    def __enter__(self) -> RejectsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _begin(self) -> None:
        # Written with the first row (or at close), so a failed open writes nothing.
        if self._started:
            return
        self._started = True
        if self._csv is not None and self._reader.raw_columns is not None:
            extra = [] if self._replace else list(REJECT_COLUMNS)
            self._csv.writerow(self._reader.raw_columns + extra)
        elif self._reader.fmt == "json":
            self._stream.write("[\n")

    def _fields(self, row: InputRow, reason: str) -> list[str]:
        fields = list(row.raw) if isinstance(row.raw, list) else []
        if not self._reader.quoting:
            # Without quoting nothing can protect a delimiter or a line end.
            for char in (self._reader.delimiter or ",", "\r", "\n"):
                reason = reason.replace(char, " ")
        tags = [str(row.line), reason]
        columns = self._reader.columns or ()
        if self._replace and len(fields) == len(columns):
            return fields[:-2] + tags
        return fields + tags

    def _tagged(self, row: InputRow, reason: str) -> dict[str, object]:
        value = row.raw
        if self._reader.fmt == "jsonl" and isinstance(value, str):
            with contextlib.suppress(ValueError):  # an invalid line goes out as _raw
                value = json.loads(value)
        tags: dict[str, object] = {"_line": row.line, "_reason": reason}
        if isinstance(value, dict):
            return {**value, **tags}
        return {**tags, "_raw": row.raw}

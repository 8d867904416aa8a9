"""One import from a file: which format, which mapping, which reader, and
where the rejected rows go. The CLI's ``tracker import`` is this function
with options; scripts can call it with a binary stream."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from tracker.db.database import Database
from tracker.errors import ValidationError
from tracker.services.transfer import mapping as maps
from tracker.services.transfer.columns import REJECT_COLUMNS, own_kind
from tracker.services.transfer.importer import Importer, ImportOptions, ImportReport
from tracker.services.transfer.readers import (
    FileError,
    InputRow,
    RejectsWriter,
    RowReader,
    guess_format,
    open_rows,
)

IGNORED = frozenset({*REJECT_COLUMNS, "_raw"})


@dataclass(frozen=True)
class ImportRequest:
    """What ``tracker import`` was asked to do (docs/import.md)."""

    name: str = "<stdin>"  # the file's name, or "-"
    fmt: str | None = None
    encoding: str | None = None
    header: bool | None = None  # None: the mapping's, else a header
    mapping: str | None = None  # a built-in name or a TOML path
    columns: dict[str, str] = field(default_factory=dict)  # --map
    defaults: dict[str, str] = field(default_factory=dict)  # --source-title, --said, ...
    speakers: str | None = None  # None: the mapping's, else "match"
    accept_maybe: bool = False
    update: bool = False
    dry_run: bool = False
    batch_size: int | None = None
    strict: bool = False


def run_import(
    db: Database,
    stream: BinaryIO,
    request: ImportRequest,
    *,
    rejects: TextIO | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import ``stream``. Raises :class:`~tracker.errors.ValidationError`
    (naming the file and line) when the file cannot be imported; then
    nothing was written (or, with a batch size, only whole batches)."""
    name = "<stdin>" if request.name == "-" else request.name
    try:
        return _run(db, stream, request, name, rejects, progress)
    except FileError as exc:
        raise ValidationError(_where(exc, name), exc.field) from None


def _run(
    db: Database,
    stream: BinaryIO,
    request: ImportRequest,
    name: str,
    rejects: TextIO | None,
    progress: Callable[[int, int], None] | None,
) -> ImportReport:
    mapping = maps.load(request.mapping) if request.mapping else maps.Mapping()
    fmt = request.fmt or mapping.format or guess_format(name)
    if fmt is None:
        raise ValidationError(
            f"{name}: cannot tell the format from the name; give --format "
            "csv, tsv, jsonl, json or claimreview",
            "format",
        )
    if fmt == "json" and request.fmt is None and mapping.format is None:
        # A .json file of ClaimReviews (a fact-checker's feed) needs no --format.
        data = stream.read()
        if b"ClaimReview" in data:
            fmt = "claimreview"
        stream = io.BytesIO(data)
    if request.columns:
        mapping = mapping.with_columns(request.columns)
    if request.defaults:
        mapping = mapping.with_values(request.defaults)
    options = ImportOptions(
        speakers=request.speakers or mapping.speakers or "match",
        accept_maybe=request.accept_maybe,
        update=request.update,
        dry_run=request.dry_run,
        batch_size=request.batch_size,
        strict=request.strict,
        file_name=request.name if request.name != "-" else name,
        format=fmt,
    )
    if fmt == "claimreview":
        rows, write_reject = _claimreviews(stream, request, name, rejects)
    else:
        header = request.header if request.header is not None else mapping.header
        reader = open_rows(
            stream,
            fmt,
            encoding=request.encoding,
            header=True if header is None else header,
            quoting=True if mapping.quoting is None else mapping.quoting,
            name=name,
        )
        rows = iter(reader)
        first = next(rows, None)
        if first is None and reader.columns is not None:
            raise ValidationError(f"{name}: the file has a header but no rows", "file")
        mapping = _fit(mapping, reader, first, name)
        rows = itertools.chain([first] if first is not None else [], rows)
        writer = RejectsWriter(rejects, reader) if rejects is not None else None
        write_reject = writer.write if writer is not None else None
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, reader.bytes_read if fmt != "claimreview" else 0)

    importer = Importer(db, mapping, options, on_reject=write_reject, on_progress=advance)
    try:
        report = importer.run(rows)
    finally:
        if fmt != "claimreview" and rejects is not None and writer is not None:
            writer.close()
    return report


def _fit(
    mapping: maps.Mapping, reader: RowReader, first: InputRow | None, name: str
) -> maps.Mapping:
    """Check the mapping against the file; with no mapping, a header that
    is a tracker export (or names fields) is its own mapping."""
    if mapping.columns:
        width = len(first.values) if first is not None and reader.columns is None else None
        try:
            mapping.check_columns(reader.columns, width)
        except ValidationError as exc:
            raise ValidationError(f"{name}: {exc.message}", exc.field) from None
        return mapping
    if reader.columns is not None:
        kind = own_kind(reader.columns)
        if kind is not None:
            return own_mapping(kind, mapping)
        unknown = [c for c in reader.columns if c not in maps.KNOWN_FIELDS and c not in IGNORED]
        if unknown:
            raise ValidationError(
                f"{name}: column {unknown[0]!r} is not a field and no mapping says what it is; "
                "give --map FIELD=COLUMN for each column you want, or --mapping",
                "mapping",
            )
        return mapping
    if first is not None and own_kind(tuple(first.values)) is not None:  # JSON Lines
        kind = own_kind(tuple(first.values))
        assert kind is not None
        return own_mapping(kind, mapping)
    if reader.fmt in ("csv", "tsv"):
        raise ValidationError(
            f"{name}: a file without a header needs a mapping: --map text=1 --map speaker=2 ...",
            "mapping",
        )
    return mapping


def own_mapping(kind: str, mapping: maps.Mapping) -> maps.Mapping:
    """How tracker reads its own export of ``kind``: names as stored (a
    speaker is the one with exactly that name and kind, else new)."""
    return maps.Mapping(
        name=f"tracker-{kind}s",
        record=mapping.record or kind,
        values=mapping.values,
        speaker_names="exact",
        speakers="create",
    )


def _claimreviews(
    stream: BinaryIO, request: ImportRequest, name: str, rejects: TextIO | None
) -> tuple[Iterator[InputRow], Callable[[InputRow, str], None] | None]:
    from tracker.services.transfer.claimreview import read_claimreviews

    data = stream.read()
    encoding = request.encoding or "utf-8-sig"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        raise ValidationError(
            f"{name}: line {line}: not valid {encoding} text; give --encoding", "encoding"
        ) from None
    found = list(read_claimreviews(text, name))
    rows = iter(
        [
            InputRow(
                line=r.line,
                values={"record": "claim", **r.fields},
                raw=r.raw,
                problem=r.problem,
            )
            for r in found
        ]
    )
    if rejects is None:
        return rows, None
    out = rejects

    def write(row: InputRow, reason: str) -> None:
        raw = row.raw if isinstance(row.raw, dict) else {}
        out.write(json.dumps({**raw, "_line": row.line, "_reason": reason}, ensure_ascii=False))
        out.write("\n")

    return rows, write


def _where(exc: FileError, name: str) -> str:
    message = exc.message
    return message if message.startswith(name) else f"{name}: {message}"

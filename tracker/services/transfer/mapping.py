"""Mappings: which column of a file is which field, and what a row becomes.

A mapping is a TOML file (``--mapping FILE``), a built-in one shipped in
``mappings/`` (``--mapping liar``), inline pairs (``--map text=statement``)
or, for tracker's own exports, the header itself. docs/import.md describes
the format; :func:`parse` is the one place that reads it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from tracker.errors import ValidationError
from tracker.services.transfer.columns import OWN_COLUMNS, RECORDS, ROW_FIELDS

# Speaker slugs and names with one of these words are organisations, not
# people (LIAR's chain-email, facebook-posts, democratic-party...).
ORGANISATION_WORDS = frozenset(
    [
        "email",
        "emails",
        "chain",
        "post",
        "posts",
        "facebook",
        "twitter",
        "tweets",
        "instagram",
        "tiktok",
        "youtube",
        "blog",
        "blogs",
        "website",
        "web",
        "image",
        "images",
        "meme",
        "viral",
        "party",
        "committee",
        "pac",
        "association",
        "campaign",
        "group",
        "groups",
        "news",
        "network",
        "institute",
        "foundation",
        "council",
        "union",
        "coalition",
        "department",
        "administration",
        "center",
        "centre",
        "league",
        "club",
        "organization",
        "organisation",
        "inc",
        "llc",
        "corp",
        "company",
        "times",
        "tribune",
        "magazine",
        "journal",
        "radio",
        "tv",
        "television",
        "agency",
        "bureau",
        "office",
        "society",
        "alliance",
        "fund",
        "caucus",
        "coalition",
        "federation",
        "chamber",
        "project",
        "action",
        "americans",
        "voters",
        "republicans",
        "democrats",
    ]
)

EXTRA_FIELDS = frozenset({"record", "rating_value", "best_rating", "worst_rating", "status"})
KNOWN_FIELDS = (
    frozenset(ROW_FIELDS) | EXTRA_FIELDS | {c for columns in OWN_COLUMNS.values() for c in columns}
)


@dataclass(frozen=True)
class Mapping:
    """How the rows of one file become records."""

    name: str | None = None
    description: str = ""
    record: str | None = None  # None: a tracker export (from its header), or "quote"
    columns: dict[str, str] = field(default_factory=dict)  # field -> column name or number
    values: dict[str, str] = field(default_factory=dict)  # field -> the same value for every row
    format: str | None = None
    header: bool | None = None
    quoting: bool | None = None
    key_prefix: str = ""
    speaker_names: str = "as-is"  # "slug": barack-obama; "exact": names as stored, no matching
    list_separator: str | None = None  # None: lists are JSON arrays (tracker's exports)
    empty: frozenset[str] = frozenset()  # values that mean "nothing" (folded)
    ratings: dict[str, str] = field(default_factory=dict)  # label as written -> label on the scale
    speakers: str | None = None  # the --speakers mode this data calls for

    def with_columns(self, pairs: MappingABC[str, str]) -> Mapping:
        return replace(self, columns={**self.columns, **pairs})

    def with_values(self, pairs: MappingABC[str, str]) -> Mapping:
        return replace(self, values={**self.values, **pairs})

    def fields_of(self, values: MappingABC[str, object]) -> dict[str, object]:
        """A row's fields: mapped columns (or, with no columns mapped, the
        row's own names), then constants for fields the row leaves empty."""
        if self.columns:
            row: dict[str, object] = {}
            for name, column in self.columns.items():
                row[name] = values.get(column)
        else:
            row = dict(values)
        for name, constant in self.values.items():
            if _blank(row.get(name)):
                row[name] = constant
        if self.empty:
            for name, value in list(row.items()):
                if isinstance(value, str) and value.strip().casefold() in self.empty:
                    row[name] = None
        return row

    def check_columns(self, header: tuple[str, ...] | None, width: int | None) -> None:
        """Refuse a mapping naming a column the file does not have."""
        for name, column in self.columns.items():
            if column.isdigit():
                number = int(column)
                if width is not None and not 1 <= number <= width:
                    raise ValidationError(
                        f"the mapping puts {name} in column {number}, "
                        f"but the file's rows have {width} columns",
                        name,
                    )
            elif header is not None and column not in header:
                raise ValidationError(
                    f"the mapping puts {name} in column {column!r}, which the file does not have "
                    f"(its columns: {', '.join(header)})",
                    name,
                )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def builtin_names() -> list[str]:
    folder = resources.files("tracker.services.transfer") / "mappings"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def builtin(name: str) -> Mapping:
    folder = resources.files("tracker.services.transfer") / "mappings"
    if name not in builtin_names():
        raise ValidationError(
            f"there is no built-in mapping {name!r}; built in: {', '.join(builtin_names())}",
            "mapping",
        )
    return parse((folder / f"{name}.toml").read_text(encoding="utf-8"), name)


def load(spec: str) -> Mapping:
    """A mapping by built-in name or TOML file path."""
    path = Path(spec)
    if path.suffix == ".toml" or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationError(
                f"cannot read the mapping {spec}: {exc.strerror}", "mapping"
            ) from None
        return parse(text, spec)
    return builtin(spec)


def parse(text: str, name: str) -> Mapping:
    """A mapping from TOML text, every key checked (a typo is an error, not ignored)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"mapping {name}: {exc}", "mapping") from None
    where = f"mapping {name}"
    _only(data, {"description", "record", "file", "columns", "values", "rules", "ratings"}, where)
    record = data.get("record")
    if record is not None and record not in RECORDS:
        raise ValidationError(f"{where}: record must be one of {', '.join(RECORDS)}", "mapping")
    file = _table(data, "file", where)
    _only(file, {"format", "header", "quoting"}, f"{where} [file]")
    rules = _table(data, "rules", where)
    _only(
        rules,
        {"key_prefix", "speaker_names", "list_separator", "empty", "speakers"},
        f"{where} [rules]",
    )
    if rules.get("speaker_names", "as-is") not in ("as-is", "slug", "exact"):
        raise ValidationError(f"{where}: speaker_names is 'as-is', 'slug' or 'exact'", "mapping")
    if rules.get("speakers", "match") not in ("match", "create", "strict"):
        raise ValidationError(f"{where}: speakers is 'match', 'create' or 'strict'", "mapping")
    columns = {
        k: _column(v, f"{where} [columns] {k}") for k, v in _table(data, "columns", where).items()
    }
    values = {k: str(v) for k, v in _table(data, "values", where).items()}
    for key in (*columns, *values):
        check_field(key, where)
    return Mapping(
        name=Path(name).stem if name.endswith(".toml") else name,
        description=str(data.get("description", "")),
        record=record,
        columns=columns,
        values=values,
        format=file.get("format"),
        header=file.get("header"),
        quoting=file.get("quoting"),
        key_prefix=str(rules.get("key_prefix", "")),
        speaker_names=str(rules.get("speaker_names", "as-is")),
        list_separator=rules.get("list_separator"),
        empty=frozenset(str(v).casefold() for v in rules.get("empty", [])),
        ratings={_fold(k): str(v) for k, v in _table(data, "ratings", where).items()},
        speakers=rules.get("speakers"),
    )


def inline(pairs: list[str], what: str = "--map") -> dict[str, str]:
    """``FIELD=COLUMN`` pairs (``--map``) or ``FIELD=VALUE`` (defaults)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError(
                f"{what} {pair!r}: write FIELD=COLUMN, e.g. text=statement", "mapping"
            )
        check_field(name.strip(), what)
        out[name.strip()] = value.strip()
    return out


def check_field(name: str, where: str) -> None:
    if name not in KNOWN_FIELDS:
        raise ValidationError(
            f"{where}: there is no field {name!r}; fields: {', '.join(ROW_FIELDS)}", "mapping"
        )


def slug_name(slug: str) -> str:
    """``barack-obama`` -> ``Barack Obama``; ``mike-pence`` -> ``Mike Pence``."""
    words = [w for w in re.split(r"[-_\s]+", slug.strip()) if w]
    return " ".join(w if any(c.isupper() for c in w) else w.capitalize() for w in words)


def looks_like_organisation(name: str) -> bool:
    return any(w in ORGANISATION_WORDS for w in re.split(r"[-_\s]+", name.casefold()))


def split_list(value: object, separator: str | None) -> list[object]:
    """A list field's items: JSON arrays as they are, else split text."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    text = str(value).strip()
    if not text:
        return []
    if separator is None:
        import json

        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError as exc:
                raise ValidationError(f"not a JSON list: {exc}") from None
            if isinstance(parsed, list):
                return parsed
        separator = ";"
    return [part.strip() for part in text.split(separator) if part.strip()]


def _fold(label: str) -> str:
    return " ".join(label.casefold().replace("_", " ").split())


def rating_label(mapping: Mapping, label: str) -> str:
    return mapping.ratings.get(_fold(label), label)


def _only(data: MappingABC[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(
            f"{where}: unknown key {unknown[0]!r}; expected one of {', '.join(sorted(allowed))}",
            "mapping",
        )


def _table(data: MappingABC[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ValidationError(f"{where}: [{key}] must be a table", "mapping")
    return value


def _column(value: object, where: str) -> str:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, str))
        or (isinstance(value, int) and value < 1)
    ):
        raise ValidationError(f"{where}: a column is a name or a number from 1", "mapping")
    return str(value)

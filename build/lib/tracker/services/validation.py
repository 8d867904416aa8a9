"""Input checks shared by every service. Each raises
:class:`~tracker.errors.ValidationError` naming the field and the problem."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlparse

from tracker.dates import DateError, PartialDate, parse_date, parse_partial_date
from tracker.errors import ConflictError, ValidationError

MAX_TEXT = (
    100_000  # quotes, claims, notes, rationales, source text: documented in docs/data-model.md
)
MAX_NAME = 500
MAX_SOURCE_TEXT = 5_000_000  # a full article or transcript
MAX_TAG = 100


def clean_text(
    value: str | None,
    field: str,
    *,
    required: bool = True,
    max_len: int = MAX_TEXT,
    single_line: bool = False,
) -> str | None:
    """Normalise line ends, refuse control characters and over-long text.

    Tab and newline are allowed (not in single-line fields); every other
    control character is refused, since it would corrupt terminal output."""
    if value is None:
        if required:
            raise ValidationError(f"{field} is required", field)
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    for index, char in enumerate(text):
        if char in "\t\n" and not single_line:
            continue
        if unicodedata.category(char) == "Cc":
            raise ValidationError(
                f"{field} contains a control character (U+{ord(char):04X}) at position {index + 1}; "
                "only tab and newline are allowed"
                if not single_line
                else f"{field} must be a single line without control characters "
                f"(found U+{ord(char):04X} at position {index + 1})",
                field,
            )
    stripped = text.strip()
    if not stripped:
        if required:
            raise ValidationError(f"{field} must not be empty", field)
        return None
    if len(stripped) > max_len:
        raise ValidationError(
            f"{field} is {len(stripped):,} characters long; the limit is {max_len:,}", field
        )
    return stripped


def clean_name(value: str | None, field: str, *, required: bool = True) -> str | None:
    return clean_text(value, field, required=required, max_len=MAX_NAME, single_line=True)


def clean_choice(
    value: str | None, field: str, choices: Iterable[str], default: str | None = None
) -> str:
    options = tuple(choices)
    if value is None or not value.strip():
        if default is None:
            raise ValidationError(
                f"{field} is required; choose one of: {', '.join(options)}", field
            )
        return default
    folded = value.strip().lower().replace("-", "_").replace(" ", "_")
    synonyms = {
        "organization": "organisation",
        "org": "organisation",
        "reported": "indirect",
        "statement": "fact",
        "statement_of_fact": "fact",
        "position": "opinion",
        "social": "social_post",
        "press": "press_release",
    }
    folded = synonyms.get(folded, folded)
    if folded not in options:
        raise ValidationError(f"{field} {value!r} is not one of: {', '.join(options)}", field)
    return folded


def clean_partial_date(value: str | None, field: str) -> PartialDate | None:
    if value is None or not str(value).strip():
        return None
    try:
        return parse_partial_date(str(value))
    except DateError as exc:
        raise ValidationError(f"{field}: {exc}", field) from None


def clean_date(value: str | dt.date | None, field: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except DateError as exc:
        raise ValidationError(f"{field}: {exc}", field) from None


def clean_url(value: str | None, field: str) -> str | None:
    url = clean_text(value, field, required=False, max_len=2000, single_line=True)
    if url is None:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationError(f"{field} {url!r} is not an http(s) URL", field)
    return url


def clean_tags(values: Iterable[str] | None) -> list[str]:
    tags: list[str] = []
    for value in values or ():
        tag = clean_text(value, "tag", max_len=MAX_TAG, single_line=True)
        assert tag is not None
        tag = tag.lower()
        if tag not in tags:
            tags.append(tag)
    return tags


def clean_id(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value))
        except ValueError:
            raise ValidationError(f"{field} must be a number, not {value!r}", field) from None
    if value <= 0:
        raise ValidationError(f"{field} must be a positive number", field)
    return value


def check_version(actual: int, expected: int | None, kind: str, record_id: int) -> None:
    """Refuse an edit made on a stale copy (optimistic concurrency)."""
    if expected is not None and actual != expected:
        raise ConflictError(
            f"{kind} {record_id} was changed by someone else (version {actual}, you had {expected}); "
            "reload it and apply your edit again"
        )

"""Input checks shared by every service. Each raises
:class:`~tracker.errors.ValidationError` naming the field and the problem."""

from __future__ import annotations

import datetime as dt
import re
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


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")


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
    # Control characters are category Cc: U+0000-U+001F and U+007F-U+009F. A
    # regex finds the first (most text has none) far faster than a loop.
    found = (_CONTROL_LINE if single_line else _CONTROL).search(text)
    if found is not None:
        index, char = found.start(), found.group()
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


def clean_short(value: object, field: str) -> str | None:
    """A short optional label (a party, a region): one line, at most 100 characters."""
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{field} must be text", field)
    return clean_text(value, field, required=False, max_len=100, single_line=True)


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


MAX_ID = 2**31 - 1  # the largest INTEGER a column holds on both backends (PostgreSQL: 32 bits)
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def parse_whole_number(value: object, low: int, what: str) -> int:
    """``value`` (an int, or digits as text, such as ``" 12 "``) as a number
    from ``low`` to :data:`MAX_ID`; a ValueError whose message says what
    ``what`` (``id``, ``offset``, ...) must be otherwise."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        number = int(value.strip())
    if number is None or not low <= number <= MAX_ID:
        text = str(value).strip() if number is not None else repr(value)
        if len(text) > 40:
            text = f"{text[:30]}... ({len(text)} characters)"
        raise ValueError(
            f"{text} is not a valid {what} ({what}s are whole numbers from {low} to {MAX_ID})"
        )
    return number


def parse_id(value: object) -> int:
    """A record id: a whole number from 1 to :data:`MAX_ID` (an int, or its
    digits as text); ValueError with a message saying so otherwise."""
    return parse_whole_number(value, 1, "id")


def parse_offset(value: object) -> int:
    """A character offset: a whole number from 0 to :data:`MAX_ID`."""
    return parse_whole_number(value, 0, "offset")


def clean_id(value: object, field: str) -> int:
    """``value`` as a record id; ValidationError naming ``field`` otherwise."""
    try:
        return parse_id(value)
    except ValueError as exc:
        raise ValidationError(f"{field}: {exc}", field) from None


def check_version(actual: int, expected: int | None, kind: str, record_id: int) -> None:
    """Refuse an edit made on a stale copy (optimistic concurrency)."""
    if expected is not None and actual != expected:
        raise ConflictError(
            f"{kind} {record_id} was changed by someone else (version {actual}, you had {expected}); "
            "reload it and apply your edit again"
        )

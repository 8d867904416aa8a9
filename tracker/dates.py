"""Dates people give with less precision than a day.

A :class:`PartialDate` keeps the precision it was given with: "2021",
"2021-03" and "2021-03-17" are stored as those ISO prefixes, never padded
to an invented day. Because an ISO prefix sorts before every day inside it,
the stored strings can be compared in SQL (see ``overlaps`` in services).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["year", "month", "day"]

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$", re.ASCII)
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+([0-9]{4})$", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"^([0-9]{1,2})\s+([a-z]+)\.?,?\s+([0-9]{4})$", re.ASCII)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+([0-9]{1,2}),?\s+([0-9]{4})$", re.ASCII)


class DateError(ValueError):
    """Raised for text that is not a date we understand."""


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def iso(self) -> str:
        """The ISO prefix form: ``2021``, ``2021-03`` or ``2021-03-17``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day is not None:
            return dt.date(self.year, self.month or 1, self.day)
        if self.month is not None:
            if self.month == 12:
                return dt.date(self.year, 12, 31)
            return dt.date(self.year, self.month + 1, 1) - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        return self.iso()


def _build(year: int, month: int | None, day: int | None, text: str) -> PartialDate:
    try:
        if month is not None:
            dt.date(year, month, day or 1)
    except ValueError:
        raise DateError(f"{text!r} is not a real date") from None
    if not 1000 <= year <= 9999:
        raise DateError(f"{text!r}: the year must have four digits")
    return PartialDate(year, month, day)


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``2021``, ``2021-03``, ``2021-03-17``, ``March 2021``,
    ``17 March 2021`` or ``March 17, 2021``; raise :class:`DateError` otherwise."""
    raw = text.strip()
    low = raw.lower()
    if m := _ISO.match(low):
        year, month, day = m.groups()
        return _build(int(year), int(month) if month else None, int(day) if day else None, raw)
    if m := _MONTH_YEAR.match(low):
        month_name, year = m.groups()
        if month_name in _MONTHS:
            return _build(int(year), _MONTHS[month_name], None, raw)
    if m := _DAY_MONTH_YEAR.match(low):
        day, month_name, year = m.groups()
        if month_name in _MONTHS:
            return _build(int(year), _MONTHS[month_name], int(day), raw)
    if m := _MONTH_DAY_YEAR.match(low):
        month_name, day, year = m.groups()
        if month_name in _MONTHS:
            return _build(int(year), _MONTHS[month_name], int(day), raw)
    raise DateError(
        f"{raw!r} is not a date: use YYYY, YYYY-MM, YYYY-MM-DD, 'March 2021' or '17 March 2021'"
    )


def parse_date(text: str) -> dt.date:
    """Parse a full date (a day is required)."""
    partial = parse_partial_date(text)
    if partial.precision != "day":
        raise DateError(f"{text.strip()!r} needs a day: use YYYY-MM-DD")
    return partial.first_day()


def parse_datetime(text: str) -> dt.datetime:
    """Parse an ISO 8601 time such as ``2021-04-15T12:00Z`` or
    ``2021-04-15T14:00+02:00``; without a zone it is UTC. The result keeps the
    zone it was given in, and is sure to convert to UTC: a time near the ends
    of the calendar that would not (``0001-01-01T00:00+05:00``) is a
    :class:`DateError`, like text that is not a time."""
    raw = text.strip()
    try:
        when = dt.datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise DateError(f"{raw!r} is not an ISO time such as 2021-04-15T12:00Z") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    try:
        when.astimezone(dt.UTC)
    except OverflowError:
        raise DateError(
            f"{raw!r} is outside the calendar (years 1 to 9999) once converted to UTC"
        ) from None
    return when

"""Partial dates: parsed with the precision they were given, and refused
with a message when they are not dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import DateError, PartialDate, parse_date, parse_datetime, parse_partial_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021", PartialDate(2021)),
        ("2021-03", PartialDate(2021, 3)),
        ("2021-3", PartialDate(2021, 3)),
        ("2021-03-17", PartialDate(2021, 3, 17)),
        (" 2021-03-17 ", PartialDate(2021, 3, 17)),
        ("March 2021", PartialDate(2021, 3)),
        ("mar. 2021", PartialDate(2021, 3)),
        ("Sept 2021", PartialDate(2021, 9)),
        ("17 March 2021", PartialDate(2021, 3, 17)),
        ("March 17, 2021", PartialDate(2021, 3, 17)),
        ("Feb 29, 2020", PartialDate(2020, 2, 29)),
    ],
)
def test_parse_keeps_the_precision_given(text: str, expected: PartialDate) -> None:
    assert parse_partial_date(text) == expected


def test_precision_and_span() -> None:
    assert PartialDate(2021).precision == "year"
    assert PartialDate(2021, 2).precision == "month"
    assert PartialDate(2021, 2, 3).precision == "day"
    assert (PartialDate(2021).first_day(), PartialDate(2021).last_day()) == (
        dt.date(2021, 1, 1),
        dt.date(2021, 12, 31),
    )
    assert PartialDate(2020, 2).last_day() == dt.date(2020, 2, 29)
    assert PartialDate(2021, 12).last_day() == dt.date(2021, 12, 31)
    assert str(PartialDate(2021, 3)) == "2021-03"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2021-02-30", "not a real date"),
        ("2021-13", "not a real date"),
        ("2021-00", "not a real date"),
        ("31 April 2021", "not a real date"),
        ("0999", "four digits"),
        ("March 2021x", "is not a date"),
        ("13/45/2021", "is not a date"),
        ("Smarch 2021", "is not a date"),
        ("", "is not a date"),
        ("yesterday", "YYYY-MM-DD"),
        ("21", "is not a date"),
    ],
)
def test_invalid_dates_are_refused_with_a_reason(text: str, words: str) -> None:
    with pytest.raises(DateError, match=words):
        parse_partial_date(text)


def test_parse_date_needs_a_day() -> None:
    assert parse_date("2021-05-01") == dt.date(2021, 5, 1)
    with pytest.raises(DateError, match="needs a day"):
        parse_date("2021-05")


partial_dates = st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)).flatmap(
    lambda d: st.sampled_from(
        [PartialDate(d.year), PartialDate(d.year, d.month), PartialDate(d.year, d.month, d.day)]
    )
)


@given(partial_dates)
def test_iso_round_trips(date: PartialDate) -> None:
    assert parse_partial_date(date.iso()) == date
    assert parse_partial_date(date.iso()).precision == date.precision


@given(partial_dates.filter(lambda d: (d.year, d.month) != (9999, 12)))
def test_first_day_is_not_after_last_day(date: PartialDate) -> None:
    assert date.first_day() <= date.last_day()
    assert date.first_day().isoformat().startswith(date.iso())
    assert date.last_day().isoformat().startswith(date.iso())


def test_last_day_of_the_last_month() -> None:
    assert parse_partial_date("9999-12").last_day() == dt.date(9999, 12, 31)


@given(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
def test_written_forms_agree(day: dt.date) -> None:
    month = day.strftime("%B")
    expected = PartialDate(day.year, day.month, day.day)
    assert parse_partial_date(f"{day.day} {month} {day.year:04d}") == expected
    assert parse_partial_date(f"{month} {day.day}, {day.year:04d}") == expected
    assert parse_partial_date(f"{month} {day.year:04d}") == PartialDate(day.year, day.month)


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_date_error(text: str) -> None:
    try:
        date = parse_partial_date(text)
    except DateError as exc:
        assert str(exc)
    else:
        assert 1000 <= date.year <= 9999
        assert date.first_day() >= dt.date(1000, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04-15T12:00Z", dt.datetime(2021, 4, 15, 12, tzinfo=dt.UTC)),
        ("2021-04-15T12:00z", dt.datetime(2021, 4, 15, 12, tzinfo=dt.UTC)),
        (" 2021-04-15 12:00 ", dt.datetime(2021, 4, 15, 12, tzinfo=dt.UTC)),
        ("2021-04-15", dt.datetime(2021, 4, 15, tzinfo=dt.UTC)),
        (
            "2021-04-15T14:00+02:00",
            dt.datetime(2021, 4, 15, 14, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        (
            "0001-01-01T05:00+05:00",
            dt.datetime(1, 1, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        ),
        ("9999-12-31T23:59:59Z", dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
    ],
)
def test_parse_datetime_keeps_the_zone_given(text: str, expected: dt.datetime) -> None:
    when = parse_datetime(text)
    assert when == expected
    assert when.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("0001-01-01T00:00:00+05:00", "outside the calendar"),
        ("9999-12-31T23:59:59-05:00", "outside the calendar"),
        ("0001-01-01T04:59+05:00", "outside the calendar"),
        ("2021-02-30T00:00Z", "not an ISO time"),
        ("0000-01-01T00:00Z", "not an ISO time"),
        ("10000-01-01T00:00Z", "not an ISO time"),
        ("2021-04-15T25:00Z", "not an ISO time"),
        ("yesterday", "not an ISO time"),
        ("", "not an ISO time"),
        ("Z", "not an ISO time"),
    ],
)
def test_times_that_cannot_be_represented_are_refused(text: str, words: str) -> None:
    with pytest.raises(DateError, match=words):
        parse_datetime(text)


@given(
    st.datetimes(
        dt.datetime(1, 1, 1),
        dt.datetime(9999, 12, 31, 23, 59, 59),
        timezones=st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
            lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
        ),
    )
)
def test_any_iso_time_parses_to_one_that_converts_to_utc_or_raises_date_error(
    when: dt.datetime,
) -> None:
    try:
        parsed = parse_datetime(when.isoformat())
    except DateError as exc:
        assert "outside the calendar" in str(exc)
    else:
        assert parsed.astimezone(dt.UTC) == when

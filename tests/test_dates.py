"""EDTF dates: what readers see, how dates sort, and which dates cannot exist."""

from __future__ import annotations

import pytest

from generator.schema.dates import DateValue, parse_date


def parsed(text: str) -> DateValue:
    value, problem = parse_date(text)
    assert value is not None, problem
    return value


@pytest.mark.parametrize(
    ("text", "display"),
    [
        ("1992-05-15", "15 May 1992"),
        ("1992-05", "May 1992"),
        ("1992", "1992"),
        ("0800", "800"),
        ("2003~", "c. 2003"),
        ("2010?", "2010?"),
        ("2004-06-11%", "c. 11 June 2004?"),
        ("2004-06~", "c. June 2004"),
        ("1996/1999", "1996–1999"),
        ("1992-05-15/1992-06", "15 May 1992–June 1992"),
        ("2012-06/..", "from June 2012"),
        ("../2012", "until 2012"),
        ("1992/", "from 1992"),  # end unknown
        ("1984?/2004~", "1984?–c. 2004"),
        ("199X", "1990s"),
        ("19XX", "1900s"),
        ("1992-21", "spring 1992"),
        ("1992-24", "winter 1992"),
        ("1992-05-15T10:00:00", "15 May 1992"),
        (" 1992 ", "1992"),
    ],
)
def test_display(text: str, display: str) -> None:
    assert parsed(text).display == display
    assert str(parsed(text)) == display


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("1992-05-15", (1992, 5, 15), (1992, 5, 15)),
        ("1992-02", (1992, 2, 1), (1992, 2, 29)),
        ("1993-02", (1993, 2, 1), (1993, 2, 28)),
        ("1992", (1992, 1, 1), (1992, 12, 31)),
        ("1996/1999", (1996, 1, 1), (1999, 12, 31)),
        ("2012-06/..", (2012, 6, 1), (9999, 12, 31)),
        ("../2012", (1, 1, 1), (2012, 12, 31)),
    ],
)
def test_bounds(text: str, lower: tuple, upper: tuple) -> None:
    value = parsed(text)
    assert (value.lower, value.upper) == (lower, upper)


def test_open_interval_and_year() -> None:
    assert parsed("2012-06/..").is_open
    assert not parsed("2012").is_open
    assert parsed("1996/1999").year == 1996


def test_dates_sort_by_their_earliest_meaning() -> None:
    texts = ["2003~", "1992-05-15", "1992", "1996/1999", "1992-05", "2012-06/.."]
    assert [d.text for d in sorted(parsed(t) for t in texts)] == [
        "1992", "1992-05", "1992-05-15", "1996/1999", "2003~", "2012-06/.."]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1992-02-30", "February 1992 has 29 days"),
        ("1900-02-29", "February 1900 has 28 days"),
        ("2023-04-31", "April 2023 has 30 days"),
        ("1992-05-00", "there is no day 00"),
        ("1992-13", "there is no month 13"),
        ("1992-00-10", "there is no month 00"),
        ("1992-02-30/1993", "February 1992 has 29 days"),
        ("1990/1992-02-30", "February 1992 has 29 days"),
        ("1999/1996", "the interval ends before it starts"),
        ("1985-04-12/1985-04-11", "the interval ends before it starts"),
        ("15 May 1992", ""),
        ("1992-5-15", ""),
        ("92", ""),
        ("", ""),
        ("2003 circa", ""),
    ],
)
def test_invalid(text: str, problem: str) -> None:
    assert parse_date(text) == (None, problem)


@pytest.mark.parametrize("text", ["2000-02-29", "1600-02-29", "2024-02-29"])
def test_leap_days(text: str) -> None:
    assert parsed(text).lower[1:] == (2, 29)


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("2003", (2003, 1, 1), (2003, 12, 31)),
    ("2003-05", (2003, 5, 1), (2003, 5, 31)),
    ("2003~", (2002, 1, 1), (2004, 12, 31)),
    ("2003?", (2002, 1, 1), (2004, 12, 31)),
    ("1996~/1999", (1995, 1, 1), (1999, 12, 31)),
    ("199X", (1990, 1, 1), (1999, 12, 31)),
])
def test_earliest_and_latest_allow_for_uncertainty(text: str, earliest: tuple, latest: tuple) -> None:
    value, _ = parse_date(text)
    assert value is not None
    assert (value.earliest, value.latest) == (earliest, latest)
    assert value.earliest <= value.lower and value.upper <= value.latest

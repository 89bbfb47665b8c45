"""EDTF dates: parsed and validated by the ``edtf`` library, displayed for people.

Contributors write Extended Date/Time Format (Library of Congress) level 1 values;
:func:`parse_date` validates them with :func:`edtf.parse_edtf` and wraps the result
in a :class:`DateValue` that knows its display form ("15 May 1992", "c. 2003",
"1996–1999") and its sortable bounds.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
import time
from dataclasses import dataclass
from functools import total_ordering


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_OPEN = (9999, 12, 31)
_BEGINNING = (1, 1, 1)


def _bound(value: object, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if isinstance(value, time.struct_time):
        return (value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, float) and math.isinf(value):
        return default
    return default


@total_ordering
@dataclass(frozen=True)
class DateValue:
    """A validated EDTF date.

    Attributes:
        text: the EDTF string as written.
        lower: earliest (year, month, day) the value can mean.
        upper: latest (year, month, day) the value can mean; (9999, 12, 31) when open.
        display: the form shown to readers.
    """

    text: str
    lower: tuple[int, int, int]
    upper: tuple[int, int, int]
    display: str

    @property
    def year(self) -> int:
        """The first year the date can mean."""
        return self.lower[0]

    @property
    def is_open(self) -> bool:
        return self.upper == _OPEN

    @property
    def earliest(self) -> tuple[int, int, int]:
        """Earliest (year, month, day) the value can mean, allowing for ``~`` (circa) and ``?`` (uncertain)."""
        return min(self.lower, _fuzzy_bounds(self.text)[0]) if _QUALIFIER.search(self.text) else self.lower

    @property
    def latest(self) -> tuple[int, int, int]:
        """Latest (year, month, day) the value can mean, allowing for ``~`` (circa) and ``?`` (uncertain)."""
        return max(self.upper, _fuzzy_bounds(self.text)[1]) if _QUALIFIER.search(self.text) else self.upper

    def __lt__(self, other: "DateValue") -> bool:
        return (self.lower, self.upper, self.text) < (other.lower, other.upper, other.text)

    def __str__(self) -> str:
        return self.display


_QUALIFIER = re.compile(r"[~?%]")


@functools.lru_cache(maxsize=None)
def _fuzzy_bounds(text: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The widest bounds of a qualified date, as the ``edtf`` library pads them (``2003~``: 2002 to 2004)."""
    from edtf import parse_edtf

    try:
        parsed = parse_edtf(text)
        return _bound(parsed.lower_fuzzy(), _BEGINNING), _bound(parsed.upper_fuzzy(), _OPEN)
    except Exception:  # the library raises several exception types; then the date is taken as written
        value, _ = parse_date(text)
        return (value.lower, value.upper) if value else (_BEGINNING, _OPEN)


_CALENDAR_DATE = re.compile(r"(?<![\dX])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\dX])")


def _calendar_problem(text: str) -> str | None:
    """Why a written year-month(-day) cannot exist ("February 1900 has 28 days"), if it cannot.

    The ``edtf`` library reports impossible days only as a syntax error, and accepts
    29 February in years that are not leap years; this names the actual mistake.
    """
    for match in _CALENDAR_DATE.finditer(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 or (match.group(3) is None and month in _SEASONS)):
            return f"there is no month {match.group(2)}"
        if match.group(3) is not None:
            days = calendar.monthrange(year, month)[1]
            if int(match.group(3)) == 0:
                return "there is no day 00"
            if int(match.group(3)) > days:
                return f"{_MONTHS[month - 1]} {year} has {days} days"
    return None


_PLAIN_DATE = re.compile(r"([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-([0-9]{2}))?)?")
"""Year, year-month or calendar date: nearly every date written, and EDTF level 0."""


@functools.lru_cache(maxsize=None)
def parse_date(text: str) -> tuple[DateValue | None, str]:
    """Parse an EDTF string. Returns ``(value, "")`` or ``(None, problem)``.

    ``problem`` says what is wrong ("February 1992 has 29 days", "the interval ends
    before it starts"), or is ``""`` when the text is simply not in an EDTF form.
    """
    text = text.strip()
    impossible = _calendar_problem(text)
    if impossible:
        return None, impossible
    plain = _PLAIN_DATE.fullmatch(text)
    if plain:
        # The EDTF grammar (pyparsing) costs milliseconds a date; plain dates need none of it.
        year, month, day = int(plain.group(1)), plain.group(2), plain.group(3)
        if month is None:
            lower, upper = (year, 1, 1), (year, 12, 31)
        elif day is None:
            lower, upper = (year, int(month), 1), (year, int(month), calendar.monthrange(year, int(month))[1])
        else:
            lower = upper = (year, int(month), int(day))
        return DateValue(text, lower, upper, display_date(None, text)), ""
    from edtf import parse_edtf  # imported here: most builds meet only plain dates (see above)

    try:
        parsed = parse_edtf(text)
    except Exception:  # the library raises several exception types for bad input
        return None, ""
    try:
        lower = _bound(parsed.lower_strict(), _BEGINNING)
        upper = _bound(parsed.upper_strict(), _OPEN)
    except Exception:
        lower, upper = _interval_bounds(parsed)
    if lower > upper:
        return None, "the interval ends before it starts"
    return DateValue(text, lower, upper, display_date(parsed, text)), ""


def _interval_bounds(parsed: object) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    lower_part = getattr(parsed, "lower", None)
    upper_part = getattr(parsed, "upper", None)
    lower = _BEGINNING
    upper = _OPEN
    try:
        lower = _bound(lower_part.lower_strict(), _BEGINNING)  # type: ignore[union-attr]
    except Exception:
        pass
    try:
        upper = _bound(upper_part.upper_strict(), _OPEN)  # type: ignore[union-attr]
    except Exception:
        pass
    return lower, upper


def _plain(text: str) -> str:
    """Display a single EDTF date without qualifiers: 1992-05-15 -> 15 May 1992."""
    parts = text.split("-")
    if text.startswith("-") or not parts[0].isdigit() and "X" not in parts[0]:
        return text
    year = parts[0]
    if "X" in year:
        stem = year.rstrip("X")
        return f"{stem}{'0' * (4 - len(stem))}s" if len(stem) >= 2 else text
    if len(parts) == 1:
        return str(int(year))
    month = parts[1]
    if month.isdigit() and int(month) in _SEASONS:
        return f"{_SEASONS[int(month)]} {int(year)}"
    if not month.isdigit():
        return str(int(year))
    month_name = _MONTHS[int(month) - 1]
    if len(parts) == 2 or not parts[2].isdigit():
        return f"{month_name} {int(year)}"
    return f"{int(parts[2])} {month_name} {int(year)}"


def display_date(parsed: object, text: str) -> str:
    """The reader-facing form of a parsed EDTF value."""
    if "/" in text:
        start, end = text.split("/", 1)
        if start in ("", ".."):
            return f"until {display_date(None, end)}"
        if end in ("", ".."):
            return f"from {display_date(None, start)}"
        return f"{display_date(None, start)}–{display_date(None, end)}"
    core = text.split("T", 1)[0].rstrip("?~%")  # a time of day is not shown
    qualifier = text[len(core):]
    shown = _plain(core)
    if qualifier == "~":
        return f"c. {shown}"
    if qualifier == "?":
        return f"{shown}?"
    if qualifier == "%":
        return f"c. {shown}?"
    return shown

"""Hints that point at the right thing: "did you mean", for each kind of name.

A plain string-similarity guess sends people to the wrong thing: a missing ``eas``
"looks like" ``ces`` (another organisation) and ``est`` (Estonia); ``vinokurov2021``
"looks like" ``vinokurov2017``, a different work. So each kind of name gets its own
rule:

* entry ids (:func:`close_id`): a stricter similarity, among entries of the right
  type only, and none for ids of three letters or fewer, where any two differ by
  "one letter";
* citation keys (:func:`citation_hint`): a key is an author and a year, and a key
  with another year is another work; say so and point at adding the work;
* dates (:func:`date_hint`): ``12.01.2006`` or ``15 May 1992`` get their EDTF form;
* enumerations (:func:`enum_hint`): the closest allowed value, however far.

Renames are recognised where the published URLs are known (see
:func:`rename_candidates`).
"""

from __future__ import annotations

import calendar
import difflib
import re
from typing import Iterable

ID_CUTOFF = 0.8
"""Smallest :class:`difflib.SequenceMatcher` ratio for suggesting another id."""


def close_id(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate id that ``word`` is very likely a typo of, or ``None``."""
    if len(word) <= 3:
        # Any two short ids are "one letter apart" ('eas', 'ces', 'est'); only a dropped letter is a likely typo.
        dropped = [c for c in sorted(set(candidates)) if len(c) == len(word) + 1 and _is_subsequence(word, c)]
        return dropped[0] if len(dropped) == 1 else None
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=2, cutoff=ID_CUTOFF)
    if not matches:
        return None
    if len(matches) == 2 and _ratio(word, matches[0]) == _ratio(word, matches[1]):
        return None  # two equally likely readings: no guess
    return matches[0]


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


_KEY = re.compile(r"^(?P<name>.*?)(?P<year>\d{4})(?P<suffix>[a-z]?)$", re.IGNORECASE)


def citation_hint(key: str, keys: Iterable[str]) -> str:
    """A hint for a citation key that is not in the bibliography."""
    keys = sorted(set(keys))
    add = f"add the work to a .bib file in bibliography/ with the key '{key}'"
    match = _KEY.match(key)
    if not match:
        guess = close_id(key, keys)
        return f"did you mean '{guess}'? If not, {add}" if guess else add
    name, year = match.group("name").lower(), match.group("year")
    same_name = [k for k in keys if (m := _KEY.match(k)) and m.group("name").lower() == name]
    same_year = [k for k in same_name if _KEY.match(k).group("year") == year]  # type: ignore[union-attr]
    if same_year:
        guess = difflib.get_close_matches(key, same_year, n=1, cutoff=0)[0]
        return f"did you mean '{guess}'? If not, {add}"
    if same_name:
        if len(same_name) == 1:
            others, which = f"'{same_name[0]}' is from another year, so another work", "that one"
        else:
            others, which = (", ".join(f"'{k}'" for k in same_name[:4]) + " are from other years, so other works",
                             "one of those")
        return (f"bibliography/ has no {year} work by '{name}' ({others}): add the {year} work to a .bib file in "
                f"bibliography/ with the key '{key}', or correct the year if you meant {which}")
    # A misspelt name with the right year: "vinokurv2017".
    guess = close_id(key, [k for k in keys if (m := _KEY.match(k)) and m.group("year") == year])
    return f"did you mean '{guess}'? If not, {add}" if guess else add


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def _edtf(year: int, month: int, day: int | None = None) -> str:
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def date_hint(text: str) -> str | None:
    """The EDTF form of a date written another common way, as a hint; ``None`` if there is none."""
    value = text.strip()
    # 12.01.2006 (day.month.year, as written in most of Europe and in Russian texts)
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(year, month, day):
            return f"write {_edtf(year, month, day)} (year-month-day: {day} {calendar.month_name[month]} {year})"
    # 12/01/2006: day/month or month/day; offer each reading that is a real date
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        readings = []
        for day, month in ((a, b), (b, a)):
            form = _edtf(year, month, day)
            if _valid(year, month, day) and form not in [r[0] for r in readings]:
                readings.append((form, f"{day} {calendar.month_name[month]} {year}"))
        if readings:
            return "write " + " or ".join(f"{form} ({words})" for form, words in readings) + " (year-month-day)"
    # 2006.01.12 or 2006/01/12
    m = re.fullmatch(r"(\d{4})[./](\d{1,2})[./](\d{1,2})", value)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(year, month, day):
            return f"write {_edtf(year, month, day)} (with hyphens)"
    # 15 May 1992, 15th May 1992, May 15, 1992, May 1992
    words = value.replace(",", " ").split()
    numbers = [w.rstrip(".").lower().removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
               for w in words]
    months = [_MONTHS.get(w.rstrip(".").lower()) for w in words]
    if len(words) in (2, 3) and sum(1 for x in months if x) == 1:
        month = next(x for x in months if x)
        rest = [n for n, x in zip(numbers, months) if not x]
        if all(n.isdigit() for n in rest):
            years = [int(n) for n in rest if len(n) == 4]
            days = [int(n) for n in rest if len(n) <= 2]
            if len(years) == 1 and len(days) == len(rest) - 1 and _valid(years[0], month, days[0] if days else None):
                return f"write {_edtf(years[0], month, days[0] if days else None)} " \
                       f"({'year-month-day' if days else 'year-month'})"
    return None


def _normal(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def enum_hint(value: str, allowed: Iterable[str]) -> str | None:
    """"did you mean 'x'?" for the allowed value closest to ``value``; ``None`` if none is at all close."""
    allowed = list(allowed)
    normal = _normal(value)
    for candidate in allowed:
        if _normal(candidate) == normal:
            return f"did you mean '{candidate}'?"
    containing = [c for c in allowed if normal and (normal in c or c in normal)]
    if len(containing) == 1:
        return f"did you mean '{containing[0]}'?"
    if containing:
        return "did you mean " + " or ".join(f"'{c}'" for c in containing[:4]) + "?"
    matches = difflib.get_close_matches(normal, allowed, n=1, cutoff=0.5)
    return f"did you mean '{matches[0]}'?" if matches else None


def rename_candidates(old_id: str, type_prefix: str, manifest_urls: Iterable[str] | None,
                      current_ids: Iterable[str]) -> list[str] | None:
    """If ``old_id`` was published under ``/type_prefix/`` and is gone, the ids of that type new in this change.

    ``None`` when the id was never published (nothing suggests a rename). An empty
    list: it was published, but no new entry of its type could be its new name.
    """
    if manifest_urls is None:
        return None
    urls = set(manifest_urls)
    if f"/{type_prefix}/{old_id}/" not in urls:
        return None
    return sorted(i for i in set(current_ids) if f"/{type_prefix}/{i}/" not in urls)


__all__ = ["ID_CUTOFF", "citation_hint", "close_id", "date_hint", "enum_hint", "rename_candidates"]

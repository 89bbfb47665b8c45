"""The site's transliteration of Russian (BGN/PCGN 1947) and the check of ``translit`` fields.

:func:`bgn_pcgn` romanizes Cyrillic text by the BGN/PCGN system for Russian, as the
content format documents it: ``е`` and ``ё`` are ``ye`` and ``yë`` at the start of a
word and after a vowel, ``й``, ``ъ`` or ``ь`` (``e`` and ``ë`` elsewhere); ``й`` and
``ы`` are ``y``; ``ь`` is ``'`` and ``ъ`` is ``"``; the optional middle dot is not used.
A capital becomes its romanization with only the first letter capital (``Ш`` is ``Sh``),
in abbreviations too (``ШОС`` is ``ShOS``). Anything that is not Cyrillic is kept.

:func:`check_transliterations` compares every Russian name's ``translit`` with what
the system gives and warns (``translit.system``) where they differ.
"""

from __future__ import annotations

from typing import Iterable

from generator.diagnostics import Diagnostics, Location

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": '"', "ы": "y", "ь": "'", "э": "e", "ю": "yu", "я": "ya",
}
_IOTATED = {"е": "ye", "ё": "yë"}
_AFTER = set("аеёиоуыэюяйъь")
"""Letters after which ``е`` and ``ё`` are written ``ye`` and ``yë``."""

SYSTEM = "BGN/PCGN"
NAME_FIELDS = ("names", "abbreviations", "other_names")
RUSSIAN = ("ru", "ru-Cyrl")


def bgn_pcgn(text: str) -> str:
    """``text`` romanized by the BGN/PCGN system for Russian (non-Cyrillic characters kept)."""
    out: list[str] = []
    previous = ""
    for char in text:
        lower = char.lower()
        if lower not in _LETTERS:
            out.append(char)
            previous = ""
            continue
        if lower in _IOTATED and (previous == "" or previous in _AFTER):
            latin = _IOTATED[lower]
        else:
            latin = _LETTERS[lower]
        out.append(latin[:1].upper() + latin[1:] if char != lower else latin)
        previous = lower
    return "".join(out)


def check_transliterations(entries: Iterable, texts: dict[str, bytes], diagnostics: Diagnostics) -> None:
    """Warn on each Russian name whose ``translit`` is not what :func:`bgn_pcgn` gives.

    ``texts`` holds each entry file's bytes by its displayed path; they only serve to
    point the warning at the ``translit`` line.
    """
    for entry in entries:
        wrong = [(name["translit"], bgn_pcgn(name["text"]))
                 for field in NAME_FIELDS for name in entry.get(field) or ()
                 if name.get("lang") in RUSSIAN and name.get("translit")
                 and name["translit"] != bgn_pcgn(name["text"])]
        if not wrong:
            continue
        lines = _translit_lines(texts.get(entry.path, b""))
        for written, expected in wrong:
            diagnostics.warning(
                "translit.system", f"transliteration '{written}' does not follow {SYSTEM}",
                _locate(entry.path, lines, written),
                f"the site transliterates Russian by {SYSTEM} (docs/contributing/content-format.md); "
                f"a text's own spelling goes in a `ru-Latn` name with sources. {SYSTEM} gives: {expected}",
            )


def _translit_lines(data: bytes) -> list[tuple[int, int, str]]:
    """``(line, column, text)`` of every line that has a ``translit`` key."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        column = line.find("translit:")
        if column >= 0:
            found.append((number, column + 1, line))
    return found


def _locate(path: str, lines: list[tuple[int, int, str]], written: str) -> Location:
    """The ``translit`` line whose value is ``written`` (else one that contains it, else the first)."""
    double_quoted = '"' + written.replace('"', '\\"') + '"'
    single_quoted = "'" + written.replace("'", "''") + "'"
    spellings = (written, double_quoted, single_quoted)
    for number, column, line in lines:
        value = line[column - 1 + len("translit:"):].strip().rstrip("}").rstrip(",").strip()
        if value in spellings:
            return Location(path, number, column)
    for number, column, line in lines:
        if any(spelling in line for spelling in spellings):
            return Location(path, number, column)
    if lines:
        return Location(path, lines[0][0], lines[0][1])
    return Location(path, 1, 1)

"""YAML syntax errors in plain words.

PyYAML describes a syntax error in terms of its own parser ("mapping values are not
allowed here", "expected <block end>, but found '<block mapping start>'"). A
contributor who is not a programmer cannot act on that. :func:`explain` looks at
the error's positions *and at the lines of the file around them* and says what is
wrong, on which line, and how to fix it:

* text that contains ``: `` (or starts with ``@``, `````, ``*``, ``&``, ``[``, ``{``,
  ``|``, ``>``, ``- ``, or a quote it does not end with) and is not in quotes;
* a line indented differently from the lines it belongs with;
* a tab where YAML needs spaces;
* a quote, ``[`` or ``{`` that is never closed;
* a list item under a field that already has a value;
* a field name with no ``: `` after it, or text continued on an unindented line;
* a backslash in double quotes that is not a valid escape.

Anything else falls back to PyYAML's own words, with the line to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_KEY = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[^\s:#'\"\[\]{},][^:#]*?):(?: +|$)")
"""A block line ``  - key: value``: its indentation, list dashes, and field name."""


@dataclass(frozen=True)
class Explanation:
    """A syntax error as a contributor should read it: 1-based position, message and hint."""

    line: int
    column: int
    message: str
    hint: str | None


def quoted(text: str) -> str:
    """``text`` as a YAML quoted scalar a contributor can paste: double quotes unless it holds one."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _content_lines_before(lines: list[str], index: int) -> list[int]:
    """Indexes of the non-blank, non-comment lines before ``index``, nearest first."""
    return [i for i in range(index - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_column(line: str) -> int:
    """0-based column where a line's field name (or, failing that, its text) starts, after any ``- ``."""
    stripped = line.lstrip(" ")
    column = len(line) - len(stripped)
    while stripped.startswith("- "):
        rest = stripped[1:].lstrip(" ")
        column += len(stripped) - len(rest)
        stripped = rest
    return column


def _split_field(line: str) -> tuple[str, str, int] | None:
    """``(field, value, value_column)`` of a ``field: value`` line, or ``None``."""
    match = _KEY.match(line)
    if not match:
        return None
    return match.group("key").strip(), line[match.end():].rstrip(), match.end()


def _block_indicator(value: str) -> bool:
    return bool(re.fullmatch(r"[|>][+-]?\d?[+-]?( +#.*)?", value))


def _rewrite(line: str, value: str) -> str:
    """The line with its value put in quotes, as a suggested fix."""
    parts = _split_field(line)
    if parts is None:
        return quoted(value.strip())
    return f"{parts[0]}: {quoted(value.strip())}"


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explanation:
    """Translate a PyYAML syntax error in ``text`` into a message and a hint in plain words."""
    lines = _lines(text)
    mark = exc.problem_mark or exc.context_mark
    line_index, column = (mark.line, mark.column) if mark else (0, 0)
    line_index = min(line_index, len(lines) - 1)
    problem = exc.problem or ""
    context = exc.context or ""
    cmark = exc.context_mark
    for rule in (_tab, _bad_start, _unclosed_quote, _bad_escape, _colon_in_text, _no_colon,
                 _flow, _after_value, _unexpected_line, _document_end):
        found = rule(lines, line_index, column, problem, context, cmark)
        if found is not None:
            return found
    return _fallback(lines, line_index, column, problem, context, cmark)


def _at(line_index: int, column: int, message: str, hint: str | None) -> Explanation:
    return Explanation(line_index + 1, column + 1, message, hint)


def _tab(lines, i, col, problem, context, cmark):
    if "'\\t'" not in problem:
        return None
    line = lines[i]
    if not line[:col].strip(" \t"):
        return _at(i, col, f"line {i + 1} is indented with a tab",
                   "YAML indentation must use spaces: replace the tab with spaces, lined up with the lines above")
    return _at(i, col, f"line {i + 1} has a tab where YAML needs a space", "replace the tab with a space")


_START_CHARS = {"@": "'@'", "`": "'`'", "*": "'*'", "&": "'&'", "|": "'|'", ">": "'>'", "%": "'%'"}


def _bad_start(lines, i, col, problem, context, cmark):
    """Text starting with a character that YAML reserves: ``@`` ````` ``*`` ``&`` ``|`` ``>`` ``- ``."""
    start: tuple[int, int] | None = None
    if "that cannot start any token" in problem:
        start = (i, col)
    elif context in ("while scanning an alias", "while scanning an anchor", "while scanning a block scalar") and cmark:
        start = (cmark.line, cmark.column)
    elif problem == "sequence entries are not allowed here":
        start = (i, col)
    elif problem.startswith("expected the node content, but found '"):
        parts = _split_field(lines[i])
        item = re.match(r"^ *(?:- +)+", lines[i])
        # Only the first character of a field's value or of a list item.
        if not ((parts is not None and parts[2] == col) or (item is not None and item.end() == col)):
            return None
        start = (i, col)
    if start is None:
        return None
    li, c = start
    line = lines[li]
    char = line[c:c + 1]
    if char in "-?:":
        char_text = f"'{char} '"
    else:
        char_text = _START_CHARS.get(char, f"'{char}'")
    value = line[c:]
    return _at(li, c, f"text that starts with {char_text} must be in quotes",
               f"write {_rewrite(line, value)}")


def _unclosed_quote(lines, i, col, problem, context, cmark):
    if context != "while scanning a quoted scalar" or cmark is None:
        return None
    quote = lines[cmark.line][cmark.column:cmark.column + 1] or '"'
    return _at(cmark.line, cmark.column,
               f"the quote ({quote}) opened on line {cmark.line + 1} is never closed",
               f"end the text with {quote}, or remove the opening {quote}")


def _bad_escape(lines, i, col, problem, context, cmark):
    if context != "while scanning a double-quoted scalar":
        return None
    return _at(i, col - 1 if col else col, f"in text in double quotes, '\\' starts an escape code; "
               f"'{lines[i][max(col - 1, 0):col + 1]}' on line {i + 1} is not a valid one",
               "write '\\\\' for a backslash, or put the text in single quotes instead")


def _colon_in_text(lines, i, col, problem, context, cmark):
    """``mapping values are not allowed here``: a second ``: `` on a line, or a line swallowed into text."""
    if problem != "mapping values are not allowed here":
        return None
    line = lines[i]
    parts = _split_field(line)
    if parts is not None and col >= parts[2]:
        return _at(i, col, "text that contains ': ' must be in quotes", f"write {_rewrite(line, parts[1])}")
    # The colon is the line's first: the line was read as the continuation of text above it.
    before = _content_lines_before(lines, i)
    if not before:
        return None
    p = before[0]
    prev = _split_field(lines[p])
    if _is_list_under_value(lines, i, p):
        return _list_under_value(lines, i, p, prev)
    key_col = _key_column(lines[i])
    return _misaligned(lines, i, key_col, p)


def _is_list_under_value(lines: list[str], i: int, p: int) -> bool:
    """Line ``i`` is a ``- `` item placed under line ``p``, a field that already has a value."""
    prev = _split_field(lines[p])
    return (lines[i].lstrip(" ").startswith("- ") and prev is not None and bool(prev[1])
            and not _block_indicator(prev[1]) and _indent(lines[i]) >= _key_column(lines[p]))


def _list_under_value(lines: list[str], i: int, p: int, prev: tuple[str, str, int]) -> Explanation:
    field, value, _ = prev
    return _at(i, _indent(lines[i]), f"line {i + 1} is a list item, but '{field}' on line {p + 1} "
               f"already has a value ({value!r})",
               f"to give '{field}' a list, leave '{field}:' alone on line {p + 1} and put the items under it; "
               f"otherwise remove the '- '")


def _misaligned(lines: list[str], i: int, col: int, p: int) -> Explanation:
    """Line ``i`` (its field starting at 0-based ``col``) does not line up with the lines above."""
    line = lines[i]
    stripped = line.lstrip(" ")
    if stripped.startswith("- "):
        items = [j for j in _content_lines_before(lines, i) if lines[j].lstrip(" ").startswith("- ")]
        if items:
            j = items[0]
            return _at(i, _indent(line), f"line {i + 1} is indented differently from line {j + 1}",
                       f"the '- ' on line {i + 1} is in column {_indent(line) + 1}; items of one list "
                       f"start in the same column (column {_indent(lines[j]) + 1}, as on line {j + 1})")
    name = (_split_field(line) or (stripped.split(":")[0].strip(), "", 0))[0]
    # The columns a field could start in: the field columns of the enclosing lines above.
    choices: list[tuple[int, int]] = []
    limit = None
    for j in _content_lines_before(lines, i):
        parent = _split_field(lines[j])
        if parent is None:
            continue
        c = _key_column(lines[j])
        if limit is None or c < limit:
            choices.append((c, j))
            limit = c
        if c == 0:
            break
    # Text under a block scalar ("body: |") must keep its first line's indentation.
    for j in _content_lines_before(lines, i):
        parent = _split_field(lines[j])
        if parent is not None and _block_indicator(parent[1]) and _key_column(lines[j]) < col:
            first = j + 1
            while first < i and not lines[first].strip():
                first += 1
            if first < i:
                return _at(i, _indent(line), f"line {i + 1} is indented differently from line {first + 1}",
                           f"every line of the text under '{parent[0]}: {parent[1]}' (line {j + 1}) must start "
                           f"at least in column {_indent(lines[first]) + 1}, like line {first + 1}")
        if parent is not None:
            break
    p_col = _key_column(lines[p])
    fits = [f"column {c + 1} like '{_split_field(lines[j])[0]}' on line {j + 1}" for c, j in choices if c != col]
    hint = f"'{name}' starts in column {col + 1}; "
    if col > p_col and _split_field(lines[p]) is not None and _split_field(lines[p])[1]:
        hint += f"'{_split_field(lines[p])[0]}' on line {p + 1} already has a value, so nothing can be indented under it; "
    if fits:
        hint += "start it in " + " or ".join(fits)
    else:
        hint += "line it up with the field it belongs with"
    return _at(i, col, f"line {i + 1} is indented differently from line {p + 1}", hint)


def _no_colon(lines, i, col, problem, context, cmark):
    if problem != "could not find expected ':'" or cmark is None:
        return None
    k = cmark.line
    line = lines[k]
    match = re.match(r"^( *(?:- +)*)([^\s:]+):(\S.*)$", line)
    if match:
        return _at(k, len(match.group(1)) + len(match.group(2)), f"line {k + 1} needs a space after ':'",
                   f"write {match.group(2)}: {match.group(3)}")
    outdented = _outdented_block_text(lines, k)
    if outdented is not None:
        return outdented
    before = _content_lines_before(lines, k)
    previous = f"the text of line {before[0] + 1}" if before else "the line above"
    return _at(k, _indent(line), f"line {k + 1} is not 'field: value', a list item '- ...', "
               f"or the indented continuation of the line above",
               f"if line {k + 1} continues {previous}, indent it further than the field name above "
               f"(or join the lines); if it is a field, write ': ' after its name")


def _flow(lines, i, col, problem, context, cmark):
    """Errors inside ``[...]`` and ``{...}``."""
    if context not in ("while parsing a flow sequence", "while parsing a flow mapping") or cmark is None:
        return None
    opener = "[" if context.endswith("sequence") else "{"
    closer = "]" if opener == "[" else "}"
    at = f"line {cmark.line + 1}, column {cmark.column + 1}"
    got = problem.rsplit("but got ", 1)[-1].strip("'")
    if got == "<stream end>" or i > cmark.line:
        return _at(cmark.line, cmark.column, f"the '{opener}' on {at} is never closed",
                   f"add '{closer}' where the {'list' if opener == '[' else 'group'} ends")
    if got in ("]", "}") and got != closer:
        return _at(i, col, f"the '{opener}' on {at} is closed with '{got}'",
                   f"close it with '{closer}' first")
    if got == ":":
        return _at(i, col, f"inside '{opener}...{closer}' on line {i + 1}, text that contains ':' must be in quotes",
                   "put that text in quotes")
    return _at(i, col, f"the '{opener}...{closer}' on line {cmark.line + 1} cannot be read at column {col + 1}",
               "separate items with ', ' and put in quotes any item that contains ',', ':', a quote or a bracket")


def _after_value(lines, i, col, problem, context, cmark):
    """``expected <block end>, but found '<scalar>'`` in mid-line: a value went on after its end."""
    if not problem.startswith("expected <block end>, but found"):
        return None
    line = lines[i]
    if col <= _indent(line):
        return None
    outdented = _outdented_block_text(lines, i)
    if outdented is not None:
        return outdented
    parts = _split_field(line)
    if parts is not None and parts[1][:1] in ("[", "{") and col > parts[2]:
        return _at(i, parts[2], f"text that starts with '{parts[1][0]}' must be in quotes",
                   f"write {parts[0]}: {quoted(parts[1])}")
    closer = line[:col].rstrip()[-1:]
    if closer in ("]", "}"):
        return _at(i, col, f"line {i + 1} goes on after the '{closer}' that ends the "
                   f"{'list' if closer == ']' else 'group'} at column {len(line[:col].rstrip())}",
                   f"remove what follows the '{closer}', or put the whole text in quotes")
    parts = _split_field(line)
    if parts is None:
        return None
    field, value, value_col = parts
    if col <= value_col:
        return None
    first = value[:1]
    if first in ("'", '"'):
        closes = line.find(first, value_col + 1)
        if closes == -1 or closes >= col:  # the quote that ends here was opened on an earlier line
            return _quote_closed_late(lines, i, col)
        inner = value[1:-1] if len(value) > 1 and value.endswith(first) else value
        if first == '"':
            fix = "'" + inner.replace("'", "''") + "'"
            how = "put the whole text in single quotes, or write \\\" for each \" inside it"
        else:
            fix = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
            how = "put the whole text in double quotes, or write '' for each ' inside it"
        return _at(i, closes, f"the quoted text on line {i + 1} ends at column {closes + 1}, "
                   f"before the end of the line",
                   f"text that starts with {first} must end with it; {how}: {field}: {fix}")
    return _quote_closed_late(lines, i, col)


def _outdented_block_text(lines: list[str], i: int) -> Explanation | None:
    """Line ``i`` belongs to the text under ``field: |`` above it but starts left of that text."""
    before = _content_lines_before(lines, i)
    for j in before:
        parts = _split_field(lines[j])
        if parts is not None and _block_indicator(parts[1]):
            text_lines = [k for k in range(j + 1, i) if lines[k].strip()]
            if not text_lines:
                return None
            first = text_lines[0]
            if _indent(lines[i]) >= _indent(lines[first]):
                return None
            return _at(i, _indent(lines[i]), f"line {i + 1} is indented differently from line {first + 1}",
                       f"every line of the text under '{parts[0]}: {parts[1]}' (line {j + 1}) must start at least "
                       f"in column {_indent(lines[first]) + 1}, like line {first + 1}")
        if _indent(lines[j]) <= _indent(lines[i]) or parts is not None:
            return None  # a line at or left of line i that is not block text: no block scalar encloses i
    return None


def _quote_closed_late(lines: list[str], i: int, col: int) -> Explanation | None:
    """A quote opened on an earlier line, never closed there, swallowed the lines up to line ``i``."""
    for j in _content_lines_before(lines, i):
        parts = _split_field(lines[j])
        if parts is None:
            continue
        value = parts[1]
        if value[:1] in ("'", '"') and (len(value) < 2 or not value.endswith(value[0])):
            quote = value[0]
            return _at(j, parts[2], f"the quote ({quote}) opened on line {j + 1} is not closed on that line",
                       f"end the text on line {j + 1} with {quote}; as it is, the text runs on to line {i + 1}")
        return None
    return None


def _document_end(lines, i, col, problem, context, cmark):
    """``---`` or ``...`` inside the entry."""
    if not problem.startswith("expected '<document start>'"):
        return None
    for j in _content_lines_before(lines, i):
        if lines[j].rstrip() in ("...", "---"):
            return _at(j, 0, f"line {j + 1} ('{lines[j].rstrip()}') ends the entry, but more follows on line {i + 1}",
                       f"remove line {j + 1}; keep one entry per file")
        break
    return None


def _unexpected_line(lines, i, col, problem, context, cmark):
    """``expected <block end>, but found ...`` at the start of a line: indentation."""
    if not problem.startswith("expected <block end>, but found"):
        return None
    line = lines[i]
    if col > _indent(line):
        return None
    before = _content_lines_before(lines, i)
    if not before:
        return None
    p = before[0]
    stripped_prev = lines[p].lstrip(" ")
    if re.match(r"-[^\s-]", stripped_prev):
        return _at(p, _indent(lines[p]) + 1, f"line {p + 1} needs a space after '-'",
                   f"write - {stripped_prev[1:]}")
    prev = _split_field(lines[p])
    if _is_list_under_value(lines, i, p):
        return _list_under_value(lines, i, p, prev)
    return _misaligned(lines, i, _key_column(line), p)


def _fallback(lines, i, col, problem, context, cmark):
    words = (problem or context or "invalid YAML").replace("<block end>", "the end of a block")
    return _at(i, col, f"YAML cannot read line {i + 1}: {words}",
               f"check the quotes, colons and indentation of line {i + 1} and the line before it; "
               f"put text that contains ': ' or starts with a quote or bracket in quotes")

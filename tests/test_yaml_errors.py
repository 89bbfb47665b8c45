"""YAML syntax errors in plain words (:mod:`generator.load.yaml_errors`).

The scenario folders ``tests/cases/yaml-*`` pin the exact messages of the usual
mistakes in a whole project; these tests cover the translation on its own: more
variants of each mistake, and that no input falls through to PyYAML's wording when
it is one a contributor plausibly makes.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.load.yamlload import load_yaml


def syntax_error(text: str) -> tuple[int, int, str, str | None]:
    diagnostics = Diagnostics()
    assert load_yaml(text.encode("utf-8"), "x.yaml", diagnostics) is None
    [item] = diagnostics.items
    assert item.code == "yaml.syntax"
    return item.location.line, item.location.column, item.message, item.hint


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [
        ("id: x\nsummary: Vinokurov: a regional view\n", 2, 19, "text that contains ': ' must be in quotes",
         'write summary: "Vinokurov: a regional view"'),
        ('id: x\nsources:\n  - key: a\n    locator: p. 3: a "note"\n', 4, 18,
         "text that contains ': ' must be in quotes", "write locator: 'p. 3: a \"note\"'"),
        ("id: x\nname: X\n summary: Y\n", 3, 2, "line 3 is indented differently from line 2",
         "'summary' starts in column 2; 'name' on line 2 already has a value, so nothing can be indented "
         "under it; start it in column 1 like 'name' on line 2"),
        ("id: x\nsources:\n  - key: a\n     locator: '1'\n", 4, 6, "line 4 is indented differently from line 3",
         "'locator' starts in column 6; 'key' on line 3 already has a value, so nothing can be indented under "
         "it; start it in column 5 like 'key' on line 3 or column 1 like 'sources' on line 2"),
        ("id: x\nsources:\n- key: a\n  locator: b\n - key: c\n", 5, 2, "line 5 is indented differently from line 3",
         "the '- ' on line 5 is in column 2; items of one list start in the same column (column 1, as on line 3)"),
        ("id: x\nsummary: 'abc\nname: y\n", 2, 10, "the quote (') opened on line 2 is never closed",
         "end the text with ', or remove the opening '"),
        ('id: x\nsummary: "abc\nname: "y"\n', 2, 10, 'the quote (") opened on line 2 is not closed on that line',
         'end the text on line 2 with "; as it is, the text runs on to line 3'),
        ("id: x\nsummary: 'It's here'\n", 2, 13,
         "the quoted text on line 2 ends at column 13, before the end of the line",
         "text that starts with ' must end with it; put the whole text in double quotes, or write '' for "
         "each ' inside it: summary: \"It's here\""),
        ('id: x\nsources: [{key: a, locator: "1"]\n', 2, 32, "the '{' on line 2, column 11 is closed with ']'",
         "close it with '}' first"),
        ("id: x\nsources: [{key: a, locator: 1: 2}]\n", 2, 30,
         "inside '{...}' on line 2, text that contains ':' must be in quotes", "put that text in quotes"),
        ("id: x\nsources: [a, b\n", 2, 10, "the '[' on line 2, column 10 is never closed",
         "add ']' where the list ends"),
        ("id: x\nsummary: text\n- item\n", 3, 1,
         "line 3 is a list item, but 'summary' on line 2 already has a value ('text')",
         "to give 'summary' a list, leave 'summary:' alone on line 2 and put the items under it; "
         "otherwise remove the '- '"),
        ("id: x\nsummary: `code` here\n", 2, 10, "text that starts with '`' must be in quotes",
         'write summary: "`code` here"'),
        ("id: x\nsummary: *Important* thing\n", 2, 10, "text that starts with '*' must be in quotes",
         'write summary: "*Important* thing"'),
        ("id: x\nsummary: & more\n", 2, 10, "text that starts with '&' must be in quotes", 'write summary: "& more"'),
        ("id: x\nsummary: | more\n", 2, 10, "text that starts with '|' must be in quotes", 'write summary: "| more"'),
        ("id: x\nsummary: - more\n", 2, 10, "text that starts with '- ' must be in quotes", 'write summary: "- more"'),
        ("id: x\nsummary: , more\n", 2, 10, "text that starts with ',' must be in quotes", 'write summary: ", more"'),
        ("id: x\nname Foo\nsummary: y\n", 2, 1,
         "line 2 is not 'field: value', a list item '- ...', or the indented continuation of the line above",
         "if line 2 continues the text of line 1, indent it further than the field name above (or join the "
         "lines); if it is a field, write ': ' after its name"),
        ('id: x\nbody: |\n  He wrote\n"a strong" line.\nname: y\n', 4, 1, "line 4 is indented differently from line 3",
         "every line of the text under 'body: |' (line 2) must start at least in column 3, like line 3"),
        ("id: x\nrelated:\n- ]kleptocracy\n", 3, 3, "text that starts with ']' must be in quotes",
         'write "]kleptocracy"'),
        ("id: x\nsummary: y\n...\nname: z\n", 3, 1, "line 3 ('...') ends the entry, but more follows on line 4",
         "remove line 3; keep one entry per file"),
    ],
)
def test_a_usual_mistake_is_explained(text: str, line: int, column: int, message: str, hint: str) -> None:
    assert syntax_error(text) == (line, column, message, hint)


def test_a_suggested_fix_is_valid_yaml_with_the_intended_text() -> None:
    _, _, _, hint = syntax_error('id: x\nsummary: He said: "no" and left\n')
    assert hint is not None and hint.startswith("write ")
    fixed = "id: x\n" + hint.removeprefix("write ") + "\n"
    diagnostics = Diagnostics()
    node = load_yaml(fixed.encode(), "x.yaml", diagnostics)
    assert not diagnostics.items
    assert node.get("summary").value == 'He said: "no" and left'  # type: ignore[union-attr]


PLAUSIBLE = [":", " ", "\t", '"', "'", "[", "]", "{", "}", "- ", "@", "\n", "  ", "|", "`", ": "]


def test_plausible_slips_in_real_entries_are_explained_in_plain_words() -> None:
    """One slip (a character added or removed) in real entry files: no PyYAML wording reaches the reader."""
    files = sorted(Path(__file__).parent.parent.glob("content/*/*.yaml"))[:60]
    assert files
    rnd = random.Random(19)
    unexplained = []
    errors = 0
    for _ in range(1500):
        text = rnd.choice(files).read_text(encoding="utf-8")
        at = rnd.randrange(len(text))
        text = text[:at] + rnd.choice(PLAUSIBLE) + text[at:] if rnd.random() < 0.7 else text[:at] + text[at + 1:]
        diagnostics = Diagnostics()
        load_yaml(text.encode("utf-8"), "x.yaml", diagnostics)
        for item in diagnostics.items:
            if item.code == "yaml.syntax":
                errors += 1
                if item.message.startswith("YAML cannot read"):
                    unexplained.append(item.message)
    assert errors > 100
    assert len(unexplained) <= errors // 25, unexplained

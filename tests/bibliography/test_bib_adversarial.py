"""Hostile BibTeX: bounded time and memory, located errors, never an exception, nothing hidden."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.bibliography.macros as macros
from generator import cli
from generator.bibliography import load_bibliography
from generator.bibliography.latex import MAX_NESTING, latex_problems, latex_to_rich, latex_to_text
from generator.diagnostics.codes import CODES
from generator.diagnostics import Diagnostics


def load(tmp_path: Path, text: str) -> tuple[dict, Diagnostics]:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    bibliography = load_bibliography([path], tmp_path, diagnostics)
    return bibliography.entries, diagnostics


def doubling(levels: int) -> str:
    """The issue's bomb: each macro is the previous one twice (2 ** levels copies of 'ab')."""
    lines = ["@string{m0 = {ab}}"] + [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, levels + 1)]
    return "\n".join(lines) + f"\n\n@book{{bomb2011,\n  title = m{levels},\n  year = {{2011}},\n}}\n"


@pytest.mark.parametrize("levels", [26, 64, 1000])
def test_a_macro_bomb_is_refused_before_it_is_expanded(tmp_path: Path, levels: int) -> None:
    start = time.perf_counter()
    entries, diagnostics = load(tmp_path, doubling(levels))
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{levels} levels took {elapsed:.2f} s"
    assert [(d.code, d.location.line) for d in diagnostics] == [("bib.macro-too-long", 15)]  # m14: 32,768 chars
    assert "title" not in entries["bomb2011"].fields  # the field is left out, the entry kept


def test_a_chain_of_thousands_of_macros_is_one_located_error(tmp_path: Path) -> None:
    lines = ["@string{c1 = {x}}"] + [f"@string{{c{i} = c{i - 1}}}" for i in range(2, 5001)]
    text = "\n".join(lines) + "\n@book{k, title = c5000, year = {2011}}\n@book{ok, title = c16, year = {2011}}\n"
    entries, diagnostics = load(tmp_path, text)
    assert [(d.code, d.location.line) for d in diagnostics] == [("bib.macro-too-deep", macros.MAX_MACRO_DEPTH + 1)]
    assert entries["ok"].fields["title"] == "x"


def test_many_uses_of_a_long_macro_are_charged_to_one_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(macros, "MAX_TOTAL_EXPANSION", 100_000)
    entries_text = "".join(f"@book{{k{i}, title = big # {{ {i}}}}}\n" for i in range(20))
    entries, diagnostics = load(tmp_path, "@string{big = {" + "x" * 19_000 + "}}\n" + entries_text)
    assert [d.code for d in diagnostics] == ["bib.macro-too-long"]  # reported once, where the budget ran out
    expanded = sum(len(entry.fields.get("title", "")) for entry in entries.values())
    assert 0 < expanded <= 100_000 + 20 * 19_010


def test_a_recursive_macro_says_so(tmp_path: Path) -> None:
    _, diagnostics = load(tmp_path, "@string{loop = loop # {x}}\n@book{k, title = loop, year = {2011}}\n")
    [diagnostic] = list(diagnostics)
    assert diagnostic.code == "bib.macro-cycle"
    assert "recursive" in diagnostic.message and "did you mean" not in str(diagnostic)
    assert (diagnostic.location.line, diagnostic.location.column) == (1, 1)


def test_a_reversed_crossref_chain_of_thousands_resolves(tmp_path: Path) -> None:
    lines = [f"@incollection{{e{i}, crossref = {{e{i - 1}}}}}" for i in range(3000, 0, -1)]
    entries, diagnostics = load(tmp_path, "\n".join(lines) + "\n@book{e0, title = {Top}}\n")
    assert not diagnostics.items
    assert entries["e3000"].fields["booktitle"] == "Top"


def test_nesting_at_the_limit_is_read_and_beyond_it_is_an_error(tmp_path: Path) -> None:
    at = "{" * MAX_NESTING + "x" + "}" * MAX_NESTING
    over = "{" + at + "}"
    assert latex_problems(at) == [] and latex_to_text(at) == "x"
    assert [p.code for p in latex_problems(over)] == ["bib.too-deep"]
    assert latex_to_text("{" * 5000 + "x" + "}" * 5000).startswith("{{{")  # kept as written, never raises


def test_one_run_reports_every_problem_of_every_kind(tmp_path: Path) -> None:
    text = r"""@misc{a, title = {See \href{https://example.org}{this}}, note = {\today}, year = {2011}}
@misc{b, title = {""" + "{" * 400 + "x" + "}" * 400 + r"""}, url = { JavaScript:alert(1)}, year = {2011}}
@string{loop = loop}
@misc{c, title = loop, publisher = undefinedmacro, year = {2011}}
@misc{d, title = {Ends with \emph}, doi = {not a doi}, howpublished = {\url{data:x}}, year = {2011}}
@misc{e, title = {Fine}, year = {2011}, crossref = {nowhere}}
"""
    _, diagnostics = load(tmp_path, text)
    found = sorted((d.location.line, d.code) for d in diagnostics)
    assert found == [
        (1, "bib.latex"), (2, "bib.too-deep"), (2, "bib.url"), (3, "bib.macro-cycle"), (4, "bib.undefined-macro"),
        (5, "bib.doi"), (5, "bib.latex"), (5, "bib.url"), (6, "bib.crossref-missing"),
    ]


def test_the_command_reports_bibtex_and_content_problems_together(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content" / "concepts").mkdir(parents=True)
    (tmp_path / "content" / "concepts" / "balance.yaml").write_text(
        "id: balance\nname: Balancing\nsummary: Joining others.\ndefinition:\n  text: Joining others.\n"
        "  sources: [{key: k2011, locator: \"2\"}]\nsources:\n  - key: k2011\n    unknown: 1\n", encoding="utf-8")
    (tmp_path / "bibliography").mkdir()
    (tmp_path / "bibliography" / "x.bib").write_text(
        r"@book{k2011, title = {\href{https://example.org}{Report} of \today " + "{" * 3000 + "}" * 3000 + "},"
        " year = {2011}}\n", encoding="utf-8")
    status = cli.main(["--root", str(tmp_path), "check"])
    output = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in output
    assert "error[bib.too-deep]" in output and "error[schema.unknown-field]" in output


LATEX = st.sampled_from([
    "x", " ", "CIS", "--", "~", "\\&", "\\%", "%", "$x$", "$", "\\(", "\\)", "\\\\", "\\ss", '\\"u', '\\"', "\\'{E}",
    "\\v", "\\emph", "\\emph{", "\\textbf{", "\\textsc{", "\\mkbibquote{", "\\enquote{", "\\href{https://a.org}{",
    "\\href{", "\\href{javascript:x}{", "\\url{", "\\url{//x}", "\\today", "\\cite{k}", "\\begin{itemize}",
    "\\end{itemize}", "\\item", "\\verb|x|", "\\def\\x{y}", "\\frac{1}", "\\sqrt", "\\textcolor{red}{", "\\S",
    "\\foreignlanguage{x}{", "\\noopsort{", "{", "}", "\\{", "\\}", "\\", "\\@", "#", "^", "_",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(LATEX, max_size=14), depth=st.sampled_from([0, 1, 3, MAX_NESTING - 1, MAX_NESTING, 200]))
def test_any_latex_is_converted_or_reported_at_its_field(tmp_path: Path, pieces: list[str], depth: int) -> None:
    value = "{" * depth + "".join(pieces) + "}" * depth
    assert isinstance(latex_to_text(value), str) and isinstance(latex_to_rich(value), str)
    entries, diagnostics = load(tmp_path, "@misc{k,\n  title = {" + value + "},\n  year = {2011},\n}\n")
    assert all(d.code in CODES for d in diagnostics)
    assert all(d.location.path == "refs.bib" and d.location.line >= 1 for d in diagnostics)
    if "k" in entries and "title" not in entries["k"].fields:
        assert any(d.location.line == 2 for d in diagnostics), "the title was left out without an error"
    if not diagnostics.items and _balanced(value):  # an unbalanced '}' ends the field early, unnoticeably
        assert latex_problems(value) == []
        assert entries["k"].fields["title"] == latex_to_text(value)


def _balanced(value: str) -> bool:
    depth = 0
    for index, char in enumerate(value):
        if index and value[index - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_an_entry_the_converter_fails_on_is_reported_and_the_others_load(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.bibliography.parse as parse

    real = parse.to_csl

    def failing(key: str, *args: object, **kwargs: object) -> dict:
        if key == "bad":
            raise IndexError("list index out of range")
        return real(key, *args, **kwargs)

    monkeypatch.setattr(parse, "to_csl", failing)
    entries, diagnostics = load(tmp_path, "@misc{bad, title = {A}}\n@misc{good, title = {B}}\n")
    assert list(entries) == ["good"]
    assert [(d.code, d.location.line) for d in diagnostics] == [("bib.value", 1)]
    assert "IndexError" in diagnostics.items[0].message

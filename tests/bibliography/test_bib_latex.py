"""LaTeX in field values -> display Unicode and CSL-JSON rich text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.bibliography import latex_to_rich, latex_to_text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"M{\"u}ller", "Müller"),
        (r"M\"uller", "Müller"),
        (r"Stra{\ss}e", "Straße"),
        (r"\'{E}mile Zola", "Émile Zola"),
        (r"P{\"e}tr", "Pëtr"),
        (r"1991--2009", "1991–2009"),
        (r"Moscow---Minsk", "Moscow—Minsk"),
        (r"Law \& Order", "Law & Order"),
        (r"50\% more", "50% more"),
        (r"{CIS} and {\emph{EEU}}", "CIS and EEU"),
        (r"21\textsuperscript{st} century", "21st century"),
        ("two\n   lines", "two lines"),
        (r"Vladimir~Putin", "Vladimir\u00a0Putin"),
        (r"\url{http://a.org/x_y}", "http://a.org/x_y"),
        ("Новый проект", "Новый проект"),
        (r"\mkbibquote{quoted}", "“quoted”"),
        (r"{unbalanced", "unbalanced"),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


@pytest.mark.parametrize(
    ("latex", "rich"),
    [
        (r"The \emph{Pravda} years", "The <i>Pravda</i> years"),
        (r"\textit{Foreign Affairs}", "<i>Foreign Affairs</i>"),
        (r"\textbf{bold}", "<b>bold</b>"),
        (r"{CIS} summit", '<span class="nocase">CIS</span> summit'),
        (r"Post-{Soviet} space", 'Post-<span class="nocase">Soviet</span> space'),
        (r"M{\"u}ller", "Müller"),
        (r"{\ss}", "ß"),
        (r"21\textsuperscript{st}", "21<sup>st</sup>"),
        (r"\textsc{Nato}", '<span style="font-variant:small-caps;">Nato</span>'),
        (r"{\emph{Izvestia}} reports", '<span class="nocase"><i>Izvestia</i></span> reports'),
        (r"Law \& Order", "Law & Order"),
    ],
)
def test_latex_to_rich(latex: str, rich: str) -> None:
    assert latex_to_rich(latex) == rich


def test_protection_can_be_switched_off() -> None:
    assert latex_to_rich("{CIS}", protect=False) == "CIS"


@given(st.text(alphabet="abcXYZ 09'.,:;!?-()[]/é\u00a0\n\t", max_size=60))
def test_plain_fast_path_agrees_with_pylatexenc(value: str) -> None:
    from generator.bibliography.latex import _nodes, _normalise_space, _Walker

    slow_text = _normalise_space(_Walker(rich=False, protect=False).text(_nodes(value)))
    slow_rich = _normalise_space(_Walker(rich=True, protect=True).text(_nodes(value)))
    assert latex_to_text(value) == slow_text
    assert latex_to_rich(value) == slow_rich

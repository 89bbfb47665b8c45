"""A site built from hostile payloads in every contributed field: nothing survives as live markup."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from test_site_build import copy_fixture, mkdocs_build

PAYLOADS = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    "<svg onload=alert('x3')></svg>",
    "<iframe src=javascript:alert('x4')></iframe>",
    "[click](javascript:alert('x5'))",
    "[click](javascript&#58;alert('x6'))",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x7</a>",
    "text{: onclick=\"alert('x8')\" }",
    "{{ 7*7 }}{% raw %}x9{% endraw %}",
    "</script><script>alert('x10')</script>",
    "\"><script>alert('x11')</script>",
    "*[CSTO]: <b onmouseover=alert('x12')>",
]
ONE_LINE = " ".join(p.replace("\n", " ") for p in PAYLOADS)


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def hostile_entry() -> str:
    source = (f'{{key: troitskiy2020, locator: {_yaml(ONE_LINE[:280])}, label: section, '
              f'quote: {_yaml(ONE_LINE[:900])}, note: {_yaml(ONE_LINE)}}}')
    body = "\n".join("  " + line for line in "\n\n".join(PAYLOADS).splitlines())
    return f"""id: hostile
name: {_yaml("Hostile " + ONE_LINE[:250])}
names:
  - {{lang: ru, text: {_yaml(ONE_LINE[:250])}, translit: {_yaml(ONE_LINE[:250])}}}
abbreviations:
  - {{text: {_yaml("<b>X</b>")}}}
other_names:
  - {{text: {_yaml(ONE_LINE[:250])}, note: {_yaml(ONE_LINE)}}}
summary: {_yaml(ONE_LINE[:590])}
kind: forum
founded:
  date: 1992
  sources: [{source}]
  note: {_yaml(ONE_LINE)}
members:
  - country: rus
    role: member
    from: 1992
    note: {_yaml(ONE_LINE)}
    sources: [{source}]
body: |
{body}
sources: [{source}]
"""


HOSTILE_BIB = r"""
@article{hostile1999,
  author = {<script>alert('b1')</script> and {"><img src=x onerror=alert('b2')>}},
  title = {<script>alert('b3')</script> {{ 7*7 }} \emph{<iframe src=javascript:alert('b4')>}},
  journaltitle = {<svg onload=alert('b5')>},
  date = {1999},
  howpublished = {javascript:alert('b6')},
  note = {"><script>alert('b7')</script>},
}
"""
# A javascript: url or a doi that is not a DOI is refused by `check` (bib.url, bib.doi: see
# tests/cases/bib-url-javascript and bib-doi-not-a-doi), so here the payloads are plain text.


class Audit(HTMLParser):
    """Collects every live-markup problem in one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and \
                    value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
        if tag == "script":
            src = values.get("src", "")
            self.script_type = values.get("type", "")
            self.in_script = True
            if src and not ("assets/" in src or "search/" in src):
                self.problems.append(f"<script src={src}>")
            theme_config = self.script_type == "application/json" and values.get("id") == "__config"
            if not src and self.script_type not in ("application/ld+json", "") and not theme_config:
                self.problems.append(f"<script type={self.script_type}>")
        ours = ("chronology-filter", "bibliography-filter", "md-search__form")  # our filters, the theme's search
        if tag in ("iframe", "object", "embed", "form") and not any(c in values.get("class", "") for c in ours):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and self.script_type == "application/ld+json":
            json.loads(data)  # JSON-LD stays one well-formed JSON value: data, never run
            if "<" in data:
                self.problems.append("JSON-LD holds a raw '<' (could close the script element)")
        elif self.in_script and ("alert(" in data):
            self.problems.append(f"script body runs a payload: {data[:60]}")


def test_hostile_payloads_never_become_markup(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    (project / "content/organisations/hostile.yaml").write_text(hostile_entry(), encoding="utf-8")
    (project / "bibliography/hostile.bib").write_text(HOSTILE_BIB, encoding="utf-8")
    out = tmp_path / "out"
    run = mkdocs_build(project, out)
    assert run.returncode == 0, run.stderr
    pages = sorted(out.rglob("*.html"))
    problems = {}
    for page in pages:
        audit = Audit()
        text = page.read_text(encoding="utf-8")
        audit.feed(text)
        if audit.problems:
            problems[str(page.relative_to(out))] = audit.problems
    assert not problems, problems
    hostile_page = (out / "organisations/hostile/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in hostile_page and ">49<" not in hostile_page  # template syntax shown, not run
    assert "alert(&#39;x1&#39;)" in hostile_page or "alert('x1')" in hostile_page  # shown as text

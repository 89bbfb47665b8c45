"""The banner ``mkdocs serve`` puts on every page when content has errors (:mod:`generator.serve_errors`).

The browser test (tests/browser/test_reader_serve_errors.py) runs the real server; these
check the banner's text and escaping, and the stand-in files, without one.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Location
from generator.serve_errors import BANNER_ID, ServeErrors, add_banner, banner_html

HOSTILE = Diagnostic("yaml.syntax", "text that contains ': ' must be in quotes",
                     Location("content/concepts/x.yaml", 3, 19), hint='write summary: "<script>alert(1)</script>: x"')


def test_the_banner_lists_file_line_message_and_hint_as_text() -> None:
    banner = banner_html([HOSTILE])
    assert f'id="{BANNER_ID}"' in banner
    assert "content/concepts/x.yaml:3:19" in banner
    assert "error[yaml.syntax]" in banner and "1 content error." in banner
    assert "<script>" not in banner and "&lt;script&gt;alert(1)&lt;/script&gt;" in banner


def test_the_banner_goes_right_after_body() -> None:
    page = '<!doctype html><html><head><title>t</title></head><body class="x"><h1>T</h1></body></html>'
    assert add_banner(page, "<div>B</div>") == ('<!doctype html><html><head><title>t</title></head>'
                                                '<body class="x"><div>B</div><h1>T</h1></body></html>')


def test_a_failed_build_serves_the_last_good_pages_with_the_banner() -> None:
    errors = ServeErrors()
    assert errors.decorate("<body>x</body>") == "<body>x</body>"
    errors.succeeded({"organisations/csto.md": "# CSTO"})
    assert errors.failed([HOSTILE]) == {"organisations/csto.md": "# CSTO"}
    assert BANNER_ID in errors.decorate("<body>x</body>")
    errors.succeeded({"organisations/csto.md": "# CSTO, fixed"})
    assert errors.decorate("<body>x</body>") == "<body>x</body>"

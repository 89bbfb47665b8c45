"""Compiled templates are kept in memory across builds of one process (``mkdocs serve``), never reused
for another source or for an environment that would compile the source differently."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.render.compiled_templates import CompiledTemplates

TEMPLATE = "{% if shown %}\n<p>{{ text }}</p>\n{% endif %}\n"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from source."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _env(folder: Path, cache: CompiledTemplates, **settings: object) -> jinja2.Environment:
    """A new environment, as MkDocs makes one for every build, compiling through ``cache``."""
    return cache.attach(jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=False, **settings))


def test_a_later_build_reuses_the_code_of_an_unchanged_template(tmp_path: Path, compiles: list[str]) -> None:
    (tmp_path / "page.html").write_text(TEMPLATE)
    cache = CompiledTemplates()
    first = _env(tmp_path, cache).get_template("page.html").render(shown=True, text="a")
    second = _env(tmp_path, cache).get_template("page.html").render(shown=True, text="a")
    assert first == second == "\n<p>a</p>\n"
    assert compiles == ["page.html"]


def test_a_changed_template_is_compiled_again(tmp_path: Path, compiles: list[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(TEMPLATE)
    cache = CompiledTemplates()
    _env(tmp_path, cache).get_template("page.html").render(shown=True, text="a")
    page.write_text(TEMPLATE.replace("<p>", "<p class=\"changed\">"))
    assert _env(tmp_path, cache).get_template("page.html").render(shown=True, text="a") == '\n<p class="changed">a</p>\n'
    assert compiles == ["page.html", "page.html"]


@pytest.mark.parametrize("settings", [{"trim_blocks": True}, {"extensions": ["jinja2.ext.do"]},
                                      {"variable_start_string": "[[", "variable_end_string": "]]"}])
def test_an_environment_with_other_settings_compiles_its_own(tmp_path: Path, compiles: list[str],
                                                                settings: dict[str, object]) -> None:
    (tmp_path / "page.html").write_text(TEMPLATE)
    cache = CompiledTemplates()
    plain = _env(tmp_path, cache).get_template("page.html").render(shown=True, text="a")
    other = _env(tmp_path, cache, **settings).get_template("page.html").render(shown=True, text="a")
    fresh = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), **settings)
    assert other == fresh.get_template("page.html").render(shown=True, text="a")
    assert plain == "\n<p>a</p>\n"
    assert len(compiles) == 3  # plain, other (not plain's code), and the uncached reference


def test_compiled_templates_earlier_versions_left_on_disk_are_removed(tmp_path: Path) -> None:
    from generator.render.compiled_templates import remove_former_disk_cache

    folder = tmp_path / "templates"
    folder.mkdir()
    former = folder / f"__jinja2_{'ab' * 20}.cache"
    former.write_bytes(jinja2.bccache.bc_magic + b"code")
    remove_former_disk_cache(folder)
    assert not folder.exists()

    folder.mkdir()
    former.write_bytes(jinja2.bccache.bc_magic + b"code")
    look_alike = folder / f"__jinja2_{'cd' * 20}.cache"
    look_alike.write_bytes(b"not Jinja's")
    (folder / "notes.txt").write_text("someone else's")
    remove_former_disk_cache(folder)
    assert not former.exists() and look_alike.is_file() and (folder / "notes.txt").is_file()

"""What every kept page's keys share, and what allows pages to be kept at all.

The shared part of each key (:func:`build_stamp`) stands for the generator's code and the installed
libraries, ``mkdocs.yml`` and the resolved settings, the theme's files and the build date: a change
to any of them renders every page (:mod:`generator.render_cache`), and :data:`REASONS` says why in
the log. :data:`SAFE_PLUGINS` and :data:`PURE_EXTENSIONS` are the plugins and Markdown extensions
known to do nothing a kept page would miss.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any, Iterable

from generator.load.entry_cache import fingerprint as generator_fingerprint

SAFE_PLUGINS = frozenset({"companion", "mkdocstrings", "autorefs"})
"""Plugins whose hooks are known to do nothing a kept page would miss (see :mod:`generator.render_cache`)."""

PURE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "meta", "nl2br",
    "sane_lists", "smarty", "tables", "toc", "wikilinks", "codehilite", "legacy_attrs", "legacy_em",
    "pymdownx.betterem", "pymdownx.caret", "pymdownx.critic", "pymdownx.details", "pymdownx.emoji",
    "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.mark", "pymdownx.smartsymbols",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.tilde",
})
"""Markdown extensions whose output depends on the page and the settings alone (not, as
``pymdownx.snippets`` does, on other files): with only these, and the extensions the safe plugins
add (:data:`SAFE_PLUGINS`), hand-written pages may be kept."""


def stamp_digest(*parts: object) -> str:
    """The SHA-256 of ``parts`` as JSON (objects by their ``str``), each part ended by a zero byte."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8",
                                                                                             "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """The generator's code, Python, and every installed distribution's version."""
    versions = sorted(f"{d.metadata['Name']}={d.version}" for d in metadata.distributions()
                      if d.metadata and d.metadata["Name"])
    return stamp_digest(sys.version, generator_fingerprint(), versions)


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-able data, for the settings' key (objects by their type's name)."""
    if depth > 40:
        return "…"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, dict) or (hasattr(value, "items") and hasattr(value, "keys")):
        return {str(k): _plain(v, depth + 1) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(str(_plain(v, depth + 1)) for v in value)
    if hasattr(value, "dirs") and hasattr(value, "__iter__") and hasattr(value, "__getitem__"):  # a Theme
        return {"dirs": list(value.dirs), "vars": {str(k): _plain(value[k], depth + 1) for k in sorted(value)}}
    config = getattr(value, "config", None)  # a plugin: its options
    if config is not None and hasattr(config, "items"):
        return {"plugin": f"{type(value).__module__}.{type(value).__qualname__}", "config": _plain(config, depth + 1)}
    if type(value).__repr__ is object.__repr__:
        return f"{type(value).__module__}.{type(value).__qualname__}"
    return f"{type(value).__module__}.{type(value).__qualname__}:{value!r}"


_NOT_SETTINGS = frozenset({"site_dir", "strict"})
"""Where the site goes, and whether warnings abort the build (a page that warned is never kept)."""


def settings_stamp(config: Any) -> str:
    """``mkdocs.yml`` as written and the settings as resolved (but :data:`_NOT_SETTINGS`)."""
    try:
        written = Path(config.config_file_path).read_bytes().decode("utf-8", "replace")
    except (OSError, TypeError):
        written = ""
    resolved = {key: _plain(value) for key, value in config.items() if key not in _NOT_SETTINGS}
    return stamp_digest(written, resolved)


def theme_stamp(theme_dirs: Iterable[str], leave_out: Iterable[Path]) -> str:
    """Every file of the theme's folders that is not part of an installed distribution (those are
    covered by their versions), e.g. ``overrides/``; ``leave_out`` (the generator's own templates,
    which only shape the Markdown, keyed per page) aside."""
    skipped = [Path(p).resolve() for p in leave_out]
    digest = hashlib.sha256()
    for folder in theme_dirs:
        folder = Path(folder).resolve()
        if "site-packages" in folder.parts or "dist-packages" in folder.parts or not folder.is_dir():
            digest.update(f"package:{folder}\0".encode())
            continue
        for file in sorted(folder.rglob("*")):
            if file.is_file() and not any(file == s or s in file.parents for s in skipped):
                digest.update(f"{file.relative_to(folder).as_posix()}\0".encode() + file.read_bytes() + b"\0")
    return digest.hexdigest()


_PAGES_VARIABLE = re.compile(r"(?<![\w.])pages(?!\w)")
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@lru_cache(maxsize=8)
def templates_read_all_pages(theme_dirs: tuple[str, ...], static: tuple[str, ...], theme: str = "") -> bool:
    """Whether a theme template uses the context's ``pages`` (every page), so that a page's HTML
    would depend on the list of pages (Material 9's do not; MkDocs' ``sitemap.xml`` does, but
    it and the theme's other ``static`` templates are rendered on every build, not kept).
    ``theme`` (the theme's stamp) is only part of the memo's key: a changed override is read again."""
    for folder in theme_dirs:
        root = Path(folder)
        if not root.is_dir():
            continue
        for file in root.rglob("*"):
            if file.relative_to(root).as_posix() in static:
                continue
            if file.suffix in (".html", ".xml", ".j2", ".jinja") and ".icons" not in file.parts and file.is_file():
                text = file.read_text(encoding="utf-8", errors="replace")
                if any(_PAGES_VARIABLE.search(tag) for tag in _JINJA_TAG.findall(text)):
                    return True
    return False


def build_stamp(config: Any, *, leave_out: Iterable[Path], date: str) -> dict[str, str]:
    """The parts of every key that all pages share, by what they stand for (for the log)."""
    theme_dirs = tuple(str(d) for d in getattr(config.theme, "dirs", []))
    return {
        "code": _code_stamp(),
        "settings": settings_stamp(config),
        "theme": theme_stamp(theme_dirs, leave_out),
        "date": stamp_digest(date),
    }


REASONS = {
    "code": "the generator's code or an installed library changed",
    "settings": "mkdocs.yml or the settings changed",
    "theme": "the theme or its overrides changed",
    "date": "the build date (SOURCE_DATE_EPOCH) changed",
}


def pure_extensions(config: Any) -> bool:
    """Whether every Markdown extension of ``config`` reads nothing but the page (see :data:`PURE_EXTENSIONS`)."""
    for extension in config.markdown_extensions:
        if isinstance(extension, str):
            if extension.removeprefix("markdown.extensions.") not in PURE_EXTENSIONS:
                return False
        elif not type(extension).__module__.startswith(("mkdocstrings.", "mkdocs_autorefs.")):
            return False
    return True


__all__ = ["PURE_EXTENSIONS", "REASONS", "SAFE_PLUGINS", "build_stamp", "pure_extensions", "settings_stamp",
           "stamp_digest", "templates_read_all_pages", "theme_stamp"]

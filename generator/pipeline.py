"""The pure core: content in, pages and files out.

``load -> validate -> bibliography -> index -> link -> cite -> render -> emit``.
:func:`build` gathers and checks everything before rendering anything; if any
error was found it returns no files at all, so no partial site can be written.
Nothing here imports MkDocs: :mod:`generator.mkdocs_plugin` and :mod:`generator.cli`
are thin shells around :func:`build`.
"""

from __future__ import annotations

import gc
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bibliography import (
    Bibliography, CitationFormatter, CiteItem, load_bibliography, source_slug,
)
from .annotate import build_glossary
from .citations import SiteCitations
from .diagnostics import Diagnostics, Location
from .diagnostics import display_path
from .emit import emit_site
from .history import last_changed
from .timeline import present_year
from .page_citation import PageCitations, page_bibliography, standalone_styles
from .linker import Site, link
from .entry_cache import EntryCache
from .loader import load_entries
from .render import Renderer, Timelines, make_environment

DEFAULT_STYLES = ("chicago-author-date", "apa")


@dataclass(frozen=True)
class ProjectConfig:
    """Where a project's inputs are and how its site is made.

    Attributes:
        root: the project folder; diagnostics show paths relative to it.
        content_dir: entry files (``content/``).
        bibliography_dir: BibTeX files (``bibliography/``).
        overrides_dir: template overrides (``overrides/generator/``).
        site_name: the site's title.
        site_url: the canonical base URL (for permalinks and "cite this page").
        styles: CSL style ids; the first is the default.
        cache_dir: where formatted citations are cached between builds (``None``: no cache).
        entry_cache: file of validated entries kept between builds, so that a rebuild
            parses only changed files (``None``: parse everything).
        template_cache: folder of compiled templates kept between builds (``None``: compile each build).
        format_citations: run the citation engine (``check`` skips it).
        edition: the site's edition (release tag) shown in "cite this page"; ``None`` for the living site.
        use_history: take "last updated" dates from the Git history (golden tests turn it off).
        today_year: the "present" of open-ended timelines; ``None``: from ``SOURCE_DATE_EPOCH`` or the clock.
    """

    root: Path
    content_dir: Path
    bibliography_dir: Path
    overrides_dir: Path
    site_name: str = "Eurasian Regionalism: A Research Companion"
    site_url: str = ""
    styles: tuple[str, ...] = DEFAULT_STYLES
    cache_dir: Path | None = None
    entry_cache: Path | None = None
    template_cache: Path | None = None
    format_citations: bool = True
    edition: str | None = None
    use_history: bool = True
    today_year: int | None = None

    @classmethod
    def for_project(cls, root: Path, **options: Any) -> "ProjectConfig":
        """The conventional layout under ``root``; site name and URL from its ``mkdocs.yml`` if any."""
        root = root.resolve()
        for name, value in _mkdocs_settings(root).items():
            options.setdefault(name, value)
        options.setdefault("cache_dir", root / ".cache" / "citations")
        options.setdefault("entry_cache", root / ".cache" / "entries.pickle")
        options.setdefault("template_cache", root / ".cache" / "templates")
        return cls(root=root, content_dir=root / "content", bibliography_dir=root / "bibliography",
                   overrides_dir=root / "overrides" / "generator", **options)


@dataclass
class BuildResult:
    """The outcome of a build: files to publish (empty if there were errors) and diagnostics."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    site: Site | None = None
    bibliography: Bibliography | None = None

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


def load_and_link(config: ProjectConfig, diagnostics: Diagnostics) -> tuple[Site, Bibliography]:
    """Load entries and the bibliography, then index and link them (no rendering)."""
    cache = EntryCache(config.entry_cache)
    texts: dict[str, bytes] = {}
    entries, broken = load_entries(config.content_dir, config.root, diagnostics, cache=cache, texts=texts)
    cache.save()
    bib_paths = sorted(config.bibliography_dir.glob("*.bib")) if config.bibliography_dir.is_dir() else []
    if not bib_paths:
        diagnostics.error("bib.missing", "no .bib files found", Location(display_path(config.bibliography_dir, config.root)),
                          "add the sources to bibliography/*.bib")
    bibliography = load_bibliography(bib_paths, config.root, diagnostics)
    # With no .bib file at all, one bib.missing error says it; every citation need not repeat it.
    site = link(entries, diagnostics, set(bibliography.entries) if bib_paths else None, broken)
    _prefer_placeholder_diagnostics(texts, diagnostics)
    return site, bibliography


def _prefer_placeholder_diagnostics(texts: dict[str, bytes], diagnostics: Diagnostics) -> None:
    """Report ``TODO`` placeholders left by ``python -m generator new``.

    A placeholder also fails its field's own check (an invalid date, an unknown id...);
    the placeholder diagnostic says it better, so it replaces those on the same line.
    """
    from .scaffold import PLACEHOLDER, find_placeholders

    placeholders = []
    needle = PLACEHOLDER.encode()
    for path, data in texts.items():
        if needle in data:
            try:
                placeholders.extend(find_placeholders(data.decode("utf-8"), path))
            except UnicodeDecodeError:
                continue  # the loader reports undecodable files
    if not placeholders:
        return
    marked = {(d.location.path, d.location.line) for d in placeholders}
    diagnostics.items[:] = [d for d in diagnostics.items if (d.location.path, d.location.line) not in marked]
    diagnostics.extend(placeholders)


def check(config: ProjectConfig) -> Diagnostics:
    """Validate everything without rendering (what ``python -m generator check`` runs)."""
    diagnostics = Diagnostics()
    load_and_link(config, diagnostics)
    return diagnostics


def build(config: ProjectConfig) -> BuildResult:
    """Run the whole pipeline. Returns every generated file, or none if anything is wrong."""
    result = BuildResult()
    site, bibliography = load_and_link(config, result.diagnostics)
    result.site, result.bibliography = site, bibliography
    if result.diagnostics.errors:
        return result
    with _loaded_objects_frozen():
        result.files = _render(config, site, bibliography, result.diagnostics)
    return result


@contextmanager
def _loaded_objects_frozen():
    """Keep the garbage collector from re-scanning the loaded site while pages are rendered.

    Rendering allocates millions of short-lived objects; every collection of the oldest
    generation would otherwise walk the whole loaded site again (7% of the build at
    N = 10,000). Unfrozen afterwards, so that a long ``mkdocs serve`` session frees each
    build's objects.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _render(config: ProjectConfig, site: Site, bibliography: Bibliography,
            diagnostics: Diagnostics) -> dict[str, str | bytes]:
    """Format citations and render every page; ``{}`` if that found errors."""
    formatter = None
    if config.format_citations:
        formatter = CitationFormatter(bibliography, styles=list(config.styles), cache_dir=config.cache_dir,
                                      diagnostics=diagnostics)
    citations = SiteCitations(
        site, bibliography, formatter,
        item_factory=lambda key, locator=None, label=None, prefix="", suffix="", suppress=False: CiteItem(
            key=key, locator=locator, label=label, prefix=prefix, suffix=suffix, suppress_author=suppress),
        source_url=lambda key: f"sources/{source_slug(key)}/",
    )
    citations.collect()
    citations.format(list(bibliography.entries))
    if diagnostics.errors:
        return {}

    updated = last_changed(config.root) if config.use_history else {}
    page_bib = page_bibliography(site.entries, config.site_name, config.site_url, config.edition, updated)
    page_formatted = None
    if config.format_citations:
        page_cache = config.cache_dir / "pages" if config.cache_dir else Path(tempfile.mkdtemp())
        page_formatter = CitationFormatter(page_bib, styles=list(config.styles), diagnostics=diagnostics,
                                           cache_dir=page_cache,
                                           style_files=standalone_styles(list(config.styles), page_cache / "styles"))
        page_formatted = page_formatter.format([], list(page_bib.entries))
    if diagnostics.errors:
        return {}

    env = make_environment([config.overrides_dir], cache_dir=config.template_cache)
    today_year = config.today_year or present_year()
    globals_ = {"today_year": today_year, "timelines": Timelines(site, today_year), "config": config, "bibliography": bibliography, "citations": citations,
                "page_citations": PageCitations(page_bib, page_formatted, list(config.styles)), "updated": updated}
    renderer = Renderer(env, site, citations, globals_, glossary=build_glossary(site.entries))
    files = emit_site(site, bibliography, citations, renderer, config, diagnostics)
    return {} if diagnostics.errors else files


def write_files(files: dict[str, str | bytes], out: Path) -> None:
    """Write a build's files under ``out`` (for engines other than the MkDocs plugin)."""
    for path, content in sorted(files.items()):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def _mkdocs_settings(root: Path) -> dict[str, str]:
    """``site_name`` and ``site_url`` from ``root/mkdocs.yml`` (our own, trusted file)."""
    import yaml

    try:
        data = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: str(data[k]) for k in ("site_name", "site_url") if isinstance(data.get(k), str)}



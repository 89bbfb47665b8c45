"""The pure core: content in, pages and files out.

``load -> validate -> bibliography -> index -> link -> cite -> render -> emit``.
:func:`build` gathers and checks everything before rendering anything; if any
error was found it returns no files at all, so no partial site can be written.
Nothing here imports MkDocs: :mod:`generator.mkdocs_plugin` and :mod:`generator.cli`
are thin shells around :func:`build`.
"""

from __future__ import annotations

import datetime as _dt
import gc
import hashlib
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from generator.publish.addresses import Addresses
from generator.bibliography import (
    Bibliography, CitationFormatter, CiteItem, load_bibliography, source_slug,
)
from generator.bibliography.cache import load_cached_bibliography
from generator.render.glossary import build_glossary
from generator.cite.citations import SiteCitations
from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity
from generator.diagnostics import display_path
from generator.render.emit import emit_site
from generator.publish.history import last_changed
from generator.outputs.timeline import present_year, site_labels
from generator.cite.page_citation import PageCitations, page_bibliography, standalone_styles
from generator.load.linker import Site, link
from generator.load.entry_cache import EntryCache
from generator.load.loader import Entry, Remains, load_entries, outside_project
from generator.render.compiled_templates import FORMER_DISK_CACHE, remove_former_disk_cache
from generator.render.page_cache import PageCache, derived_name, neighbourhood, uncached
from generator.outputs.datapackage import EncodedRows, Reuse
from generator.render.renderer import PACKAGE_TEMPLATES, Renderer, Timelines, make_environment
from generator.schema.translit import check_transliterations
from generator.schema.declare import load_schema
from generator.schema.types import Schema, default_schema, page_file
from generator.site_meta import SiteInfo, site_info

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
        bibliography_cache: file of the parsed bibliography kept between builds, so that a rebuild
            parses the ``.bib`` files only when one changed (``None``: parse every build).
        page_cache: folder of rendered entry pages kept between builds, so that a rebuild renders
            only pages whose inputs changed (``None``: render every page).
        verify_page_cache: render cached pages too and list those that differ in
            :attr:`BuildResult.stale_pages` (for tests).
        format_citations: run the citation engine (``check`` skips it).
        edition: the site's edition (release tag) shown in "cite this page"; ``None`` for the living site.
        use_history: take "last updated" dates from the Git history (golden tests turn it off).
        today_year: the "present" of open-ended timelines; ``None``: from ``SOURCE_DATE_EPOCH`` or the clock.
        site_description: the site's one-paragraph description (``site_description`` in ``mkdocs.yml``).
        data_package: ``name``, ``title`` and ``licence`` (a Data Package licence object) of the data
            downloads, from ``extra.companion.data_package`` in ``mkdocs.yml``; missing ones are
            derived from the site name (see :func:`generator.outputs.datapackage.package_identity`).
        site: what the site declares about itself (editors, publisher, language, editions' DOIs).
        build_date: the day of this build (from ``SOURCE_DATE_EPOCH``): the access date of the living
            site's "cite this page", the date of an edition, and the date of pages not yet committed;
            ``None`` leaves them out (golden tests).
        schema: the site's entry types, from its ``types.yaml`` (the generator's default types
            without one).
        schema_problems: what was wrong with ``types.yaml``; a build with any stops before
            reading entries.
    """

    root: Path
    content_dir: Path
    bibliography_dir: Path
    overrides_dir: Path
    site_name: str = "Research Companion"
    site_url: str = ""
    site_description: str = ""
    data_package: dict[str, Any] = field(default_factory=dict)
    styles: tuple[str, ...] = DEFAULT_STYLES
    cache_dir: Path | None = None
    entry_cache: Path | None = None
    bibliography_cache: Path | None = None
    page_cache: Path | None = None
    verify_page_cache: bool = False
    format_citations: bool = True
    edition: str | None = None
    use_history: bool = True
    today_year: int | None = None
    site: SiteInfo = field(default_factory=SiteInfo)
    build_date: _dt.date | None = None
    schema: Schema = field(default_factory=default_schema)
    schema_problems: tuple[Diagnostic, ...] = ()

    @cached_property
    def addresses(self) -> Addresses:
        """Every absolute address this build prints (see :mod:`generator.publish.addresses`)."""
        return Addresses.for_build(self.site_url, self.edition)

    @classmethod
    def for_project(cls, root: Path, **options: Any) -> "ProjectConfig":
        """The conventional layout under ``root``; site name and URL from its ``mkdocs.yml`` if any,
        entry types from its ``types.yaml`` if any."""
        root = root.resolve()
        if "schema" not in options:
            problems = Diagnostics()
            options["schema"] = load_schema(root, problems)
            options.setdefault("schema_problems", tuple(problems.items))
        for name, value in _mkdocs_settings(root).items():
            options.setdefault(name, value)
        options.setdefault("cache_dir", root / ".cache" / "citations")
        options.setdefault("entry_cache", root / ".cache" / "entries.pickle")
        options.setdefault("bibliography_cache", root / ".cache" / "bibliography.pickle")
        options.setdefault("page_cache", root / ".cache" / "pages")
        return cls(root=root, content_dir=root / "content", bibliography_dir=root / "bibliography",
                   overrides_dir=root / "overrides" / "generator", **options)


@dataclass
class BuildResult:
    """The outcome of a build: files to publish (empty if there were errors) and diagnostics."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    site: Site | None = None
    bibliography: Bibliography | None = None
    reused_pages: int = 0
    """Entry and source pages taken from the page cache instead of rendered."""
    reused_rows: int = 0
    """Entries whose rows in a data table were taken from the page cache instead of made again."""
    stale_pages: list[str] = field(default_factory=list)
    """Cached pages that differed from a fresh render, and cached data rows (by their names in the
    page cache) that differed from the rows made again (only with ``verify_page_cache``)."""

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


def load_and_link(config: ProjectConfig, diagnostics: Diagnostics) -> tuple[Site, Bibliography]:
    """Load entries and the bibliography, then index and link them (no rendering)."""
    site, bibliography, _ = _load_and_link(config, diagnostics)
    return site, bibliography


def _load_and_link(config: ProjectConfig, diagnostics: Diagnostics) -> tuple[Site, Bibliography, dict[str, bytes]]:
    """:func:`load_and_link`, also returning each entry file's bytes by its displayed path."""
    texts: dict[str, bytes] = {}
    diagnostics.extend(config.schema_problems)
    if any(d.severity is Severity.ERROR for d in config.schema_problems):
        # Entries read against types the site did not mean would only add misleading errors.
        return link([], Diagnostics(), None, schema=config.schema), load_bibliography([], config.root, Diagnostics()), texts
    cache = EntryCache(config.entry_cache, config.schema)
    remains: list[Remains] = []
    entries, broken = load_entries(config.content_dir, config.root, diagnostics, cache=cache, texts=texts,
                                   remains=remains, schema=config.schema)
    cache.save()
    refused = outside_project(config.bibliography_dir, config.root, diagnostics)
    bib_paths = (sorted(config.bibliography_dir.glob("*.bib"))
                 if not refused and config.bibliography_dir.is_dir() else [])
    if not bib_paths and not refused:
        diagnostics.error("bib.missing", "no .bib files found", Location(display_path(config.bibliography_dir, config.root)),
                          "add the sources to bibliography/*.bib")
    readable = [path for path in bib_paths if not outside_project(path, config.root, diagnostics)]
    refused = refused or len(readable) < len(bib_paths)
    bibliography = load_cached_bibliography(readable, config.root, diagnostics, config.bibliography_cache)
    # With no .bib file at all, one bib.missing error says it; every citation need not repeat it
    # (nor when a .bib file was refused: its keys are unknown, not missing).
    site = link(entries, diagnostics, set(bibliography.entries) if readable and not refused else None, broken,
                remains, manifest_urls=published_urls(config.root), schema=config.schema)
    _prefer_placeholder_diagnostics(texts, diagnostics)
    check_transliterations(site.entries, texts, diagnostics)
    return site, bibliography, texts


def published_urls(root: Path) -> list[str] | None:
    """The URLs listed in ``ROOT/permalinks.json``, or ``None`` if there is no readable list.

    Only used to word hints (a reference to a published, now missing id is likely a
    rename); ``permalinks check`` reports a broken manifest.
    """
    import json

    try:
        data = json.loads((root / "permalinks.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    urls = data.get("urls") if isinstance(data, dict) else None
    return [u for u in urls if isinstance(u, str)] if isinstance(urls, list) else None


def _prefer_placeholder_diagnostics(texts: dict[str, bytes], diagnostics: Diagnostics) -> None:
    """Report ``TODO`` placeholders left by ``python -m generator new``.

    A placeholder also fails its field's own check (an invalid date, an unknown id...);
    the placeholder diagnostic says it better, so it replaces those on the same line.
    """
    from generator.schema.scaffold import PLACEHOLDER, find_placeholders

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
    try:
        with _collector_paused():
            site, bibliography, texts = _load_and_link(config, result.diagnostics)
        result.site, result.bibliography = site, bibliography
        if result.diagnostics.errors:
            return result
        digests = {path: hashlib.sha256(data).hexdigest() for path, data in texts.items()}
        result.files = _render(config, site, bibliography, digests, result)
    finally:
        # Unfrozen so that a long ``mkdocs serve`` session frees each build's objects.
        gc.unfreeze()
    return result


@contextmanager
def _collector_paused():
    """Keep the garbage collector out while entries, the bibliography and the links are loaded,
    and off what was loaded until :func:`build` ends.

    Loading creates millions of objects and keeps nearly all of them, so each of the
    collector's full passes (triggered as the heap grows by a quarter) walks a heap that is
    almost all live: a third of a warm generator stage at N = 10,000, for no garbage found.
    Reference counting still frees what loading drops; cycles wait for a later collection.
    On the way out the loaded objects are frozen (:func:`gc.freeze`), not handed back: the
    first collection after loading would walk all of them once (1.3 of 14 CPU s of a warm
    generator stage at N = 10,000), and rendering, which allocates millions of short-lived
    objects, would walk them again at every collection of the oldest generation.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _render(config: ProjectConfig, site: Site, bibliography: Bibliography, digests: dict[str, str],
            result: BuildResult) -> dict[str, str | bytes]:
    """Format citations and render every page; ``{}`` if that found errors."""
    diagnostics = result.diagnostics
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
    page_bib = page_bibliography(site.entries, config.site_name, config.addresses, config.site, updated,
                                 config.build_date)
    page_formatted = None
    if config.format_citations:
        formatted_pages = config.cache_dir / "pages" if config.cache_dir else Path(tempfile.mkdtemp())
        page_formatter = CitationFormatter(page_bib, styles=list(config.styles), diagnostics=diagnostics,
                                           cache_dir=formatted_pages,
                                           style_files=standalone_styles(list(config.styles), formatted_pages / "styles"))
        page_formatted = page_formatter.format([], list(page_bib.entries))
    if diagnostics.errors:
        return {}

    env = make_environment([config.overrides_dir])
    today_year = config.today_year or present_year()
    page_citations = PageCitations(page_bib, page_formatted, list(config.styles))
    globals_ = {"today_year": today_year, "timelines": Timelines(site, today_year), "config": config,
                "bibliography": bibliography, "citations": citations, "page_citations": page_citations,
                "updated": updated}
    glossary = build_glossary(site.entries)
    renderer = Renderer(env, site, citations, globals_, glossary=glossary)

    cache = PageCache(config.page_cache, verify=config.verify_page_cache)
    entry_page, source_page, data_rows = _reusing_renderers(
        cache, config, site, digests, renderer, citations, page_citations, updated, glossary, today_year)
    files = emit_site(site, bibliography, citations, renderer, config, diagnostics, entry_page=entry_page,
                      source_page=source_page, data_rows=data_rows)
    result.reused_pages, result.reused_rows, result.stale_pages = cache.hits, cache.derived_hits, cache.stale
    if diagnostics.errors:
        return {}
    cache.save()
    remove_former_disk_cache(config.root / FORMER_DISK_CACHE)
    return files


def _reusing_renderers(cache: PageCache, config: ProjectConfig, site: Site, digests: dict[str, str],
                       renderer: Renderer, citations: SiteCitations, page_citations: PageCitations,
                       updated: dict[str, Any], glossary: Any, today_year: int,
                       ) -> tuple[Callable[[Entry], str], Callable[[str, Callable[[], str]], str], Reuse]:
    """Entry-page and source-page renderers, and the data tables' ``reuse`` (see
    :func:`generator.outputs.datapackage.data_files`), that take unchanged pages and rows from ``cache``.

    The keys are described in :mod:`generator.render.page_cache`; ``digests`` holds each entry
    file's SHA-256 by its displayed path.
    """
    site_key = PageCache.site_key(
        templates=[config.overrides_dir, PACKAGE_TEMPLATES],
        settings=(config.site_name, config.site_url, config.edition, tuple(config.styles), today_year,
                  config.format_citations, config.site, config.build_date, config.schema.fingerprint),
        glossary=(list(glossary.abbreviations.items()), list(glossary.terms.items())),
        labels=list(site_labels(site).items()), citations=citations.cache_state())

    keys: dict[str, str] = {}

    def entry_key(entry: Entry, path: str) -> str:
        """The key of ``path``, a page or value made from what ``entry``'s page reads."""
        inputs = keys.get(entry.id)
        if inputs is None:
            own = (updated.get(entry.path),
                   [page_citations.formatted_text(entry, style) for style in page_citations.styles],
                   page_citations.bibtex(entry))
            inputs = keys[entry.id] = PageCache.page_key(
                site_key, entry.page_path, ((i, digests[e.path]) for i, e in neighbourhood(entry, site).items()), own)
        return inputs if path == entry.page_path else PageCache.page_key(inputs, path, (), ())

    def entry_page(entry: Entry) -> str:
        if uncached(entry.type):
            return renderer.entry_page(entry)
        return cache.render(entry.page_path, entry_key(entry, entry.page_path), lambda: renderer.entry_page(entry))

    def data_rows(table: str, entry: Entry, encode: Callable[[], EncodedRows],
                  well_formed: Callable[[Any], bool]) -> EncodedRows:
        if uncached(entry.type):
            return encode()
        name = derived_name(entry.page_path, f"data/{table}")
        return cache.derive(name, entry_key(entry, name), encode, well_formed)

    bib_files = hashlib.sha256()
    for path in sorted(config.bibliography_dir.glob("*.bib")):
        bib_files.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    shared = (bib_files.hexdigest(), [(e.id, digests[e.path]) for e in site.entries if uncached(e.type)])

    def source_page(key: str, render: Callable[[], str]) -> str:
        # A source page shows its BibTeX entry, the entries about it (guides) and the entries citing it.
        path = page_file(f"sources/{source_slug(key)}.md")
        citing = [(c.entry.id, digests[c.entry.path], c.locators) for c in citations.cited_on.get(key, [])]
        return cache.render(path, PageCache.page_key(site_key, path, [], (shared, citing)), render)

    return entry_page, source_page, data_rows


def write_files(files: dict[str, str | bytes], out: Path) -> None:
    """Write a build's files under ``out`` (for engines other than the MkDocs plugin)."""
    for path, content in sorted(files.items()):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def _mkdocs_settings(root: Path) -> dict[str, Any]:
    """Site settings from ``root/mkdocs.yml`` (the project's own, trusted file).

    ``site_name``, ``site_url``, ``site_description``, the site's declaration (``extra.companion``)
    and its data package (``extra.companion.data_package``).
    """
    import yaml

    try:
        # MkDocs' own tags (!ENV, python/name) are not needed here: read them as plain values.
        data = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(data, dict):
        return {}
    settings: dict[str, Any] = {k: str(data[k]) for k in ("site_name", "site_url", "site_description")
                                if isinstance(data.get(k), str)}
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    settings["site"] = site_info(data.get("extra"), str(theme.get("language") or "en"))
    extra = data.get("extra")
    companion = extra.get("companion") if isinstance(extra, dict) else None
    package = companion.get("data_package") if isinstance(companion, dict) else None
    if isinstance(package, dict):
        settings["data_package"] = dict(package)
    return settings


def read_mkdocs_yml(path: Path) -> Any:
    """A ``mkdocs.yml`` as data, outside MkDocs: ``!ENV`` resolved as MkDocs does, other tags as plain values."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506 - a SafeLoader


def _tolerant_loader() -> type:
    import os

    import yaml

    class Loader(yaml.SafeLoader):
        """``yaml.SafeLoader`` that resolves MkDocs' ``!ENV`` and reads other tags as plain values."""

    def plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node)
        else:
            return loader.construct_mapping(node)
        if suffix == "ENV":  # !ENV NAME or !ENV [NAME, ..., default], as MkDocs reads it
            names = value if isinstance(value, list) else [value]
            default = names[-1] if len(names) > 1 else None
            for name in names[:-1] if len(names) > 1 else names:
                if os.environ.get(str(name)):
                    return os.environ[str(name)]
            return default
        return value

    Loader.add_multi_constructor("!", plain)
    return Loader


_TolerantLoader = _tolerant_loader()



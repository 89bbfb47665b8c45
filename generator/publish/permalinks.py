"""Stable permalinks: the committed manifest of published URLs, and citable editions.

Every URL the site has ever published is listed in ``permalinks.json`` at the project
root. :func:`check_permalinks` compares a build against it and reports, like every
other stage, as diagnostics:

- a listed URL that is no longer published (``permalink.removed``): an entry was
  renamed or deleted without keeping its old id in ``aliases``;
- a redirect page whose target the site does not publish
  (``permalink.redirect-target-missing``);
- a redirect whose target is itself a redirect (``permalink.redirect-chain``);
- a published URL that is not listed yet (``permalink.unlisted``, a warning): new URLs
  enter the manifest only through ``python -m generator permalinks update``.

URLs are site-relative and start with ``/``: a generated page ``organisations/csto/index.md``
is published as ``/organisations/csto/``, an alias page
``organisations/old/index.html`` as ``/organisations/old/``, any other file under its
own path (``/data/bibliography.bib``). Hand-written pages in ``docs/`` are published
too and are listed the same way.

Editions are frozen copies of the site under ``/<version>/`` (see
``docs/contributing/editions.md``); :func:`edition_url` and :func:`current_edition`
give the address that "cite this page" should show.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Mapping
from urllib.parse import unquote, urljoin, urlsplit

from generator.diagnostics import Diagnostics, Location
from generator.diagnostics.codes import CODES
from generator.diagnostics import display_path
from generator.pipeline import ProjectConfig, build
from generator.diagnostics.suggest import close_id
from generator.schema.types import ENTRY_TYPES

MANIFEST_NAME = "permalinks.json"
"""The manifest's file name, at the project root."""

MANIFEST_COMMENT = (
    "Every URL this site has published. `python -m generator permalinks check` fails when one disappears "
    "without a redirect; new URLs are added only by `python -m generator permalinks update`. "
    "See docs/contributing/permalinks.md."
)

PERMALINK_CODES: dict[str, str] = {code: text for code, text in CODES.items() if code.startswith("permalink.")}
"""This module's diagnostic codes (documented in :data:`generator.diagnostics.codes.CODES`)."""

from generator.publish.editions import current_edition, edition_url  # noqa: E402  (re-exported)
_META_REFRESH = re.compile(r"<meta\b[^>]*\bhttp-equiv\s*=\s*[\"']?refresh\b[^>]*>", re.IGNORECASE)
_META_CONTENT = re.compile(r"\bcontent\s*=\s*(\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
_REFRESH_URL = re.compile(r"^\s*[0-9]*\s*;?\s*url\s*=\s*['\"]?([^'\"]*)['\"]?\s*$", re.IGNORECASE)
_LOCAL_BASE = "https://site.invalid"


@dataclass(frozen=True)
class Published:
    """One published URL.

    Attributes:
        url: site-relative URL, starting with ``/`` (``/organisations/csto/``).
        path: the output file that serves it (``organisations/csto/index.md``).
        origin: the input that makes it (an entry file, a ``docs/`` file), if known.
        redirect: for a redirect page, the raw target written in it.
        redirect_line: line of the redirect instruction within the output file.
    """

    url: str
    path: str
    origin: Location | None = None
    redirect: str | None = None
    redirect_line: int = 0


@dataclass
class Manifest:
    """The committed list of URLs, with where each one is written in the file."""

    urls: list[str]
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    """Addresses published as redirects (a renamed entry's former id), with their targets.

    Such an address keeps its target: readers who cite it mean that page. Only
    ``permalinks update --allow-reassign`` gives it to another page (a reviewed step).
    """

    def location(self, path: str, url: str) -> Location:
        line, column = self.positions.get(url, (0, 0))
        return Location(path, line, column)


def url_for_path(path: str) -> str:
    """The URL that publishes an output file (directory URLs, as MkDocs writes them).

    >>> url_for_path("organisations/csto.md"), url_for_path("organisations/index.md"), url_for_path("index.md")
    ('/organisations/csto/', '/organisations/', '/')
    >>> url_for_path("organisations/old/index.html"), url_for_path("data/bibliography.bib")
    ('/organisations/old/', '/data/bibliography.bib')
    """
    posix = PurePosixPath(path)
    if posix.suffix == ".md":
        if posix.name in ("index.md", "README.md"):
            parent = posix.parent.as_posix()
            return "/" if parent == "." else f"/{parent}/"
        return f"/{posix.with_suffix('').as_posix()}/"
    if posix.name == "index.html":
        parent = posix.parent.as_posix()
        return "/" if parent == "." else f"/{parent}/"
    return f"/{posix.as_posix()}"


def redirect_target(page: str) -> tuple[str, int] | None:
    """The target of a ``<meta http-equiv="refresh">`` redirect page, and its line."""
    match = _META_REFRESH.search(page)
    if match is None:
        return None
    content = _META_CONTENT.search(match.group(0))
    if content is None:
        return None
    value = html.unescape(content.group(2) if content.group(2) is not None else content.group(3))
    target = _REFRESH_URL.match(value)
    if target is None:
        return None
    return target.group(1).strip(), page.count("\n", 0, match.start()) + 1


def resolve(from_url: str, target: str, site_url: str = "") -> str | None:
    """The site-relative URL a link written on ``from_url`` points to (``None`` if external)."""
    base_path = urlsplit(site_url).path.rstrip("/") if site_url else ""
    absolute = urljoin(_LOCAL_BASE + from_url, target)
    parts = urlsplit(absolute)
    if site_url and absolute.startswith(site_url.rstrip("/") + "/"):
        path = "/" + absolute[len(site_url.rstrip("/")) + 1:].split("#")[0].split("?")[0]
    elif f"{parts.scheme}://{parts.netloc}" == _LOCAL_BASE:
        path = parts.path
        if base_path and path.startswith(base_path + "/"):
            path = path[len(base_path):]
    else:
        return None
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path or "/"


def published_urls(files: Mapping[str, str | bytes], origins: Mapping[str, Location] | None = None) -> dict[str, Published]:
    """Every URL that ``files`` (``{docs-relative path: content}``) publishes."""
    origins = origins or {}
    urls: dict[str, Published] = {}
    for path in sorted(files):
        url = url_for_path(path)
        redirect, line = None, 0
        if path.endswith(".html"):
            content = files[path]
            text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
            found = redirect_target(text)
            if found is not None:
                redirect, line = found
        origin = origins.get(path)
        if origin is not None and redirect is not None and not origin.line:
            origin = Location(origin.path, line, 1)  # a hand-written redirect: point at its <meta> line
        urls[url] = Published(url, path, origin, redirect, line)
    return urls


def docs_files(docs_dir: Path) -> dict[str, bytes]:
    """Hand-written files under ``docs/`` (they are published beside the generated ones)."""
    if not docs_dir.is_dir():
        return {}
    return {p.relative_to(docs_dir).as_posix(): p.read_bytes()
            for p in sorted(docs_dir.rglob("*")) if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(docs_dir).parts)}


_URL_LINE = re.compile(r'^\s*("/[^"\\]*")\s*,?\s*$')
_REDIRECT_LINE = re.compile(r'^\s*("/[^"\\]*")\s*:\s*("/[^"\\]*")\s*,?\s*$')


def load_manifest(path: Path, shown_as: str, diagnostics: Diagnostics, salvage: bool = False) -> Manifest | None:
    """Read ``permalinks.json``; problems become ``permalink.manifest`` diagnostics.

    With ``salvage`` (what ``update`` uses), a file that is not valid JSON, typically
    after a merge conflict, is read line by line: every line holding one URL counts,
    so both sides of a conflict are kept.
    """
    update = "run `python -m generator permalinks update` to write it"
    if not path.is_file():
        diagnostics.error("permalink.manifest", f"{MANIFEST_NAME} not found", Location(shown_as), update)
        return None
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if salvage:
            urls = [json.loads(m.group(1)) for m in map(_URL_LINE.match, text.splitlines()) if m]
            # Both sides' redirects too; where the sides disagree about one, the first listed wins.
            redirects: dict[str, str] = {}
            for m in map(_REDIRECT_LINE.match, text.splitlines()):
                if m:
                    redirects.setdefault(json.loads(m.group(1)), json.loads(m.group(2)))
            diagnostics.warning("permalink.manifest", f"not valid JSON ({exc.msg}); {len(urls)} URLs recovered line "
                                "by line", Location(shown_as, exc.lineno, exc.colno),
                                "check the rewritten file, e.g. for a URL lost in a merge conflict")
            data = {"urls": sorted(set(urls)), "redirects": redirects}
        else:
            diagnostics.error("permalink.manifest", f"not valid JSON: {exc.msg}",
                              Location(shown_as, exc.lineno, exc.colno),
                              "after a merge conflict, run `python -m generator permalinks update`: it keeps the "
                              "URLs of both sides")
            return None
    urls = data.get("urls") if isinstance(data, dict) else None
    if not isinstance(urls, list) or not all(isinstance(u, str) and u.startswith("/") for u in urls):
        diagnostics.error("permalink.manifest", "expected an object whose 'urls' is a list of URLs starting with '/'",
                          Location(shown_as, 1, 1), update)
        return None
    positions: dict[str, tuple[int, int]] = {}
    lines = text.splitlines()
    wanted = {json.dumps(u, ensure_ascii=False): u for u in urls}
    for number, line in enumerate(lines, start=1):
        stripped = line.strip().rstrip(",")
        if stripped in wanted and wanted[stripped] not in positions:
            positions[wanted[stripped]] = (number, line.index(stripped) + 1)
    if urls != sorted(set(urls)):
        diagnostics.warning("permalink.manifest", "URLs are not sorted or are listed twice", Location(shown_as, 1, 1),
                            "run `python -m generator permalinks update` to normalise the file")
    redirects = data.get("redirects", {}) if isinstance(data, dict) else {}
    if not isinstance(redirects, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.startswith("/") and v.startswith("/")
            for k, v in redirects.items()):
        diagnostics.error("permalink.manifest", "expected 'redirects' to map URLs starting with '/' to URLs",
                          Location(shown_as, 1, 1), update)
        return None
    return Manifest(urls=list(dict.fromkeys(urls)), positions=positions, redirects=dict(redirects))


def render_manifest(urls: list[str] | set[str], redirects: Mapping[str, str] | None = None) -> str:
    """The manifest's text: one URL per line, sorted, so that diffs show each change."""
    data: dict = {"comment": MANIFEST_COMMENT, "urls": sorted(set(urls))}
    if redirects:
        data["redirects"] = dict(sorted(redirects.items()))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def current_redirects(published: Mapping[str, Published], site_url: str = "") -> dict[str, str]:
    """Every published redirect within the site, as ``{address: target address}``."""
    found = {}
    for url, page in published.items():
        if page.redirect is not None:
            target = resolve(url, page.redirect, site_url)
            if target is not None:
                found[url] = target
    return found


def check_permalinks(published: Mapping[str, Published], manifest: Manifest | None, diagnostics: Diagnostics,
                     manifest_path: str = MANIFEST_NAME, site_url: str = "", redirect_hint: str | None = None,
                     under: tuple[str, ...] = ()) -> None:
    """Compare the published URLs with the manifest and check every redirect.

    ``under`` limits the check to URLs starting with one of these prefixes
    (``/organisations/``); redirect targets are still looked up in the whole site.
    """
    def in_scope(url: str) -> bool:
        return not under or url.startswith(under)

    for url in sorted(published):
        page = published[url]
        if page.redirect is None or not in_scope(url):
            continue
        where = page.origin or Location(page.path, page.redirect_line, 1)
        target = resolve(url, page.redirect, site_url)
        if target is None:
            continue  # a redirect to another site is not ours to check
        found = published.get(target) or (published.get(target + "/") if not target.endswith("/") else None)
        if found is None:
            diagnostics.error(
                "permalink.redirect-target-missing",
                f"redirect {url} ({page.path}) points to '{page.redirect}', i.e. {target}, which the site does not "
                "publish", where,
                redirect_hint or _nearest_page(target, published),
            )
        elif found.redirect is not None:
            final = _follow(found, published, site_url)
            diagnostics.error(
                "permalink.redirect-chain",
                f"redirect {url} ({page.path}) points to {found.url}, which is itself a redirect", where,
                f"point it straight at {final}" if final else "the redirects form a loop",
            )

    if manifest is None:
        return
    for url, target in sorted(manifest.redirects.items()):
        page = published.get(url)
        if page is None or not in_scope(url):
            continue  # a vanished address is reported as permalink.removed below
        now = resolve(url, page.redirect, site_url) if page.redirect is not None else None
        if page.redirect is not None and (now is None or now == target):
            continue
        shows = f"now redirects to {now}" if page.redirect is not None else "now shows another page"
        source = f" ({page.origin.path})" if page.origin else ""
        diagnostics.error(
            "permalink.retargeted", f"{url} redirected to {target} and {shows}{source}", page.origin or
            Location(manifest_path), f"readers who cite {url} mean {target}: give this entry another id; to give "
            "the address away on purpose, run `python -m generator permalinks update --allow-reassign` and say why "
            "in the pull request")
    listed = set(manifest.urls)
    for url in manifest.urls:
        if url not in published and in_scope(url):
            diagnostics.error("permalink.removed", f"{url} was published and is gone, with no redirect",
                              manifest.location(manifest_path, url), _removal_hint(url, published, listed))
    for url in sorted(u for u in set(published) - listed if in_scope(u)):
        page = published[url]
        diagnostics.warning("permalink.unlisted", f"{url} is new and not in {MANIFEST_NAME}",
                            page.origin or Location(manifest_path),
                            "run `python -m generator permalinks update` and commit permalinks.json")


def _closest(word: str, candidates: list[str]) -> str | None:
    return close_id(word, candidates)  # strict: a look-alike id is usually another thing entirely


def _nearest_page(target: str, published: Mapping[str, Published]) -> str:
    """A hint for a redirect to nowhere: a page of the same folder with a similar name."""
    folder, _, name = target.rstrip("/").rpartition("/")
    siblings = {u.rstrip("/").rpartition("/")[2]: u for u, p in published.items()
                if p.redirect is None and u.rstrip("/").rpartition("/")[0] == folder}
    guess = _closest(name, list(siblings))
    return f"did you mean {siblings[guess]}?" if guess else "point it at a page the site publishes"


def _follow(page: Published, published: Mapping[str, Published], site_url: str) -> str | None:
    seen = {page.url}
    while page.redirect is not None:
        target = resolve(page.url, page.redirect, site_url)
        nxt = published.get(target or "")
        if nxt is None or nxt.url in seen:
            return None if nxt is not None else target
        seen.add(nxt.url)
        page = nxt
    return page.url


def _removal_hint(url: str, published: Mapping[str, Published], listed: set[str]) -> str:
    deliberate = "a deliberate removal needs `python -m generator permalinks update --allow-removal`"
    parts = url.strip("/").split("/")
    if len(parts) == 2 and url.endswith("/") and parts[0] in {t.url_prefix for t in ENTRY_TYPES}:
        folder, old = parts
        # A rename removes one URL and adds one of the same type: the new pages of this type are the candidates,
        # never an existing page whose name merely looks alike.
        new = sorted(u for u, p in published.items()
                     if p.redirect is None and u.startswith(f"/{folder}/") and u.count("/") == 3 and u not in listed)
        if len(new) == 1:
            page = published[new[0]]
            where = f" ({page.origin.path})" if page.origin else ""
            return (f"it looks renamed: {new[0]} is new in this change; add `aliases: [{old}]` to that entry{where} "
                    f"so the old address redirects there; {deliberate}")
        if new:
            return (f"if '{old}' was renamed, add `aliases: [{old}]` to the entry that replaces it (new in this change: "
                    f"{', '.join(new[:5])}); {deliberate}")
        return f"if '{old}' was renamed or merged, add `aliases: [{old}]` to the entry that replaces it; {deliberate}"
    return f"restore it or leave a redirect at its address; {deliberate}"


@dataclass
class PermalinkReport:
    """What :func:`run_check` found: the diagnostics and the URLs it saw."""

    diagnostics: Diagnostics
    published: dict[str, Published] = field(default_factory=dict)
    manifest: Manifest | None = None


def collect(config: ProjectConfig, docs_dir: Path | None, diagnostics: Diagnostics) -> dict[str, Published] | None:
    """Build the site (without formatting citations) and list what it publishes."""
    # Formatting citations changes no path, and skipping it makes the check fast.
    result = build(dataclasses.replace(config, format_citations=False))
    diagnostics.extend(result.diagnostics.items)
    if not result.ok:
        return None
    origins: dict[str, Location] = {}
    if result.site is not None:
        for entry in result.site.entries:
            origins[entry.page_path] = entry.location
        for alias, entry in result.site.aliases.items():
            origins[f"{entry.type.url_prefix}/{alias}/index.html"] = _alias_location(config.root, entry.path, alias)
    files: dict[str, str | bytes] = dict(result.files)
    if docs_dir is not None:
        for path, content in docs_files(docs_dir).items():
            if path not in files:
                files[path] = content
                origins[path] = Location(display_path(docs_dir / path, config.root))
    return published_urls(files, origins)


def run_check(config: ProjectConfig, docs_dir: Path | None = None, manifest_path: Path | None = None,
              under: tuple[str, ...] = (), salvage: bool = False) -> PermalinkReport:
    """Everything ``python -m generator permalinks check`` reports (``under``: see :func:`check_permalinks`)."""
    diagnostics = Diagnostics()
    manifest_path = manifest_path or config.root / MANIFEST_NAME
    shown = display_path(manifest_path, config.root)
    published = collect(config, docs_dir, diagnostics)
    if published is None:
        return PermalinkReport(diagnostics)
    manifest = load_manifest(manifest_path, shown, diagnostics, salvage)
    override = config.overrides_dir / "redirect.html.jinja"
    hint = f"check the redirect template {display_path(override, config.root)}" if override.is_file() else None
    check_permalinks(published, manifest, diagnostics, shown, config.site_url, hint, under)
    return PermalinkReport(diagnostics, published, manifest)


def run_update(config: ProjectConfig, docs_dir: Path | None = None, manifest_path: Path | None = None,
               allow_removal: bool = False, allow_reassign: bool = False) -> tuple[Diagnostics, list[str] | None]:
    """Add every new URL to the manifest; refuse to drop URLs unless ``allow_removal``.

    Redirects are recorded with their targets; a recorded redirect's address is given
    to another page only with ``allow_reassign``.

    Returns the diagnostics (errors mean nothing was written) and the URLs written.
    """
    manifest_path = manifest_path or config.root / MANIFEST_NAME
    first = not manifest_path.exists()
    report = run_check(config, docs_dir, manifest_path, salvage=True)
    diagnostics = Diagnostics()
    for item in report.diagnostics.items:
        if item.code == "permalink.unlisted" or (item.code == "permalink.manifest" and first):
            continue  # what update is for
        if item.code == "permalink.removed" and allow_removal:
            diagnostics.warning(item.code, f"{item.message}: dropped from {MANIFEST_NAME} (--allow-removal)",
                                item.location)
            continue
        if item.code == "permalink.retargeted" and allow_reassign:
            diagnostics.warning(item.code, f"{item.message}: reassigned in {MANIFEST_NAME} (--allow-reassign)",
                                item.location)
            continue
        diagnostics.add(item)
    if diagnostics.errors or not report.published:
        return diagnostics, None
    urls = set(report.published)
    if report.manifest is not None and not allow_removal:
        urls |= set(report.manifest.urls)
    redirects = current_redirects(report.published, config.site_url)
    if report.manifest is not None and not allow_reassign:
        redirects = {**redirects, **report.manifest.redirects}  # a recorded redirect keeps its target
    redirects = {url: target for url, target in redirects.items() if url in urls}
    manifest_path.write_text(render_manifest(urls, redirects), encoding="utf-8")
    return diagnostics, sorted(urls)


_LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}


class _LinkCollector(HTMLParser):
    """Every local link and resource reference in one HTML page, with its position."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _LINK_ATTRIBUTES.get(tag)
        if wanted is None:
            return
        for name, value in attrs:
            if name == wanted and value:
                line, column = self.getpos()
                self.links.append((value.strip(), line, column + 1))


def climbs_above_root(page: str, href: str) -> bool:
    """Whether a relative ``href`` on the site file ``page`` leaves the site's folder.

    >>> climbs_above_root("organisations/csto/index.html", "../../sources/x/")
    False
    >>> climbs_above_root("organisations/csto/index.html", "../../../sources/x/")
    True
    """
    if href.startswith("/"):
        return False
    depth = page.count("/")
    for segment in href.split("/"):
        if segment == "..":
            depth -= 1
            if depth < 0:
                return True
        elif segment not in ("", "."):
            depth += 1
    return False


def check_site_links(site_dir: Path, diagnostics: Diagnostics, shown_as: str = "site") -> int:
    """Check that every local link in the built HTML reaches a file; returns how many were checked."""
    checked = 0
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        collector = _LinkCollector()
        collector.feed(page.read_text(encoding="utf-8", errors="replace"))
        for href, line, column in collector.links:
            if href.startswith(("#", "//", "data:", "mailto:", "tel:", "javascript:")) or urlsplit(href).scheme:
                continue
            target = unquote(urlsplit(urljoin(f"{_LOCAL_BASE}/{relative}", href)).path).lstrip("/")
            checked += 1
            if climbs_above_root(relative, urlsplit(href).path):
                diagnostics.error("permalink.broken-link",
                                  f"'{href}' climbs above the site root: it reaches /{target} only where the "
                                  "site is served at the root of its domain, not in an edition such as /v1.0/",
                                  Location(f"{shown_as}/{relative}", line, column),
                                  "link with a path relative to the page that stays inside the site")
                continue
            candidate = site_dir / target
            if target.endswith("/") or not target:
                candidate = candidate / "index.html"
            elif candidate.is_dir():
                candidate = candidate / "index.html"
            if not candidate.is_file():
                diagnostics.error("permalink.broken-link", f"'{href}' (/{target}) is not in the built site",
                                  Location(f"{shown_as}/{relative}", line, column),
                                  "fix the link in the template or page that writes it, or publish the target")
    return checked


def _alias_location(root: Path, entry_path: str, alias: str) -> Location:
    """Where ``alias`` is written in the entry file (its ``aliases`` item), or the file's start."""
    try:
        lines = (root / entry_path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return Location(entry_path, 1, 1)
    in_aliases = False
    pattern = re.compile(rf"(?<![a-z0-9-]){re.escape(alias)}(?![a-z0-9-])")
    for number, line in enumerate(lines, start=1):
        if line.startswith("aliases:"):
            in_aliases = True
        elif line and not line[0].isspace() and not line.startswith("#"):
            in_aliases = False
        if in_aliases:
            match = pattern.search(line.split("#", 1)[0])
            if match:
                return Location(entry_path, number, match.start() + 1)
    return Location(entry_path, 1, 1)




__all__ = [
    "MANIFEST_NAME", "Manifest", "PERMALINK_CODES", "Published", "check_permalinks", "current_edition",
    "check_site_links", "edition_url", "load_manifest", "published_urls", "redirect_target", "render_manifest", "resolve", "run_check",
    "run_update", "url_for_path",
]

"""Pages kept from the previous ``mkdocs build``, so that a rebuild renders only what changed.

MkDocs converts every page's Markdown to HTML (``_populate_page``) and puts every page through
the theme's template (``_build_page``) on every build; the generator's own page cache only
spares it the *Markdown*. This module, used by :mod:`generator.mkdocs_plugin`, spares both
steps for the pages the generator writes (and hand-written ones, see below), in two stages, each
with its own key:

1. **Markdown to HTML.** A page's conversion depends on its Markdown file (front matter
   included), its address, the settings (Markdown extensions, validation levels …), the
   libraries and the code, and on the other files its links resolve to. The first are the
   key; the files each link was looked up under are recorded while the page converts (the
   address each lookup gave, or that it found nothing) and must give the same answers. On a
   hit, the page's ``read_source`` and ``render`` are replaced by restoring what they produced
   last time: the meta, the table of contents, the title from the first heading, the anchors
   the page holds and those it links to (MkDocs validates those across pages after the build),
   and the anchors it registered with mkdocs-autorefs. The HTML itself is not stored.
2. **The theme's template.** What the template makes of a page depends on the stage-1 key,
   the navigation (every item's title and address: known only once every page has its title),
   the page's title and the same settings, theme files and date. On a hit, the previous
   build's file of that page (in the site being replaced) is hard-linked into the new site
   (copied where links fail) if its SHA-256 is the one recorded, and the page is built with a
   template that renders nothing (:data:`CACHED_TEMPLATE`): MkDocs writes no file for an empty
   page, so the linked file stays. The page is still in MkDocs' list of pages (the sitemap,
   the navigation and link checks see it), and Pagefind reads the linked file.
   A stage-1 hit whose stage 2 misses is converted after all (:meth:`RenderCache.convert`).

Only pages that converted without any log message (no broken link, no excluded target) and
whose every ``on_post_page`` left them unchanged are kept. A page with mkdocs-autorefs
cross-references (resolved against every page after the conversion) is kept only while each of
them resolves to the address and title it did. Hand-written pages of ``docs/`` are kept only when
every Markdown extension in use is known to read nothing but the page
(:data:`generator.render_stamp.PURE_EXTENSIONS`), and a page documented with mkdocstrings only while every Python file its handler loaded is
unchanged; its objects (the inventory, ``objects.inv``) are registered again, as its anchors are.

Anything the keys cannot see makes the whole build render every page, with the reason logged:
no cache yet, the generator's code or any installed library changed, ``mkdocs.yml`` or the
resolved settings changed (``mkdocs serve`` changes ``site_url``, so switching between
``serve`` and ``build`` is one such change), a theme file or override changed, the build date
(``SOURCE_DATE_EPOCH``) changed, a plugin is in use that is not known to be safe
(:data:`generator.render_stamp.SAFE_PLUGINS`), or ``--dirty``.

The cache is one JSON file (``.cache/render.json``), read as if anyone could have written it:
JSON cannot run code, and a record of the wrong shape is a miss. It holds no HTML; a forged
record can still give a page a forged title or meta (or ``objects.inv`` a forged entry), which
is why CI restores caches only from the default branch (``.github/workflows/deploy.yml``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from pathlib import Path
from typing import Any, Iterable

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from generator.publish.site_swap import link_or_copy
from generator.render.cache_files import file_sha256, write_atomically
from generator.render_listening import (
    Listening, QuietSkips, RecordingFiles, handler_sources, lookup_answer, silenced, source_digest,
)
from generator.render_stamp import REASONS, stamp_digest as _digest, templates_read_all_pages

log = logging.getLogger("mkdocs.plugins.companion")

FORMAT = 4
"""Bump when the file layout or the make-up of a key changes."""

CACHED_TEMPLATE = "companion-kept-page.html"
"""The template a kept page is built with: it renders nothing, so MkDocs leaves the linked file alone."""

_AUTOREF = re.compile(r'<autoref\s[^>]*?\bidentifier="([^"]*)"')
"""An mkdocs-autorefs cross-reference in converted HTML (resolved in autorefs' ``on_env``)."""
_LEGACY_AUTOREF = "data-autorefs-"
"""The older form of a cross-reference (``<span data-autorefs-identifier=…>``): such a page is never kept."""
_BACKLINKS = "<backlinks"
"""Where mkdocstrings shows the pages that link to an object (gathered from every page's
cross-references): such a page is never kept, and while one is built no page with cross-references is."""


# -- records -----------------------------------------------------------------------------------

def _toc_data(items: Iterable[AnchorLink]) -> list[Any]:
    return [[item.title, item.id, item.level, _toc_data(item.children)] for item in items]


def _toc(data: list[Any]) -> list[AnchorLink]:
    items = []
    for title, ident, level, children in data:
        item = AnchorLink(title, ident, level)
        item.children = _toc(children)
        items.append(item)
    return items


def _is_toc(data: Any, depth: int = 0) -> bool:
    return depth < 20 and isinstance(data, list) and all(
        isinstance(i, list) and len(i) == 4 and isinstance(i[0], str) and isinstance(i[1], str)
        and type(i[2]) is int and _is_toc(i[3], depth + 1) for i in data)


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _valid(record: Any) -> bool:
    """Whether a stored record has the shape this module writes (anything else is a miss)."""
    if not isinstance(record, dict):
        return False
    try:
        return (isinstance(record["key"], str) and type(record["offset"]) is int and record["offset"] >= 0
                and isinstance(record["meta"], dict)
                and (record["title"] is None or isinstance(record["title"], str))
                and _is_toc(record["toc"]) and _is_strings(record["anchors"])
                and (record["links"] is None or (isinstance(record["links"], dict) and all(
                    isinstance(k, str) and isinstance(v, dict)
                    and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
                    for k, v in record["links"].items())))
                and isinstance(record["lookups"], list)  # numbers into the file's table: see _resolved
                and isinstance(record["autorefs"], list) and all(
                    isinstance(x, list) and len(x) == 4 and isinstance(x[0], str)
                    and all(v is None or isinstance(v, str) for v in x[1:3]) and isinstance(x[3], bool)
                    for x in record["autorefs"])
                and _is_strings(record["refs"])
                and (record["resolved"] is None or (isinstance(record["resolved"], list) and all(
                    isinstance(x, list) and len(x) == 3 and isinstance(x[0], str)
                    and all(v is None or isinstance(v, str) for v in x[1:]) for x in record["resolved"])))
                and _is_strings(record["handlers"])
                and isinstance(record["inventory"], list) and all(
                    isinstance(x, list) and len(x) == 6 and all(isinstance(v, str) for v in x[:4])
                    and type(x[4]) is int and (x[5] is None or isinstance(x[5], str)) for x in record["inventory"])
                and isinstance(record["sources"], dict) and all(
                    isinstance(k, str) and isinstance(v, str) for k, v in record["sources"].items())
                and (record["page"] is None or isinstance(record["page"], str))
                and (record["html"] is None or isinstance(record["html"], str)))
    except (KeyError, TypeError, ValueError):
        return False


def _lookup_table(stored: Any) -> list[tuple[str, str | None, bool]] | None:
    """The file's table of distinct lookups (``[path, url | None, excluded]``), or ``None`` if damaged."""
    if not isinstance(stored, list):
        return None
    table = []
    for item in stored:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                and (item[1] is None or isinstance(item[1], str)) and isinstance(item[2], bool)):
            return None
        table.append((item[0], item[1], item[2]))
    return table


def _resolved(record: dict[str, Any], table: list[tuple[str, str | None, bool]]) -> dict[str, Any] | None:
    """``record`` with its lookups taken from ``table`` by number (``None`` if a number is not in it)."""
    numbers = record["lookups"]
    if numbers and (set(map(type, numbers)) != {int} or min(numbers) < 0 or max(numbers) >= len(table)):
        return None
    return {**record, "lookups": list(map(table.__getitem__, numbers))}


def read_records(path: Path) -> tuple[dict[str, str] | None, dict[str, dict[str, Any]]]:
    """The stamp and the records of a cache file (``None`` and nothing if missing or damaged)."""
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError, UnicodeDecodeError):
        return None, {}
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        return None, {}
    stamp, pages, table = stored.get("stamp"), stored.get("pages"), _lookup_table(stored.get("lookups"))
    if (not isinstance(stamp, dict) or not all(isinstance(v, str) for v in stamp.values()) or not isinstance(pages, dict)
            or table is None):
        return None, {}
    records = {}
    for uri, record in pages.items():
        if isinstance(uri, str) and _valid(record) and (resolved := _resolved(record, table)) is not None:
            records[uri] = resolved
    return stamp, records


class RenderCache:
    """One build's use of the kept pages (see the module docstring).

    Args:
        path: the cache file.
        stamp: :func:`build_stamp` of this build.
        previous_site: the site this build replaces (where kept pages' HTML is read), if any.
        autorefs: the mkdocs-autorefs plugin instance, if it is in use.
        refuse: a reason to render every page (logged), or ``None``.
        handlers: mkdocstrings' handlers (``plugin.handlers``, after :func:`generator.render_listening.listen_to_mkdocstrings`),
            if mkdocstrings is in use.
    """

    def __init__(self, path: Path, stamp: dict[str, str], previous_site: Path | None, autorefs: Any,
                 refuse: str | None = None, handlers: Any = None) -> None:
        self.path = path
        self.stamp = stamp
        self.previous_site = previous_site
        self.autorefs = autorefs
        self.handlers = handlers
        self._sources: dict[str, str | None] = {}
        self._backlinks_shown = False
        self.files: RecordingFiles | None = None
        self.active = refuse is None
        """Whether pages are recorded (and kept, if the stamp is unchanged): not under a refusal."""
        old_stamp, old = read_records(path) if refuse is None else (None, {})
        if refuse is not None:
            self.reason = refuse
        elif old_stamp is None:
            self.reason = "no render cache yet (.cache/render.json)"
        elif old_stamp != stamp:
            self.reason = "; ".join(REASONS.get(k, k) for k in sorted(set(stamp) | set(old_stamp))
                                    if stamp.get(k) != old_stamp.get(k))
        else:
            self.reason = None
        self._old = old if self.reason is None else {}
        self._shared = _digest(FORMAT, stamp)
        self._new: dict[str, dict[str, Any]] = {}
        self._listening: dict[str, Listening] = {}
        self._answers: dict[str, list[Any] | None] = {}
        self._kept_source: set[str] = set()
        self.kept: dict[str, str] = {}
        """The pages whose previous HTML this build uses (linked into the new site), with its SHA-256."""
        self.kept_files: dict[str, str] = {}
        """The same pages' files, by their path in the site, with the SHA-256 checked after linking."""
        self.converted = 0
        self.considered = 0
        """Pages that could have been kept (the generator's, and hand-written ones where allowed)."""
        self._quiet = QuietSkips(self.kept)
        self._site_dir = Path()
        self._build_log = logging.getLogger("mkdocs.commands.build")

    # stage 1: Markdown to HTML

    def track(self, files: Files) -> RecordingFiles:
        """The build's files, recording lookups from now on (same object, its class made :class:`RecordingFiles`)."""
        if not isinstance(files, RecordingFiles):
            files.__class__ = RecordingFiles
        self.files = files  # type: ignore[assignment]
        return self.files  # type: ignore[return-value]

    def source_key(self, page: Page) -> str:
        """Stage 1's key of a page: what every page shares, its addresses and its Markdown file."""
        digest = hashlib.sha256(self._shared.encode())
        for part in (page.file.src_uri, page.file.dest_uri, page.file.url, page.file.content_string):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def before(self, page: Page, files: Files) -> None:
        """``on_pre_page`` of a page the generator wrote: restore it on a hit, else note its key."""
        uri = page.file.src_uri
        if files is not self.files or page.file.inclusion.is_excluded():
            return
        key = self.source_key(page)
        record = self._old.get(uri)
        self.considered += 1
        self._new[uri] = {"key": key}
        if (record is None or record["key"] != key or not self._same_answers(record["lookups"])
                or not self._same_sources(record["sources"]) or (record["handlers"] and self.handlers is None)):
            return
        self._new[uri] = dict(record, page=None, html=None)
        self._kept_source.add(uri)
        page.read_source = lambda config: self._restore_source(page, record)  # type: ignore[method-assign]
        page.render = lambda config, files: self._restore_render(page, record, files)  # type: ignore[method-assign]

    def _same_answers(self, lookups: list[Any]) -> bool:
        """Whether every lookup a page's conversion made (``(path, url | None, excluded)``, as
        :func:`read_records` checked them) gives the same answer now."""
        assert self.files is not None
        find = self.files.src_uris.get  # the recorded paths are normalised already; records nothing
        answers = self._answers  # pages share most of their lookups: each path is answered once
        try:
            for path, url, excluded in lookups:
                answer = answers.get(path)
                if answer is None:
                    answer = answers[path] = lookup_answer(path, find(path)) if isinstance(path, str) else None
                if answer is None or answer[1] != url or answer[2] is not excluded:
                    return False
        except (TypeError, ValueError):
            return False
        return True

    def _same_sources(self, sources: dict[str, str]) -> bool:
        """Whether every Python file (and package folder) a page's mkdocstrings handler had loaded is as it was."""
        for path, digest in sources.items():
            if path not in self._sources:
                self._sources[path] = source_digest(path)
            if self._sources[path] != digest:
                return False
        return True

    @staticmethod
    def _restore_source(page: Page, record: dict[str, Any]) -> None:
        page.markdown = page.file.content_string[record["offset"]:]
        page.meta = json.loads(json.dumps(record["meta"]))

    def _restore_render(self, page: Page, record: dict[str, Any], files: Files) -> None:
        page.content = ""  # the template stage uses the previous HTML, or converts it then (see convert)
        toc = _toc(record["toc"])
        if toc:
            toc[0].active = True  # type: ignore[attr-defined]
        page.toc = TableOfContents(toc)
        page._title_from_render = record["title"]
        page.present_anchor_ids = set(record["anchors"])
        if record["links"] is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): dict(links)
                                     for uri, links in record["links"].items()}
        if self.autorefs is not None:
            for identifier, anchor, title, primary in record["autorefs"]:
                self.autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
        if self.handlers is not None:
            for name in record["handlers"]:
                self.handlers.get_handler(name)  # a handler seen in the build writes its CSS and inventory
            for name, domain, role, uri, priority, dispname in record["inventory"]:
                self.handlers.inventory.register(name, domain, role, uri, priority, dispname)

    def converting(self, page: Page) -> None:
        """``on_page_markdown`` (last): a page that is not kept converts now; listen."""
        uri = page.file.src_uri
        if uri in self._new and uri not in self._kept_source and self.files is not None:
            listening = Listening(self.files, self.autorefs, self.handlers)
            self._listening[uri] = listening.__enter__()

    def converted_page(self, page: Page, html: str) -> None:
        """``on_page_content`` (first): record what a page's conversion gave, if it can be kept."""
        uri = page.file.src_uri
        listening = self._listening.pop(uri, None)
        if listening is None:
            return
        listening.__exit__()
        self.converted += 1
        markdown = page.markdown or ""
        source = page.file.content_string
        meta = page.meta
        try:
            plain_meta = json.loads(json.dumps(meta)) == meta
        except (TypeError, ValueError):
            plain_meta = False
        refs = sorted(set(_AUTOREF.findall(html)))
        sources: dict[str, str] | None = {}
        for name in listening.handlers:
            found = handler_sources(self.handlers.get_handler(name)) if self.handlers is not None else None
            if found is None or sources is None or None in found.values():
                sources = None
                break
            sources.update(found)
        if _BACKLINKS in html:
            self._backlinks_shown = True
        if (listening.messages.count or _LEGACY_AUTOREF in html or _BACKLINKS in html
                or (refs and not self._resolvable()) or not plain_meta or not source.endswith(markdown) or sources is None):
            del self._new[uri]
            return
        links = getattr(page, "links_to_anchors", None)
        self._new[uri].update(
            offset=len(source) - len(markdown), meta=meta, title=page._title_from_render,
            toc=_toc_data(page.toc), anchors=sorted(page.present_anchor_ids or ()),
            links=None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            lookups=listening.lookups, autorefs=listening.anchors, refs=refs, resolved=None,
            handlers=listening.handlers, inventory=listening.inventory, sources=sources, page=None, html=None)

    def abandon(self) -> None:
        """The build failed: stop listening to whatever page was converting (nothing is saved)."""
        for listening in self._listening.values():
            listening.__exit__()
        self._listening.clear()
        self.close()

    def close(self) -> None:
        """The build is over: MkDocs' log is left as it was."""
        self._build_log.removeFilter(self._quiet)

    # stage 2: the theme's template

    def choose(self, nav: Navigation, files: Files, config: Any, keep: bool = True) -> None:
        """``on_env``: link the kept pages' previous HTML into the new site; convert the others now
        (all of them when not ``keep``: ``mkdocs serve`` marking every page with a failed build's errors)."""
        shape = _nav_shape(nav)
        static = tuple(str(t) for t in getattr(config.theme, "static_templates", ()))
        if templates_read_all_pages(tuple(str(d) for d in getattr(config.theme, "dirs", [])), static,
                                     self.stamp.get("theme", "")):
            shape = [shape, sorted(f.url for f in files.documentation_pages())]
        nav_key = _digest(shape)
        for uri, record in self._new.items():
            file = files.get_file_from_path(uri)
            if file is None or file.page is None:
                continue
            page = file.page
            record["page"] = _digest(record["key"], nav_key, page.title, page.url, page.canonical_url,
                                     page.edit_url, [page.meta.get("template")])
            old = self._old.get(uri)
            if (keep and uri in self._kept_source and old is not None and old["page"] == record["page"]
                    and (not old["refs"] or (not self._backlinks_shown
                                             and self._resolve(old["refs"], page.url) == old["resolved"]))
                    and self._link_previous(file.dest_uri, old["html"], Path(config.site_dir))):
                self.kept[uri] = record["html"] = old["html"]
                self.kept_files[file.dest_uri] = old["html"]
                page.meta["template"] = CACHED_TEMPLATE
            elif uri in self._kept_source:
                self.convert(page, config, files)
        if self.kept:
            self._build_log.addFilter(self._quiet)
        self._site_dir = Path(config.site_dir)

    def written(self, page: Page, output: str) -> None:
        """``on_post_page``, last: a kept page that some hook gave content after all is not kept.

        Its linked file is removed before MkDocs writes the page, so that the write cannot go
        through the link into the previous site's file.
        """
        uri = page.file.src_uri
        if uri not in self.kept or not output.strip():
            return
        del self.kept[uri]
        self.kept_files.pop(page.file.dest_uri, None)
        self._new[uri]["html"] = None
        try:
            (self._site_dir / page.file.dest_uri).unlink()
        except OSError:
            pass

    def _resolvable(self) -> bool:
        """Whether a page's cross-references can be checked again (autorefs is in use)."""
        return self.autorefs is not None and callable(getattr(self.autorefs, "get_item_url", None))

    def _resolve(self, refs: list[str], url: str) -> list[list[Any]] | None:
        """What each cross-reference of the page at ``url`` resolves to now, as autorefs resolves it:
        ``[identifier, address, title]`` (``None`` for both if nowhere); ``None`` if resolving logged
        anything (the page is then converted, and autorefs says it again)."""
        if not self._resolvable():
            return None
        fallback = getattr(self.autorefs, "get_fallback_anchor", None)
        options = {"fallback": fallback} if fallback is not None else {}
        resolved: list[list[Any]] = []
        with silenced() as gate:
            for identifier in refs:
                try:
                    address, title = self.autorefs.get_item_url(identifier, from_url=url, **options)
                except KeyError:
                    address, title = None, None
                except Exception:  # noqa: BLE001 - whatever autorefs raises: the page is converted instead
                    return None
                resolved.append([identifier, address, title])
        return None if gate.count else resolved

    def _link_previous(self, dest: str, digest: Any, site_dir: Path) -> bool:
        """Put the previous site's file at ``dest`` into ``site_dir`` if its SHA-256 is ``digest``.

        Linked first and checked after, so that what is checked is what the new site holds. A
        recycled site (:func:`generator.publish.site_swap.adopt`) may hold that very file (the
        same inode) already: it is checked where it is.
        """
        if self.previous_site is None or not isinstance(digest, str):
            return False
        source, target = self.previous_site / dest, site_dir / dest
        try:
            found = os.lstat(source)
            if not stat.S_ISREG(found.st_mode):
                return False
            try:
                there = os.lstat(target)
            except FileNotFoundError:
                there = None
            if there is not None and not os.path.samestat(found, there):
                target.unlink()
                there = None
            if there is None:
                target.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(source, target)
            if file_sha256(target) == digest:
                return True
        except OSError:
            pass
        try:
            target.unlink()
        except OSError:
            pass
        return False

    def convert(self, page: Page, config: Any, files: Files) -> None:
        """Convert a page whose Markdown stage was restored, because its template stage cannot be."""
        self.converted += 1
        current = getattr(self.autorefs, "current_page", None)
        if self.autorefs is not None:
            self.autorefs.current_page = page  # autorefs files the anchors it scans under its current page
        try:
            Page.render(page, config, files)
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        finally:
            if self.autorefs is not None:
                self.autorefs.current_page = current

    def built(self, page: Page, output: str, published: str) -> None:
        """``on_post_page``: the template's ``output``, and what the page's hooks made of it."""
        record = self._new.get(page.file.src_uri)
        if record is None or record.get("page") is None or page.file.src_uri in self.kept:
            return
        if published != output:
            record["html"] = None
            return
        if record.get("refs"):
            record["resolved"] = None if self._backlinks_shown else self._resolve(record["refs"], page.url)
            if record["resolved"] is None:
                record["html"] = None
                return
        try:
            record["html"] = hashlib.sha256(output.encode("utf-8")).hexdigest()
        except UnicodeEncodeError:
            record["html"] = None

    def save(self) -> None:
        """Keep this build's records (after the site was published).

        Pages share most of their lookups (16,000 distinct among 496,000 at N = 10,000), so the
        file lists each distinct lookup once and a record refers to them by number.
        """
        table: dict[tuple[Any, ...], int] = {}
        pages = {}
        for uri, record in self._new.items():
            if "offset" in record:
                numbers = [table.setdefault(tuple(lookup), len(table)) for lookup in record["lookups"]]
                pages[uri] = {**record, "lookups": numbers}
        data = {"format": FORMAT, "stamp": self.stamp, "lookups": [list(lookup) for lookup in table], "pages": pages}
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def summary(self) -> str:
        """What this build did, for the log."""
        if self.reason is not None:
            return f"rendering every page: {self.reason}"
        return (f"{len(self.kept):,} of {self.considered:,} pages kept from the previous build; "
                f"{self.converted:,} converted from Markdown")


def _nav_shape(nav: Navigation) -> list[Any]:
    """Every navigation item's kind, title, address and children (what a page's sidebar shows)."""
    def shape(items: Iterable[Any]) -> list[Any]:
        found = []
        for item in items:
            if isinstance(item, Section):
                found.append(["section", item.title, shape(item.children)])
            elif isinstance(item, Link):
                found.append(["link", item.title, item.url])
            else:
                found.append(["page", item.title, item.url, item.file.src_uri])
        return found
    homepage = nav.homepage.url if nav.homepage is not None else None
    return [homepage, shape(nav.items)]


__all__ = ["CACHED_TEMPLATE", "RenderCache", "read_records"]

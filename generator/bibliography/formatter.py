"""Formatting citations and references with citeproc-js, with an on-disk cache.

:class:`CitationFormatter` formats every in-text cluster of the whole site and every
reference in one call, in ONE citeproc-js process (see :mod:`.engine`), so disambiguation
is site-wide: two Dugin 2011 items become 2011a/2011b everywhere.

Caching (``cache_dir``, one JSON file per style and kind):

* a reference is keyed by (style, engine, the entry's CSL-JSON, and the CSL-JSON of its
  *peers*: the entries whose first author/editor has the same family name and whose date has
  the same year; any year for styles with ``subsequent-author-substitute``). Only peers can
  change a reference's text (year suffixes 2011a/2011b, "———" for a repeated author), so
  editing one entry re-formats only its peers' references;
* the bibliography order and every cluster are keyed by (style, engine, the whole registry:
  all entries' CSL-JSON, and the cluster itself).

When everything asked for is cached, no Node process starts (:attr:`CitationFormatter.engine_runs`
counts the processes started). Otherwise one process formats what is missing, registering
every entry so that disambiguation stays correct.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.bibliography.engine import (
    EngineError,
    engine_fingerprint,
    locale_xml,
    run_engine,
    style_path,
)
from generator.bibliography.model import LOCATOR_LABELS, Bibliography, CiteItem
from generator.render.cache_files import write_atomically
from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity, did_you_mean
from generator.diagnostics.suggest import citation_hint

DEFAULT_STYLES = ("chicago-author-date", "apa")
_CACHE_VERSION = "1"
_UNKNOWN_KEY_HINT = "add the work to a .bib file in bibliography/"


@dataclass
class FormattedCitations:
    """What :meth:`CitationFormatter.format` returns.

    Attributes:
        clusters: HTML of in-text cluster ``i`` in the default (first) style.
        references: style -> key -> ``<div class="csl-entry" data-csl-style="STYLE">…</div>``.
        bibliography_order: style -> keys sorted as the style sorts its bibliography.
        diagnostics: problems found while formatting (also added to the formatter's collection).
    """

    clusters: list[str]
    references: dict[str, dict[str, str]]
    bibliography_order: dict[str, list[str]]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _peer_group(csl: dict[str, Any], with_year: bool) -> str:
    """Entries that can change each other's reference text share a group.

    A reference's text depends on other entries through year suffixes (2011a/2011b), which
    citeproc-js gives to entries whose names and year render the same: such entries share
    the first creator's family name and the year. Styles that replace a repeated author by
    a dash (``subsequent-author-substitute``) also depend on the same author's other years,
    so for them the group is the family name alone (``with_year=False``).
    """
    family = "title:" + str(csl.get("title", "")).casefold()[:40]
    for role in ("author", "editor", "container-author", "translator"):
        names = csl.get(role)
        if names:
            family = (names[0].get("family") or names[0].get("literal") or "").casefold()
            break
    if not with_year:
        return family
    issued = csl.get("issued") or {}
    parts = issued.get("date-parts") or [[issued.get("literal", "")]]
    year = parts[0][0] if parts and parts[0] else ""
    return f"{family}\x00{year}"


def _peer_digests(items: dict[str, dict[str, Any]], with_year: bool) -> dict[str, str]:
    """Key -> digest of the CSL-JSON of every entry in its peer group."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key, csl in items.items():
        groups[_peer_group(csl, with_year)].append(key)
    digests: dict[str, str] = {}
    for keys in groups.values():
        digests.update(dict.fromkeys(keys, _digest([items[key] for key in sorted(keys)])))
    return digests


class _Cache:
    """``{digest: value}`` per JSON file, loaded lazily, written only when changed."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.tables: dict[str, dict[str, Any]] = {}
        self.used: dict[str, set[str]] = defaultdict(set)
        self.dirty: set[str] = set()

    def table(self, name: str) -> dict[str, Any]:
        if name not in self.tables:
            data: dict[str, Any] = {}
            if self.directory is not None:
                try:
                    loaded = json.loads((self.directory / f"{name}.json").read_text(encoding="utf-8"))
                    if isinstance(loaded, dict) and loaded.get("version") == _CACHE_VERSION:
                        data = _valid_items(name, loaded.get("items"))
                except (OSError, ValueError, RecursionError):
                    data = {}
            self.tables[name] = data
        return self.tables[name]

    def get(self, name: str, key: str) -> Any:
        value = self.table(name).get(key)
        if value is not None:
            self.used[name].add(key)
        return value

    def put(self, name: str, key: str, value: Any) -> None:
        self.table(name)[key] = value
        self.used[name].add(key)
        self.dirty.add(name)

    def save(self) -> None:
        """Write changed tables, keeping only what this run used (the cache never grows stale)."""
        if self.directory is None:
            return
        for name in sorted(self.dirty):
            items = {key: value for key, value in self.tables[name].items() if key in self.used[name]}
            write_atomically(self.directory / f"{name}.json",
                             json.dumps({"version": _CACHE_VERSION, "items": items}, ensure_ascii=False).encode())
        self.dirty.clear()


def _valid_items(table: str, items: Any) -> dict[str, Any]:
    """The records of a cache table that have the type its readers expect; a foreign file gives ``{}``.

    ``order-*`` tables hold lists of keys, the others HTML strings.
    """
    if not isinstance(items, dict):
        return {}
    if table.startswith("order-"):
        return {k: v for k, v in items.items()
                if isinstance(v, list) and all(isinstance(key, str) for key in v)}
    return {k: v for k, v in items.items() if isinstance(v, str)}


@dataclass
class _Job:
    """What one style still needs from the engine."""

    style: str
    order_key: str
    bibliography: bool = False
    only: list[str] | None = None
    clusters: list[tuple[int, str, list[dict[str, Any]]]] = field(default_factory=list)

    def request(self) -> dict[str, Any]:
        return {"style": self.style, "bibliography": self.bibliography, "only": self.only,
                "clusters": [cluster for _, _, cluster in self.clusters]}


@dataclass
class _Plan:
    """One :meth:`CitationFormatter.format` call: the registry, cached results, queued jobs."""

    items: dict[str, dict[str, Any]]
    registry: str
    clusters: list[str | None]
    style_xml: dict[str, str] = field(default_factory=dict)
    references: dict[str, dict[str, str]] = field(default_factory=dict)
    pending_refs: dict[str, dict[str, str]] = field(default_factory=dict)
    order: dict[str, list[str]] = field(default_factory=dict)
    jobs: list[_Job] = field(default_factory=list)
    _peers: dict[bool, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def for_bibliography(cls, bib: Bibliography, cluster_count: int) -> _Plan:
        items = {key: entry.csl for key, entry in bib.entries.items()}
        return cls(items, _digest(sorted(items.items())), [None] * cluster_count)

    def peers_digest(self, with_year: bool) -> dict[str, str]:
        if with_year not in self._peers:
            self._peers[with_year] = _peer_digests(self.items, with_year)
        return self._peers[with_year]


class CitationFormatter:
    """Formats citations and references of one bibliography in the configured CSL styles.

    Args:
        bib: the loaded bibliography.
        styles: CSL style ids; the first is the default (in-text clusters). Each id names a
            vendored file ``generator/citeproc/styles/<id>.csl`` or a key of ``style_files``.
        cache_dir: where formatted text is cached between builds; ``None`` disables the cache.
        diagnostics: where ``cite.*`` problems are recorded (a new collection if ``None``).
        style_files: extra styles, id -> path to a ``.csl`` file.
    """

    def __init__(
        self,
        bib: Bibliography,
        styles: Sequence[str] = DEFAULT_STYLES,
        cache_dir: Path | None = None,
        diagnostics: Diagnostics | None = None,
        style_files: dict[str, Path] | None = None,
    ) -> None:
        self.bib = bib
        self.styles = list(styles)
        self.cache = _Cache(Path(cache_dir) if cache_dir is not None else None)
        self.diagnostics = diagnostics if diagnostics is not None else Diagnostics()
        self.style_files = dict(style_files or {})
        #: Node processes started so far (0 on a fully cached rebuild).
        self.engine_runs = 0
        #: References and clusters formatted by the engine so far (not taken from the cache).
        self.formatted = 0

    # -- inputs ----------------------------------------------------------------------------

    def _style_xml(self, style: str, found: list[Diagnostic]) -> str | None:
        path = self.style_files.get(style, style_path(style))
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            found.append(Diagnostic("cite.style", f"unknown CSL style '{style}' (no file {path.name})",
                                    Location(str(path.parent.name) + "/" + path.name), Severity.ERROR,
                                    did_you_mean(style, [p.stem for p in path.parent.glob("*.csl")])
                                    or "add the .csl file to the styles folder, or configure another style"))
            return None

    def _cluster_items(self, cluster: list[CiteItem], found: list[Diagnostic]) -> list[dict[str, Any]]:
        items = []
        for item in cluster:
            if item.key not in self.bib.entries:
                found.append(Diagnostic("cite.unknown-key", f"citation of unknown key '{item.key}'",
                                        Location("bibliography"), Severity.ERROR,
                                        citation_hint(item.key, self.bib.entries)))
                continue
            if item.label is not None and item.label not in LOCATOR_LABELS:
                found.append(Diagnostic("cite.label", f"unknown locator label '{item.label}' for '{item.key}'",
                                        Location("bibliography"), Severity.ERROR,
                                        did_you_mean(item.label, LOCATOR_LABELS)
                                        or f"use one of: {', '.join(LOCATOR_LABELS)}"))
            items.append(item.to_csl())
        return items

    # -- formatting ------------------------------------------------------------------------

    def format(self, clusters: list[list[CiteItem]], reference_keys: list[str]) -> FormattedCitations:
        """Format every cluster (default style) and every reference (all styles).

        Args:
            clusters: every in-text citation cluster of the whole site, in reading order.
            reference_keys: keys that need a reference; every entry of the bibliography is
                formatted anyway, so this only checks that the keys exist.
        """
        found: list[Diagnostic] = []
        for key in reference_keys:
            if key not in self.bib.entries:
                found.append(Diagnostic("cite.unknown-key", f"reference to unknown key '{key}'",
                                        Location("bibliography"), Severity.ERROR,
                                        citation_hint(key, self.bib.entries)))
        csl_clusters = [self._cluster_items(cluster, found) for cluster in clusters]
        plan = _Plan.for_bibliography(self.bib, len(clusters))
        for index, style in enumerate(self.styles):
            xml = self._style_xml(style, found)
            if xml is not None:
                self._plan_style(plan, style, xml, csl_clusters if index == 0 else [])
        if plan.jobs:
            self._run(plan, found)
        self.cache.save()

        out_clusters = [
            text if text is not None else self._fallback_cluster(clusters[index])
            for index, text in enumerate(plan.clusters)
        ]
        references = {style: plan.references.get(style, {}) for style in self.styles}
        order = {style: plan.order.get(style) or sorted(plan.items, key=str.casefold) for style in self.styles}
        for style in self.styles:
            for key in plan.items:
                references[style].setdefault(key, self._fallback_reference(style, key))
        self.diagnostics.extend(found)
        return FormattedCitations(out_clusters, references, order, found)

    def _plan_style(self, plan: _Plan, style: str, xml: str, clusters: list[list[dict[str, Any]]]) -> None:
        """Take what the cache has for one style; queue a job for the rest."""
        plan.style_xml[style] = xml
        fingerprint = _digest(xml, engine_fingerprint())
        references = plan.references.setdefault(style, {})
        pending = plan.pending_refs.setdefault(style, {})
        peers = plan.peers_digest(with_year="subsequent-author-substitute" not in xml)
        for key in plan.items:
            ref_key = _digest(fingerprint, peers[key], key)
            cached = self.cache.get(f"references-{style}", ref_key)
            if cached is None:
                pending[key] = ref_key
            else:
                references[key] = cached
        order_key = _digest(fingerprint, plan.registry)
        job = _Job(style, order_key)
        cached_order = self.cache.get(f"order-{style}", order_key)
        if cached_order is None or pending:
            job.bibliography = True
            # Render only what is missing, unless a reference depends on the one before it.
            partial = len(pending) < len(plan.items) and "subsequent-author-substitute" not in xml
            job.only = sorted(pending) if partial else None
        else:
            plan.order[style] = cached_order
        for index, cluster in enumerate(clusters):
            if not cluster:
                continue  # only unknown keys: reported, shown unformatted
            cluster_key = _digest(fingerprint, plan.registry, cluster)
            cached_cluster = self.cache.get(f"clusters-{style}", cluster_key)
            if cached_cluster is None:
                job.clusters.append((index, cluster_key, cluster))
            else:
                plan.clusters[index] = cached_cluster
        if job.bibliography or job.clusters:
            plan.jobs.append(job)

    def _run(self, plan: _Plan, found: list[Diagnostic]) -> None:
        """One citeproc-js process for every queued job; results go to the plan and the cache."""
        request = {
            "items": plan.items,
            "styles": {job.style: plan.style_xml[job.style] for job in plan.jobs},
            "locales": {"en-US": locale_xml()},
            "jobs": [job.request() for job in plan.jobs],
        }
        self.engine_runs += 1
        try:
            response = run_engine(request)
        except EngineError as exc:
            found.append(Diagnostic("cite.engine", str(exc), Location("generator/citeproc/runner.js"),
                                    Severity.ERROR, "references are shown unformatted until this is fixed"))
            return
        for message in response.get("errors", []):
            found.append(Diagnostic("cite.engine", f"citeproc-js: {message}",
                                    Location("generator/citeproc/runner.js"), Severity.ERROR,
                                    "check the cited entry's fields in bibliography/, or the CSL style"))
        for job in plan.jobs:
            result = response["results"].get(job.style)
            if isinstance(result, dict):
                self._take(plan, job, result)

    def _take(self, plan: _Plan, job: _Job, result: dict[str, Any]) -> None:
        if job.bibliography:
            formatted = result.get("references", {})
            for key, ref_key in plan.pending_refs[job.style].items():
                if key in formatted:
                    plan.references[job.style][key] = formatted[key]
                    self.cache.put(f"references-{job.style}", ref_key, formatted[key])
                    self.formatted += 1
            plan.order[job.style] = list(result.get("order", []))
            self.cache.put(f"order-{job.style}", job.order_key, plan.order[job.style])
        for (index, cluster_key, _), text in zip(job.clusters, result.get("clusters", []), strict=False):
            if text is not None:
                plan.clusters[index] = text
                self.cache.put(f"clusters-{job.style}", cluster_key, text)
                self.formatted += 1

    @staticmethod
    def _fallback_cluster(cluster: list[CiteItem]) -> str:
        parts = [html.escape(item.key + (f", {item.locator}" if item.locator else "")) for item in cluster]
        return "(" + "; ".join(parts) + ")"

    @staticmethod
    def _fallback_reference(style: str, key: str) -> str:
        return f'<div class="csl-entry" data-csl-style="{html.escape(style)}">{html.escape(key)}</div>'

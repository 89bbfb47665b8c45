"""Render pages from Jinja templates.

Templates are looked up most specific first (``entry/organisation.md.jinja``, then
``entry/_base.md.jinja``), in the project's ``overrides/generator/`` folder before the
package's own ``generator/render/templates/``. Every ``{{ value }}`` is escaped by
:func:`generator.render.escaping.text` unless it is already :class:`~markupsafe.Markup`
(produced by our own helpers), so a template cannot forget to escape contributed
text. Contributed text is only ever *data* given to templates, never compiled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import jinja2
from markupsafe import Markup

from generator.cite import bibliography_stats
from generator.render import escaping
from generator.cite import source_meta
from generator.render.entry_meta import entry_coins, entry_json_ld, entry_tags
from generator.publish.editions import edition_url
from generator.render.layout import entry_layout, label_of
from generator.outputs.timeline import (
    holder_timeline, overview_chart, overview_relation, related_by, related_fields, site_labels, target_timeline,
)
from generator.bibliography import source_slug
from generator.render.compiled_templates import COMPILED
from generator.schema.fields import Prose, RefValue
from generator.load.loader import Entry
from generator.render.prose import EntryLink, ScannedProse, render as render_prose, render_sections, plain_text
from generator.schema.types import EntryType, page_file

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
DISPUTES_ANCHOR = "where-the-texts-disagree"
"""The id of an entry page's "Where the texts disagree" section (``entry/_base.md.jinja``)."""
DISPUTE_WORDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "when"),
    "founded": ("found", "creat", "establish"),
    "dissolved": ("dissol", "abolish", "merge"),
}
"""Words in a disagreement's id or name that mark it as being about a dated field's value."""
_ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
"""EDTF values that are also valid HTML ``<time datetime>`` values."""


def make_environment(override_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The Jinja environment: overrides first, then the package templates.

    An override can replace a package template outright, or extend it by its name under
    ``generator/`` (``{% extends "generator/home.md.jinja" %}``) and fill in only its blocks.

    Args:
        override_dirs: template folders searched before the package's own.
    """
    search = [str(p) for p in override_dirs if p.is_dir()] + [str(PACKAGE_TEMPLATES)]
    env = jinja2.Environment(
        # An override may extend the template it replaces as "generator/<name>".
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(search), jinja2.PrefixLoader(
            {"generator": jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))})]),
        # One environment per build: templates cannot change during it, so no stat() per page.
        auto_reload=False,
        bytecode_cache=COMPILED,  # in memory only: see generator.render.compiled_templates
        autoescape=False,
        finalize=escaping.text,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.tests["current_membership"] = bibliography_stats.is_current
    env.tests["iso_date"] = lambda text: bool(_ISO_DATE.fullmatch(str(text)))
    env.filters["json_script"] = escaping.json_for_script
    env.filters["yaml_string"] = escaping.yaml_string
    env.filters["yaml_string_raw"] = escaping.yaml_string_raw
    env.filters["text"] = escaping.text
    env.filters["pre_text"] = escaping.pre_text
    env.filters["md_trusted"] = escaping.md_trusted
    env.filters["trusted"] = escaping.trusted
    env.filters["unquoted"] = escaping.unquoted
    env.filters["md_code"] = escaping.md_code
    env.globals.update(
        meta=source_meta, seed_slug=source_slug, entry_meta=entry_json_ld, entry_tags=entry_tags, entry_coins=entry_coins,
        edition_url=edition_url,
        seed_counts=bibliography_stats.seed_counts, type_counts=bibliography_stats.type_counts,
        short_reference=bibliography_stats.short_reference, works_cited_by=bibliography_stats.works_cited_by,
        disagreements_citing=bibliography_stats.disagreements_citing, safe_url=escaping.safe_url,
        entries_about=bibliography_stats.entries_about,
        style_names={"chicago-author-date": "Chicago (author-date)", "apa": "APA"},
        entry_layout=entry_layout, label_of=label_of,
    )
    return env


def _relpath(from_dir: list[str], to: list[str]) -> str:
    """``posixpath.relpath`` for normalised site-relative paths, without touching the file system."""
    common = 0
    while common < len(from_dir) and common < len(to) and from_dir[common] == to[common]:
        common += 1
    return "/".join([".."] * (len(from_dir) - common) + to[common:]) or "."


def _parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p and p != "."]


def relative(from_path: str, to_path: str) -> str:
    """Relative link between two generated files (``organisations/csto/index.md`` -> ``../../events/x/index.md``)."""
    return _relpath(_parts(from_path)[:-1], _parts(to_path))


def relative_url(from_url: str, to_url: str) -> str:
    """Relative link between two directory URLs (``organisations/csto/`` -> ``../../events/x/``)."""
    base = _parts(from_url) if from_url.endswith("/") else _parts(from_url)[:-1]
    rel = _relpath(base, _parts(to_url))
    return rel + "/" if to_url.endswith("/") and rel != "." else (rel if rel != "." else "./")


@dataclass
class PageContext:
    """Helpers bound to one page, given to its template as ``page``.

    Attributes:
        path: the generated Markdown file (``organisations/csto/index.md``).
        url: its URL (``organisations/csto/``).
    """

    path: str
    url: str
    site: Any
    citations: Any
    glossary: Any = None
    linked_terms: set[str] = field(default_factory=set)

    def entry(self, ref: RefValue | Entry | str) -> Entry | None:
        """The entry a reference points to."""
        if isinstance(ref, Entry):
            return ref
        key = ref.target if isinstance(ref, RefValue) else ref
        return self.site.by_id.get(key)

    def href(self, target: Entry | RefValue | str) -> str:
        """Markdown link target (a relative ``.md`` path MkDocs checks and rewrites)."""
        entry = self.entry(target)
        return relative(self.path, entry.page_path) if entry else ""

    def link(self, target: Entry | RefValue | str, label: str | None = None) -> Markup:
        """A Markdown link to an entry, with its name (or ``label``) as text."""
        entry = self.entry(target)
        if entry is None:
            return escaping.text(label or getattr(target, "target", target))
        return Markup(f"[{escaping.text(label or entry.name)}]({relative(self.path, entry.page_path)})")

    def link_to_page(self, path: str, label: str) -> Markup:
        """A Markdown link to another generated page (``chronology.md`` or ``chronology/index.md``)."""
        return Markup(f"[{escaping.text(label)}]({relative(self.path, page_file(path))})")

    def to_file(self, path: str) -> Markup:
        """Relative target, for a Markdown link, of another generated file (``data/x.csv``) or page."""
        return Markup(relative(self.path, page_file(path)))

    def chronology_link(self, field: str, entry: Entry, label: str) -> Markup:
        """A Markdown link to the chronology filtered to ``entry`` (``field``: organisations or countries)."""
        return Markup(f"[{escaping.text(label)}]({relative(self.path, page_file('chronology.md'))}?{field}={entry.id})")

    def url_to(self, entry: Entry) -> Markup:
        """Relative URL of an entry's page from this page (our own slugs: safe as is)."""
        return Markup(relative_url(self.url, entry.url))

    def html_link_to_page(self, path: str, label: str) -> Markup:
        """An HTML link to another page, given its Markdown path (for use inside HTML blocks)."""
        file = page_file(path)
        url = file[:-len("index.md")] if file.endswith("index.md") else file[:-len(".md")] + "/"
        return Markup(f'<a href="{relative_url(self.url, url)}">{escaping.text(label)}</a>')

    def html_link(self, entry: Entry, label: str | None = None) -> Markup:
        """An HTML link to an entry (for use inside HTML blocks)."""
        return Markup(f'<a href="{relative_url(self.url, entry.url)}">{escaping.text(label or entry.name)}</a>')

    def _scanned(self, owner: Entry, value: Prose) -> ScannedProse:
        scanned = self.site.scanned_for(owner, value)
        if scanned is None:  # pragma: no cover - every Prose is scanned by the linker
            raise LookupError("prose was not scanned")
        return scanned

    def _entry_link_html(self, link: EntryLink) -> str:
        """A ``[[link]]`` in prose as HTML: a link to its entry, or its text where the entry is gone."""
        target = self.site.by_id.get(link.target)
        if target is None:
            return str(escaping.text(link.text or link.target))
        return str(self.html_link(target, link.text))

    def prose(self, owner: Entry, value: Prose | None, inline: bool = False) -> Markup:
        """Contributed Markdown rendered to sanitised HTML with links and citations."""
        if value is None:
            return Markup("")
        scanned = self._scanned(owner, value)
        html = render_prose(scanned, self._entry_link_html, self.citations.cluster_html_for(self), inline=inline)
        if self.glossary is not None and owner.get("glossary_links", True):
            html = self.glossary.annotate_html(html, self._concept_href, self.linked_terms,
                                               self_id=owner.id, abbreviations=not inline)
        if inline:
            return html
        return Markup(f'<div class="prose">\n{html}\n</div>')

    def prose_sections(self, owner: Entry, value: Prose | None) -> Markup:
        """An entry's body as Markdown sections: each top-level heading of the prose becomes a heading
        of the page (``#`` and ``##`` at h2), so it is in the page's table of contents with an anchor,
        and the prose between headings is sanitised HTML as in :meth:`prose`."""
        if value is None:
            return Markup("")
        scanned = self._scanned(owner, value)
        parts: list[str] = []
        for section in render_sections(scanned, self._entry_link_html, self.citations.cluster_html_for(self)):
            if section.heading is not None:
                parts.append(f"{'#' * section.level} {section.heading}")
            html = section.html
            if html and self.glossary is not None and owner.get("glossary_links", True):
                html = self.glossary.annotate_html(html, self._concept_href, self.linked_terms,
                                                   self_id=owner.id, abbreviations=True)
            if html:
                parts.append(f'<div class="prose">\n{html}\n</div>')
        return Markup("\n\n".join(parts))

    def _concept_href(self, concept_id: str) -> str | None:
        concept = self.site.by_id.get(concept_id)
        return relative_url(self.url, concept.url) if concept is not None else None

    def plain(self, owner: Entry, value: Prose | None) -> str:
        """Contributed Markdown reduced to plain text (for meta descriptions)."""
        scanned = self.site.scanned_for(owner, value) if value is not None else None
        if scanned is None:
            return ""
        return plain_text(scanned, lambda l: l.text or getattr(self.site.by_id.get(l.target), "name", l.target))

    def cite(self, sources: list[dict] | None) -> Markup:
        """The formatted in-text citation for a ``sources`` list."""
        if not sources:
            return Markup("")
        return self.citations.sources_html(sources, self)

    def cite_link(self, sources: list[dict] | None) -> Markup:
        """The citation of a ``sources`` list without parentheses (for lists of passages)."""
        if not sources:
            return Markup("")
        return self.citations.sources_html(sources, self, bare=True)

    def date(self, alternatives: list[dict] | None, with_sources: bool = True,
             owner: Entry | None = None, field: str | None = None) -> Markup:
        """A dated fact for readers: one value, or each competing value with its sources.

        Given the ``owner`` entry and the ``field`` the date comes from, a disputed date's
        "(sources disagree)" links to the disagreement about it (see :meth:`dispute_href`).
        """
        if not alternatives:
            return Markup("")
        shown = []
        for alt in alternatives:
            piece = escaping.text(alt["date"].display)
            if with_sources and alt.get("sources"):
                piece += Markup(" ") + self.cite(alt["sources"])
            shown.append(piece)
        if len(shown) == 1:
            return shown[0]
        href = self.dispute_href(owner, field) if owner is not None and field else None
        # Our own slugs and anchor: safe in an attribute as they are.
        note = Markup(f'(<a href="{href}">sources disagree</a>)') if href else Markup("(sources disagree)")
        return Markup('<span class="disputed" title="The sources disagree">') + Markup("; or ").join(shown) + \
            Markup(" <em>") + note + Markup("</em></span>")

    def disagreements_about(self, entry: Entry) -> list[Entry]:
        """The disagreements whose ``concerns`` name ``entry``, as the entry page lists them."""
        return [d for d in self.site.backlinks.get(entry.id, []) if d.type.name == "disagreement"
                and entry.id in [c.target for c in d.get("concerns", [])]]

    def dispute_href(self, entry: Entry, field: str) -> str | None:
        """Where a disputed fact of ``entry`` (its ``field``) is argued out, as a relative URL.

        The disagreement about that fact when one can be told from the disagreements' ids and
        names (:data:`DISPUTE_WORDS`, the id weighing more than the name); otherwise the entry's
        own list of disagreements; ``None`` when no disagreement concerns the entry.
        """
        disputes = self.disagreements_about(entry)
        if not disputes:
            return None
        words = DISPUTE_WORDS.get(field, (field,))

        def score(d: Entry) -> int:
            name = d.name.lower()
            return sum(2 * (w in d.id) + (w in name) for w in words)

        scores = sorted(((score(d), d) for d in disputes), key=lambda pair: -pair[0])
        if scores[0][0] and (len(scores) == 1 or scores[0][0] > scores[1][0]):
            return relative_url(self.url, scores[0][1].url)
        return f"#{DISPUTES_ANCHOR}"


class Renderer:
    """Renders pages through templates, most specific first."""

    def __init__(self, env: jinja2.Environment, site: Any, citations: Any, globals_: dict[str, Any],
                 glossary: Any = None) -> None:
        self.env = env
        self.site = site
        self.citations = citations
        self.globals = globals_
        self.glossary = glossary

    def page(self, template_names: list[str], path: str, url: str, **context: Any) -> str:
        """Render one page with the first template found among ``template_names``."""
        template = self.env.select_template(template_names)
        page = PageContext(path=page_file(path), url=url, site=self.site, citations=self.citations, glossary=self.glossary)
        text = template.render(page=page, site=self.site, **self.globals, **context)
        if self.glossary is not None and path.endswith(".md"):
            definitions = self.glossary.markdown_definitions(text)
            if definitions:
                text = text.rstrip("\n") + "\n\n" + definitions + "\n"
        return text

    def entry_page(self, entry: Entry) -> str:
        """The page of one entry."""
        return self.page([*entry.type.templates, "entry/_base.md.jinja"], entry.page_path, entry.url, entry=entry)

    def listing_page(self, entry_type: EntryType, entries: list[Entry]) -> str:
        """The listing page of one type."""
        path = f"{entry_type.url_prefix}/index.md"
        return self.page([f"listing/{entry_type.name}.md.jinja", "listing/_base.md.jinja"], path,
                         f"{entry_type.url_prefix}/", entry_type=entry_type, entries=entries)



class Timelines:
    """Relation charts for templates (``timelines.holder(entry)``), drawn for one "present" year."""

    def __init__(self, site: Any, today_year: int) -> None:
        self.site = site
        self.today_year = today_year
        self._labels: dict[str, str] | None = None

    def holder(self, entry: Entry, field: Any = None) -> Markup | None:
        """The chart of ``entry``'s Relation ``field`` (default: its first), e.g. an organisation's members."""
        return holder_timeline(entry, self.site, today_year=self.today_year, field=field)

    def target(self, entry: Entry, field: Any = None) -> Markup | None:
        """The chart of the records of the Relation ``field`` naming ``entry`` (default: the first such
        relation), e.g. a country's memberships."""
        return target_timeline(entry, self.site, today_year=self.today_year, field=field)

    def naming(self, entry: Entry) -> list[Any]:
        """The Relation fields whose records name ``entry``, in the order of the site's types."""
        return related_fields(entry, self.site)

    def records(self, entry: Entry, field: Any) -> list[Any]:
        """The records of the Relation ``field`` naming ``entry`` (``site.related`` items), in site order."""
        return related_by(entry, self.site, field)

    @property
    def overview_field(self) -> Any:
        """The Relation field the site's overview draws (the organisations' ``members``), or ``None``."""
        found = overview_relation(self.site)
        return found[1] if found is not None else None

    def overview(self, only: set[str] | None = None, from_url: str | None = None) -> Markup | None:
        """The site's overview chart (every target against every holder), if the site has a charted relation;
        from a page at ``from_url``, its labels and cells link to their entries."""
        href = (lambda entry: relative_url(from_url, entry.url)) if from_url is not None else None
        return overview_chart(self.site, today_year=self.today_year, only=only, href=href)

    def label(self, entry: Entry) -> str:
        """The short label (abbreviation) that stands for ``entry`` in the overview chart's column heads."""
        if self._labels is None:
            self._labels = site_labels(self.site)
        return self._labels.get(entry.id, entry.name)

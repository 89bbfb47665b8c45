"""The MkDocs plugin: a thin shell that runs the pipeline and adds its pages in memory.

It never writes into ``docs_dir``. Problems in content are printed as diagnostics
and abort the build (``mkdocs build`` exits non-zero). ``mkdocs serve`` also watches
``content/``, ``bibliography/``, the template overrides and ``types.yaml``, with the system's
file events where it has them (:mod:`generator.serve_watch`).

MkDocs empties ``site_dir`` before any plugin sees the content, so the plugin points
``site_dir`` at a fresh folder beside it (:mod:`generator.publish.site_swap`) and moves the
result into place only once the whole build, strict-mode warnings included, has
succeeded: a failed, crashed or interrupted build leaves the previous site untouched.
``mkdocs serve`` builds the same way into its own folder, so it keeps serving the last
good build while the terminal shows the errors. ``--dirty`` builds update the site in
place, as MkDocs intends.
Content errors under ``mkdocs serve`` are shown in the browser instead of failing
(:mod:`generator.serve_errors`).

A rebuild converts and templates only the pages whose inputs changed; the others
come from the site being replaced (:mod:`generator.render_cache`), or every page is rendered
and the log says why.
"""

from __future__ import annotations

import atexit
import datetime as _dt
import gc
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.utils import CountHandler
from mkdocs.structure.files import File, Files

from generator.render.compiled_templates import COMPILED
from generator.render.emit import TIMELINE_STYLESHEET
from generator.outputs.background_index import BackgroundIndex
from generator.publish.history import last_commit_epoch
from generator.publish.addresses import Addresses
from generator.publish.editions import current_edition
from generator.diagnostics import Diagnostics
from generator.pipeline import DEFAULT_STYLES, ProjectConfig, build
from generator.schema.declare import TYPES_FILE, load_schema
from generator.publish.site_swap import (
    adopt, claim_spare, discard, keep_identical, prune, release, spare_folder, staging_folder, swap_in,
)
from generator.render_cache import CACHED_TEMPLATE, RenderCache
from generator.render_listening import listen_to_autorefs, listen_to_mkdocstrings
from generator.render_stamp import SAFE_PLUGINS, build_stamp, pure_extensions
from generator import serve_watch
from generator.serve_errors import ServeErrors
from generator.site_meta import SiteDeclarationError, SiteInfo, is_placeholder_url, site_info
from generator.outputs.search_index import BUNDLE_DIR, SearchIndexError, index_site
from generator.outputs.search_names import name_shards

log = logging.getLogger("mkdocs.plugins.companion")


@dataclass(frozen=True)
class EditionBanner:
    """What an edition's pages say about it: its name, its date and where the living page is."""

    name: str
    date: _dt.date | None
    addresses: Addresses

    def living(self, page_url: str) -> str:
        """The living site's address of the page at ``page_url`` (``""`` without a ``site_url``)."""
        return self.addresses.living(page_url)

PUBLISH_VARIABLE = "COMPANION_PUBLISH"
"""Set (to ``1``) by the deploy workflow: a placeholder ``site_url`` is then an error, not a warning."""


class CompanionConfig(Config):
    """Options under ``plugins: - companion:`` in ``mkdocs.yml``."""

    content_dir = opt.Type(str, default="content")
    bibliography_dir = opt.Type(str, default="bibliography")
    overrides_dir = opt.Type(str, default="overrides/generator")
    cache_dir = opt.Type(str, default=".cache/citations")
    entry_cache = opt.Type(str, default=".cache/entries.pickle")
    bibliography_cache = opt.Type(str, default=".cache/bibliography.pickle")
    page_cache = opt.Type(str, default=".cache/pages")
    render_cache = opt.Type(str, default=".cache/render.json")
    search_cache = opt.Type(str, default=".cache/search-index.json")
    styles = opt.ListOfItems(opt.Type(str), default=list(DEFAULT_STYLES))


BUILD_COLLECTOR_THRESHOLDS = (200_000, 30, 30)
"""The garbage collector's thresholds while a build runs (:meth:`CompanionPlugin._relax_collector`)."""


class CompanionPlugin(BasePlugin[CompanionConfig]):
    """Adds every generated page and data file to the MkDocs build."""

    def __init__(self) -> None:
        self._dirty = False
        self._site_dir: str | None = None
        self._staging: Path | None = None
        self._recycled: Path | None = None
        """The previous build's replaced site, claimed for this build to recycle (:func:`adopt`)."""
        self._adopted = False
        self._config = None
        self._warnings: CountHandler | None = None
        self.serve_errors: ServeErrors | None = None
        """Set under ``mkdocs serve`` (MkDocs keeps a plugin with ``on_startup`` across rebuilds)."""
        self._site: SiteInfo = SiteInfo()
        """The site's declaration (``extra.companion``), read in ``on_config``."""
        self._render: RenderCache | None = None
        """This build's kept pages (:mod:`generator.render_cache`), from ``on_pre_build``."""
        self._generated: frozenset[str] = frozenset()
        self._keep_hand_written = False
        """Whether hand-written pages may be kept too (every Markdown extension reads only the page)."""
        self._collector: tuple[int, ...] | None = None
        """The garbage collector's thresholds before this build (see :meth:`_relax_collector`)."""
        self._background: BackgroundIndex | None = None
        """Under ``mkdocs serve``: the search index, brought up to date after each reload."""
        self._nav = None

    def _project(self, config) -> ProjectConfig:
        root = Path(config.config_file_path).resolve().parent
        problems = Diagnostics()
        schema = load_schema(root, problems)  # the site's types.yaml; problems are reported by the build
        return ProjectConfig(
            root=root,
            schema=schema,
            schema_problems=tuple(problems.items),
            content_dir=root / self.config.content_dir,
            bibliography_dir=root / self.config.bibliography_dir,
            overrides_dir=root / self.config.overrides_dir,
            cache_dir=root / self.config.cache_dir,
            entry_cache=root / self.config.entry_cache,
            bibliography_cache=root / self.config.bibliography_cache,
            page_cache=root / self.config.page_cache,
            site_name=config.site_name,
            site_url=config.site_url or "",
            site_description=config.site_description or "",
            data_package=dict(((config.extra or {}).get("companion") or {}).get("data_package") or {}),
            styles=tuple(self.config.styles),
            edition=current_edition(),
            site=self._site,
            build_date=_build_date(),
        )

    def on_startup(self, *, command, dirty: bool) -> None:
        self._dirty = dirty
        self.serve_errors = ServeErrors() if command == "serve" else None
        self._background = BackgroundIndex() if command == "serve" else None

    @event_priority(100)  # first, so that other plugins see the staging folder as site_dir
    def on_pre_build(self, *, config) -> None:
        # Here, not in on_config: tools such as mike run the config event alone, then read
        # site_dir; MkDocs empties site_dir only after this event.
        if self._background is not None:
            self._background.stop()  # the served site's index refresh: this build makes it moot
        self._stage(config)
        self._relax_collector()
        self._render = self._open_render_cache(config)

    def _open_render_cache(self, config) -> RenderCache:
        root = Path(config.config_file_path).resolve().parent
        refuse = None
        unsafe = sorted(set(config.plugins) - SAFE_PLUGINS)
        if self._dirty:
            refuse = "a --dirty build"
        elif unsafe:
            refuse = f"plugin(s) not known to be safe with kept pages: {', '.join(unsafe)}"
        autorefs = config.plugins.get("autorefs")
        if autorefs is not None and not hasattr(autorefs, "companion_listening"):
            listen_to_autorefs(autorefs)
        handlers = _mkdocstrings_handlers(config)
        if handlers is not None and not hasattr(handlers, "companion_listening"):
            listen_to_mkdocstrings(handlers)
        self._keep_hand_written = pure_extensions(config)
        stamp = build_stamp(config, leave_out=[root / self.config.overrides_dir],
                            date=os.environ.get("SOURCE_DATE_EPOCH", ""))
        previous = Path(self._site_dir) if self._staging is not None else None
        return RenderCache(root / self.config.render_cache, stamp, previous, autorefs, refuse, handlers)

    @event_priority(100)
    def on_config(self, config):
        try:
            self._site = site_info(config.extra, config.theme.get("language") or "en")
        except SiteDeclarationError as error:
            raise Abort(f"mkdocs.yml: {error}") from None
        _check_site_url(config.site_url or "")
        # Reproducible builds: MkDocs stamps the sitemap with the build time unless
        # SOURCE_DATE_EPOCH is set; take it from the last commit, as the page dates are.
        if "SOURCE_DATE_EPOCH" not in os.environ:
            epoch = last_commit_epoch(Path(config.config_file_path).resolve().parent)
            if epoch is not None:
                os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        # The footer (overrides/partials/copyright.html) names the edition this build belongs to.
        companion_extra = config.extra.setdefault("companion", {})
        if isinstance(companion_extra, dict) and "edition" not in companion_extra:
            companion_extra["edition"] = current_edition()
        if TIMELINE_STYLESHEET not in config.extra_css:
            # Declared in mkdocs.yml, not only added here, so that engines without this plugin
            # (Zensical) link it too; a strict build stops until it is declared.
            log.warning(f"mkdocs.yml: add '{TIMELINE_STYLESHEET}' to extra_css (the generator writes it; "
                        "the timelines need it)")
            config.extra_css.append(TIMELINE_STYLESHEET)
        return config

    def on_env(self, env, *, config, files):
        if self._recycled is not None and self._staging is not None:
            # Before anything is written into the staging folder (MkDocs copies static files next).
            self._adopted = adopt(self._recycled, self._staging)
            self._recycled = None
        COMPILED.attach(env)  # the theme's templates compiled once per process, not at every serve reload
        # The theme's templates (overrides/main.html) show an edition's banner from this.
        edition = current_edition()
        env.globals["companion_edition"] = EditionBanner(
            name=edition, date=_build_date(), addresses=Addresses.for_build(config.site_url or "", edition),
        ) if edition else None
        if self._render is not None and self._render.active and self._nav is not None:
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({CACHED_TEMPLATE: ""}), env.loader])
            # A failed build under serve marks every page with its errors: no page is kept as it was.
            self._render.choose(self._nav, files, config,
                                keep=self.serve_errors is None or self.serve_errors.banner is None)
        if self._adopted:
            safe = self._render is not None and self._render.active  # every plugin known
            kept = set(self._render.kept_files) if safe else set()
            if safe:
                kept |= _keep_unchanged_files(files, Path(self._site_dir), self._staging)
            # The search bundle is left to the search index to prune (it keeps unchanged shards'
            # files), unless something else could write into it first: an unknown plugin, MkDocs
            # (a docs/pagefind/ file), or serve carrying over the served site's bundle.
            bundle_written = not safe or self._background is not None or any(
                file.dest_uri.startswith(f"{BUNDLE_DIR}/") for file in files)
            prune(self._staging, kept, leave=None if bundle_written else BUNDLE_DIR)
        return env

    def on_files(self, files: Files, *, config) -> Files:
        project = self._project(config)
        # The generator's template overrides may sit inside the theme's custom_dir, whose files
        # MkDocs copies into the site: they are sources, not pages.
        for file in list(files):
            source = Path(file.abs_src_path) if file.abs_src_path else None
            if source is not None and source.is_relative_to(project.overrides_dir):
                files.remove(file)
        result = build(project)
        generated = result.files
        if not result.ok and self.serve_errors is not None:
            generated = self.serve_errors.failed(result.diagnostics.sorted(), config)
        else:
            for diagnostic in result.diagnostics.sorted():
                (log.error if diagnostic.severity.value == "error" else log.warning)(str(diagnostic))
            if not result.ok:
                raise Abort(f"content has problems: {len(result.diagnostics.errors)} error(s); no site was written")
            if self.serve_errors is not None:
                self.serve_errors.succeeded(result.files)
        for path, content in sorted(generated.items()):
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise Abort(f"docs/{path} collides with a generated page; remove or rename it")
            files.append(File.generated(config, path, content=content))
        if result.site is not None:
            for path, content in name_shards(result.site.entries).items():
                files.append(File.generated(config, path, content=content))
        self._generated = frozenset(path for path in generated if path.endswith(".md"))
        if self._render is not None and self._render.active:
            files = self._render.track(files)
        return files

    @event_priority(-100)
    def on_nav(self, nav, *, config, files):
        self._nav = nav
        return nav

    @event_priority(100)  # first: a kept page's conversion is replaced before anything reads it
    def on_pre_page(self, page, *, config, files):
        if self._render is not None and self._render.active and (
                page.file.src_uri in self._generated or (self._keep_hand_written and not page.file.generated_by)):
            self._render.before(page, files)
        return page

    @event_priority(-100)  # last before the conversion
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if self._render is not None:
            self._render.converting(page)
        return markdown

    @event_priority(100)  # first after the conversion
    def on_page_content(self, html: str, *, page, config, files) -> str:
        if self._render is not None:
            self._render.converted_page(page, html)
        return html

    def _stage(self, config) -> None:
        """Point ``site_dir`` at a new folder beside it (see the module docstring)."""
        self._finish()
        if self._dirty:
            return
        try:
            staging = staging_folder(Path(config.site_dir))
        except OSError as error:
            log.info(f"building in place: no folder can be made beside {config.site_dir} ({error})")
            return
        self._config, self._site_dir, self._staging = config, config.site_dir, staging
        self._recycled, self._adopted = claim_spare(Path(config.site_dir)), False
        config.site_dir = str(staging)
        # Ctrl-C is no Exception, so MkDocs calls no on_build_error for it.
        atexit.register(self._finish)
        if config.strict:
            self._warnings = CountHandler()
            self._warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self._warnings)

    @event_priority(-100)  # last: after every plugin that writes into the site
    def on_post_build(self, *, config) -> None:
        # Index the folder MkDocs built into (the staging folder; a temporary one under serve),
        # so that the search index is part of the site that is swapped in. Under serve, the
        # served site's index is carried over instead and brought up to date after the reload.
        root = Path(config.config_file_path).resolve().parent
        previous = Path(self._site_dir) if self._staging is not None else None
        search_cache = root / self.config.search_cache
        deferred = (self._background is not None and previous is not None
                    and self._background.carry_over(previous, Path(config.site_dir)))
        if not deferred:
            try:
                search = index_site(Path(config.site_dir), previous, search_cache, fresh=self._dirty,
                                    known=self._render.kept_files if self._render is not None else None)
            except SearchIndexError as error:
                raise Abort(str(error)) from None
            log.info(f"companion: {search}")
        if self._warnings is not None and self._warnings.get_counts():
            return  # MkDocs aborts the strict build next; on_build_error discards it
        if self._staging is not None:
            site = Path(self._site_dir)
            if self._background is not None:
                with self._background.swapping():
                    swap_in(self._staging, site, background=True, keep_spare=True)
            else:
                swap_in(self._staging, site, keep_spare=True)
            self._staging = None
            if deferred:
                self._background.refresh(site, search_cache,
                                         known=self._render.kept_files if self._render is not None else None)
        self._finish()  # site_dir, and the collector's thresholds (also when nothing was staged)
        render, self._render = self._render, None
        if render is not None:
            render.close()
            log.info(f"companion: {render.summary()}")
            if render.active:
                render.save()

    def on_build_error(self, *, error) -> None:
        if self._render is not None:
            self._render.abandon()
        self._render = None
        self._finish()
        if self._background is not None:
            self._background.resume()  # the site served is still the one whose refresh was stopped

    def _relax_collector(self) -> None:
        """Let the garbage collector run far less often during the build (as mypy does).

        A build holds millions of live objects (the loaded site, every page); with the default
        thresholds the collector walked them thousands of times: 5.6 of 62 CPU s of a rebuild
        at N = 10,000, against 1.8 s with these (peak memory unchanged: 2.05 GB). The
        thresholds are put back when the build ends.
        """
        if self._collector is None:
            self._collector = gc.get_threshold()
            gc.set_threshold(*BUILD_COLLECTOR_THRESHOLDS)

    def _finish(self) -> None:
        """Forget this build: drop an unpublished staging folder, restore ``site_dir``."""
        if self._collector is not None:
            gc.set_threshold(*self._collector)
            self._collector = None
        if self._recycled is not None and self._site_dir is not None:
            release(self._recycled, Path(self._site_dir))
            self._recycled = None
        if self._staging is not None:
            if self._adopted:
                release(self._staging, Path(self._site_dir))  # still fit to recycle (see site_swap)
            else:
                discard(self._staging)
            self._staging = None
        self._adopted = False
        if self._config is not None:
            self._config.site_dir = self._site_dir
            self._config = None
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            self._warnings = None
        atexit.unregister(self._finish)

    @event_priority(100)  # first: the template's output, before any other plugin changes it
    def _first_post_page(self, output: str, *, page, config) -> str:
        published = self.serve_errors.decorate(output) if self.serve_errors is not None else output
        if self._render is not None:
            self._render.built(page, output, published)
        return published

    @event_priority(-100)  # last: what MkDocs is about to write
    def _last_post_page(self, output: str, *, page, config) -> str:
        if self._render is not None:
            self._render.written(page, output)
        return output

    on_post_page = CombinedEvent(_first_post_page, _last_post_page)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        if self.serve_errors is None or not template_name.endswith(".html"):  # not sitemap.xml
            return output_content
        return self.serve_errors.decorate(output_content)

    def on_shutdown(self) -> None:
        if self._background is not None:
            self._background.close()
        if self._site_dir is not None:
            # mkdocs serve deletes its temporary site after this event (also with --clean, which
            # starts the plugins as for a build): its spare must not outlive it.
            atexit.register(_discard_orphaned_spare, Path(self._site_dir))

    def on_serve(self, server, *, config, builder):
        root = Path(config.config_file_path).resolve().parent
        paths = [root / folder for folder in (self.config.content_dir, self.config.bibliography_dir,
                                              self.config.overrides_dir) if (root / folder).exists()]
        if (root / TYPES_FILE).is_file():
            paths.append(root / TYPES_FILE)
        # A save ends the search refresh still running at once: the rebuild it asks for makes the
        # refresh moot, and MkDocs takes a while (its config, its files) to begin it.
        serve_watch.watch(server, paths, on_change=self._background.stop if self._background is not None else None)
        _keep_serving_after_failed_rebuilds(server)
        return server


def _discard_orphaned_spare(site: Path) -> None:
    """At exit: delete the spare of a site that is gone (``mkdocs serve`` deleted its temporary site),
    since no build will recycle it. A built site's spare stays for the next build."""
    if not site.exists():
        discard(spare_folder(site))


def _keep_unchanged_files(files: Files, previous: Path, staging: Path) -> set[str]:
    """The generated data files (citation files, name lists …) whose bytes are those of the
    previous site's file: linked from there (or left where a recycled site has them) instead of
    written again; MkDocs is told not to copy them. Their paths, relative to the site, are returned.

    Only for files whose content the build holds in memory; only when every plugin is known, as
    an unknown one might rewrite a file of the site in place after the build.
    """
    kept = set()
    for file in files:
        if file.generated_by is None or file.abs_src_path is not None or file.is_documentation_page():
            continue
        if keep_identical(previous, staging, file.dest_uri, file.content_bytes):
            file.copy_file = _no_copy  # type: ignore[method-assign]
            kept.add(file.dest_uri)
    return kept


def _no_copy(dirty: bool = False) -> None:
    """A kept data file's ``copy_file``: the file is in the site already."""


def _keep_serving_after_failed_rebuilds(server) -> None:
    """Let ``mkdocs serve`` answer with the last good build while a rebuild fails.

    MkDocs holds every request until a rebuild succeeds ("the server will appear stuck"),
    so as not to serve a half-built site. Here the served folder only ever holds complete
    builds, so after a failed rebuild the server goes back to the build it shows (browsers
    are not reloaded) and MkDocs logs the error as usual. Relies on ``LiveReloadServer``'s
    epochs (MkDocs 1.6); without them it changes nothing.
    """
    if not all(hasattr(server, name) for name in ("builder", "_epoch_cond", "_visible_epoch", "_wanted_epoch")):
        return
    rebuild = server.builder

    def builder(*args, **kwargs):
        try:
            return rebuild(*args, **kwargs)
        except BaseException:
            with server._epoch_cond:
                server._wanted_epoch = server._visible_epoch
                server._epoch_cond.notify_all()
            raise

    server.builder = builder


def _mkdocstrings_handlers(config) -> object | None:
    """mkdocstrings' handlers (its plugin's ``handlers``), if the plugin is in use and set up."""
    plugin = config.plugins.get("mkdocstrings")
    if plugin is None:
        return None
    try:
        return plugin.handlers
    except Exception:  # noqa: BLE001 - mkdocstrings raises if it was not configured; then nothing is replayed
        return None


def _build_date() -> _dt.date | None:
    """The day of ``SOURCE_DATE_EPOCH`` (the last commit's, set in ``on_config``), in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return None
    return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date()


def _check_site_url(site_url: str) -> None:
    """Refuse to publish under a placeholder ``site_url``; say so loudly in every other build.

    The deploy workflow sets ``COMPANION_PUBLISH=1``: there a placeholder aborts the build.
    Local builds and tests (also ``--strict``) only print the warning, on stderr rather than
    through MkDocs' log, which ``--strict`` would turn into a failure.
    """
    if not is_placeholder_url(site_url):
        return
    message = (f"site_url is a placeholder ({site_url or 'unset'}): every permanent address, \"cite this page\", "
               "canonical link and edition address would point there")
    if os.environ.get(PUBLISH_VARIABLE, "") not in ("", "0"):
        raise Abort(f"{message}. Set site_url (or the SITE_URL variable) to the site's real address before deploying.")
    print(f"ATTENTION - companion: {message}. Fine for a local build; a deploy (COMPANION_PUBLISH=1) refuses it.",
          file=sys.stderr)

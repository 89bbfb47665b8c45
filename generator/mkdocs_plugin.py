"""The MkDocs plugin: a thin shell that runs the pipeline and adds its pages in memory.

It never writes into ``docs_dir``. Problems in content are printed as diagnostics
and abort the build before anything is written (``mkdocs build`` exits non-zero).
``mkdocs serve`` also watches ``content/`` and ``bibliography/``, and shows content
errors in the browser instead of failing (:mod:`generator.serve_errors`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .emit import TIMELINE_STYLESHEET
from .history import last_commit_epoch
from .editions import current_edition
from .pipeline import DEFAULT_STYLES, ProjectConfig, build
from .serve_errors import ServeErrors

log = logging.getLogger("mkdocs.plugins.companion")


class CompanionConfig(Config):
    """Options under ``plugins: - companion:`` in ``mkdocs.yml``."""

    content_dir = opt.Type(str, default="content")
    bibliography_dir = opt.Type(str, default="bibliography")
    overrides_dir = opt.Type(str, default="overrides/generator")
    cache_dir = opt.Type(str, default=".cache/citations")
    entry_cache = opt.Type(str, default=".cache/entries.pickle")
    template_cache = opt.Type(str, default=".cache/templates")
    page_cache = opt.Type(str, default=".cache/pages.pickle")
    styles = opt.ListOfItems(opt.Type(str), default=list(DEFAULT_STYLES))


class CompanionPlugin(BasePlugin[CompanionConfig]):
    """Adds every generated page and data file to the MkDocs build."""

    serve_errors: ServeErrors | None = None
    """Set under ``mkdocs serve`` (MkDocs keeps a plugin with ``on_startup`` across rebuilds)."""

    def on_startup(self, *, command, dirty: bool) -> None:
        self.serve_errors = ServeErrors() if command == "serve" else None

    def _project(self, config) -> ProjectConfig:
        root = Path(config.config_file_path).resolve().parent
        return ProjectConfig(
            root=root,
            content_dir=root / self.config.content_dir,
            bibliography_dir=root / self.config.bibliography_dir,
            overrides_dir=root / self.config.overrides_dir,
            cache_dir=root / self.config.cache_dir,
            entry_cache=root / self.config.entry_cache,
            template_cache=root / self.config.template_cache,
            page_cache=root / self.config.page_cache,
            site_name=config.site_name,
            site_url=config.site_url or "",
            styles=tuple(self.config.styles),
            edition=current_edition(root),
        )

    def on_config(self, config):
        # Reproducible builds: MkDocs stamps the sitemap with the build time unless
        # SOURCE_DATE_EPOCH is set; take it from the last commit, as the page dates are.
        if "SOURCE_DATE_EPOCH" not in os.environ:
            epoch = last_commit_epoch(Path(config.config_file_path).resolve().parent)
            if epoch is not None:
                os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        if TIMELINE_STYLESHEET not in config.extra_css:
            config.extra_css.append(TIMELINE_STYLESHEET)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        result = build(self._project(config))
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
        return files

    def on_post_page(self, output: str, *, page, config) -> str:
        return self.serve_errors.decorate(output) if self.serve_errors is not None else output

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        if self.serve_errors is None or not template_name.endswith(".html"):  # not sitemap.xml
            return output_content
        return self.serve_errors.decorate(output_content)

    def on_serve(self, server, *, config, builder):
        root = Path(config.config_file_path).resolve().parent
        for folder in (self.config.content_dir, self.config.bibliography_dir, self.config.overrides_dir):
            if (root / folder).exists():
                server.watch(str(root / folder))
        return server

"""The MkDocs plugin: a thin shell that runs the pipeline and adds its pages in memory.

It never writes into ``docs_dir``. Problems in content are printed as diagnostics
and abort the build before anything is written (``mkdocs build`` exits non-zero).
``mkdocs serve`` also watches ``content/`` and ``bibliography/``.
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
        # The footer (overrides/partials/copyright.html) names the edition this build belongs to.
        companion_extra = config.extra.setdefault("companion", {})
        if isinstance(companion_extra, dict) and "edition" not in companion_extra:
            companion_extra["edition"] = current_edition(Path(config.config_file_path).resolve().parent)
        if TIMELINE_STYLESHEET not in config.extra_css:
            config.extra_css.append(TIMELINE_STYLESHEET)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        result = build(self._project(config))
        for diagnostic in result.diagnostics.sorted():
            (log.error if diagnostic.severity.value == "error" else log.warning)(str(diagnostic))
        if not result.ok:
            raise Abort(f"content has problems: {len(result.diagnostics.errors)} error(s); no site was written")
        for path, content in sorted(result.files.items()):
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise Abort(f"docs/{path} collides with a generated page; remove or rename it")
            files.append(File.generated(config, path, content=content))
        return files

    def on_serve(self, server, *, config, builder):
        root = Path(config.config_file_path).resolve().parent
        for folder in (self.config.content_dir, self.config.bibliography_dir, self.config.overrides_dir):
            if (root / folder).exists():
                server.watch(str(root / folder))
        return server

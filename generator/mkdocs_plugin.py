"""The MkDocs plugin: a thin shell that runs the pipeline and adds its pages in memory.

It never writes into ``docs_dir``. Problems in content are printed as diagnostics
and abort the build before anything is written (``mkdocs build`` exits non-zero).
``mkdocs serve`` also watches ``content/`` and ``bibliography/``.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .emit import TIMELINE_STYLESHEET
from .history import last_commit_epoch
from .addresses import Addresses
from .editions import current_edition
from .pipeline import DEFAULT_STYLES, ProjectConfig, build
from .site_meta import SiteDeclarationError, is_placeholder_url, site_info

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
            edition=current_edition(),
            site=self._site,
            build_date=_build_date(),
        )

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
        if TIMELINE_STYLESHEET not in config.extra_css:
            config.extra_css.append(TIMELINE_STYLESHEET)
        return config

    def on_env(self, env, *, config, files):
        # The theme's templates (overrides/main.html) show an edition's banner from this.
        edition = current_edition()
        env.globals["companion_edition"] = EditionBanner(
            name=edition, date=_build_date(), addresses=Addresses.for_build(config.site_url or "", edition),
        ) if edition else None
        return env

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

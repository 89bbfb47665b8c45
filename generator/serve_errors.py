"""``mkdocs serve``: content errors shown in the browser, on the page the reader is on.

A failed build would leave ``mkdocs serve``'s browser tab waiting while the
diagnostics sit in the terminal. Under ``serve`` the plugin hands a failed build to
:class:`ServeErrors` instead of aborting:

* the site is built from the last good build's generated pages (so the page the
  reader is on still exists), plus the ``docs/`` files;
* every page, the 404 page included, gets a banner listing each problem with its
  file, line and column, message and hint;
* the terminal shows the same diagnostics.

The build then succeeds as far as MkDocs is concerned, so the live-reload script
reloads the tab and the banner appears; once the file is fixed, the next build is
a normal one and the banner is gone. ``mkdocs build`` is unaffected: it still fails.

Diagnostic messages quote contributed text; the banner escapes every character
that HTML gives a meaning to, so none of it becomes markup.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from typing import Any, Mapping

from generator.diagnostics import Diagnostic

BANNER_ID = "companion-content-errors"
"""The ``id`` of the banner element (tests and styles find it by this)."""

_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_STYLE = (
    "position:relative;z-index:10;margin:0;padding:1rem 1.5rem;background:#fff4f4;color:#5c0000;"
    "border-bottom:3px solid #b00020;font:0.9rem/1.5 system-ui,sans-serif;"
)
_ITEM_STYLE = "margin:0.4rem 0;"
_CODE_STYLE = "font-family:ui-monospace,monospace;font-size:0.85rem;"


def banner_html(diagnostics: list[Diagnostic], stale: bool = True) -> str:
    """The banner listing ``diagnostics`` (every text escaped); ``stale``: pages are from the last good build."""
    errors = [d for d in diagnostics if d.severity.value == "error"]
    count = f"{len(errors)} content error{'' if len(errors) == 1 else 's'}"
    items = []
    for d in diagnostics:
        hint = (f'<br><span style="{_CODE_STYLE}">hint: {html.escape(d.hint)}</span>' if d.hint else "")
        items.append(
            f'<li style="{_ITEM_STYLE}"><code style="{_CODE_STYLE}">{html.escape(str(d.location))}</code> '
            f'<strong>{html.escape(d.severity.value)}[{html.escape(d.code)}]</strong>: '
            f"{html.escape(d.message)}{hint}</li>"
        )
    return (
        f'<div id="{BANNER_ID}" role="alert" style="{_STYLE}">'
        f"<p style=\"margin:0 0 0.5rem;font-weight:bold\">The site was not rebuilt: {count}. "
        + ("This page shows the last good build. " if stale else "No build has succeeded yet, so pages are missing. ")
        + "Fix the file and save; the page reloads.</p>"
        f'<ul style="margin:0;padding-left:1.2rem">{"".join(items)}</ul></div>'
    )


def relax_link_validation(config: Any) -> None:
    """Log links and nav entries to missing pages at DEBUG level for this build only."""
    validation = config.validation
    validation.nav.not_found = logging.DEBUG
    for name in ("not_found", "anchors", "unrecognized_links"):
        setattr(validation.links, name, logging.DEBUG)


def add_banner(page: str, banner: str) -> str:
    """``page`` (a whole HTML document) with ``banner`` right after its ``<body>`` tag."""
    match = _BODY.search(page)
    if match is None:
        return banner + page
    return page[:match.end()] + banner + page[match.end():]


class ServeErrors:
    """What ``mkdocs serve`` needs between builds: the last good pages, and the current problems."""

    def __init__(self) -> None:
        self.last_good: dict[str, Any] = {}
        self.banner: str | None = None

    def succeeded(self, generated: Mapping[str, Any]) -> None:
        """A build without errors: remember its generated files; no banner."""
        self.last_good = dict(generated)
        self.banner = None

    def failed(self, diagnostics: list[Diagnostic], config: Any = None) -> dict[str, Any]:
        """A build with errors: print them, set the banner, and return the files to serve instead.

        Links to pages the stand-in site lacks (all generated pages, when no build has
        succeeded yet) are then not warnings: a strict build would otherwise abort.
        """
        if config is not None:
            relax_link_validation(config)
        for diagnostic in diagnostics:
            print(diagnostic, file=sys.stderr)  # noqa: T201 (not logged: strict mode would abort the build)
        errors = sum(1 for d in diagnostics if d.severity.value == "error")
        print(f"content has problems: {errors} error(s); the browser shows them on every page"
              + (", over the last good build" if self.last_good else ""), file=sys.stderr)  # noqa: T201
        self.banner = banner_html(diagnostics, stale=bool(self.last_good))
        return self.last_good

    def decorate(self, page: str) -> str:
        """A rendered page, with the banner when the last build failed."""
        return add_banner(page, self.banner) if self.banner else page


__all__ = ["BANNER_ID", "ServeErrors", "add_banner", "banner_html"]

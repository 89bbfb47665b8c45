"""``python -m generator init DIR``: start a new companion from the generator's starter.

The starter (``generator/starter/``) is a minimal, working companion: ``mkdocs.yml``, a
``types.yaml`` that extends the default types, one sample entry of every entry type, a
two-work ``.bib``, a theme override, an about page, a README with the two set-up commands and a Makefile that installs the generator. It checks
clean and builds with ``mkdocs build --strict`` as written; its samples are meant to be
replaced.
"""

from __future__ import annotations

import shutil
from pathlib import Path

STARTER = Path(__file__).parent / "starter"
"""The files a new companion starts with."""

_RENAMED = {"gitignore": ".gitignore"}
"""Starter files kept under another name in the package (a ``.gitignore`` would hide files)."""

_FILLED_IN = {"mkdocs.yml", "README.md", "Makefile"}
"""Starter files with ``__SITE_NAME__`` or ``__GENERATOR__`` to fill in."""


class InitError(Exception):
    """The target cannot receive a new companion (it is a file, or a folder that is not empty)."""


def generator_requirement() -> str:
    """How the new companion's Makefile installs this generator: from its source tree if there is one."""
    source = Path(__file__).resolve().parent.parent
    if (source / "pyproject.toml").is_file():
        return f"research-companion-generator @ {source.as_uri()}"
    return "research-companion-generator"


def init_project(target: Path, site_name: str, requirement: str | None = None) -> list[Path]:
    """Write a new companion into ``target`` (created if missing; must be empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} exists and is not an empty folder")
    values = {"__SITE_NAME__": site_name.replace('"', "'"),
              "__GENERATOR__": requirement or generator_requirement()}
    written = []
    for source in sorted(STARTER.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(STARTER)
        destination = target / relative.parent / _RENAMED.get(relative.name, relative.name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if relative.name in _FILLED_IN and len(relative.parts) == 1:
            text = source.read_text(encoding="utf-8")
            for token, value in values.items():
                text = text.replace(token, value)
            destination.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, destination)
        written.append(destination)
    return written


__all__ = ["InitError", "STARTER", "generator_requirement", "init_project"]

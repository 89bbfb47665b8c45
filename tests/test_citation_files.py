"""CITATION.cff and .zenodo.json (what GitHub and Zenodo cite for a release) name the people the site declares."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from generator.pipeline import ProjectConfig

REPO = Path(__file__).resolve().parent.parent


def _declared() -> list[str]:
    site = ProjectConfig.for_project(REPO).site
    assert site.editors, "mkdocs.yml declares no editors (extra.companion.editors)"
    return [p.inverted() for p in site.editors]


def test_citation_cff_names_the_declared_editors() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == ProjectConfig.for_project(REPO).site_name
    names = [a["name"] if "name" in a else f"{a['family-names']}, {a['given-names']}" for a in cff["authors"]]
    assert names == _declared()


def test_zenodo_metadata_names_the_declared_editors() -> None:
    zenodo = json.loads((REPO / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["title"] == ProjectConfig.for_project(REPO).site_name
    assert [c["name"] for c in zenodo["creators"]] == _declared()
    assert zenodo["upload_type"] in {"dataset", "publication", "software", "other"}

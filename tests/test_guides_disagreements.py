"""Reading guides and disagreements: every disagreement shows on each entry it concerns; guides are complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.escaping import text as escape_text
from generator.pipeline import BuildResult, ProjectConfig, build

REPO = Path(__file__).resolve().parent.parent
SEEDS = ("troitskiy2020", "molchanov2012", "lukyanov2009")


@pytest.fixture(scope="module")
def result() -> BuildResult:
    built = build(ProjectConfig.for_project(REPO, format_citations=False, use_history=False))
    assert built.ok, built.diagnostics.report()
    return built


def test_each_disagreement_appears_on_every_entry_it_concerns(result: BuildResult) -> None:
    site = result.site
    disagreements = site.of_type("disagreement")
    assert disagreements, "the companion records the texts' disagreements"
    missing = []
    for d in disagreements:
        # One line each under "Where the texts disagree", linking to the disagreement's page (issue 15).
        line = f"- [{escape_text(d.name)}]("
        for ref in d.concerns:
            page = result.files[site.by_id[ref.target].page_path]
            section = page.split("## Where the texts disagree", 1)[1].split("\n## ", 1)[0] if (
                "## Where the texts disagree" in page) else ""
            if not any(item.startswith(line) and f"disagreements/{d.id}/index.md)" in item
                       for item in section.splitlines()):
                missing.append(f"{d.id} not shown on {ref.target}")
    assert not missing, missing


def test_disagreement_overview_lists_every_point_with_each_position(result: BuildResult) -> None:
    overview = result.files["disagreements/index.md"]
    for d in result.site.of_type("disagreement"):
        assert f"({d.id}/index.md)" in overview
        assert len(d.positions) >= 2
        for position in d.positions:
            assert str(escape_text(position["value"])) in overview


def test_a_guide_per_seed_reached_from_home_and_citation_page(result: BuildResult) -> None:
    guides = {g.work.key: g for g in result.site.of_type("guide")}
    assert set(guides) == set(SEEDS)
    home = result.files["index.md"]
    for seed, guide in guides.items():
        assert f"(guides/{guide.id}/index.md)" in home
        assert f"(../../guides/{guide.id}/index.md)" in result.files[f"sources/{seed}/index.md"]
        page = result.files[guide.page_path]
        for heading in ("## The question", "## Abstract", "## The argument in steps", "## Outline"):
            assert heading in page, (seed, heading)
        assert guide.outline and guide.argument

"""Every address the site prints comes from one place (issue 16): the living root, editions under it."""

from __future__ import annotations

import pytest

from generator.publish.addresses import Addresses, living_root
from generator.site_meta import Person, SiteDeclarationError, is_placeholder_url, site_info


@pytest.mark.parametrize("site_url", ["https://example.org/er/", "https://example.org/er"])
def test_living_addresses(site_url: str) -> None:
    addresses = Addresses.for_build(site_url, None)
    assert addresses.page("organisations/csto/") == "https://example.org/er/organisations/csto/"
    assert addresses.page("/organisations/csto/") == "https://example.org/er/organisations/csto/"
    assert addresses.base == "https://example.org/er/"
    assert addresses.in_edition("v1.0", "organisations/csto/") == "https://example.org/er/v1.0/organisations/csto/"


@pytest.mark.parametrize("site_url", ["https://example.org/er/v0.2", "https://example.org/er/v0.2/",
                                      "https://example.org/er/"])
def test_edition_addresses_whatever_mike_made_of_site_url(site_url: str) -> None:
    # mike sets site_url to urljoin(site_url, "v0.2"): string joins made v0.2organisations and /v0.2/v0.2/.
    addresses = Addresses.for_build(site_url, "v0.2")
    assert addresses.root == "https://example.org/er/"
    assert addresses.page("organisations/csto/") == "https://example.org/er/v0.2/organisations/csto/"
    assert addresses.living("organisations/csto/") == "https://example.org/er/organisations/csto/"
    assert addresses.base == "https://example.org/er/v0.2/"


def test_no_site_url_gives_no_absolute_address() -> None:
    addresses = Addresses.for_build("", "v1.0")
    assert (addresses.page("x/"), addresses.living("x/"), addresses.in_edition("v1.0", "x/")) == ("", "", "")
    assert living_root("https://example.org/v1.0x", "v1.0") == "https://example.org/v1.0x/"
    with pytest.raises(ValueError):
        Addresses.for_build("https://example.org/", "latest")


def test_placeholder_urls() -> None:
    for url in ("https://companion.example.org/", "http://localhost:8000/", "", "https://x.example/", "https://a.test/"):
        assert is_placeholder_url(url), url
    for url in ("https://owner.github.io/companion/", "https://companion.org/"):
        assert not is_placeholder_url(url), url


def test_site_declaration() -> None:
    info = site_info({"companion": {"editors": [{"family": "Doe", "given": "Jane"}, {"name": "Group"}],
                                    "edition_dois": {"v1.0": "10.5281/zenodo.1"}}}, "ru")
    assert info.editors == (Person(family="Doe", given="Jane"), Person(name="Group"))
    assert info.language == "ru" and info.doi("v1.0") == "10.5281/zenodo.1" and info.doi(None) == ""
    assert [p.csl() for p in info.editors] == [{"family": "Doe", "given": "Jane"}, {"literal": "Group"}]
    assert site_info(None).editors == ()
    for bad in ({"companion": {"editors": [{"given": "Jane"}]}}, {"companion": {"editor": []}},
                {"companion": {"editors": [{"name": "G", "family": "F"}]}},
                {"companion": {"edition_dois": {"latest": "x"}}}, {"companion": []}):
        with pytest.raises(SiteDeclarationError):
            site_info(bad)


def test_site_url_from_the_environment(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import ProjectConfig

    (tmp_path / "mkdocs.yml").write_text('site_name: S\nsite_url: !ENV [SITE_URL, "https://companion.example.org/"]\n'
                                         "extra:\n  companion:\n    editors:\n      - {name: G}\n")
    monkeypatch.delenv("SITE_URL", raising=False)
    assert ProjectConfig.for_project(tmp_path).site_url == "https://companion.example.org/"
    monkeypatch.setenv("SITE_URL", "https://owner.github.io/companion/")
    config = ProjectConfig.for_project(tmp_path)
    assert config.site_url == "https://owner.github.io/companion/"
    assert [p.name for p in config.site.editors] == ["G"]

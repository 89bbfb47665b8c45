"""source_slug: key -> URL slug."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.bibliography import source_slug


@pytest.mark.parametrize(
    ("key", "slug"),
    [
        ("troitskiy2020", "troitskiy2020"),
        ("Troitskiy2020", "troitskiy2020"),
        ("smith_jones:2011a", "smith-jones-2011a"),
        ("  --weird--  ", "weird"),
        ("Söderbaum2005", "soderbaum2005"),
        ("Путин2011", "2011"),
        ("___", "source"),
    ],
)
def test_examples(key: str, slug: str) -> None:
    assert source_slug(key) == slug


@given(st.text(max_size=40))
def test_always_a_url_safe_slug(key: str) -> None:
    slug = source_slug(key)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert source_slug(slug) == slug

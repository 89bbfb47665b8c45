"""Hints that point at the right thing (:mod:`generator.diagnostics.suggest`)."""

from __future__ import annotations

import pytest

from generator.diagnostics.suggest import citation_hint, close_id, date_hint, enum_hint, rename_candidates

ORGANISATIONS = ["ces", "csto", "east-asia-summit", "eurasec", "eeu", "sco"]
KEYS = ["lukyanov2009", "molchanov2012", "troitskiy2020", "vinokurov2017"]


@pytest.mark.parametrize(("word", "expected"), [
    ("eas", None),           # 'ces' and 'est' are one letter away, and other things entirely
    ("cso", "csto"),         # a dropped letter
    ("csot", None),          # a transposition in four letters is as far as a different name
    ("eurasek", "eurasec"),
    ("east-asia-sumit", "east-asia-summit"),
    ("economic-union", None),
])
def test_close_id_guesses_only_likely_typos(word: str, expected: str | None) -> None:
    assert close_id(word, ORGANISATIONS + ["est"]) == expected


def test_a_key_with_another_year_is_another_work() -> None:
    hint = citation_hint("vinokurov2021", KEYS)
    assert hint == ("bibliography/ has no 2021 work by 'vinokurov' ('vinokurov2017' is from another year, so another "
                    "work): add the 2021 work to a .bib file in bibliography/ with the key 'vinokurov2021', or "
                    "correct the year if you meant that one")
    assert "did you mean" not in hint


def test_a_misspelt_author_with_the_right_year_is_a_typo() -> None:
    assert citation_hint("lukianov2009", KEYS).startswith("did you mean 'lukyanov2009'?")
    assert citation_hint("smith2001", KEYS) == "add the work to a .bib file in bibliography/ with the key 'smith2001'"


@pytest.mark.parametrize(("text", "hint"), [
    ("12.01.2006", "write 2006-01-12 (year-month-day: 12 January 2006)"),
    ("12/01/2006", "write 2006-01-12 (12 January 2006) or 2006-12-01 (1 December 2006) (year-month-day)"),
    ("25/12/1991", "write 1991-12-25 (25 December 1991) (year-month-day)"),
    ("2006.01.12", "write 2006-01-12 (with hyphens)"),
    ("15 May 1992", "write 1992-05-15 (year-month-day)"),
    ("May 15, 1992", "write 1992-05-15 (year-month-day)"),
    ("December 1991", "write 1991-12 (year-month)"),
    ("31.02.2006", None),
    ("in the spring", None),
])
def test_dates_written_other_ways_get_their_edtf_form(text: str, hint: str | None) -> None:
    assert date_hint(text) == hint


def test_enumerations_suggest_the_closest_value() -> None:
    values = ["treaty-signed", "treaty-in-force", "summit", "customs-union"]
    assert enum_hint("Customs Union", values) == "did you mean 'customs-union'?"
    assert enum_hint("treaty", values) == "did you mean 'treaty-signed' or 'treaty-in-force'?"
    assert enum_hint("sumit", values) == "did you mean 'summit'?"
    assert enum_hint("xyz", values) is None


def test_a_rename_is_recognised_from_the_published_urls() -> None:
    manifest = ["/organisations/eas/", "/organisations/ces/"]
    assert rename_candidates("eas", "organisations", manifest, ["ces", "east-asia-summit"]) == ["east-asia-summit"]
    assert rename_candidates("eas", "organisations", manifest, ["ces"]) == []
    assert rename_candidates("never", "organisations", manifest, ["ces", "east-asia-summit"]) is None
    assert rename_candidates("eas", "organisations", None, ["east-asia-summit"]) is None

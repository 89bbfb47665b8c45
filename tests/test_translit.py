"""The site's transliteration of Russian (BGN/PCGN) and the `translit.system` warning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from generator.diagnostics import Diagnostics, Location, Severity
from generator.schema.translit import bgn_pcgn, check_transliterations


@pytest.mark.parametrize("cyrillic, latin", [
    ("Евразийский экономический союз", "Yevraziyskiy ekonomicheskiy soyuz"),
    ("Объединённый штаб", 'Ob"yedinënnyy shtab'),
    ("ближнее зарубежье", "blizhneye zarubezh'ye"),
    ("Назарбаев", "Nazarbayev"),
    ("Бакиев", "Bakiyev"),
    ("Ельцин", "Yel'tsin"),
    ("Лукашенко", "Lukashenko"),
    ("Щёлково", "Shchëlkovo"),
    ("Юрий", "Yuriy"),
    ("Эстония", "Estoniya"),
    ("Коллективные силы", "Kollektivnyye sily"),
    ("Соединённые Штаты", "Soyedinënnyye Shtaty"),
    ("ШОС", "ShOS"),
    ("ЕврАзЭС", "YevrAzES"),
    ("ОЦАС", "OTsAS"),
    ("Миссия России в XXI веке", "Missiya Rossii v XXI veke"),
    ("Организация «Центральноазиатское сотрудничество»", "Organizatsiya «Tsentral'noaziatskoye sotrudnichestvo»"),
    ("2003–2006 годы", "2003–2006 gody"),
    ("", ""),
])
def test_bgn_pcgn(cyrillic: str, latin: str) -> None:
    assert bgn_pcgn(cyrillic) == latin


def test_ye_only_at_a_word_start_or_after_a_vowel_or_sign() -> None:
    assert bgn_pcgn("ее") == "yeye"
    assert bgn_pcgn("не ее") == "ne yeye"
    assert bgn_pcgn("съел ель") == 's"yel yel\''
    assert bgn_pcgn("Бе-ел") == "Be-yel"  # a hyphen starts a new word


@dataclass
class FakeEntry:
    path: str
    data: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)


FILE = """id: eeu
names:
  - lang: ru
    text: Евразийский экономический союз
    translit: Evraziiskii ekonomicheskii soyuz
  - lang: kk
    text: Еуразиялық экономикалық одақ
    translit: anything
abbreviations:
  - {text: ЕАЭС, lang: ru, translit: EAES}
  - {text: ЕЭК, lang: ru, translit: YeEK}
other_names:
  - text: Союз
    lang: ru
    translit: "Soyuz'"
  - text: Союз
    lang: ru
"""


def test_warns_on_each_translit_that_is_not_bgn_pcgn_at_its_line() -> None:
    entry = FakeEntry("content/organisations/eeu.yaml", {
        "names": [
            {"lang": "ru", "text": "Евразийский экономический союз", "translit": "Evraziiskii ekonomicheskii soyuz"},
            {"lang": "kk", "text": "Еуразиялық экономикалық одақ", "translit": "anything"},
        ],
        "abbreviations": [
            {"text": "ЕАЭС", "lang": "ru", "translit": "EAES"},
            {"text": "ЕЭК", "lang": "ru", "translit": "YeEK"},
        ],
        "other_names": [{"text": "Союз", "lang": "ru", "translit": "Soyuz'"}, {"text": "Союз", "lang": "ru"}],
    })
    diagnostics = Diagnostics()
    check_transliterations([entry], {entry.path: FILE.encode()}, diagnostics)
    found = [(d.code, d.severity, d.location, d.message) for d in diagnostics.sorted()]
    assert found == [
        ("translit.system", Severity.WARNING, Location(entry.path, 5, 5),
         "transliteration 'Evraziiskii ekonomicheskii soyuz' does not follow BGN/PCGN"),
        ("translit.system", Severity.WARNING, Location(entry.path, 10, 28),
         "transliteration 'EAES' does not follow BGN/PCGN"),
        ("translit.system", Severity.WARNING, Location(entry.path, 15, 5),
         "transliteration 'Soyuz'' does not follow BGN/PCGN"),
    ]
    hints = [d.hint for d in diagnostics.sorted()]
    assert hints[0].endswith("BGN/PCGN gives: Yevraziyskiy ekonomicheskiy soyuz")
    assert hints[1].endswith("BGN/PCGN gives: YeAES")
    assert hints[2].endswith("BGN/PCGN gives: Soyuz")


def test_no_warning_when_every_translit_follows_the_system() -> None:
    entry = FakeEntry("content/concepts/near-abroad.yaml", {
        "names": [{"lang": "ru", "text": "ближнее зарубежье", "translit": "blizhneye zarubezh'ye"}],
    })
    diagnostics = Diagnostics()
    check_transliterations([entry], {}, diagnostics)
    assert not diagnostics.items


def test_warning_without_the_file_text_points_at_the_file() -> None:
    entry = FakeEntry("content/concepts/x.yaml", {"names": [{"lang": "ru", "text": "Ель", "translit": "El'"}]})
    diagnostics = Diagnostics()
    check_transliterations([entry], {}, diagnostics)
    assert [d.location for d in diagnostics] == [Location(entry.path, 1, 1)]

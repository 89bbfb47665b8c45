"""A synthetic companion project of any size, for the benchmarks.

    .venv/bin/python benchmarks/corpus.py OUT -n 1000            # 1,000 entries, N/5 sources
    .venv/bin/python benchmarks/corpus.py OUT -n 100 -m 10

:func:`generate` writes a project folder shaped like the real one (see
``docs/contributing/content-format.md`` and ``tests/fixtures/site/``)::

    OUT/content/{organisations,events,concepts,countries}/<id>.yaml
    OUT/bibliography/sources-NN.bib      M entries, 500 per file
    OUT/docs/                            the real site's hand-written pages, copied
    OUT/mkdocs.yml                       the real mkdocs.yml with paths made absolute

Countries are real ISO 3166-1 alpha-3 codes with their Russian names from pycountry's
translations; there are 249, so above that the rest of N goes to the other types.
Every reference (fields, ``[[links]]``, citations) picks its target uniformly at random,
so the expected number of backlinks and "cited on" lines per page does not grow with N
(only the fixed set of countries collects more memberships as N grows). Everything is
drawn from one seeded :class:`random.Random`: the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pycountry
import yaml

ROOT = Path(__file__).resolve().parents[1]
"""The repository: its mkdocs.yml, docs/ and overrides/ are what the synthetic site reuses."""
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.pipeline import read_mkdocs_yml  # noqa: E402

TYPE_SHARES = {"organisations": 0.30, "events": 0.50, "concepts": 0.20}
"""How the entries that are not countries are split."""
COUNTRY_SHARE = 0.25
"""Share of N given to countries, up to the number of real ISO codes."""
BIB_PER_FILE = 500
LOCATORS_PER_SOURCE = 6
"""Each work is cited at a few recurring places (as a real text is), so the number of
distinct citation clusters grows with M, not with the number of citations."""

# (English, Russian, transliteration): enough to compose names in two scripts.
ADJECTIVES = [
    ("Eurasian", "Евразийский", "Yevraziyskiy"), ("Collective", "Коллективный", "Kollektivnyy"),
    ("Central Asian", "Центральноазиатский", "Tsentralnoaziatskiy"), ("Caspian", "Каспийский", "Kaspiyskiy"),
    ("Northern", "Северный", "Severnyy"), ("Interstate", "Межгосударственный", "Mezhgosudarstvennyy"),
    ("Joint", "Объединённый", "Obyedinyonnyy"), ("Regional", "Региональный", "Regionalnyy"),
    ("Economic", "Экономический", "Ekonomicheskiy"), ("Customs", "Таможенный", "Tamozhennyy"),
    ("Energy", "Энергетический", "Energeticheskiy"), ("Black Sea", "Черноморский", "Chernomorskiy"),
    ("Transport", "Транспортный", "Transportnyy"), ("Monetary", "Валютный", "Valyutnyy"),
    ("Security", "Оборонный", "Oboronnyy"), ("Parliamentary", "Парламентский", "Parlamentskiy"),
]
NOUNS = [
    ("Council", "совет", "sovet", "council"), ("Commission", "комитет", "komitet", "commission"),
    ("Union", "союз", "soyuz", "economic-union"), ("Community", "сообщество", "soobshchestvo", "economic-community"),
    ("Forum", "форум", "forum", "forum"), ("Bank", "банк", "bank", "bank"),
    ("Court", "суд", "sud", "court"), ("Assembly", "собрание", "sobraniye", "parliamentary-assembly"),
    ("Treaty", "договор", "dogovor", "treaty"), ("Secretariat", "секретариат", "sekretariat", "secretariat"),
    ("Programme", "фонд", "fond", "programme"), ("Alliance", "альянс", "alyans", "alliance"),
    ("Force", "контингент", "kontingent", "military-force"), ("Area", "пространство", "prostranstvo", "free-trade-area"),
]
TOPICS = [
    "integration", "sovereignty", "security", "trade", "customs", "energy", "pipelines", "migration",
    "borders", "tariffs", "sanctions", "summitry", "legitimacy", "hegemony", "multilateralism", "enlargement",
    "arbitration", "transit", "currency", "defence", "peacekeeping", "institutions", "compliance", "norms",
]
CONCEPT_HEADS = [
    ("regime", "режим", "rezhim"), ("regionalism", "регионализм", "regionalizm"), ("pluralism", "плюрализм", "plyuralizm"),
    ("hegemony", "гегемония", "gegemoniya"), ("balancing", "балансирование", "balansirovaniye"),
    ("integration", "интеграция", "integratsiya"), ("pragmatism", "прагматизм", "pragmatizm"),
    ("sovereignty", "суверенитет", "suverenitet"), ("multivectorism", "многовекторность", "mnogovektornost"),
]
CONCEPT_MODIFIERS = [
    "soft", "dead-letter", "full-blown", "developmental", "defensive", "nested", "competitive", "liberal",
    "post-imperial", "selective", "declaratory", "overlapping", "asymmetric", "thin", "thick", "hybrid",
]
CITIES = ["Moscow", "Minsk", "Astana", "Almaty", "Bishkek", "Dushanbe", "Tashkent", "Yerevan", "Baku", "Tbilisi",
          "Kyiv", "Chisinau", "Ashgabat", "Sochi", "Kazan", "Shanghai", "Beijing", "Vienna", "Geneva", "Brussels"]
SECTIONS = ["Introduction", "Conclusions", "Emergence and normative framework", "Expectations and performance",
            "Twenty Years After", "The Russia-centred projects", "Methods", "Discussion"]
FAMILIES = ["Troitskiy", "Molchanov", "Lukyanov", "Dugin", "Smith", "Ivanov", "Petrov", "Müller", "Zhang",
            "Kuznetsova", "Sokolov", "Orlov", "Novikov", "Volkov", "Popov", "Libman", "Vinokurov", "Allison",
            "Cooley", "Kembayev", "Wilson", "Dragneva", "Wolczuk", "Hancock", "Roberts", "Kubicek", "Tsygankov"]
GIVEN = ["Evgeny", "Mikhail A.", "Fyodor", "Aleksandr", "Jane", "Ivan", "Pëtr", "Jörg", "Wei", "Olga", "Rilka",
         "Kataryna", "Alexander", "Roy", "Sean", "Zhenis", "Andrei", "Kathleen", "Paul"]
TITLE_WORDS = ["Eurasian", "integration", "security", "regionalism", "customs", "union", "post-Soviet", "space",
               "treaty", "alliance", "{CIS}", "{CSTO}", "energy", "pipelines", "Central Asia", "{Russia}",
               "sovereignty", "hegemony", "institutions", "{Kazakhstan}", "compliance", "norms"]
TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))


def transliterate(text: str) -> str:
    """A simple BGN/PCGN-like romanisation (enough for a ``translit`` field)."""
    out = []
    for char in text:
        low = char.lower()
        if low in TRANSLIT:
            latin = TRANSLIT[low]
            out.append(latin.capitalize() if char != low else latin)
        else:
            out.append(char)
    return "".join(out)


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML): never misread as a date or number."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Plan:
    """How many entries of each type a corpus of ``n`` entries has."""

    countries: int
    organisations: int
    events: int
    concepts: int
    sources: int

    @property
    def entries(self) -> int:
        return self.countries + self.organisations + self.events + self.concepts


def plan(n: int, m: int | None = None) -> Plan:
    """Split ``n`` entries between the types; ``m`` sources (default ``max(10, n // 5)``)."""
    codes = len(pycountry.countries)
    countries = min(codes, max(2, round(n * COUNTRY_SHARE)))
    rest = max(0, n - countries)
    organisations = max(1, round(rest * TYPE_SHARES["organisations"]))
    concepts = max(1, round(rest * TYPE_SHARES["concepts"]))
    events = max(1, rest - organisations - concepts)
    return Plan(countries, organisations, events, concepts, m if m is not None else max(10, n // 5))


class Writer:
    """Draws the content of one corpus from one seeded generator."""

    def __init__(self, shape: Plan, seed: int) -> None:
        self.rng = random.Random(seed)
        self.shape = shape
        rng = self.rng
        codes = sorted(c.alpha_3.lower() for c in pycountry.countries)
        self.countries = sorted(rng.sample(codes, shape.countries))
        self.families = [rng.choice(FAMILIES) for _ in range(shape.sources)]
        self.keys = [f"{family.lower().replace('ü', 'u')}{1990 + i % 35}w{i}" for i, family in enumerate(self.families)]
        # A few places each work is cited at (footnotes, sections, pages, paragraphs).
        self.locators = {key: [self._locator() for _ in range(LOCATORS_PER_SOURCE)] for key in self.keys}
        self.organisations = [self._org_name(i) for i in range(shape.organisations)]
        self.events = [f"{rng.choice(TOPICS)}-{rng.choice(['summit', 'treaty', 'accord', 'crisis', 'talks'])}-{i}"
                       for i in range(shape.events)]
        self.concepts = [f"{rng.choice(CONCEPT_MODIFIERS)}-{rng.choice(CONCEPT_HEADS)[0]}-{i}"
                         for i in range(shape.concepts)]
        self.org_ids = [org["id"] for org in self.organisations]
        self.all_ids = self.countries + self.org_ids + self.events + self.concepts
        try:
            self.ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"]).gettext
        except OSError:  # pragma: no cover - pycountry ships the translations
            self.ru = lambda text: text

    # -- small pieces ----------------------------------------------------------------------

    def _locator(self) -> tuple[str, str]:
        label = self.rng.choice(["note", "note", "section", "page", "paragraph"])
        if label == "note":
            return str(self.rng.randint(1, 60)), "note"
        if label == "section":
            return self.rng.choice(SECTIONS), "section"
        if label == "page":
            return str(self.rng.randint(1, 320)), "page"
        return str(self.rng.randint(1, 20)), "paragraph"

    def _org_name(self, index: int) -> dict[str, Any]:
        adjective, noun = self.rng.choice(ADJECTIVES), self.rng.choice(NOUNS)
        second = self.rng.choice(ADJECTIVES)
        en = f"{adjective[0]} {second[0]} {noun[0]}" if self.rng.random() < 0.4 else f"{adjective[0]} {noun[0]}"
        ru_noun = noun[1]
        ru = f"{adjective[1]} {ru_noun}".capitalize()
        abbr = "".join(word[0] for word in en.split()).upper()
        return {"id": f"{abbr.lower()}-{index}", "en": f"{en} ({index})", "ru": ru, "translit": transliterate(ru),
                "abbr": abbr, "abbr_ru": "".join(w[0] for w in ru.split()).upper(), "kind": noun[3]}

    def source(self, key: str | None = None) -> str:
        key = key or self.rng.choice(self.keys)
        locator, label = self.rng.choice(self.locators[key])
        record = f"{{key: {key}, locator: {q(locator)}, label: {label}"
        if self.rng.random() < 0.15:
            record += f", quote: {q(self.sentence(6))}"
        return record + "}"

    def sources(self, low: int = 1, high: int = 3) -> str:
        return "[" + ", ".join(self.source() for _ in range(self.rng.randint(low, high))) + "]"

    def date(self, start: int = 1991, end: int = 2024) -> str:
        year = self.rng.randint(start, end)
        shape = self.rng.random()
        if shape < 0.6:
            return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        if shape < 0.8:
            return f"{year}-{self.rng.randint(1, 12):02d}"
        if shape < 0.9:
            return f"{year}"
        return f"{year}~" if shape < 0.95 else f"{year}?"

    def sentence(self, words: int | None = None) -> str:
        count = words or self.rng.randint(8, 18)
        text = " ".join(self.rng.choice(TOPICS) for _ in range(count))
        return text[0].upper() + text[1:] + "."

    def citation(self) -> str:
        """A Pandoc citation as contributors write them."""
        shape = self.rng.random()
        key = self.rng.choice(self.keys)
        locator, label = self.rng.choice(self.locators[key])
        short = {"note": "n.", "section": "sec.", "page": "p.", "paragraph": "para."}[label]
        if shape < 0.55:
            return f"[@{key}, {short} {locator}]"
        if shape < 0.8:
            other = self.rng.choice(self.keys)
            locator2, label2 = self.rng.choice(self.locators[other])
            short2 = {"note": "n.", "section": "sec.", "page": "p.", "paragraph": "para."}[label2]
            return f"[see @{key}, {short} {locator}; @{other}, {short2} {locator2}]"
        return f"@{key}"

    def link(self, exclude: str) -> str:
        target = self.rng.choice(self.all_ids)
        while target == exclude:
            target = self.rng.choice(self.all_ids)
        if self.rng.random() < 0.3:
            return f"[[{target}|{self.rng.choice(TOPICS)} {self.rng.choice(TOPICS)}]]"
        return f"[[{target}]]"

    def body(self, entry_id: str) -> str:
        """A few paragraphs of Markdown with links and citations, as a literal block."""
        paragraphs = []
        for index in range(self.rng.randint(2, 4)):
            sentences = []
            for _ in range(self.rng.randint(3, 5)):
                sentence = self.sentence()[:-1]
                roll = self.rng.random()
                if roll < 0.35:
                    sentence += " " + self.link(entry_id)
                elif roll < 0.45:
                    sentence = f"According to {self.citation() if self.rng.random() < 0.5 else '*the texts*'}, " \
                               + sentence[0].lower() + sentence[1:]
                if self.rng.random() < 0.5:
                    sentence += " " + self.citation()
                sentences.append(sentence + ".")
            if index == 1 and self.rng.random() < 0.3:
                paragraphs.append("## " + self.sentence(3)[:-1].capitalize())
            paragraphs.append(" ".join(sentences))
        if self.rng.random() < 0.2:
            paragraphs.append("\n".join(f"- {self.sentence(5)} {self.link(entry_id)}" for _ in range(3)))
        return "body: |\n" + "\n\n".join("  " + "\n  ".join(p.split("\n")) for p in paragraphs) + "\n"

    def related(self, entry_id: str) -> str:
        count = self.rng.randint(0, 3)
        if not count:
            return ""
        targets = {self.rng.choice(self.all_ids) for _ in range(count)} - {entry_id}
        return f"related: [{', '.join(sorted(targets))}]\n" if targets else ""

    # -- entries ---------------------------------------------------------------------------

    def country(self, code: str) -> str:
        common = pycountry.countries.get(alpha_3=code.upper())
        english = getattr(common, "name", code)
        russian = self.ru(english)
        lines = [f"id: {code}"]
        if russian != english:
            lines.append(f"names:\n  - {{lang: ru, text: {q(russian)}, translit: {q(transliterate(russian))}}}")
        lines.append(f"summary: {q(f'A state whose part in {self.rng.choice(TOPICS)} the texts discuss.')}")
        lines.append(self.body(code).rstrip("\n"))
        lines.append(f"sources: {self.sources()}")
        return "\n".join(lines) + "\n" + self.related(code)

    def organisation(self, index: int) -> str:
        org = self.organisations[index]
        rng = self.rng
        lines = [
            f"id: {org['id']}",
            f"name: {q(org['en'])}",
            "names:",
            f"  - {{lang: ru, text: {q(org['ru'])}, translit: {q(org['translit'])}}}",
            "abbreviations:",
            f"  - text: {q(org['abbr'])}",
            f"  - {{text: {q(org['abbr_ru'])}, lang: ru, translit: {q(transliterate(org['abbr_ru']))}}}",
            f"summary: {q('An organisation for ' + rng.choice(TOPICS) + ' and ' + rng.choice(TOPICS) + ' among post-Soviet states.')}",
            f"kind: {org['kind']}",
        ]
        founded_year = rng.randint(1991, 2015)
        if rng.random() < 0.2:  # the sources disagree
            lines += ["founded:", f"  - date: {founded_year}-{rng.randint(1, 12):02d}",
                      f"    sources: {self.sources(1, 1)}",
                      f"  - date: {founded_year + 1}?", f"    sources: {self.sources(1, 1)}",
                      f"    note: {q('Dated a year later by ' + self.citation())}"]
        else:
            lines += ["founded:", f"  date: {founded_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                      f"  sources: {self.sources(1, 2)}"]
        last_year = 2024  # no membership begins after the organisation is dissolved
        if rng.random() < 0.15:
            last_year = rng.randint(founded_year + 1, 2024)
            lines += ["dissolved:", f"  date: {last_year}", f"  sources: {self.sources(1, 1)}"]
        if index > 0 and rng.random() < 0.25:  # only earlier organisations: no loops
            lines.append(f"predecessors: [{self.org_ids[rng.randrange(index)]}]")
        if index > 0 and rng.random() < 0.1:
            lines.append(f"parent: {self.org_ids[rng.randrange(index)]}")
        lines.append("members:")
        for code in rng.sample(self.countries, min(len(self.countries), rng.randint(2, 7))):
            start = rng.randint(founded_year, min(2020, last_year))
            end = 2024
            lines += [f"  - country: {code}",
                      f"    role: {rng.choice(['member', 'member', 'founding-member', 'observer', 'signatory'])}",
                      f"    from: {start}"]
            if rng.random() < 0.2:
                end, month = rng.randint(start, 2024), rng.randint(1, 12)
                month = 12 if end == founded_year else month  # not before the founding
                lines.append(f"    to: {end}-{month:02d}")
            lines.append(f"    sources: {self.sources(1, 2)}")
            if rng.random() < 0.15:
                lines.append(f"    note: {q('Membership ' + self.sentence(5).lower() + ' ' + self.citation())}")
            if rng.random() < 0.1:
                lines += ["    changes:", f"      - status: {rng.choice(['suspended', 'reinstated', 'downgraded'])}",
                          f"        date: {rng.randint(start, end)}", f"        sources: {self.sources(1, 1)}"]
        lines.append(self.body(org["id"]).rstrip("\n"))
        lines.append(f"sources: {self.sources()}")
        if rng.random() < 0.03:
            lines.append(f"aliases: [{org['id']}-former]")
        return "\n".join(lines) + "\n" + self.related(org["id"])

    def event(self, index: int) -> str:
        rng = self.rng
        entry_id = self.events[index]
        words = entry_id.split("-")[:2]
        lines = [
            f"id: {entry_id}",
            f"name: {q(f'{words[0].capitalize()} {words[1]} of {rng.choice(CITIES)} ({index})')}",
            f"summary: {q('A ' + words[1] + ' on ' + words[0] + ' that the texts mention.')}",
            "date:",
            f"  date: {self.date()}",
            f"  sources: {self.sources(1, 2)}",
            f"kind: {rng.choice(['treaty-signed', 'summit', 'accession', 'crisis', 'declaration', 'agreement'])}",
        ]
        if self.org_ids:
            lines.append(f"organisations: [{', '.join(sorted(set(rng.sample(self.org_ids, min(2, len(self.org_ids))))))}]")
        lines.append(f"countries: [{', '.join(sorted(rng.sample(self.countries, min(len(self.countries), rng.randint(1, 3)))))}]")
        if rng.random() < 0.5:
            lines.append(f"place: {q(rng.choice(CITIES))}")
        lines.append(self.body(entry_id).rstrip("\n"))
        lines.append(f"sources: {self.sources()}")
        return "\n".join(lines) + "\n" + self.related(entry_id)

    def concept(self, index: int) -> str:
        entry_id = self.concepts[index]
        modifier, head, _ = entry_id.rsplit("-", 2)
        ru = next((c for c in CONCEPT_HEADS if c[0] == head), CONCEPT_HEADS[0])
        lines = [
            f"id: {entry_id}",
            f"name: {q(f'{modifier} {head} ({index})')}",
            f"names:\n  - {{lang: ru, text: {q(ru[1])}, translit: {q(ru[2])}}}",
            f"summary: {q(f'A {head} described as {modifier} in the texts.')}",
            "definition:",
            f"  text: {q(self.sentence())}",
            f"  sources: {self.sources(1, 1)}",
        ]
        if self.rng.random() < 0.3:
            lines.append(f"other_names:\n  - {{text: {q(modifier + ' ' + self.rng.choice(TOPICS))}}}")
        lines.append(self.body(entry_id).rstrip("\n"))
        lines.append(f"sources: {self.sources()}")
        return "\n".join(lines) + "\n" + self.related(entry_id)

    def bibliography(self) -> Iterator[str]:
        """The M works, as BibTeX entries of assorted types."""
        rng = self.rng
        for index, (key, family) in enumerate(zip(self.keys, self.families)):
            given = rng.choice(GIVEN)
            year = 1990 + index % 35
            title = " ".join(rng.choice(TITLE_WORDS) for _ in range(rng.randint(3, 9)))
            title = title[0].upper() + title[1:]
            kind = index % 4
            if kind == 0:
                yield (f"@article{{{key},\n  author = {{{family}, {given}}},\n  title = {{{title}}},\n"
                       f"  journaltitle = {{Journal of {rng.choice(TITLE_WORDS).strip('{}')} Studies}},\n"
                       f"  volume = {{{index % 40 + 1}}},\n  number = {{{index % 4 + 1}}},\n"
                       f"  pages = {{{index % 300 + 1}--{index % 300 + 21}}},\n  date = {{{year}}},\n"
                       f"  doi = {{10.1000/bench.{index}}},\n}}\n")
            elif kind == 1:
                yield (f"@book{{{key},\n  author = {{{family}, {given} and {rng.choice(FAMILIES)}, A.}},\n"
                       f"  title = {{{title}}},\n  publisher = {{Routledge}},\n  address = {{London}},\n"
                       f"  year = {{{year}}},\n}}\n")
            elif kind == 2:
                yield (f"@incollection{{{key},\n  author = {{{family}, {given}}},\n  title = {{{title}}},\n"
                       f"  booktitle = {{Handbook of {rng.choice(TITLE_WORDS).strip('{}')}}},\n"
                       f"  editor = {{Editor, E.}},\n  publisher = {{Palgrave}},\n  pages = {{1--20}},\n"
                       f"  year = {{{year}}},\n}}\n")
            else:
                yield (f"@article{{{key},\n  author = {{{family}, {given}}},\n  title = {{{title}}},\n"
                       f"  titleaddon = {{[Translated title {index}]}},\n  journaltitle = {{Izvestia}},\n"
                       f"  entrysubtype = {{newspaper}},\n  date = {{{year}-0{index % 9 + 1}-1{index % 9}}},\n"
                       f"  langid = {{russian}},\n}}\n")


def mkdocs_config(project: Path, *, plugin: bool = True) -> dict[str, Any]:
    """The repository's mkdocs.yml for ``project``: absolute theme and API paths; without ``companion`` if asked."""
    config = read_mkdocs_yml(ROOT / "mkdocs.yml")
    config["site_name"] = "Benchmark companion"
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    plugins = []
    for item in config.get("plugins", []):
        name = item if isinstance(item, str) else next(iter(item))
        if name == "companion":
            if plugin:
                plugins.append({"companion": {"overrides_dir": str(ROOT / "overrides" / "generator"),
                                              "cache_dir": ".cache/citations"}})
            continue
        if name == "mkdocstrings":
            handlers = item["mkdocstrings"].setdefault("handlers", {})
            handlers.setdefault("python", {})["paths"] = [str(ROOT)]
        plugins.append(item)
    config["plugins"] = plugins
    return config


def write_mkdocs_config(path: Path, config: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def copy_docs(target: Path) -> None:
    """The real site's hand-written pages (about, contributing, API reference, CSS)."""
    shutil.copytree(ROOT / "docs", target, dirs_exist_ok=True)


def generate(out: Path, n: int, m: int | None = None, seed: int = 1) -> Plan:
    """Write a project of ``n`` entries citing ``m`` works into ``out`` (replaced if present)."""
    shape = plan(n, m)
    if out.exists():
        shutil.rmtree(out)
    writer = Writer(shape, seed)
    for folder in ("countries", "organisations", "events", "concepts"):
        (out / "content" / folder).mkdir(parents=True)
    content = out / "content"
    for code in writer.countries:
        (content / "countries" / f"{code}.yaml").write_text(writer.country(code), encoding="utf-8")
    for index, org in enumerate(writer.organisations):
        (content / "organisations" / f"{org['id']}.yaml").write_text(writer.organisation(index), encoding="utf-8")
    for index, entry_id in enumerate(writer.events):
        (content / "events" / f"{entry_id}.yaml").write_text(writer.event(index), encoding="utf-8")
    for index, entry_id in enumerate(writer.concepts):
        (content / "concepts" / f"{entry_id}.yaml").write_text(writer.concept(index), encoding="utf-8")
    (out / "bibliography").mkdir()
    works = list(writer.bibliography())
    for number, start in enumerate(range(0, len(works), BIB_PER_FILE)):
        (out / "bibliography" / f"sources-{number:02d}.bib").write_text(
            "\n".join(works[start:start + BIB_PER_FILE]), encoding="utf-8")
    copy_docs(out / "docs")
    write_mkdocs_config(out / "mkdocs.yml", mkdocs_config(out))
    return shape


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="project folder to write (replaced if it exists)")
    parser.add_argument("-n", type=int, default=1000, help="number of entries")
    parser.add_argument("-m", type=int, default=None, help="number of BibTeX entries (default max(10, n // 5))")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    shape = generate(args.out, args.n, args.m, args.seed)
    print(f"{args.out}: {shape}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

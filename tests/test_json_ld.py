"""Every JSON-LD object the site publishes uses schema.org's vocabulary as schema.org defines it.

The vocabulary is schema.org's own N-Quads, as shipped in the npm package
@zazuko/rdf-vocabularies (tests/schemaorg, installed by `make test`). Each object's types
must exist, each property must be one schema.org defines for that type (or a supertype),
and each value must be of a type in the property's range (a string only where the range
has a data type, or is an enumeration member's address).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from generator.pipeline import ProjectConfig, build

REPO = Path(__file__).resolve().parent.parent
VOCABULARY = REPO / "tests" / "schemaorg" / "node_modules" / "@zazuko" / "rdf-vocabularies" / "ontologies" / "schema.nq"
S = "http://schema.org/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean"}
_QUAD = re.compile(r"^<([^>]+)> <([^>]+)> (<[^>]+>|\".*?\"(?:@[a-zA-Z-]+|\^\^<[^>]+>)?) ")


class Vocabulary:
    """schema.org's classes, properties, domains, ranges and enumeration members."""

    def __init__(self, path: Path) -> None:
        self.parents: dict[str, set[str]] = defaultdict(set)
        self.domains: dict[str, set[str]] = defaultdict(set)
        self.ranges: dict[str, set[str]] = defaultdict(set)
        self.instance_of: dict[str, set[str]] = defaultdict(set)
        self.classes: set[str] = set()
        self.properties: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _QUAD.match(line)
            if not match:
                continue
            subject, predicate, obj = match.groups()
            if not subject.startswith(S):
                continue
            name = subject[len(S):]
            target = obj[1:-1][len(S):] if obj.startswith("<" + S) else None
            if predicate == RDF_TYPE and obj == f"<{RDFS}Class>":
                self.classes.add(name)
            elif predicate == RDF_TYPE and obj == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Property>":
                self.properties.add(name)
            elif predicate == RDF_TYPE and target:
                self.instance_of[name].add(target)
            elif predicate == RDFS + "subClassOf" and target:
                self.parents[name].add(target)
            elif predicate == S + "domainIncludes" and target:
                self.domains[name].add(target)
            elif predicate == S + "rangeIncludes" and target:
                self.ranges[name].add(target)

    def ancestors(self, name: str) -> set[str]:
        seen, todo = {name}, [name]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def problems(self, node: dict, where: str) -> list[str]:
        """What in ``node`` (a JSON-LD object) schema.org does not define."""
        kind = node.get("@type")
        if kind not in self.classes:
            return [f"{where}: @type {kind!r} is not a schema.org type"]
        lineage = self.ancestors(kind)
        found = []
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            if prop not in self.properties:
                found.append(f"{where}.{prop}: not a schema.org property")
                continue
            if not self.domains[prop] & lineage:
                found.append(f"{where}.{prop}: not a property of {kind}")
            for item in value if isinstance(value, list) else [value]:
                found += self._value_problems(prop, item, f"{where}.{prop}")
        return found

    def _value_problems(self, prop: str, value: object, where: str) -> list[str]:
        allowed = self.ranges[prop]
        if isinstance(value, dict):
            if not self.ancestors(value.get("@type", "")) & allowed:
                return [f"{where}: a {value.get('@type')} is not in the range {sorted(allowed)}"]
            return self.problems(value, where)
        if isinstance(value, str) and re.match(r"https?://schema\.org/", value):  # an enumeration member
            member = value.split("schema.org/", 1)[1]
            if not any(self.ancestors(t) & allowed for t in self.instance_of.get(member, ())):
                return [f"{where}: {value} is not a member of {sorted(allowed)}"]
            return []
        if not any(DATA_TYPES & self.ancestors(t) for t in allowed) and not allowed & DATA_TYPES:
            return [f"{where}: a plain value where schema.org expects {sorted(allowed)}"]
        return []


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    if not VOCABULARY.is_file():
        pytest.skip("schema.org's vocabulary is not installed: `cd tests/schemaorg && npm ci` (or `make test`)")
    return Vocabulary(VOCABULARY)


def _json_ld_of_the_site() -> dict[str, dict]:
    result = build(ProjectConfig.for_project(REPO, use_history=False))
    assert result.ok, result.diagnostics.report()
    found = {}
    for path, content in result.files.items():
        if isinstance(content, str) and path.endswith(".md") and content.startswith("---\n"):
            front = yaml.safe_load(content[4:content.index("\n---\n", 4)])
            if isinstance(front, dict) and front.get("jsonld"):
                found[path] = json.loads(front["jsonld"])
    return found


def test_the_vocabulary_check_catches_mistakes() -> None:
    vocab = vocabulary()
    assert vocab.problems({"@type": "Event", "startDate": "2002", "eventStatus": "https://schema.org/Monday"},
                          "x") == ["x.eventStatus: https://schema.org/Monday is not a member of ['EventStatusType']"]
    assert vocab.problems({"@type": "Event", "eventStatus": "cancelled"}, "x") == \
        ["x.eventStatus: a plain value where schema.org expects ['EventStatusType']"]
    assert vocab.problems({"@type": "Thing", "volumeNumber": "3"}, "x") == ["x.volumeNumber: not a property of Thing"]
    assert vocab.problems({"@type": "Guide"}, "x") == []
    assert vocab.problems({"@type": "ScholarlyArticle", "isPartOf": {"@type": "Person", "name": "n"}}, "x") != []
    assert vocab.problems({"@type": "Event", "eventStatus": "http://schema.org/EventScheduled"}, "x") == []


def test_every_json_ld_object_is_valid_schema_org() -> None:
    vocab = vocabulary()
    objects = _json_ld_of_the_site()
    problems = [p for path, data in sorted(objects.items()) for p in vocab.problems(data, path)]
    assert not problems, "\n".join(problems[:40])
    types = defaultdict(set)
    for path, data in objects.items():
        types[path.split("/")[0]].add(data["@type"])
    assert types["events"] == {"Event"} and all("eventStatus" not in d for d in objects.values())
    assert types["guides"] == {"LearningResource"}
    troitskiy = objects["sources/troitskiy2020/index.md"]
    assert troitskiy["isPartOf"] == {"@type": "PublicationIssue", "issueNumber": "2", "isPartOf": {
        "@type": "PublicationVolume", "volumeNumber": "34", "isPartOf": {"@type": "Periodical", "name": "Global Society"}}}
    assert len([p for p in objects if p.startswith("events/")]) == 132

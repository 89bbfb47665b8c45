"""Named checks a type declaration can ask for, and named sources of derived names.

A declaration in ``types.yaml`` cannot hold Python; it names what it needs instead:
``validators: [membership-period]`` on a record or a type, ``derive_name: iso3166-country``
on a type. The names are looked up here, in :data:`VALIDATORS` and :data:`NAME_SOURCES`;
registering one more is one more entry in these tables (and its diagnostic codes in
:mod:`generator.diagnostics.codes`).

A validator sees the values of the record's fields that passed their own checks (so that
one run reports every problem), the record's YAML node (for locations) and the check
context to report to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pycountry

from generator.load.yamlload import YMap, YNode, YScalar, YSeq
from generator.schema.dates import DateValue
from generator.schema.fields import CheckContext

Check = Callable[[dict, YMap, CheckContext], None]
"""A validator: ``check(values, node, ctx)`` reports problems to ``ctx``."""


@dataclass(frozen=True)
class Validator:
    """One registered whole-record check."""

    name: str
    doc: str
    check: Check
    codes: tuple[str, ...]
    """The diagnostic codes it reports."""


@dataclass(frozen=True)
class Validators:
    """The named validators of one record, run in order (a picklable, comparable callable)."""

    names: tuple[str, ...]

    def __call__(self, value: dict, node: YMap, ctx: CheckContext) -> None:
        for name in self.names:
            VALIDATORS[name].check(value, node, ctx)


@dataclass(frozen=True)
class NameSource:
    """Where the English name of a type's entries comes from when the files do not give it."""

    name: str
    doc: str
    derive: Callable[[str], str | None]
    code: str
    message: str
    """The error when the id names nothing: ``{id}`` is replaced by the id."""
    hint: str

    def __call__(self, entry_id: str) -> str | None:
        """The name of entry ``entry_id``, or ``None`` if the source does not know the id."""
        return self.derive(entry_id)


def _dates(value: dict, name: str) -> list[DateValue]:
    """The alternatives of a dated field (several where sources disagree); ``[]`` if absent."""
    return [alt["date"] for alt in value.get(name, [])]


def _before(later: list[DateValue], earlier: list[DateValue]) -> bool:
    """Whether every value in ``later`` must fall before every value in ``earlier``.

    Compared on the widest bounds, so that dates which are uncertain, approximate or
    disputed between sources are an error only if no reading of them can be true.
    """
    return bool(later and earlier) and max(d.latest for d in later) < min(d.earliest for d in earlier)


def _date_node(node: YNode | None, fallback: YNode) -> YNode:
    """Where a dated field's date is written (its value, or the ``date:`` of its one record)."""
    if isinstance(node, YMap):
        return node.get("date") or node
    return node or fallback


def _aligned(values: list, node: YNode | None) -> list[tuple[dict, YMap]]:
    """Checked records with their nodes (none if some records failed their own checks)."""
    if not isinstance(node, YSeq) or len(node.items) != len(values):
        return []
    return [(v, n) for v, n in zip(values, node.items) if isinstance(n, YMap)]


def _memberships(values: list, node: YNode | None) -> list[tuple[dict, YMap]]:
    """Checked memberships with their nodes, matched by where their country is written.

    The list holds only the memberships that passed their own checks, so position in
    the list does not match position in the file when one failed.
    """
    items = node.items if isinstance(node, YSeq) else []
    by_place = {(country.line, country.column): item for item in items
                if isinstance(item, YMap) and isinstance(country := item.get("country"), YScalar)}
    found = ((v, by_place.get((v["country"].location.line, v["country"].location.column))) for v in values)
    return [(v, n) for v, n in found if n is not None]


def check_membership_period(value: dict, node: YMap, ctx: CheckContext) -> None:
    """A membership ends after it starts; its status changes fall inside it."""
    starts, ends = _dates(value, "from"), _dates(value, "to")
    if _before(ends, starts):
        ctx.error("membership.period", "membership ends before it starts", _date_node(node.get("to"), node),
                  "check the 'from' and 'to' dates")
        return
    for change, change_node in _aligned(value.get("changes", []), node.get("changes")):
        when = _dates(change, "date")
        where = _date_node(change_node.get("date"), change_node)
        if _before(when, starts):
            ctx.error("membership.change-outside", f"'{change['status']}' is dated before the membership began "
                      f"({', '.join(str(d) for d in starts)})", where,
                      "check the change's date and the membership's 'from'; a change belongs inside its membership")
        elif _before(ends, when):
            ctx.error("membership.change-outside", f"'{change['status']}' is dated after the membership ended "
                      f"({', '.join(str(d) for d in ends)})", where,
                      "check the change's date and the membership's 'to'; a change belongs inside its membership")


def check_organisation_period(value: dict, node: YMap, ctx: CheckContext) -> None:
    """An organisation is dissolved after it was founded; its memberships fall inside its life."""
    founded, dissolved = _dates(value, "founded"), _dates(value, "dissolved")
    if _before(dissolved, founded):
        ctx.error("organisation.period", f"dissolved before it was founded ({', '.join(str(d) for d in founded)})",
                  _date_node(node.get("dissolved"), node), "check the 'founded' and 'dissolved' dates")
    for membership, member_node in _memberships(value.get("members", []), node.get("members")):
        country = membership["country"].target
        if _before(dissolved, _dates(membership, "from")):
            ctx.error("membership.outside-organisation", f"{country}'s membership begins after the organisation was "
                      f"dissolved ({', '.join(str(d) for d in dissolved)})",
                      _date_node(member_node.get("from"), member_node),
                      "check the membership's 'from' and the organisation's 'dissolved'")
        elif _before(_dates(membership, "to"), founded):
            ctx.error("membership.outside-organisation", f"{country}'s membership ends before the organisation was "
                      f"founded ({', '.join(str(d) for d in founded)})", _date_node(member_node.get("to"), member_node),
                      "check the membership's 'to' and the organisation's 'founded'")


def _country_name(entry_id: str) -> str | None:
    country = pycountry.countries.get(alpha_3=entry_id.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", None) if country else None


VALIDATORS: dict[str, Validator] = {v.name: v for v in (
    Validator("membership-period",
              "On a membership record (`country`, `from`, `to`, `changes`): the membership ends after it starts, "
              "and each status change is dated inside it.",
              check_membership_period, ("membership.period", "membership.change-outside")),
    Validator("organisation-period",
              "On an organisation (`founded`, `dissolved`, `members`): it is dissolved after it was founded, and "
              "each membership falls inside its life.",
              check_organisation_period, ("organisation.period", "membership.outside-organisation")),
)}
"""Whole-record checks by the name a declaration gives them."""

NAME_SOURCES: dict[str, NameSource] = {s.name: s for s in (
    NameSource("iso3166-country",
               "The id is an ISO 3166-1 alpha-3 code (`rus`); the English name comes from the ISO database.",
               _country_name, "country.unknown-code", "'{id}' is not an ISO 3166-1 alpha-3 country code",
               "use the lowercase alpha-3 code, e.g. 'rus', 'kaz', 'blr'"),
)}
"""Sources of derived English names by the name a declaration gives them."""


__all__ = ["NAME_SOURCES", "NameSource", "VALIDATORS", "Validator", "Validators"]

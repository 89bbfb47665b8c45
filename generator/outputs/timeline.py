"""Timelines of relations over time, drawn at build time as static inline SVG.

Three charts, all from the records of :class:`~generator.schema.fields.Relation`
fields (an organisation's ``members``: which state belonged when):

- :func:`holder_timeline`: one row per target of an entry's relation (per member state
  of an organisation);
- :func:`target_timeline`: one row per entry whose relation names the target (per
  organisation a country belongs to);
- :func:`overview_chart`: every target against every holder of one relation, a small
  timeline in each cell of the matrix.

Wording, role styles, the overview's first year and its column groups come from the
Relation's declaration.

The SVG carries no script, no external reference and no inline colour: every mark has
a ``tl-*`` class, and :data:`TIMELINE_CSS` (added to the site stylesheet) colours them
with Material's CSS variables and ``currentColor``, so the charts follow the light and
dark palettes. Each chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that
states in words everything the bars show; the page's membership table stays the
primary, linkable form of the data.

Output is a pure function of the site and ``today_year`` (never the clock), so the same
content gives the same bytes: see :func:`present_year` for a reproducible way to pick
the year.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Sequence

from markupsafe import Markup

from generator.schema.dates import DateValue
from generator.schema.fields import Field, Relation
from generator.load.linker import Site
from generator.load.loader import Entry

_STYLES = frozenset({"member", "observer", "other"})

_NEGATIVE = frozenset({"suspended", "withdrawn", "downgraded"})
_ENDING = frozenset({"withdrawn"})
_SUSPENDING = frozenset({"suspended"})
_RESUMING = frozenset({"rejoined", "reinstated"})
_FUZZY_MARKS = set("?~%X/")
_STATUS_WORDS = {"withdrawn": "withdrew"}

# Layout of the entry timelines, in viewBox units (about CSS pixels at full width).
_WIDTH = 680
_PAD = 8
_LANE = 18
_ROW_PAD = 4
_BAR = 10
_THIN = 5
_TAIL = 22
_FONT_CHAR = 6.6
_LEGEND_CHAR = 5.4
_MAX_LABEL = 26

TIMELINE_CSS = """\
/* Membership timelines (generator/outputs/timeline.py): colours come from the palette, so both schemes work. */
.tl-figure { margin: 1em 0; overflow-x: auto; }
/* Drawn at its own size, never scaled down (labels stay 11-12 px): on narrow screens the figure scrolls sideways. */
.tl-figure > .tl-chart { max-width: none; }
.tl-chart { display: block; width: auto; height: auto; color: var(--md-default-fg-color, #333);
  font-size: 12px; font-family: inherit; }
.tl-chart text { fill: currentColor; }
.tl-chart .tl-axis-label, .tl-chart .tl-legend text, .tl-chart .tl-group-label, .tl-chart .tl-col-label {
  font-size: 11px; }
.tl-chart .tl-axis-label { fill: var(--md-default-fg-color--light, #666); }
.tl-chart .tl-group-label { font-weight: 700; fill: var(--md-default-fg-color--light, #666); }
.tl-chart .tl-stripe { fill: var(--md-default-fg-color--lightest, rgba(0, 0, 0, .05)); opacity: .6; }
.tl-chart .tl-cell { fill: var(--md-default-fg-color--lightest, rgba(0, 0, 0, .05)); }
.tl-chart .tl-grid { stroke: var(--md-default-fg-color--lightest, rgba(0, 0, 0, .1)); stroke-width: 1; }
.tl-chart .tl-baseline { stroke: var(--md-default-fg-color--lighter, rgba(0, 0, 0, .3)); stroke-width: 1; }
.tl-chart .tl-member { fill: var(--md-primary-fg-color, #4051b5); stroke: var(--md-primary-fg-color, #4051b5);
  stroke-width: 0; }
.tl-chart .tl-observer { fill: var(--md-default-bg-color, #fff); stroke: var(--md-accent-fg-color, #526cfe);
  stroke-width: 1.5; }
.tl-chart .tl-other { fill: var(--md-default-fg-color--light, #767676); }
.tl-chart .tl-suspended { fill-opacity: .2; stroke-width: 1; stroke-dasharray: 3 2; }
[data-md-color-scheme="slate"] .tl-chart .tl-member { fill: var(--md-accent-fg-color, #526cfe);
  stroke: var(--md-accent-fg-color, #526cfe); }
.tl-chart .tl-hatch-line { fill: var(--md-default-fg-color, #333); }
.tl-chart .tl-fuzzy { fill-opacity: .35; }
.tl-chart .tl-fuzzy-outline { fill: none; stroke: var(--md-default-fg-color--light, #666); stroke-width: 1;
  stroke-dasharray: 2 2; }
.tl-chart .tl-arrow { fill: none; stroke: var(--md-default-fg-color--light, #666); stroke-width: 1.5;
  stroke-linecap: round; stroke-linejoin: round; }
.tl-chart .tl-end-cap { stroke: var(--md-default-fg-color--light, #666); stroke-width: 2; }
.tl-chart .tl-mark { stroke: var(--md-default-bg-color, #fff); stroke-width: 1; }
.tl-chart .tl-mark-negative { fill: var(--md-code-hl-number-color, #d33d2f); }
.tl-chart .tl-mark-positive { fill: var(--md-code-hl-string-color, #1f8a55); }
.tl-chart .tl-mark-neutral { fill: var(--md-default-fg-color, #333); }
.tl-chart a:focus-visible { outline: 2px solid var(--md-accent-fg-color, #526cfe); outline-offset: 1px; }
.tl-chart a:hover .tl-cell, .tl-chart a:focus-visible .tl-cell { fill: var(--md-default-fg-color--lighter, rgba(0, 0, 0, .3)); }
.tl-chart a:hover text { text-decoration: underline; }
.tl-chart .tl-whisker { stroke: var(--md-default-fg-color--light, #666); stroke-width: 1; stroke-dasharray: 2 1.5; }
"""
"""Styles for the charts; the lead adds them to the site stylesheet."""


def present_year(environ: dict[str, str] | None = None) -> int:
    """The year the charts run to: from ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the clock."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return time.gmtime(int(epoch)).tm_year
    return time.gmtime().tm_year


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Range:
    """Where a date can fall, in fractional years: ``lo == hi`` for a known date."""

    lo: float
    hi: float
    alternatives: int = 1

    @property
    def fuzzy(self) -> bool:
        return self.hi > self.lo

    @property
    def disputed(self) -> bool:
        return self.alternatives > 1


@dataclass(frozen=True)
class Segment:
    """A stretch of a period in one state: ``active`` or ``suspended``."""

    start: float
    end: float
    state: str


@dataclass(frozen=True)
class Change:
    """A status change inside a relation's record (a membership), placed on the time axis."""

    status: str
    when: Range
    text: str


@dataclass
class Period:
    """One record of a relation (a membership), ready to draw.

    Attributes:
        holder: the entry holding the record (the organisation).
        target: the entry it names (the member state).
        role: the role as written (``founding-member``); empty when none is recorded.
        style: ``member``, ``observer`` or ``other``.
        start: where the start can fall; ``None`` when no ``from`` is recorded.
        end: where the end can fall; ``None`` while the relation lasts or when its end is unknown.
        end_kind: ``closed`` (a ``to`` date or a withdrawal), ``dissolved`` (the
            holder ended), ``open`` (continuing) or ``unknown`` (no ``to`` recorded, in a
            relation whose ``open_end`` is ``unknown``: drawn fading out after its start).
        changes: status changes, in date order (:meth:`segments` cuts the bar at them).
        text: the period in words, for tooltips and the chart description.
    """

    holder: Entry
    target: Entry
    role: str
    style: str
    start: Range | None
    end: Range | None
    end_kind: str
    changes: list[Change] = field(default_factory=list)
    text: str = ""

    def first(self, fallback: float) -> float:
        """The earliest year the period can start, or ``fallback`` when no start is recorded."""
        return self.start.lo if self.start else fallback

    def last_known(self, fallback: float) -> float:
        """The latest year the records place inside the period: its start or last change (``fallback`` if none)."""
        known = [self.start.hi] if self.start else []
        known += [c.when.hi for c in self.changes]
        return max(known) if known else fallback

    def segments(self, left: float, right: float) -> list[Segment]:
        """Active and suspended stretches, clipped to ``[left, right]``. A period whose end is
        unknown stops at its last known year (the drawing adds a fading tail after it)."""
        start = self.start.hi if self.start else left
        if self.end:
            stop = self.end.lo
        elif self.end_kind == "unknown":
            stop = max(self.last_known(left), start)
        else:
            stop = right
        cuts: list[tuple[float, str]] = []
        for change in self.changes:
            if change.status in _SUSPENDING:
                cuts.append((change.when.lo, "suspended"))
            elif change.status in _ENDING:
                cuts.append((change.when.lo, "out"))
            elif change.status in _RESUMING:
                cuts.append((change.when.lo, "active"))
        out: list[Segment] = []
        state, at = "active", start
        for x, new_state in cuts:
            x = min(max(x, start), stop)
            if x > at and state != "out":
                out.append(Segment(at, x, state))
            if x >= at:
                at = x
            state = new_state
        if stop > at and state != "out":
            out.append(Segment(at, stop, state))
        return [Segment(max(s.start, left), min(s.end, right), s.state) for s in out
                if s.end > left and s.start < right]


def _year_of(ymd: tuple[int, int, int]) -> float:
    y, m, d = ymd
    return y + ((m - 1) + (d - 1) / 31) / 12


def _year_after(ymd: tuple[int, int, int]) -> float:
    y, m, d = ymd
    return y + ((m - 1) + d / 31) / 12


def _is_fuzzy(value: DateValue) -> bool:
    return bool(_FUZZY_MARKS.intersection(value.text))


def _range(alternatives: Sequence[dict]) -> Range | None:
    """Where a list of date alternatives can fall. Precise dates count at their first day."""
    values = [alt["date"] for alt in alternatives if alt.get("date") is not None]
    if not values:
        return None
    lows, highs = [], []
    for value in values:
        # An interval open at the start ("../2005") has no first day: count it from its last.
        lo = _year_of(value.lower if value.lower > (1, 1, 1) else value.upper)
        lows.append(lo)
        if _is_fuzzy(value) and not value.is_open and value.upper[0] < 9999:
            highs.append(_year_after(value.upper))
        else:
            highs.append(lo)
    return Range(min(lows), max(highs), len(values))


def _dates_text(alternatives: Sequence[dict]) -> str:
    shown = [alt["date"].display for alt in alternatives if alt.get("date") is not None]
    if len(shown) > 1:
        return " or ".join(shown) + " (sources differ)"
    return shown[0] if shown else ""


def _role_text(role: str) -> str:
    return role.replace("-", " ")


def _style(role: str, relation: Relation) -> str:
    """How a record is drawn: by its role, as the relation declares (every record solid when it declares none)."""
    if not relation.role_styles:
        return "member"
    style = dict(relation.role_styles).get(role, "other")
    return style if style in _STYLES else "other"


def _field_with(entry: Entry, json_ld: str) -> Any:
    """The value of ``entry``'s field that declares the schema.org property ``json_ld`` (its founding date...)."""
    for spec in entry.type.fields:
        if spec.json_ld == json_ld:
            return entry.get(spec.name)
    return None


def _period(holder: Entry, target: Entry, record: dict, relation: Relation) -> Period:
    changes = sorted(
        (Change(c["status"], r, f"{_STATUS_WORDS.get(c['status'], c['status'])} {_dates_text(c['date'])}")
         for c in record.get("changes", []) if (r := _range(c["date"])) is not None),
        key=lambda c: (c.when.lo, c.when.hi, c.status),
    )
    start = _range(record.get("from", []))
    end = _range(record.get("to", []))
    end_kind = "closed" if end else "unknown" if relation.open_end == "unknown" else "open"
    end_text = _dates_text(record.get("to", []))
    if end is None:
        withdrawals = [c for c in changes if c.status in _ENDING]
        if withdrawals and not any(c.status in _RESUMING and c.when.lo >= withdrawals[-1].when.lo for c in changes):
            end, end_kind, end_text = withdrawals[-1].when, "closed", withdrawals[-1].text.split(" ", 1)[1]
    dissolved = _field_with(holder, "dissolutionDate")
    if end is None and dissolved and end_kind == "open":
        end, end_kind = _range(dissolved), "dissolved"
        end_text = f"the {holder.type.name}'s dissolution ({_dates_text(dissolved)})"
    start_text = _dates_text(record.get("from", []))
    role = record.get("role") or ""
    # An enumerated role is a slug ("founding-member"); a free-text one is printed as written ("Secretary-General").
    words = (_role_text(role) if relation.roles is not None else role) or relation.label
    words += f" from {start_text}" if start_text else " (start not recorded)"
    suspended = _suspended_since(changes)
    if end_kind == "open" and suspended is not None:
        # Not "continuing": the bar goes on to today, but drawn as suspended (see TIMELINE_CSS).
        words += f", suspended since {suspended.text.split(' ', 1)[1]}"
    elif end_kind == "open":
        words += ", continuing"
    elif end_kind == "unknown":
        words += ", end not recorded"
    else:
        words += f" until {end_text}"
    extra = [c.text for c in changes if not (c.status in _ENDING and end_kind == "closed" and c.when == end)
             and c is not suspended]
    if extra:
        words += "; " + "; ".join(extra)
    return Period(holder, target, role, _style(role, relation), start, end, end_kind, changes, words)


def _suspended_since(changes: list[Change]) -> Change | None:
    """The suspension still in force at the end of the record (no later resumption or withdrawal), if any."""
    last = next((c for c in reversed(changes) if c.status in _SUSPENDING | _RESUMING | _ENDING), None)
    return last if last is not None and last.status in _SUSPENDING else None


def charted_relations(entry_type: Any) -> list[Field]:
    """The Relation fields of ``entry_type`` drawn as timelines (none without the ``timelines`` feature)."""
    return entry_type.relations if entry_type.has("timelines") else []


def holder_periods(holder: Entry, site: Site, field: Field | None = None) -> list[Period]:
    """Every record of ``holder``'s relation ``field`` (default: its first) as a :class:`Period`, in file order."""
    field = field or next(iter(holder.type.relations), None)
    if field is None:
        return []
    relation: Relation = field.type  # type: ignore[assignment]
    out = []
    for record in holder.get(field.name, []) or []:
        target = site.by_id.get(record[relation.target].target)
        if target is not None:
            out.append(_period(holder, target, record, relation))
    return out


def related_fields(target: Entry, site: Site) -> list[Field]:
    """The Relation fields whose records name ``target``, each once: in the order of the site's types, then of
    each type's fields (a country: the organisations' ``members``, then the people's ``roles``)."""
    fields: list[Field] = []
    for r in site.related.get(target.id, []):
        if not any(r.field is f for f in fields):
            fields.append(r.field)
    types = site.memo.get("timeline.type-order")
    if types is None:
        types = site.memo["timeline.type-order"] = {}
        for entry in site.entries:
            types.setdefault(id(entry.type), (len(types), entry.type))
    def order(f: Field) -> tuple[int, int]:
        for rank, entry_type in types.values():
            for i, spec in enumerate(entry_type.relations):
                if spec is f:
                    return rank, i
        return len(types), 0
    return sorted(fields, key=order)


def related_by(target: Entry, site: Site, field: Field) -> list[Any]:
    """The records of the Relation ``field`` naming ``target`` (``site.related`` items), in site order."""
    return [r for r in site.related.get(target.id, []) if r.field is field]


def target_periods(target: Entry, site: Site, field: Field | None = None) -> list[Period]:
    """Every record naming ``target`` in the charted relation ``field`` (default: every charted relation),
    as a :class:`Period`, in site order."""
    return [_period(r.holder, target, r.record, r.relation) for r in site.related.get(target.id, [])
            if r.field in charted_relations(r.holder.type) and (field is None or r.field is field)]


# --------------------------------------------------------------------------- drawing helpers


_ESCAPE_TABLE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#x27;",
                 **{code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}}
"""``html.escape(quote=True)``, and the characters XML forbids removed, in one pass."""


def _esc(value: object) -> str:
    """Text for an SVG text node or attribute: XML-escaped, without characters XML forbids."""
    return str(value).translate(_ESCAPE_TABLE)


@lru_cache(maxsize=4096)
def _n(value: float) -> str:
    """A coordinate, rounded so that output is byte-stable."""
    rounded = round(value, 1) + 0.0
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _clip(label: str, limit: int = _MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def short_name(org: Entry) -> str:
    """An entry's English abbreviation if it has one, else its name."""
    for abbreviation in org.get("abbreviations", []) or []:
        if abbreviation.get("lang") in (None, "en"):
            return abbreviation["text"]
    return org.name


def site_labels(site: Site) -> dict[str, str]:
    """:func:`short_labels` of every entry holding a charted relation, type by type, computed once per site."""
    if "timeline.labels" not in site.memo:
        # Per holder type, so that one type's labels never change another's (a person named like an abbreviation).
        by_type: dict[str, list[Entry]] = {}
        for e in site.entries:
            if charted_relations(e.type):
                by_type.setdefault(e.type.name, []).append(e)
        labels: dict[str, str] = {}
        for entries in by_type.values():
            labels.update(short_labels(entries))
        site.memo["timeline.labels"] = labels
    return site.memo["timeline.labels"]


def short_labels(orgs: Iterable[Entry], limit: int = 18) -> dict[str, str]:
    """Distinct short labels for entries (organisations), by id.

    The English abbreviation where there is one; else the name, cut before " of " when
    long ("Customs Union of Belarus, Kazakhstan and Russia" -> "Customs Union"). Labels
    that would coincide get the founding year ("Customs Union (1995)").
    """
    orgs = list(orgs)
    base: dict[str, str] = {}
    for org in orgs:
        label = short_name(org)
        if label == org.name and len(label) > limit and " of " in label:
            label = label.split(" of ", 1)[0]
        base[org.id] = label
    counts: dict[str, int] = {}
    for label in base.values():
        counts[label] = counts.get(label, 0) + 1
    out: dict[str, str] = {}
    for org in orgs:
        label = base[org.id]
        if counts[label] > 1:
            founded = _range(_field_with(org, "foundingDate") or [])
            label = f"{label} ({int(founded.lo)})" if founded else f"{label} ({org.id})"
        out[org.id] = _clip(label, limit + 7)
    return out


def _text_width(label: str) -> float:
    return len(label) * _FONT_CHAR


class _Svg:
    """A tiny SVG writer: one element per line, attributes in the order given."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def el(self, tag: str, attrs: dict[str, object], text: str | None = None, tooltip: str | None = None) -> None:
        rendered = "".join(f' {k}="{_esc(v) if isinstance(v, str) else _n(v)}"' for k, v in attrs.items()
                           if v is not None)
        if text is None and tooltip is None:
            self.lines.append(f"<{tag}{rendered}/>")
            return
        inner = f"<title>{_esc(tooltip)}</title>" if tooltip else ""
        inner += _esc(text) if text is not None else ""
        self.lines.append(f"<{tag}{rendered}>{inner}</{tag}>")

    def open(self, tag: str, attrs: dict[str, object] | None = None, tooltip: str | None = None) -> None:
        rendered = "".join(f' {k}="{_esc(v) if isinstance(v, str) else _n(v)}"' for k, v in (attrs or {}).items()
                           if v is not None)
        self.lines.append(f"<{tag}{rendered}>" + (f"<title>{_esc(tooltip)}</title>" if tooltip else ""))

    def close(self, tag: str) -> None:
        self.lines.append(f"</{tag}>")

    def raw(self, line: str) -> None:
        self.lines.append(line)


def _defs(svg: _Svg, prefix: str) -> None:
    """Hatching for uncertain dates and fade masks for open ends; ids carry the chart's prefix."""
    prefix = _esc(prefix)
    svg.raw("<defs>")
    svg.raw(f'<pattern id="{prefix}-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect class="tl-hatch-line" width="1.5" height="4"/></pattern>')
    for name, (x1, x2) in (("fade", (0, 1)), ("fadein", (1, 0))):
        svg.raw(f'<linearGradient id="{prefix}-{name}-g" x1="{x1}" x2="{x2}" y1="0" y2="0">'
                f'<stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#fff" stop-opacity="0"/>'
                f'</linearGradient>')
        svg.raw(f'<mask id="{prefix}-{name}" maskContentUnits="objectBoundingBox">'
                f'<rect width="1" height="1" fill="url(#{prefix}-{name}-g)"/></mask>')
    svg.raw("</defs>")


def _ticks(left: int, right: int, width: float) -> list[int]:
    span = right - left
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= max(width / 48, 1):
            break
    first = math.ceil(left / step) * step
    return list(range(first, right + 1, step))


@dataclass
class _Scale:
    left: float
    right: float
    x0: float
    x1: float

    def __call__(self, year: float) -> float:
        year = min(max(year, self.left), self.right)
        return self.x0 + (year - self.left) / (self.right - self.left) * (self.x1 - self.x0)


def _lanes(periods: list[Period], left: float, right: float) -> list[list[Period]]:
    """Overlapping periods of one row go to separate lanes (first fit, in start order)."""
    lanes: list[list[Period]] = []
    ends: list[float] = []
    for period in sorted(periods, key=lambda p: (p.first(left), p.end.hi if p.end else right, p.role)):
        begin = period.first(left)
        for i, lane_end in enumerate(ends):
            if begin >= lane_end:
                lanes[i].append(period)
                ends[i] = period.end.hi if period.end else right
                break
        else:
            lanes.append([period])
            ends.append(period.end.hi if period.end else right)
    return lanes


def _bar_box(style: str, cy: float, height: float = _BAR, thin: float = _THIN) -> tuple[float, float]:
    h = thin if style == "other" else height
    return cy - h / 2, h


def _suspended_box(y: float, h: float) -> tuple[float, float]:
    """A suspended stretch is drawn as a thin line through the bar's middle."""
    thin = max(h * 0.3, 2)
    return y + (h - thin) / 2, thin


def _draw_period(svg: _Svg, period: Period, scale: _Scale, cy: float, prefix: str, tooltip: str,
                 *, bar: float = _BAR, thin: float = _THIN, tail: float = _TAIL, marks: bool = True) -> set[str]:
    """Draw one period's bar, uncertain ends, open end and change markers. Returns the legend keys used."""
    used = {period.style}
    y, h = _bar_box(period.style, cy, bar, thin)
    cls = f"tl-bar tl-{period.style}"
    svg.open("g", {"class": "tl-period"}, tooltip=tooltip)
    left, right = scale.left, scale.right

    if period.start is None or period.start.lo < left:
        used.add("unknown-start")
    for zone in (period.start, period.end):
        if zone is not None and zone.fuzzy and zone.hi > left and zone.lo < right:
            zx0, zx1 = scale(zone.lo), scale(zone.hi)
            if zx1 - zx0 < 2:
                zx0, zx1 = zx0 - 1, zx1 + 1
            svg.el("rect", {"class": f"{cls} tl-fuzzy", "x": zx0, "y": y, "width": zx1 - zx0, "height": h})
            svg.el("rect", {"x": zx0, "y": y, "width": zx1 - zx0, "height": h, "fill": f"url(#{prefix}-hatch)"})
            svg.el("rect", {"class": "tl-fuzzy-outline", "x": zx0, "y": y, "width": zx1 - zx0, "height": h})
            used.add("fuzzy")
    if period.start is not None and period.start.disputed or period.end is not None and period.end.disputed:
        used.add("fuzzy")

    segments = period.segments(left, right)
    fade_in = period.start is None or period.start.hi < left
    fade_out = period.end_kind == "open"
    unknown_end = period.end_kind == "unknown"
    for i, seg in enumerate(segments):
        sx0, sx1 = scale(seg.start), scale(seg.end)
        seg_cls = cls + (" tl-suspended" if seg.state == "suspended" else "")
        if seg.state == "suspended":
            used.add("suspended-bar")
        sy, sh = _suspended_box(y, h) if seg.state == "suspended" else (y, h)
        head = tail if fade_in and i == 0 and sx1 - sx0 > tail * 2 else 0
        foot = tail if fade_out and i == len(segments) - 1 and sx1 - sx0 > tail * 2 else 0
        if head:
            svg.el("rect", {"class": seg_cls, "x": sx0, "y": sy, "width": head, "height": sh,
                            "mask": f"url(#{prefix}-fadein)"})
        body_w = max(sx1 - sx0 - head - foot, 2)
        svg.el("rect", {"class": seg_cls, "x": sx0 + head, "y": sy, "width": body_w, "height": sh})
        if foot:
            svg.el("rect", {"class": seg_cls, "x": sx1 - foot, "y": sy, "width": foot, "height": sh,
                            "mask": f"url(#{prefix}-fade)"})
    if unknown_end:
        # No source gives the end: a tail fading out after the last known year, no arrow (not "continuing").
        # A period known only at one point (its start) has no segment: a 2-unit body marks that point.
        last = segments[-1] if segments else None
        at = last.end if last else min(max(period.last_known(left), left), right)
        lx = scale(at)
        suspended = last is not None and last.state == "suspended"
        sy, sh = _suspended_box(y, h) if suspended else (y, h)
        tail_cls = cls + (" tl-suspended" if suspended else "")
        if last is None and at < right:
            svg.el("rect", {"class": tail_cls, "x": lx, "y": sy, "width": 2, "height": sh})
            lx += 2
        if at < right:
            svg.el("rect", {"class": tail_cls, "x": lx, "y": sy, "width": min(tail * 2, scale(right) - lx),
                            "height": sh, "mask": f"url(#{prefix}-fade)"})
        used.add("unknown-end")
    if fade_out and segments:
        ax = scale(right)
        svg.el("path", {"class": "tl-arrow", "d": _path((ax - 4, cy - 4), (ax, cy), (ax - 4, cy + 4), closed=False)})
        used.add("open")
    if period.end_kind == "dissolved" and period.end is not None and left < period.end.lo <= right:
        ex = scale(period.end.lo)
        svg.el("line", {"class": "tl-end-cap", "x1": ex, "x2": ex, "y1": y - 2, "y2": y + h + 2})
        used.add("dissolved")

    if marks:
        for change in period.changes:
            if not left <= change.when.lo <= right:
                continue
            mx = scale(change.when.lo)
            if change.when.fuzzy:
                svg.el("line", {"class": "tl-whisker", "x1": mx, "x2": scale(change.when.hi),
                                "y1": y - 3, "y2": y - 3})
            _marker(svg, change.status, mx, cy)
            used.add(f"mark-{change.status}")
    svg.close("g")
    return used


def _path(*points: tuple[float, float], closed: bool = True) -> str:
    """Path data through ``points`` (absolute coordinates)."""
    d = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in points)
    return d + "z" if closed else d


_POSITIVE = frozenset({"rejoined", "reinstated", "upgraded"})


def _marker(svg: _Svg, status: str, x: float, cy: float, size: float = 5.5) -> None:
    """The symbol of a status change: pause bars, a cross, or a triangle pointing the way it went."""
    tone = "negative" if status in _NEGATIVE else "positive" if status in _POSITIVE else "neutral"
    cls = f"tl-mark tl-mark-{tone} tl-mark-{status}"
    s = size
    if status == "suspended":
        bar = s * .8
        d = (_path((x - s, cy - s), (x - s + bar, cy - s), (x - s + bar, cy + s), (x - s, cy + s))
             + _path((x + s - bar, cy - s), (x + s, cy - s), (x + s, cy + s), (x + s - bar, cy + s)))
    elif status == "withdrawn":
        a, w = s * .75, 1.1  # arm length and half the stroke width of the cross
        d = _path((x - a - w, cy - a + w), (x - a + w, cy - a - w), (x, cy - 2 * w), (x + a - w, cy - a - w),
                  (x + a + w, cy - a + w), (x + 2 * w, cy), (x + a + w, cy + a - w), (x + a - w, cy + a + w),
                  (x, cy + 2 * w), (x - a + w, cy + a + w), (x - a - w, cy + a - w), (x - 2 * w, cy))
    elif status in _RESUMING:
        d = _path((x - s * .7, cy - s), (x + s, cy), (x - s * .7, cy + s))
    elif status == "upgraded":
        d = _path((x, cy - s), (x + s, cy + s * .7), (x - s, cy + s * .7))
    else:  # downgraded, and any status added later
        d = _path((x, cy + s), (x + s, cy - s * .7), (x - s, cy - s * .7))
    svg.el("path", {"class": cls, "d": d})


_LEGEND: tuple[tuple[str, str], ...] = (
    ("member", ""),  # the relation's label, or its declared legend
    ("observer", "Observer"),
    ("other", "Other role"),
    ("suspended-bar", "Suspended"),
    ("fuzzy", "Uncertain or disputed date"),
    ("open", "Continuing"),
    ("unknown-start", "Start not recorded or earlier"),
    ("unknown-end", "End not recorded"),
    ("dissolved", ""),  # "<holder type> dissolved"
    ("mark-suspended", "Suspended"),
    ("mark-withdrawn", "Withdrew"),
    ("mark-rejoined", "Rejoined"),
    ("mark-reinstated", "Reinstated"),
    ("mark-upgraded", "Upgraded"),
    ("mark-downgraded", "Downgraded"),
)


def legend_labels(relation: Relation, holder_type: Any) -> dict[str, str]:
    """The legend's texts for a chart of ``relation``: the defaults, the relation's label, its declared legend."""
    labels = dict(_LEGEND)
    labels["member"] = relation.label[:1].upper() + relation.label[1:]
    labels["dissolved"] = f"{holder_type.name[:1].upper()}{holder_type.name[1:]} dissolved"
    labels.update(relation.legend)
    return labels


def _legend(svg: _Svg, used: set[str], x0: float, y0: float, width: float, prefix: str,
            labels: dict[str, str]) -> float:
    """Draw the keys in ``used``, flowing left to right, with their ``labels``. Returns the height used."""
    items = [(key, labels[key]) for key, _ in _LEGEND if key in used]
    if "mark-suspended" in used:
        items = [(k, v) for k, v in items if k != "suspended-bar"]
    x, y = x0, y0
    svg.open("g", {"class": "tl-legend"})
    for key, label in items:
        item_w = 26 + len(label) * _LEGEND_CHAR + 16
        if x + item_w > x0 + width and x > x0:
            x, y = x0, y + 18
        cy = y + 6
        if key in ("member", "observer", "other", "suspended-bar"):
            style = "member" if key == "suspended-bar" else key
            by, bh = _bar_box(style, cy)
            if key == "suspended-bar":
                by, bh = _suspended_box(by, bh)
            svg.el("rect", {"class": f"tl-bar tl-{style}" + (" tl-suspended" if key == "suspended-bar" else ""),
                            "x": x, "y": by, "width": 20, "height": bh})
        elif key == "fuzzy":
            svg.el("rect", {"class": "tl-bar tl-member tl-fuzzy", "x": x, "y": cy - 5, "width": 20, "height": 10})
            svg.el("rect", {"x": x, "y": cy - 5, "width": 20, "height": 10, "fill": f"url(#{prefix}-hatch)"})
            svg.el("rect", {"class": "tl-fuzzy-outline", "x": x, "y": cy - 5, "width": 20, "height": 10})
        elif key == "open":
            svg.el("rect", {"class": "tl-bar tl-member", "x": x, "y": cy - 5, "width": 16, "height": 10,
                            "mask": f"url(#{prefix}-fade)"})
            svg.el("path", {"class": "tl-arrow", "d": _path((x + 16, cy - 4), (x + 20, cy), (x + 16, cy + 4),
                                                            closed=False)})
        elif key == "unknown-end":
            svg.el("rect", {"class": "tl-bar tl-member", "x": x, "y": cy - 5, "width": 20, "height": 10,
                            "mask": f"url(#{prefix}-fade)"})
        elif key == "unknown-start":
            svg.el("rect", {"class": "tl-bar tl-member", "x": x, "y": cy - 5, "width": 20, "height": 10,
                            "mask": f"url(#{prefix}-fadein)"})
        elif key == "dissolved":
            svg.el("rect", {"class": "tl-bar tl-member", "x": x, "y": cy - 5, "width": 14, "height": 10})
            svg.el("line", {"class": "tl-end-cap", "x1": x + 14, "x2": x + 14, "y1": cy - 7, "y2": cy + 7})
        elif key == "mark-suspended":
            sy, sh = _suspended_box(cy - 5, 10)
            svg.el("rect", {"class": "tl-bar tl-member tl-suspended", "x": x, "y": sy, "width": 20, "height": sh})
            _marker(svg, "suspended", x + 5, cy)
        else:
            _marker(svg, key.removeprefix("mark-"), x + 10, cy)
        svg.el("text", {"x": x + 26, "y": cy + 4}, label)
        x += item_w
    svg.close("g")
    return (y - y0) + 18 if items else 0


def _svg_open(svg: _Svg, prefix: str, kind: str, width: float, height: float, title: str, desc: str,
              linked: bool = False) -> None:
    prefix = _esc(prefix)
    # An image's content is presentational: a chart holding links keeps the <svg>'s own role (a graphics
    # document, whose links stay reachable; "group" is not valid HTML on <svg>).
    role = (f'aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc"' if linked
            else f'role="img" aria-labelledby="{prefix}-title {prefix}-desc"')
    # The wrapper scrolls sideways on narrow screens, so it must be reachable by keyboard.
    svg.raw(f'<div class="tl-figure" tabindex="0" role="region" aria-labelledby="{prefix}-title">')
    svg.raw(f'<svg xmlns="http://www.w3.org/2000/svg" class="tl-chart tl-{kind}" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
            f'{role}>')
    svg.raw(f'<title id="{prefix}-title">{_esc(title)}</title>')
    svg.raw(f'<desc id="{prefix}-desc">{_esc(desc)}</desc>')


def _svg_close(svg: _Svg) -> Markup:
    svg.raw("</svg>")
    svg.raw("</div>")
    return Markup("\n".join(svg.lines))


# --------------------------------------------------------------------------- entry timelines


@dataclass
class _Row:
    label: str
    full: str
    periods: list[Period]


def _domain(rows: list[_Row], today_year: int, start: int | None = None) -> tuple[float, float]:
    """The years an entry timeline spans: from the first known start (ten years at least) to the present.

    With no known start, from ``start`` (the relation's ``overview_start``) when given.
    """
    right = float(today_year + 1)
    known = [p.start.lo for r in rows for p in r.periods if p.start is not None]
    left = float(math.floor(min(known))) if known else float(start) if start is not None else right - 10
    return min(left, right - 10), right


def _timeline(rows: list[_Row], prefix: str, kind: str, title: str, desc: str, today_year: int,
              labels: dict[str, str], start: int | None = None) -> Markup:
    left, right = _domain(rows, today_year, start)

    label_w = min(max((_text_width(r.label) for r in rows), default=40) + 10, _MAX_LABEL * _FONT_CHAR + 10)
    x0, x1 = _PAD + label_w, _WIDTH - 14
    scale = _Scale(left, right, x0, x1)
    lanes = [_lanes(r.periods, left, right) for r in rows]
    top = 8
    heights = [len(l) * _LANE + 2 * _ROW_PAD for l in lanes]
    plot_h = sum(heights)
    axis_y = top + plot_h

    svg = _Svg()
    body = _Svg()
    _defs(body, prefix)
    ticks = _ticks(int(left), int(right), x1 - x0)

    body.open("g", {"class": "tl-rows"})
    y = top
    for i, (row, row_lanes, h) in enumerate(zip(rows, lanes, heights)):
        if i % 2 == 0:
            body.el("rect", {"class": "tl-stripe", "x": _PAD - 4, "y": y, "width": x1 - _PAD + 8, "height": h})
        y += h
    for tick in ticks:
        tx = scale(tick)
        body.el("line", {"class": "tl-grid", "x1": tx, "x2": tx, "y1": top, "y2": axis_y})
    used: set[str] = set()
    y = top
    for row, row_lanes, h in zip(rows, lanes, heights):
        body.open("g", {"class": "tl-row"})
        body.el("text", {"class": "tl-row-label", "x": _PAD, "y": y + h / 2 + 4},
                row.label, tooltip=row.full if row.full != row.label else None)
        for lane_index, lane in enumerate(row_lanes):
            cy = y + _ROW_PAD + lane_index * _LANE + _LANE / 2
            for period in lane:
                used |= _draw_period(body, period, scale, cy, prefix, f"{row.full}: {period.text}")
        body.close("g")
        y += h
    body.close("g")

    body.open("g", {"class": "tl-axis"})
    body.el("line", {"class": "tl-baseline", "x1": x0, "x2": x1, "y1": axis_y, "y2": axis_y})
    for tick in ticks:
        tx = scale(tick)
        body.el("line", {"class": "tl-baseline", "x1": tx, "x2": tx, "y1": axis_y, "y2": axis_y + 4})
        anchor = "end" if tx > x1 - 12 else "middle"
        body.el("text", {"class": "tl-axis-label", "x": tx, "y": axis_y + 16, "text-anchor": anchor}, str(tick))
    body.close("g")
    legend_h = _legend(body, used, _PAD, axis_y + 28, _WIDTH - 2 * _PAD, prefix, labels)
    height = axis_y + 28 + legend_h + 4

    _svg_open(svg, prefix, kind, _WIDTH, height, title, desc)
    svg.lines.extend(body.lines)
    return _svg_close(svg)


def _desc(intro: str, rows: list[_Row]) -> str:
    parts = [f"{row.full}: " + "; then ".join(p.text for p in sorted(row.periods, key=_period_key)) + "."
             for row in rows]
    return " ".join([intro] + parts)


def _period_key(period: Period) -> tuple:
    return (period.first(-1e9), period.end.hi if period.end else 1e9, period.role)


def _row_key(row: _Row) -> tuple:
    return (min((p.first(1e9) for p in row.periods), default=1e9), row.full.lower(), row.label)


def _the(name: str) -> str:
    return name if name.lower().startswith("the ") else f"the {name}"


def _fill(template: str, **values: object) -> str:
    """``template`` with each ``{name}`` of ``values`` replaced (plain replacement: no format syntax)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def _chart_prefix(kind: str, entry: Entry, field: Field) -> str:
    """The ids' prefix of a chart: ``tl-o-<id>`` (``tl-c-`` for targets), with the field's name
    after the first Relation field of a type, so that two charts on one page never share ids."""
    first = entry.type.relations[0] if entry.type.relations else field
    return f"tl-{kind}-{entry.id}" if field is first else f"tl-{kind}-{field.name}-{entry.id}"


def holder_timeline(holder: Entry, site: Site, *, today_year: int, field: Field | None = None) -> Markup | None:
    """A chart of ``holder``'s relation ``field`` (default: its first): one row per target, in order of joining.

    Args:
        holder: an entry with a Relation field (an organisation).
        site: the linked site (for the targets' names).
        today_year: the year open relations run to (see :func:`present_year`).
        field: which Relation field of the holder's type.

    Returns:
        ``<div class="tl-figure"><svg …></svg></div>``, or ``None`` when the field has no
        records (an organisation without members) or the type has no ``timelines`` feature.
    """
    field = field or next(iter(charted_relations(holder.type)), None)
    if field is None or field not in charted_relations(holder.type):
        return None
    relation: Relation = field.type  # type: ignore[assignment]
    by_target: dict[str, list[Period]] = {}
    for period in holder_periods(holder, site, field):
        by_target.setdefault(period.target.id, []).append(period)
    if not by_target:
        return None
    rows = sorted((_Row(_clip(ps[0].target.name), ps[0].target.name, ps) for ps in by_target.values()),
                  key=_row_key)
    n = len(rows)
    noun = relation.target_noun or (relation.targets[0] if relation.targets else "entry")
    values = dict(holder=holder.name, the_holder=_the(holder.name), heading=relation.section_heading, n=n,
                  targets=noun if n == 1 else noun + "s")
    title = _fill(relation.chart_title, **values)
    desc = _desc(_fill(relation.chart_description, **values)
                 + f", from {int(_domain(rows, today_year, relation.overview_start)[0])} to {today_year}.", rows)
    return _timeline(rows, _chart_prefix("o", holder, field), holder.type.name, title, desc, today_year,
                     legend_labels(relation, holder.type), relation.overview_start)


def target_timeline(target: Entry, site: Site, *, today_year: int, field: Field | None = None) -> Markup | None:
    """A chart of the records of one relation naming ``target``: one row per holder, in order of joining.

    Each relation is charted on its own, under its ``inverse_label`` (a country's memberships and,
    apart, the roles people held in it).

    Args:
        target: an entry named by Relation records (a country).
        site: the linked site (for the records naming it).
        today_year: the year open relations run to (see :func:`present_year`).
        field: which Relation field (default: the first of :func:`related_fields`).

    Returns:
        ``<div class="tl-figure"><svg …></svg></div>``, or ``None`` when no record of that
        relation names the target (a country that belongs to no organisation), the relation is not
        charted or the target's type has no ``timelines`` feature.
    """
    if field is None:
        fields = related_fields(target, site)
        if not fields:
            return None
        field = fields[0]
    related = [r for r in related_by(target, site, field) if r.field in charted_relations(r.holder.type)]
    if not related or not target.type.has("timelines"):
        return None
    by_holder: dict[str, list[Period]] = {}
    for period in target_periods(target, site, field):
        by_holder.setdefault(period.holder.id, []).append(period)
    labels = site_labels(site)
    rows = sorted((_Row(labels[ps[0].holder.id], ps[0].holder.name, ps)
                   for ps in by_holder.values()), key=_row_key)
    n = len(rows)
    first = related[0]
    relation, holder_type = first.relation, first.holder.type
    holders = holder_type.name if n == 1 else holder_type.plural.lower()
    desc = _desc(_fill(relation.target_chart_description, target=target.name, label=relation.label, n=n,
                       holders=holders)
                 + f", from {int(_domain(rows, today_year, relation.overview_start)[0])} to {today_year}.", rows)
    fields = related_fields(target, site)
    prefix = (f"tl-c-{target.id}" if not fields or field is fields[0]
              else f"tl-c-{holder_type.name}-{field.name}-{target.id}")
    return _timeline(rows, prefix, target.type.name, f"{relation.inverse_label} of {target.name}", desc,
                     today_year, legend_labels(relation, holder_type), relation.overview_start)


# --------------------------------------------------------------------------- overview


def _group_of(holder: Entry, relation: Relation) -> str:
    """The overview column group of ``holder``, by the relation's ``overview_group_field``."""
    if relation.overview_group_field is None:
        return relation.overview_other_group
    value = holder.get(relation.overview_group_field, "")
    for name, values in relation.overview_groups:
        if value in values:
            return name
    return relation.overview_other_group


def overview_relation(site: Site) -> tuple[Any, Field] | None:
    """The relation the site's overview draws: the first charted Relation field of the site's types,
    with the type holding it; ``None`` when the site has none."""
    seen: set[int] = set()
    for entry in site.entries:
        if id(entry.type) in seen:
            continue
        seen.add(id(entry.type))
        fields = charted_relations(entry.type)
        if fields:
            return entry.type, fields[0]
    return None


def overview_chart(site: Site, *, today_year: int, start_year: int | None = None,
                   only: "set[str] | None" = None, href: "Callable[[Entry], str] | None" = None) -> Markup | None:
    """Every target against every holder of the site's overview relation (:func:`overview_relation`).

    Rows are targets (alphabetical: countries), columns holders (organisations) grouped
    as the relation declares (by ``kind``: security, economic, political and other) and
    ordered by first record; each cell holds a small timeline from ``start_year`` to
    ``today_year`` of that target in that holder. Each cell has a tooltip with the periods
    in words.

    Given ``href`` (an entry's URL from the page showing the chart), each column head links to its
    holder, each row label to its target and each filled cell to the holder's section of the
    relation; every link is keyboard-focusable and named in full.

    Args:
        site: the linked site.
        today_year: the right edge of every cell.
        start_year: the left edge of every cell (periods before it are cut, with a fade);
            default the relation's ``overview_start``, else the earliest year in the data.
        only: ids of the holders to show (all with records when ``None``).
        href: the URL of an entry's page from the chart's page; no links when ``None``.

    Returns:
        The chart, or ``None`` when the site has no charted relation.
    """
    found = overview_relation(site)
    if found is None:
        return None
    holder_type, field = found
    relation: Relation = field.type  # type: ignore[assignment]
    periods: dict[tuple[str, str], list[Period]] = {}
    orgs: dict[str, Entry] = {}
    countries: dict[str, Entry] = {}
    for org in site.of_type(holder_type):
        if only is not None and org.id not in only:
            continue
        for period in holder_periods(org, site, field):
            periods.setdefault((period.target.id, org.id), []).append(period)
            orgs[org.id] = org
            countries[period.target.id] = period.target
    if start_year is None:
        start_year = relation.overview_start
    if start_year is None:
        known = [p.start.lo for ps in periods.values() for p in ps if p.start is not None]
        start_year = min(int(math.floor(min(known))), today_year - 10) if known else today_year - 10
    left, right = float(start_year), float(today_year + 1)
    group_names = [name for name, _ in relation.overview_groups] + [relation.overview_other_group]
    grouped = relation.overview_group_field is not None
    first_start: dict[str, Any] = {}
    for (_, oid), org_periods in periods.items():
        start = min(p.first(left) for p in org_periods)
        first_start[oid] = min(first_start.get(oid, start), start)
    labels = site_labels(site)
    columns = sorted(orgs.values(), key=lambda o: (group_names.index(_group_of(o, relation)), first_start[o.id],
                                                   labels[o.id].lower(), o.id))
    rows = sorted(countries.values(), key=lambda c: (c.name.lower(), c.id))
    prefix = "tl-overview"

    cell_w, cell_h, gap, group_gap = 30, 18, 2, 10
    label_w = min(max((_text_width(c.name) for c in rows), default=60) + 12, 24 * _FONT_CHAR)
    header_w = max((_text_width(labels[o.id]) * 0.9 for o in columns), default=30)
    header_h = 20 + header_w * math.sin(math.radians(50))
    x = _PAD + label_w
    col_x: list[float] = []
    for i, org in enumerate(columns):
        if i and _group_of(org, relation) != _group_of(columns[i - 1], relation):
            x += group_gap
        col_x.append(x)
        x += cell_w + gap
    width = max(x - gap + max(header_w * math.cos(math.radians(50)) - cell_w / 2, 0) + _PAD, 420)
    top = 22 + header_h
    grid_h = len(rows) * (cell_h + gap)

    body = _Svg()
    _defs(body, prefix)
    # Group names over their columns.
    body.open("g", {"class": "tl-headers"})
    for name in group_names if grouped else ():
        xs = [cx for cx, o in zip(col_x, columns) if _group_of(o, relation) == name]
        if xs:
            body.el("text", {"class": "tl-group-label", "x": xs[0], "y": 12}, name)
            body.el("line", {"class": "tl-baseline", "x1": xs[0], "x2": xs[-1] + cell_w, "y1": 17, "y2": 17})
    for cx, org in zip(col_x, columns):
        hx, hy = cx + cell_w / 2 + 3, top - 6
        if href:
            # The name starts with the visible abbreviation (WCAG 2.5.3, label in name), then says it in full.
            name = org.name if labels[org.id] == org.name else f"{labels[org.id]}, {org.name}"
            body.open("a", {"href": href(org), "aria-label": name})
        body.el("text", {"class": "tl-col-label", "x": hx, "y": hy, "transform": f"rotate(-50 {_n(hx)} {_n(hy)})"},
                labels[org.id], tooltip=org.name)
        if href:
            body.close("a")
    body.close("g")

    used: set[str] = set()
    summaries: list[str] = []
    body.open("g", {"class": "tl-rows"})
    for r, country in enumerate(rows):
        y = top + r * (cell_h + gap)
        body.open("g", {"class": "tl-row"})
        if href:
            body.open("a", {"href": href(country), "aria-label": _clip(country.name, 24)
                            if len(country.name) <= 24 else f"{_clip(country.name, 24)}, {country.name}"})
        body.el("text", {"class": "tl-row-label", "x": _PAD, "y": y + cell_h / 2 + 4}, _clip(country.name, 24),
                tooltip=country.name if len(country.name) > 24 else None)
        if href:
            body.close("a")
        memberships = []
        for cx, org in zip(col_x, columns):
            cell = periods.get((country.id, org.id))
            if not cell:
                body.el("rect", {"class": "tl-cell", "x": cx, "y": y, "width": cell_w, "height": cell_h})
                continue
            words = "; then ".join(p.text for p in sorted(cell, key=_period_key))
            memberships.append(f"{org.name} ({words})")
            tooltip = f"{country.name}, {org.name}: {words}"
            if href:
                body.open("a", {"class": "tl-cell-group", "href": href(org) + "#membership", "aria-label": tooltip},
                          tooltip=tooltip)
            else:
                body.open("g", {"class": "tl-cell-group"}, tooltip=tooltip)
            body.el("rect", {"class": "tl-cell", "x": cx, "y": y, "width": cell_w, "height": cell_h})
            scale = _Scale(left, right, cx + 1, cx + cell_w - 1)
            lanes = _lanes(cell, left, right)
            lane_h = (cell_h - 4) / len(lanes)
            for k, lane in enumerate(lanes):
                cy = y + 2 + lane_h * k + lane_h / 2
                for period in lane:
                    used |= _draw_cell_period(body, period, scale, cy, min(lane_h - 2, 10), prefix)
            body.close("a" if href else "g")
        summaries.append(f"{country.name}: {', '.join(memberships)}.")
        body.close("g")
    body.close("g")

    # A key to the cell's time axis.
    key_y = top + grid_h + 14
    kx = _PAD
    body.open("g", {"class": "tl-legend"})
    body.el("text", {"x": kx, "y": key_y + 9}, "Each cell:")
    kx0 = kx + 70
    key_w = 5 * (right - left)
    key_scale = _Scale(left, right, kx0, kx0 + key_w)
    body.el("rect", {"class": "tl-cell", "x": kx0, "y": key_y, "width": key_w, "height": cell_h / 1.5})
    key_years = [start_year] + [y for y in range(start_year + 1, today_year) if y % 10 == 0
                                and y - start_year >= 6 and today_year - y >= 8] + [today_year]
    for year in key_years:
        edge = "start" if year == start_year else "end" if year == today_year else "middle"
        tx = key_scale(year + 1.0 if year == today_year else float(year))
        body.el("line", {"class": "tl-baseline", "x1": tx, "x2": tx, "y1": key_y + cell_h / 1.5,
                         "y2": key_y + cell_h / 1.5 + 3})
        body.el("text", {"class": "tl-axis-label", "x": tx, "y": key_y + cell_h / 1.5 + 14, "text-anchor": edge},
                str(year))
    body.close("g")
    legend_y = key_y + cell_h / 1.5 + 26
    used.discard("open")
    legend_h = _legend(body, used, _PAD, legend_y, width - 2 * _PAD, prefix, legend_labels(relation, holder_type))
    height = legend_y + legend_h + 4

    target_type = rows[0].type if rows else None
    targets = target_type.plural.lower() if target_type is not None else "entries"
    holders = holder_type.plural.lower()
    title = f"{relation.inverse_label} of {len(rows)} {targets} in {len(columns)} {holders}, {start_year}–{today_year}"
    grouping = (f", grouped as {', '.join(n for n in group_names if any(_group_of(o, relation) == n for o in columns))}"
                if grouped else "")
    desc = " ".join([f"Matrix of {targets} (rows) and {holders} (columns{grouping}); "
                     f"each cell is a timeline from {start_year} to {today_year}."] + summaries)
    svg = _Svg()
    _svg_open(svg, prefix, "overview", width, height, title, desc, linked=href is not None)
    svg.lines.extend(body.lines)
    return _svg_close(svg)


def _draw_cell_period(svg: _Svg, period: Period, scale: _Scale, cy: float, bar: float, prefix: str) -> set[str]:
    """A period inside an overview cell: bar, uncertain zones and suspensions; no markers."""
    used = {period.style}
    y, h = _bar_box(period.style, cy, bar, max(bar / 2, 3))
    cls = f"tl-bar tl-{period.style}"
    for zone in (period.start, period.end):
        if zone is not None and zone.fuzzy and zone.hi > scale.left and zone.lo < scale.right:
            zx0, zx1 = scale(zone.lo), scale(zone.hi)
            svg.el("rect", {"class": f"{cls} tl-fuzzy", "x": zx0, "y": y, "width": max(zx1 - zx0, 1), "height": h})
            svg.el("rect", {"x": zx0, "y": y, "width": max(zx1 - zx0, 1), "height": h,
                            "fill": f"url(#{prefix}-hatch)"})
            used.add("fuzzy")
    for seg in period.segments(scale.left, scale.right):
        sx0, sx1 = scale(seg.start), scale(seg.end)
        seg_cls = cls + (" tl-suspended" if seg.state == "suspended" else "")
        if seg.state == "suspended":
            used.add("suspended-bar")
        sy, sh = _suspended_box(y, h) if seg.state == "suspended" else (y, h)
        svg.el("rect", {"class": seg_cls, "x": sx0, "y": sy, "width": max(sx1 - sx0, 1.5), "height": sh})
    return used

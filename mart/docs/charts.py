"""Vega-Lite specs for the site: each metric of a company over time, and the views' lineage.

Specs are data; the page renders them with Vega (shipped in the site, see site.vega_bundle).
Dates on the x axis are the middle of each figure's period, so fiscal and calendar periods,
quarters and years, share one time axis; the period's own labels are in the tooltip.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

# How each basis is drawn: implied levels hollow, targets and plans as diamonds and triangles.
BASIS_SHAPES = {
    "reported": "circle",
    "derived": "square",
    "implied": "circle",
    "target": "diamond",
    "expected": "triangle-up",
    "planned": "triangle-down",
}
DISPUTED_COLOUR = "#c0392b"
OPEN_STUB = Decimal("0.1")  # an open bound ("at least") is a dashed stub, 10% of the scale


@dataclass(slots=True)
class Point:
    """One figure as a chart draws it."""

    period: str
    fiscal_period: str | None
    start: date | None
    end: date | None
    value: Decimal | None
    low: Decimal | None  # the interval the statements allow; None when open on that side
    high: Decimal | None
    bound: str
    basis: str
    series: str
    shown: str  # the value as the table words it
    disputed: bool
    href: str | None


def _middle(start: date | None, end: date | None) -> date | None:
    if start and end:
        return date.fromordinal((start.toordinal() + end.toordinal()) // 2)
    return start or end


def metric_chart(title: str, unit: str, points: Sequence[Point]) -> dict[str, Any] | None:
    """One metric of one company, every series (region, product, ...) in its own colour; None
    when no figure has both a value and a date."""
    drawn = [
        (p, p.value, when)
        for p in points
        for when in [_middle(p.start, p.end)]
        if p.value is not None and when is not None
    ]
    if not drawn:
        return None
    scale = max(abs(v) for _, v, _ in drawn) or Decimal(1)
    values = []
    for p, v, when in drawn:
        bar_low, bar_high, is_open = _bar(p, scale)
        values.append(
            {
                "date": when.isoformat(),
                "value": float(v),
                "bar_low": bar_low,
                "bar_high": bar_high,
                "open": is_open,
                "basis": p.basis,
                "series": p.series,
                "disputed": p.disputed,
                "href": p.href,
                "period": p.period + (f" ({p.fiscal_period})" if p.fiscal_period else ""),
                "shown": p.shown,
                "bound": p.bound,
                "label": f"{p.period} {p.basis}: {p.shown}" + (" (disputed)" if p.disputed else ""),
            }
        )
    x = {"field": "date", "type": "temporal", "timeUnit": "utcyearmonthdate", "title": None}
    y = {"field": "value", "type": "quantitative", "title": unit, "scale": {"zero": False}}
    colour = {"field": "series", "type": "nominal", "title": None}
    tooltip = [
        {"field": "series", "title": "of"},
        {"field": "period", "title": "period"},
        {"field": "shown", "title": "value"},
        {"field": "basis", "title": "basis"},
        {"field": "bound", "title": "bound"},
        {"field": "disputed", "title": "disputed"},
    ]
    bases = [b for b in BASIS_SHAPES if any(p.basis == b for p, _, _ in drawn)]
    shape = {
        "field": "basis",
        "type": "nominal",
        "title": "basis",
        "scale": {"domain": bases, "range": [BASIS_SHAPES[b] for b in bases]},
    }
    point = {
        "x": x,
        "y": y,
        "color": colour,
        "shape": shape,
        "href": {"field": "href"},
        "tooltip": tooltip,
        "description": {"field": "label"},
    }
    layers = []
    # Only layers that have something to draw: an empty one makes Vega warn of an infinite extent.
    if any(v["bar_low"] is not None for v in values):
        layers.append(
            {
                "transform": [{"filter": "datum.bar_low != null"}],
                "mark": {"type": "rule", "strokeWidth": 1.5},
                "encoding": {
                    "x": x,
                    "y": {"field": "bar_low", "type": "quantitative"},
                    "y2": {"field": "bar_high"},
                    "color": colour,
                    "strokeDash": {
                        "condition": {"test": "datum.open", "value": [4, 3]},
                        "value": [1, 0],
                    },
                },
            }
        )
    if any(b != "implied" for b in bases):
        layers.append(
            {
                "transform": [{"filter": "datum.basis != 'implied'"}],
                "mark": {"type": "point", "filled": True, "size": 80, "opacity": 1},
                "encoding": point,
            }
        )
    if "implied" in bases:
        layers.append(
            {
                "transform": [{"filter": "datum.basis == 'implied'"}],
                "mark": {"type": "point", "filled": False, "size": 80, "strokeWidth": 2},
                "encoding": point,
            }
        )
    if any(v["disputed"] for v in values):
        layers.append(
            {
                "transform": [{"filter": "datum.disputed"}],
                "mark": {
                    "type": "point",
                    "shape": "circle",
                    "size": 320,
                    "filled": False,
                    "color": DISPUTED_COLOUR,
                    "strokeWidth": 2,
                    "aria": False,  # a ring around a point already described
                },
                "encoding": {"x": x, "y": y, "tooltip": tooltip, "href": {"field": "href"}},
            }
        )
    return {
        "title": title,
        "width": "container",
        "height": 180,
        "data": {"values": values},
        "layer": layers,
    }


def _bar(p: Point, scale: Decimal) -> tuple[float | None, float | None, bool]:
    """The error bar of a point: the interval its statements allow, for a bound other than
    exact (an exact figure's rounding is too small to see); an open side (at least, at most)
    drawn as a dashed stub pointing the way it is open."""
    if p.bound == "exact":
        return None, None, False
    if p.low is not None and p.high is not None:
        return (float(p.low), float(p.high), False) if p.low < p.high else (None, None, False)
    assert p.value is not None
    stub = scale * OPEN_STUB
    if p.low is not None:
        return float(p.low), float(p.low + stub), True
    if p.high is not None:
        return float(p.high - stub), float(p.high), True
    return None, None, False


@dataclass(frozen=True)
class Node:
    name: str
    kind: str  # table, view or metric
    href: str
    note: str


def lineage_chart(nodes: Sequence[Node], edges: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The lineage graph: tables and metrics on the left, each view one column right of the
    furthest thing it reads, an edge from each input to its reader."""
    inputs: dict[str, set[str]] = {n.name: set() for n in nodes}
    for source, target in edges:
        inputs[target].add(source)
    depth: dict[str, int] = {}

    def depth_of(name: str) -> int:
        if name not in depth:
            depth[name] = 1 + max((depth_of(i) for i in inputs[name]), default=-1)
        return depth[name]

    columns: dict[int, list[Node]] = {}
    for node in sorted(nodes, key=lambda n: ({"table": 0, "metric": 1}.get(n.kind, 2), n.name)):
        columns.setdefault(depth_of(node.name), []).append(node)
    where = {
        node.name: (column, row)
        for column, members in columns.items()
        for row, node in enumerate(members)
    }
    placed = [
        {"name": n.name, "kind": n.kind, "href": n.href, "note": n.note, "x": x, "y": y}
        for n in nodes
        for x, y in [where[n.name]]
    ]
    lines = [
        {"x": where[s][0], "y": where[s][1], "x2": where[t][0], "y2": where[t][1]} for s, t in edges
    ]
    tallest = max((len(m) for m in columns.values()), default=1)
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"padding": 12}}
    y = {
        "field": "y",
        "type": "quantitative",
        "axis": None,
        "scale": {"reverse": True, "padding": 12},
    }
    return {
        "width": max(600, 230 * len(columns)),
        "height": 22 * tallest,
        "layer": [
            {
                "data": {"values": lines},
                "mark": {"type": "rule", "color": "#9aa5b1", "strokeWidth": 1},
                "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"}},
            },
            {
                "data": {"values": placed},
                "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11},
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "name"},
                    "color": {"field": "kind", "type": "nominal", "title": "kind"},
                    "href": {"field": "href"},
                    "tooltip": [{"field": "name"}, {"field": "kind"}, {"field": "note"}],
                    "description": {"field": "name"},
                },
            },
            {
                "data": {"values": placed},
                "mark": {"type": "point", "filled": True, "size": 40},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {"field": "kind", "type": "nominal"},
                    "href": {"field": "href"},
                },
            },
        ],
    }

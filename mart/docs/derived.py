"""How the site writes out a derived figure: its arithmetic with the numbers, its interval, and
the facts it came from (read.derived_figures gives the rows, one shape for every view).

Every word here comes from the row: the views' columns say what is a rate in percent (growth,
market shares) and the unit of everything else, so no metric, company or unit is named.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup

from mart.docs.read import Record
from mart.docs.text import number, value

KIND_NAMES = {
    "growth": "growth",
    "change": "change",
    "ratio": "ratio",
    "share": "market share",
    "parts": "parts and whole",
}
KIND_ORDER = {kind: position for position, kind in enumerate(KIND_NAMES)}
TIMES = "x"  # as the views' comments write it: (current / compared - 1) x 100


@dataclass
class Derivation:
    """One derived row as a company page lists it."""

    anchor: str  # the row's id on its page; a chart's implied point links to it
    kind: str
    metric: str
    title: str
    series: str
    period: str
    unit: str
    lines: list[tuple[str, str]]  # (what, the arithmetic with its interval)
    flags: list[str] = field(default_factory=list)  # contradictions, parts beyond the whole
    notes: list[str] = field(default_factory=list)
    inputs: list[tuple[str, Markup]] = field(default_factory=list)  # (which fact, its links)


def sort_key(row: Record, series: str) -> tuple[object, ...]:
    """A total order, in Python (both backends give the same page whatever their collation)."""
    rest = (
        row.compared_period,
        row.dimension,
        row.part_kind,
        row.parts,
        row.stated_fact_key,
        row.first_fact_key,
        row.second_fact_key,
    )
    start = row.period_start.isoformat() if row.period_start else ""
    first = (KIND_ORDER[row.kind], row.metric, series, start, row.period, row.unit or "")
    return (*first, *(part or "" for part in rest))


def describe(
    row: Record,
    anchor: str,
    series: str,
    name: Callable[[str], str],
    links: Callable[[str | None], Markup],
) -> Derivation | None:
    """The row written out; None when it derives nothing (a stated figure with no level beside
    it). `name` gives a metric's name, `links` the statements of a fact key."""
    derive = _WRITERS[row.kind]
    lines, flags, notes, inputs = derive(row, name)
    if not lines:
        return None
    return Derivation(
        anchor=anchor,
        kind=KIND_NAMES[row.kind],
        metric=row.metric,
        title=name(row.metric),
        series=series,
        period=f"{row.period} vs {row.compared_period}" if row.compared_period else row.period,
        unit=row.unit or "",
        lines=lines,
        flags=flags,
        notes=notes,
        inputs=[(label, links(key)) for label, key in inputs if key is not None],
    )


Lines = list[tuple[str, str]]
Written = tuple[Lines, list[str], list[str], list[tuple[str, str | None]]]


def _growth(row: Record, name: Callable[[str], str]) -> Written:
    lines: Lines = []
    current, compared, rate = row.first_value, row.second_value, row.stated
    if row.implied is not None and current is not None and rate is not None:
        rate_shown = _stated(row, "%")
        lines.append(
            (
                f"implied {row.compared_period}",
                f"{number(current)} / {_one_plus(rate)} = {number(row.implied)}; "
                + _allowed("rate", rate_shown, row.stated_bound, row.implied_low, row.implied_high),
            )
        )
    if current is not None and compared is not None:
        formula = f"({number(current)} / {_operand(compared)} - 1) {TIMES} 100"
        if row.computed is None:
            text = f"{formula}: no rate (the earlier level is not above 0, or the later is below 0)"
        else:
            text = f"{formula} = {number(row.computed)} %; the levels allow " + _interval(
                row.computed_low, row.computed_high, " %"
            )
            if rate is not None:
                text += f"; stated {_stated(row, '%')}: difference {_signed(row.difference)} points"
        lines.append(("computed growth", text))
    return lines, [], [], _level_inputs(row, name, "stated rate")


def _change(row: Record, name: Callable[[str], str]) -> Written:
    lines: Lines = []
    flags = []
    current, compared, change = row.first_value, row.second_value, row.stated
    if row.implied is not None and current is not None and change is not None:
        lines.append(
            (
                f"implied {row.compared_period}",
                f"{number(current)} - {_operand(change)} = {number(row.implied)}; "
                + _allowed(
                    "change", _stated(row), row.stated_bound, row.implied_low, row.implied_high
                ),
            )
        )
    if current is not None and compared is not None:
        text = (
            f"{number(current)} - {_operand(compared)} = {number(row.computed)}; the levels allow "
            + _interval(row.computed_low, row.computed_high)
        )
        if change is not None:
            text += f"; stated {_stated(row)}: difference {_signed(row.difference)}"
        lines.append(("computed change", text))
    if row.is_contradicted:
        flags.append("contradicted: the stated change and the levels' change cannot both hold")
    return lines, flags, [], _level_inputs(row, name, "stated change")


def _ratio(row: Record, name: Callable[[str], str]) -> Written:
    lines: Lines = []
    flags = []
    numerator, denominator, unit = row.first_value, row.second_value, f" {row.unit}"
    if numerator is not None and denominator is not None:
        formula = f"{number(numerator)} / {_operand(denominator)}"
        if row.computed is None:
            text = f"{formula}: no ratio (the denominator is not above 0)"
            lines.append(("computed ratio", text))
        else:
            lines.append(
                (
                    "computed ratio",
                    f"{formula} = {number(row.computed)}{unit}; the levels allow "
                    + _interval(row.computed_low, row.computed_high, unit),
                )
            )
            if row.stated is not None:
                lines.append(
                    (
                        "stated vs computed",
                        f"stated {_stated(row, row.unit)}, computed {number(row.computed)}{unit}: "
                        f"difference {_signed(row.difference)}{unit}",
                    )
                )
    if row.is_contradicted:
        flags.append("contradicted: the stated ratio lies outside what the levels allow")
    inputs = [
        ("stated ratio", row.stated_fact_key),
        (f"{name(row.first_metric)} {row.period} (numerator)", row.first_fact_key),
        (f"{name(row.second_metric)} {row.period} (denominator)", row.second_fact_key),
    ]
    return lines, flags, [], inputs


def _share(row: Record, name: Callable[[str], str]) -> Written:
    lines: Lines = []
    flags = []
    company, market = row.first_value, row.second_value
    if company is not None and market is not None:
        formula = f"{number(company)} / {_operand(market)} {TIMES} 100"
        if row.computed is None:
            text = f"{formula}: no share (the market's total is not above 0)"
        else:
            text = f"{formula} = {number(row.computed)} %; the levels allow " + _interval(
                row.computed_low, row.computed_high, " %"
            )
            if row.stated is not None:
                text += f"; stated {_stated(row, '%')}: difference {_signed(row.difference)} points"
        lines.append(("computed share", text))
    if row.is_contradicted:
        flags.append("contradicted: the stated share lies outside what the levels allow")
    level = name(row.first_metric)
    inputs = [
        ("stated share", row.stated_fact_key),
        (f"{level} {row.period} of the company", row.first_fact_key),
        (f"{level} {row.period} of the whole market", row.second_fact_key),
    ]
    return lines, flags, [], inputs


def _parts(row: Record, name: Callable[[str], str]) -> Written:
    kind = f" of kind {row.part_kind}" if row.part_kind else ""
    lines: Lines = [
        (
            "sum of parts",
            f"{row.parts} ({row.part_count} {'part' if row.part_count == 1 else 'parts'} by "
            f"{row.dimension}{kind}) add up to "
            f"{number(row.first_value)}; the parts allow "
            + _interval(row.first_low, row.first_high),
        ),
        (
            "whole",
            f"{number(row.second_value)}; its statements allow "
            + _interval(row.second_low, row.second_high)
            + f"; parts - whole = {_signed(row.difference)}",
        ),
    ]
    flags = []
    if row.parts_exceed_whole:
        flags.append("the parts add up to more than the whole can be")
    if row.parts_miss_whole:
        flags.append("the parts add up to less than the whole can be")
    notes = [f"a source says the whole is the sum of its parts by {row.dimension}"]
    return lines, flags, notes if row.is_sum_of_parts else [], [("the whole", row.second_fact_key)]


_WRITERS = {"growth": _growth, "change": _change, "ratio": _ratio, "share": _share, "parts": _parts}


def _level_inputs(
    row: Record, name: Callable[[str], str], stated: str
) -> list[tuple[str, str | None]]:
    level = name(row.first_metric)
    return [
        (stated, row.stated_fact_key),
        (f"{level} {row.period}", row.first_fact_key),
        (f"{level} {row.compared_period}", row.second_fact_key),
    ]


def _stated(row: Record, unit: str = "") -> str:
    """The stated figure as its bound words it: 'at least 100 %', 'about 8,000,000'."""
    high = row.stated_high if row.stated_bound == "range" else None
    return value(row.stated, high, row.stated_bound or "exact", unit).rstrip()


def _allowed(
    noun: str, stated: str, bound: str | None, low: Decimal | None, high: Decimal | None
) -> str:
    """What the inputs allow of a derived level: a bounded statement says which bound."""
    if bound and bound != "exact":
        return f"the {noun} is {stated}: {_interval(low, high)}"
    return f"the inputs allow {_interval(low, high)}"


def _interval(low: Decimal | None, high: Decimal | None, unit: str = "") -> str:
    if low is not None and high is not None:
        return f"{number(low)}{unit} to {number(high)}{unit}"
    if high is not None:
        return f"at most {number(high)}{unit}"
    if low is not None:
        return f"at least {number(low)}{unit}"
    return "any value (no bound on either side)"


def _one_plus(rate: Decimal) -> str:
    return f"(1 + {number(rate)} %)" if rate >= 0 else f"(1 - {number(-rate)} %)"


def _operand(x: Decimal) -> str:
    """A number after a minus or a division sign: a negative one in brackets."""
    return f"({number(x)})" if x < 0 else number(x)


def _signed(x: Decimal | None) -> str:
    if x is None:
        return "none"
    return f"+{number(x)}" if x > 0 else number(x)

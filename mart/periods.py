"""Period wording ("Q2 2017", "last year", "fiscal 2017 third quarter") -> a labelled period.

The one definition of period wording. Relative wording is resolved against the source's
publication date. Labels are canonical calendar labels: 2017-Q2, 2017-H1, 2016, 2017-02,
2017-07-07, and ISO intervals such as 2017-07-08/2018-07-07 ('..' marks an open end); a fiscal
period also carries its fiscal label (FY2017-Q3).

Rules, with examples for a source published on 2017-07-07:
- A day, month, weekday, quarter or half without a year: a reported figure takes the latest one
  that has begun by publication ("in February" -> 2017-02), a target or expected one
  (forward=True) the next that has not ended ("in February" -> 2018-02). Refused where the other
  way is far nearer ("on July 8" reported: 2016-07-08 is a year back, 2017-07-08 tomorrow).
- A year after a preposition is that year: "in 2014" -> 2014.
- The year to date: "so far this year", "this year so far", "year to date" ->
  2017-01-01/2017-07-07; "this year by October", "by October this year" -> 2017-01-01/2017-10-31.
- Hyphens join words as spaces do: "second-quarter of 2017" -> 2017-Q2.
- A month range is an interval, or the calendar period it equals: "April to June 2017",
  "between April and June 2017" -> 2017-Q2; "February to April 2017" -> 2017-02-01/2017-04-30.
- Months named as a quarter or half: "the October-December quarter" -> 2017-Q4 (placed as a
  month range). Months to a month: "the three months to June" -> 2017-Q2, "the nine months to
  June" -> 2016-10-01/2017-06-30, "the six months ended June 30, 2017" -> 2017-H1; a year to
  a month: "the year to March 2017", "the fiscal year ending in March" -> twelve months (with
  fiscal label FY<end year> when fiscal and the month ends the company's fiscal year).
- Open ends: "from April" -> 2017-04-01/..; "until", "through" or "by March 31" ->
  ../2017-03-31; "since April" runs to publication: 2017-04-01/2017-07-07, as does "since the
  April launch".
- Fiscal wording ("fiscal 2017 third quarter", "Q3 FY17", FY2017-Q3) counts quarters and halves
  from the start of a fiscal year that ends with month fiscal_year_end_month of its year: with 9
  (Apple) FY2017-Q3 is 2017-Q2 and FY2017 is 2016-10-01/2017-09-30 (grain year).
- A stated end (ends_on, "which ended on July 1, 2017") replaces a nominal end at most 15 days
  away: FY2017-Q3 with 9 -> 2017-04-01/2017-07-01.
- Wording relative to another figure ("in the year-ago quarter") is refused: see
  RELATIVE_WORDING_HELP.
"""

import calendar
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
RELATIVE_WORDING_HELP = (
    "it names a period relative to another figure, which cannot be resolved alone: write the "
    "period's label in period: and these words in period_wording: "
    "(e.g. period: FY2016-Q3 and period_wording: in the year-ago quarter)"
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_WRITTEN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "six": 6,
    "nine": 9,
    "twelve": 12,
    "eighteen": 18,
}
_GRAINS = {1: "month", 3: "quarter", 6: "half", 12: "year"}
# A placed period this far away is refused when the other way has one this near.
_FAR_DAYS, _NEAR_DAYS = 180, 31
_STATED_END_DAYS = 15

_MONTH = "(" + "|".join(MONTHS) + ")"
# Wording is read lower-case, hyphens between words read as spaces ("second-quarter"; a hyphen
# between digits stays: 2017-07-08), then respelled so that one grammar reads every synonym.
_WORD_HYPHEN = re.compile(r"(?<!\d)-|-(?!\d)")
_SPELLINGS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"\b(first|second|third|fourth) quarter\b"), lambda m: f"q{_ORDINALS[m[1]]}"),
    (re.compile(r"\b(first|second) half\b"), lambda m: f"h{_ORDINALS[m[1]]}"),
    # "fiscal q3 of 2017" -> "q3 fy2017"
    (re.compile(r"\bfiscal (q[1-4]|h[12]) (?:of )?(\d{4})\b"), r"\1 fy\2"),
    # "fiscal year 2017", "fiscal 2017", "fy 17" -> "fy2017"
    (
        re.compile(r"\b(?:fiscal(?: year)?|fy) ?(\d{4}|\d{2})\b"),
        lambda m: f"fy{2000 + int(m[1]) if len(m[1]) == 2 else m[1]}",
    ),
    # The part before its year: "2017 q2" (label 2017-Q2), "fy2017 q3", "q3 of fy2017".
    (re.compile(r"\b(\d{4}|fy\d{4}) (q[1-4]|h[12])\b"), r"\2 \1"),
    (re.compile(r"\b(q[1-4]|h[12]) of (\d{4}|fy\d{4})\b"), r"\1 \2"),
    (re.compile(r"\bbetween (.+) and "), r"from \1 to "),
    # "since the march launch", "since its june 2017 debut": since the month named
    (
        re.compile(
            rf"\bsince (?:the|its|their) {_MONTH}( \d{{4}})? "
            r"(?:launch|debut|release|introduction|opening|start)\b"
        ),
        r"since \1\2",
    ),
    # "the october december quarter" (written October-December) -> "the october to december"
    (re.compile(rf"\b{_MONTH} {_MONTH} (?:quarter|half|period)(?: of)?\b"), r"\1 to \2"),
    (re.compile(r"\bby (.+) this year$"), r"this year by \1"),
]
# Stripped while they leave the meaning as it is; "from", "since", "until", "by" do not.
_LEADING_WORDS = re.compile(r"^(as of|in|on|over|during|for|the|of|at) ")
_PART = r"(q[1-4]|h[12])"
_FISCAL = re.compile(rf"(?:{_PART} )?fy(\d{{4}})")
_PART_OF_YEAR = re.compile(rf"{_PART}(?: (\d{{4}})|( of (?:the )?year))?")
_MONTH_RANGE = re.compile(
    rf"(?:from )?{_MONTH}(?: (\d{{4}}))? (?:to|through|until) {_MONTH}(?: (\d{{4}}))?"
)
# "nine months to december", "six months ended june 30, 2017", "fiscal year ending in march":
# the months that end with that month (or day).
_MONTHS_ENDING = re.compile(
    rf"(?:(\d+|\w+) months?|((?:fiscal|financial) )?year) (?:to|ended|ending|through)"
    rf" (?:in )?{_MONTH}(?: (\d{{1,2}}))?(?:,? (\d{{4}}))?"
)
_THIS_YEAR_BY = re.compile(r"this year by (.+)")
_OPEN_END = re.compile(r"(from|since|until|through|by) (.+)")
_NEXT_MONTHS = re.compile(r"next (\d+|\w+) months?")
_WEEKDAY = re.compile("(" + "|".join(WEEKDAYS) + ")")
_DAY_OR_MONTH = re.compile(rf"{_MONTH}(?: (\d{{1,2}}))?(?:,? (\d{{4}}))?")
_RELATIVE_TO_FIGURE = re.compile(
    r"(?:year ago|prior year|same) (?:quarter|half|month|period)"
    r"(?: (?:a year (?:earlier|ago|before)|last year))?"
    r"|quarter|half|month|period"
    r"|(?:a|one) (?:year|quarter|month) (?:earlier|ago|before)"
    r"|(?:from|than|compared with) (?:the )?(?:previous|prior|preceding)"
    r" (?:quarter|half|month|year)"
)


class PeriodError(ValueError):
    """The wording names no period we can resolve."""


@dataclass(frozen=True)
class Period:
    """A period as its canonical calendar label and its dates (None for an open end)."""

    label: str
    grain: str  # day, month, quarter, half, year, range
    start_on: date | None
    end_on: date | None
    fiscal_label: str | None = None  # FY2017-Q3, FY2017-H1, FY2017: fiscal wording only


@dataclass(frozen=True)
class _Reading:
    wording: str
    published: date
    forward: bool
    fiscal_year_end_month: int
    fiscal_year_named_by: str = "end"
    since: bool = False  # read after "since": only a period begun by publication can be meant


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _labelled(start: date, end: date, grain: str = "range") -> Period:
    """The calendar month, quarter, half or year with exactly these dates, else an interval."""
    months = 12 * (end.year - start.year) + end.month - start.month + 1
    whole_months = start.day == 1 and end == _month_end(end.year, end.month)
    if whole_months and months in _GRAINS and (start.month - 1) % months == 0:
        label = {
            1: f"{start.year}-{start.month:02d}",
            3: f"{start.year}-Q{(start.month + 2) // 3}",
            6: f"{start.year}-H{(start.month + 5) // 6}",
            12: str(start.year),
        }[months]
        return Period(label, _GRAINS[months], start, end)
    return replace(interval(start, end), grain=grain)


def day(on: date) -> Period:
    return Period(on.isoformat(), "day", on, on)


def month(year: int, number: int) -> Period:
    return _labelled(date(year, number, 1), _month_end(year, number))


def quarter(year: int, number: int) -> Period:
    return _labelled(date(year, 3 * number - 2, 1), _month_end(year, 3 * number))


def half(year: int, number: int) -> Period:
    return _labelled(date(year, 6 * number - 5, 1), _month_end(year, 6 * number))


def year(number: int) -> Period:
    return _labelled(date(number, 1, 1), date(number, 12, 31))


def interval(start: date | None, end: date | None) -> Period:
    label = f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"
    return Period(label, "range", start, end)


def _part_of_year(year_number: int, part: str | None, end_month: int = 12) -> Period:
    """Year N, ending with month end_month of N, or its part (q1..q4, h1, h2)."""
    months, number = (12, 1) if part is None else (3 if part[0] == "q" else 6, int(part[1]))
    start = _add_months(date(year_number, end_month, 1), months * (number - 1) - 11)
    return _labelled(start, _add_months(start, months) - timedelta(days=1), _GRAINS[months])


def _days_from(on: date, period: Period) -> int:
    """Days from `on` to the period: negative if it ended before, 0 if it includes `on`."""
    start, end = period.start_on or date.min, period.end_on or date.max
    return (end - on).days if end < on else max((start - on).days, 0)


def _place(name: str, candidate: Callable[[int], Period], reading: _Reading) -> Period:
    """A yearless period: the latest begun by publication, or if forward the next not ended."""
    on = reading.published
    around: dict[int, Period] = {}
    for offset in range(-4, 5):  # four years either side, so that February 29 recurs
        with suppress(ValueError):
            period = candidate(on.year + offset)
            around[_days_from(on, period)] = period
    if not around:
        candidate(on.year)  # raises the reason, e.g. "day is out of range for month"
    back, ahead = max(d for d in around if d <= 0), min(d for d in around if d >= 0)
    chosen, other = (ahead, back) if reading.forward else (back, ahead)
    if abs(chosen) > _FAR_DAYS and abs(other) <= _NEAR_DAYS and not reading.since:
        figure, which, where = (
            ("a target or expected figure", "next", "on or after")
            if reading.forward
            else ("a reported figure", "latest", "on or before")
        )
        side = "after" if other > 0 else "before"
        days = f"{abs(other)} day{'s' if abs(other) > 1 else ''} {side}"
        raise PeriodError(
            f"cannot place {reading.wording!r} for {figure}: the {which} {name} {where} "
            f"publication ({on}) is {around[chosen].label}, but {around[other].label} is {days} "
            f"it; write the period as a label ({around[back].label} or {around[ahead].label})"
        )
    return around[chosen]


def _iso(text: str) -> Period | None:
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return day(date(int(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return month(int(m[1]), int(m[2]))
    if re.fullmatch(r"\d{4}", text):
        return year(int(text))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2}|\.\.)/(\d{4}-\d{2}-\d{2}|\.\.)", text):
        start, end = (None if part == ".." else date.fromisoformat(part) for part in m.groups())
        return interval(start, end)
    return None


def _month_range(m: re.Match[str], reading: _Reading) -> Period:
    """From the first month of _MONTH_RANGE through the last, in the years given or placed."""
    first, last = MONTHS[m[1]], MONTHS[m[3]]
    wraps = first > last  # "November to February" ends in the next year

    def ending_in(end_year: int) -> Period:
        return _labelled(date(end_year - wraps, first, 1), _month_end(end_year, last))

    if m[2] or m[4]:
        start_year = int(m[2]) if m[2] else int(m[4]) - wraps
        return _labelled(date(start_year, first, 1), _month_end(int(m[4] or start_year), last))
    name = f"{calendar.month_name[first]} to {calendar.month_name[last]}"
    return _place(name, ending_in, reading)


def _months_ending(m: re.Match[str], reading: _Reading) -> Period | None:
    """The months of _MONTHS_ENDING: N months, or a year, ending with the month (or day) named;
    a fiscal year ending in the company's fiscal year end month carries its fiscal label."""
    count = 12 if m[1] is None else int(m[1]) if m[1].isdigit() else _WRITTEN_NUMBERS.get(m[1])
    if not count:
        return None
    last, day_number = MONTHS[m[3]], int(m[4]) if m[4] else None

    def ending_in(end_year: int) -> Period:
        end = date(end_year, last, day_number) if day_number else _month_end(end_year, last)
        start = _add_months(date(end_year, last, 1), 1 - count)
        found = _labelled(start, end, _GRAINS.get(count, "range"))
        if m[2] and last == reading.fiscal_year_end_month:
            named_by_start = reading.fiscal_year_named_by == "start" and last != 12
            return replace(found, fiscal_label=f"FY{end_year - named_by_start}")
        return found

    if m[5]:
        return ending_in(int(m[5]))
    what = f"the year to {m[3]}" if m[1] is None else f"{count} months to {m[3]}"
    return _place(what, ending_in, reading)


def _read(text: str, reading: _Reading) -> Period | None:
    """The period respelled text names, or None; open ends read what follows them again."""
    while (stripped := _LEADING_WORDS.sub("", text)) != text:
        text = stripped
    if _RELATIVE_TO_FIGURE.fullmatch(text):
        raise PeriodError(f"cannot read period {reading.wording!r}: {RELATIVE_WORDING_HELP}")
    published = reading.published
    if found := _iso(text):
        return found
    if m := _FISCAL.fullmatch(text):
        part, fiscal_year = m[1], int(m[2])
        named_by_start = (
            reading.fiscal_year_named_by == "start" and reading.fiscal_year_end_month != 12
        )
        found = _part_of_year(fiscal_year + named_by_start, part, reading.fiscal_year_end_month)
        suffix = f"-{part.upper()}" if part else ""
        return replace(found, fiscal_label=f"FY{fiscal_year}{suffix}")
    if m := _PART_OF_YEAR.fullmatch(text):
        part = m[1]
        if m[2] or m[3]:
            return _part_of_year(int(m[2] or published.year), part)
        return _place(part.upper(), lambda year_number: _part_of_year(year_number, part), reading)
    if m := _MONTH_RANGE.fullmatch(text):
        return _month_range(m, reading)
    if m := _MONTHS_ENDING.fullmatch(text):
        return _months_ending(m, reading)
    if m := _THIS_YEAR_BY.fullmatch(text):
        until = _read(f"{m[1]} {published.year}", reading)
        return interval(date(published.year, 1, 1), until.end_on) if until else None
    if m := _OPEN_END.fullmatch(text):
        word = m[1]
        # "since" looks back, whatever the figure, and runs to publication.
        since = replace(reading, forward=False, since=True)
        inner = _read(m[2], since if word == "since" else reading)
        if inner is None:
            return None
        if word == "from":
            return interval(inner.start_on, None)
        if word == "since":
            return interval(inner.start_on, published)
        return interval(None, inner.end_on)
    return _relative(text, reading)


def _relative(text: str, reading: _Reading) -> Period | None:
    """Wording placed by the publication date: "last year", "on Friday", "in February"."""
    published = reading.published
    current_quarter = (published.month - 1) // 3 + 1
    if text in ("today", "now"):
        return day(published)
    if text == "yesterday":
        return day(published - timedelta(days=1))
    if text in ("year", "this year", "current year"):
        return year(published.year)
    if text in ("so far this year", "this year so far", "year to date"):
        return interval(date(published.year, 1, 1), published)
    if text in ("last year", "previous year", "past year"):
        return year(published.year - 1)
    if text == "next year":
        return year(published.year + 1)
    if text in ("previous quarter", "last quarter"):
        index = published.year * 4 + current_quarter - 2
        return quarter(index // 4, index % 4 + 1)
    if text in ("this quarter", "current quarter"):
        return quarter(published.year, current_quarter)
    if m := _NEXT_MONTHS.fullmatch(text):
        count = int(m[1]) if m[1].isdigit() else _WRITTEN_NUMBERS.get(m[1])
        if count:
            return interval(published, _add_months(published, count) - timedelta(days=1))
    if text in ("to date", "so far", "recently"):
        return interval(None, published)
    if m := _WEEKDAY.fullmatch(text):
        ahead = (WEEKDAYS[m[1]] - published.weekday()) % 7
        back = (published.weekday() - WEEKDAYS[m[1]]) % 7
        return day(published + timedelta(days=ahead if reading.forward else -back))
    if m := _DAY_OR_MONTH.fullmatch(text):
        number, day_number = MONTHS[m[1]], int(m[2]) if m[2] else None

        def in_year(year_number: int) -> Period:
            if day_number:
                return day(date(year_number, number, day_number))
            return month(year_number, number)

        if m[3]:
            return in_year(int(m[3]))
        name = calendar.month_name[number] + (f" {day_number}" if day_number else "")
        return _place(name, in_year, reading)
    return None


def _ending_on(period: Period, ends_on: date, wording: str) -> Period:
    """The period as the source bounds it: its stated end, near the nominal one."""
    nominal = period.end_on
    if nominal is None:
        raise PeriodError(
            f"cannot end period {wording!r} on {ends_on}: it has no end to move; "
            "write the period as a label instead"
        )
    gap = abs((ends_on - nominal).days)
    if gap > _STATED_END_DAYS:
        raise PeriodError(
            f"cannot end period {wording!r} on {ends_on}: its nominal end is {nominal} "
            f"({period.label}), {gap} days away, more than {_STATED_END_DAYS}; check the date, "
            "or write the period as a label"
        )
    if period.start_on and ends_on < period.start_on:
        raise PeriodError(
            f"cannot end period {wording!r} on {ends_on}: it starts on {period.start_on}; "
            "check the date, or write the period as a label"
        )
    if ends_on == nominal:
        return period
    return replace(period, label=interval(period.start_on, ends_on).label, end_on=ends_on)


def resolve(
    wording: str,
    published: date,
    *,
    forward: bool = False,
    fiscal_year_end_month: int = 12,
    fiscal_year_named_by: str = "end",
    ends_on: date | None = None,
) -> Period:
    """Resolve a period as a source words it, e.g. resolve("last year", 2017-07-08) -> 2016.

    forward: the figure is a target, expectation or plan rather than reported or derived.
    fiscal_year_end_month: the month (1..12) that ends the company's fiscal year N in year N.
    ends_on: the period's end as the source states it, when that is not the nominal end.
    """
    if not 1 <= fiscal_year_end_month <= 12:
        raise PeriodError(
            f"fiscal_year_end_month must be a month number from 1 to 12 (12 for the calendar "
            f"year), not {fiscal_year_end_month}"
        )
    text = " ".join(_WORD_HYPHEN.sub(" ", wording.lower()).split())
    for pattern, spelling in _SPELLINGS:
        text = pattern.sub(spelling, text)
    try:
        found = _read(
            text, _Reading(wording, published, forward, fiscal_year_end_month, fiscal_year_named_by)
        )
    except PeriodError:
        raise
    except ValueError as error:  # e.g. 2017-02-30
        raise PeriodError(f"cannot read period {wording!r}: {error}") from None
    if found is None:
        raise PeriodError(
            f"cannot read period {wording!r}: write it as in the source (e.g. 'Q2 2017', "
            "'last year', 'first half of the year', 'in February', 'next 12 months') "
            "or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07)"
        )
    return _ending_on(found, ends_on, wording) if ends_on else found


def stated_day(wording: str, published: date) -> date:
    """The day a figure was stated: an ISO date, or a wording read looking back (its last day,
    at most the publication date)."""
    period = resolve(wording, published)
    if period.end_on is None:
        raise PeriodError(f"cannot read {wording!r} as the day it was stated: it has no end")
    return min(period.end_on, published)

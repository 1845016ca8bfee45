"""Period wording ("Q2 2017", "last year", "next 12 months") -> a labelled calendar period.

Relative wording is resolved against the source's publication date. Labels are canonical:
2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, and ISO intervals such as 2017-07-08/2018-07-07
('..' marks an open end).
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_LEADING_WORDS = re.compile(r"^(as of|in|on|over|during|for|the|of|at)\s+")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_WRITTEN_NUMBERS = {"one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12, "eighteen": 18}


class PeriodError(ValueError):
    """The wording names no period we can resolve."""


@dataclass(frozen=True)
class Period:
    label: str
    grain: str
    start_on: date | None
    end_on: date | None


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def day(on: date) -> Period:
    return Period(on.isoformat(), "day", on, on)


def month(year: int, number: int) -> Period:
    return Period(f"{year}-{number:02d}", "month", date(year, number, 1), _month_end(year, number))


def quarter(year: int, number: int) -> Period:
    first = 3 * number - 2
    return Period(f"{year}-Q{number}", "quarter", date(year, first, 1), _month_end(year, first + 2))


def half(year: int, number: int) -> Period:
    first = 6 * number - 5
    return Period(f"{year}-H{number}", "half", date(year, first, 1), _month_end(year, first + 5))


def year(number: int) -> Period:
    return Period(str(number), "year", date(number, 1, 1), date(number, 12, 31))


def interval(start: date | None, end: date | None) -> Period:
    label = f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"
    return Period(label, "range", start, end)


def _iso(text: str) -> Period | None:
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return day(date(int(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return month(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-q([1-4])", text):
        return quarter(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-h([12])", text):
        return half(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"\d{4}", text):
        return year(int(text))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2}|\.\.)/(\d{4}-\d{2}-\d{2}|\.\.)", text):
        start, end = (None if part == ".." else date.fromisoformat(part) for part in m.groups())
        return interval(start, end)
    return None


def _relative(text: str, published: date) -> Period | None:
    current_quarter = (published.month - 1) // 3 + 1
    if text in ("today", "now"):
        return day(published)
    if text == "yesterday":
        return day(published - timedelta(days=1))
    if text in ("year", "this year", "current year"):
        return year(published.year)
    if text in ("last year", "previous year", "past year"):
        return year(published.year - 1)
    if text == "next year":
        return year(published.year + 1)
    if text in ("previous quarter", "last quarter"):
        index = published.year * 4 + current_quarter - 2
        return quarter(index // 4, index % 4 + 1)
    if text in ("this quarter", "current quarter"):
        return quarter(published.year, current_quarter)
    if m := re.fullmatch(r"(first|second) half(?: of (?:the )?(?:year|(\d{4})))?|h([12])", text):
        number = 1 if (m[1] == "first" or m[3] == "1") else 2
        return half(int(m[2]) if m[2] else published.year, number)
    if m := re.fullmatch(r"(first|second|third|fourth) quarter(?: of (?:the year|(\d{4})))?", text):
        text = f"q{_ORDINALS[m[1]]} {m[2] or ''}".strip()
    if m := re.fullmatch(r"q([1-4])(?:\s+(\d{4}))?", text):
        number = int(m[1])
        if m[2]:
            return quarter(int(m[2]), number)
        # A bare quarter is the latest one with that number that has begun by publication.
        return quarter(published.year - (number > current_quarter), number)
    if m := re.fullmatch(r"next (\d+|\w+) months?", text):
        count = int(m[1]) if m[1].isdigit() else _WRITTEN_NUMBERS.get(m[1])
        if count:
            return interval(published, _add_months(published, count) - timedelta(days=1))
    if text in ("to date", "so far", "recently"):
        return interval(None, published)
    if m := re.fullmatch(r"([a-z]+)(?:\s+(\d{1,2}))?(?:,?\s+(\d{4}))?", text):
        name, day_number, year_number = m[1], m[2], m[3]
        if name in WEEKDAYS and not day_number and not year_number:
            # "on Friday": the latest such weekday on or before publication.
            back = (published.weekday() - WEEKDAYS[name]) % 7
            return day(published - timedelta(days=back))
        if name in MONTHS:
            number = MONTHS[name]
            if year_number:
                resolved_year = int(year_number)
            else:
                # Without a year: the latest such month (or day) on or before publication.
                probe = date(published.year, number, int(day_number or 1))
                resolved_year = published.year - (probe > published)
            if day_number:
                return day(date(resolved_year, number, int(day_number)))
            return month(resolved_year, number)
    return None


def resolve(wording: str, published: date) -> Period:
    """Resolve a period as a source words it, e.g. resolve("last year", 2017-07-08) -> 2016."""
    text = " ".join(wording.lower().replace("-", " ").split())
    iso_text = wording.strip().lower()
    try:
        found = _iso(iso_text)
        while found is None and (stripped := _LEADING_WORDS.sub("", text)) != text:
            text = stripped
        found = found or _relative(text, published)
    except ValueError as error:  # e.g. 2017-02-30
        raise PeriodError(f"cannot read period {wording!r}: {error}") from None
    if found is None:
        raise PeriodError(
            f"cannot read period {wording!r}: write it as in the source (e.g. 'Q2 2017', "
            "'last year', 'first half of the year', 'in February', 'next 12 months') "
            "or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07)"
        )
    return found

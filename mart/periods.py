"""Period wording ("Q2 2017", "last year", "fiscal 2017 third quarter") -> a labelled period.

The one definition of period wording, shared by the loader and the drafter. Relative wording is
resolved against the source's publication date. Labels are canonical calendar labels: 2017-Q2,
2017-H1, 2016, 2017-02, 2017-07-07, and ISO intervals such as 2017-07-08/2018-07-07 ('..' marks
an open end); a fiscal period also carries its fiscal label (FY2017-Q3) in the company's naming.

Rules, with examples for a source published on 2017-07-07:
- A day, month, weekday, quarter or half without a year: a reported figure takes the latest one
  that has begun by publication ("in February" -> 2017-02), a target or expected one
  (forward=True) the next that has not ended ("in February" -> 2018-02). Refused where the other
  way is far nearer ("on July 8" reported: 2016-07-08 is a year back, 2017-07-08 tomorrow).
- A year after a preposition is that year: "in 2014", "for the whole of 2014", "calendar 2014"
  -> 2014. "the full year 2014" is 2014 for a company whose fiscal year is the calendar year,
  and refused for another (its fiscal year or the calendar's). A part of a named year: "the
  third quarter of last year" -> 2016-Q3, "the second quarter of next year" -> 2018-Q2; "3Q17",
  "1H 2017" -> 2017-Q3, 2017-H1.
- A year not named ("for the year", "the whole year", "the full year", "full-year"; "full" of a
  company whose fiscal year is not the calendar year is refused as "the full year 2014" is): a
  target or expected figure's is the calendar year under way (-> 2017); a reported or consensus
  figure's is refused (results "for the year" published in February are the year just ended, a
  consensus "for the year" in July the year under way: the wording does not say which). "The
  end of the year", "the start of the year" are days placed as "on December 31" is: a reported
  "at the end of the year" -> 2016-12-31. "this year" is 2017 whatever the figure.
- The company's fiscal year by its place: "this fiscal year", "the current financial year" (the
  one under way at publication: with 3 and published 2017-07-07, FY2018 named by end), "last
  fiscal year", "next fiscal year"; "the fiscal year", "the full fiscal year" not named, as a
  year not named is (forward: the one under way; reported or consensus: refused); "the end of
  the financial year" a day, placed as "the end of the year" is (with 11, published 2019-01-31:
  2018-11-30).
- The year to date: "so far this year", "this year so far", "year to date" ->
  2017-01-01/2017-07-07; "this year by October", "by October this year" -> 2017-01-01/2017-10-31.
- Hyphens join words as spaces do: "second-quarter of 2017" -> 2017-Q2. A day may come before
  its month: "30 September 2017" reads as "September 30, 2017". "its", "their" are skipped
  ("the fourth quarter of its fiscal 2019"), as is "as a whole" after "the year".
- A month range is an interval, or the calendar period it equals: "April to June 2017",
  "between April and June 2017" -> 2017-Q2; "February to April 2017" -> 2017-02-01/2017-04-30;
  "the October-December quarter" -> 2017-Q4 (placed as a month range); "the April-June quarter
  of 2017-18" -> the months of that fiscal year (refused if they are not within it).
- Months named by their end: "the three months to June", "the quarter ended June 30, 2017",
  "the June quarter", "the June 2017 quarter", "the June quarter of 2017" -> 2017-Q2; "the
  nine months ended June" -> 2016-10-01/2017-06-30, "the first half to September 30, 2017",
  "the half year ended 30 September 2017" -> 2017-04-01/2017-09-30; a year: "the year to (end)
  March 2017", "the year that ended on March 31, 2017", "the fiscal year ending in March".
  Without a year, a reported figure takes the latest that has ENDED by publication ("the year
  to March" -> 2016-04-01/2017-03-31), a forward one the next not ended; "the fiscal year ending
  next March" is the first March to begin after publication (2018-03). A day that is not a
  month's last ends the months to the nearest month end on that day: "the quarter ended July 1,
  2017" -> 2017-04-01/2017-07-01.
- Whole months named by the calendar (the two rules above) that are one of the company's fiscal
  years, halves or quarters carry its fiscal label when the wording says fiscal or the company's
  fiscal year is not the calendar year: "the June quarter" for Toyota (March) -> FY2018-Q1.
- Open ends: "from April" -> 2017-04-01/..; "until", "through" or "by March 31" ->
  ../2017-03-31; "since April" runs to publication: 2017-04-01/2017-07-07, as does "since the
  April launch". "in the next 12 months", "over the next 10 years" start on publication.
- A day at an end: "by the end of next year" -> 2018-12-31, "(at) the end of March" ->
  2017-03-31 (placed as "March" is), "at the start of 2016" -> 2016-01-01.
- Fiscal wording ("fiscal 2017 third quarter", "Q3 FY17", "Q1FY18", "FY'19", "the 2017
  financial year", FY2017-Q3) counts quarters and halves from the start of a fiscal year ending
  with month fiscal_year_end_month. fiscal_year_named_by says which calendar year names it:
  "end" (Apple, Toyota, Indian FY19: fiscal year N ends in year N) or "start" (SoftBank: fiscal
  2017 is 2017-04-01/2018-03-31); the same with 12. With 9 (Apple) FY2017-Q3 is 2017-Q2 and
  FY2017 is 2016-10-01/2017-09-30 (grain year). Dates are calendar dates; the fiscal label is
  always in the company's naming (SoftBank's FY2017 and Toyota's FY2018 are the same dates).
- A fiscal quarter or half without a year ("the fiscal third quarter", "fiscal Q3", "the fourth
  quarter of the fiscal year", "the first half of the fiscal year") is placed as other yearless
  periods are, by its dates, with its fiscal label.
- A fiscal year named by both its calendar years ("2016-17", "2017/18", "FY2017-18", "fiscal
  2017-18", "Q1 2018-19", "the first half of 2018-19") starts in the first and ends in the
  second: with 3, 2016-17 is 2016-04-01/2017-03-31, FY2017 named by end, FY2016 by start. It
  needs a company whose fiscal year is not the calendar year. "2011-12" stays December 2011
  (the mart's own month label) and is refused as ambiguous for such a company.
- Fiscal years from one to another ("FY19-21", "FY2019-21", "FY2019-FY2021") run from the first
  day of the first to the last day of the last: grain range, fiscal label FY2019-FY2021.
- A stated end (ends_on, "which ended on July 1, 2017") replaces a nominal end at most 15 days
  away: FY2017-Q3 with 9 -> 2017-04-01/2017-07-01.
- Wording relative to another figure ("in the year-ago quarter") is refused: see
  RELATIVE_WORDING_HELP.

When a figure was stated is a day (stated_day): an ISO date; "N days/weeks/months/years
ago|earlier|before" (digits or words: "two months earlier"); or any wording above read looking
back only, to its last day but not after publication ("in May" -> May 31, or the publication
date if earlier; "in December" -> 2016-12-31).
"""

import calendar
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, timedelta

from mart.vocabulary import FISCAL_NAMINGS

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
RELATIVE_WORDING_HELP = (
    "it names a period relative to another figure, which cannot be resolved alone: write the "
    "period's label in period: and these words in period_wording: "
    "(e.g. period: FY2016-Q3 and period_wording: in the year-ago quarter)"
)
UNREADABLE_HELP = (
    "write it as in the source (e.g. 'Q2 2017', 'last year', 'the June quarter', 'fiscal 2017', "
    "'Q1 FY18', 'next 12 months') or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, "
    "FY2018-Q1, FY2018, or dates 2017-04-01/2017-06-30)"
)
STATED_HELP = (
    "write the day (e.g. '2017-05-10') or the source's words, looking back from publication "
    "(e.g. 'in May', 'on May 10', 'two months earlier', 'earlier')"
)
# Words that say a figure was stated before publication, on a day the source does not give
# ("its earlier forecast", "previously guided"): the latest day that can be, the day before.
EARLIER_WORDS = ("earlier", "previously", "previous", "prior", "before", "formerly")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_WRITTEN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
}
_GRAINS = {1: "month", 3: "quarter", 6: "half", 12: "year"}
# A placed period this far away is refused when the other way has one this near.
_FAR_DAYS, _NEAR_DAYS = 180, 31
_STATED_END_DAYS = 15

_MONTH = "(" + "|".join(MONTHS) + ")"
_FY = r"(?:fiscal(?: year)?|fy) ?['\u2019]?"  # "fiscal year 2017", "fiscal 17", "fy 17", "fy'17"


def _years(first_text: str, last_text: str) -> tuple[int, int]:
    """Two written years: "2016", "17" -> 2016, 2017; "19", "21" -> 2019, 2021."""
    first = int(first_text) if len(first_text) == 4 else 2000 + int(first_text)
    last = int(last_text)
    if len(last_text) == 2:
        last += first // 100 * 100 + (100 if last < first % 100 else 0)
    return first, last


def _year_pair(m: re.Match[str]) -> str:
    """ "2016-17", "fy2017/18", "fiscal 2017-18" -> "fy2016/2017" (one fiscal year across two
    calendar years); "fy19-21", "fy2019 fy2021" -> "fy2019 to fy2021" (fiscal years from one to
    another); anything else as it was ("2017-05" is May 2017, "2011-12" December 2011)."""
    prefix, first_text, separator, last_text = m.groups()
    first, last = _years(first_text, last_text)
    one_year = last == first + 1 and separator in "-/"
    if prefix is None and not (len(first_text) == 4 and len(last_text) == 2 and one_year):
        return m[0]
    if prefix is None and separator == "-" and int(last_text) <= 12:
        return m[0]  # also an ISO month: _read decides with the company's calendar
    if one_year:
        return f"fy{first}/{last}"
    return f"fy{first} to fy{last}" if prefix and last > first else m[0]


# Wording is read lower-case, hyphens between words read as spaces ("second-quarter"; a hyphen
# between digits stays: 2017-07-08), then respelled so that one grammar reads every synonym.
_WORD_HYPHEN = re.compile(r"(?<!\d)-|-(?!\d)")
_SPELLINGS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # "the fourth quarter of its fiscal 2019", "for the year as a whole": the same without
    (re.compile(r"\b(of|in|for|during) (?:its|their) "), r"\1 "),
    (re.compile(r"\byear as a whole$"), "year"),
    (re.compile(r"\b(first|second|third|fourth) quarter\b"), lambda m: f"q{_ORDINALS[m[1]]}"),
    (re.compile(r"\b(first|second) half\b"), lambda m: f"h{_ORDINALS[m[1]]}"),
    (re.compile(r"\b(q[1-4]|h[12])fy"), r"\1 fy"),  # "q1fy18"
    # "3q17", "1h 2017" -> "q3 2017", "h1 2017"
    (
        re.compile(r"\b([1-4])([qh]) ?['\u2019]?(\d{4}|\d{2})\b"),
        lambda m: f"{m[2]}{m[1]} {2000 + int(m[3]) if len(m[3]) == 2 else m[3]}",
    ),
    # "30 september 2017" -> "september 30 2017"
    (re.compile(rf"(?<![\d.,])\b(\d{{1,2}}) {_MONTH}\b"), r"\2 \1"),
    (
        re.compile(
            rf"(?<![\w/-])({_FY})?(\d{{4}}|\d{{2}})([-/]| fy ?['\u2019]?)(\d{{4}}|\d{{2}})"
            r"(?![\w/-])"
        ),
        _year_pair,
    ),
    # "its 2017/18 financial year", "the 2018 fiscal year" -> "fy2017/2018", "fy2018"
    (
        re.compile(r"\b(?:fy)?(\d{4}(?:/\d{4})?) (?:financial|fiscal) year\b"),
        r"fy\1",
    ),
    # "fiscal year 2017", "fiscal 2017", "fy 17", "fy'17" -> "fy2017"
    (
        re.compile(rf"\b{_FY}(\d{{4}}|\d{{2}})\b"),
        lambda m: f"fy{2000 + int(m[1]) if len(m[1]) == 2 else m[1]}",
    ),
    # "fiscal q3 of 2017", "fiscal q1 fy2018" -> "q3 fy2017", "q1 fy2018"
    (re.compile(r"\bfiscal (q[1-4]|h[12]) (?:of )?(?:fy)?(\d{4})\b"), r"\1 fy\2"),
    # A fiscal part without a year: "fiscal q3", "q4 of the fiscal year" -> "q3 fy", "q4 fy"
    (re.compile(r"\bfiscal (q[1-4]|h[12])\b"), r"\1 fy"),
    (re.compile(r"\b(q[1-4]|h[12]) of (?:the )?fiscal year\b"), r"\1 fy"),
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
    # "the june quarter", "the june 2017 quarter", "the june quarter of 2017": three months
    (
        re.compile(rf"\b{_MONTH}(?: (\d{{4}}))? quarter(?: of (\d{{4}}))?\b"),
        lambda m: f"quarter ending {m[1]}" + (f" {m[2] or m[3]}" if m[2] or m[3] else ""),
    ),
    (re.compile(r"\bby (?:the )?end of\b"), "end of"),
    # "the first half to september 30": the half year that ends then
    (
        re.compile(rf"\b(q[1-4]|h[12]) (?=(?:to|ended|ending|through) (?:in |on |end )?{_MONTH})"),
        lambda m: "quarter " if m[1][0] == "q" else "half year ",
    ),
    (re.compile(r"\bby (.+) this year$"), r"this year by \1"),
    # "the full year 2018", "calendar year 2018", "calendar 2018": the year (checked in _read)
    (re.compile(r"\b(?:full|calendar) (?:year )?(\d{4})$"), r"\1"),
]
# Stripped while they leave the meaning as it is; "from", "since", "until", "by" do not.
_LEADING_WORDS = re.compile(r"^(as of|in|on|over|during|for|the|its|their|whole|of|at) ")
# "the full year 2018", "full-year", "the full year": which year depends on the company's
# fiscal year.
_FULL_YEAR = re.compile(r"\bfull[ -]year\b")
_PART = r"(q[1-4]|h[12])"
_FISCAL = re.compile(rf"(?:{_PART} )?fy(?:(\d{{4}})(?:/(\d{{4}}))?)?")
_FISCAL_YEARS = re.compile(r"fy(\d{4}) to fy(\d{4})")
_AMBIGUOUS_MONTH = re.compile(r"(\d{4})-(\d{2})")
_PART_OF_YEAR = re.compile(rf"{_PART}(?: (\d{{4}})| of (?:the )?(this |last |next |)year)?")
_YEARS_FROM_NOW = {"": 0, "this ": 0, "last ": -1, "next ": 1}
_MONTH_RANGE = re.compile(
    rf"(?:from )?{_MONTH}(?: (\d{{4}}))? (?:to|through|until) {_MONTH}(?: (\d{{4}}))?"
    r"(?: (fy\d{4}(?:/\d{4})?))?"  # "the april to june fy2017/2018": the months of that year
)
# "nine months to december", "six months ended june 30, 2017", "fiscal year ending in march",
# "quarter ended june 2017", "half year ended september 30 2017", "year ending next march":
# the months that end with that month (or near that day).
_MONTHS_ENDING = re.compile(
    r"(?:(?P<count>\d+|\w+) months?"
    r"|(?P<fiscal>(?:fiscal|financial) )?(?P<part>year|quarter|half(?: year)?))"
    rf" (?:that |which )?(?:to|ended|ending|ends|through) (?:in |on |end )?(?P<next>next )?"
    rf"(?P<month>{_MONTH})"
    r"(?: (?P<day>\d{1,2}))?(?:,? (?P<year>\d{4}))?"
)
_PART_MONTHS = {"year": 12, "half": 6, "half year": 6, "quarter": 3}
_END_OF = re.compile(r"(end|start|beginning) of (.+)")
_THIS_YEAR_BY = re.compile(r"this year by (.+)")
_OPEN_END = re.compile(r"(from|since|until|through|by) (.+)")
_NEXT_MONTHS = re.compile(r"next (\d+|\w+) (month|year)s?")
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
_AGO = re.compile(r"(\d+|\w+) (day|week|month|year)s? (?:ago|earlier|before)")


class PeriodError(ValueError):
    """The wording names no period we can resolve."""


class UnnamedYearError(PeriodError):
    """A year not named ("for the year") of a reported or consensus figure: the year just ended
    or the one under way (the drafter reads it from the article's year); `fiscal`: the
    company's fiscal year ("for the fiscal year")."""

    def __init__(self, message: str, fiscal: bool = False) -> None:
        super().__init__(message)
        self.fiscal = fiscal


@dataclass(frozen=True)
class Period:
    """A period as its canonical calendar label and its dates (None for an open end)."""

    label: str
    grain: str  # day, month, quarter, half, year, range
    start_on: date | None
    end_on: date | None
    fiscal_label: str | None = None  # FY2017-Q3, FY2017-H1, FY2017, FY2019-FY2021


@dataclass(frozen=True)
class _Reading:
    wording: str
    published: date
    forward: bool
    fiscal_year_end_month: int
    fiscal_year_named_by: str
    # Only a period begun by publication can be meant ("since ...", when a figure was stated).
    back_only: bool = False


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _WRITTEN_NUMBERS.get(word)


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


def _named_after_end(reading: _Reading) -> int:
    """Years from a fiscal year's name to the calendar year it ends in: 1 for a company naming
    its years by the year they start, unless they are calendar years."""
    starts = reading.fiscal_year_named_by == "start" and reading.fiscal_year_end_month != 12
    return 1 if starts else 0


def _fiscal(end_year: int, part: str | None, reading: _Reading) -> Period:
    """The company's fiscal year ending in end_year, or its part, with its fiscal label."""
    found = _part_of_year(end_year, part, reading.fiscal_year_end_month)
    suffix = f"-{part.upper()}" if part else ""
    return replace(found, fiscal_label=f"FY{end_year - _named_after_end(reading)}{suffix}")


def _as_fiscal(found: Period, reading: _Reading, fiscal_words: bool) -> Period:
    """Whole months named by the calendar ("the june quarter", "april to september", "the year
    to march") that are one of the company's fiscal quarters, halves or years, as that fiscal
    period, where the wording says fiscal or the company's fiscal year is not the calendar year.
    """
    start, end, fiscal_end = found.start_on, found.end_on, reading.fiscal_year_end_month
    if not (start and end and (fiscal_words or fiscal_end != 12)) or start.day != 1:
        return found
    months = 12 * (end.year - start.year) + end.month - start.month + 1
    to_year_end = (fiscal_end - end.month) % 12  # months from the period's end to the year's
    if months not in (3, 6, 12) or to_year_end % months or end != _month_end(end.year, end.month):
        return found
    part = None if months == 12 else f"{'qh'[months // 6]}{(12 - to_year_end) // months}"
    fiscal = _fiscal(end.year + (end.month > fiscal_end), part, reading)
    return replace(found, grain=fiscal.grain, fiscal_label=fiscal.fiscal_label)


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
    if abs(chosen) > _FAR_DAYS and abs(other) <= _NEAR_DAYS and not reading.back_only:
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


def _fiscal_wording(m: re.Match[str], reading: _Reading) -> Period | None:
    """_FISCAL: a fiscal year by its name ("fy2017") or both its years ("fy2016/2017"), or its
    part; a part without a year is placed by publication."""
    part, named, last = m[1], m[2], m[3]
    if last:
        if reading.fiscal_year_end_month == 12:
            raise PeriodError(
                f"cannot read period {reading.wording!r}: it names a fiscal year by the two "
                f"calendar years it spans ({named}-{last[2:]}), but the company's fiscal year is "
                "the calendar year; declare the company's fiscal_year_end_month (e.g. 3 for a "
                "year ending in March)"
            )
        return _fiscal(int(last), part, reading)
    if named:
        return _fiscal(int(named) + _named_after_end(reading), part, reading)
    if part:
        return _place(f"fiscal {part.upper()}", lambda end: _fiscal(end, part, reading), reading)
    return None


def _month_range(m: re.Match[str], reading: _Reading) -> Period:
    """From the first month of _MONTH_RANGE through the last, in the years given or placed."""
    first, last = MONTHS[m[1]], MONTHS[m[3]]
    wraps = first > last  # "November to February" ends in the next year

    def ending_in(end_year: int) -> Period:
        found = _labelled(date(end_year - wraps, first, 1), _month_end(end_year, last))
        return _as_fiscal(found, reading, bool(m[5]))

    name = f"{calendar.month_name[first]} to {calendar.month_name[last]}"
    if m[5]:  # the months of a fiscal year
        year_of = _fiscal_wording(_FISCAL.fullmatch(m[5]), reading)  # type: ignore[arg-type]
        assert year_of and year_of.start_on and year_of.end_on
        for end_year in (year_of.start_on.year, year_of.end_on.year):
            found = ending_in(end_year)
            if year_of.start_on <= found.start_on <= found.end_on <= year_of.end_on:  # type: ignore[operator]
                return found
        raise PeriodError(
            f"cannot read period {reading.wording!r}: {name} is not within "
            f"{year_of.fiscal_label} ({year_of.label})"
        )
    if m[2] or m[4]:
        start_year = int(m[2]) if m[2] else int(m[4]) - wraps
        end_year = int(m[4]) if m[4] else start_year + wraps
        found = _labelled(date(start_year, first, 1), _month_end(end_year, last))
        return _as_fiscal(found, reading, False)
    return _place(name, ending_in, reading)


def _months_ending(m: re.Match[str], reading: _Reading) -> Period | None:
    """The months of _MONTHS_ENDING: N months, a quarter, half or year, ending with the month
    named, or with the month ending nearest the day named and then on that day."""
    count = _PART_MONTHS[m["part"]] if m["part"] else _count(m["count"])
    if not count:
        return None
    fiscal = bool(m["fiscal"])
    last, day_number = MONTHS[m["month"]], int(m["day"]) if m["day"] else None

    def ending_in(end_year: int) -> Period:
        end = _month_end(end_year, last)
        stated = date(end_year, last, day_number) if day_number else None
        before = date(end_year, last, 1) - timedelta(days=1)
        if stated and (stated - before).days < (end - stated).days:
            end = before  # "ended july 1": the months to june 30, then to july 1
        start = _add_months(date(end.year, end.month, 1), 1 - count)
        found = _as_fiscal(_labelled(start, end, _GRAINS.get(count, "range")), reading, fiscal)
        return _ending_on(found, stated, reading.wording) if stated else found

    if m["year"]:
        return ending_in(int(m["year"]))
    if m["next"]:  # the first such month to begin after publication
        return ending_in(reading.published.year + (last <= reading.published.month))
    what = f"{count} months to {calendar.month_name[last]}"
    if reading.forward:
        return _place(what, ending_in, reading)

    def ended_by(end_year: int) -> Period:  # placed by its end: a reported figure's has passed
        found = ending_in(end_year)
        return replace(found, start_on=found.end_on)

    end_on = _place(what, ended_by, reading).end_on
    assert end_on
    return ending_in(end_on.year)


def _without_leading_words(text: str) -> str:
    while (stripped := _LEADING_WORDS.sub("", text)) != text:
        text = stripped
    return text


# "the year", "the full year" (leading words stripped): a year not named.
_UNNAMED_YEAR = ("year", "full year")


def _unnamed_year_error(
    reading: _Reading, what: str, ended: str | None, current: str | None, write: str
) -> UnnamedYearError:
    """A year not named, of a reported or consensus figure: the one just ended or the one under
    way (results "for the year" published in February are the year just ended, a consensus "for
    the year" in July the year under way, and nothing in the wording says which)."""
    return UnnamedYearError(
        f"cannot read period {reading.wording!r} for a reported or consensus figure: {what} not "
        f"named is the one ended before publication ({ended}) or the one under way ({current}); "
        f"write the year ({write})",
        fiscal=what != "a year",
    )


def _unnamed_year(reading: _Reading) -> Period:
    """A year not named: a forward figure's is the calendar year under way ("a target for the
    year"); a reported or consensus figure's is refused (_unnamed_year_error)."""
    published = reading.published.year
    if reading.forward:
        return year(published)
    ended, current = str(published - 1), str(published)
    write = f"{ended}, {current}, or fiscal YYYY for a company's fiscal year"
    raise _unnamed_year_error(reading, "a year", ended, current, write)


# "this fiscal year", "the current financial year", "last fiscal year", "the fiscal year":
# the company's fiscal year under way at publication, the one before or after it, or not named.
_FISCAL_YEAR_WORDS = re.compile(
    r"(?:(this|current|last|previous|past|next|coming) )?(?:full )?(?:fiscal|financial) year"
)
_FISCAL_YEAR_OFFSETS = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}


def _fiscal_year_words(m: re.Match[str], reading: _Reading) -> Period:
    """The fiscal year under way at publication (its end year: this year's, or next year's once
    the year's end month has passed), or the one before or after it; not named: as
    _unnamed_year says, in fiscal labels."""
    published = reading.published
    under_way = published.year + (published.month > reading.fiscal_year_end_month)
    if m[1]:
        return _fiscal(under_way + _FISCAL_YEAR_OFFSETS.get(m[1], 0), None, reading)
    if reading.forward:
        return _fiscal(under_way, None, reading)
    ended, current = (_fiscal(n, None, reading).fiscal_label for n in (under_way - 1, under_way))
    raise _unnamed_year_error(reading, "a fiscal year", ended, current, f"{ended} or {current}")


def _unnamed_year_day(which: str, reading: _Reading, fiscal: bool = False) -> Period:
    """The end or start of a year not named (the company's fiscal year: `fiscal`), placed as a
    day is: a reported figure's has begun by publication, a forward one's has not ended."""
    months = reading.fiscal_year_end_month if fiscal else 12

    def on(n: int) -> Period:
        found = _part_of_year(n, None, months)
        assert found.start_on and found.end_on
        return day(found.end_on if which == "end" else found.start_on)

    name = "fiscal year" if fiscal else "year"
    return _place(f"{which} of the {name}", on, reading)


def _read(text: str, reading: _Reading) -> Period | None:
    """The period respelled text names, or None; open ends read what follows them again."""
    if _FULL_YEAR.search(reading.wording.lower()) and reading.fiscal_year_end_month != 12:
        raise PeriodError(
            f"cannot read period {reading.wording!r}: a full year of a company whose fiscal year "
            f"ends in {calendar.month_name[reading.fiscal_year_end_month]} is its fiscal year or "
            "the calendar year; write fiscal YYYY (or FYYYYY) for the fiscal year, calendar YYYY "
            "for the calendar year"
        )
    text = _without_leading_words(text)
    if text in _UNNAMED_YEAR:
        return _unnamed_year(reading)
    if m := _FISCAL_YEAR_WORDS.fullmatch(text):
        return _fiscal_year_words(m, reading)
    if _RELATIVE_TO_FIGURE.fullmatch(text):
        raise PeriodError(f"cannot read period {reading.wording!r}: {RELATIVE_WORDING_HELP}")
    published = reading.published
    ambiguous = _AMBIGUOUS_MONTH.fullmatch(text)
    if ambiguous and reading.fiscal_year_end_month != 12:
        first, last = _years(*ambiguous.groups())
        if last == first + 1:
            month_name = f"{calendar.month_name[int(ambiguous[2])]} {first}"
            raise PeriodError(
                f"cannot read period {reading.wording!r}: {text} is both a month ({month_name}) "
                f"and a fiscal year; write FY{text} or {text.replace('-', '/')} for the fiscal "
                f"year, or {month_name} for the month"
            )
    if found := _iso(text):
        return found
    if m := _FISCAL.fullmatch(text):
        return _fiscal_wording(m, reading)
    if m := _FISCAL_YEARS.fullmatch(text):
        shift = _named_after_end(reading)
        start = _fiscal(int(m[1]) + shift, None, reading).start_on
        end = _fiscal(int(m[2]) + shift, None, reading).end_on
        assert start and end
        return replace(interval(start, end), fiscal_label=f"FY{m[1]}-FY{m[2]}")
    if m := _PART_OF_YEAR.fullmatch(text):
        part = m[1]
        if m[2] or m[3] is not None:
            year_number = int(m[2]) if m[2] else published.year + _YEARS_FROM_NOW[m[3]]
            return _part_of_year(year_number, part)
        return _place(part.upper(), lambda year_number: _part_of_year(year_number, part), reading)
    if m := _MONTH_RANGE.fullmatch(text):
        return _month_range(m, reading)
    if m := _MONTHS_ENDING.fullmatch(text):
        return _months_ending(m, reading)
    if m := _END_OF.fullmatch(text):
        which, of = "end" if m[1] == "end" else "start", _without_leading_words(m[2])
        fiscal_year = _FISCAL_YEAR_WORDS.fullmatch(of)
        if of in _UNNAMED_YEAR or (fiscal_year and not fiscal_year[1]):
            return _unnamed_year_day(which, reading, fiscal=bool(fiscal_year))
        inner = _read(m[2], reading)
        on = inner and (inner.end_on if m[1] == "end" else inner.start_on)
        return day(on) if on else None
    if m := _THIS_YEAR_BY.fullmatch(text):
        until = _read(f"{m[1]} {published.year}", reading)
        return interval(date(published.year, 1, 1), until.end_on) if until else None
    if m := _OPEN_END.fullmatch(text):
        word = m[1]
        # "since" looks back, whatever the figure, and runs to publication.
        since = replace(reading, forward=False, back_only=True)
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
    if text in ("this year", "current year"):
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
    if (m := _NEXT_MONTHS.fullmatch(text)) and (count := _count(m[1])):
        months = count * (12 if m[2] == "year" else 1)
        return interval(published, _add_months(published, months) - timedelta(days=1))
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


def _resolve(reading: _Reading) -> Period:
    text = " ".join(_WORD_HYPHEN.sub(" ", reading.wording.lower()).split())
    for pattern, spelling in _SPELLINGS:
        text = pattern.sub(spelling, text)
    try:
        found = _read(text, reading)
    except PeriodError:
        raise
    except ValueError as error:  # e.g. 2017-02-30
        raise PeriodError(f"cannot read period {reading.wording!r}: {error}") from None
    if found is None:
        raise PeriodError(f"cannot read period {reading.wording!r}: {UNREADABLE_HELP}")
    return found


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
    fiscal_year_end_month: the month (1..12) that ends the company's fiscal year.
    fiscal_year_named_by: "end" if fiscal year N ends in year N, "start" if it starts in N.
    ends_on: the period's end as the source states it, when that is not the nominal end.
    """
    if not 1 <= fiscal_year_end_month <= 12:
        raise PeriodError(
            f"fiscal_year_end_month must be a month number from 1 to 12 (12 for the calendar "
            f"year), not {fiscal_year_end_month}"
        )
    if fiscal_year_named_by not in FISCAL_NAMINGS:
        raise PeriodError(
            "fiscal_year_named_by must be 'end' (fiscal year N ends in year N: Apple, Toyota) "
            "or 'start' (fiscal year N starts in year N: SoftBank's fiscal 2017 is April 2017 "
            f"to March 2018), not {fiscal_year_named_by!r}"
        )
    reading = _Reading(wording, published, forward, fiscal_year_end_month, fiscal_year_named_by)
    found = _resolve(reading)
    return _ending_on(found, ends_on, wording) if ends_on else found


def stated_day(wording: str, published: date) -> date:
    """The day a figure was stated, from a date or the source's words looking back from
    publication: "2017-05-10", "two months earlier", "in May" (its last day, up to publication);
    "earlier" or "previously" (no day given) is the day before publication, the latest it can be.
    """
    if " ".join(wording.lower().split()) in EARLIER_WORDS:
        return published - timedelta(days=1)
    if m := _AGO.fullmatch(" ".join(wording.lower().split())):
        count = {"a": 1, "an": 1}.get(m[1]) or _count(m[1])
        if count:
            unit = m[2]
            if unit in ("day", "week"):
                return published - timedelta(days=count * (7 if unit == "week" else 1))
            return _add_months(published, -count * (12 if unit == "year" else 1))
    try:
        found = _resolve(_Reading(wording, published, False, 12, "end", back_only=True))
    except PeriodError:
        raise PeriodError(f"cannot read when {wording!r} was stated: {STATED_HELP}") from None
    if found.start_on and found.start_on > published:
        raise PeriodError(
            f"cannot take {wording!r} as when the figure was stated: {found.label} is after "
            f"publication ({published}); {STATED_HELP}"
        )
    if found.end_on is None:
        raise PeriodError(
            f"cannot read when {wording!r} was stated: it names no day or period that ends; "
            f"{STATED_HELP}"
        )
    return min(found.end_on, published)

import re
from datetime import date
from pathlib import Path

import pytest

from mart.periods import (
    FISCAL_NAMINGS,
    RELATIVE_WORDING_HELP,
    Period,
    PeriodError,
    resolve,
    stated_day,
)

PUBLISHED = date(2017, 7, 8)  # the founding article's date line (a Saturday)


@pytest.mark.parametrize(
    ("wording", "label", "grain", "start", "end"),
    [
        ("Q2 2017", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("in Q2", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("Q4", "2016-Q4", "quarter", date(2016, 10, 1), date(2016, 12, 31)),
        ("second quarter of 2017", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("first half of the year", "2017-H1", "half", date(2017, 1, 1), date(2017, 6, 30)),
        ("Last year", "2016", "year", date(2016, 1, 1), date(2016, 12, 31)),
        ("In February", "2017-02", "month", date(2017, 2, 1), date(2017, 2, 28)),
        ("in June", "2017-06", "month", date(2017, 6, 1), date(2017, 6, 30)),
        ("on Friday", "2017-07-07", "day", date(2017, 7, 7), date(2017, 7, 7)),
        ("As of July 7", "2017-07-07", "day", date(2017, 7, 7), date(2017, 7, 7)),
        (
            "in the next 12 months",
            "2017-07-08/2018-07-07",
            "range",
            date(2017, 7, 8),
            date(2018, 7, 7),
        ),
        ("to date", "../2017-07-08", "range", None, date(2017, 7, 8)),
        ("2017-Q2", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("2017-H2", "2017-H2", "half", date(2017, 7, 1), date(2017, 12, 31)),
        ("2017-02", "2017-02", "month", date(2017, 2, 1), date(2017, 2, 28)),
        ("2016", "2016", "year", date(2016, 1, 1), date(2016, 12, 31)),
        ("2016-02-29", "2016-02-29", "day", date(2016, 2, 29), date(2016, 2, 29)),
    ],
)
def test_resolves_wording_against_publication_date(
    wording: str, label: str, grain: str, start: date | None, end: date
) -> None:
    period = resolve(wording, PUBLISHED)
    assert (period.label, period.grain, period.start_on, period.end_on) == (
        label,
        grain,
        start,
        end,
    )


@pytest.mark.parametrize(
    ("wording", "forward", "label"),
    [
        # Published in February 2019: a target for the year is 2019's; the end and start of the
        # year are days, placed as days are.
        ("for the year", True, "2019"),
        ("the full year", True, "2019"),
        ("full-year", True, "2019"),
        ("for the whole year", True, "2019"),
        ("by the end of the year", True, "2019-12-31"),
        ("at the end of the year", False, "2018-12-31"),
        ("at the end of the whole year", False, "2018-12-31"),
        ("at the start of the year", False, "2019-01-01"),
        ("at the start of the year", True, "2020-01-01"),
        ("this year", False, "2019"),
        ("this year", True, "2019"),
    ],
)
def test_a_year_not_named(wording: str, forward: bool, label: str) -> None:
    assert resolve(wording, date(2019, 2, 21), forward=forward).label == label


@pytest.mark.parametrize(
    ("wording", "fiscal_year_end_month"),
    [("for the year", 12), ("the full year", 12), ("Full-year", 12), ("the whole year", 1)],
)
def test_a_year_not_named_of_a_reported_figure_is_refused(
    wording: str, fiscal_year_end_month: int
) -> None:
    # Results for the year published in February are 2018's; a consensus for the year in July,
    # 2019's: the wording does not say which.
    with pytest.raises(PeriodError) as error:
        resolve(wording, date(2019, 2, 21), fiscal_year_end_month=fiscal_year_end_month)
    assert str(error.value) == (
        f"cannot read period {wording!r} for a reported or consensus figure: a year not named "
        "is the one ended before publication (2018) or the one under way (2019); write the year "
        "(2018, 2019, or fiscal YYYY for a company's fiscal year)"
    )


def test_the_full_year_of_a_fiscal_company_is_refused_whatever_the_figure() -> None:
    # Its "full-year outlook" is of its fiscal year more likely than of the calendar's.
    with pytest.raises(PeriodError) as error:
        resolve("full-year", date(2018, 11, 8), forward=True, fiscal_year_end_month=3)
    assert str(error.value) == (
        "cannot read period 'full-year': a full year of a company whose fiscal year ends in "
        "March is its fiscal year or the calendar year; write fiscal YYYY (or FYYYYY) for the "
        "fiscal year, calendar YYYY for the calendar year"
    )


def test_its_inside_a_wording_and_the_year_as_a_whole_read_as_without() -> None:
    # A company whose fiscal year ends in January, named by its end (FY2019: February 2018 to
    # January 2019).
    fourth = resolve(
        "the fourth quarter of its fiscal 2019", date(2019, 2, 19), fiscal_year_end_month=1
    )
    assert (fourth.label, fourth.fiscal_label) == ("2018-11-01/2019-01-31", "FY2019-Q4")
    assert resolve("For the year as a whole", date(2019, 2, 19), forward=True).label == "2019"


@pytest.mark.parametrize(
    ("wording", "forward", "expected"),
    [
        # Published 2019-02-19 by a company whose fiscal year ends in January, named by its end:
        # FY2019 (February 2018 to January 2019) has ended, FY2020 is under way.
        ("this fiscal year", False, ("2019-02-01/2020-01-31", "FY2020")),
        ("the current financial year", False, ("2019-02-01/2020-01-31", "FY2020")),
        ("last fiscal year", False, ("2018-02-01/2019-01-31", "FY2019")),
        ("the previous fiscal year", True, ("2018-02-01/2019-01-31", "FY2019")),
        ("next fiscal year", True, ("2020-02-01/2021-01-31", "FY2021")),
        ("for the fiscal year", True, ("2019-02-01/2020-01-31", "FY2020")),
        ("the full fiscal year", True, ("2019-02-01/2020-01-31", "FY2020")),
        # The end and start of the fiscal year: days, placed as days are.
        ("at the end of the financial year", False, ("2019-01-31", None)),
        ("at the start of the fiscal year", False, ("2019-02-01", None)),
    ],
)
def test_a_fiscal_year_by_its_place(wording: str, forward: bool, expected: tuple[str, str]) -> None:
    found = resolve(wording, date(2019, 2, 19), forward=forward, fiscal_year_end_month=1)
    assert (found.label, found.fiscal_label) == expected


def test_a_fiscal_year_not_named_of_a_reported_figure_is_refused() -> None:
    with pytest.raises(PeriodError) as error:
        resolve("for the fiscal year", date(2019, 2, 19), fiscal_year_end_month=1)
    assert str(error.value) == (
        "cannot read period 'for the fiscal year' for a reported or consensus figure: a fiscal "
        "year not named is the one ended before publication (FY2019) or the one under way "
        "(FY2020); write the year (FY2019 or FY2020)"
    )


def test_friday_on_a_friday_is_that_day() -> None:
    assert resolve("on Friday", date(2017, 7, 7)).label == "2017-07-07"


def test_next_months_end_the_day_before_the_anniversary() -> None:
    assert resolve("over the next 12 months", date(2017, 7, 7)).label == "2017-07-07/2018-07-06"


def test_month_later_in_the_year_means_last_year() -> None:
    assert resolve("in December", PUBLISHED).label == "2016-12"


def test_unreadable_wording_says_what_to_write() -> None:
    with pytest.raises(PeriodError) as error:
        resolve("Q5 2017", PUBLISHED)
    assert str(error.value) == (
        "cannot read period 'Q5 2017': write it as in the source (e.g. 'Q2 2017', 'last year', "
        "'the June quarter', 'fiscal 2017', 'Q1 FY18', 'next 12 months') or as a label "
        "(2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, FY2018-Q1, FY2018, or dates "
        "2017-04-01/2017-06-30)"
    )


def test_impossible_date_is_refused() -> None:
    with pytest.raises(PeriodError, match=r"^cannot read period '2017-02-30': day is out of range"):
        resolve("2017-02-30", PUBLISHED)


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REPORTED, FORWARD = False, True
APPLE = 9  # Apple's fiscal year ends in September
UNREADABLE = (
    "write it as in the source (e.g. 'Q2 2017', 'last year', 'the June quarter', 'fiscal 2017', "
    "'Q1 FY18', 'next 12 months') or as a label (2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07, "
    "FY2018-Q1, FY2018, or dates 2017-04-01/2017-06-30)"
)


def _fields(period: Period) -> tuple[str, str, date | None, date | None, str | None]:
    return (period.label, period.grain, period.start_on, period.end_on, period.fiscal_label)


@pytest.mark.parametrize(
    ("wording", "published", "forward", "label"),
    [
        ("on Friday", date(2017, 7, 3), REPORTED, "2017-06-30"),
        ("on Friday", date(2017, 7, 3), FORWARD, "2017-07-07"),
        ("on Friday", date(2017, 7, 7), FORWARD, "2017-07-07"),
        ("on July 8", date(2017, 7, 7), FORWARD, "2017-07-08"),
        ("on March 31", date(2017, 2, 21), REPORTED, "2016-03-31"),
        ("on March 31", date(2017, 2, 21), FORWARD, "2017-03-31"),
        ("in February", date(2017, 7, 8), REPORTED, "2017-02"),
        ("in February", date(2017, 7, 8), FORWARD, "2018-02"),
        ("in July", date(2017, 7, 31), REPORTED, "2017-07"),  # it has begun
        ("in July", date(2017, 7, 31), FORWARD, "2017-07"),  # it has not ended
        ("Q4", date(2017, 8, 1), FORWARD, "2017-Q4"),
        ("in the second half", date(2017, 3, 1), REPORTED, "2016-H2"),
        ("in the second half", date(2017, 3, 1), FORWARD, "2017-H2"),
        ("on February 29", date(2017, 7, 8), REPORTED, "2016-02-29"),
        ("on February 29", date(2017, 7, 8), FORWARD, "2020-02-29"),
        ("January to March", date(2017, 7, 8), FORWARD, "2018-Q1"),
        ("from April", date(2017, 2, 21), REPORTED, "2016-04-01/.."),
        ("from April", date(2017, 2, 21), FORWARD, "2017-04-01/.."),
    ],
)
def test_yearless_wording_looks_back_when_reported_and_ahead_when_forward(
    wording: str, published: date, forward: bool, label: str
) -> None:
    assert resolve(wording, published, forward=forward).label == label


@pytest.mark.parametrize(
    ("wording", "published", "forward", "message"),
    [
        (
            "on July 8",
            date(2017, 7, 7),
            REPORTED,
            "cannot place 'on July 8' for a reported figure: the latest July 8 on or before "
            "publication (2017-07-07) is 2016-07-08, but 2017-07-08 is 1 day after it; write the "
            "period as a label (2016-07-08 or 2017-07-08)",
        ),
        (
            "on July 6",
            date(2017, 7, 7),
            FORWARD,
            "cannot place 'on July 6' for a target or expected figure: the next July 6 on or after "
            "publication (2017-07-07) is 2018-07-06, but 2017-07-06 is 1 day before it; write the "
            "period as a label (2017-07-06 or 2018-07-06)",
        ),
        (
            "in August",
            date(2017, 7, 7),
            REPORTED,
            "cannot place 'in August' for a reported figure: the latest August on or before "
            "publication (2017-07-07) is 2016-08, but 2017-08 is 25 days after it; write the "
            "period as a label (2016-08 or 2017-08)",
        ),
        (
            "Q3",
            date(2017, 6, 30),
            REPORTED,
            "cannot place 'Q3' for a reported figure: the latest Q3 on or before publication "
            "(2017-06-30) is 2016-Q3, but 2017-Q3 is 1 day after it; write the period as a label "
            "(2016-Q3 or 2017-Q3)",
        ),
    ],
)
def test_yearless_wording_far_one_way_and_near_the_other_asks_for_a_label(
    wording: str, published: date, forward: bool, message: str
) -> None:
    with pytest.raises(PeriodError) as error:
        resolve(wording, published, forward=forward)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("wording", "label", "grain", "start", "end"),
    [
        ("in 2014", "2014", "year", date(2014, 1, 1), date(2014, 12, 31)),
        ("for 2017", "2017", "year", date(2017, 1, 1), date(2017, 12, 31)),
        ("during 2016", "2016", "year", date(2016, 1, 1), date(2016, 12, 31)),
        ("this year", "2017", "year", date(2017, 1, 1), date(2017, 12, 31)),
        ("so far this year", "2017-01-01/2017-07-08", "range", date(2017, 1, 1), PUBLISHED),
        ("this year so far", "2017-01-01/2017-07-08", "range", date(2017, 1, 1), PUBLISHED),
        ("year to date", "2017-01-01/2017-07-08", "range", date(2017, 1, 1), PUBLISHED),
        ("year-to-date", "2017-01-01/2017-07-08", "range", date(2017, 1, 1), PUBLISHED),
        (
            "this year by October",
            "2017-01-01/2017-10-31",
            "range",
            date(2017, 1, 1),
            date(2017, 10, 31),
        ),
        (
            "by October this year",
            "2017-01-01/2017-10-31",
            "range",
            date(2017, 1, 1),
            date(2017, 10, 31),
        ),
        ("second-quarter 2017", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("second-quarter of 2017", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("first-half 2017", "2017-H1", "half", date(2017, 1, 1), date(2017, 6, 30)),
        ("April to June 2017", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("from April to June 2017", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("between April and June 2017", "2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("January to June", "2017-H1", "half", date(2017, 1, 1), date(2017, 6, 30)),
        ("January to December 2016", "2016", "year", date(2016, 1, 1), date(2016, 12, 31)),
        ("March to March 2017", "2017-03", "month", date(2017, 3, 1), date(2017, 3, 31)),
        (
            "February to April 2017",
            "2017-02-01/2017-04-30",
            "range",
            date(2017, 2, 1),
            date(2017, 4, 30),
        ),
        (
            "November to February 2017",
            "2016-11-01/2017-02-28",
            "range",
            date(2016, 11, 1),
            date(2017, 2, 28),
        ),
        (
            "April 2016 to June 2017",
            "2016-04-01/2017-06-30",
            "range",
            date(2016, 4, 1),
            date(2017, 6, 30),
        ),
        ("from April", "2017-04-01/..", "range", date(2017, 4, 1), None),
        ("from 2017-04-03", "2017-04-03/..", "range", date(2017, 4, 3), None),
        ("until March 31", "../2017-03-31", "range", None, date(2017, 3, 31)),
        ("through March 31", "../2017-03-31", "range", None, date(2017, 3, 31)),
        ("by the second quarter", "../2017-06-30", "range", None, date(2017, 6, 30)),
        ("since April", "2017-04-01/2017-07-08", "range", date(2017, 4, 1), PUBLISHED),
    ],
)
def test_years_year_to_date_hyphens_ranges_and_open_ends(
    wording: str, label: str, grain: str, start: date | None, end: date | None
) -> None:
    assert _fields(resolve(wording, PUBLISHED)) == (label, grain, start, end, None)


@pytest.mark.parametrize(
    "wording",
    [
        "fiscal 2017 third quarter",
        "third quarter of fiscal 2017",
        "third quarter of fiscal year 2017",
        "fiscal third quarter of 2017",
        "fiscal Q3 2017",
        "Q3 FY2017",
        "Q3 FY17",
        "FY2017 Q3",
        "FY2017-Q3",
        "fy2017-q3",
    ],
)
def test_fiscal_quarter_wordings_agree(wording: str) -> None:
    period = resolve(wording, date(2017, 8, 1), fiscal_year_end_month=APPLE)
    assert _fields(period) == (
        "2017-Q2",
        "quarter",
        date(2017, 4, 1),
        date(2017, 6, 30),
        "FY2017-Q3",
    )


@pytest.mark.parametrize(
    ("wording", "end_month", "label", "grain", "start", "end", "fiscal_label"),
    [
        (
            "fourth quarter of fiscal 2017",
            APPLE,
            "2017-Q3",
            "quarter",
            date(2017, 7, 1),
            date(2017, 9, 30),
            "FY2017-Q4",
        ),
        ("Q4 FY17", APPLE, "2017-Q3", "quarter", date(2017, 7, 1), date(2017, 9, 30), "FY2017-Q4"),
        (
            "Q1 FY2017",
            APPLE,
            "2016-Q4",
            "quarter",
            date(2016, 10, 1),
            date(2016, 12, 31),
            "FY2017-Q1",
        ),
        *(
            (
                wording,
                APPLE,
                "2016-10-01/2017-09-30",
                "year",
                date(2016, 10, 1),
                date(2017, 9, 30),
                "FY2017",
            )
            for wording in ("fiscal 2017", "fiscal year 2017", "FY2017", "fy2017")
        ),
        *(
            (
                wording,
                APPLE,
                "2016-10-01/2017-03-31",
                "half",
                date(2016, 10, 1),
                date(2017, 3, 31),
                "FY2017-H1",
            )
            for wording in ("first half of fiscal 2017", "FY2017-H1")
        ),
        ("FY2017-Q3", 12, "2017-Q3", "quarter", date(2017, 7, 1), date(2017, 9, 30), "FY2017-Q3"),
        ("fiscal 2017", 12, "2017", "year", date(2017, 1, 1), date(2017, 12, 31), "FY2017"),
        ("FY2017-H1", 6, "2016-H2", "half", date(2016, 7, 1), date(2016, 12, 31), "FY2017-H1"),
        (
            "fiscal 2018",
            1,
            "2017-02-01/2018-01-31",
            "year",
            date(2017, 2, 1),
            date(2018, 1, 31),
            "FY2018",
        ),
    ],
)
def test_fiscal_periods_are_calendar_dates_with_a_fiscal_label(
    wording: str,
    end_month: int,
    label: str,
    grain: str,
    start: date,
    end: date,
    fiscal_label: str,
) -> None:
    period = resolve(wording, date(2017, 8, 1), fiscal_year_end_month=end_month)
    assert _fields(period) == (label, grain, start, end, fiscal_label)


def test_fiscal_year_end_month_must_be_a_month() -> None:
    with pytest.raises(PeriodError) as error:
        resolve("FY2017", PUBLISHED, fiscal_year_end_month=13)
    assert str(error.value) == (
        "fiscal_year_end_month must be a month number from 1 to 12 (12 for the calendar year), "
        "not 13"
    )


def test_stated_end_replaces_the_nominal_end() -> None:
    period = resolve(
        "fiscal 2017 third quarter",
        date(2017, 8, 1),
        fiscal_year_end_month=APPLE,
        ends_on=date(2017, 7, 1),
    )
    assert _fields(period) == (
        "2017-04-01/2017-07-01",
        "quarter",
        date(2017, 4, 1),
        date(2017, 7, 1),
        "FY2017-Q3",
    )


def test_stated_end_equal_to_the_nominal_end_keeps_the_label() -> None:
    period = resolve("Q2 2017", PUBLISHED, ends_on=date(2017, 6, 30))
    assert _fields(period) == ("2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30), None)


@pytest.mark.parametrize(
    ("wording", "ends_on", "message"),
    [
        (
            "Q2 2017",
            date(2017, 7, 16),
            "cannot end period 'Q2 2017' on 2017-07-16: its nominal end is 2017-06-30 (2017-Q2), "
            "16 days away, more than 15; check the date, or write the period as a label",
        ),
        (
            "from April",
            date(2017, 7, 1),
            "cannot end period 'from April' on 2017-07-01: it has no end to move; write the "
            "period as a label instead",
        ),
        (
            "on July 7",
            date(2017, 7, 1),
            "cannot end period 'on July 7' on 2017-07-01: it starts on 2017-07-07; check the "
            "date, or write the period as a label",
        ),
    ],
)
def test_stated_end_far_from_the_nominal_one_is_refused(
    wording: str, ends_on: date, message: str
) -> None:
    with pytest.raises(PeriodError) as error:
        resolve(wording, PUBLISHED, ends_on=ends_on)
    assert str(error.value) == message


def test_relative_wording_help_names_both_fields() -> None:
    assert RELATIVE_WORDING_HELP == (
        "it names a period relative to another figure, which cannot be resolved alone: write the "
        "period's label in period: and these words in period_wording: "
        "(e.g. period: FY2016-Q3 and period_wording: in the year-ago quarter)"
    )


@pytest.mark.parametrize(
    "wording",
    [
        "in the year-ago quarter",
        "in the quarter",
        "a year earlier",
        "from a year earlier",
        "a year ago",
        "the same period a year earlier",
        "the prior-year quarter",
        "from the previous quarter",
        "compared with the preceding quarter",
    ],
)
def test_wording_relative_to_another_figure_is_refused(wording: str) -> None:
    with pytest.raises(PeriodError) as error:
        resolve(wording, PUBLISHED)
    assert str(error.value) == f"cannot read period {wording!r}: {RELATIVE_WORDING_HELP}"


def _source(file_name: str) -> tuple[date, str]:
    """A corpus text's publication date (its `date` line) and text."""
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS} (a clean clone lacks ../shared/corpus)")
    text = (CORPUS / file_name).read_text(encoding="utf-8")
    date_line = re.match(r"\s*date (\d{4}-\d{2}-\d{2})", text)
    assert date_line, f"{file_name} does not begin with its date line"
    return date.fromisoformat(date_line[1]), text


XIAOMI = "xiaomi-q2-2017-shipments.txt"
GLOBALTIMES = "globaltimes-2017-07-07-summary.txt"
APPLE_Q3 = "apple-q3-fy2017-summary.txt"
SAMSUNG_GUIDANCE = "samsung-q2-2017-guidance-summary.txt"
SAMSUNG_RESULTS = "samsung-q2-2017-results-summary.txt"
TESLA = "tesla-q2-2017-deliveries-summary.txt"
JIO = "reliance-jio-2017-02-21-summary.txt"
Q1_2017 = Period("2017-Q1", "quarter", date(2017, 1, 1), date(2017, 3, 31))
Q2_2017 = Period("2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30))
H1_2017 = Period("2017-H1", "half", date(2017, 1, 1), date(2017, 6, 30))
YEAR_2017 = Period("2017", "year", date(2017, 1, 1), date(2017, 12, 31))
FRIDAY_2017_07_07 = Period("2017-07-07", "day", date(2017, 7, 7), date(2017, 7, 7))


# Every period wording in the corpus texts, as the text has it. Not periods: durations and rates
# ("after two years", "170 days", "303 rupees a month", "every second"), growth bases
# ("year-on-year"); wordings refused are in the next table.
@pytest.mark.parametrize(
    ("file_name", "published", "wording", "forward", "end_month", "ends_on", "expected"),
    [
        (XIAOMI, date(2017, 7, 8), "on Friday", REPORTED, 12, None, FRIDAY_2017_07_07),
        (XIAOMI, date(2017, 7, 8), "in Q2 2017", REPORTED, 12, None, Q2_2017),
        (XIAOMI, date(2017, 7, 8), "in the first half of the year", REPORTED, 12, None, H1_2017),
        (
            XIAOMI,
            date(2017, 7, 8),
            "today",
            REPORTED,
            12,
            None,
            Period("2017-07-08", "day", date(2017, 7, 8), date(2017, 7, 8)),
        ),
        (
            XIAOMI,
            date(2017, 7, 8),
            "In February",
            REPORTED,
            12,
            None,
            Period("2017-02", "month", date(2017, 2, 1), date(2017, 2, 28)),
        ),
        (
            XIAOMI,
            date(2017, 7, 8),
            "Last year",
            REPORTED,
            12,
            None,
            Period("2016", "year", date(2016, 1, 1), date(2016, 12, 31)),
        ),
        (XIAOMI, date(2017, 7, 8), "for the year", FORWARD, 12, None, YEAR_2017),
        (
            XIAOMI,
            date(2017, 7, 8),
            "in the next 12 months",
            FORWARD,
            12,
            None,
            Period("2017-07-08/2018-07-07", "range", date(2017, 7, 8), date(2018, 7, 7)),
        ),
        (
            GLOBALTIMES,
            date(2017, 7, 7),
            "for the second quarter of 2017",
            REPORTED,
            12,
            None,
            Q2_2017,
        ),
        (GLOBALTIMES, date(2017, 7, 7), "on Friday", REPORTED, 12, None, FRIDAY_2017_07_07),
        (GLOBALTIMES, date(2017, 7, 7), "in Q2", REPORTED, 12, None, Q2_2017),
        (GLOBALTIMES, date(2017, 7, 7), "in Q1", REPORTED, 12, None, Q1_2017),
        (
            GLOBALTIMES,
            date(2017, 7, 7),
            "in February",
            REPORTED,
            12,
            None,
            Period("2017-02", "month", date(2017, 2, 1), date(2017, 2, 28)),
        ),
        (
            GLOBALTIMES,
            date(2017, 7, 7),
            "in June",
            REPORTED,
            12,
            None,
            Period("2017-06", "month", date(2017, 6, 1), date(2017, 6, 30)),
        ),
        (GLOBALTIMES, date(2017, 7, 7), "As of July 7", REPORTED, 12, None, FRIDAY_2017_07_07),
        (
            GLOBALTIMES,
            date(2017, 7, 7),
            "in the first half of the year",
            REPORTED,
            12,
            None,
            H1_2017,
        ),
        (
            GLOBALTIMES,
            date(2017, 7, 7),
            "over the next 12 months",
            FORWARD,
            12,
            None,
            Period("2017-07-07/2018-07-06", "range", date(2017, 7, 7), date(2018, 7, 6)),
        ),
        (GLOBALTIMES, date(2017, 7, 7), "for the year", FORWARD, 12, None, YEAR_2017),
        (
            APPLE_Q3,
            date(2017, 8, 1),
            "fiscal 2017 third quarter",
            REPORTED,
            APPLE,
            date(2017, 7, 1),  # "which ended on July 1, 2017"
            Period(
                "2017-04-01/2017-07-01", "quarter", date(2017, 4, 1), date(2017, 7, 1), "FY2017-Q3"
            ),
        ),
        (
            APPLE_Q3,
            date(2017, 8, 1),
            "For the fourth quarter of fiscal 2017",
            FORWARD,
            APPLE,
            None,
            Period("2017-Q3", "quarter", date(2017, 7, 1), date(2017, 9, 30), "FY2017-Q4"),
        ),
        (SAMSUNG_GUIDANCE, date(2017, 7, 7), "second-quarter 2017", REPORTED, 12, None, Q2_2017),
        (SAMSUNG_GUIDANCE, date(2017, 7, 7), "on Friday", REPORTED, 12, None, FRIDAY_2017_07_07),
        (SAMSUNG_RESULTS, date(2017, 7, 27), "for April to June 2017", REPORTED, 12, None, Q2_2017),
        (TESLA, date(2017, 7, 3), "in the second quarter of 2017", REPORTED, 12, None, Q2_2017),
        (TESLA, date(2017, 7, 3), "in the first half of the year", REPORTED, 12, None, H1_2017),
        # Published on a Monday; "expected to begin on Friday" is the Friday after, not before.
        (TESLA, date(2017, 7, 3), "on Friday", FORWARD, 12, None, FRIDAY_2017_07_07),
        (
            JIO,
            date(2017, 2, 21),
            "on Tuesday",
            REPORTED,
            12,
            None,
            Period("2017-02-21", "day", date(2017, 2, 21), date(2017, 2, 21)),
        ),
        (
            JIO,
            date(2017, 2, 21),
            "on March 31",
            FORWARD,
            12,
            None,
            Period("2017-03-31", "day", date(2017, 3, 31), date(2017, 3, 31)),
        ),
        (
            JIO,
            date(2017, 2, 21),
            "From April",
            FORWARD,
            12,
            None,
            Period("2017-04-01/..", "range", date(2017, 4, 1), None),
        ),
    ],
)
def test_every_corpus_wording_resolves(
    file_name: str,
    published: date,
    wording: str,
    forward: bool,
    end_month: int,
    ends_on: date | None,
    expected: Period,
) -> None:
    source_date, text = _source(file_name)
    assert (source_date, wording in text) == (published, True)
    period = resolve(
        wording, published, forward=forward, fiscal_year_end_month=end_month, ends_on=ends_on
    )
    assert period == expected


@pytest.mark.parametrize(
    ("file_name", "wording", "help_text"),
    [
        (APPLE_Q3, "in the year-ago quarter", RELATIVE_WORDING_HELP),
        (APPLE_Q3, "in the quarter", RELATIVE_WORDING_HELP),
        (TESLA, "in the quarter", RELATIVE_WORDING_HELP),
        (SAMSUNG_GUIDANCE, "from a year earlier", RELATIVE_WORDING_HELP),
        (XIAOMI, "from the previous quarter", RELATIVE_WORDING_HELP),  # Q1, before the figure's Q2
        (TESLA, "until early June", UNREADABLE),
        (JIO, "since its launch", UNREADABLE),
    ],
)
def test_corpus_wordings_that_need_a_label_are_refused(
    file_name: str, wording: str, help_text: str
) -> None:
    published, text = _source(file_name)
    assert wording in text
    with pytest.raises(PeriodError) as error:
        resolve(wording, published, fiscal_year_end_month=APPLE if file_name == APPLE_Q3 else 12)
    assert str(error.value) == f"cannot read period {wording!r}: {help_text}"


NINTENDO_DAY = date(2018, 1, 31)  # a Wednesday, in Nintendo's fiscal year ending in March 2018


@pytest.mark.parametrize(
    ("wording", "options", "expected"),
    [
        (
            "in the October-December quarter",
            {},
            Period("2017-Q4", "quarter", date(2017, 10, 1), date(2017, 12, 31)),
        ),
        (
            "the October-December quarter of 2016",
            {},
            Period("2016-Q4", "quarter", date(2016, 10, 1), date(2016, 12, 31)),
        ),
        (
            "the July-December half",
            {},
            Period("2017-H2", "half", date(2017, 7, 1), date(2017, 12, 31)),
        ),
        (
            "in the three months to June",
            {},
            Period("2017-Q2", "quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ),
        (
            "the nine months to December",
            {},
            Period("2017-04-01/2017-12-31", "range", date(2017, 4, 1), date(2017, 12, 31)),
        ),
        (
            "the six months ended June 30, 2017",
            {},
            Period("2017-H1", "half", date(2017, 1, 1), date(2017, 6, 30)),
        ),
        (
            "the twelve months to September 2017",
            {},
            Period("2016-10-01/2017-09-30", "year", date(2016, 10, 1), date(2017, 9, 30)),
        ),
        (
            "the year to March 2017",
            {},
            Period("2016-04-01/2017-03-31", "year", date(2016, 4, 1), date(2017, 3, 31)),
        ),
        (
            "in the fiscal year ending in March",
            {"forward": True},
            Period("2017-04-01/2018-03-31", "year", date(2017, 4, 1), date(2018, 3, 31)),
        ),
        (
            "in the fiscal year ending in March",
            {"forward": True, "fiscal_year_end_month": 3},
            Period("2017-04-01/2018-03-31", "year", date(2017, 4, 1), date(2018, 3, 31), "FY2018"),
        ),
        (
            "the financial year ended March 31, 2017",
            {"fiscal_year_end_month": 3},
            Period("2016-04-01/2017-03-31", "year", date(2016, 4, 1), date(2017, 3, 31), "FY2017"),
        ),
        (
            "Q3 FY18",
            {"fiscal_year_end_month": 3},
            Period("2017-Q4", "quarter", date(2017, 10, 1), date(2017, 12, 31), "FY2018-Q3"),
        ),
        (
            "since the March launch",
            {},
            Period("2017-03-01/2018-01-31", "range", date(2017, 3, 1), date(2018, 1, 31)),
        ),
        (  # since looks back only: the March ahead, though nearer, cannot be meant
            "since March",
            {},
            Period("2017-03-01/2018-01-31", "range", date(2017, 3, 1), date(2018, 1, 31)),
        ),
        (
            "since its June 2016 debut",
            {},
            Period("2016-06-01/2018-01-31", "range", date(2016, 6, 1), date(2018, 1, 31)),
        ),
        ("in H1", {}, Period("2018-H1", "half", date(2018, 1, 1), date(2018, 6, 30))),
        ("the first half", {}, Period("2018-H1", "half", date(2018, 1, 1), date(2018, 6, 30))),
    ],
)
def test_month_ranges_months_to_and_years_ending(
    wording: str, options: dict[str, int | bool], expected: Period
) -> None:
    assert resolve(wording, NINTENDO_DAY, **options) == expected  # type: ignore[arg-type]


# Issue 17: fiscal years named by the year they end or start, and the wordings real reports use.
# Three companies: Toyota (fiscal 2018 = April 2017 - March 2018), SoftBank (the same dates are
# its fiscal 2017) and Apple (fiscal 2018 = October 2017 - September 2018).
TOYOTA = {"fiscal_year_end_month": 3, "fiscal_year_named_by": "end"}
SOFTBANK = {"fiscal_year_end_month": 3, "fiscal_year_named_by": "start"}
APPLE_CALENDAR = {"fiscal_year_end_month": 9, "fiscal_year_named_by": "end"}
CALENDAR = {"fiscal_year_end_month": 12, "fiscal_year_named_by": "end"}
COMPANIES = {"toyota": TOYOTA, "softbank": SOFTBANK, "apple": APPLE_CALENDAR}
NOV_8 = date(
    2017, 11, 8
)  # a Wednesday: Toyota's FY2018-Q3, SoftBank's FY2017-Q3, Apple's FY2018-Q1
Expected = tuple[str, str, str | None]  # label, grain, fiscal label


def _dates(label: str) -> tuple[date, date]:
    """A label's dates, read here independently of mart.periods."""
    if "/" in label:
        start, end = label.split("/")
        return date.fromisoformat(start), date.fromisoformat(end)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        first = 3 * int(m[2]) - 2
        last = date(int(m[1]) + (first == 10), (first + 3) % 12 or 12, 1)
        return date(int(m[1]), first, 1), date.fromordinal(last.toordinal() - 1)
    if m := re.fullmatch(r"(\d{4})-H([12])", label):
        year_number = int(m[1])
        if m[2] == "1":
            return date(year_number, 1, 1), date(year_number, 6, 30)
        return date(year_number, 7, 1), date(year_number, 12, 31)
    if re.fullmatch(r"\d{4}", label):
        return date(int(label), 1, 1), date(int(label), 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        following = date(int(m[1]) + (m[2] == "12"), int(m[2]) % 12 + 1, 1)
        return date(int(m[1]), int(m[2]), 1), date.fromordinal(following.toordinal() - 1)
    return date.fromisoformat(label), date.fromisoformat(label)


def _check(period: Period, expected: Expected) -> None:
    label, grain, fiscal_label = expected
    start, end = _dates(label)
    assert _fields(period) == (label, grain, start, end, fiscal_label)


FISCAL_WORDINGS: list[tuple[str, bool, Expected, Expected, Expected]] = [
    # wording, forward, then Toyota, SoftBank, Apple
    *(
        (
            wording,
            forward,
            ("2017-Q4", "quarter", "FY2018-Q3"),
            ("2017-Q4", "quarter", "FY2017-Q3"),
            ("2018-Q2", "quarter", "FY2018-Q3") if forward else ("2017-Q2", "quarter", "FY2017-Q3"),
        )
        for wording in (
            "the fiscal third quarter",
            "fiscal Q3",
            "the third quarter of the fiscal year",
        )
        for forward in (REPORTED, FORWARD)
    ),
    (
        "the fourth quarter of the fiscal year",
        REPORTED,
        ("2017-Q1", "quarter", "FY2017-Q4"),
        ("2017-Q1", "quarter", "FY2016-Q4"),
        ("2017-Q3", "quarter", "FY2017-Q4"),
    ),
    (
        "the fourth quarter of the fiscal year",
        FORWARD,
        ("2018-Q1", "quarter", "FY2018-Q4"),
        ("2018-Q1", "quarter", "FY2017-Q4"),
        ("2018-Q3", "quarter", "FY2018-Q4"),
    ),
    (
        "the first half of the fiscal year",
        REPORTED,
        ("2017-04-01/2017-09-30", "half", "FY2018-H1"),
        ("2017-04-01/2017-09-30", "half", "FY2017-H1"),
        ("2017-10-01/2018-03-31", "half", "FY2018-H1"),
    ),
    (
        "the first half of the fiscal year",
        FORWARD,
        ("2018-04-01/2018-09-30", "half", "FY2019-H1"),
        ("2018-04-01/2018-09-30", "half", "FY2018-H1"),
        ("2017-10-01/2018-03-31", "half", "FY2018-H1"),
    ),
    *(
        (
            wording,
            REPORTED,
            ("2017-Q3", "quarter", "FY2018-Q2"),
            ("2017-Q3", "quarter", "FY2017-Q2"),
            ("2017-Q3", "quarter", "FY2017-Q4"),
        )
        for wording in (
            "the quarter ended September 30, 2017",
            "the quarter ended 30 September 2017",
            "the September quarter of 2017",
            "the September 2017 quarter",
        )
    ),
    *(
        (
            wording,
            REPORTED,
            ("2017-Q2", "quarter", "FY2018-Q1"),
            ("2017-Q2", "quarter", "FY2017-Q1"),
            ("2017-Q2", "quarter", "FY2017-Q3"),
        )
        for wording in ("the quarter ended June 2017", "the June quarter", "the June 2017 quarter")
    ),
    (
        "the June quarter",
        FORWARD,
        ("2018-Q2", "quarter", "FY2019-Q1"),
        ("2018-Q2", "quarter", "FY2018-Q1"),
        ("2018-Q2", "quarter", "FY2018-Q3"),
    ),
    (
        "the March quarter",
        REPORTED,
        ("2017-Q1", "quarter", "FY2017-Q4"),
        ("2017-Q1", "quarter", "FY2016-Q4"),
        ("2017-Q1", "quarter", "FY2017-Q2"),
    ),
    (  # a day that is not a month's end ends the months to the nearest month end
        "the quarter ended July 1, 2017",
        REPORTED,
        ("2017-04-01/2017-07-01", "quarter", "FY2018-Q1"),
        ("2017-04-01/2017-07-01", "quarter", "FY2017-Q1"),
        ("2017-04-01/2017-07-01", "quarter", "FY2017-Q3"),
    ),
    (
        "the half year ended 30 September 2017",
        REPORTED,
        ("2017-04-01/2017-09-30", "half", "FY2018-H1"),
        ("2017-04-01/2017-09-30", "half", "FY2017-H1"),
        ("2017-04-01/2017-09-30", "half", "FY2017-H2"),
    ),
    (
        "the year ended 31 March 2018",
        FORWARD,
        ("2017-04-01/2018-03-31", "year", "FY2018"),
        ("2017-04-01/2018-03-31", "year", "FY2017"),
        ("2017-04-01/2018-03-31", "year", None),
    ),
    (  # named by its end: reported, the latest ended by publication; forward, the next
        "the nine months ended December 31",
        REPORTED,
        ("2016-04-01/2016-12-31", "range", None),
        ("2016-04-01/2016-12-31", "range", None),
        ("2016-04-01/2016-12-31", "range", None),
    ),
    (
        "the nine months ending December 31",
        FORWARD,
        ("2017-04-01/2017-12-31", "range", None),
        ("2017-04-01/2017-12-31", "range", None),
        ("2017-04-01/2017-12-31", "range", None),
    ),
    (
        "the year to March",
        REPORTED,
        ("2016-04-01/2017-03-31", "year", "FY2017"),
        ("2016-04-01/2017-03-31", "year", "FY2016"),
        ("2016-04-01/2017-03-31", "year", None),
    ),
    (  # months named by the calendar that are a fiscal quarter carry its fiscal label
        "the July-September quarter",
        REPORTED,
        ("2017-Q3", "quarter", "FY2018-Q2"),
        ("2017-Q3", "quarter", "FY2017-Q2"),
        ("2017-Q3", "quarter", "FY2017-Q4"),
    ),
    (
        "April to September 2017",
        REPORTED,
        ("2017-04-01/2017-09-30", "half", "FY2018-H1"),
        ("2017-04-01/2017-09-30", "half", "FY2017-H1"),
        ("2017-04-01/2017-09-30", "half", "FY2017-H2"),
    ),
    (
        "the April-June quarter of 2017-18",
        REPORTED,
        ("2017-Q2", "quarter", "FY2018-Q1"),
        ("2017-Q2", "quarter", "FY2017-Q1"),
        ("2018-Q2", "quarter", "FY2018-Q3"),
    ),
    *(
        (
            wording,
            FORWARD,
            ("2017-04-01/2018-03-31", "year", "FY2018"),
            ("2017-04-01/2018-03-31", "year", "FY2017"),
            ("2017-04-01/2018-03-31", "year", None),
        )
        for wording in ("the fiscal year ending next March", "the year ending next March")
    ),
    *(
        (
            wording,
            FORWARD,
            ("2018-04-01/2019-03-31", "year", "FY2019"),
            ("2018-04-01/2019-03-31", "year", "FY2018"),
            ("2018-04-01/2019-03-31", "year", None),
        )
        for wording in ("the fiscal year ending March 2019", "the year ending March 31, 2019")
    ),
    (
        "the fiscal year ending next September",
        FORWARD,
        ("2017-10-01/2018-09-30", "year", None),
        ("2017-10-01/2018-09-30", "year", None),
        ("2017-10-01/2018-09-30", "year", "FY2018"),
    ),
    *(
        (
            wording,
            REPORTED,
            ("2016-04-01/2017-03-31", "year", "FY2017"),
            ("2016-04-01/2017-03-31", "year", "FY2016"),
            ("2016-10-01/2017-09-30", "year", "FY2017"),
        )
        for wording in ("2016-17", "in 2016-17", "2016/17", "FY2016-17", "fiscal 2016-17")
    ),
    *(
        (
            wording,
            REPORTED,
            ("2017-04-01/2018-03-31", "year", "FY2018"),
            ("2017-04-01/2018-03-31", "year", "FY2017"),
            ("2017-10-01/2018-09-30", "year", "FY2018"),
        )
        for wording in ("2017/18", "FY2017-18", "fiscal 2017-18", "fiscal year 2017/2018")
    ),
    (
        "the first half of 2018-19",
        FORWARD,
        ("2018-04-01/2018-09-30", "half", "FY2019-H1"),
        ("2018-04-01/2018-09-30", "half", "FY2018-H1"),
        ("2018-10-01/2019-03-31", "half", "FY2019-H1"),
    ),
    (
        "Q1 2018-19",
        FORWARD,
        ("2018-Q2", "quarter", "FY2019-Q1"),
        ("2018-Q2", "quarter", "FY2018-Q1"),
        ("2018-Q4", "quarter", "FY2019-Q1"),
    ),
    *(
        (
            wording,
            REPORTED,
            ("2017-Q2", "quarter", "FY2018-Q1"),
            ("2018-Q2", "quarter", "FY2018-Q1"),
            ("2017-Q4", "quarter", "FY2018-Q1"),
        )
        for wording in ("Q1 FY18", "Q1FY18", "FY2018-Q1", "fiscal Q1 FY18", "Q1 of fiscal 2018")
    ),
    *(
        (
            wording,
            FORWARD,
            ("2018-04-01/2019-03-31", "year", "FY2019"),
            ("2019-04-01/2020-03-31", "year", "FY2019"),
            ("2018-10-01/2019-09-30", "year", "FY2019"),
        )
        for wording in ("FY19", "FY'19", "FY\u201919", "fiscal 2019", "FY2019")
    ),
    *(
        (
            wording,
            FORWARD,
            ("2018-04-01/2021-03-31", "range", "FY2019-FY2021"),
            ("2019-04-01/2022-03-31", "range", "FY2019-FY2021"),
            ("2018-10-01/2021-09-30", "range", "FY2019-FY2021"),
        )
        for wording in ("FY19-21", "FY2019-21", "FY2019-FY2021", "FY2019 to FY2021")
    ),
]


@pytest.mark.parametrize(("wording", "forward", "toyota", "softbank", "apple"), FISCAL_WORDINGS)
def test_fiscal_wordings_under_each_naming(
    wording: str, forward: bool, toyota: Expected, softbank: Expected, apple: Expected
) -> None:
    for company, expected in zip(COMPANIES.values(), (toyota, softbank, apple), strict=True):
        period = resolve(wording, NOV_8, forward=forward, **company)  # type: ignore[arg-type]
        _check(period, expected)


@pytest.mark.parametrize(
    ("wording", "forward", "expected"),
    [
        ("the fiscal third quarter", REPORTED, ("2017-Q3", "quarter", "FY2017-Q3")),
        ("the first half of the fiscal year", REPORTED, ("2017-H1", "half", "FY2017-H1")),
        ("the quarter ended June 2017", REPORTED, ("2017-Q2", "quarter", None)),
        ("the year ended 31 March 2018", FORWARD, ("2017-04-01/2018-03-31", "year", None)),
        ("the fiscal year ended December 31, 2016", REPORTED, ("2016", "year", "FY2016")),
        ("the June quarter", REPORTED, ("2017-Q2", "quarter", None)),
        ("FY19", FORWARD, ("2019", "year", "FY2019")),
        ("Q1 FY18", FORWARD, ("2018-Q1", "quarter", "FY2018-Q1")),
        ("FY2019-FY2021", FORWARD, ("2019-01-01/2021-12-31", "range", "FY2019-FY2021")),
        ("2011-12", REPORTED, ("2011-12", "month", None)),  # the mart's own label: December 2011
    ],
)
def test_a_calendar_fiscal_year_is_the_same_under_both_namings(
    wording: str, forward: bool, expected: Expected
) -> None:
    for naming in FISCAL_NAMINGS:
        period = resolve(wording, NOV_8, forward=forward, fiscal_year_named_by=naming)
        _check(period, expected)


def test_softbank_fiscal_2017_is_toyota_fiscal_2018() -> None:
    softbank = resolve("fiscal 2017", NOV_8, **SOFTBANK)  # type: ignore[arg-type]
    toyota = resolve("fiscal 2018", NOV_8, **TOYOTA)  # type: ignore[arg-type]
    assert (softbank.start_on, softbank.end_on, softbank.fiscal_label) == (
        date(2017, 4, 1),
        date(2018, 3, 31),
        "FY2017",
    )
    assert (toyota.start_on, toyota.end_on, toyota.fiscal_label) == (
        date(2017, 4, 1),
        date(2018, 3, 31),
        "FY2018",
    )


@pytest.mark.parametrize(
    ("wording", "published", "forward", "expected"),
    [
        ("the third quarter of last year", NOV_8, REPORTED, ("2016-Q3", "quarter", None)),
        ("the first half of last year", NOV_8, REPORTED, ("2016-H1", "half", None)),
        ("the fourth quarter of this year", NOV_8, FORWARD, ("2017-Q4", "quarter", None)),
        ("the second quarter of next year", NOV_8, FORWARD, ("2018-Q2", "quarter", None)),
        ("for the whole of 2016", NOV_8, REPORTED, ("2016", "year", None)),
        ("the whole of last year", NOV_8, REPORTED, ("2016", "year", None)),
        ("the whole year", NOV_8, FORWARD, ("2017", "year", None)),
        ("calendar year 2016", NOV_8, REPORTED, ("2016", "year", None)),
        ("by the end of next year", NOV_8, FORWARD, ("2018-12-31", "day", None)),
        ("by the end of the year", NOV_8, FORWARD, ("2017-12-31", "day", None)),
        ("by the end of this year", NOV_8, FORWARD, ("2017-12-31", "day", None)),
        ("by the end of 2020", NOV_8, FORWARD, ("2020-12-31", "day", None)),
        ("by the end of March", NOV_8, FORWARD, ("2018-03-31", "day", None)),
        ("at the end of March", NOV_8, REPORTED, ("2017-03-31", "day", None)),
        ("by the end of the second quarter", NOV_8, FORWARD, ("2018-06-30", "day", None)),
        (
            "the nine months ended June",
            date(2017, 7, 7),
            REPORTED,
            ("2016-10-01/2017-06-30", "range", None),
        ),
    ],
)
def test_calendar_wordings_of_issue_17(
    wording: str, published: date, forward: bool, expected: Expected
) -> None:
    for company in (CALENDAR, TOYOTA, SOFTBANK):
        _check(resolve(wording, published, forward=forward, **company), expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "wording",
    [
        "2016-17",
        "2017/18",
        "FY2017-18",
        "fiscal 2017-18",
        "the first half of 2018-19",
        "Q1 2018-19",
    ],
)
def test_a_fiscal_year_of_two_calendar_years_needs_a_fiscal_year_end(wording: str) -> None:
    years = re.search(r"(\d{4})[-/]\d{2}", wording)
    assert years
    first = int(years[1])
    for naming in FISCAL_NAMINGS:
        with pytest.raises(PeriodError) as error:
            resolve(wording, NOV_8, fiscal_year_named_by=naming)
        assert str(error.value) == (
            f"cannot read period {wording!r}: it names a fiscal year by the two calendar years it "
            f"spans ({first}-{(first + 1) % 100:02d}), but the company's fiscal year is the "
            "calendar year; declare the company's fiscal_year_end_month (e.g. 3 for a year ending "
            "in March)"
        )


def test_a_year_that_is_also_a_month_is_refused_for_a_fiscal_calendar() -> None:
    for company in COMPANIES.values():
        with pytest.raises(PeriodError) as error:
            resolve("2011-12", NOV_8, **company)  # type: ignore[arg-type]
        assert str(error.value) == (
            "cannot read period '2011-12': 2011-12 is both a month (December 2011) and a fiscal "
            "year; write FY2011-12 or 2011/12 for the fiscal year, or December 2011 for the month"
        )
    assert _fields(resolve("2011/12", NOV_8, **TOYOTA)) == (  # type: ignore[arg-type]
        "2011-04-01/2012-03-31",
        "year",
        date(2011, 4, 1),
        date(2012, 3, 31),
        "FY2012",
    )


def test_fiscal_naming_must_be_end_or_start() -> None:
    assert FISCAL_NAMINGS == ("end", "start")
    with pytest.raises(PeriodError) as error:
        resolve("FY2017", NOV_8, fiscal_year_end_month=3, fiscal_year_named_by="first")
    assert str(error.value) == (
        "fiscal_year_named_by must be 'end' (fiscal year N ends in year N: Apple, Toyota) or "
        "'start' (fiscal year N starts in year N: SoftBank's fiscal 2017 is April 2017 to March "
        "2018), not 'first'"
    )


@pytest.mark.parametrize(
    ("wording", "published", "stated"),
    [
        ("2017-05-10", NOV_8, date(2017, 5, 10)),
        ("two months earlier", NOV_8, date(2017, 9, 8)),
        ("2 months ago", NOV_8, date(2017, 9, 8)),
        ("three months before", date(2017, 5, 31), date(2017, 2, 28)),
        ("3 weeks ago", NOV_8, date(2017, 10, 18)),
        ("ten days earlier", NOV_8, date(2017, 10, 29)),
        ("a year earlier", NOV_8, date(2016, 11, 8)),
        ("in May", NOV_8, date(2017, 5, 31)),
        ("in May", date(2017, 5, 20), date(2017, 5, 20)),  # May has not ended: publication
        ("on May 10", NOV_8, date(2017, 5, 10)),
        ("on May 10", date(2017, 5, 5), date(2016, 5, 10)),
        ("in August", NOV_8, date(2017, 8, 31)),
        # December 2017 is 23 days ahead, but a figure was stated before publication
        ("in December", NOV_8, date(2016, 12, 31)),
        ("on Monday", NOV_8, date(2017, 11, 6)),
        ("yesterday", NOV_8, date(2017, 11, 7)),
        ("last year", NOV_8, date(2016, 12, 31)),
        ("in the June quarter", NOV_8, date(2017, 6, 30)),
        ("today", NOV_8, NOV_8),
        # No day given: the latest day it can have been, the day before publication
        ("earlier", NOV_8, date(2017, 11, 7)),
        ("Previously", NOV_8, date(2017, 11, 7)),
    ],
)
def test_stated_day_looks_back_from_publication(
    wording: str, published: date, stated: date
) -> None:
    assert stated_day(wording, published) == stated


STATED_HELP = (
    "write the day (e.g. '2017-05-10') or the source's words, looking back from publication "
    "(e.g. 'in May', 'on May 10', 'two months earlier', 'earlier')"
)


@pytest.mark.parametrize(
    ("wording", "message"),
    [
        (
            "2017-12-01",
            "cannot take '2017-12-01' as when the figure was stated: 2017-12-01 is after "
            f"publication (2017-11-08); {STATED_HELP}",
        ),
        (
            "next year",
            "cannot take 'next year' as when the figure was stated: 2018 is after publication "
            f"(2017-11-08); {STATED_HELP}",
        ),
        ("much earlier", f"cannot read when 'much earlier' was stated: {STATED_HELP}"),
        (
            "in the year-ago quarter",
            f"cannot read when 'in the year-ago quarter' was stated: {STATED_HELP}",
        ),
        (
            "from April",
            "cannot read when 'from April' was stated: it names no day or period that ends; "
            f"{STATED_HELP}",
        ),
    ],
)
def test_stated_day_refuses_what_is_after_publication_or_no_day(wording: str, message: str) -> None:
    with pytest.raises(PeriodError) as error:
        stated_day(wording, NOV_8)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("published", "start", "end", "toyota", "softbank"),
    [
        (date(2017, 2, 10), date(2016, 4, 1), date(2017, 3, 31), "FY2017", "FY2016"),
        (date(2017, 3, 15), date(2017, 4, 1), date(2018, 3, 31), "FY2018", "FY2017"),  # begun
    ],
)
def test_next_march_is_the_first_march_to_begin_after_publication(
    published: date, start: date, end: date, toyota: str, softbank: str
) -> None:
    label = f"{start}/{end}"
    for company, fiscal_label in ((CALENDAR, None), (TOYOTA, toyota), (SOFTBANK, softbank)):
        period = resolve("the year ending next March", published, forward=True, **company)  # type: ignore[arg-type]
        assert _fields(period) == (label, "year", start, end, fiscal_label)


def _p(label: str, grain: str, fiscal_label: str | None = None) -> Period:
    start, end = _dates(label)
    return Period(label, grain, start, end, fiscal_label)


# Every period wording of the issue-17 corpus texts, as the text has it, with the company's
# calendar (SoftBank: March, named by start; Toyota, Infosys, Tata Motors, Vodafone, BT: March,
# named by end; the rest: calendar years).
@pytest.mark.parametrize(
    ("file_name", "wording", "forward", "company", "expected"),
    [
        (
            "softbank-fy2017-summary.txt",
            "in fiscal 2017",
            REPORTED,
            SOFTBANK,
            _p("2017-04-01/2018-03-31", "year", "FY2017"),
        ),
        (
            "softbank-fy2017-summary.txt",
            "the year that ended on March 31, 2018",
            REPORTED,
            SOFTBANK,
            _p("2017-04-01/2018-03-31", "year", "FY2017"),
        ),
        (
            "softbank-fy2017-summary.txt",
            "in fiscal 2016",
            REPORTED,
            SOFTBANK,
            _p("2016-04-01/2017-03-31", "year", "FY2016"),
        ),
        (
            "softbank-fy2017-summary.txt",
            "the fourth quarter of the fiscal year",
            REPORTED,
            SOFTBANK,
            _p("2018-Q1", "quarter", "FY2017-Q4"),
        ),
        (
            "softbank-fy2017-summary.txt",
            "during the year to end March",
            REPORTED,
            SOFTBANK,
            _p("2017-04-01/2018-03-31", "year", "FY2017"),
        ),
        (
            "softbank-fy2017-summary.txt",
            "on Wednesday",
            REPORTED,
            SOFTBANK,
            _p("2018-05-09", "day"),
        ),
        (
            "toyota-q2-fy2018-summary.txt",
            "for the fiscal year ending next March",
            FORWARD,
            TOYOTA,
            _p("2017-04-01/2018-03-31", "year", "FY2018"),
        ),
        (
            "toyota-q2-fy2018-summary.txt",
            "In the July-September quarter",
            REPORTED,
            TOYOTA,
            _p("2017-Q3", "quarter", "FY2018-Q2"),
        ),
        (
            "toyota-q2-fy2018-summary.txt",
            "its fiscal second quarter",
            REPORTED,
            TOYOTA,
            _p("2017-Q3", "quarter", "FY2018-Q2"),
        ),
        (
            "toyota-q2-fy2018-summary.txt",
            "For the first half to September 30",
            REPORTED,
            TOYOTA,
            _p("2017-04-01/2017-09-30", "half", "FY2018-H1"),
        ),
        ("toyota-q2-fy2018-summary.txt", "on Tuesday", REPORTED, TOYOTA, _p("2017-11-07", "day")),
        (
            "infosys-q1-fy2019-summary.txt",
            "for the April-June quarter",
            REPORTED,
            TOYOTA,
            _p("2018-Q2", "quarter", "FY2019-Q1"),
        ),
        (
            "infosys-q1-fy2019-summary.txt",
            "the first quarter of fiscal 2019",
            REPORTED,
            TOYOTA,
            _p("2018-Q2", "quarter", "FY2019-Q1"),
        ),
        (
            "infosys-q1-fy2019-summary.txt",
            "in the March quarter",
            REPORTED,
            TOYOTA,
            _p("2018-Q1", "quarter", "FY2018-Q4"),
        ),
        (
            "infosys-q1-fy2019-summary.txt",
            "the quarter ended June 2017",
            REPORTED,
            TOYOTA,
            _p("2017-Q2", "quarter", "FY2018-Q1"),
        ),
        (
            "infosys-q1-fy2019-summary.txt",
            "for the fiscal year ending March 2019",
            FORWARD,
            TOYOTA,
            _p("2018-04-01/2019-03-31", "year", "FY2019"),
        ),
        (
            "tata-motors-q1-fy2019-summary.txt",
            "for the quarter ended June 30, 2018",
            REPORTED,
            TOYOTA,
            _p("2018-Q2", "quarter", "FY2019-Q1"),
        ),
        (
            "tata-motors-q1-fy2019-summary.txt",
            "in the April-June quarter of 2017-18",
            REPORTED,
            TOYOTA,
            _p("2017-Q2", "quarter", "FY2018-Q1"),
        ),
        (
            "tata-motors-q1-fy2019-summary.txt",
            "over FY19-21",
            FORWARD,
            TOYOTA,
            _p("2018-04-01/2021-03-31", "range", "FY2019-FY2021"),
        ),
        (
            "tata-motors-q1-fy2019-summary.txt",
            "in the first quarter of 2017-18",
            REPORTED,
            TOYOTA,
            _p("2017-Q2", "quarter", "FY2018-Q1"),
        ),
        (
            "vodafone-h1-fy2018-summary.txt",
            "for the six months to September 30",
            REPORTED,
            TOYOTA,
            _p("2017-04-01/2017-09-30", "half", "FY2018-H1"),
        ),
        (
            "vodafone-h1-fy2018-summary.txt",
            "the first half of fiscal 2018",
            REPORTED,
            TOYOTA,
            _p("2017-04-01/2017-09-30", "half", "FY2018-H1"),
        ),
        (
            "vodafone-h1-fy2018-summary.txt",
            "its year ending March 31, 2018",
            FORWARD,
            TOYOTA,
            _p("2017-04-01/2018-03-31", "year", "FY2018"),
        ),
        (
            "bt-fy2017-18-summary.txt",
            "for the year to 31 March 2018",
            REPORTED,
            TOYOTA,
            _p("2017-04-01/2018-03-31", "year", "FY2018"),
        ),
        (
            "bt-fy2017-18-summary.txt",
            "its 2017/18 financial year",
            REPORTED,
            TOYOTA,
            _p("2017-04-01/2018-03-31", "year", "FY2018"),
        ),
        (
            "bt-fy2017-18-summary.txt",
            "For 2018/19",
            FORWARD,
            TOYOTA,
            _p("2018-04-01/2019-03-31", "year", "FY2019"),
        ),
        (
            "bt-fy2017-18-summary.txt",
            "as of 30 June 2017",
            REPORTED,
            TOYOTA,
            _p("2017-06-30", "day"),
        ),
        (
            "netflix-q2-2017-summary.txt",
            "in the second quarter of 2017",
            REPORTED,
            CALENDAR,
            _p("2017-Q2", "quarter"),
        ),
        (
            "netflix-q2-2017-summary.txt",
            "at the end of June",
            REPORTED,
            CALENDAR,
            _p("2017-06-30", "day"),
        ),
        (
            "netflix-q2-2017-summary.txt",
            "at the end of March",
            REPORTED,
            CALENDAR,
            _p("2017-03-31", "day"),
        ),
        (
            "netflix-q2-2017-summary.txt",
            "For the third quarter",
            FORWARD,
            CALENDAR,
            _p("2017-Q3", "quarter"),
        ),
        ("tencent-2017-summary.txt", "for 2017", REPORTED, CALENDAR, _p("2017", "year")),
        (
            "tencent-2017-summary.txt",
            "in the fourth quarter of 2016",
            REPORTED,
            CALENDAR,
            _p("2016-Q4", "quarter"),
        ),
        (
            "huawei-2017-summary.txt",
            "for the whole of 2017",
            REPORTED,
            CALENDAR,
            _p("2017", "year"),
        ),
        (
            "huawei-2017-summary.txt",
            "over the next 10 years",
            FORWARD,
            CALENDAR,
            _p("2018-03-30/2028-03-29", "range"),
        ),
        (
            "volkswagen-2017-summary.txt",
            "for the whole of 2017",
            REPORTED,
            CALENDAR,
            _p("2017", "year"),
        ),
        ("volkswagen-2017-summary.txt", "For 2018", FORWARD, CALENDAR, _p("2018", "year")),
        (
            "canalys-india-q3-2017-summary.txt",
            "in the third quarter of 2016",
            REPORTED,
            CALENDAR,
            _p("2016-Q3", "quarter"),
        ),
        (
            "gartner-pc-q3-2017-summary.txt",
            "in the third quarter of 2017",
            REPORTED,
            CALENDAR,
            _p("2017-Q3", "quarter"),
        ),
    ],
)
def test_every_issue_17_corpus_wording_resolves(
    file_name: str, wording: str, forward: bool, company: dict[str, object], expected: Period
) -> None:
    published, text = _source(file_name)
    assert wording in text
    assert resolve(wording, published, forward=forward, **company) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("wording", "forward", "company", "expected"),
    [
        ("3Q17", REPORTED, CALENDAR, _p("2017-Q3", "quarter")),
        ("in 1H 2017", REPORTED, CALENDAR, _p("2017-H1", "half")),
        ("at the start of the year", REPORTED, CALENDAR, _p("2017-01-01", "day")),
        ("at the beginning of 2016", REPORTED, CALENDAR, _p("2016-01-01", "day")),
        ("over the next two years", FORWARD, CALENDAR, _p("2017-11-08/2019-11-07", "range")),
        ("the 2018 fiscal year", FORWARD, TOYOTA, _p("2017-04-01/2018-03-31", "year", "FY2018")),
        ("the 2018 fiscal year", FORWARD, SOFTBANK, _p("2018-04-01/2019-03-31", "year", "FY2018")),
        (
            "the fiscal year ended December 31, 2016",
            REPORTED,
            CALENDAR,
            _p("2016", "year", "FY2016"),
        ),
        ("their third quarter", REPORTED, CALENDAR, _p("2017-Q3", "quarter")),
    ],
)
def test_more_respellings(
    wording: str, forward: bool, company: dict[str, object], expected: Period
) -> None:
    assert resolve(wording, NOV_8, forward=forward, **company) == expected  # type: ignore[arg-type]


def test_months_outside_the_fiscal_year_named_are_refused() -> None:
    with pytest.raises(PeriodError) as error:
        resolve("the February-April quarter of 2017-18", NOV_8, **TOYOTA)  # type: ignore[arg-type]
    assert str(error.value) == (
        "cannot read period 'the February-April quarter of 2017-18': February to April is not "
        "within FY2018 (2017-04-01/2018-03-31)"
    )


def test_a_full_year_of_a_company_with_another_fiscal_year_is_refused() -> None:
    """ "the full year 2018" of a March-year company may be its fiscal year or the calendar's:
    refused, naming both wordings; "calendar 2018" says which."""
    with pytest.raises(PeriodError) as error:
        resolve("the full year 2018", date(2019, 5, 9), fiscal_year_end_month=3)
    assert str(error.value) == (
        "cannot read period 'the full year 2018': a full year of a company whose fiscal year "
        "ends in March is its fiscal year or the calendar year; write fiscal YYYY (or FYYYYY) "
        "for the fiscal year, calendar YYYY for the calendar year"
    )
    calendar_year = resolve("calendar 2018", date(2019, 5, 9), fiscal_year_end_month=3)
    assert (calendar_year.label, calendar_year.fiscal_label) == ("2018", None)
    for wording in ("the full year 2018", "For the full-year 2018"):  # a calendar-year company
        assert resolve(wording, date(2019, 5, 9)).label == "2018"

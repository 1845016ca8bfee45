import re
from datetime import date
from pathlib import Path

import pytest

from mart.periods import RELATIVE_WORDING_HELP, Period, PeriodError, resolve

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
        ("for the year", "2017", "year", date(2017, 1, 1), date(2017, 12, 31)),
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

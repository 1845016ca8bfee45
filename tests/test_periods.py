from datetime import date

import pytest

from mart.periods import PeriodError, resolve

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
        "'first half of the year', 'in February', 'next 12 months') or as a label "
        "(2017-Q2, 2017-H1, 2016, 2017-02, 2017-07-07)"
    )


def test_impossible_date_is_refused() -> None:
    with pytest.raises(PeriodError, match=r"^cannot read period '2017-02-30': day is out of range"):
        resolve("2017-02-30", PUBLISHED)

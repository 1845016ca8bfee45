"""The corpus sources beside the founding article: their figures, exactly, on both backends."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text

from mart import operations
from tests.conftest import BACKENDS

pytestmark = pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)

APPLE_Q3 = "2017-04-01/2017-07-01"  # fiscal 2017 third quarter, ended on July 1, 2017
D = Decimal


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


# Tesla


def test_tesla_deliveries_are_lower_bounds_by_model(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select period, coalesce(product, ''), value, bound, interval_low, interval_high, "
        "basis, unit, source_count from metric_values "
        "where company = 'Tesla' and metric = 'vehicle_deliveries' order by period, 2",
    ) == [
        ("2017-H1", "", D(47100), "about", D(47050), D(47150), "reported", "units", 1),
        ("2017-Q2", "", D(22000), "at_least", D(22000), None, "reported", "units", 1),
        ("2017-Q2", "Model S", D(12000), "at_least", D(12000), None, "reported", "units", 1),
        ("2017-Q2", "Model X", D(10000), "at_least", D(10000), None, "reported", "units", 1),
    ]


def test_tesla_production_in_the_quarter(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select period, period_start, period_end, value, bound, basis from metric_values "
        "where company = 'Tesla' and metric = 'vehicle_production'",
    ) == [("2017-Q2", date(2017, 4, 1), date(2017, 6, 30), D(25708), "exact", "reported")]


def test_model_3_production_expected_on_the_friday_after_publication(seeded: Engine) -> None:
    # Published on Monday 2017-07-03; an expected "on Friday" looks forward, not back to 06-30.
    assert rows(
        seeded,
        "select metric, product, period, period_start, period_end, value, basis from targets "
        "where company = 'Tesla'",
    ) == [
        (
            "production_start",
            "Model 3",
            "2017-07-07",
            date(2017, 7, 7),
            date(2017, 7, 7),
            D(1),
            "guidance",
        )
    ]


def test_tesla_battery_shortage_in_the_quarter(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select metric, product, period, value, basis from metric_values "
        "where company = 'Tesla' and metric = 'supply_shortage'",
    ) == [("supply_shortage", "100 kWh battery pack", "2017-Q2", D(1), "reported")]


# Apple


def test_apple_fiscal_quarter_revenue_has_calendar_dates(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select period, fiscal_period, period_grain, period_start, period_end, value, bound, "
        "unit, basis, source_count from metric_values where company = 'Apple' "
        "and metric = 'revenue' and region = 'Global' and segment is null "
        "and basis = 'reported' order by period_start",
    ) == [
        (
            "2016-Q2",
            "FY2016-Q3",
            "quarter",
            date(2016, 4, 1),
            date(2016, 6, 30),
            D(42400000000),
            "exact",
            "USD",
            "reported",
            1,
        ),
        (
            APPLE_Q3,
            "FY2017-Q3",
            "quarter",
            date(2017, 4, 1),
            date(2017, 7, 1),
            D(45400000000),
            "exact",
            "USD",
            "reported",
            1,
        ),
    ]


def test_apple_quarter_figures(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select metric, region, coalesce(product, segment, ''), value, unit from metric_values "
        f"where company = 'Apple' and period = '{APPLE_Q3}' and fiscal_period = 'FY2017-Q3' "
        "order by metric, region, 3",
    ) == [
        ("diluted_eps", "Global", "", D("1.67"), "USD"),
        ("diluted_eps_yoy_growth", "Global", "", D(17), "percent"),
        ("gross_margin", "Global", "", D("38.5"), "percent"),
        ("international_revenue_share", "Global", "", D(61), "percent"),
        ("revenue", "Global", "", D(45400000000), "USD"),
        ("revenue", "Global", "Services", D(7270000000), "USD"),
        ("revenue", "Greater China", "", D(8000000000), "USD"),
        ("revenue_record_high", "Global", "Services", D(1), "flag"),
        ("revenue_yoy_growth", "Global", "", D(7), "percent"),
        ("revenue_yoy_growth", "Greater China", "", D(-10), "percent"),
        ("unit_sales", "Global", "Mac", D(4300000), "units"),
        ("unit_sales", "Global", "iPad", D(11400000), "units"),
        ("unit_sales", "Global", "iPhone", D(41000000), "units"),
    ]


def test_apple_growth_stated_beside_computed(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select metric, region, period, compared_with, compared_period, stated_growth_pct, "
        "current_value, compared_value, computed_growth_pct, implied_base_value, "
        "difference_pct from growth where company = 'Apple' and attributed_to is null "
        "order by metric, region",
    ) == [
        (
            "diluted_eps_yoy_growth",
            "Global",
            APPLE_Q3,
            "year_earlier",
            "2016-Q2",
            D(17),
            D("1.67"),
            None,
            None,
            D("1.43"),
            None,
        ),
        (
            "revenue_yoy_growth",
            "Global",
            APPLE_Q3,
            "year_earlier",
            "2016-Q2",
            D(7),
            D(45400000000),
            D(42400000000),
            D("7.08"),
            D("42429906542.06"),
            D("0.08"),
        ),
        (
            "revenue_yoy_growth",
            "Greater China",
            APPLE_Q3,
            "year_earlier",
            "2016-Q2",
            D(-10),
            D(8000000000),
            None,
            None,
            D("8888888888.89"),
            None,
        ),
    ]


def test_apple_guidance_is_an_expected_range_for_fiscal_q4(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select metric, stated_metric, period, fiscal_period, period_start, period_end, value, "
        "value_high, bound, unit, basis, is_disputed from targets where company = 'Apple' "
        "order by metric",
    ) == [
        (
            "gross_margin",
            "gross_margin",
            "2017-Q3",
            "FY2017-Q4",
            date(2017, 7, 1),
            date(2017, 9, 30),
            D("37.5"),
            D(38),
            "range",
            "percent",
            "guidance",
            False,
        ),
        (
            "revenue",
            "revenue",
            "2017-Q3",
            "FY2017-Q4",
            date(2017, 7, 1),
            date(2017, 9, 30),
            D(49000000000),
            D(52000000000),
            "range",
            "USD",
            "guidance",
            False,
        ),
    ]


# Samsung Electronics: the guidance's "about" figures agree with the results' exact ones.


def test_samsung_preliminary_figures_are_revised_by_the_final_ones(seeded: Engine) -> None:
    # The guidance of 2017-07-07 estimates a closed quarter (preliminary, "about"); the results
    # of 2017-07-27 state it exactly: the views show the final figure, revisions the change,
    # which lies within what "about" allowed (about 14 trillion: 13.5 to 14.5 trillion).
    assert rows(
        seeded,
        "select metric, period, value, bound, unit, basis, source_count, is_disputed "
        "from metric_values where company = 'Samsung Electronics' and segment is null "
        "and metric in ('operating_profit', 'revenue') order by metric",
    ) == [
        ("operating_profit", "2017-Q2", D(14070000000000), "exact", "KRW", "reported", 1, False),
        ("revenue", "2017-Q2", D(61000000000000), "exact", "KRW", "reported", 1, False),
    ]
    assert rows(
        seeded,
        "select metric, previous_basis, previous_value, previous_bound, previous_stated_on, "
        "basis, value, stated_on, direction, change_value, change_pct, is_within_previous "
        "from revisions where company = 'Samsung Electronics' order by metric",
    ) == [
        (
            "operating_profit",
            "preliminary",
            D(14000000000000),
            "about",
            date(2017, 7, 7),
            "reported",
            D(14070000000000),
            date(2017, 7, 27),
            "raised",
            D(70000000000),
            D("0.5"),
            True,
        ),
        (
            "revenue",
            "preliminary",
            D(60000000000000),
            "about",
            date(2017, 7, 7),
            "reported",
            D(61000000000000),
            date(2017, 7, 27),
            "raised",
            D(1000000000000),
            D("1.6667"),
            True,
        ),
    ]


def test_samsung_records_and_segment(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select metric, coalesce(segment, ''), period, value, unit, source_count "
        "from metric_values where company = 'Samsung Electronics' and attributed_to is null "
        "and (metric not in ('operating_profit', 'revenue') or segment is not null) "
        "order by metric, 2",
    ) == [
        ("operating_profit", "Semiconductor", "2017-Q2", D(8030000000000), "KRW", 1),
        ("operating_profit_record_high", "", "2017-Q2", D(1), "flag", 1),
        ("operating_profit_yoy_growth", "", "2017-Q2", D(72), "percent", 1),
        ("results_announcement", "", "2017-07-07", D(1), "flag", 1),
        ("revenue_record_high", "", "2017-Q2", D(1), "flag", 1),
    ]


def test_samsung_year_earlier_operating_profit_implied_by_the_growth(seeded: Engine) -> None:
    # 14.07 trillion / 1.72 = 8,180,232,558,139.5349, so .53 at two decimals (a division in
    # double precision gives ...139.535 and rounds it up to .54).
    assert rows(
        seeded,
        "select period, compared_period, stated_growth_pct, current_value, implied_base_value "
        "from growth where company = 'Samsung Electronics' and attributed_to is null",
    ) == [("2017-Q2", "2016-Q2", D(72), D(14070000000000), D("8180232558139.53"))]


# Reliance Jio


def test_jio_subscribers_are_attributed_lower_bounds(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select metric, coalesce(product, ''), period, value, bound, unit, attributed_to "
        "from metric_values where company = 'Reliance Jio' and basis = 'reported' "
        "order by metric",
    ) == [
        ("days_since_launch", "Jio", "2017-02-21", D(170), "exact", "days", "Mukesh Ambani"),
        (
            "subscriber_additions_per_second",
            "",
            "2017-02-21",
            D(7),
            "about",
            "subscribers",
            "Mukesh Ambani",
        ),
        (
            "subscribers",
            "",
            "2017-02-21",
            D(100000000),
            "at_least",
            "subscribers",
            "Mukesh Ambani",
        ),
    ]


def test_jio_plans_and_prices_in_rupees(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select metric, product, period, period_start, period_end, value, unit, basis "
        "from targets where company = 'Reliance Jio' order by metric",
    ) == [
        (
            "monthly_price",
            "Jio Prime unlimited plan",
            "2017-04-01/..",
            date(2017, 4, 1),
            None,
            D(303),
            "INR",
            "planned",
        ),
        (
            "one_time_fee",
            "Jio Prime",
            "2017-04-01/..",
            date(2017, 4, 1),
            None,
            D(99),
            "INR",
            "planned",
        ),
        (
            "service_end",
            "Jio free services",
            "2017-03-31",
            date(2017, 3, 31),
            date(2017, 3, 31),
            D(1),
            "flag",
            "planned",
        ),
    ]


# Every figure of every corpus text, one statement each, and the founding figures unchanged.

EVERY_FIGURE = {
    "apple-q3-fy2017-summary": [
        f"revenue | {APPLE_Q3} | - | 45400000000 | exact | USD | reported",
        "revenue | 2016-Q2 | - | 42400000000 | exact | USD | reported",
        f"revenue_yoy_growth | {APPLE_Q3} | - | 7 | exact | percent | reported",
        f"diluted_eps | {APPLE_Q3} | - | 1.67 | exact | USD | reported",
        f"diluted_eps_yoy_growth | {APPLE_Q3} | - | 17 | exact | percent | reported",
        f"gross_margin | {APPLE_Q3} | - | 38.5 | exact | percent | reported",
        f"international_revenue_share | {APPLE_Q3} | - | 61 | exact | percent | reported",
        f"unit_sales | {APPLE_Q3} | Mac | 4300000 | exact | units | reported",
        f"unit_sales | {APPLE_Q3} | iPad | 11400000 | exact | units | reported",
        f"unit_sales | {APPLE_Q3} | iPhone | 41000000 | exact | units | reported",
        f"revenue | {APPLE_Q3} | Services | 7270000000 | exact | USD | reported",
        f"revenue_record_high | {APPLE_Q3} | Services | 1 | exact | flag | reported",
        f"revenue | {APPLE_Q3} | Greater China | 8000000000 | exact | USD | reported",
        f"revenue_yoy_growth | {APPLE_Q3} | Greater China | -10 | exact | percent | reported",
        "gross_margin | 2017-Q3 | - | 37.5..38 | range | percent | guidance",
        "revenue | 2017-Q3 | - | 49000000000..52000000000 | range | USD | guidance",
    ],
    "samsung-q2-2017-guidance-summary": [
        "operating_profit | 2017-Q2 | - | 14000000000000 | about | KRW | preliminary",
        "revenue | 2017-Q2 | - | 60000000000000 | about | KRW | preliminary",
        "results_announcement | 2017-07-07 | - | 1 | exact | flag | reported",
        "operating_profit_record_high | 2017-Q2 | - | 1 | exact | flag | preliminary",
        "revenue_record_high | 2017-Q2 | - | 1 | exact | flag | preliminary",
        "operating_profit_yoy_growth | 2017-Q2 | - | 72 | exact | percent | preliminary",
    ],
    "samsung-q2-2017-results-summary": [
        "operating_profit | 2017-Q2 | - | 14070000000000 | exact | KRW | reported",
        "operating_profit_record_high | 2017-Q2 | - | 1 | exact | flag | reported",
        "revenue_record_high | 2017-Q2 | - | 1 | exact | flag | reported",
        "revenue | 2017-Q2 | - | 61000000000000 | exact | KRW | reported",
        "operating_profit | 2017-Q2 | Semiconductor | 8030000000000 | exact | KRW | reported",
    ],
    "tesla-q2-2017-deliveries-summary": [
        "vehicle_deliveries | 2017-Q2 | - | 22000 | at_least | units | reported",
        "vehicle_deliveries | 2017-Q2 | Model S | 12000 | at_least | units | reported",
        "vehicle_deliveries | 2017-Q2 | Model X | 10000 | at_least | units | reported",
        "vehicle_deliveries | 2017-H1 | - | 47100 | about | units | reported",
        "supply_shortage | 2017-Q2 | 100 kWh battery pack | 1 | exact | flag | reported",
        "vehicle_production | 2017-Q2 | - | 25708 | exact | units | reported",
        "production_start | 2017-07-07 | Model 3 | 1 | exact | flag | guidance",
    ],
    "reliance-jio-2017-02-21-summary": [
        "days_since_launch | 2017-02-21 | Jio | 170 | exact | days | reported",
        "subscribers | 2017-02-21 | - | 100000000 | at_least | subscribers | reported",
        "subscriber_additions_per_second | 2017-02-21 | - | 7 | about | subscribers | reported",
        "service_end | 2017-03-31 | Jio free services | 1 | exact | flag | planned",
        "monthly_price | 2017-04-01/.. | Jio Prime unlimited plan | 303 | exact | INR | planned",
        "one_time_fee | 2017-04-01/.. | Jio Prime | 99 | exact | INR | planned",
    ],
}


def figure(row: tuple[object, ...]) -> str:
    """A statement as one line: metric | period | what of | value | bound | unit | basis."""

    def number(value: object) -> str:
        return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)

    metric, period, of, value, value_high, bound, unit, basis = row
    shown = number(value) + ("" if value_high is None else ".." + number(value_high))
    return " | ".join(str(part) for part in (metric, period, of, shown, bound, unit, basis))


@pytest.mark.parametrize("source_key", sorted(EVERY_FIGURE))
def test_every_figure_of_the_text_is_stored(seeded: Engine, source_key: str) -> None:
    found = rows(
        seeded,
        "select metric, period, coalesce(product, segment, nullif(region, 'Global'), '-'), "
        "value, value_high, bound, unit, basis from fact_provenance "
        f"where source_key = '{source_key}' order by quote_start, metric, 3",
    )
    assert [figure(row) for row in found] == EVERY_FIGURE[source_key]


def test_founding_figures_are_unchanged(seeded: Engine) -> None:
    assert rows(
        seeded,
        "select company, period, units, basis, qoq_growth_pct, source_count "
        "from shipments_quarterly where attributed_to is null order by period",
    ) == [
        ("Xiaomi", "2017-Q1", D("13623529.41"), "implied", None, 2),
        ("Xiaomi", "2017-Q2", D(23160000), "reported", D(70), 2),
    ]
    assert rows(
        seeded,
        "select company, region, period, yoy_growth_pct, growth_multiple, attributed_to, "
        "source_count from revenue_growth where company = 'Xiaomi'",
    ) == [("Xiaomi", "India", "2017-H1", D(328), D("4.28"), None, 2)]
    assert rows(
        seeded,
        "select company, metric, period, value, unit, source_count from targets "
        "where company = 'Xiaomi' and metric = 'revenue' order by unit",
    ) == [
        ("Xiaomi", "revenue", "2017", D(100000000000), "CNY", 2),
        ("Xiaomi", "revenue", "2017", D(14710000000), "USD", 1),
    ]


def test_founding_store_plan_is_as_of_the_announcement(seeded: Engine) -> None:
    # "Xiaomi is expecting to open another 14 stores", said on Friday 2017-07-07: the plan is
    # as stated that day (stores_planned), not for the Friday after publication.
    assert rows(
        seeded,
        "select company, region, store_brand, as_of, open_stores, planned_openings, "
        "stores_after_plan, source_count from store_footprint order by region, as_of",
    ) == [
        ("Xiaomi", "China", "Mi Home", date(2017, 7, 7), 123, 14, 137, 2),
        ("Xiaomi", "India", "Mi Home", date(2017, 7, 7), None, None, None, 1),
    ]


def test_all_checks_pass_with_the_corpus_loaded(seeded: Engine) -> None:
    loaded = rows(seeded, "select count(*) from source")
    assert loaded == [(19,)]
    results = operations.check(seeded)
    assert [r.check.name for r in results if not r.passed] == []

"""Corpus texts of companies with March fiscal years (SoftBank, Toyota, Infosys, Tata Motors,
Vodafone, BT): their figures as an analyst asks for them, exactly, on both backends.

The whole seeds directory is loaded once per backend (module scope): these tests only read.
"""

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import make_engine
from tests.conftest import BACKENDS, fresh_postgres_database
from tests.test_corpus import figure, rows

D = Decimal
APRIL_2017_TO_MARCH_2018 = "2017-04-01/2018-03-31"
APRIL_TO_SEPTEMBER_2017 = "2017-04-01/2017-09-30"
APRIL_2018_TO_MARCH_2019 = "2018-04-01/2019-03-31"


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A mart built from every seed file, once per backend."""
    with ExitStack() as stack:
        if request.param == "postgresql":
            admin = request.getfixturevalue("postgres_admin")
            url = stack.enter_context(fresh_postgres_database(admin))
        else:
            url = f"duckdb:///{tmp_path_factory.mktemp('corpus') / 'mart.duckdb'}"
        engine = make_engine(url)
        stack.callback(engine.dispose)
        operations.upgrade(engine)
        operations.seed(engine, [DEFAULT_SEEDS_DIR])
        yield engine


# SoftBank: fiscal years named by the year they start.


def test_softbank_fiscal_2017_runs_from_april_2017_to_march_2018(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, fiscal_period, period_grain, period_start, period_end, value, "
        "unit, basis from metric_values where company = 'SoftBank Group' and segment is null "
        "and metric in ('revenue', 'operating_profit', 'net_income_attributable', "
        "'operating_margin', 'discontinued_operations_gain') order by period_start, metric",
    ) == [
        (
            "discontinued_operations_gain",
            "2016-04-01/2017-03-31",
            "FY2016",
            "year",
            date(2016, 4, 1),
            date(2017, 3, 31),
            D(555000000000),
            "JPY",
            "reported",
        ),
        (
            "net_income_attributable",
            APRIL_2017_TO_MARCH_2018,
            "FY2017",
            "year",
            date(2017, 4, 1),
            date(2018, 3, 31),
            D(1038977000000),
            "JPY",
            "reported",
        ),
        (
            "operating_margin",
            APRIL_2017_TO_MARCH_2018,
            "FY2017",
            "year",
            date(2017, 4, 1),
            date(2018, 3, 31),
            D("14.2"),
            "percent",
            "reported",
        ),
        (
            "operating_profit",
            APRIL_2017_TO_MARCH_2018,
            "FY2017",
            "year",
            date(2017, 4, 1),
            date(2018, 3, 31),
            D(1303801000000),
            "JPY",
            "reported",
        ),
        (
            "revenue",
            APRIL_2017_TO_MARCH_2018,
            "FY2017",
            "year",
            date(2017, 4, 1),
            date(2018, 3, 31),
            D(9158765000000),
            "JPY",
            "reported",
        ),
    ]


def test_softbank_fiscal_2017_and_toyota_fy2018_are_the_same_dates(corpus: Engine) -> None:
    # One company names the year by its start, the other by its end: same calendar period.
    assert rows(
        corpus,
        "select distinct company, period, fiscal_period from metric_values "
        "where company in ('SoftBank Group', 'Toyota Motor') and period_grain = 'year' "
        "and period_start = date '2017-04-01' order by company",
    ) == [
        ("SoftBank Group", APRIL_2017_TO_MARCH_2018, "FY2017"),
        ("Toyota Motor", APRIL_2017_TO_MARCH_2018, "FY2018"),
    ]


def test_softbank_operating_margin_is_stated_and_computable(corpus: Engine) -> None:
    # 1,303,801 / 9,158,765 = 14.24 %, stated as 14.2 percent of net sales.
    assert rows(
        corpus,
        "select m.value, cast(100 * p.value / r.value as decimal(10, 1)) from metric_values as m "
        "join metric_values as p on p.company = m.company and p.period = m.period "
        "and p.metric = 'operating_profit' and p.segment is null "
        "join metric_values as r on r.company = m.company and r.period = m.period "
        "and r.metric = 'revenue' and r.segment is null "
        "where m.company = 'SoftBank Group' and m.metric = 'operating_margin'",
    ) == [(D("14.2"), D("14.2"))]


def test_softbank_segments_in_yen_and_sprint_in_dollars(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, segment, region, value, unit from metric_values "
        "where company = 'SoftBank Group' and segment is not null "
        "and metric in ('revenue', 'net_income', 'investment_valuation_gain') "
        "and fiscal_period = 'FY2017' order by segment, metric, unit",
    ) == [
        ("revenue", "Domestic Telecommunications", "Japan", D(3230000000000), "JPY"),
        ("revenue", "Mobile (Japan)", "Japan", D(1800000000000), "JPY"),
        ("revenue", "Product sales (Japan)", "Japan", D(823000000000), "JPY"),
        ("net_income", "Sprint", "Global", D(685000000000), "JPY"),
        ("revenue", "Sprint", "Global", D(3600000000000), "JPY"),
        ("revenue", "Sprint", "Global", D(32400000000), "USD"),
        ("investment_valuation_gain", "Vision Fund", "Global", D(346000000000), "JPY"),
    ]


def test_softbank_subscribers_at_the_end_of_the_fiscal_fourth_quarter(corpus: Engine) -> None:
    # "the fourth quarter of the fiscal year", published 2018-05-09: January to March 2018.
    assert rows(
        corpus,
        "select segment, metric, fiscal_period, period_start, period_end, value, unit "
        "from metric_values where company = 'SoftBank Group' "
        "and metric in ('subscribers', 'arpu') order by period_start desc, segment, metric",
    ) == [
        (
            "Domestic Telecommunications",
            "arpu",
            "FY2017-Q4",
            date(2018, 1, 1),
            date(2018, 3, 31),
            D(4350),
            "JPY",
        ),
        (
            "Domestic Telecommunications",
            "subscribers",
            "FY2017-Q4",
            date(2018, 1, 1),
            date(2018, 3, 31),
            D(33200000),
            "subscribers",
        ),
        (
            "Sprint",
            "subscribers",
            "FY2017",
            date(2017, 4, 1),
            date(2018, 3, 31),
            D(54600000),
            "subscribers",
        ),
    ]


# Toyota: fiscal years named by the year they end; the raised outlook.


def test_toyota_outlook_for_the_fiscal_year_ending_next_march(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, fiscal_period, value, bound, unit, basis, stated_on "
        "from targets where company = 'Toyota Motor' and basis = 'guidance' order by metric",
    ) == [
        (
            "net_income_attributable",
            APRIL_2017_TO_MARCH_2018,
            "FY2018",
            D(1950000000000),
            "exact",
            "JPY",
            "guidance",
            date(2017, 11, 7),
        ),
        (
            "operating_profit",
            APRIL_2017_TO_MARCH_2018,
            "FY2018",
            D(2000000000000),
            "exact",
            "JPY",
            "guidance",
            date(2017, 11, 7),
        ),
        (
            "revenue",
            APRIL_2017_TO_MARCH_2018,
            "FY2018",
            D(28500000000000),
            "exact",
            "JPY",
            "guidance",
            date(2017, 11, 7),
        ),
        (
            "unit_sales",
            APRIL_2017_TO_MARCH_2018,
            "FY2018",
            D(8950000),
            "exact",
            "units",
            "guidance",
            date(2017, 11, 7),
        ),
    ]


def test_toyota_fiscal_second_quarter_against_a_year_earlier(corpus: Engine) -> None:
    # Levels stated for both quarters, growth computed (no rate is stated).
    assert rows(
        corpus,
        "select metric, period, compared_period, stated_growth_pct, current_value, "
        "compared_value, computed_growth_pct from growth where company = 'Toyota Motor' "
        "and period = '2017-Q3' order by metric",
    ) == [
        (
            "net_income_attributable_yoy_growth",
            "2017-Q3",
            "2016-Q3",
            None,
            D(458270000000),
            D(393710000000),
            D("16.40"),
        ),
        (
            "operating_profit_yoy_growth",
            "2017-Q3",
            "2016-Q3",
            None,
            D(522250000000),
            D(474640000000),
            D("10.03"),
        ),
        (
            "revenue_yoy_growth",
            "2017-Q3",
            "2016-Q3",
            None,
            D(7140000000000),
            D(6480000000000),
            D("10.19"),
        ),
    ]
    assert rows(
        corpus,
        "select distinct fiscal_period, period_start, period_end from metric_values "
        "where company = 'Toyota Motor' and period_grain = 'quarter' order by period_start",
    ) == [
        ("FY2017-Q2", date(2016, 7, 1), date(2016, 9, 30)),
        ("FY2018-Q2", date(2017, 7, 1), date(2017, 9, 30)),
    ]


def test_toyota_first_half(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, fiscal_period, value, unit from metric_values "
        "where company = 'Toyota Motor' and period_grain = 'half' order by period, metric",
    ) == [
        ("operating_profit", "2016-04-01/2016-09-30", "FY2017-H1", D(1116800000000), "JPY"),
        ("dividend_per_share", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(100), "JPY"),
        ("operating_profit", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(1096500000000), "JPY"),
        # "a decrease of 20.3 billion yen": the change on the half a year earlier.
        (
            "operating_profit_yoy_change",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D(-20300000000),
            "JPY",
        ),
        ("revenue", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(14191200000000), "JPY"),
        ("revenue_yoy_growth", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D("8.6"), "percent"),
        ("unit_sales", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(4389435), "units"),
        ("unit_sales_yoy_change", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(25898), "units"),
    ]
    # The half-year operating income slipped: 1.0965 trillion on 1.1168 trillion.
    assert rows(
        corpus,
        "select computed_growth_pct from growth where company = 'Toyota Motor' "
        "and metric = 'operating_profit_yoy_growth' and period = '2017-04-01/2017-09-30'",
    ) == [(D("-1.82"),)]


def test_toyota_buyback_is_an_upper_bound_planned_on_the_day(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, value, bound, unit, basis from targets "
        "where company = 'Toyota Motor' and basis = 'planned' order by metric",
    ) == [
        ("share_buyback_plan", "2017-11-07", D(250000000000), "at_most", "JPY", "planned"),
        ("share_buyback_plan_shares", "2017-11-07", D(45000000), "at_most", "shares", "planned"),
    ]


# Infosys: crore, "the March quarter", a missed consensus, guidance ranges.


def test_infosys_net_profit_by_quarter_in_crore(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select fiscal_period, period_start, period_end, value, unit, basis, "
        "coalesce(attributed_to, '') from metric_values where company = 'Infosys' "
        "and metric = 'net_income' order by period_start, basis",
    ) == [
        ("FY2018-Q1", date(2017, 4, 1), date(2017, 6, 30), D(34830000000), "INR", "reported", ""),
        ("FY2018-Q4", date(2018, 1, 1), date(2018, 3, 31), D(36900000000), "INR", "reported", ""),
        (
            "FY2019-Q1",
            date(2018, 4, 1),
            date(2018, 6, 30),
            D(37400000000),
            "INR",
            "consensus",
            "Analysts (Thomson Reuters data)",
        ),
        ("FY2019-Q1", date(2018, 4, 1), date(2018, 6, 30), D(36120000000), "INR", "reported", ""),
    ]


def test_infosys_missed_the_analysts_consensus(corpus: Engine) -> None:
    # 3,612 crore against 3,740 crore expected: (3612 - 3740) / 3740 = -3.42 %.
    assert rows(
        corpus,
        "select metric, fiscal_period, actual_value, expected_basis, expected_by, "
        "expected_value, round(surprise_pct, 2), outcome from expectations "
        "where company = 'Infosys'",
    ) == [
        (
            "net_income",
            "FY2019-Q1",
            D(36120000000),
            "consensus",
            "Analysts (Thomson Reuters data)",
            D(37400000000),
            D("-3.42"),
            "missed",
        )
    ]


def test_infosys_net_profit_growth_stated_and_computed(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, compared_period, stated_growth_pct, computed_growth_pct, "
        "difference_pct from growth where company = 'Infosys' "
        "and metric like 'net_income_%' order by metric",
    ) == [
        ("net_income_qoq_growth", "2018-Q1", D("-2.1"), D("-2.11"), D("-0.01")),
        ("net_income_yoy_growth", "2017-Q2", D("3.7"), D("3.70"), D("0.00")),
    ]


def test_infosys_guidance_and_target_for_fiscal_2019(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, fiscal_period, value, value_high, bound, unit, basis "
        "from targets where company = 'Infosys' order by metric",
    ) == [
        (
            "operating_margin",
            APRIL_2018_TO_MARCH_2019,
            "FY2019",
            D(22),
            D(24),
            "range",
            "percent",
            "target",
        ),
        (
            "revenue_yoy_growth_constant_currency",
            APRIL_2018_TO_MARCH_2019,
            "FY2019",
            D(6),
            D(8),
            "range",
            "percent",
            "guidance",
        ),
    ]


# Tata Motors: a loss against a profit, JLR in pounds, lakh-style digit grouping.


def test_tata_motors_consolidated_loss_and_standalone_profit(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select coalesce(segment, 'Consolidated'), metric, fiscal_period, value, unit "
        "from metric_values where company = 'Tata Motors' "
        "and metric in ('net_income', 'revenue') and unit = 'INR' "
        "order by 1, metric, period_start",
    ) == [
        ("Consolidated", "net_income", "FY2018-Q1", D("31999300000"), "INR"),
        ("Consolidated", "net_income", "FY2019-Q1", D("-18625700000"), "INR"),
        ("Consolidated", "revenue", "FY2018-Q1", D("598182200000"), "INR"),
        ("Consolidated", "revenue", "FY2019-Q1", D("670812900000"), "INR"),
        ("Standalone", "net_income", "FY2018-Q1", D("-4631400000"), "INR"),
        ("Standalone", "net_income", "FY2019-Q1", D("11876500000"), "INR"),
        ("Standalone", "revenue", "FY2018-Q1", D("103661900000"), "INR"),
        ("Standalone", "revenue", "FY2019-Q1", D("168031100000"), "INR"),
    ]


def test_jlr_loss_before_tax_in_pounds_and_about_in_rupees(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select fiscal_period, value, bound, interval_low, interval_high, unit "
        "from metric_values where company = 'Tata Motors' and metric = 'profit_before_tax' "
        "order by unit",
    ) == [
        ("FY2019-Q1", D(-264000000), "exact", D(-264500000), D(-263500000), "GBP"),
        ("FY2019-Q1", D(-23760000000), "about", D(-23765000000), D(-23755000000), "INR"),
    ]


def test_jlr_retail_sales_by_brand_sum_to_the_total(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select coalesce(product, 'JLR'), value from metric_values "
        "where company = 'Tata Motors' and metric = 'retail_sales' order by value desc",
    ) == [("JLR", D(145510)), ("Land Rover", D(101386)), ("Jaguar", D(44124))]
    # "1,01,386" in Indian digit grouping.
    assert rows(
        corpus,
        "select wording, value from fact_provenance where product = 'Land Rover'",
    ) == [("1,01,386 were Land Rovers", D(101386))]


def test_jlr_ebit_margin_against_its_target_over_fy19_21(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select basis, period, fiscal_period, period_start, period_end, value, value_high, "
        "bound from metric_values where company = 'Tata Motors' and metric = 'ebit_margin' "
        "order by period_start, basis",
    ) == [
        (
            "reported",
            "2018-Q2",
            "FY2019-Q1",
            date(2018, 4, 1),
            date(2018, 6, 30),
            D("-3.7"),
            None,
            "exact",
        ),
        (
            "target",
            "2018-04-01/2021-03-31",
            "FY2019-FY2021",
            date(2018, 4, 1),
            date(2021, 3, 31),
            D(4),
            D(7),
            "range",
        ),
    ]


def test_no_growth_rate_is_computed_between_a_loss_and_a_profit(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select company, coalesce(segment, ''), current_value, compared_value, "
        "computed_growth_pct from growth where metric = 'net_income_yoy_growth' "
        "and company in ('Tata Motors', 'Vodafone Group') order by 1, 2",
    ) == [
        ("Tata Motors", "", D(-18625700000), D(31999300000), None),
        ("Tata Motors", "Standalone", D(11876500000), D(-4631400000), None),
        ("Vodafone Group", "", D(1240000000), D(-5000000000), None),
    ]


# Vodafone: the raised outlook with its bounds, the first half, a year-earlier loss.


def test_vodafone_outlook_for_fiscal_2018(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, fiscal_period, value, value_high, bound, unit, basis from targets "
        "where company = 'Vodafone Group' order by metric",
    ) == [
        ("adjusted_ebitda", "FY2018", D(14750000000), D(14950000000), "range", "EUR", "guidance"),
        ("adjusted_ebitda_organic_growth", "FY2018", D(10), None, "about", "percent", "guidance"),
        ("free_cash_flow", "FY2018", D(5000000000), None, "at_least", "EUR", "guidance"),
    ]


def test_raised_outlooks_are_revisions_of_forecasts_stated_earlier(corpus: Engine) -> None:
    # Toyota: "up from its earlier forecast", "instead of"; Vodafone: "earlier guidance of 4 to
    # 8 percent growth and a range of 14 billion to 14.5 billion euros". A range moves by its
    # middle (14.25 to 14.85 billion).
    assert rows(
        corpus,
        "select company, metric, fiscal_period, previous_value, previous_value_high, "
        "previous_bound, previous_stated_on, value, value_high, bound, stated_on, direction, "
        "change_value, change_pct from revisions "
        "where company in ('Toyota Motor', 'Vodafone Group') and metric <> 'free_cash_flow' "
        "order by company, metric",
    ) == [
        (
            "Toyota Motor",
            "net_income_attributable",
            "FY2018",
            D(1750000000000),
            None,
            "exact",
            date(2017, 11, 6),
            D(1950000000000),
            None,
            "exact",
            date(2017, 11, 7),
            "raised",
            D(200000000000),
            D("11.4286"),
        ),
        (
            "Toyota Motor",
            "operating_profit",
            "FY2018",
            D(1850000000000),
            None,
            "exact",
            date(2017, 11, 6),
            D(2000000000000),
            None,
            "exact",
            date(2017, 11, 7),
            "raised",
            D(150000000000),
            D("8.1081"),
        ),
        # "lifted its consolidated vehicle sales forecast ... from 8.9 million to 8.95 million"
        (
            "Toyota Motor",
            "unit_sales",
            "FY2018",
            D(8900000),
            None,
            "exact",
            date(2017, 11, 6),
            D(8950000),
            None,
            "exact",
            date(2017, 11, 7),
            "raised",
            D(50000),
            D("0.5618"),
        ),
        (
            "Vodafone Group",
            "adjusted_ebitda",
            "FY2018",
            D(14000000000),
            D(14500000000),
            "range",
            date(2017, 11, 13),
            D(14750000000),
            D(14950000000),
            "range",
            date(2017, 11, 14),
            "raised",
            D(600000000),
            D("4.2105"),
        ),
        (
            "Vodafone Group",
            "adjusted_ebitda_organic_growth",
            "FY2018",
            D(4),
            D(8),
            "range",
            date(2017, 11, 13),
            D(10),
            None,
            "about",
            date(2017, 11, 14),
            "raised",
            D(4),
            D("66.6667"),
        ),
    ]


def test_free_cash_flow_outlook_raised_from_around_to_more_than(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select previous_bound, bound, direction from revisions "
        "where company = 'Vodafone Group' and metric = 'free_cash_flow'",
    ) == [("about", "at_least", "raised")]


def test_vodafone_first_half_of_fiscal_2018(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, region, period, fiscal_period, value, unit from metric_values "
        "where company = 'Vodafone Group' and basis = 'reported' and period_grain = 'half' "
        "order by period, metric, region",
    ) == [
        ("net_income", "Global", "2016-04-01/2016-09-30", "FY2017-H1", D(-5000000000), "EUR"),
        ("adjusted_ebitda", "Global", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(7400000000), "EUR"),
        (
            "adjusted_ebitda_organic_growth",
            "Global",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D(13),
            "percent",
        ),
        (
            "adjusted_ebitda_yoy_growth",
            "India",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D("-39.2"),
            "percent",
        ),
        ("dividend_per_share", "Global", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D("0.0484"), "EUR"),
        (
            "dividend_per_share_yoy_growth",
            "Global",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D("2.1"),
            "percent",
        ),
        ("net_income", "Global", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(1240000000), "EUR"),
        ("operating_profit", "Global", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(2000000000), "EUR"),
        (
            "operating_profit_yoy_growth",
            "Global",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D("32.5"),
            "percent",
        ),
        ("revenue", "Global", APRIL_TO_SEPTEMBER_2017, "FY2018-H1", D(23100000000), "EUR"),
        (
            "revenue_yoy_growth",
            "Global",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D("-4.1"),
            "percent",
        ),
        (
            "service_revenue_organic_growth",
            "Global",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D("1.7"),
            "percent",
        ),
        (
            "service_revenue_yoy_growth",
            "India",
            APRIL_TO_SEPTEMBER_2017,
            "FY2018-H1",
            D("-15.8"),
            "percent",
        ),
    ]


# BT: "2017/18" and "2018/19", pounds and pence, plans.


def test_bt_2017_18_results_in_pounds_and_pence(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, fiscal_period, value, unit from metric_values "
        "where company = 'BT Group' and basis = 'reported' and unit in ('GBP') "
        "and period_grain = 'year' order by period, metric",
    ) == [
        ("basic_eps", "2016-04-01/2017-03-31", "FY2017", D("0.192"), "GBP"),
        ("adjusted_ebitda", APRIL_2017_TO_MARCH_2018, "FY2018", D(7505000000), "GBP"),
        ("adjusted_profit_before_tax", APRIL_2017_TO_MARCH_2018, "FY2018", D(3440000000), "GBP"),
        ("basic_eps", APRIL_2017_TO_MARCH_2018, "FY2018", D("0.205"), "GBP"),
        ("cost_savings", APRIL_2017_TO_MARCH_2018, "FY2018", D(180000000), "GBP"),
        ("dividend_per_share", APRIL_2017_TO_MARCH_2018, "FY2018", D("0.154"), "GBP"),
        ("profit_before_tax", APRIL_2017_TO_MARCH_2018, "FY2018", D(2616000000), "GBP"),
        ("revenue", APRIL_2017_TO_MARCH_2018, "FY2018", D(23723000000), "GBP"),
    ]


def test_bt_fourth_quarter_beside_the_year(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, fiscal_period, period_start, period_end, value from metric_values "
        "where company = 'BT Group' and period_grain = 'quarter' order by metric",
    ) == [
        ("adjusted_ebitda", "FY2018-Q4", date(2018, 1, 1), date(2018, 3, 31), D(2083000000)),
        ("adjusted_ebitda_yoy_growth", "FY2018-Q4", date(2018, 1, 1), date(2018, 3, 31), D(1)),
        ("revenue", "FY2018-Q4", date(2018, 1, 1), date(2018, 3, 31), D(5967000000)),
        ("revenue_yoy_growth", "FY2018-Q4", date(2018, 1, 1), date(2018, 3, 31), D(-3)),
    ]


def test_bt_outlook_for_2018_19_and_three_year_plan(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, coalesce(fiscal_period, ''), value, value_high, bound, unit, "
        "basis from targets where company = 'BT Group' order by basis, metric",
    ) == [
        (
            "adjusted_ebitda",
            APRIL_2018_TO_MARCH_2019,
            "FY2019",
            D(7300000000),
            D(7400000000),
            "range",
            "GBP",
            "guidance",
        ),
        (
            "capital_expenditure",
            APRIL_2018_TO_MARCH_2019,
            "FY2019",
            D(3700000000),
            None,
            "about",
            "GBP",
            "guidance",
        ),
        (
            "free_cash_flow",
            APRIL_2018_TO_MARCH_2019,
            "FY2019",
            D(2300000000),
            D(2500000000),
            "range",
            "GBP",
            "guidance",
        ),
        (
            "underlying_revenue_yoy_growth",
            APRIL_2018_TO_MARCH_2019,
            "FY2019",
            D(-2),
            None,
            "about",
            "percent",
            "guidance",
        ),
        ("hires", "2018-05-10/2021-05-09", "", D(6000), None, "about", "people", "planned"),
        ("job_cuts", "2018-05-10/2021-05-09", "", D(13000), None, "exact", "people", "planned"),
        (
            "restructuring_cost",
            "2018-05-10/2021-05-09",
            "",
            D(800000000),
            None,
            "exact",
            "GBP",
            "planned",
        ),
    ]


def test_bt_pension_deficit_as_of_a_day(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select period, period_grain, value, unit from metric_values "
        "where company = 'BT Group' and metric = 'pension_deficit'",
    ) == [("2017-06-30", "day", D(11300000000), "GBP")]


# Every figure of every text of this group, one statement each.

EVERY_FIGURE = {
    "softbank-fy2017-summary": [
        "results_announcement | 2018-05-09 | - | 1 | exact | flag | reported",
        "net_income_attributable | FY2017 | - | 1038977000000 | exact | JPY | reported",
        "net_income_attributable_yoy_growth | FY2017 | - | -27.2 | exact | percent | reported",
        "revenue | FY2017 | - | 9158765000000 | exact | JPY | reported",
        "revenue_yoy_growth | FY2017 | - | 2.9 | exact | percent | reported",
        "operating_profit | FY2017 | - | 1303801000000 | exact | JPY | reported",
        "operating_profit_yoy_growth | FY2017 | - | 27.1 | exact | percent | reported",
        "operating_margin | FY2017 | - | 14.2 | exact | percent | reported",
        "discontinued_operations_gain | FY2016 | - | 555000000000 | exact | JPY | reported",
        "net_income | FY2017 | Sprint | 685000000000 | exact | JPY | reported",
        "investment_valuation_gain | FY2017 | Vision Fund | 346000000000 | exact | JPY | reported",
        "revenue | FY2017 | Domestic Telecommunications | 3230000000000 | exact | JPY | reported",
        "revenue_yoy_growth | FY2017 | Domestic Telecommunications | 1.1 | exact | percent"
        " | reported",
        "revenue | FY2017 | Mobile (Japan) | 1800000000000 | exact | JPY | reported",
        "revenue_yoy_growth | FY2017 | Mobile (Japan) | -4 | exact | percent | reported",
        "revenue | FY2017 | Product sales (Japan) | 823000000000 | exact | JPY | reported",
        "revenue_yoy_growth | FY2017 | Product sales (Japan) | 6.8 | exact | percent | reported",
        "arpu | FY2017-Q4 | Domestic Telecommunications | 4350 | exact | JPY | reported",
        "subscribers | FY2017-Q4 | Domestic Telecommunications | 33200000 | exact | subscribers"
        " | reported",
        # Absolute changes (issue 18): on a year earlier, a fall negative.
        "subscribers_yoy_change | FY2017-Q4 | Domestic Telecommunications | 775000 | exact | "
        "subscribers | reported",
        "arpu_yoy_change | FY2017-Q4 | Domestic Telecommunications | -150 | exact | JPY | reported",
        "revenue | FY2017 | Sprint | 32400000000 | exact | USD | reported",
        "revenue | FY2017 | Sprint | 3600000000000 | exact | JPY | reported",
        "revenue_yoy_growth | FY2017 | Sprint | -0.6 | exact | percent | reported",
        # "added nearly 1 million subscribers during the year": a change on the year before.
        "subscriber_net_additions | FY2017 | Sprint | 1000000 | at_most | subscribers | reported",
        "subscribers | FY2017 | Sprint | 54600000 | exact | subscribers | reported",
    ],
    "toyota-q2-fy2018-summary": [
        "results_announcement | 2017-11-07 | - | 1 | exact | flag | reported",
        "net_income_attributable | FY2018 | - | 1750000000000 | exact | JPY | guidance"
        " | stated earlier",
        "operating_profit | FY2018 | - | 1850000000000 | exact | JPY | guidance | stated earlier",
        "operating_profit | FY2018 | - | 2000000000000 | exact | JPY | guidance",
        "net_income_attributable | FY2018 | - | 1950000000000 | exact | JPY | guidance",
        "revenue | FY2018 | - | 28500000000000 | exact | JPY | guidance",
        "unit_sales | FY2018 | - | 8900000 | exact | units | guidance | stated earlier",
        "unit_sales | FY2018 | - | 8950000 | exact | units | guidance",
        "net_income_attributable | FY2018-Q2 | - | 458270000000 | exact | JPY | reported",
        "net_income_attributable | FY2017-Q2 | - | 393710000000 | exact | JPY | reported",
        "operating_profit | FY2017-Q2 | - | 474640000000 | exact | JPY | reported",
        "operating_profit | FY2018-Q2 | - | 522250000000 | exact | JPY | reported",
        "revenue | FY2017-Q2 | - | 6480000000000 | exact | JPY | reported",
        "revenue | FY2018-Q2 | - | 7140000000000 | exact | JPY | reported",
        "revenue | FY2018-H1 | - | 14191200000000 | exact | JPY | reported",
        "revenue_yoy_growth | FY2018-H1 | - | 8.6 | exact | percent | reported",
        "unit_sales | FY2018-H1 | - | 4389435 | exact | units | reported",
        "unit_sales_yoy_change | FY2018-H1 | - | 25898 | exact | units | reported",
        "operating_profit | FY2018-H1 | - | 1096500000000 | exact | JPY | reported",
        "operating_profit | FY2017-H1 | - | 1116800000000 | exact | JPY | reported",
        "operating_profit_yoy_change | FY2018-H1 | - | -20300000000 | exact | JPY | reported",
        "dividend_per_share | FY2018-H1 | - | 100 | exact | JPY | reported",
        "share_buyback_plan | 2017-11-07 | - | 250000000000 | at_most | JPY | planned",
        "share_buyback_plan_shares | 2017-11-07 | - | 45000000 | at_most | shares | planned",
    ],
    "infosys-q1-fy2019-summary": [
        "results_announcement | 2018-07-13 | - | 1 | exact | flag | reported",
        "net_income | FY2019-Q1 | - | 36120000000 | exact | INR | reported",
        "net_income | FY2018-Q4 | - | 36900000000 | exact | INR | reported",
        "net_income_qoq_growth | FY2019-Q1 | - | -2.1 | exact | percent | reported",
        "net_income | FY2018-Q1 | - | 34830000000 | exact | INR | reported",
        "net_income_yoy_growth | FY2019-Q1 | - | 3.7 | exact | percent | reported",
        "net_income | FY2019-Q1 | - | 37400000000 | exact | INR | consensus"
        " | Analysts (Thomson Reuters data)",
        "revenue | FY2019-Q1 | - | 191280000000 | exact | INR | reported",
        "revenue_qoq_growth | FY2019-Q1 | - | 5.8 | exact | percent | reported",
        "revenue_yoy_growth | FY2019-Q1 | - | 12 | exact | percent | reported",
        "eps_yoy_growth | FY2019-Q1 | - | 9.1 | exact | percent | reported",
        "impairment_charge | FY2019-Q1 | Panaya | 2700000000 | exact | INR | reported",
        "large_deal_wins | FY2019-Q1 | - | 1000000000 | at_least | USD | reported",
        "large_deal_wins_share | FY2019-Q1 | Financial services | 40 | at_least | percent"
        " | reported",
        "operating_margin_target | FY2019 | - | 22..24 | range | percent | target",
        "revenue_yoy_growth_constant_currency | FY2019 | - | 6..8 | range | percent | guidance",
        "bonus_share_ratio | 2018-07-13 | - | 1 | exact | ratio | reported",
        "share_price | 2018-07-13 | - | 1309.1 | exact | INR | reported",
        "share_price_change | 2018-07-13 | - | 1.12 | exact | percent | reported",
    ],
    "tata-motors-q1-fy2019-summary": [
        "net_income | FY2019-Q1 | - | -18625700000 | exact | INR | reported",
        "results_announcement | 2018-07-31 | - | 1 | exact | flag | reported",
        "net_income | FY2018-Q1 | - | 31999300000 | exact | INR | reported",
        "revenue | FY2018-Q1 | - | 598182200000 | exact | INR | reported",
        "revenue | FY2019-Q1 | - | 670812900000 | exact | INR | reported",
        "profit_before_tax | FY2019-Q1 | Jaguar Land Rover | -264000000 | exact | GBP | reported",
        "profit_before_tax | FY2019-Q1 | Jaguar Land Rover | -23760000000 | about | INR | reported",
        "revenue | FY2019-Q1 | Jaguar Land Rover | 5200000000 | exact | GBP | reported",
        "revenue_yoy_growth | FY2019-Q1 | Jaguar Land Rover | -6.7 | exact | percent | reported",
        "wholesales_yoy_growth | FY2019-Q1 | Jaguar Land Rover | -7 | exact | percent | reported",
        "ebit_margin | FY2019-Q1 | Jaguar Land Rover | -3.7 | exact | percent | reported",
        "ebit_margin | FY2019-FY2021 | Jaguar Land Rover | 4..7 | range | percent | target",
        "retail_sales | FY2019-Q1 | Jaguar | 44124 | exact | units | reported",
        "retail_sales | FY2019-Q1 | Jaguar Land Rover | 145510 | exact | units | reported",
        "retail_sales | FY2019-Q1 | Land Rover | 101386 | exact | units | reported",
        "retail_sales_yoy_growth | FY2019-Q1 | Jaguar Land Rover | 5.9 | exact | percent"
        " | reported",
        "net_income | FY2019-Q1 | Standalone | 11876500000 | exact | INR | reported",
        "net_income | FY2018-Q1 | Standalone | -4631400000 | exact | INR | reported",
        "revenue | FY2018-Q1 | Standalone | 103661900000 | exact | INR | reported",
        "revenue | FY2019-Q1 | Standalone | 168031100000 | exact | INR | reported",
        "unit_sales | FY2019-Q1 | Standalone | 176868 | exact | units | reported",
        "unit_sales_yoy_growth | FY2019-Q1 | Standalone | 59 | exact | percent | reported",
        "order_book_months | 2018-07-31 | I-PACE | 5.5 | about | months | reported",
    ],
    "vodafone-h1-fy2018-summary": [
        "results_announcement | 2017-11-14 | - | 1 | exact | flag | reported",
        "adjusted_ebitda | FY2018 | - | 14750000000..14950000000 | range | EUR | guidance",
        "adjusted_ebitda_organic_growth | FY2018 | - | 10 | about | percent | guidance",
        "adjusted_ebitda | FY2018 | - | 14000000000..14500000000 | range | EUR | guidance"
        " | stated earlier",
        "adjusted_ebitda_organic_growth | FY2018 | - | 4..8 | range | percent | guidance"
        " | stated earlier",
        "free_cash_flow | FY2018 | - | 5000000000 | at_least | EUR | guidance",
        "free_cash_flow | FY2018 | - | 5000000000 | about | EUR | guidance | stated previously",
        "revenue | FY2018-H1 | - | 23100000000 | exact | EUR | reported",
        "revenue_yoy_growth | FY2018-H1 | - | -4.1 | exact | percent | reported",
        "service_revenue_organic_growth | FY2018-H1 | - | 1.7 | exact | percent | reported",
        "adjusted_ebitda | FY2018-H1 | - | 7400000000 | exact | EUR | reported",
        "adjusted_ebitda_organic_growth | FY2018-H1 | - | 13 | exact | percent | reported",
        "operating_profit | FY2018-H1 | - | 2000000000 | exact | EUR | reported",
        "operating_profit_yoy_growth | FY2018-H1 | - | 32.5 | exact | percent | reported",
        "net_income | FY2018-H1 | - | 1240000000 | exact | EUR | reported",
        "net_income | FY2017-H1 | - | -5000000000 | exact | EUR | reported",
        "adjusted_ebitda_yoy_growth | FY2018-H1 | India | -39.2 | exact | percent | reported",
        "service_revenue_yoy_growth | FY2018-H1 | India | -15.8 | exact | percent | reported",
        "dividend_per_share | FY2018-H1 | - | 0.0484 | exact | EUR | reported",
        "dividend_per_share_yoy_growth | FY2018-H1 | - | 2.1 | exact | percent | reported",
    ],
    "bt-fy2017-18-summary": [
        "results_announcement | 2018-05-10 | - | 1 | exact | flag | reported",
        "revenue | FY2018 | - | 23723000000 | exact | GBP | reported",
        "revenue_yoy_growth | FY2018 | - | -1 | exact | percent | reported",
        "revenue | FY2018-Q4 | - | 5967000000 | exact | GBP | reported",
        "revenue_yoy_growth | FY2018-Q4 | - | -3 | exact | percent | reported",
        "profit_before_tax | FY2018 | - | 2616000000 | exact | GBP | reported",
        "profit_before_tax_yoy_growth | FY2018 | - | 11 | exact | percent | reported",
        "adjusted_profit_before_tax | FY2018 | - | 3440000000 | exact | GBP | reported",
        "adjusted_profit_before_tax_yoy_growth | FY2018 | - | -2 | exact | percent | reported",
        "adjusted_ebitda | FY2018 | - | 7505000000 | exact | GBP | reported",
        "adjusted_ebitda_yoy_growth | FY2018 | - | -2 | exact | percent | reported",
        "adjusted_ebitda | FY2018-Q4 | - | 2083000000 | exact | GBP | reported",
        "adjusted_ebitda_yoy_growth | FY2018-Q4 | - | 1 | exact | percent | reported",
        "basic_eps | FY2017 | - | 0.192 | exact | GBP | reported",
        "basic_eps | FY2018 | - | 0.205 | exact | GBP | reported",
        "dividend_per_share | FY2018 | - | 0.154 | exact | GBP | reported",
        "dividend_per_share_yoy_growth | FY2018 | - | 0 | exact | percent | reported",
        "dividend_per_share | FY2018-H2 | - | 0.1055 | exact | GBP | reported",
        "adjusted_ebitda | FY2019 | - | 7300000000..7400000000 | range | GBP | guidance",
        "underlying_revenue_yoy_growth | FY2019 | - | -2 | about | percent | guidance",
        "capital_expenditure | FY2019 | - | 3700000000 | about | GBP | guidance",
        "free_cash_flow | FY2019 | - | 2300000000..2500000000 | range | GBP | guidance",
        "hires | 2018-05-10/2021-05-09 | - | 6000 | about | people | planned",
        "job_cuts | 2018-05-10/2021-05-09 | - | 13000 | exact | people | planned",
        "restructuring_cost | 2018-05-10/2021-05-09 | - | 800000000 | exact | GBP | planned",
        "cost_savings | FY2018 | - | 180000000 | exact | GBP | reported",
        "job_cuts | FY2018 | - | 2800 | at_least | people | reported",
        "pension_deficit | 2017-06-30 | - | 11300000000 | exact | GBP | reported",
    ],
}


@pytest.mark.parametrize("source_key", sorted(EVERY_FIGURE))
def test_every_figure_of_the_text_is_stored(corpus: Engine, source_key: str) -> None:
    found = rows(
        corpus,
        "select metric, coalesce(fiscal_period, period), "
        "coalesce(product, segment, nullif(region, 'Global'), '-'), value, value_high, bound, "
        "unit, basis, attributed_to, stated_on_wording from fact_provenance "
        f"where source_key = '{source_key}' order by quote_start, metric, 3, 4",
    )
    assert [
        figure(row[:8])
        + ("" if row[8] is None else f" | {row[8]}")
        + ("" if row[9] is None else f" | stated {row[9]}")
        for row in found
    ] == EVERY_FIGURE[source_key]


def test_undated_earlier_forecasts_are_stated_the_day_before_publication(
    corpus: Engine,
) -> None:
    # "its earlier forecast", "previously guided": the latest day they can have been stated.
    sources = ", ".join(f"'{key}'" for key in EVERY_FIGURE)
    assert rows(
        corpus,
        "select source_key, count(*), "
        "sum(case when stated_on = published_on then 1 else 0 end), "
        "sum(case when stated_on = published_on - 1 and stated_on_wording in "
        "('earlier', 'previously') then 1 else 0 end) from fact_provenance "
        f"where source_key in ({sources}) group by source_key order by source_key",
    ) == [
        ("bt-fy2017-18-summary", 28, 28, 0),
        ("infosys-q1-fy2019-summary", 19, 19, 0),
        ("softbank-fy2017-summary", 26, 26, 0),
        ("tata-motors-q1-fy2019-summary", 23, 23, 0),
        ("toyota-q2-fy2018-summary", 24, 21, 3),
        ("vodafone-h1-fy2018-summary", 20, 17, 3),
    ]


def test_all_checks_pass_with_these_texts_loaded(corpus: Engine) -> None:
    results = operations.check(corpus)
    assert [r.check.name for r in results if not r.passed] == []

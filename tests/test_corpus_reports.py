"""The corpus's results and market reports (Netflix, Tencent, Huawei, Volkswagen, Canalys,
Gartner): the figures an analyst asks of each, exactly as the texts state them, on both
backends. One mart per backend holds every seed file (built once for the module)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, text

D = Decimal
NETFLIX = "netflix-q2-2017-summary"
TENCENT = "tencent-2017-summary"
HUAWEI = "huawei-2017-summary"
VOLKSWAGEN = "volkswagen-2017-summary"
CANALYS = "canalys-india-q3-2017-summary"
GARTNER = "gartner-pc-q3-2017-summary"


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_every_figure_of_each_report_is_stored(corpus: Engine) -> None:
    # One statement per fact block of each file (commented blocks are not loaded), whole-market
    # figures (no company) among them.
    assert rows(
        corpus,
        "select so.source_key, count(*), count(s.company_id) from statement as s "
        "join source as so on so.source_id = s.source_id where so.source_key in "
        f"('{NETFLIX}', '{TENCENT}', '{HUAWEI}', '{VOLKSWAGEN}', '{CANALYS}', '{GARTNER}') "
        "group by so.source_key order by so.source_key",
    ) == [
        (CANALYS, 17, 12),
        (GARTNER, 25, 21),
        (HUAWEI, 29, 29),
        (NETFLIX, 28, 28),
        (TENCENT, 27, 27),
        (VOLKSWAGEN, 28, 28),
    ]


# Netflix (2017-07-17): members, revenue against consensus and guidance, EPS against consensus


def test_netflix_memberships_at_quarter_ends_and_by_region(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select period, period_grain, period_end, region, product, value, basis from metric_values "
        "where company = 'Netflix' and metric = 'subscribers' order by period_end, region",
    ) == [
        (
            "2016-06-30",
            "day",
            date(2016, 6, 30),
            "Global",
            "Netflix streaming",
            D(83180000),
            "reported",
        ),
        (
            "2017-03-31",
            "day",
            date(2017, 3, 31),
            "Global",
            "Netflix streaming",
            D(98750000),
            "reported",
        ),
        (
            "2017-06-30",
            "day",
            date(2017, 6, 30),
            "Global",
            "Netflix streaming",
            D(103950000),
            "reported",
        ),
        (
            "2017-06-30",
            "day",
            date(2017, 6, 30),
            "Outside the United States",
            "Netflix streaming",
            D(52030000),
            "reported",
        ),
        (
            "2017-06-30",
            "day",
            date(2017, 6, 30),
            "United States",
            "Netflix streaming",
            D(51920000),
            "reported",
        ),
    ]


def test_netflix_regional_members_add_up_to_the_total(corpus: Engine) -> None:
    # 51.92 million in the US + 52.03 million abroad = the 103.95 million total.
    assert rows(
        corpus,
        "select sum(case when region = 'Global' then value else 0 end), "
        "sum(case when region <> 'Global' then value else 0 end) from metric_values "
        "where company = 'Netflix' and metric = 'subscribers' and period = '2017-06-30'",
    ) == [(D(103950000), D(103950000))]


def test_netflix_revenue_actual_consensus_and_next_quarter_guidance(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select period, period_start, period_end, basis, attributed_to, value, bound, unit "
        "from metric_values where company = 'Netflix' and metric = 'revenue' "
        "order by period, basis",
    ) == [
        (
            "2016-Q2",
            date(2016, 4, 1),
            date(2016, 6, 30),
            "reported",
            None,
            D(2105000000),
            "exact",
            "USD",
        ),
        (
            "2017-Q2",
            date(2017, 4, 1),
            date(2017, 6, 30),
            "consensus",
            "Wall Street analysts",
            D(2760000000),
            "exact",
            "USD",
        ),
        (
            "2017-Q2",
            date(2017, 4, 1),
            date(2017, 6, 30),
            "reported",
            None,
            D(2785000000),
            "exact",
            "USD",
        ),
        # "For the third quarter", a forecast published in July: the quarter ahead.
        (
            "2017-Q3",
            date(2017, 7, 1),
            date(2017, 9, 30),
            "guidance",
            None,
            D(2969000000),
            "exact",
            "USD",
        ),
    ]


def test_netflix_eps_a_penny_below_consensus(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select basis, attributed_to, attribution_kind, value, unit, wording from fact_provenance "
        "where company = 'Netflix' and metric = 'diluted_eps' order by basis",
    ) == [
        ("consensus", "Wall Street analysts", "analyst", D("0.16"), "USD", "16-cent consensus"),
        ("reported", None, None, D("0.15"), "USD", "15 cents"),
    ]


EXPECTATIONS = (
    "select metric, period, actual_value, actual_stated_on, expected_basis, expected_by, "
    "expected_value, expected_value_high, expected_stated_on, surprise_pct, surprise_low_pct, "
    "surprise_high_pct, outcome from expectations where company = '{company}' "
    "and metric = '{metric}'"
)


def test_netflix_revenue_beat_consensus(corpus: Engine) -> None:
    # "Slightly above the 2.76 billion dollars analysts had forecast": 2,785 / 2,760 - 1 = 0.91 %,
    # 0.71 % to 1.11 % within the figures' rounding.
    assert rows(corpus, EXPECTATIONS.format(company="Netflix", metric="revenue")) == [
        (
            "revenue",
            "2017-Q2",
            D(2785000000),
            date(2017, 7, 17),
            "consensus",
            "Wall Street analysts",
            D(2760000000),
            None,
            date(2017, 7, 17),
            D("0.9058"),
            D("0.7065"),
            D("1.1051"),
            "beat",
        )
    ]


def test_netflix_eps_a_penny_below_consensus_surprise(corpus: Engine) -> None:
    # 15 cents against 16: -6.25 %, -12.5 % to 0 % within the figures' rounding.
    assert [
        row[:-1]
        for row in rows(corpus, EXPECTATIONS.format(company="Netflix", metric="diluted_eps"))
    ] == [
        (
            "diluted_eps",
            "2017-Q2",
            D("0.15"),
            date(2017, 7, 17),
            "consensus",
            "Wall Street analysts",
            D("0.16"),
            None,
            date(2017, 7, 17),
            D("-6.25"),
            D("-12.5"),
            D(0),
        )
    ]


def test_netflix_eps_missed_consensus(corpus: Engine) -> None:
    # "A penny below the 16-cent consensus": the rounding intervals only touch at 15.5 cents.
    assert rows(
        corpus,
        "select outcome from expectations where company = 'Netflix' and metric = 'diluted_eps'",
    ) == [("missed",)]


def test_netflix_revenue_growth_stated_and_computed(corpus: Engine) -> None:
    # 2,785 / 2,105 - 1 = 32.30 %: the stated rate, to its decimal.
    assert rows(
        corpus,
        "select period, compared_period, stated_growth_pct, current_value, compared_value, "
        "computed_growth_pct from growth "
        "where company = 'Netflix' and metric = 'revenue_yoy_growth'",
    ) == [("2017-Q2", "2016-Q2", D("32.30"), D(2785000000), D(2105000000), D("32.30"))]


def test_netflix_quarter_profit_and_margin(corpus: Engine) -> None:
    figures = dict(
        rows(
            corpus,
            "select metric, value from metric_values where company = 'Netflix' "
            "and period = '2017-Q2' and basis = 'reported' and metric in "
            "('operating_profit', 'operating_margin', 'net_income', 'revenue')",
        )
    )
    assert figures == {
        "operating_profit": D(128000000),
        "operating_margin": D("4.6"),
        "net_income": D(66000000),
        "revenue": D(2785000000),
    }
    # The stated margin is the two levels' ratio, rounded as stated (128 / 2,785 = 4.596 %).
    assert (
        round(figures["operating_profit"] / figures["revenue"] * 100, 1)
        == figures["operating_margin"]
    )
    assert rows(
        corpus,
        "select period, value from metric_values "
        "where company = 'Netflix' and metric = 'net_income' order by period",
    ) == [("2016-Q2", D(41000000)), ("2017-Q2", D(66000000))]


def test_netflix_shares_after_hours_are_lower_bounds(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, value, bound, interval_low, interval_high, unit from metric_values "
        "where company = 'Netflix' and metric like 'share_price%' order by metric",
    ) == [
        ("share_price", "2017-07-17", D(178), "at_least", D(178), None, "USD"),
        ("share_price_change", "2017-07-17", D(10), "at_least", D(10), None, "percent"),
    ]


# Tencent (2018-03-21): CNY written RMB237,760 million, the year and its fourth quarter


def test_tencent_revenue_by_period_and_currency(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select period, period_start, period_end, unit, value from metric_values "
        "where company = 'Tencent' and metric = 'revenue' order by period, unit",
    ) == [
        ("2016", date(2016, 1, 1), date(2016, 12, 31), "CNY", D(151938000000)),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), "CNY", D(237760000000)),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), "USD", D(36387000000)),
        ("2017-Q4", date(2017, 10, 1), date(2017, 12, 31), "CNY", D(66392000000)),
    ]


def test_tencent_profits_of_the_year_gaap_and_non_gaap(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, value, unit from metric_values where company = 'Tencent' "
        "and period = '2017' and unit = 'CNY' and metric <> 'revenue' order by metric",
    ) == [
        ("net_income", D(72471000000), "CNY"),
        ("net_income_attributable", D(71510000000), "CNY"),
        ("non_gaap_net_income_attributable", D(65126000000), "CNY"),
        ("operating_profit", D(90302000000), "CNY"),
    ]


def test_tencent_growth_rates_of_the_year_and_the_quarter(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select period, metric, value from metric_values where company = 'Tencent' "
        "and unit = 'percent' and metric like '%growth' order by period, metric",
    ) == [
        ("2017", "net_income_attributable_yoy_growth", D(74)),
        ("2017", "net_income_yoy_growth", D(75)),
        ("2017", "non_gaap_net_income_attributable_yoy_growth", D(43)),
        ("2017", "operating_profit_yoy_growth", D(61)),
        ("2017", "revenue_yoy_growth", D(56)),
        ("2017-Q4", "gross_profit_qoq_growth", D(-1)),
        ("2017-Q4", "net_income_yoy_growth", D(100)),
        ("2017-Q4", "operating_profit_yoy_growth", D(85)),
        ("2017-Q4", "revenue_qoq_growth", D(2)),
        ("2017-Q4", "revenue_yoy_growth", D(51)),
    ]


def test_tencent_margins_stated_match_the_levels(corpus: Engine) -> None:
    margins = rows(
        corpus,
        "select metric, period, value from metric_values where company = 'Tencent' "
        "and metric like '%margin' order by metric, period",
    )
    assert margins == [
        ("net_margin", "2016", D(27)),
        ("net_margin", "2017", D(30)),
        ("operating_margin", "2016", D(37)),
        ("operating_margin", "2017", D(38)),
    ]
    # 90,302 / 237,760 = 38.0 % and 72,471 / 237,760 = 30.5 %: whole percents as stated.
    assert round(D(90302) / D(237760) * 100) == 38
    assert round(D(72471) / D(237760) * 100) == 30


def test_tencent_quarter_profit_more_than_doubled(corpus: Engine) -> None:
    # "More than doubled": a growth of at least 100 %, which the levels confirm (105.47 %).
    assert rows(
        corpus,
        "select value, bound, interval_low, interval_high from metric_values "
        "where company = 'Tencent' and metric = 'net_income_yoy_growth' and period = '2017-Q4'",
    ) == [(D(100), "at_least", D(100), None)]
    assert rows(
        corpus,
        "select compared_period, current_value, compared_value, computed_growth_pct from growth "
        "where company = 'Tencent' and metric = 'net_income_yoy_growth' and period = '2017-Q4'",
    ) == [("2016-Q4", D(21622000000), D(10523000000), D("105.47"))]


# Huawei (2018-03-30): CNY with USD translations, segments, regions, R&D


def test_huawei_group_figures_for_the_whole_of_2017(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, period_grain, period_start, period_end, unit, value "
        "from metric_values where company = 'Huawei' and region = 'Global' and segment is null "
        "and metric in ('revenue', 'net_income', 'revenue_yoy_growth', 'net_income_yoy_growth') "
        "order by metric, unit",
    ) == [
        ("net_income", "2017", "year", date(2017, 1, 1), date(2017, 12, 31), "CNY", D(47500000000)),
        ("net_income", "2017", "year", date(2017, 1, 1), date(2017, 12, 31), "USD", D(7300000000)),
        (
            "net_income_yoy_growth",
            "2017",
            "year",
            date(2017, 1, 1),
            date(2017, 12, 31),
            "percent",
            D("28.1"),
        ),
        ("revenue", "2017", "year", date(2017, 1, 1), date(2017, 12, 31), "CNY", D(603600000000)),
        ("revenue", "2017", "year", date(2017, 1, 1), date(2017, 12, 31), "USD", D(92500000000)),
        (
            "revenue_yoy_growth",
            "2017",
            "year",
            date(2017, 1, 1),
            date(2017, 12, 31),
            "percent",
            D("15.7"),
        ),
    ]


def test_huawei_segments_revenue_growth_and_share(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select segment, metric, period, value from metric_values where company = 'Huawei' "
        "and segment is not null order by segment, metric, period",
    ) == [
        ("Carrier business", "revenue", "2017", D(297800000000)),
        ("Carrier business", "revenue_share", "2017", D("49.3")),
        ("Carrier business", "revenue_yoy_growth", "2017", D("2.5")),
        ("Carrier business", "segment_revenue_rank", "2017", D(1)),
        ("Consumer business", "revenue", "2017", D(237200000000)),
        ("Consumer business", "revenue_share", "2016", D("34.5")),
        ("Consumer business", "revenue_share", "2017", D("39.3")),
        ("Consumer business", "revenue_yoy_growth", "2017", D("31.9")),
        ("Enterprise business", "revenue", "2017", D(54900000000)),
        ("Enterprise business", "revenue_yoy_growth", "2017", D("35.1")),
    ]
    # Each stated share is the segment's revenue over the group's (297.8 / 603.6, 237.2 / 603.6),
    # and the three segments stay within the group total (589.9 of 603.6 billion).
    assert round(D("297.8") / D("603.6") * 100, 1) == D("49.3")
    assert round(D("237.2") / D("603.6") * 100, 1) == D("39.3")
    assert rows(
        corpus,
        "select sum(value) from metric_values where company = 'Huawei' and metric = 'revenue' "
        "and segment is not null and unit = 'CNY'",
    ) == [(D(589900000000),)]


def test_huawei_revenue_by_region(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select region, metric, value from metric_values where company = 'Huawei' "
        "and region <> 'Global' order by region, metric",
    ) == [
        ("Americas", "revenue_yoy_growth", D("-10.9")),
        ("Asia Pacific", "revenue", D(74400000000)),
        ("Asia Pacific", "revenue_yoy_growth", D("10.3")),
        ("China", "revenue", D(305100000000)),
        ("China", "revenue_yoy_growth", D(29)),
        ("Europe, Middle East and Africa", "revenue", D(163900000000)),
        ("Europe, Middle East and Africa", "revenue_yoy_growth", D("4.7")),
    ]


def test_huawei_rd_spending_the_decade_and_the_plan(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select period, period_start, period_end, unit, value, bound, basis from metric_values "
        "where company = 'Huawei' and metric = 'rd_spending' order by period_start, unit",
    ) == [
        (
            "2008-01-01/2017-12-31",
            date(2008, 1, 1),
            date(2017, 12, 31),
            "CNY",
            D(394000000000),
            "at_least",
            "reported",
        ),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), "CNY", D(89700000000), "exact", "reported"),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), "USD", D(13800000000), "exact", "reported"),
    ]
    assert rows(
        corpus,
        "select metric, period, period_start, period_end, value, bound, unit, basis, attributed_to "
        "from targets where company = 'Huawei'",
    ) == [
        (
            "rd_spending_per_year",
            "2018-01-01/2027-12-31",
            date(2018, 1, 1),
            date(2027, 12, 31),
            D(10000000000),
            "at_least",
            "USD",
            "planned",
            "Ken Hu",
        )
    ]


def test_huawei_smartphone_shipments(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select period, region, value from metric_values where company = 'Huawei' "
        "and metric = 'smartphone_shipments'",
    ) == [("2017", "Global", D(153000000))]


# Volkswagen (2018-02-23): the year against its forecast, special items, dividends, outlook


def test_volkswagen_deliveries_a_record(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, value from metric_values where company = 'Volkswagen Group' "
        "and metric like 'vehicle_deliveries%' and basis = 'reported' order by metric",
    ) == [
        ("vehicle_deliveries", "2017", D(10700000)),
        ("vehicle_deliveries_record_high", "2017", D(1)),
        ("vehicle_deliveries_yoy_growth", "2017", D("4.3")),
    ]


def test_volkswagen_operating_profit_before_and_after_special_items(corpus: Engine) -> None:
    figures = dict(
        rows(
            corpus,
            "select metric, value from metric_values where company = 'Volkswagen Group' "
            "and period = '2017' and basis = 'reported' and metric in ('revenue', "
            "'operating_profit_before_special_items', 'special_items', 'operating_profit', "
            "'operating_margin_before_special_items', 'operating_margin')",
        )
    )
    assert figures == {
        "revenue": D(230700000000),
        "operating_profit_before_special_items": D(17000000000),
        "special_items": D(3200000000),
        "operating_profit": D(13800000000),
        "operating_margin_before_special_items": D("7.4"),
        "operating_margin": D("6.0"),
    }
    # 17.0 - 3.2 = 13.8 billion; 17.0 / 230.7 = 7.4 % and 13.8 / 230.7 = 6.0 %.
    assert (
        figures["operating_profit_before_special_items"] - figures["special_items"]
        == figures["operating_profit"]
    )
    assert (
        round(figures["operating_profit"] / figures["revenue"] * 100, 1)
        == figures["operating_margin"]
    )
    assert (
        round(figures["operating_profit_before_special_items"] / figures["revenue"] * 100, 1)
        == figures["operating_margin_before_special_items"]
    )


def test_volkswagen_margin_above_the_range_forecast_at_the_start_of_the_year(
    corpus: Engine,
) -> None:
    assert rows(
        corpus,
        "select basis, value, value_high, bound, stated_on, stated_on_wording, published_on "
        "from fact_provenance where company = 'Volkswagen Group' "
        "and metric = 'operating_margin_before_special_items' order by basis",
    ) == [
        ("guidance", D(6), D(7), "range", date(2017, 2, 24), "2017-02-24", date(2018, 2, 23)),
        ("reported", D("7.4"), None, "exact", date(2018, 2, 23), None, date(2018, 2, 23)),
    ]


def test_volkswagen_margin_beat_its_own_forecast(corpus: Engine) -> None:
    # 7.4 % against the 6.0 to 7.0 % forecast on 2017-02-24: 13.85 % above the range's middle.
    assert rows(
        corpus,
        EXPECTATIONS.format(
            company="Volkswagen Group", metric="operating_margin_before_special_items"
        ),
    ) == [
        (
            "operating_margin_before_special_items",
            "2017",
            D("7.4"),
            date(2018, 2, 23),
            "guidance",
            None,
            D(6),
            D(7),
            date(2017, 2, 24),
            D("13.8462"),
            D("5.3846"),
            D("22.3077"),
            "beat",
        )
    ]


def test_volkswagen_forecast_stays_known_beside_the_actual(corpus: Engine) -> None:
    # The range forecast on 2017-02-24 is compared with the actual of 2018-02-23, not revised by
    # it: both stay current, and no report of these six lists a revision.
    assert rows(
        corpus,
        "select claim, basis, value, value_high, stated_on, known_until, is_current "
        "from fact_provenance where company = 'Volkswagen Group' "
        "and fact_key like 'volkswagen|operating_margin_before_special_items|%' order by claim",
    ) == [
        ("actual", "reported", D("7.4"), None, date(2018, 2, 23), None, True),
        ("guidance", "guidance", D(6), D(7), date(2017, 2, 24), None, True),
    ]
    assert (
        rows(
            corpus,
            "select company, metric from revisions where company in ('Netflix', 'Tencent', "
            "'Huawei', 'Volkswagen Group', 'Vivo', 'Oppo', 'Lenovo', 'HP Inc.', 'Dell', 'Asus', "
            "'Acer') or attributed_to in ('Canalys', 'Gartner')",
        )
        == []
    )


def test_volkswagen_earnings_after_tax_more_than_doubled(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select compared_period, stated_growth_pct, current_value, compared_value, "
        "computed_growth_pct from growth where company = 'Volkswagen Group' "
        "and metric = 'net_income_yoy_growth'",
    ) == [("2016", D(100), D(11638000000), D(5379000000), D("116.36"))]


def test_volkswagen_dividends_proposed_and_paid(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, period, value, bound, basis from metric_values "
        "where company = 'Volkswagen Group' and metric like 'dividend%' order by metric, period",
    ) == [
        ("dividend_per_preferred_share", "2016", D("2.06"), "exact", "reported"),
        ("dividend_per_preferred_share", "2017", D("3.96"), "exact", "planned"),
        ("dividend_per_preferred_share_yoy_growth", "2017", D(100), "at_most", "planned"),
        ("dividend_per_share", "2016", D("2.00"), "exact", "reported"),
        ("dividend_per_share", "2017", D("3.90"), "exact", "planned"),
        ("dividend_per_share_yoy_growth", "2017", D(100), "at_most", "planned"),
    ]


def test_volkswagen_year_end_liquidity_and_employees(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, segment, period, period_grain, value, unit from metric_values "
        "where company = 'Volkswagen Group' and metric in ('net_liquidity', 'employees') "
        "order by metric",
    ) == [
        ("employees", None, "2017-12-31", "day", D(642300), "people"),
        ("net_liquidity", "Automotive Division", "2017-12-31", "day", D(22400000000), "EUR"),
    ]


def test_volkswagen_outlook_for_2018(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select metric, stated_metric, period, value, value_high, bound, basis from targets "
        "where company = 'Volkswagen Group' and period = '2018' order by stated_metric",
    ) == [
        ("operating_margin", "operating_margin", "2018", D("6.5"), D("7.5"), "range", "guidance"),
        ("revenue_yoy_growth", "revenue_yoy_growth", "2018", D(5), None, "at_most", "guidance"),
        (
            "vehicle_deliveries_yoy_growth",
            "vehicle_deliveries_yoy_growth",
            "2018",
            D(0),
            None,
            "at_least",
            "guidance",
        ),
    ]


# Canalys (2017-10-27): India's smartphone vendors in Q3 2017, all Canalys' figures


def test_canalys_india_vendor_ranks(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select value, company, attributed_to from metric_values "
        "where metric = 'smartphone_brand_rank' and region = 'India' and period = '2017-Q3' "
        "order by value",
    ) == [
        (D(1), "Samsung Electronics", "Canalys"),
        (D(2), "Xiaomi", "Canalys"),
        (D(3), "Vivo", "Canalys"),
        (D(4), "Oppo", "Canalys"),
        (D(5), "Lenovo", "Canalys"),
    ]


def test_canalys_india_shipments_and_growth_with_bounds(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select company, product, metric, value, bound, interval_low, interval_high "
        "from metric_values where attributed_to = 'Canalys' and region = 'India' "
        "and period = '2017-Q3' and metric like 'smartphone_shipments%' "
        "and company is not null order by company, metric",  # the vendors' (the market's below)
    ) == [
        (
            "Apple",
            "iPhone",
            "smartphone_shipments",
            D(900000),
            "exact",
            D("899999.5"),
            D("900000.5"),
        ),
        ("Apple", "iPhone", "smartphone_shipments_yoy_growth", D(100), "at_least", D(100), None),
        (
            "Samsung Electronics",
            None,
            "smartphone_shipments",
            D(9400000),
            "exact",
            D(9350000),
            D(9450000),
        ),
        (
            "Samsung Electronics",
            None,
            "smartphone_shipments_yoy_growth",
            D(30),
            "about",
            D(25),
            D(35),
        ),
        ("Xiaomi", None, "smartphone_shipments", D(9200000), "exact", D(9150000), D(9250000)),
        ("Xiaomi", None, "smartphone_shipments_yoy_growth", D(290), "at_least", D(290), None),
    ]


def test_canalys_every_figure_is_the_research_firms(corpus: Engine) -> None:
    # Every figure, the whole market's too.
    assert rows(
        corpus,
        "select a.attribution_name, a.attribution_kind, count(*) from statement as s "
        "join source as so on so.source_id = s.source_id "
        "left join attribution as a on a.attribution_id = s.attribution_id "
        f"where so.source_key = '{CANALYS}' group by a.attribution_name, a.attribution_kind",
    ) == [("Canalys", "research_firm", 17)]


# Whole markets (issue 18): figures about a region's market, not about a company.
MARKET_FIGURES = (
    "select so.source_key, m.metric_key, r.region_key, s.value, s.bound, s.interval_low, "
    "s.interval_high from statement as s join metric as m on m.metric_id = s.metric_id "
    "join region as r on r.region_id = s.region_id join source as so on so.source_id = s.source_id "
    "where s.company_id is null order by so.source_key, s.seed_line"
)


def test_whole_market_figures_are_about_no_company(corpus: Engine) -> None:
    assert rows(corpus, MARKET_FIGURES) == [
        # "the world's second-largest smartphone market"
        (CANALYS, "smartphone_market_rank", "india", 2, "exact", D("1.5"), D("2.5")),
        # "grew 23 percent from a year earlier to just over 40 million units, passing the 40
        # million mark for the first time"
        (CANALYS, "smartphone_shipments", "india", 40000000, "at_least", 40000000, None),
        (CANALYS, "smartphone_shipments_yoy_growth", "india", 23, "exact", D("22.5"), D("23.5")),
        (CANALYS, "smartphone_shipments_record_high", "india", 1, "exact", D("0.5"), D("1.5")),
        # "close to 100 mobile device brands"
        (CANALYS, "brands_sold", "india", 100, "at_most", None, 100),
        # "fell 3.6 percent from a year earlier to 67 million units ... the 12th consecutive
        # quarter of decline"
        (GARTNER, "pc_shipments", "global", 67000000, "exact", 66500000, 67500000),
        (GARTNER, "pc_shipments_yoy_growth", "global", D("-3.6"), "exact", D("-3.65"), D("-3.55")),
        (GARTNER, "pc_shipments_decline_streak", "global", 12, "exact", D("11.5"), D("12.5")),
        # "the US market, where shipments fell 10 percent"
        (GARTNER, "pc_shipments_yoy_growth", "united-states", -10, "exact", D("-10.5"), D("-9.5")),
    ]


def test_absolute_changes_are_in_their_levels_unit(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select so.source_key, m.metric_key, m.change_of, m.change_compared_with, s.value, s.unit "
        "from statement as s join metric as m on m.metric_id = s.metric_id "
        "join source as so on so.source_id = s.source_id where m.change_of is not null "
        f"and so.source_key in ('{VOLKSWAGEN}', '{GARTNER}') order by so.source_key, s.seed_line",
    ) == [
        # HP "up 1.7 percentage points": a change of a percent share, in percent.
        (
            GARTNER,
            "pc_market_share_yoy_change",
            "pc_market_share",
            "year_earlier",
            D("1.7"),
            "percent",
        ),
        # "climbed 2.4 billion euros", "still 6.7 billion euros more than a year earlier"
        (
            VOLKSWAGEN,
            "operating_profit_before_special_items_yoy_change",
            "operating_profit_before_special_items",
            "year_earlier",
            2400000000,
            "EUR",
        ),
        (
            VOLKSWAGEN,
            "operating_profit_yoy_change",
            "operating_profit",
            "year_earlier",
            6700000000,
            "EUR",
        ),
    ]


def test_netflix_net_additions_totals_and_their_regional_parts(corpus: Engine) -> None:
    # Each total says its parts by region are all of it: 1.07 + 4.14 = 5.21 (5.20 stated, to
    # rounding), 0.6 + 2.6 = 3.2, 0.75 + 3.65 = 4.40.
    assert rows(
        corpus,
        "select s.basis, max(case when s.sum_of = 'region' then s.value end), "
        "sum(case when s.sum_of is null then s.value end), count(*) "
        "from statement as s join metric as m on m.metric_id = s.metric_id "
        "join company as c on c.company_id = s.company_id "
        "where c.company_key = 'netflix' and m.metric_key = 'subscriber_net_additions' "
        "group by s.basis order by s.basis",
    ) == [
        ("consensus", 3200000, 3200000, 3),
        ("guidance", 4400000, 4400000, 3),
        ("reported", 5200000, 5210000, 3),
    ]


def test_canalys_expects_xiaomi_to_lead_within_a_couple_of_quarters(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select company, metric, region, period, period_start, period_end, value, basis, "
        "attributed_to from targets where attributed_to = 'Canalys'",
    ) == [
        (
            "Xiaomi",
            "smartphone_brand_rank",
            "India",
            "2017-10-01/2018-03-31",
            date(2017, 10, 1),
            date(2018, 3, 31),
            D(1),
            "expected",
            "Canalys",
        )
    ]


# Gartner (2017-10-11): preliminary worldwide PC figures for Q3 2017


def test_gartner_pc_vendors_rank_share_and_growth(corpus: Engine) -> None:
    table = rows(
        corpus,
        "select r.company, r.value, s.value, g.value, u.value from metric_values as r "
        "join metric_values as s on s.company = r.company and s.metric = 'pc_market_share' "
        "and s.period = r.period "
        "left join metric_values as g on g.company = r.company "
        "and g.metric = 'pc_shipments_yoy_growth' and g.period = r.period "
        "left join metric_values as u on u.company = r.company and u.metric = 'pc_shipments' "
        "and u.period = r.period "
        "where r.metric = 'pc_vendor_rank' and r.period = '2017-Q3' order by r.value",
    )
    assert table == [
        ("HP Inc.", D(1), D("21.8"), D("4.4"), None),
        ("Lenovo", D(2), D("21.4"), D("-1.5"), D(14300000)),
        ("Dell", D(3), D("15.2"), D("-0.4"), D(10100000)),
        ("Asus", D(4), D("7.3"), D(-9), None),
        ("Apple", D(5), D("6.9"), D("-5.6"), D(4600000)),
        ("Acer", D(6), D("6.5"), None, None),
    ]
    # "HP and Lenovo together made more than two in five of the PCs shipped": 43.2 %.
    assert table[0][2] + table[1][2] == D("43.2")


def test_gartner_figures_are_preliminary_and_gartners(corpus: Engine) -> None:
    # Every figure, the whole market's too.
    assert rows(
        corpus,
        "select s.basis, a.attribution_name, a.attribution_kind, count(*) from statement as s "
        "join source as so on so.source_id = s.source_id "
        "left join attribution as a on a.attribution_id = s.attribution_id "
        f"where so.source_key = '{GARTNER}' "
        "group by s.basis, a.attribution_name, a.attribution_kind",
    ) == [("preliminary", "Gartner", "research_firm", 25)]


def test_gartner_quarter_is_the_calendar_one_whatever_the_fiscal_year(corpus: Engine) -> None:
    # Apple (fiscal year to September), HP Inc. (October), Dell (January) and Lenovo (March):
    # Gartner's third quarter of 2017 is July to September 2017 for each, with no fiscal label.
    assert rows(
        corpus,
        "select distinct period, period_start, period_end, fiscal_period from fact_provenance "
        f"where source_key = '{GARTNER}'",
    ) == [("2017-Q3", date(2017, 7, 1), date(2017, 9, 30), None)]


def test_gartner_ranks_beside_their_shares_in_market_positions(corpus: Engine) -> None:
    assert rows(
        corpus,
        "select rank, subject, subject_kind, region, market_share_pct from market_positions "
        "where measure = 'PC shipments' and period = '2017-Q3' order by rank",
    ) == [
        (1, "HP Inc.", "brand", "Global", D("21.8")),
        (2, "Lenovo", "brand", "Global", D("21.4")),
        (3, "Dell", "brand", "Global", D("15.2")),
        (4, "Asus", "brand", "Global", D("7.3")),
        (5, "Apple", "brand", "Global", D("6.9")),
        (6, "Acer", "brand", "Global", D("6.5")),
    ]

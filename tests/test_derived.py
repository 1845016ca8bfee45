"""Derived figures (issue 18) from the corpus's fact files, computed by hand here, on both
backends: an implied earlier subscriber count, a margin computed and checked, segment sums, a
vendor's share of a market total beside its stated share, the upper bound "more than doubled"
implies; and `mart check` failing on figures that cannot all hold."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR
from tests.conftest import BACKENDS

D = Decimal


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_a_stated_change_implies_the_year_earlier_subscriber_count(corpus: Engine) -> None:
    # SoftBank: 33.2 million subscribers in Japan at the end of March 2018, "775,000 more than a
    # year earlier": 33,200,000 - 775,000 = 32,425,000; "33.2 million" allows 33.15-33.25
    # million and 775,000 allows 774,999.5-775,000.5, so the earlier count lies between
    # 33,150,000 - 775,000.5 and 33,250,000 - 774,999.5.
    assert rows(
        corpus,
        "select compared_period, stated_change, current_value, implied_compared_value, "
        "implied_compared_low, implied_compared_high, is_contradicted from changes "
        "where company = 'SoftBank Group' and metric = 'subscribers_yoy_change'",
    ) == [
        (
            "2017-Q1",
            D("775000"),
            D("33200000"),
            D("32425000"),
            D("32374999.5"),
            D("32475000.5"),
            False,
        )
    ]


def test_counts_at_a_date_compare_days(corpus: Engine) -> None:
    # Netflix's members at the end of June 2017 (subscribers is as_of): compared with the same
    # day a year earlier, and with the month ends 1, 3, 6 and 12 months back (the step a stated
    # change or rate reaches back); only those stated have a value.
    assert rows(
        corpus,
        "select compared_with, step, compared_period, current_value, compared_value "
        "from level_comparisons where company = 'Netflix' and level_metric = 'subscribers' "
        "and region = 'Global' and period = '2017-06-30' "
        "order by compared_with, compared_end desc",
    ) == [
        ("previous_period", "month", "2017-05-31", D("103950000"), None),
        ("previous_period", "quarter", "2017-03-31", D("103950000"), D("98750000")),
        ("previous_period", "half", "2016-12-31", D("103950000"), None),
        ("previous_period", "year", "2016-06-30", D("103950000"), D("83180000")),
        ("year_earlier", "year", "2016-06-30", D("103950000"), D("83180000")),
    ]
    # The 5.2 million net additions of the quarter meet 103.95 - 98.75 million.
    assert rows(
        corpus,
        "select stated_change, computed_change, implied_compared_value, is_contradicted "
        "from changes where company = 'Netflix' and metric = 'subscriber_net_additions' "
        "and region = 'Global' and period = '2017-Q2'",
    ) == [(D("5200000"), D("5200000"), D("98750000"), False)]


def test_a_stated_margin_is_computed_from_its_levels_and_checked(corpus: Engine) -> None:
    # Netflix, 2017-Q2: operating profit 128 million over revenue 2.785 billion = 4.5960...%;
    # 127.5 / 2,785.5 = 4.57727...% at the lowest and 128.5 / 2,784.5 = 4.61483...% at the
    # highest; the stated 4.6% (4.55-4.65) lies within.
    assert rows(
        corpus,
        "select numerator_metric, denominator_metric, unit, stated_value, numerator_value, "
        "denominator_value, computed_value, computed_low, computed_high, difference, "
        "is_contradicted from ratios where company = 'Netflix' and metric = 'operating_margin'",
    ) == [
        (
            "operating_profit",
            "revenue",
            "percent",
            D("4.6"),
            D("128000000"),
            D("2785000000"),
            D("4.5961"),
            D("4.5772"),
            D("4.6149"),
            D("-0.0039"),
            False,
        )
    ]
    # Unstated, computed: Xiaomi's grant rate, 2,895 granted of 7,071 filed (a share, 0..1).
    assert rows(
        corpus,
        "select stated_value, computed_value, computed_low, computed_high from ratios "
        "where company = 'Xiaomi' and metric = 'patent_grant_rate'",
    ) == [(None, D("0.4094"), D("0.4093"), D("0.4096"))]


def test_segments_add_up_beside_their_whole(corpus: Engine) -> None:
    # Huawei 2017: carrier 297.8 + consumer 237.2 + enterprise 54.9 = 589.9 billion yuan of
    # 603.6 billion; the source does not say the three are all of it, so nothing is missed.
    assert rows(
        corpus,
        "select part_count, parts, parts_sum, whole_value, is_sum_of_parts, "
        "parts_exceed_whole, parts_miss_whole from part_sums where company = 'Huawei' "
        "and metric = 'revenue' and dimension = 'segment' and period = '2017'",
    ) == [
        (
            3,
            "Carrier business, Consumer business, Enterprise business",
            D("589900000000"),
            D("603600000000"),
            False,
            False,
            False,
        )
    ]


def test_a_vendors_share_of_the_market_total_beside_the_stated_share(corpus: Engine) -> None:
    # Gartner, 2017-Q3: Lenovo's 14.3 million PCs of the market's 67 million = 21.3433%; with
    # rounding, 14.25 / 67.5 = 21.1111% to 14.35 / 66.5 = 21.5789...% (up: 21.5790); Gartner
    # states 21.4%.
    assert rows(
        corpus,
        "select share_metric, company_value, market_value, stated_share_pct, "
        "computed_share_pct, computed_low_pct, computed_high_pct, is_contradicted "
        "from market_shares where company = 'Lenovo'",
    ) == [
        (
            "pc_market_share",
            D("14300000"),
            D("67000000"),
            D("21.4"),
            D("21.3433"),
            D("21.1111"),
            D("21.579"),
            False,
        )
    ]
    # The market's own growth, derived like a company's: 67 million after -3.6% implies
    # 67,000,000 / 0.964 = 69,502,074.69 in 2016-Q3.
    assert rows(
        corpus,
        "select region, stated_growth_pct, implied_base_value from growth "
        "where company is null and metric = 'pc_shipments_yoy_growth' and region = 'Global'",
    ) == [("Global", D("-3.6"), D("69502074.69"))]


def test_more_than_doubled_implies_an_upper_bound_only(corpus: Engine) -> None:
    # Canalys: Apple "more than doubled" its iPhone shipments in India to 900,000: growth of at
    # least 100%, so 2016-Q3 was at most 900,000.5 / 2 = 450,000.25, with no lowest value.
    assert rows(
        corpus,
        "select stated_growth_pct, stated_bound, implied_base_value, implied_base_low, "
        "implied_base_high from growth where company = 'Apple' and product = 'iPhone' "
        "and metric = 'smartphone_shipments_yoy_growth'",
    ) == [(D("100"), "at_least", D("450000"), None, D("450000.25"))]


NOTE_TEXT = """date 2017-08-01
Acme's quarter. Acme earned revenue of 100 million dollars and an operating profit of 5 million
dollars, an operating margin of 10 percent. Acme had 10.0 million subscribers at the end of June,
after 8.0 million at the end of March; it added 1.0 million subscribers in the quarter. In
Ruritania, 5.0 million smartphones were sold in the quarter, 2.0 million of them by Acme, a 30
percent share; Acme's Widget sold 1.5 million and its Gadget 1.0 million.
"""

NOTE_FACTS = """\
source:
  text: acme-note.txt
  title: Acme's quarter
companies:
  - {key: acme, name: Acme}
products:
  - {key: acme-widget, name: Widget, company: acme, kind: smartphone}
  - {key: acme-gadget, name: Gadget, company: acme, kind: smartphone}
facts:
  - {metric: revenue, company: acme, period: 2017-Q2, value: 100 million, unit: USD,
     basis: reported, quote: revenue of 100 million dollars}
  - {metric: operating_profit, company: acme, period: 2017-Q2, value: 5 million, unit: USD,
     basis: reported, quote: an operating profit of 5 million}
  - {metric: operating_margin, company: acme, period: 2017-Q2, value: 10, basis: reported,
     quote: an operating margin of 10 percent}
  - {metric: subscribers, company: acme, period: 2017-06-30, value: 10.0 million,
     basis: reported, quote: Acme had 10.0 million subscribers at the end of June}
  - {metric: subscribers, company: acme, period: 2017-03-31, value: 8.0 million,
     basis: reported, quote: after 8.0 million at the end of March}
  - {metric: subscriber_net_additions, company: acme, period: 2017-Q2, value: 1.0 million,
     basis: reported, quote: it added 1.0 million subscribers in the quarter}
  - {metric: smartphone_shipments, market: ruritania, period: 2017-Q2, value: 5.0 million,
     basis: reported, quote: 5.0 million smartphones were sold in the quarter}
  - {metric: smartphone_shipments, company: acme, region: ruritania, period: 2017-Q2,
     value: 2.0 million, basis: reported, quote: 2.0 million of them by Acme}
  - {metric: smartphone_market_share, company: acme, region: ruritania, period: 2017-Q2,
     value: 30, basis: reported, quote: "a 30\\npercent share"}
  - {metric: smartphone_shipments, company: acme, product: acme-widget, region: ruritania,
     period: 2017-Q2, value: 1.5 million, basis: reported, quote: Widget sold 1.5 million}
  - {metric: smartphone_shipments, company: acme, product: acme-gadget, region: ruritania,
     period: 2017-Q2, value: 1.0 million, basis: reported, quote: Gadget 1.0 million}
"""


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_mart_check_fails_on_derived_figures_that_cannot_all_hold(
    empty: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    catalogue = (DEFAULT_SEEDS_DIR / "catalogue.yaml").read_text(encoding="utf-8")
    catalogue += "  - {key: ruritania, name: Ruritania, kind: country}\n"
    (folder / "catalogue.yaml").write_text(catalogue, encoding="utf-8")
    (folder / "acme-note.txt").write_text(NOTE_TEXT, encoding="utf-8")
    (folder / "acme-note.yaml").write_text(NOTE_FACTS, encoding="utf-8")
    operations.build(empty, [folder])
    failed = {r.check.name: r.rows for r in operations.check(empty) if not r.passed}
    # Each named where its statements are (the stated figure and its inputs), with the rounding
    # its digits allow: 4.5-5.5 over 99.5-100.5 million is 4.4776% to
    # 5.5277%, not 10% (9.5-10.5); 9.95-10.05 less 7.95-8.05 million is 1.9-2.1 million, not
    # 0.95-1.05; 1.95-2.05 of 4.95-5.05 million is 38.6138% to 41.4142%, not 30%; Acme's two
    # phones (2.4-2.6 million) outsell Acme (1.95-2.05 million).
    assert failed == {
        "ratios_reconcile_with_levels": [
            ("Acme", "operating_margin", "Global", None, None, None, "2017-Q2", D("10"),
             D("4.4776"), D("5.5277"),
             "acme-note.yaml:10, acme-note.yaml:12, acme-note.yaml:14"),
        ],
        "changes_reconcile_with_levels": [
            ("Acme", "subscriber_net_additions", "Global", None, None, None, "2017-Q2",
             "2017-03-31", D("1000000"), D("2000000"),
             "acme-note.yaml:16, acme-note.yaml:18, acme-note.yaml:20"),
        ],
        "market_shares_reconcile_with_levels": [
            ("Acme", "smartphone_shipments", "Ruritania", None, "2017-Q2", D("30"),
             D("38.6138"), D("41.4142"),
             "acme-note.yaml:22, acme-note.yaml:24, acme-note.yaml:26"),
        ],
        "parts_fit_their_whole": [
            ("Acme", "smartphone_shipments", "Ruritania", "product", "smartphone", None,
             "2017-Q2", "Gadget, Widget", D("2400000"), D("2600000"), D("1950000"),
             D("2050000"), "acme-note.yaml:24"),
        ],
    }  # fmt: skip


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_net_loss_of_subscribers_is_a_change_below_zero(empty: Engine, tmp_path: Path) -> None:
    # A change metric's unit bounds levels (no negative count of subscribers), not changes.
    folder = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS_DIR, folder)
    (folder / "loss-note.txt").write_text(
        "date 2017-08-01\nAcme lost 200,000 subscribers in the quarter.\n", encoding="utf-8"
    )
    (folder / "loss-note.yaml").write_text(
        "source: {text: loss-note.txt, title: A loss}\n"
        "companies:\n  - {key: acme, name: Acme}\n"
        "facts:\n"
        "  - {metric: subscriber_net_additions, company: acme, period: 2017-Q2,\n"
        "     value: -200000, basis: reported, quote: 'Acme lost 200,000 subscribers'}\n",
        encoding="utf-8",
    )
    operations.build(empty, [folder])
    assert rows(
        empty,
        "select value from fact_provenance where company = 'Acme' "
        "and metric = 'subscriber_net_additions'",
    ) == [(D("-200000"),)]

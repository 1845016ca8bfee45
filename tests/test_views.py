"""The public views return the article's figures, exactly, on DuckDB and on PostgreSQL."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mart import operations, views
from mart.config import DEFAULT_SEEDS_DIR
from tests.conftest import BACKENDS, FOUNDING_SEEDS

pytestmark = pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_shipments_quarterly_reported_and_implied(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, period, period_start, period_end, units, basis, "
        "qoq_growth_pct, attributed_to, source_count from shipments_quarterly order by period",
    ) == [
        (
            "Xiaomi",
            "2017-Q1",
            date(2017, 1, 1),
            date(2017, 3, 31),
            Decimal("13623529.41"),
            "implied",
            None,
            None,
            2,
        ),
        (
            "Xiaomi",
            "2017-Q2",
            date(2017, 4, 1),
            date(2017, 6, 30),
            Decimal("23160000"),
            "reported",
            Decimal("70"),
            None,
            2,
        ),
    ]


def test_revenue_growth_india_first_half(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, region, period, yoy_growth_pct, growth_multiple, "
        "attributed_to, source_count from revenue_growth",
    ) == [
        ("Xiaomi", "India", "2017-H1", Decimal("328"), Decimal("4.28"), None, 2),
    ]


def test_patent_summary_last_year(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, year, filed, granted, grant_rate, international_share, attributed_to "
        "from patent_summary",
    ) == [
        ("Xiaomi", 2016, 7071, 2895, Decimal("0.409419"), Decimal("0.5"), None),
    ]


def test_store_footprint_keeps_unknown_counts_null(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, region, store_brand, as_of, open_stores, "
        "planned_openings, stores_after_plan, attributed_to, source_count from store_footprint "
        "order by region",
    ) == [
        ("Xiaomi", "China", "Mi Home", date(2017, 7, 7), 123, 14, 137, None, 2),
        ("Xiaomi", "India", "Mi Home", date(2017, 7, 7), None, None, None, None, 1),
    ]


def test_revenue_targets_with_usd(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, fiscal_year, target_amount, currency, "
        "target_amount_usd, attributed_to, source_count from revenue_targets",
    ) == [
        ("Xiaomi", 2017, Decimal("100000000000"), "CNY", Decimal("14710000000"), None, 2),
    ]


def test_market_positions(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, region, subject, subject_kind, rank, measure, period, "
        "attributed_to, source_count from market_positions order by region, rank, subject",
    ) == [
        (
            "Xiaomi",
            "China",
            "Xiaomi",
            "brand",
            1,
            "smartphone sales on JD.com, Tmall and Suning "
            "during the mid-year online shopping festival",
            "2017-06",
            None,
            1,
        ),
        (
            "Xiaomi",
            "Global",
            "Xiaomi",
            "brand",
            4,
            "companies able to make both smartphones and chips, in order of arrival",
            "2017-02",
            None,
            1,
        ),
        (
            "Xiaomi",
            "India",
            "Redmi Note 4",
            "product",
            1,
            "smartphone shipments",
            "2017-07-07",
            None,
            1,
        ),
        ("Xiaomi", "India", "Xiaomi", "brand", 2, "overall smartphone market", "2017-07-07", None,
         2),
    ]  # fmt: skip


def test_no_view_names_a_metric_key_but_a_view_about_that_metric(founded: Engine) -> None:
    # The site's lineage reads which keys a view's SQL names (mart.docs.read.catalogue).
    from mart.docs import read

    with founded.connect() as connection:
        keys = {key for (key,) in connection.execute(text("select metric_key from metric"))}
        named = {r.name: r.metrics for r in read.catalogue(connection, keys) if r.metrics}
    assert named == {
        "revenue_growth": ["revenue"],
        "revenue_targets": ["revenue"],
        "shipments_quarterly": ["smartphone_shipments"],
    }


# The research firms' reports (Canalys, Gartner): every figure attributed to the firm.
RESEARCH_SEEDS = sorted(
    [*DEFAULT_SEEDS_DIR.glob("canalys-*.yaml"), *DEFAULT_SEEDS_DIR.glob("gartner-*.yaml")]
)


@pytest.fixture
def researched(migrated: Engine) -> Engine:
    """The founding sources and the research firms' reports."""
    operations.seed(migrated, [*FOUNDING_SEEDS, *RESEARCH_SEEDS])
    return migrated


def test_shipments_quarterly_keeps_research_firms_figures(researched: Engine) -> None:
    # Canalys' India figures beside Xiaomi's own worldwide ones; Canalys gives rates on a year
    # earlier only, so no quarter-on-quarter rate and no implied quarter of its own.
    assert rows(
        researched,
        "select company, region, period, units, basis, qoq_growth_pct, attributed_to, "
        "source_count from shipments_quarterly order by company, region, period",
    ) == [
        ("Samsung Electronics", "India", "2017-Q3", Decimal(9400000), "reported", None,
         "Canalys", 1),
        ("Xiaomi", "Global", "2017-Q1", Decimal("13623529.41"), "implied", None, None, 2),
        ("Xiaomi", "Global", "2017-Q2", Decimal(23160000), "reported", Decimal(70), None, 2),
        ("Xiaomi", "India", "2017-Q3", Decimal(9200000), "reported", None, "Canalys", 1),
        # The whole Indian market's shipments ("just over 40 million"), no company.
        (None, "India", "2017-Q3", Decimal(40000000), "reported", None, "Canalys", 1),
    ]  # fmt: skip


def test_market_positions_say_whose_ranking_a_row_is(researched: Engine) -> None:
    assert rows(
        researched,
        "select coalesce(attributed_to, '-'), region, rank, subject, measure, period, "
        "market_share_pct, source_count from market_positions "
        "order by 1, region, measure, period, rank",
    ) == [
        ("-", "China", 1, "Xiaomi", "smartphone sales on JD.com, Tmall and Suning during the "
         "mid-year online shopping festival", "2017-06", None, 1),
        ("-", "Global", 4, "Xiaomi", "companies able to make both smartphones and chips, in "
         "order of arrival", "2017-02", None, 1),
        ("-", "India", 2, "Xiaomi", "overall smartphone market", "2017-07-07", None, 2),
        ("-", "India", 1, "Redmi Note 4", "smartphone shipments", "2017-07-07", None, 1),
        ("Canalys", "India", 1, "Samsung Electronics", "overall smartphone market", "2017-Q3",
         None, 1),
        ("Canalys", "India", 2, "Xiaomi", "overall smartphone market", "2017-Q3", None, 1),
        ("Canalys", "India", 3, "Vivo", "overall smartphone market", "2017-Q3", None, 1),
        ("Canalys", "India", 4, "Oppo", "overall smartphone market", "2017-Q3", None, 1),
        ("Canalys", "India", 5, "Lenovo", "overall smartphone market", "2017-Q3", None, 1),
        # India, a whole market, second among the world's countries.
        ("Canalys", "India", 2, "India", "size of the smartphone market among the world's "
         "countries", "2017-Q3", None, 1),
        ("Gartner", "Global", 1, "HP Inc.", "PC shipments", "2017-Q3", Decimal("21.8"), 1),
        ("Gartner", "Global", 2, "Lenovo", "PC shipments", "2017-Q3", Decimal("21.4"), 1),
        ("Gartner", "Global", 3, "Dell", "PC shipments", "2017-Q3", Decimal("15.2"), 1),
        ("Gartner", "Global", 4, "Asus", "PC shipments", "2017-Q3", Decimal("7.3"), 1),
        ("Gartner", "Global", 5, "Apple", "PC shipments", "2017-Q3", Decimal("6.9"), 1),
        ("Gartner", "Global", 6, "Acer", "PC shipments", "2017-Q3", Decimal("6.5"), 1),
    ]  # fmt: skip


def test_research_firms_report_no_patents_stores_or_revenue(researched: Engine) -> None:
    # The other four views: the founding figures only, none attributed.
    assert rows(
        researched,
        "select 'patent_summary', count(*), count(attributed_to) from patent_summary union all "
        "select 'store_footprint', count(*), count(attributed_to) from store_footprint union all "
        "select 'revenue_growth', count(*), count(attributed_to) from revenue_growth union all "
        "select 'revenue_targets', count(*), count(attributed_to) from revenue_targets "
        "order by 1",
    ) == [
        ("patent_summary", 1, 0),
        ("revenue_growth", 1, 0),
        ("revenue_targets", 1, 0),
        ("store_footprint", 2, 0),
    ]


# One company's figures as it states them and as a research firm (and its chief executive) put
# them: each view gives one row per attribution, never one attribution's figure beside
# another's (the firm's share beside the company's own rank, the executive's dollar goal beside
# the company's yuan one, the company's planned stores added to the firm's count).
MIXED_TEXT = """\
date 2017-07-10
MixCo shipped 10 million smartphones in the second quarter, up 25 percent on the first. \
Acme Research put its shipments at 11 million, up 10 percent on the quarter.
MixCo's revenue rose 20 percent to $1.2 billion in 2017, from $1 billion in 2016. \
Acme Research said revenue grew 25 percent.
MixCo aims for revenue of 10 billion yuan in 2018; chief executive Jane Doe said the goal is \
$2 billion.
In 2016 MixCo filed 1,000 patent applications and was granted 400 patents. \
Acme Research counted 800 applications.
On June 30 MixCo had 50 MixShop stores open and planned 5 more; Acme Research counted 60.
MixCo called itself the third-largest PC vendor in the quarter. \
Acme Research ranked it fourth with 9.5 percent of the market.
"""
MIXED_FACTS = """\
source: {text: mixco.txt, title: MixCo and what others say of it}
companies: [{key: mixco, name: MixCo}]
attributions:
  - {key: acme-research, name: Acme Research, kind: research_firm}
  - {key: jane-doe, name: Jane Doe, kind: executive}
facts:
  - {metric: smartphone_shipments, company: mixco, period: 2017-Q2, value: 10 million,
     basis: reported, quote: MixCo shipped 10 million smartphones in the second quarter}
  - {metric: smartphone_shipments_qoq_growth, company: mixco, period: 2017-Q2, value: 25,
     basis: reported, quote: "up 25 percent on the first"}
  - {metric: smartphone_shipments, company: mixco, attributed_to: acme-research, period: 2017-Q2,
     value: 11 million, basis: reported, quote: Acme Research put its shipments at 11 million}
  - {metric: smartphone_shipments_qoq_growth, company: mixco, attributed_to: acme-research,
     period: 2017-Q2, value: 10, basis: reported, quote: "up 10 percent on the quarter"}
  - {metric: revenue, company: mixco, period: 2017, value: 1.2 billion, unit: USD,
     basis: reported, quote: "MixCo's revenue rose 20 percent to $1.2 billion in 2017"}
  - {metric: revenue, company: mixco, period: 2016, value: 1 billion, unit: USD, basis: reported,
     quote: "from $1 billion in 2016"}
  - {metric: revenue_yoy_growth, company: mixco, period: 2017, value: 20, basis: reported,
     quote: "MixCo's revenue rose 20 percent"}
  - {metric: revenue_yoy_growth, company: mixco, attributed_to: acme-research, period: 2017,
     value: 25, basis: reported, quote: Acme Research said revenue grew 25 percent.}
  - {metric: revenue_target, company: mixco, period: 2018, value: 10 billion, unit: CNY,
     basis: target, quote: MixCo aims for revenue of 10 billion yuan in 2018}
  - {metric: revenue_target, company: mixco, attributed_to: jane-doe, period: 2018,
     value: 2 billion, unit: USD, basis: target, quote: "Jane Doe said the goal is"}
  - {metric: patents_filed, company: mixco, period: 2016, value: 1000, basis: reported,
     quote: "In 2016 MixCo filed 1,000 patent applications"}
  - {metric: patents_granted, company: mixco, period: 2016, value: 400, basis: reported,
     quote: was granted 400 patents}
  - {metric: patents_filed, company: mixco, attributed_to: acme-research, period: 2016,
     value: 800, basis: reported, quote: "Acme Research counted 800 applications."}
  - {metric: stores_open, company: mixco, store_brand: MixShop, period: 2017-06-30, value: 50,
     basis: reported, quote: On June 30 MixCo had 50 MixShop stores open}
  - {metric: stores_planned, company: mixco, store_brand: MixShop, period: 2017-06-30, value: 5,
     basis: reported, quote: planned 5 more}
  - {metric: stores_open, company: mixco, attributed_to: acme-research, store_brand: MixShop,
     period: 2017-06-30, value: 60, basis: reported, quote: Acme Research counted 60.}
  - {metric: pc_vendor_rank, company: mixco, period: 2017-Q2, value: 3, basis: reported,
     quote: MixCo called itself the third-largest PC vendor in the quarter.}
  - {metric: pc_vendor_rank, company: mixco, attributed_to: acme-research, period: 2017-Q2,
     value: 4, basis: reported, quote: Acme Research ranked it fourth}
  - {metric: pc_market_share, company: mixco, attributed_to: acme-research, period: 2017-Q2,
     value: 9.5, basis: reported, quote: with 9.5 percent of the market}
"""


@pytest.fixture
def mixed(migrated: Engine, tmp_path: Path) -> Engine:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "mixco.txt").write_text(MIXED_TEXT, encoding="utf-8")
    (folder / "mixco.yaml").write_text(MIXED_FACTS, encoding="utf-8")
    operations.seed(migrated, [folder])
    return migrated


def test_shipments_quarterly_sets_a_rate_beside_its_own_attributions_level(mixed: Engine) -> None:
    # The company's 25 % implies 10 million / 1.25 for Q1; the firm's 10 %, 11 million / 1.1.
    assert rows(
        mixed,
        "select period, units, bound, basis, qoq_growth_pct, attributed_to from "
        "shipments_quarterly order by period, units",
    ) == [
        ("2017-Q1", Decimal(8000000), "about", "implied", None, None),
        ("2017-Q1", Decimal(10000000), "about", "implied", None, "Acme Research"),
        ("2017-Q2", Decimal(10000000), "exact", "reported", Decimal(25), None),
        ("2017-Q2", Decimal(11000000), "exact", "reported", Decimal(10), "Acme Research"),
    ]


def test_revenue_growth_computes_from_its_own_attributions_levels(mixed: Engine) -> None:
    # 1.2 billion over 1 billion is the company's 20 %; the firm states no level, so its 25 %
    # has no computed rate.
    assert rows(
        mixed,
        "select period, yoy_growth_pct, growth_multiple, computed_growth_pct, attributed_to "
        "from revenue_growth order by yoy_growth_pct",
    ) == [
        ("2017", Decimal(20), Decimal("1.2"), Decimal(20), None),
        ("2017", Decimal(25), Decimal("1.25"), None, "Acme Research"),
    ]


def test_revenue_targets_pair_currencies_of_one_attribution(mixed: Engine) -> None:
    # The executive's dollar goal is not the US dollar figure of the company's yuan one.
    assert rows(
        mixed,
        "select fiscal_year, target_amount, currency, target_amount_usd, attributed_to "
        "from revenue_targets order by currency",
    ) == [
        (2018, Decimal(10000000000), "CNY", None, None),
        (2018, Decimal(2000000000), "USD", Decimal(2000000000), "Jane Doe"),
    ]


def test_patent_summary_rates_grants_over_filings_of_one_attribution(mixed: Engine) -> None:
    assert rows(
        mixed,
        "select year, filed, granted, grant_rate, attributed_to from patent_summary order by filed",
    ) == [
        (2016, 800, None, None, "Acme Research"),
        (2016, 1000, 400, Decimal("0.4"), None),
    ]


def test_store_footprint_adds_a_plan_to_its_own_attributions_count(mixed: Engine) -> None:
    assert rows(
        mixed,
        "select store_brand, as_of, open_stores, planned_openings, stores_after_plan, "
        "attributed_to from store_footprint order by open_stores",
    ) == [
        ("MixShop", date(2017, 6, 30), 50, 5, 55, None),
        ("MixShop", date(2017, 6, 30), 60, None, 60, "Acme Research"),
    ]


def test_market_positions_set_a_share_beside_its_own_attributions_rank(mixed: Engine) -> None:
    assert rows(
        mixed,
        "select subject, rank, measure, period, market_share_pct, attributed_to "
        "from market_positions order by rank",
    ) == [
        ("MixCo", 3, "PC shipments", "2017-Q2", None, None),
        ("MixCo", 4, "PC shipments", "2017-Q2", Decimal("9.5"), "Acme Research"),
    ]


def test_fact_provenance_traces_each_figure_to_its_sentence(founded: Engine) -> None:
    found = rows(
        founded,
        "select value, unit, basis, period, period_wording, quote, quote_start, "
        "quote_end, source_title, publisher, published_on from fact_provenance "
        "where metric = 'patents_filed'",
    )
    quote = (
        "Last year, the company also applied for 7,071 patents globally out of which "
        "2,895 patents were granted."
    )
    body = (DEFAULT_SEEDS_DIR / "xiaomi-q2-2017-shipments.txt").read_text(encoding="utf-8")
    start = body.index(quote)
    assert found == [
        (
            Decimal("7071"),
            "patents",
            "reported",
            "2016",
            "Last year",
            quote,
            start,
            start + len(quote),
            "Xiaomi shipped 23.16 million smartphones in Q2 2017 globally, number 2 in India, "
            "328% revenue growth",
            "Gizbot",
            date(2017, 7, 8),
        )
    ]


def test_every_figure_of_the_founding_article_is_stored(founded: Engine) -> None:
    found = rows(
        founded,
        "select metric, period, region, coalesce(product, store_brand, ''), "
        "value, unit, basis from fact_provenance "
        "where source_key = 'xiaomi-q2-2017-shipments' order by quote_start, metric, 4",
    )
    assert found == [
        ("results_announcement", "2017-07-07", "Global", "", Decimal(1), "flag", "reported"),
        ("smartphone_shipments", "2017-Q2", "Global", "", Decimal(23160000), "units", "reported"),
        (
            "smartphone_shipments_qoq_growth",
            "2017-Q2",
            "Global",
            "",
            Decimal(70),
            "percent",
            "reported",
        ),
        (
            "smartphone_shipments_record_high",
            "2017-Q2",
            "Global",
            "",
            Decimal(1),
            "flag",
            "reported",
        ),
        ("revenue_yoy_growth", "2017-H1", "India", "", Decimal(328), "percent", "reported"),
        ("smartphone_brand_rank", "2017-07-07", "India", "", Decimal(2), "rank", "reported"),
        (
            "smartphone_model_shipment_rank",
            "2017-07-07",
            "India",
            "Redmi Note 4",
            Decimal(1),
            "rank",
            "reported",
        ),
        ("product_launch", "2017-02", "Global", "Surge S1", Decimal(1), "flag", "reported"),
        ("patents_filed", "2016", "Global", "", Decimal(7071), "patents", "reported"),
        ("patents_granted", "2016", "Global", "", Decimal(2895), "patents", "reported"),
        ("patents_international_share", "2016", "Global", "", Decimal("0.5"), "share", "reported"),
        ("product_launch", "../2017-07-08", "Global", "Mi 6", Decimal(1), "flag", "reported"),
        ("product_launch", "../2017-07-08", "Global", "Mi Max 2", Decimal(1), "flag", "reported"),
        (
            "product_launch",
            "../2017-07-08",
            "Global",
            "Redmi Note 4",
            Decimal(1),
            "flag",
            "reported",
        ),
        ("stores_open", "2017-07-07", "China", "Mi Home", Decimal(123), "stores", "reported"),
        ("stores_planned", "2017-07-07", "China", "Mi Home", Decimal(14), "stores", "reported"),
        ("stores_open", "2017-07-07", "India", "Mi Home", None, "stores", "reported"),
        ("revenue_target", "2017", "Global", "", Decimal(100000000000), "CNY", "target"),
        ("rd_hiring_plan", "2017-07-08/2018-07-07", "Global", "", None, "people", "planned"),
    ]


def test_every_view_and_column_has_a_comment(founded: Engine) -> None:
    if founded.dialect.name == "duckdb":
        view_sql = "select view_name, comment from duckdb_views() where not internal"
        column_sql = (
            "select table_name, column_name, comment from duckdb_columns() "
            "where table_name in (select view_name from duckdb_views() where not internal)"
        )
    else:
        view_sql = (
            "select c.relname, obj_description(c.oid, 'pg_class') from pg_class c "
            "where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace"
        )
        column_sql = (
            "select c.relname, a.attname, col_description(c.oid, a.attnum) "
            "from pg_class c join pg_attribute a on a.attrelid = c.oid "
            "where c.relkind = 'v' and c.relnamespace = 'public'::regnamespace "
            "and a.attnum > 0"
        )
    documented = dict(rows(founded, view_sql))  # type: ignore[arg-type]
    assert sorted(documented) == sorted(views.names())
    assert all(documented.values()), documented
    missing = [(t, c) for t, c, comment in rows(founded, column_sql) if not comment]
    assert missing == []

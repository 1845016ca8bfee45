"""The public views return the article's figures, exactly, on DuckDB and on PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text

from mart import views
from mart.config import DEFAULT_SEEDS_DIR
from tests.conftest import BACKENDS

pytestmark = pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_shipments_quarterly_reported_and_implied(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, period, period_start, period_end, units, basis, "
        "qoq_growth_pct, source_count from shipments_quarterly order by period",
    ) == [
        (
            "Xiaomi",
            "2017-Q1",
            date(2017, 1, 1),
            date(2017, 3, 31),
            Decimal("13623529.41"),
            "implied",
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
            2,
        ),
    ]


def test_revenue_growth_india_first_half(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, region, period, yoy_growth_pct, growth_multiple, "
        "source_count from revenue_growth",
    ) == [
        ("Xiaomi", "India", "2017-H1", Decimal("328"), Decimal("4.28"), 2),
    ]


def test_patent_summary_last_year(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, year, filed, granted, grant_rate, international_share from patent_summary",
    ) == [
        ("Xiaomi", 2016, 7071, 2895, Decimal("0.409419"), Decimal("0.5")),
    ]


def test_store_footprint_keeps_unknown_counts_null(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, region, store_brand, as_of, open_stores, "
        "planned_openings, stores_after_plan, source_count from store_footprint "
        "order by region",
    ) == [
        ("Xiaomi", "China", "Mi Home", date(2017, 7, 7), 123, 14, 137, 2),
        ("Xiaomi", "India", "Mi Home", date(2017, 7, 7), None, None, None, 1),
    ]


def test_revenue_targets_with_usd(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, fiscal_year, target_amount, currency, "
        "target_amount_usd, source_count from revenue_targets",
    ) == [
        ("Xiaomi", 2017, Decimal("100000000000"), "CNY", Decimal("14710000000"), 2),
    ]


def test_market_positions(founded: Engine) -> None:
    assert rows(
        founded,
        "select company, region, subject, subject_kind, rank, measure, period, "
        "source_count from market_positions order by region, rank, subject",
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
            1,
        ),
        ("Xiaomi", "India", "Redmi Note 4", "product", 1, "smartphone shipments", "2017-07-07", 1),
        ("Xiaomi", "India", "Xiaomi", "brand", 2, "overall smartphone market", "2017-07-07", 2),
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

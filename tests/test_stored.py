"""Stored views (mart/views: metric_values and the comparisons are kept in tables): every load
rewrites the rows it changes in its own transaction, so a stored view always answers what its
SQL computes; `mart check` says when rows were written past the loader, and `mart migrate`
computes them again. On both backends."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mart import checks, operations, views
from mart.config import DEFAULT_SEEDS_DIR
from tests.conftest import BACKENDS, FOUNDING_SEEDS

D = Decimal
STORED = [
    "fact_agreement",
    "level_comparisons",
    "metric_values",
    "ratios",
    "revisions",
    "stated_comparisons",
]


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def stale(engine: Engine) -> dict[str, int]:
    """Rows each stored view's table holds that its SQL does not compute, or the reverse."""
    with engine.connect() as connection:
        found = {
            r.check.name.split(":")[1]: len(r.rows)
            for r in checks.run(connection)
            if r.check.name.startswith("stored_views_are_current:")
        }
    assert sorted(found) == STORED
    return {name: n for name, n in found.items() if n}


def test_the_stored_views_are_the_ones_the_files_declare() -> None:
    assert sorted(v.name for v in views.load() if v.stored) == STORED
    assert all(v.sql == f"select * from stored_{v.name}" for v in views.load() if v.stored)


def copy(paths: list[Path], folder: Path) -> list[Path]:
    folder.mkdir()
    for path in paths:
        shutil.copy(path, folder)
        shutil.copy(path.with_suffix(".txt"), folder)
    shutil.copy(DEFAULT_SEEDS_DIR / "catalogue.yaml", folder)
    return [folder / p.name for p in paths]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_each_load_rewrites_the_rows_it_changes(migrated: Engine, tmp_path: Path) -> None:
    article, summary = copy(FOUNDING_SEEDS, tmp_path / "seeds")
    operations.seed(migrated, [summary])
    assert stale(migrated) == {}
    shipments = (
        "select period, value, source_count from metric_values where company = 'Xiaomi' "
        "and metric = 'smartphone_shipments' and region = 'Global' order by period"
    )
    assert rows(migrated, shipments) == [("2017-Q2", D("23160000"), 1)]
    # The founding article states the same figure, and a growth of 70 % over the quarter before.
    operations.seed(migrated, [article])
    assert stale(migrated) == {}
    assert rows(migrated, shipments) == [("2017-Q2", D("23160000"), 2)]
    assert rows(
        migrated,
        "select stated_value, current_value, compared_value, compared_period "
        "from stated_comparisons where company = 'Xiaomi' "
        "and metric = 'smartphone_shipments_qoq_growth' and region = 'Global'",
    ) == [(D("70"), D("23160000"), None, "2017-Q1")]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_renamed_company_rewrites_every_stored_row(migrated: Engine, tmp_path: Path) -> None:
    article, summary = copy(FOUNDING_SEEDS, tmp_path / "seeds")
    operations.seed(migrated, [summary, article])
    # Only the article changes, but the summary's Xiaomi rows carry the company's name too.
    article.write_text(
        article.read_text(encoding="utf-8").replace("name: Xiaomi\n", "name: Xiaomi Inc.\n"),
        encoding="utf-8",
    )
    operations.seed(migrated, [article])
    assert stale(migrated) == {}
    assert rows(migrated, "select distinct company from metric_values order by 1") == [
        ("Xiaomi Inc.",)
    ]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_row_written_past_the_loader_fails_the_check_until_migrate(migrated: Engine) -> None:
    operations.seed(migrated, FOUNDING_SEEDS)
    with migrated.begin() as connection:
        connection.execute(
            text(
                "update statement set value = 23170000, interval_low = 23165000, "
                "interval_high = 23175000 where value = 23160000"
            )
        )
    # The stored figure and the computed one, in each view over the statements; the
    # comparisons read the stored metric_values.
    assert stale(migrated) == {"fact_agreement": 2, "metric_values": 2}
    operations.upgrade(migrated)
    assert stale(migrated) == {}


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_a_whole_markets_figure_rewrites_the_markets_rows(migrated: Engine, tmp_path: Path) -> None:
    (gartner,) = copy([DEFAULT_SEEDS_DIR / "gartner-pc-q3-2017-summary.yaml"], tmp_path / "seeds")
    operations.seed(migrated, FOUNDING_SEEDS)
    operations.seed(migrated, [gartner])
    assert stale(migrated) == {}
    # Gartner: world PC shipments fell 3.6 % on the year to 67 million: a market's row.
    market = (
        "select is_market, stated_value, current_value, compared_period from stated_comparisons "
        "where company is null and metric = 'pc_shipments_yoy_growth' and region = 'Global'"
    )
    assert rows(migrated, market) == [(True, D("-3.6"), D("67000000"), "2016-Q3")]
    # The source corrected to 66 million: the loader rewrites the market's rows.
    for path in (gartner, gartner.with_suffix(".txt")):
        path.write_text(
            path.read_text(encoding="utf-8").replace("67 million", "66 million"),
            encoding="utf-8",
        )
    operations.seed(migrated, [gartner])
    assert stale(migrated) == {}
    assert rows(migrated, market) == [(True, D("-3.6"), D("66000000"), "2016-Q3")]

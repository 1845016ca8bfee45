"""Every public view returns the same rows on DuckDB and PostgreSQL for the same seeds."""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mart import operations, views
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import make_engine
from tests.test_views import rows


@pytest.mark.postgres
def test_every_view_returns_the_same_rows_on_both_backends(
    seeded: Engine, postgres_url: str
) -> None:
    postgres = make_engine(postgres_url)
    try:
        operations.build(postgres, [DEFAULT_SEEDS_DIR])
        for view in views.names():
            sql = f"select * from {view}"
            on_duckdb = sorted(rows(seeded, sql), key=repr)
            on_postgres = sorted(rows(postgres, sql), key=repr)
            assert on_duckdb == on_postgres, view
            assert len(on_duckdb) > 0, view
    finally:
        postgres.dispose()


TIES_TEXT = (
    "date 2017-07-08\nRevenue rose 0.185 percent. Of 640 patents filed last year, 7 were granted.\n"
)
TIES_FACTS = """\
source: {text: ties.txt, title: Rounding ties}
companies: [{key: tieco, name: TieCo}]
facts:
  - {metric: revenue_yoy_growth, company: tieco, period: 2017, value: 0.185, basis: reported,
     quote: Revenue rose 0.185 percent.}
  - {metric: patents_filed, company: tieco, period: last year, value: 640, basis: reported,
     quote: "Of 640 patents filed last year, 7 were granted."}
  - {metric: patents_granted, company: tieco, period: last year, value: 7, basis: reported,
     quote: "Of 640 patents filed last year, 7 were granted."}
"""


@pytest.mark.postgres
def test_rounding_ties_round_the_same_on_both_backends(
    seeded: Engine, postgres_url: str, tmp_path: Path
) -> None:
    # 1 + 0.185 / 100 = 1.00185 and 7 / 640 = 0.0109375 are exact ties: DuckDB divides decimals
    # in double precision, so the views avoid division where rounding follows.
    folder = tmp_path / "ties"
    folder.mkdir()
    (folder / "ties.txt").write_text(TIES_TEXT, encoding="utf-8")
    (folder / "ties.yaml").write_text(TIES_FACTS, encoding="utf-8")
    postgres = make_engine(postgres_url)
    try:
        for engine in (seeded, postgres):
            operations.build(engine, [DEFAULT_SEEDS_DIR, folder])
            assert rows(
                engine, "select growth_multiple from revenue_growth where company = 'TieCo'"
            ) == [(Decimal("1.0019"),)]
            assert rows(
                engine, "select grant_rate from patent_summary where company = 'TieCo'"
            ) == [(Decimal("0.010938"),)]
    finally:
        postgres.dispose()

"""`mart docs`: every derived figure written out with its arithmetic, its interval and links to
the statements behind each input, on a tiny mart whose catalogue declares a growth, a change, a
ratio and a market share (issue 18)."""

import html
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from mart import operations
from mart.cli import app
from tests.conftest import BACKENDS

CATALOGUE = """\
units:
  - {key: units, name: Units, minimum: 0}
  - {key: percent, name: Percent}
  - {key: subscribers, name: Subscribers, minimum: 0, whole: true}
region_kinds:
  - {key: world, description: The whole world.}
  - {key: country, description: One country.}
metrics:
  - {key: gadget_sales, name: Gadget sales, unit: units, description: Gadgets sold.}
  - {key: gadget_sales_yoy_growth, name: Gadget sales growth, unit: percent,
     description: Growth of gadget sales on a year earlier., growth_of: gadget_sales,
     compared_with: year_earlier}
  - {key: gadget_share, name: Gadget market share, unit: percent,
     description: Share of the market's gadget sales., share_of: gadget_sales,
     share_within: market}
  - {key: members, name: Members, unit: subscribers, as_of: true,
     description: Members at the end of the period.}
  - {key: members_added, name: Members added, unit: subscribers,
     description: Members added in the period., change_of: members,
     compared_with: previous_period}
  - {key: sales, name: Sales, unit: currency, description: Sales.}
  - {key: profit, name: Profit, unit: currency, description: Profit.}
  - {key: margin, name: Margin, unit: percent, description: Profit over sales.,
     ratio_of: [profit, sales]}
regions:
  - {key: global, name: Global, kind: world}
  - {key: ruritania, name: Ruritania, kind: country}
"""
TEXT = """\
date 2017-07-08
Gizmo's gadget sales more than doubled to 900,000 in 2017. It added 8 million members in Q2
2017 to reach 60 million. Sales were $1.2 billion and profit $300 million, a margin of 25
percent. In Ruritania it sold 500,000 gadgets of the market's 2 million, a 25 percent share.
Doohickey sold 1,500 gadgets in 2017, up 50 percent from 1,000 in 2016. It had 10 million
members at the end of Q1 2017 and 12 million at the end of Q2, having added 5 million.
"""
FACTS = """\
source:
  text: gizmo.txt
  title: Gizmo results
  publisher: Gizmo Times
  published_on: 2017-07-08
companies:
  - {key: gizmo, name: Gizmo}
  - {key: doohickey, name: Doohickey}
facts:
  - {metric: gadget_sales, company: gizmo, period: 2017, value: "900,000", basis: reported,
     quote: "gadget sales more than doubled to 900,000 in 2017"}
  - {metric: gadget_sales_yoy_growth, company: gizmo, period: 2017, value: more than doubled,
     basis: reported, quote: "gadget sales more than doubled"}
  - {metric: members_added, company: gizmo, period: Q2 2017, value: 8 million,
     basis: reported, quote: "added 8 million members"}
  - {metric: members, company: gizmo, period: Q2 2017, value: 60 million, basis: reported,
     quote: "to reach 60 million"}
  - {metric: sales, company: gizmo, period: 2017, value: 1.2 billion, unit: USD,
     basis: reported, quote: "Sales were $1.2 billion"}
  - {metric: profit, company: gizmo, period: 2017, value: 300 million, unit: USD,
     basis: reported, quote: "profit $300 million"}
  - {metric: margin, company: gizmo, period: 2017, value: 25, basis: reported,
     quote: "a margin of 25\\npercent"}
  - {metric: gadget_sales, company: gizmo, region: ruritania, period: 2017, value: "500,000",
     basis: reported, quote: "it sold 500,000 gadgets"}
  - {metric: gadget_sales, market: ruritania, region: ruritania, period: 2017,
     value: 2 million, basis: reported, quote: "the market's 2 million"}
  - {metric: gadget_share, company: gizmo, region: ruritania, period: 2017, value: 25,
     basis: reported, quote: "a 25 percent share"}
  - {metric: gadget_sales, company: doohickey, period: 2017, value: "1,500", basis: reported,
     quote: "Doohickey sold 1,500 gadgets in 2017"}
  - {metric: gadget_sales_yoy_growth, company: doohickey, period: 2017, value: 50,
     basis: reported, quote: "up 50 percent"}
  - {metric: gadget_sales, company: doohickey, period: 2016, value: "1,000", basis: reported,
     quote: "from 1,000 in 2016"}
  - {metric: members, company: doohickey, period: Q1 2017, value: 10 million, basis: reported,
     quote: "10 million\\nmembers at the end of Q1 2017"}
  - {metric: members, company: doohickey, period: Q2 2017, value: 12 million, basis: reported,
     quote: "12 million at the end of Q2"}
  - {metric: members_added, company: doohickey, period: Q2 2017, value: 5 million,
     basis: reported, quote: "having added 5 million"}
"""


pytestmark = pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)


@pytest.fixture
def site(migrated: Engine, tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """The site `mart docs` writes of the tiny mart, and each quote's statement id."""
    engine = migrated
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (seeds / "gizmo.txt").write_text(TEXT, encoding="utf-8")
    (seeds / "gizmo.yaml").write_text(FACTS, encoding="utf-8")
    operations.seed(engine, [seeds])
    with engine.connect() as connection:
        stated = connection.execute(text("select quote, fact_id from fact_provenance"))
        ids = {quote: fact_id for quote, fact_id in stated}
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()  # DuckDB: the command opens the file itself
    result = CliRunner().invoke(app, ["docs", str(tmp_path / "site"), "--db", url])
    assert result.exit_code == 0, result.output
    assert "2 company, 1 markets, 1 source" in result.stdout
    return tmp_path / "site", ids


def entries(page: str) -> dict[str, dict[str, list[str]]]:
    """Each derived figure of a page by its title cell: its arithmetic and its inputs (links
    as written, HTML), read from the table the template writes."""
    found = {}
    for anchor, body in re.findall(r'<tr id="(derived-\d+)"[^>]*>(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        title = html.unescape(re.sub(r"<[^>]+>", "", cells[0]))
        found[title] = {
            "anchor": [anchor],
            "period": [html.unescape(cells[2])],
            "lines": [
                html.unescape(f"{what} {text}")
                for what, text in re.findall(
                    r'<span class="what">(.*?)</span> <span class="sum">(.*?)</span>', body
                )
            ],
            "inputs": re.findall(r"<li>(.*?)</li>", cells[5]),
        }
    return found


def link(fact_id: int) -> str:
    return (
        f'<a href="../sources/gizmo.html#f{fact_id}" title="Gizmo results">'
        "Gizmo Times, 2017-07-08</a>"
    )


def test_an_implied_base_of_an_at_least_rate_is_an_upper_bound(
    site: tuple[Path, dict[str, int]],
) -> None:
    directory, ids = site
    page = (directory / "companies" / "gizmo.html").read_text(encoding="utf-8")
    growth = entries(page)["Gadget sales growth growth"]
    assert growth == {
        "anchor": ["derived-1"],
        "period": ["2017 vs 2016"],
        "lines": [
            "implied 2016: 900,000 / (1 + 100 %) = 450,000; "
            "the rate is at least 100 %: at most 450,000.25"
        ],
        "inputs": [
            f"stated rate: {link(ids['gadget sales more than doubled'])}",
            f"Gadget sales 2017: {link(ids['gadget sales more than doubled to 900,000 in 2017'])}",
        ],
    }
    # The chart draws the implied 2016 point, open below, and links it to its arithmetic.
    specs = re.findall(r'<script type="application/json" id="chart-\d+">(.*?)</script>', page)
    points = [v for s in specs for v in json.loads(s)["data"]["values"] if v["basis"] == "implied"]
    assert [(p["period"], p["shown"], p["bound"], p["href"]) for p in points] == [
        ("2016", "450,000 units (at most 450,000.25)", "at_most", "#derived-1")
    ]
    assert '<td><a href="#derived-1">arithmetic</a>; <a href="../sources/' in page


def test_a_change_implies_the_earlier_level(site: tuple[Path, dict[str, int]]) -> None:
    directory, ids = site
    page = (directory / "companies" / "gizmo.html").read_text(encoding="utf-8")
    assert entries(page)["Members added change"] == {
        "anchor": ["derived-2"],
        "period": ["2017-Q2 vs 2017-Q1"],
        "lines": [
            "implied 2017-Q1: 60,000,000 - 8,000,000 = 52,000,000; "
            "the inputs allow 51,000,000 to 53,000,000"
        ],
        "inputs": [
            f"stated change: {link(ids['added 8 million members'])}",
            f"Members 2017-Q2: {link(ids['to reach 60 million'])}",
        ],
    }


def test_a_ratio_is_computed_beside_the_stated_one(site: tuple[Path, dict[str, int]]) -> None:
    directory, ids = site
    page = (directory / "companies" / "gizmo.html").read_text(encoding="utf-8")
    # 299.5 million / 1.25 billion and 300.5 million / 1.15 billion, rounded outward.
    assert entries(page)["Margin ratio"] == {
        "anchor": ["derived-3"],
        "period": ["2017"],
        "lines": [
            "computed ratio: 300,000,000 / 1,200,000,000 = 25 percent; "
            "the levels allow 23.96 percent to 26.1305 percent",
            "stated vs computed: stated 25 percent, computed 25 percent: difference 0 percent",
        ],
        "inputs": [
            f"stated ratio: {link(ids['a margin of 25' + chr(10) + 'percent'])}",
            f"Profit 2017 (numerator): {link(ids['profit $300 million'])}",
            f"Sales 2017 (denominator): {link(ids['Sales were $1.2 billion'])}",
        ],
    }


def test_a_share_links_the_market_total_and_the_market_has_a_page(
    site: tuple[Path, dict[str, int]],
) -> None:
    directory, ids = site
    page = (directory / "companies" / "gizmo.html").read_text(encoding="utf-8")
    market = link(ids["the market's 2 million"])
    # 499,999.5 / 2.5 million and 500,000.5 / 1.5 million ("2 million": half a million either
    # side), rounded outward.
    assert entries(page)["Gadget market share market share"] == {
        "anchor": ["derived-4"],
        "period": ["2017"],
        "lines": [
            "computed share: 500,000 / 2,000,000 x 100 = 25 %; "
            "the levels allow 19.9999 % to 33.3334 %; stated 25 %: difference 0 points"
        ],
        "inputs": [
            f"stated share: {link(ids['a 25 percent share'])}",
            f"Gadget sales 2017 of the company: {link(ids['it sold 500,000 gadgets'])}",
            f"Gadget sales 2017 of the whole market: {market}",
        ],
    }
    # The market's own figure, and its companies added up beside it, are on the markets page.
    markets = (directory / "markets" / "index.html").read_text(encoding="utf-8")
    assert entries(markets)["Gadget sales parts and whole"] == {
        "anchor": ["derived-1"],
        "period": ["2017"],
        "lines": [
            "sum of parts: Gizmo (1 part by company) add up to 500,000; "
            "the parts allow 499,999.5 to 500,000.5",
            "whole: 2,000,000; its statements allow 1,500,000 to 2,500,000; "
            "parts - whole = -1,500,000",
        ],
        "inputs": [f"the whole: {market}"],
    }
    assert f"<td>{market}</td>" in markets
    index = (directory / "index.html").read_text(encoding="utf-8")
    assert '<a href="markets/index.html">Whole markets</a>' in index


def test_two_levels_give_the_growth_and_the_change_beside_the_stated_ones(
    site: tuple[Path, dict[str, int]],
) -> None:
    directory, ids = site
    page = (directory / "companies" / "doohickey.html").read_text(encoding="utf-8")
    found = entries(page)
    # 1,500 / 1,000 is the stated 50 %, and 1,500 / 1.5 the stated 1,000: 1,499.5 / 1.505 to
    # 1,500.5 / 1.495 rounded outward; 1,499.5 / 1,000.5 and 1,500.5 / 999.5 for the rate.
    assert found["Gadget sales growth growth"]["lines"] == [
        "implied 2016: 1,500 / (1 + 50 %) = 1,000; the inputs allow 996.34 to 1,003.68",
        "computed growth: (1,500 / 1,000 - 1) x 100 = 50 %; the levels allow "
        "49.8751 % to 50.1251 %; stated 50 %: difference 0 points",
    ]
    assert found["Gadget sales growth growth"]["inputs"][2] == (
        f"Gadget sales 2016: {link(ids['from 1,000 in 2016'])}"
    )
    # 12 million - 10 million is 2 million, give or take one: the stated 5 million cannot hold.
    change = found["Members added change"]
    assert change["lines"] == [
        "implied 2017-Q1: 12,000,000 - 5,000,000 = 7,000,000; "
        "the inputs allow 6,000,000 to 8,000,000",
        "computed change: 12,000,000 - 10,000,000 = 2,000,000; the levels allow "
        "1,000,000 to 3,000,000; stated 5,000,000: difference -3,000,000",
    ]
    assert (
        '<li class="flag">contradicted: the stated change and the levels&#39; change cannot '
        "both hold</li>"
    ) in page

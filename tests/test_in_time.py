"""Statements in time (issue 17): fiscal years named by their start, scales and currencies,
losses, two wordings of one figure, vintages and revisions, guidance and consensus against
actuals, what was known on a day; on both backends. The figures are those of the two small
made-up texts in tests/data/in_time/, computed here by hand."""

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mart import operations
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import MartError
from tests.conftest import BACKENDS, snapshot

pytestmark = pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)

DATA = Path(__file__).parent / "data" / "in_time"
D = Decimal
FY2017 = "2017-04-01/2018-03-31"  # Acme names its fiscal years by their start, ending in March


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(DEFAULT_SEEDS_DIR / "catalogue.yaml", folder)
    for path in DATA.iterdir():
        shutil.copy(path, folder)
    return folder


@pytest.fixture
def acme(migrated: Engine, seed_dir: Path) -> Engine:
    operations.seed(migrated, [seed_dir])
    return migrated


def test_a_start_named_fiscal_year_keeps_the_company_label(acme: Engine) -> None:
    assert rows(
        acme,
        "select metric, period, fiscal_period, period_start, period_end, unit from metric_values "
        "where company = 'Acme' and unit = 'JPY' order by metric",
    ) == [
        ("operating_profit", FY2017, "FY2017", date(2017, 4, 1), date(2018, 3, 31), "JPY"),
        (
            "revenue",
            "2017-04-01/2017-09-30",
            "FY2017-H1",
            date(2017, 4, 1),
            date(2017, 9, 30),
            "JPY",
        ),
    ]


def test_scales_currency_signs_and_losses(acme: Engine) -> None:
    assert rows(
        acme,
        "select metric, period, fiscal_period, value, bound, unit, source_count from metric_values "
        "where company = 'Acme' and unit in ('INR', 'GBP') and claim = 'actual' "
        "order by metric, unit",
    ) == [
        # "a net loss of Rs 1,862 crore in the June quarter": -1,862 x 10^7
        ("operating_profit", "2017-Q2", "FY2017-Q1", D(-18620000000), "exact", "INR", 1),
        # "£9,870 million" and "Nearly £10 billion" in one source: one figure, not a conflict
        ("revenue", "2017-Q3", None, D(9870000000), "exact", "GBP", 1),
        # "Rs 245 crore", stated by both sources: agreed, two sources
        ("revenue", "2017-Q2", "FY2017-Q1", D(2450000000), "exact", "INR", 2),
    ]


def test_two_wordings_of_one_figure_agree(acme: Engine) -> None:
    assert rows(
        acme,
        "select value, bound, interval_low, interval_high from fact_provenance "
        "where unit = 'GBP' order by value",
    ) == [
        (D(9870000000), "exact", D(9869500000), D(9870500000)),
        (D(10000000000), "at_most", None, D(10000000000)),
    ]
    assert rows(
        acme, "select is_disputed, source_count from fact_agreement where unit = 'GBP'"
    ) == [(False, 1)]


def test_each_revision_from_what_to_what_when_and_by_how_much(acme: Engine) -> None:
    assert rows(
        acme,
        "select metric, period, fiscal_period, claim, previous_value, previous_value_high, "
        "previous_stated_on, value, value_high, bound, stated_on, direction, change_value, "
        "change_pct from revisions order by stated_on",
    ) == [
        # "to 2.0 trillion yen from the 1.6 trillion yen it forecast in May": May's last day
        (
            "operating_profit",
            FY2017,
            "FY2017",
            "guidance",
            D(1600000000000),
            None,
            date(2017, 5, 31),
            D(2000000000000),
            None,
            "exact",
            date(2017, 11, 7),
            "raised",
            D(400000000000),
            D(25),
        ),
        # cut to between 1.8 and 1.9 trillion: the middle, 1.85 trillion, is 7.5 % lower
        (
            "operating_profit",
            FY2017,
            "FY2017",
            "guidance",
            D(2000000000000),
            None,
            date(2017, 11, 7),
            D(1800000000000),
            D(1900000000000),
            "range",
            date(2018, 2, 5),
            "lowered",
            D(-150000000000),
            D("-7.5"),
        ),
    ]


def test_views_show_the_latest_vintage(acme: Engine) -> None:
    assert rows(
        acme,
        "select value, value_high, bound, basis, stated_on, is_disputed from metric_values "
        "where metric = 'operating_profit' and unit = 'JPY'",
    ) == [(D(1800000000000), D(1900000000000), "range", "guidance", date(2018, 2, 5), False)]
    assert rows(
        acme,
        "select basis, value, value_high, stated_on from targets where metric = 'operating_profit'",
    ) == [("guidance", D(1800000000000), D(1900000000000), date(2018, 2, 5))]


@pytest.mark.parametrize(
    ("day", "known"),
    [
        ("2017-05-01", []),
        ("2017-06-30", [(D(1600000000000), None)]),
        ("2017-12-01", [(D(2000000000000), None)]),
        ("2018-02-05", [(D(1800000000000), D(1900000000000))]),
    ],
)
def test_what_was_known_on_a_day(acme: Engine, day: str, known: list[tuple[object, ...]]) -> None:
    assert (
        rows(
            acme,
            "select value, value_high from fact_provenance where metric = 'operating_profit' "
            f"and unit = 'JPY' and stated_on <= date '{day}' "
            f"and (known_until is null or known_until > date '{day}')",
        )
        == known
    )


def test_consensus_missed_with_the_interval_the_rounding_allows(acme: Engine) -> None:
    # Rs 245 crore against analysts' 250 crore: -2 %; exact figures are good to half a crore,
    # so the surprise lies between (244.5 - 250.5) / 250 = -2.4 % and (245.5 - 249.5) / 250.
    assert rows(
        acme,
        "select metric, period, actual_value, expected_basis, expected_by, expected_value, "
        "expected_stated_on, surprise_pct, surprise_low_pct, surprise_high_pct, outcome "
        "from expectations",
    ) == [
        (
            "revenue",
            "2017-Q2",
            D(2450000000),
            "consensus",
            "Analysts polled",
            D(2500000000),
            date(2017, 11, 7),
            D(-2),
            D("-2.4"),
            D("-1.6"),
            "missed",
        )
    ]


def test_a_guidance_and_an_actual_are_never_a_dispute(acme: Engine) -> None:
    assert rows(
        acme,
        "select claim, source_count, is_disputed from fact_agreement "
        "where metric = 'revenue' and unit = 'INR' order by claim",
    ) == [("actual", 2, False), ("consensus", 1, False)]


def test_the_fact_key_is_one_text_on_both_backends(acme: Engine) -> None:
    assert rows(
        acme,
        "select distinct fact_key from statement where unit = 'JPY' order by fact_key",
    ) == [
        (f"acme|operating_profit|global||||{FY2017}|JPY|guidance|",),
        ("acme|revenue|global||||2017-04-01/2017-09-30|JPY|actual|",),
    ]


BAD = [
    (
        "period: fiscal 2017, value: 1.6 trillion",
        "period: fiscal 2016, value: 1.6 trillion",
        ":7: facts[0].period: a guidance figure for 2016-04-01/2017-03-31, which ended on "
        "2017-03-31, before it was stated (2017-05-31): check the period and the company's "
        "fiscal_year_named_by, give stated_on when it was stated earlier, or write an actual as "
        "reported or preliminary (what analysts expected, quoted beside the actual: consensus)",
    ),
    (
        'period: the June quarter, value: "250 crore", unit: INR, basis: consensus',
        'period: 2017-Q2, value: "250 crore", unit: INR, basis: expected',
        ":12: facts[5].period: an expected figure for 2017-Q2, which ended on 2017-06-30, before "
        "it was stated (2017-11-07): check the period and the company's fiscal_year_named_by, "
        "give stated_on when it was stated earlier, or write an actual as reported or "
        "preliminary (what analysts expected, quoted beside the actual: consensus)",
    ),
    (
        "stated_on: in May",
        "stated_on: in December",
        ":7: facts[0].stated_on: 'in December' is not part of the quote (write the day as "
        "YYYY-MM-DD, or the words the quote holds)",
    ),
    (
        "stated_on: in May",
        "stated_on: 2017-12-01",
        ":7: facts[0].stated_on: cannot take '2017-12-01' as when the figure was stated: "
        "2017-12-01 is after publication (2017-11-07); write the day (e.g. '2017-05-10') or the "
        "source's words, looking back from publication (e.g. 'in May', 'on May 10', 'two months "
        "earlier', 'earlier')",
    ),
    (
        'value: "¥14,190 billion", unit: JPY',
        'value: "¥14,190 billion", unit: USD',
        ":9: facts[2].value: '¥14,190 billion' is written in JPY or CNY, but unit is USD",
    ),
    (
        "fiscal_year_named_by: start",
        "fiscal_year_named_by: first",
        ":3: companies[0].fiscal_year_named_by: not one of end, start: first (end: FY2017 ends "
        "in 2017, as Apple; start: fiscal 2017 starts in 2017, as SoftBank)",
    ),
    (
        'period: the June quarter, value: "net loss of Rs 1,862 crore"',
        'period: FY2017-Q1, period_wording: Q1 FY18, value: "net loss of Rs 1,862 crore"',
        ":10: facts[3].period_wording: 'Q1 FY18' reads as FY2018-Q1 (2018-04-01/2018-06-30), "
        "but period: gives FY2017-Q1 (2017-04-01/2017-06-30); check the period, or the "
        "company's fiscal_year_end_month and fiscal_year_named_by",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    migrated: Engine, seed_dir: Path, old: str, new: str, message: str
) -> None:
    path = seed_dir / "acme-2017-11-07.yaml"
    original = path.read_text()
    assert old in original
    path.write_text(original.replace(old, new))
    if "Q1 FY18" in new:  # the quote must hold the wording
        text_path = seed_dir / "acme-2017-11-07.txt"
        text_path.write_text(text_path.read_text().replace("in the June quarter", "in Q1 FY18"))
        path.write_text(path.read_text().replace("in the June quarter", "in Q1 FY18"))
    before = snapshot(migrated)
    with pytest.raises(MartError) as error:
        operations.seed(migrated, [seed_dir])
    assert str(error.value) == str(path) + message
    assert snapshot(migrated) == before

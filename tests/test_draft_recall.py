# ruff: noqa: E501 (a drafted file quotes its text's sentences whole)
"""`mart draft`, round three (issue 19): recall without losing precision. One class of wording
per test, each on a sentence written for the test (no corpus text: the bench's held-out part
stays unseen by the rules), the drafted facts asserted as the file writes them."""

from pathlib import Path

from mart.config import DEFAULT_SEEDS_DIR
from mart.draft import draft
from mart.draft.writer import write

CATALOGUE = DEFAULT_SEEDS_DIR / "catalogue.yaml"


def _facts(tmp_path: Path, body: str) -> str:
    """The facts section of the file drafted from body (its date line first)."""
    path = tmp_path / "article.txt"
    path.write_text(body, encoding="utf-8")
    written = write(draft(path, CATALOGUE), path.name)
    return written[written.index("facts:\n") :]


def test_a_currency_code_glued_to_the_digits(tmp_path: Path) -> None:
    # "RMB1,200 million (USD180 million)": the code glued to the digits is the amount's unit;
    # letters glued to digits that name no currency ("FY2018") are no amount
    assert _facts(
        tmp_path,
        "date 2019-03-20\n"
        "Acme said its revenue for 2018 rose 20 percent to RMB1,200 million (USD180 million), from RMB1,000 million in 2017.\n",
    ) == (
        """\
facts:
  - metric: revenue_yoy_growth  # guessed: metric from "revenue"; compared with a year earlier (the sentence does not say)
    company: acme
    period: for 2018
    value: 20
    basis: reported
    wording: rose 20 percent
    quote: Acme said its revenue for 2018 rose 20 percent to RMB1,200 million (USD180 million), from RMB1,000 million in 2017.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for 2018
    value: 1,200 million
    unit: CNY
    basis: reported
    wording: RMB1,200 million
    quote: Acme said its revenue for 2018 rose 20 percent to RMB1,200 million (USD180 million), from RMB1,000 million in 2017.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for 2018
    value: 180 million
    unit: USD
    basis: reported
    wording: USD180 million
    quote: Acme said its revenue for 2018 rose 20 percent to RMB1,200 million (USD180 million), from RMB1,000 million in 2017.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: in 2017
    value: 1,000 million
    unit: CNY
    basis: reported
    wording: RMB1,000 million
    quote: Acme said its revenue for 2018 rose 20 percent to RMB1,200 million (USD180 million), from RMB1,000 million in 2017.
"""
    )


def test_a_qualifier_is_its_own_clauses(tmp_path: Path) -> None:
    # "adjusted" of another clause qualifies not this clause's figure; an opening clause's
    # qualifier ("On an underlying basis,") qualifies every figure; "Reported" opening a clause
    # says how the figure is counted, it names no segment
    assert (
        _facts(
            tmp_path,
            "date 2018-05-10\nAcme Corp said on Thursday that its revenue for 2017 was 5 billion dollars.\nReported profit before tax rose 11 percent to 300 million dollars, while adjusted profit before tax fell 2 percent to 400 million dollars.\nOn an underlying basis, revenue rose 3 percent in 2017.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for 2017
    value: 5 billion
    unit: USD
    basis: reported
    wording: 5 billion dollars
    quote: Acme Corp said on Thursday that its revenue for 2017 was 5 billion dollars.

  - metric: profit_before_tax_yoy_growth  # guessed: metric from "profit before tax"
    company: acme
    period: 2017  # guessed: period of the article ("for 2017")
    value: 11
    basis: reported
    wording: rose 11 percent
    quote: Reported profit before tax rose 11 percent to 300 million dollars, while adjusted profit before tax fell 2 percent to 400 million dollars.

  - metric: profit_before_tax  # guessed: metric from "profit before tax"
    company: acme
    period: 2017  # guessed: period of the article ("for 2017")
    value: 300 million
    unit: USD
    basis: reported
    wording: 300 million dollars
    quote: Reported profit before tax rose 11 percent to 300 million dollars, while adjusted profit before tax fell 2 percent to 400 million dollars.

  - metric: adjusted_profit_before_tax_yoy_growth  # guessed: metric from "adjusted profit before tax"
    company: acme
    period: 2017  # guessed: period of the article ("for 2017")
    value: -2
    basis: reported
    wording: fell 2 percent
    quote: Reported profit before tax rose 11 percent to 300 million dollars, while adjusted profit before tax fell 2 percent to 400 million dollars.

  - metric: adjusted_profit_before_tax  # guessed: metric from "adjusted profit before tax"
    company: acme
    period: 2017  # guessed: period of the article ("for 2017")
    value: 400 million
    unit: USD
    basis: reported
    wording: 400 million dollars
    quote: Reported profit before tax rose 11 percent to 300 million dollars, while adjusted profit before tax fell 2 percent to 400 million dollars.

  # draft: not sure of the metric: revenue_yoy_growth, but the figure is "underlying"
  # - metric: revenue_yoy_growth  # guessed: metric from "revenue"; compared with a year earlier (the sentence does not say)
  #   company: acme
  #   period: in 2017
  #   value: 3
  #   basis: reported
  #   wording: rose 3 percent
  #   quote: On an underlying basis, revenue rose 3 percent in 2017.
"""
    )


def test_a_fiscal_year_named_by_two_years_and_a_fall_said_in_the_infinitive(tmp_path: Path) -> None:
    # "For 2018/19" in a year ending in March: FY2019; "to fall by about 2 percent": -2, of the
    # growth rate the catalogue keeps apart from revenue's ("underlying revenue")
    assert (
        _facts(
            tmp_path,
            "date 2018-05-10\nAcme said revenue for the year to 31 March 2018 was 500 million pounds.\nFor 2018/19, Acme expects underlying revenue to fall by about 2 percent.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: FY2018
    period_wording: for the year to 31 March 2018
    value: 500 million
    unit: GBP
    basis: reported
    wording: 500 million pounds
    quote: Acme said revenue for the year to 31 March 2018 was 500 million pounds.

  - metric: underlying_revenue_yoy_growth  # guessed: metric from "underlying revenue"
    company: acme
    period: FY2019
    period_wording: For 2018/19
    value: about -2
    basis: guidance  # guessed: basis: the company's own "expects"
    wording: fall by about 2 percent
    quote: For 2018/19, Acme expects underlying revenue to fall by about 2 percent.
"""
    )


def test_the_year_of_a_report_on_a_year(tmp_path: Path) -> None:
    # "for the year", "at the end of the year" in a report on 2017 (over at publication): 2017
    # and its last day, not the calendar year of publication; a part of the company its clause
    # names ("in the retail division", "the US carrier") or another's figures ("Beta's") are
    # not sure
    assert (
        _facts(
            tmp_path,
            "date 2018-03-01\nAcme said on Thursday that its revenue for 2017 was 900 million dollars.\nNet income for the year rose 12 percent to 80 million dollars.\nNet liquidity was 50 million dollars at the end of the year.\nNet liquidity in the retail division was 20 million dollars at the end of the year.\nBeta's revenue was 30 million dollars in 2017, and the US carrier added 1 million subscribers in 2017.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for 2017
    value: 900 million
    unit: USD
    basis: reported
    wording: 900 million dollars
    quote: Acme said on Thursday that its revenue for 2017 was 900 million dollars.

  - metric: net_income_yoy_growth  # guessed: metric from "Net income"; compared with a year earlier (the sentence does not say)
    company: acme
    period: 2017  # guessed: period: "for the year" of the article's year ("for 2017")
    period_wording: for the year
    value: 12
    basis: reported
    wording: rose 12 percent
    quote: Net income for the year rose 12 percent to 80 million dollars.

  - metric: net_income  # guessed: metric from "Net income"
    company: acme
    period: 2017  # guessed: period: "for the year" of the article's year ("for 2017")
    period_wording: for the year
    value: 80 million
    unit: USD
    basis: reported
    wording: 80 million dollars
    quote: Net income for the year rose 12 percent to 80 million dollars.

  - metric: net_liquidity  # guessed: metric from "Net liquidity"
    company: acme
    period: 2017-12-31  # guessed: period: "at the end of the year" of the article's year ("for 2017")
    period_wording: at the end of the year
    value: 50 million
    unit: USD
    basis: reported
    wording: 50 million dollars
    quote: Net liquidity was 50 million dollars at the end of the year.

  # draft: not sure of the segment: "division" names a part of the company, not read
  # - metric: net_liquidity  # guessed: metric from "Net liquidity"
  #   company: acme
  #   period: 2017-12-31  # guessed: period: "at the end of the year" of the article's year ("for 2017")
  #   period_wording: at the end of the year
  #   value: 20 million
  #   unit: USD
  #   basis: reported
  #   wording: 20 million dollars
  #   quote: Net liquidity in the retail division was 20 million dollars at the end of the year.

  # draft: not sure of the company: "Beta's" figures may be another's
  # - metric: revenue  # guessed: metric from "revenue"
  #   company: acme
  #   period: in 2017
  #   value: 30 million
  #   unit: USD
  #   basis: reported
  #   wording: 30 million dollars
  #   quote: "Beta's revenue was 30 million dollars in 2017, and the US carrier added 1 million subscribers in 2017."

  # draft: not sure of the segment: "carrier" names a part of the company, not read
  # - metric: subscriber_net_additions  # guessed: metric from "subscribers"
  #   company: acme
  #   period: in 2017
  #   value: 1 million
  #   basis: reported
  #   wording: added 1 million
  #   quote: "Beta's revenue was 30 million dollars in 2017, and the US carrier added 1 million subscribers in 2017."
"""
    )


def test_a_yearless_fiscal_year_begun_at_publication_is_not_ahead(tmp_path: Path) -> None:
    # "during the year to end March" said in May: the year that ended in March (a reported
    # figure), not the one begun in April
    assert (
        _facts(
            tmp_path,
            "date 2018-05-09\nAcme said on Wednesday that it added 2 million subscribers during the year to end March, in fiscal 2017, the year that ended on March 31, 2018.\n",
        )
        == """\
facts:
  - metric: subscriber_net_additions  # guessed: metric from "subscribers"
    company: acme
    period: FY2017
    period_wording: during the year to end March
    value: 2 million
    basis: reported
    wording: added 2 million
    quote: Acme said on Wednesday that it added 2 million subscribers during the year to end March, in fiscal 2017, the year that ended on March 31, 2018.
"""
    )


def test_a_quarter_of_the_reports_year_and_words_of_another_figure(tmp_path: Path) -> None:
    # three classes: "fourth-quarter" in a report on FY2018 is FY2018's fourth quarter (2018-Q1),
    # not a quarter without a year; "..., with fourth-quarter revenue of 250 million pounds"
    # names the later figure's metric, not 900 million's (its words are "revenue" before it);
    # "for the year to 31 March 2018, its 2017/18 financial year,": two wordings of one period
    # leave no doubt which clause's period the figure has
    assert (
        _facts(
            tmp_path,
            "date 2018-05-10\nAcme said on Thursday that revenue for the year to 31 March 2018, its 2017/18 financial year, rose 4 percent to 900 million pounds, with fourth-quarter revenue of 250 million pounds.\n",
        )
        == """\
facts:
  - metric: revenue_yoy_growth  # guessed: metric from "revenue"; compared with a year earlier (the sentence does not say)
    company: acme
    period: FY2018
    period_wording: its 2017/18 financial year
    value: 4
    basis: reported
    wording: rose 4 percent
    quote: Acme said on Thursday that revenue for the year to 31 March 2018, its 2017/18 financial year, rose 4 percent to 900 million pounds, with fourth-quarter revenue of 250 million pounds.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: FY2018
    period_wording: its 2017/18 financial year
    value: 900 million
    unit: GBP
    basis: reported
    wording: 900 million pounds
    quote: Acme said on Thursday that revenue for the year to 31 March 2018, its 2017/18 financial year, rose 4 percent to 900 million pounds, with fourth-quarter revenue of 250 million pounds.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: 2018-Q1  # guessed: period: "fourth-quarter" of the article's year ("for the year to 31 March 2018")
    period_wording: fourth-quarter
    value: 250 million
    unit: GBP
    basis: reported
    wording: 250 million pounds
    quote: Acme said on Thursday that revenue for the year to 31 March 2018, its 2017/18 financial year, rose 4 percent to 900 million pounds, with fourth-quarter revenue of 250 million pounds.
"""
    )


def test_a_forecast_of_the_year_under_way_and_a_profit_said_attributable_elsewhere(
    tmp_path: Path,
) -> None:
    # "raised its outlook for the fiscal year ending next March ... It now expects operating
    # income of 300 billion yen": the company's guidance for the year under way; "net income"
    # of an article that says "Net income attributable to Acme" elsewhere: which one, not sure
    # (the sentence that says it in full is the attributable one's)
    assert (
        _facts(
            tmp_path,
            "date 2017-11-07\nAcme raised its outlook on Tuesday for the fiscal year ending next March.\nIt now expects operating income of 300 billion yen and net income of 200 billion yen.\nNet income attributable to Acme was 50 billion yen in the July-September quarter.\n",
        )
        == """\
facts:
  - metric: operating_profit  # guessed: metric from "operating income"
    company: acme
    period: FY2018  # guessed: period of the article ("for the fiscal year ending next March")
    value: 300 billion
    unit: JPY
    basis: guidance  # guessed: basis: the company's own "expects"
    wording: 300 billion yen
    quote: It now expects operating income of 300 billion yen and net income of 200 billion yen.

  # draft: not sure of the metric: net_income, but the words name net_income_attributable
  # - metric: net_income  # guessed: metric from "net income"
  #   company: acme
  #   period: FY2018  # guessed: period of the article ("for the fiscal year ending next March")
  #   value: 200 billion
  #   unit: JPY
  #   basis: expected  # guessed: basis from "expects"
  #   wording: 200 billion yen
  #   quote: It now expects operating income of 300 billion yen and net income of 200 billion yen.

  - metric: net_income_attributable  # guessed: metric from "Net income attributable to Acme"
    company: acme
    period: FY2018-Q2
    period_wording: in the July-September quarter
    value: 50 billion
    unit: JPY
    basis: reported
    wording: 50 billion yen
    quote: Net income attributable to Acme was 50 billion yen in the July-September quarter.
"""
    )


def test_pence_and_a_relative_wording_of_a_compared_figure(tmp_path: Path) -> None:
    # "30.5 pence": 0.305 GBP (a currency's hundredth, the value in the currency); "against 28.1
    # pence a year earlier": "a year earlier" is 28.1's, not 30.5's; "Basic earnings per
    # share" is basic_eps ("Basic" says how it is counted, not a segment's name)
    assert (
        _facts(
            tmp_path,
            "date 2018-05-10\nAcme said on Thursday that revenue for the year to 31 March 2018 was 900 million pounds.\nBasic earnings per share were 30.5 pence against 28.1 pence a year earlier, and the dividend was 12.25 pence.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: FY2018
    period_wording: for the year to 31 March 2018
    value: 900 million
    unit: GBP
    basis: reported
    wording: 900 million pounds
    quote: Acme said on Thursday that revenue for the year to 31 March 2018 was 900 million pounds.

  - metric: basic_eps  # guessed: metric from "Basic earnings per share"
    company: acme
    period: FY2018  # guessed: period of the article ("for the year to 31 March 2018")
    value: 0.305  # guessed: value from "30.5 pence"
    unit: GBP
    basis: reported
    wording: 30.5 pence
    quote: Basic earnings per share were 30.5 pence against 28.1 pence a year earlier, and the dividend was 12.25 pence.

  - metric: basic_eps  # guessed: metric from "Basic earnings per share"
    company: acme
    period: FY2017  # guessed: period: "a year earlier" from "for the year to 31 March 2018"
    period_wording: a year earlier
    value: 0.281  # guessed: value from "28.1 pence"
    unit: GBP
    basis: reported
    wording: 28.1 pence
    quote: Basic earnings per share were 30.5 pence against 28.1 pence a year earlier, and the dividend was 12.25 pence.

  - metric: dividend_per_share  # guessed: metric from "dividend"
    company: acme
    period: FY2018  # guessed: period of the article ("for the year to 31 March 2018")
    value: 0.1225  # guessed: value from "12.25 pence"
    unit: GBP
    basis: reported
    wording: 12.25 pence
    quote: Basic earnings per share were 30.5 pence against 28.1 pence a year earlier, and the dividend was 12.25 pence.
"""
    )


def test_a_line_speaking_of_the_quarter_the_line_before_named(tmp_path: Path) -> None:
    # "Quarterly operating profit rose ..." on the line after "In the fourth quarter alone,":
    # that quarter (the sentence speaks of a quarter, the article's period is a year); the
    # figure it is compared with ("from 36 million dollars") is of another period: not sure
    assert (
        _facts(
            tmp_path,
            "date 2018-03-21\nAcme said on Wednesday that its revenue for 2017 was 900 million dollars.\nIn the fourth quarter alone, revenue was 250 million dollars.\nQuarterly operating profit rose 10 percent to 40 million dollars from 36 million dollars.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for 2017
    value: 900 million
    unit: USD
    basis: reported
    wording: 900 million dollars
    quote: Acme said on Wednesday that its revenue for 2017 was 900 million dollars.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: 2017-Q4  # guessed: period: "In the fourth quarter" of the article's year ("for 2017")
    period_wording: In the fourth quarter
    value: 250 million
    unit: USD
    basis: reported
    wording: 250 million dollars
    quote: In the fourth quarter alone, revenue was 250 million dollars.

  - metric: operating_profit_yoy_growth  # guessed: metric from "operating profit"
    company: acme
    period: 2017-Q4  # guessed: period from the sentence before ("In the fourth quarter"), the quarter it speaks of
    value: 10
    basis: reported
    wording: rose 10 percent
    quote: Quarterly operating profit rose 10 percent to 40 million dollars from 36 million dollars.

  - metric: operating_profit  # guessed: metric from "operating profit"
    company: acme
    period: 2017-Q4  # guessed: period from the sentence before ("In the fourth quarter"), the quarter it speaks of
    value: 40 million
    unit: USD
    basis: reported
    wording: 40 million dollars
    quote: Quarterly operating profit rose 10 percent to 40 million dollars from 36 million dollars.

  # draft: not sure of the period: "2017-Q4" of a compared figure, relative to what
  # - metric: operating_profit  # guessed: metric from "operating profit"
  #   company: acme
  #   period: 2017-Q4  # guessed: period from the sentence before ("In the fourth quarter"), the quarter it speaks of
  #   value: 36 million
  #   unit: USD
  #   basis: reported
  #   wording: 36 million dollars
  #   quote: Quarterly operating profit rose 10 percent to 40 million dollars from 36 million dollars.
"""
    )


def test_thousands_separators_another_figures_words_and_parts_of_one_metric(tmp_path: Path) -> None:
    # three classes: "fell 12.5 percent to 1,234,567 million yen in fiscal 2017": the commas of
    # a number break no clause; "rose 2.5 percent to X and operating income climbed ...": the
    # words between X and the next figure are the next figure's; "cloud revenue grew ...,
    # while device revenue dropped ...": parts of one metric the drafter did not tell apart,
    # none of them loaded
    assert (
        _facts(
            tmp_path,
            "date 2018-05-09\nAcme said on Wednesday that net income fell 12.5 percent to 1,234,567 million yen in fiscal 2017, the company's name for the year that ended on March 31, 2018.\nNet sales rose 2.5 percent to 5,000,000 million yen and operating income climbed 10 percent to 700,000 million yen.\nIn Japan, cloud revenue grew 3 percent to 2 trillion yen, while device revenue dropped 4 percent to 1 trillion yen.\n",
        )
        == """\
facts:
  - metric: net_income_yoy_growth  # guessed: metric from "net income"; compared with a year earlier (the sentence does not say)
    company: acme
    period: FY2017
    period_wording: in fiscal 2017
    value: -12.5
    basis: reported
    wording: fell 12.5 percent
    quote: "Acme said on Wednesday that net income fell 12.5 percent to 1,234,567 million yen in fiscal 2017, the company's name for the year that ended on March 31, 2018."

  - metric: net_income  # guessed: metric from "net income"
    company: acme
    period: FY2017
    period_wording: in fiscal 2017
    value: 1,234,567 million
    unit: JPY
    basis: reported
    wording: 1,234,567 million yen
    quote: "Acme said on Wednesday that net income fell 12.5 percent to 1,234,567 million yen in fiscal 2017, the company's name for the year that ended on March 31, 2018."

  - metric: revenue_yoy_growth  # guessed: metric from "sales"; compared with a year earlier (the sentence does not say)
    company: acme
    period: FY2017  # guessed: period of the article ("in fiscal 2017")
    value: 2.5
    basis: reported
    wording: rose 2.5 percent
    quote: Net sales rose 2.5 percent to 5,000,000 million yen and operating income climbed 10 percent to 700,000 million yen.

  - metric: revenue  # guessed: metric from "sales"
    company: acme
    period: FY2017  # guessed: period of the article ("in fiscal 2017")
    value: 5,000,000 million
    unit: JPY
    basis: reported
    wording: 5,000,000 million yen
    quote: Net sales rose 2.5 percent to 5,000,000 million yen and operating income climbed 10 percent to 700,000 million yen.

  - metric: operating_profit_yoy_growth  # guessed: metric from "operating income"
    company: acme
    period: FY2017  # guessed: period of the article ("in fiscal 2017")
    value: 10
    basis: reported
    wording: climbed 10 percent
    quote: Net sales rose 2.5 percent to 5,000,000 million yen and operating income climbed 10 percent to 700,000 million yen.

  - metric: operating_profit  # guessed: metric from "operating income"
    company: acme
    period: FY2017  # guessed: period of the article ("in fiscal 2017")
    value: 700,000 million
    unit: JPY
    basis: reported
    wording: 700,000 million yen
    quote: Net sales rose 2.5 percent to 5,000,000 million yen and operating income climbed 10 percent to 700,000 million yen.

  # draft: not sure of the metric: the sentence gives another figure of the same metric, period, region, product and basis ('4 percent')
  # - metric: revenue_yoy_growth  # guessed: metric from "revenue"; compared with a year earlier (the sentence does not say)
  #   company: acme
  #   period: FY2017  # guessed: period of the article ("in fiscal 2017")
  #   region: japan  # guessed: region from "Japan"
  #   value: 3
  #   basis: reported
  #   wording: grew 3 percent
  #   quote: In Japan, cloud revenue grew 3 percent to 2 trillion yen, while device revenue dropped 4 percent to 1 trillion yen.

  # draft: not sure of the metric: the sentence gives another figure of the same metric, period, region, product and basis ('1 trillion yen')
  # - metric: revenue  # guessed: metric from "revenue"
  #   company: acme
  #   period: FY2017  # guessed: period of the article ("in fiscal 2017")
  #   region: japan  # guessed: region from "Japan"
  #   value: 2 trillion
  #   unit: JPY
  #   basis: reported
  #   wording: 2 trillion yen
  #   quote: In Japan, cloud revenue grew 3 percent to 2 trillion yen, while device revenue dropped 4 percent to 1 trillion yen.

  # draft: the same metric, period, region, product and basis as '3 percent'
  # - metric: revenue_yoy_growth  # guessed: metric from "revenue"; compared with a year earlier (the sentence does not say)
  #   company: acme
  #   period: FY2017  # guessed: period of the article ("in fiscal 2017")
  #   region: japan  # guessed: region from "Japan"
  #   value: -4
  #   basis: reported
  #   wording: dropped 4 percent
  #   quote: In Japan, cloud revenue grew 3 percent to 2 trillion yen, while device revenue dropped 4 percent to 1 trillion yen.

  # draft: the same metric, period, region, product and basis as '2 trillion yen'
  # - metric: revenue  # guessed: metric from "revenue"
  #   company: acme
  #   period: FY2017  # guessed: period of the article ("in fiscal 2017")
  #   region: japan  # guessed: region from "Japan"
  #   value: 1 trillion
  #   unit: JPY
  #   basis: reported
  #   wording: 1 trillion yen
  #   quote: In Japan, cloud revenue grew 3 percent to 2 trillion yen, while device revenue dropped 4 percent to 1 trillion yen.
"""
    )


def test_a_states_day_in_another_clause_and_a_rate_joined_to_a_growth(tmp_path: Path) -> None:
    # "at the end of the year, when the group employed 12,300 people": the state's day is its
    # sentence's, in another clause; "rose 5 percent from the previous quarter and 11 percent
    # from a year earlier": 11 percent rose too; "from a year earlier to 3 billion euros"
    # compares with no figure, so "in the fourth quarter of 2017" is every figure's
    assert (
        _facts(
            tmp_path,
            "date 2018-02-23\nAcme said on Friday that its revenue for 2017 was 9 billion euros.\nNet liquidity was 2 billion euros at the end of the year, when the group employed 12,300 people.\nRevenue rose 5 percent from the previous quarter and 11 percent from a year earlier to 3 billion euros in the fourth quarter of 2017.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for 2017
    value: 9 billion
    unit: EUR
    basis: reported
    wording: 9 billion euros
    quote: Acme said on Friday that its revenue for 2017 was 9 billion euros.

  - metric: net_liquidity  # guessed: metric from "Net liquidity"
    company: acme
    period: 2017-12-31  # guessed: period: "at the end of the year" of the article's year ("for 2017")
    period_wording: at the end of the year
    value: 2 billion
    unit: EUR
    basis: reported
    wording: 2 billion euros
    quote: Net liquidity was 2 billion euros at the end of the year, when the group employed 12,300 people.

  - metric: employees  # guessed: metric from "employed"
    company: acme
    period: 2017-12-31  # guessed: period: "at the end of the year" of the article's year ("for 2017")
    period_wording: at the end of the year
    value: 12,300
    basis: reported
    wording: 12,300
    quote: Net liquidity was 2 billion euros at the end of the year, when the group employed 12,300 people.

  - metric: revenue_qoq_growth  # guessed: metric from "Revenue"
    company: acme
    period: in the fourth quarter of 2017
    value: 5
    basis: reported
    wording: rose 5 percent
    quote: Revenue rose 5 percent from the previous quarter and 11 percent from a year earlier to 3 billion euros in the fourth quarter of 2017.

  - metric: revenue_yoy_growth  # guessed: metric from "Revenue"
    company: acme
    period: in the fourth quarter of 2017
    value: 11
    basis: reported
    wording: 11 percent
    quote: Revenue rose 5 percent from the previous quarter and 11 percent from a year earlier to 3 billion euros in the fourth quarter of 2017.

  - metric: revenue  # guessed: metric from "Revenue"
    company: acme
    period: in the fourth quarter of 2017
    value: 3 billion
    unit: EUR
    basis: reported
    wording: 3 billion euros
    quote: Revenue rose 5 percent from the previous quarter and 11 percent from a year earlier to 3 billion euros in the fourth quarter of 2017.
"""
    )


def test_the_period_of_a_figure_compared_with(tmp_path: Path) -> None:
    # "more than doubled to 1,200 million euros from 500 million euros" in a report on 2017:
    # 500 million is 2016's; "rose to X from Y a year earlier, while operating profit increased
    # to X from Y": a year before the quarter, both; a forecast raised "from X to Y" is one
    # period's, neither loaded (the same metric and period twice)
    assert (
        _facts(
            tmp_path,
            "date 2018-02-23\nAcme said on Friday that its revenue for 2017 was 9 billion euros.\nNet income more than doubled to 1,200 million euros from 500 million euros.\nIn the fourth quarter of 2017, revenue rose to 3 billion euros from 2.5 billion euros a year earlier, while operating profit increased to 400 million euros from 350 million euros.\nAcme raised its sales forecast for 2018 from 10 billion euros to 11 billion euros.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for 2017
    value: 9 billion
    unit: EUR
    basis: reported
    wording: 9 billion euros
    quote: Acme said on Friday that its revenue for 2017 was 9 billion euros.

  - metric: net_income_yoy_growth  # guessed: metric from "Net income"; compared with a year earlier, as the text compares ("a year earlier")
    company: acme
    period: 2017  # guessed: period of the article ("for 2017")
    value: more than doubled  # guessed: value from "more than doubled"
    basis: reported
    wording: more than doubled
    quote: Net income more than doubled to 1,200 million euros from 500 million euros.

  - metric: net_income  # guessed: metric from "Net income"
    company: acme
    period: 2017  # guessed: period of the article ("for 2017")
    value: 1,200 million
    unit: EUR
    basis: reported
    wording: 1,200 million euros
    quote: Net income more than doubled to 1,200 million euros from 500 million euros.

  - metric: net_income  # guessed: metric from "Net income"
    company: acme
    period: 2016  # guessed: period: "from" a figure a year before "for 2017"
    value: 500 million
    unit: EUR
    basis: reported
    wording: 500 million euros
    quote: Net income more than doubled to 1,200 million euros from 500 million euros.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: In the fourth quarter of 2017
    value: 3 billion
    unit: EUR
    basis: reported
    wording: 3 billion euros
    quote: In the fourth quarter of 2017, revenue rose to 3 billion euros from 2.5 billion euros a year earlier, while operating profit increased to 400 million euros from 350 million euros.

  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: 2016-Q4  # guessed: period: "a year earlier" from "In the fourth quarter of 2017"
    period_wording: a year earlier
    value: 2.5 billion
    unit: EUR
    basis: reported
    wording: 2.5 billion euros
    quote: In the fourth quarter of 2017, revenue rose to 3 billion euros from 2.5 billion euros a year earlier, while operating profit increased to 400 million euros from 350 million euros.

  - metric: operating_profit  # guessed: metric from "operating profit"
    company: acme
    period: In the fourth quarter of 2017
    value: 400 million
    unit: EUR
    basis: reported
    wording: 400 million euros
    quote: In the fourth quarter of 2017, revenue rose to 3 billion euros from 2.5 billion euros a year earlier, while operating profit increased to 400 million euros from 350 million euros.

  - metric: operating_profit  # guessed: metric from "operating profit"
    company: acme
    period: 2016-Q4  # guessed: period: "from" a figure a year before "In the fourth quarter of 2017"
    value: 350 million
    unit: EUR
    basis: reported
    wording: 350 million euros
    quote: In the fourth quarter of 2017, revenue rose to 3 billion euros from 2.5 billion euros a year earlier, while operating profit increased to 400 million euros from 350 million euros.

  # draft: not sure of the metric: the sentence gives another figure of the same metric, period, region, product and basis ('11 billion euros')
  # - metric: revenue  # guessed: metric from "sales"
  #   company: acme
  #   period: for 2018
  #   value: 10 billion
  #   unit: EUR
  #   basis: guidance  # guessed: basis: the company's own "forecast"
  #   wording: 10 billion euros
  #   quote: Acme raised its sales forecast for 2018 from 10 billion euros to 11 billion euros.

  # draft: the same metric, period, region, product and basis as '10 billion euros'
  # - metric: revenue  # guessed: metric from "sales"
  #   company: acme
  #   period: for 2018
  #   value: 11 billion
  #   unit: EUR
  #   basis: guidance  # guessed: basis: the company's own "forecast"
  #   wording: 11 billion euros
  #   quote: Acme raised its sales forecast for 2018 from 10 billion euros to 11 billion euros.
"""
    )


def test_a_profit_attributable_to_the_company(tmp_path: Path) -> None:
    # "net income attributable to Acme": the profit attributable to its owners; "attributable
    # to minority interests" is not, and the drafter is not sure which metric that is
    assert (
        _facts(
            tmp_path,
            "date 2017-11-07\nAcme said on Tuesday that net income attributable to Acme rose to 50 billion yen in the third quarter of 2017.\nNet income attributable to minority interests was 2 billion yen in the third quarter of 2017.\n",
        )
        == """\
facts:
  - metric: net_income_attributable  # guessed: metric from "net income attributable to Acme"
    company: acme
    period: in the third quarter of 2017
    value: 50 billion
    unit: JPY
    basis: reported
    wording: 50 billion yen
    quote: Acme said on Tuesday that net income attributable to Acme rose to 50 billion yen in the third quarter of 2017.

  # draft: not sure of the metric: net_income, but the words name net_income_attributable
  # - metric: net_income  # guessed: metric from "Net income"
  #   company: acme
  #   period: in the third quarter of 2017
  #   value: 2 billion
  #   unit: JPY
  #   basis: reported
  #   wording: 2 billion yen
  #   quote: Net income attributable to minority interests was 2 billion yen in the third quarter of 2017.
"""
    )


def test_a_region_word_of_a_later_clause(tmp_path: Path) -> None:
    # "Gross margin was 40 percent, and international sales made up ...": "international" is
    # the later clause's, not the margin's; "The domestic business ended ..., and its ARPU
    # slipped": an earlier clause's region word is the figure's too (not sure of the region)
    assert (
        _facts(
            tmp_path,
            "date 2017-11-01\nAcme reported revenue of 5 billion dollars for the third quarter of 2017.\nGross margin was 40 percent, and international sales made up 60 percent of revenue.\nThe domestic business ended the quarter with 3 million subscribers, and its ARPU slipped by 20 dollars to 400 dollars.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for the third quarter of 2017
    value: 5 billion
    unit: USD
    basis: reported
    wording: 5 billion dollars
    quote: Acme reported revenue of 5 billion dollars for the third quarter of 2017.

  - metric: gross_margin  # guessed: metric from "Gross margin"
    company: acme
    period: 2017-Q3  # guessed: period of the article ("for the third quarter of 2017")
    value: 40
    basis: reported
    wording: 40 percent
    quote: Gross margin was 40 percent, and international sales made up 60 percent of revenue.

  - metric: international_revenue_share  # guessed: metric from "international sales"
    company: acme
    period: 2017-Q3  # guessed: period of the article ("for the third quarter of 2017")
    value: 60
    basis: reported
    wording: 60 percent
    quote: Gross margin was 40 percent, and international sales made up 60 percent of revenue.

  # draft: not sure of the region: "domestic" names none
  # - metric: subscribers  # guessed: metric from "subscribers"
  #   company: acme
  #   period: 2017-Q3  # guessed: period: "the quarter" from "for the third quarter of 2017"
  #   period_wording: the quarter
  #   segment: acme-domestic  # guessed: segment from "domestic business"
  #   value: 3 million
  #   basis: reported
  #   wording: 3 million
  #   quote: The domestic business ended the quarter with 3 million subscribers, and its ARPU slipped by 20 dollars to 400 dollars.

  # draft: not sure of the metric: arpu_yoy_change, metric from "ARPU"; compared with a year earlier (the sentence does not say)
  # - metric: arpu_yoy_change  # guessed: metric from "ARPU"; compared with a year earlier (the sentence does not say)
  #   company: acme
  #   period: 2017-Q3  # guessed: period of the article ("for the third quarter of 2017")
  #   value: -20
  #   unit: USD
  #   basis: reported
  #   wording: slipped by 20 dollars
  #   quote: The domestic business ended the quarter with 3 million subscribers, and its ARPU slipped by 20 dollars to 400 dollars.

  # draft: not sure of the region: "domestic" names none
  # - metric: arpu  # guessed: metric from "ARPU"
  #   company: acme
  #   period: 2017-Q3  # guessed: period of the article ("for the third quarter of 2017")
  #   value: 400
  #   unit: USD
  #   basis: reported
  #   wording: 400 dollars
  #   quote: The domestic business ended the quarter with 3 million subscribers, and its ARPU slipped by 20 dollars to 400 dollars.
"""
    )


def test_a_sentence_pointing_back_at_the_figure_before(tmp_path: Path) -> None:
    # "That was 2 percent below the 510 million dollars earned in the third quarter": the
    # amounts are of the metric of the sentence before (its first level, of the same kind);
    # the rates compare with no metric the drafter reads: not sure
    assert (
        _facts(
            tmp_path,
            "date 2018-01-20\nAcme said on Friday that its net profit for the fourth quarter of 2017 was 500 million dollars.\nThat was 2 percent below the 510 million dollars earned in the third quarter of 2017 but 5 percent above the 476 million dollars of the fourth quarter of 2016.\n",
        )
        == """\
facts:
  - metric: net_income  # guessed: metric from "net profit"
    company: acme
    period: for the fourth quarter of 2017
    value: 500 million
    unit: USD
    basis: reported
    wording: 500 million dollars
    quote: Acme said on Friday that its net profit for the fourth quarter of 2017 was 500 million dollars.

  # draft: not sure of the metric: no metric of the catalogue matched '2 percent' (a percentage)
  # - metric: ?
  #   company: acme
  #   period: ?
  #   value: 2
  #   basis: reported
  #   wording: 2 percent
  #   quote: That was 2 percent below the 510 million dollars earned in the third quarter of 2017 but 5 percent above the 476 million dollars of the fourth quarter of 2016.

  - metric: net_income  # guessed: metric of the sentence before (net_income), "That was"
    company: acme
    period: in the third quarter of 2017
    value: 510 million
    unit: USD
    basis: reported
    wording: 510 million dollars
    quote: That was 2 percent below the 510 million dollars earned in the third quarter of 2017 but 5 percent above the 476 million dollars of the fourth quarter of 2016.

  # draft: not sure of the metric: no metric of the catalogue matched '5 percent' (a percentage)
  # - metric: ?
  #   company: acme
  #   period: ?
  #   value: 5
  #   basis: reported
  #   wording: 5 percent
  #   quote: That was 2 percent below the 510 million dollars earned in the third quarter of 2017 but 5 percent above the 476 million dollars of the fourth quarter of 2016.

  - metric: net_income  # guessed: metric of the sentence before (net_income), "That was"
    company: acme
    period: of the fourth quarter of 2016
    value: 476 million
    unit: USD
    basis: reported
    wording: 476 million dollars
    quote: That was 2 percent below the 510 million dollars earned in the third quarter of 2017 but 5 percent above the 476 million dollars of the fourth quarter of 2016.
"""
    )


def test_an_acronym_in_a_metrics_name_names_a_thing(tmp_path: Path) -> None:
    # "3 percent of the market" in a text that names no PC: not "PC market share" (matched by
    # its alias "of the market" only); "ARPU" names itself
    assert (
        _facts(
            tmp_path,
            "date 2018-01-20\nAcme said on Friday that its revenue for the fourth quarter of 2017 was 500 million dollars.\nIt had 3 percent of the market in the fourth quarter of 2017.\nAcme said its ARPU was 30 dollars in the fourth quarter of 2017.\n",
        )
        == """\
facts:
  - metric: revenue  # guessed: metric from "revenue"
    company: acme
    period: for the fourth quarter of 2017
    value: 500 million
    unit: USD
    basis: reported
    wording: 500 million dollars
    quote: Acme said on Friday that its revenue for the fourth quarter of 2017 was 500 million dollars.

  # draft: not sure of the metric: pc_market_share, metric from "of the market" (the sentence does not name pc)
  # - metric: pc_market_share  # guessed: metric from "of the market" (the sentence does not name pc)
  #   company: acme
  #   period: in the fourth quarter of 2017
  #   value: 3
  #   basis: reported
  #   wording: 3 percent
  #   quote: It had 3 percent of the market in the fourth quarter of 2017.

  - metric: arpu  # guessed: metric from "ARPU"
    company: acme
    period: in the fourth quarter of 2017
    value: 30
    unit: USD
    basis: reported
    wording: 30 dollars
    quote: Acme said its ARPU was 30 dollars in the fourth quarter of 2017.
"""
    )


def test_a_full_year_outlook_and_an_earlier_forecast(tmp_path: Path) -> None:
    # round four. "raised its full-year outlook ... for the six months to September 30, the
    # first half of fiscal 2019": a forecast given the article's half (over at publication) is
    # of the year that half is part of, in the company's calendar; "earlier guidance of" (or
    # "previously guided to", mart.periods.EARLIER_WORDS) says the forecast was stated before
    # publication (stated_on: earlier), so both load
    body = """\
date 2018-11-08
Globex raised its full-year outlook on Thursday after reporting results for the six months to September 30, the first half of fiscal 2019, its year ending March 31, 2019.
It now expects operating profit of about 3 billion euros, compared with earlier guidance of 2.5 billion euros.
"""
    assert (
        _facts(tmp_path, body)
        == """\
facts:
  - metric: operating_profit  # guessed: metric from "operating profit"
    company: globex
    period: 2018-04-01/2019-03-31  # guessed: period: the year of "for the six months to September 30", from "full-year outlook"
    value: about 3 billion
    unit: EUR
    basis: guidance  # guessed: basis: the company's own "expects"
    wording: about 3 billion euros
    quote: It now expects operating profit of about 3 billion euros, compared with earlier guidance of 2.5 billion euros.

  - metric: operating_profit  # guessed: metric from "operating profit"
    company: globex
    period: 2018-04-01/2019-03-31  # guessed: period: the year of "for the six months to September 30", from "full-year outlook"
    value: 2.5 billion
    unit: EUR
    basis: guidance  # guessed: basis: the company's own "expects"
    stated_on: earlier  # guessed: stated before: "earlier guidance of"
    wording: 2.5 billion euros
    quote: It now expects operating profit of about 3 billion euros, compared with earlier guidance of 2.5 billion euros.
"""
    )


def test_a_metric_named_in_another_form_of_its_word(tmp_path: Path) -> None:
    # round four. "vehicle sales were 4,389,435 units": "Units sold" named by every word of its
    # name, "sold" in another form ("sales", "sell"); it was "the words only", not sure
    body = "date 2018-02-01\nGlobex said its vehicle sales were 1,234,567 units in 2017.\n"
    assert (
        _facts(tmp_path, body)
        == """\
facts:
  - metric: unit_sales  # guessed: metric from the words "sal", "unit"
    company: globex
    period: in 2017
    value: 1,234,567
    basis: reported
    wording: 1,234,567
    quote: Globex said its vehicle sales were 1,234,567 units in 2017.
"""
    )


def test_a_quotient_said_as_a_percentage_of_its_denominator(tmp_path: Path) -> None:
    # round four. "operating income came to 14.2 percent of net sales": the numerator's words
    # before the figure (in its clause, or the clause it restates after "or") and the
    # denominator's right after "of" name the catalogue's ratio_of metric (operating_margin:
    # [operating_profit, revenue]); it was "the words only", not sure
    body = (
        "date 2019-02-01\n"
        "Globex said its operating income reached 7.6 billion dollars in 2018, "
        "or 9.5 percent of net sales.\n"
    )
    assert _facts(tmp_path, body).endswith(
        """\
  - metric: operating_margin  # guessed: metric from the words "sal"
    company: globex
    period: in 2018
    value: 9.5
    basis: reported
    wording: 9.5 percent
    quote: Globex said its operating income reached 7.6 billion dollars in 2018, or 9.5 percent of net sales.
"""
    )


def test_a_qualifier_names_the_catalogues_qualified_metric(tmp_path: Path) -> None:
    # round four. "On a non-GAAP basis, attributable profit rose 43 percent to RMB65,126
    # million": the catalogue's metric named by the qualifier and the metric's own name
    # ("Non-GAAP net income attributable to shareholders"), and its growth rate compared as the
    # matched one is; it was "not sure of the metric: ..., but the figure is non-GAAP"
    body = (
        "date 2019-02-20\n"
        "Globex said on Tuesday that its revenue rose 5 percent to 30 billion euros in 2018.\n"
        "On an adjusted basis, profit before tax rose 12 percent to 4 billion euros.\n"
    )
    assert _facts(tmp_path, body).endswith(
        """\
  - metric: adjusted_profit_before_tax_yoy_growth  # guessed: metric from "profit before tax", qualified: Adjusted profit before tax growth year on year
    company: globex
    period: 2018  # guessed: period of the article ("in 2018")
    value: 12
    basis: reported
    wording: rose 12 percent
    quote: On an adjusted basis, profit before tax rose 12 percent to 4 billion euros.

  - metric: adjusted_profit_before_tax  # guessed: metric from "profit before tax", qualified: Adjusted profit before tax
    company: globex
    period: 2018  # guessed: period of the article ("in 2018")
    value: 4 billion
    unit: EUR
    basis: reported
    wording: 4 billion euros
    quote: On an adjusted basis, profit before tax rose 12 percent to 4 billion euros.
"""
    )

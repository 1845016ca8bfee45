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

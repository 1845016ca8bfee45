"""The rules a staged row must pass, as data: (field, failing condition, message) in SQL."""

from collections.abc import Iterable

from mart import periods
from mart.load.stage import _in
from mart.models import ANY_CURRENCY, PART_DIMENSIONS
from mart.vocabulary import AHEAD_BASES, BASES, BOUNDS

VALUE_HINT = "write e.g. 23.16 million, 7,071, about 14 trillion, more than 2 million, "
VALUE_HINT += "between 49 billion and 52 billion"


def _no_nul(columns: Iterable[str]) -> list[tuple[str, str, str]]:
    # DuckDB keeps a NUL in a text; PostgreSQL refuses it, so neither mart may have one.
    return [
        (
            c,
            f"strpos({c}, chr(0)) > 0",
            f"'contains a NUL byte at offset ' || (strpos({c}, chr(0)) - 1) || "
            "': remove it (PostgreSQL cannot store it)'",
        )
        for c in columns
    ]


def _required(columns: dict[str, bool]) -> list[tuple[str, str, str]]:
    # An empty or blank field (quote: "", a CSV field of spaces) says nothing: missing too.
    return [
        (c, f"nullif(trim({c}), '') is null", "'missing (required)'")
        for c, req in columns.items()
        if req
    ]


# A decimal(24, 6) as a person writes it: 1.500000 -> 1.5, -5.000000 -> -5.
def _plain(column: str) -> str:
    return f"rtrim(rtrim(cast({column} as varchar), '0'), '.')"


def _shown(column: str) -> str:
    """A field as a message shows it: at most 70 characters, as a quote is shown."""
    return f"case when length({column}) > 70 then left({column}, 67) || '...' else {column} end"


def _fact_checks() -> list[tuple[str, str, str]]:
    bases = ", ".join(BASES)
    return [
        (
            "source_key",
            "not source_known",
            "'source ' || source_key || ' is not in the sources file'",
        ),
        (
            "metric",
            "metric_subject is null",
            "'unknown metric ' || metric || ': add it to catalogue.yaml'",
        ),
        (
            "company",
            "company is null and market is null",
            "'missing (required): the company the figure is about, or market: (a region) for a "
            "figure about a whole market'",
        ),
        (
            "market",
            "company is not null and market is not null",
            "'a figure is about a company or a whole market, not both: drop market: (write "
            "the company''s market as region:) or company:'",
        ),
        (
            "company",
            "company is not null and not company_known",
            "'company ' || company || ' is not declared' || case when yaml_index is null "
            "then ' in the companies file' else ' under companies: in this file' end",
        ),
        (
            "region",
            "market is not null and given_region is not null and given_region <> market",
            "'region ' || given_region || ' differs from market ' || market || ' (a whole "
            "market''s figure is about the market''s region: give market: only)'",
        ),
        (
            "market",
            "market is not null and (product is not null or segment is not null "
            "or store_brand is not null)",
            "'a whole market''s figure is about no product, segment or store brand of a "
            "company (its metric says what is counted)'",
        ),
        (
            "region",
            "not region_known",
            "'unknown region ' || region || ': add it to catalogue.yaml'",
        ),
        (
            "product",
            "product is not null and not product_known",
            "'product ' || product || ' is not declared' || case when yaml_index is null "
            "then ' in the products file' else ' under products: in this file' end",
        ),
        (
            "segment",
            "segment is not null and not segment_known",
            "'segment ' || segment || ' is not declared' || case when yaml_index is null "
            "then ' in the segments file' else ' under segments: in this file' end",
        ),
        (
            "attributed_to",
            "attributed_to is not null and not attribution_known",
            "'' || attributed_to || ' is not declared' || case when yaml_index is null "
            "then ' in the attributions file' else ' under attributions: in this file' end",
        ),
        (
            "basis",
            "basis = 'approximate'",
            "'approximate is no longer a basis: write basis: reported (or target, expected) and "
            "put the word in the value, e.g. value: about 14 trillion'",
        ),
        ("basis", f"basis not in {_in(BASES)}", f"'not one of {bases}: ' || basis"),
        (
            "sum_of",
            f"sum_of is not null and sum_of not in {_in(PART_DIMENSIONS)}",
            f"'not one of {', '.join(PART_DIMENSIONS)}: ' || sum_of",
        ),
        (
            "sum_of",
            "(sum_of = 'segment' and segment is not null) "
            "or (sum_of = 'product' and product is not null)",
            "'a total by ' || sum_of || ' is the whole of its parts: it names no ' || sum_of",
        ),
        (
            "value",
            "is_multiple and not coalesce(metric_is_growth, true)",
            f"'''' || {_shown('raw_value')} || ''' is a multiple of an earlier level: only a "
            "growth rate (a metric with growth_of) may be written so; metric ' || metric "
            "|| ' takes the figure itself'",
        ),
        (
            "store_brand",
            "(store_brand is null) = (metric_subject = 'store')",
            "'metric ' || metric || case when metric_subject = 'store' then ' needs' "
            "else ' takes no' end || ' store_brand'",
        ),
        (
            "value",
            "unknown_currency is not null",
            f"'''' || {_shown('raw_value')} || ''' is written in ' || unknown_currency || "
            "', which is no ISO 4217 currency code the mart knows (and no currency sign)'",
        ),
        (
            "unit",
            f"metric_unit = '{ANY_CURRENCY}' and unit is null",
            "'metric ' || metric || ' needs a currency: an ISO 4217 code such as USD, EUR or KRW'",
        ),
        (
            "unit",
            f"metric_unit = '{ANY_CURRENCY}' and not coalesce(unit_is_currency, false)",
            "'' || unit || ' is not an ISO 4217 currency code (metric ' || metric "
            "|| ' is an amount of money: write e.g. USD, CNY, KRW, INR)'",
        ),
        (
            "unit",
            f"metric_unit <> '{ANY_CURRENCY}' and unit <> metric_unit",
            "'''' || unit || ''' does not fit metric ' || metric "
            "|| ', measured in ' || metric_unit",
        ),
        (
            "unit",
            "unit_is_currency is null",
            "'unknown unit ' || unit || ': add it to catalogue.yaml under units'",
        ),
        (
            "value",
            f"sign_currencies is not null and metric_unit <> '{ANY_CURRENCY}'",
            f"'''' || {_shown('raw_value')} || ''' is an amount of money, but metric ' || metric "
            "|| ' is measured in ' || metric_unit",
        ),
        (
            "value",
            "sign_currencies is not null and not list_contains(sign_currencies, unit)",
            f"'''' || {_shown('raw_value')} || ''' is written in ' || "
            "array_to_string(sign_currencies, ' or ') || ', but unit is ' || unit",
        ),
        (
            "value",
            "value_unreadable",
            f"'''' || {_shown('raw_value')} || ''' is not a number ({VALUE_HINT})'",
        ),
        (
            "value",
            "raw_value is not null and value is null",
            f"'''' || {_shown('raw_value')} || ''' has more digits than a value may have "
            "(18 before the point, 6 after)'",
        ),
        (
            "value_high",
            "value_high_unreadable or (high_given and value_high is null)",
            "'''' || coalesce(raw_value_high, raw_value) || ''' is not a number for the range''s "
            "high end'",
        ),
        (
            "bound",
            f"given_bound is not null and given_bound not in {_in(BOUNDS)}",
            f"'not one of {', '.join(BOUNDS)}: ' || given_bound",
        ),
        (
            "bound",
            "given_bound is not null and word_bound is not null and given_bound <> word_bound",
            "'''' || given_bound || ''' contradicts the value''s own word: ' || raw_value",
        ),
        (
            "value",
            "bound = 'range' and value_high is null",
            "'a range needs its high end: write between 49 billion and 52 billion, or give "
            "value_high'",
        ),
        (
            "value_high",
            "bound <> 'range' and value_high is not null",
            "'a high end is only for a range (bound: range, or between X and Y)'",
        ),
        (
            "value_high",
            "value_high < value",
            f"'the range''s high end ' || {_plain('value_high')} || ' is below its low end ' "
            f"|| {_plain('value')}",
        ),
        (
            "value",
            # A change may be a fall: a change metric's unit bounds levels, not changes.
            "value < unit_minimum and not coalesce(metric_is_change, false)",
            f"{_plain('value')} || case when unit_minimum = 0 then ' is negative; a figure in ' "
            f"|| unit || ' cannot be' else ' is below ' || {_plain('unit_minimum')} || ', the "
            f"smallest ' || unit || ' value' end",
        ),
        (
            "value",
            "value > unit_maximum or value_high > unit_maximum",
            f"{_plain('coalesce(value_high, value)')} || ' is above ' || "
            f"{_plain('unit_maximum')} || ', the largest ' || unit || ' value' || case when "
            "unit = 'share' then ' (write half as 0.5)' else '' end",
        ),
        (
            "value",
            "unit_is_whole and (value <> round(value) or value_high <> round(value_high))",
            f"{_plain('value')} || ' is not a whole number of ' || unit",
        ),
        (
            "quote",
            "not quote_found",
            "'quote not found in ' || case when yaml_index is null then 'the body of source ' "
            "|| source_key else 'the source text' end || "
            "case when quote_start_given then ' at offset ' || cast(quote_start as varchar) "
            "else '' end || ': ' || case when length(quote) > 70 then left(quote, 67) || '...' "
            "else quote end",
        ),
        (
            "wording",
            "wording is not null and strpos(quote, wording) = 0",
            "'''' || wording || ''' is not part of the quote'",
        ),
        (
            "period",
            f"basis in {_in(AHEAD_BASES)} and period_end_on < stated_on",
            "case when left(basis, 1) in ('a', 'e', 'i', 'o', 'u') then 'an ' else 'a ' end "
            "|| basis || ' figure for ' || period_label || ', which ended on ' || "
            "cast(period_end_on as varchar) || ', before it was stated (' || "
            "cast(stated_on as varchar) || '): check the period and the company''s "
            "fiscal_year_named_by, give stated_on when it was stated earlier, or write an "
            "actual as reported or preliminary (what analysts expected, quoted beside the "
            "actual: consensus)'",
        ),
        (
            "stated_on",
            "stated_on_wording is not null "
            "and not regexp_full_match(stated_on_wording, '[0-9]{4}-[0-9]{2}-[0-9]{2}') "
            f"and lower(stated_on_wording) not in {_in(periods.EARLIER_WORDS)} "
            "and strpos(lower(quote), lower(stated_on_wording)) = 0",
            "'''' || stated_on_wording || ''' is not part of the quote (write the day as "
            "YYYY-MM-DD, or the words the quote holds)'",
        ),
        (
            "period_wording",
            "raw_period_wording is not null "
            "and strpos(lower(quote), lower(raw_period_wording)) = 0",
            "'''' || raw_period_wording || ''' is not part of the quote'",
        ),
    ]

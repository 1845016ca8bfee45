"""The vocabulary (mart/vocabulary.py) is defined once; SQL cannot import it, so these tests
hold every SQL file that names it (the views, the checks, the refresh) to the one definition:
the bases and bounds it compares, the lists its column comments give, and the fact key's parts
it reads by position."""

import re
from pathlib import Path

import pytest

from mart import vocabulary
from mart.vocabulary import (
    ACTUAL_BASES,
    ACTUAL_CLAIM,
    BASES,
    BOUNDS,
    FACT_KEY_PARTS,
    FORECAST_BASES,
    FORWARD_BASES,
)

MART = Path(vocabulary.__file__).parent
SQL_TEXTS = {
    path.relative_to(MART).as_posix(): path.read_text(encoding="utf-8")
    for path in [
        *sorted((MART / "views").glob("*.sql")),
        MART / "checks.py",
        MART / "vintages.py",
        MART / "refresh.py",
    ]
}
WORDS = {"basis": set(BASES), "bound": set(BOUNDS), "claim": {*FORECAST_BASES, ACTUAL_CLAIM}}
# A column of the vocabulary compared with literals: `basis in ('a', 'b')`, `p.bound <> 'range'`,
# `case t.bound when 'exact' then 0 when 'range' then 1 ... end`.
COMPARED = re.compile(
    r"\b(?:\w+\.)?(?P<column>basis|bound|claim)\s+(?P<rest>(?:not\s+)?in\s*\([^)]*\)"
    r"|(?:=|<>)\s*'\w+'|when\s+'\w+'(?:[^']*?\bwhen\s+'\w+')*)",
)
# A run of three or more vocabulary words in a comment: "exact, about, at_least, at_most or range".
VOCABULARY_WORD = "|".join(sorted({*BASES, *BOUNDS}, key=len, reverse=True))
RUN = re.compile(rf"\b(?:{VOCABULARY_WORD})(?:(?:,\s*|,?\s+or\s+)(?:{VOCABULARY_WORD})\b){{2,}}")
# The vocabulary's lists, any order: a list of three or more of its words is one of them.
LISTS = {frozenset(v) for v in (BOUNDS, ACTUAL_BASES, FORECAST_BASES, FORWARD_BASES, BASES)}
# The fact key read by position: split_part(x.fact_key, '|', N), and what the line calls it.
KEY_PART = re.compile(r"split_part\((?:\w+\.)?fact_key, '\|', (\d+)\)")


def _compared() -> list[tuple[str, str, str]]:
    return [
        (name, m["column"], literal)
        for name, text in SQL_TEXTS.items()
        for m in COMPARED.finditer(text)
        for literal in re.findall(r"'(\w+)'", m["rest"])
    ]


def test_every_literal_compared_with_a_basis_bound_or_claim_is_one_of_the_vocabulary() -> None:
    found = _compared()
    assert len(found) > 30  # the pattern reads the SQL: it found the comparisons
    assert [f for f in found if f[2] not in WORDS[f[1]]] == []


@pytest.mark.parametrize("name", sorted(SQL_TEXTS))
def test_column_comments_list_the_vocabulary_as_it_is_defined(name: str) -> None:
    runs = [m.group() for m in RUN.finditer(SQL_TEXTS[name])]
    listed = [tuple(re.findall(rf"\b(?:{VOCABULARY_WORD})\b", run)) for run in runs]
    assert [words for words in listed if frozenset(words) not in LISTS] == []


def test_every_list_of_three_or_more_bases_in_sql_is_one_of_the_vocabulary() -> None:
    lists = [
        frozenset(re.findall(r"'(\w+)'", m["rest"]))
        for text in SQL_TEXTS.values()
        for m in COMPARED.finditer(text)
        if m["rest"].lstrip().startswith(("in", "not"))
    ]
    long = [found for found in lists if len(found) >= 3]
    assert len(long) >= 2  # metric_values: the actual bases; targets: the forward ones
    assert [found for found in long if found not in LISTS] == []


def test_the_fact_key_is_read_by_the_position_of_its_part() -> None:
    read = [
        (name, line.strip(), FACT_KEY_PARTS[int(m[1]) - 1])
        for name, text in SQL_TEXTS.items()
        for line in text.splitlines()
        for m in KEY_PART.finditer(line)
    ]
    assert len(read) >= 6
    # The part the line names: an alias or key (region_key), or the claim compared with 'actual'.
    wrong = [
        (name, line, part)
        for name, line, part in read
        if part not in line and not (part == "claim" and f"'{ACTUAL_CLAIM}'" in line)
    ]
    assert wrong == []

"""registry.py: what each PostgreSQL function becomes, read by the rewrite in its one walk."""

import pytest

from mart.serve import registry
from mart.serve.registry import Becomes
from mart.serve.sql import SqlError, translate


@pytest.mark.parametrize(
    ("name", "arity", "becomes", "target"),
    [
        ("btrim", 2, Becomes.RENAMED, "trim"),
        ("pg_get_expr", 3, Becomes.TEMPLATE, "cast($1 as varchar)"),
        ("version", 0, Becomes.MACRO, "memory.pg_compat.version"),
        ("quote_literal", 1, Becomes.MACRO, "memory.mart_dialect.quote_literal"),
        ("clock_timestamp", 0, Becomes.UDF, "mart_clock_timestamp"),
        ("to_char", 2, Becomes.CODE, "to_char"),
        ("corr", 2, Becomes.CODE, "regression"),
        ("pg_try_advisory_lock", 1, Becomes.REFUSED, "{name}() is not supported by mart serve: "
         "it takes no locks"),
    ],
)  # fmt: skip
def test_a_function_becomes_what_the_registry_says(
    name: str, arity: int, becomes: Becomes, target: str
) -> None:
    found = registry.lookup(name, arity)
    assert found is not None
    assert (found.becomes, found.target) == (becomes, target)


def test_functions_duckdb_answers_as_postgresql_are_not_listed() -> None:
    assert registry.lookup("lower", 1) is None
    assert registry.lookup("to_char", 1) is None  # only to_char(value, format) is rewritten
    assert registry.lookup("pg_get_expr", 1) is None


def test_the_rewrite_applies_each_kind() -> None:
    def sql(text: str) -> str:
        (statement,) = translate(text)
        return statement.sql

    # Each keeps the column name PostgreSQL gives it: the function's own.
    assert sql("select btrim(' a ')") == "SELECT \"trim\"(' a ') AS btrim"
    assert sql("select pg_get_expr(1, 2)") == "SELECT CAST(1 AS varchar) AS pg_get_expr"
    assert sql("select version()") == "SELECT memory.pg_compat.version() AS version"
    assert sql("select clock_timestamp()") == "SELECT mart_clock_timestamp() AS clock_timestamp"
    with pytest.raises(SqlError) as refused:
        translate("select pg_advisory_lock(1)")
    assert (refused.value.sqlstate, refused.value.message, refused.value.position) == (
        "0A000",
        "pg_advisory_lock() is not supported by mart serve: it takes no locks",
        8,
    )

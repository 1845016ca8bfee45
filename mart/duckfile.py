"""A DuckDB mart file read by DuckDB itself, for the commands that only read it.

SQLAlchemy and its dialects take longer to import (about 0.5 s) than most queries take to run,
so `mart query` on a DuckDB file opens it with DuckDB alone: the same file, read-only, the same
rows (DECIMAL as Decimal, as mart.db's engines return them), the same one-line errors.
"""

from typing import Any

from mart.errors import MartError, cannot_connect, reason


def quiet(connection: Any) -> None:
    """Settings of every DuckDB connection mart opens: DuckDB draws a progress bar on stderr
    during long queries, and mart prints its own output."""
    connection.execute("set enable_progress_bar = false")


def query(path: str, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one query on the file, opened read-only; return its column names and rows."""
    import duckdb

    try:
        connection = duckdb.connect(path, read_only=True)
    except duckdb.Error as error:
        raise cannot_connect(f"duckdb:///{path}", error) from None
    with connection:
        quiet(connection)
        try:
            cursor = connection.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall() if cursor.description else []
        except duckdb.Error as error:
            raise MartError(f"query failed: {reason(error)}") from None
    return columns, rows

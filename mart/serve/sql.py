"""mart serve's SQL layer: PostgreSQL statements classified, refused or translated for DuckDB.

translate() parses a client's query string with PostgreSQL's own parser (pglast, libpg_query)
and returns one Statement per statement in it. Reads become DuckDB SQL: references to
pg_catalog and information_schema are pointed at the emulation install() creates (catalog.sql),
schema public at the mart's schema main, PostgreSQL-only functions, operators and casts at
DuckDB's or the emulation's, and every unnamed select-list item gets PostgreSQL's column name.
SET, SHOW and transaction control are the session's business and only classified. Anything that
would write, change settings or touch the server's files is refused with PostgreSQL's SQLSTATE.

This module is the layer's public face; the work is done by one module per concern:
statements.py classifies and refuses (translate()), rewrite.py rewrites reads for DuckDB with
dialect.py's tables, catalog.py declares and installs the emulated catalog (install()) with
types.py's mapping of DuckDB's types onto PostgreSQL's (the rows sent use it too), and
functions.py (functions.sql) the functions DuckDB lacks, formats.py PostgreSQL's
date/time format patterns, and errors.py holds SqlError.
"""

import duckdb

from mart.serve import catalog, functions
from mart.serve.catalog import ROLE, SERVER_VERSION
from mart.serve.errors import SqlError
from mart.serve.statements import Kind, Statement, translate


def install(con: duckdb.DuckDBPyConnection, database_name: str) -> None:
    """The emulated catalog (catalog.install) and the functions the rewrite calls
    (functions.install), on a connection with the mart attached."""
    catalog.install(con, database_name)
    functions.install(con)


__all__ = ["ROLE", "SERVER_VERSION", "Kind", "SqlError", "Statement", "install", "translate"]

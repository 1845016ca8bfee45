"""Where the mart lives: a --db flag, MART_DATABASE_URL, or mart.duckdb in the working directory."""

import os
from pathlib import Path

DEFAULT_DATABASE = "mart.duckdb"
ENV_VAR = "MART_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS_DIR = REPO_ROOT / "seeds"
CATALOGUE_NAME = "catalogue.yaml"


def database_url(target: str | None = None) -> str:
    """Turn a file path or a SQLAlchemy URL into a SQLAlchemy URL.

    >>> database_url("data/x.duckdb")
    'duckdb:///data/x.duckdb'
    >>> database_url("postgresql://localhost/mart")
    'postgresql+psycopg://localhost/mart'
    """
    target = target or os.environ.get(ENV_VAR) or DEFAULT_DATABASE
    if "://" not in target:
        return f"duckdb:///{target}"
    scheme, rest = target.split("://", 1)
    # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return target


def duckdb_file(url: str) -> str | None:
    """The file a plain DuckDB URL names; None for other databases, memory, or URL options.

    >>> duckdb_file("duckdb:///data/x.duckdb")
    'data/x.duckdb'
    """
    path = url.removeprefix("duckdb:///")
    if path == url or not path or path.startswith(":memory:") or "?" in path:
        return None
    return path

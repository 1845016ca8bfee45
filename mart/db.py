"""Engines and the declarative base shared by models, migrations and the loader."""

from sqlalchemy import Engine, MetaData, create_engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names on both DuckDB and PostgreSQL (Alembic's naming-convention advice).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MartError(Exception):
    """A user mistake or an unreachable database: printed as one line, never a traceback."""


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "duckdb":
        # Otherwise DECIMAL columns come back as float and 23.16 million loses its exactness.
        engine.dialect.supports_native_decimal = True
    return engine

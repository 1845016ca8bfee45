"""Engines, connections and the declarative base shared by models, migrations and the loader."""

from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

from mart.duckfile import quiet
from mart.errors import MartError, cannot_connect, reason

__all__ = ["Base", "MartError", "connect", "make_engine", "reason"]

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


def make_engine(url: str, read_only: bool = False) -> Engine:
    connect_args = {"read_only": True} if read_only and url.startswith("duckdb") else {}
    engine = create_engine(url, connect_args=connect_args)
    if engine.dialect.name == "duckdb":
        event.listen(engine, "connect", lambda dbapi_connection, _record: quiet(dbapi_connection))
        # Otherwise DECIMAL columns come back as float and 23.16 million loses its exactness.
        engine.dialect.supports_native_decimal = True
    return engine


def connect(engine: Engine, read_only: bool = False) -> Connection:
    """Open a connection, turning an unreachable database into one clear MartError."""
    shown = make_url(engine.url).render_as_string(hide_password=True)
    try:
        connection = engine.connect()
    except (DBAPIError, OSError) as error:
        raise cannot_connect(shown, error) from None
    if read_only and engine.dialect.name == "postgresql":
        connection.exec_driver_sql("set transaction read only")
    return connection

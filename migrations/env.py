"""Alembic environment: runs migrations, then re-creates the public views at head.

Views are repeatable objects (see README, "Views"): before any migration runs they are dropped,
and once the database is at head they are created again from mart/views/*.sql, all in one
transaction. A downgrade therefore never leaves a view pointing at a missing column.
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, Engine

from mart import (
    migrate,  # noqa: F401  (registers Alembic's impl for DuckDB)
    models,  # noqa: F401  (registers the tables on Base.metadata)
    views,
)
from mart.config import database_url
from mart.db import Base, make_engine

config = context.config
target_metadata = Base.metadata
if config.config_file_name and "connection" not in config.attributes:
    fileConfig(config.config_file_name)  # the alembic command line: show its progress lines


def _url() -> str:
    return database_url(
        context.get_x_argument(as_dictionary=True).get("db")
        or config.get_main_option("sqlalchemy.url")
    )


def _at_head() -> bool:
    heads = set(context.get_context().get_current_heads())
    return heads == set(context.script.get_heads())


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        views.drop_all(lambda sql: connection.exec_driver_sql(sql))
        context.run_migrations()
        if _at_head():
            views.create_all(lambda sql: connection.exec_driver_sql(sql), connection.dialect.name)


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    engine = given if isinstance(given, Engine) else make_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        if given is None:
            engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        views.drop_all(context.execute)
        context.run_migrations()
        if context.get_revision_argument() in ("head", *context.script.get_heads()):
            views.create_all(context.execute, context.get_context().dialect.name)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

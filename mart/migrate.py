"""Schema migrations: Alembic run on a connection the caller owns (and commits)."""

from alembic import command
from alembic.config import Config
from alembic.ddl.impl import DefaultImpl
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from mart.config import REPO_ROOT


class AlembicDuckDBImpl(DefaultImpl):
    """Alembic has no built-in impl for duckdb; its DDL is transactional like PostgreSQL's.

    Defining the class registers it, so it lives here (imported by env.py and by current()).
    """

    __dialect__ = "duckdb"
    transactional_ddl = True


def alembic_config(connection: Connection | None = None) -> Config:
    # No ini file: its logging section is for the alembic command line, not for mart's output.
    config = Config()
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()

"""The `mart` command line's entry (`app`: the `mart` script and `python -m mart`), and what
every command prints with: one-line errors, tables, and `mart query`'s output.

The commands are typer's, in mart.commands. Typer takes longer to import, and to check options
(each through pydantic), than `mart query` takes to answer: `app` runs a plain
`mart query SQL [--db D] [--format F]` itself, without importing typer, and hands anything
else (help, any other command, any other form, a mistake) to typer, which parses it and prints
its own messages. Both ways run the same run_query.
"""

import csv
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NoReturn

from mart.config import database_url

if TYPE_CHECKING:
    from rich.console import Console
    from typer import Typer


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(message: str, code: int) -> NoReturn:
    import typer

    typer.echo(message, err=True)
    raise typer.Exit(code) from None


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Print a user's mistake as one line on stderr and exit 1, never a traceback."""
    from mart.errors import MartError

    try:
        yield
    except MartError as error:
        _fail(f"error: {error}", 1)
    except OSError as error:  # a full disk, a directory that is a file, a permission
        where = f"{error.filename}: " if error.filename else ""
        _fail(f"error: {where}{error.strerror or error}", 1)
    except KeyboardInterrupt:  # writes are published whole or not at all
        _fail("interrupted: nothing changed", 130)


def rich_console(stderr: bool = False) -> "Console":
    from rich.console import Console

    console = Console(stderr=stderr)
    if not console.is_terminal:
        console.width = 160  # pipes and CI logs: wide enough that figures stay on one line
    return console


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def print_table(title: str | None, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    rich_console().print(table)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def run_query(sql: str, db: str | None, output: Format) -> None:
    """`mart query`: run one read-only query and print its result."""
    from mart import operations

    with friendly_errors():
        columns, rows = operations.query_url(database_url(db), sql)
    if output is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif output is Format.json:
        import typer

        records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        print_table(None, columns, rows)


def _typer_app() -> "Typer":
    from mart.commands import app as typer_app

    return typer_app


class _Mart:
    """`mart`. Called with a plain `query SQL`, optionally `--db D` and `--format F` (each at
    most once, no value starting with '-'), it runs run_query as typer would with these
    arguments; called otherwise, it is typer's app. Its attributes are the typer app's, so
    that typer's CliRunner and `app.registered_commands` see the commands."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        plain = _plain_query(_argv(args, kwargs))
        if plain is None:
            return _typer_app()(*args, **kwargs)
        _standalone(lambda: run_query(**plain))

    def __getattr__(self, name: str) -> Any:
        return getattr(_typer_app(), name)


def _argv(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str] | None:
    """The command line of `app()` (sys.argv) or `app(["query", ...])`, as click's main reads
    them; None for any other call, and under shell completion (typer's _<PROG>_COMPLETE)."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None
    if not args and not kwargs:
        return sys.argv[1:]
    if len(args) == 1 and not kwargs and isinstance(args[0], list | tuple):
        words = list(args[0])
        return words if all(isinstance(word, str) for word in words) else None
    return None


def _plain_query(argv: list[str] | None) -> dict[str, Any] | None:
    """run_query's arguments when argv is a plain `query SQL [--db D] [--format F]`, else None."""
    if argv is None or argv[:1] != ["query"]:
        return None
    given: dict[str, str] = {}
    words = iter(argv[1:])
    for word in words:
        name, equals, value = word.partition("=")
        if name in ("--db", "--format"):
            option_value = value if equals else next(words, None)
            if option_value is None or option_value.startswith("-") or name in given:
                return None
            given[name] = option_value
        elif word.startswith("-") or "sql" in given:
            return None
        else:
            given["sql"] = word
    output = given.get("--format", Format.table.value)
    if "sql" not in given or output not in {member.value for member in Format}:
        return None
    return {"sql": given["sql"], "db": given.get("--db"), "output": Format(output)}


def _standalone(command: Callable[[], None]) -> NoReturn:
    """Run a command and exit as typer's standalone mode does: 0 after it, the code of its
    typer.Exit, 130 on Ctrl-C, and 1 without a word when the reader of stdout went away."""
    try:
        command()
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        # Python's advice for a closed pipe: what is left to flush goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as error:
        import typer  # imported already when the command raised typer.Exit

        if isinstance(error, typer.Exit):
            sys.exit(error.exit_code)
        raise
    sys.exit(0)


app = _Mart()

"""The `mart` commands, as typer parses them: options, a call to mart.operations, printing.

Heavy imports (SQLAlchemy, Alembic, DuckDB, rich) happen inside the commands so that
`mart --help` answers at once. The `mart` script enters through mart.cli, which answers a plain
`mart query` without importing this module (nor typer).
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mart.cli import Format, friendly_errors, print_table, rich_console, run_query
from mart.config import DEFAULT_SEEDS_DIR, database_url

if TYPE_CHECKING:
    from sqlalchemy import Engine


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="mart: company facts reported in the news, as SQL tables and views.\n\n"
    'Start with `mart build`, then `mart query "select * from shipments_quarterly"`.',
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="File path (DuckDB) or SQLAlchemy URL, e.g. postgresql://localhost/mart. "
        "Default: $MART_DATABASE_URL, else mart.duckdb in the working directory.",
        show_default=False,
    ),
]


@contextmanager
def _engine(db: str | None, read_only: bool = False) -> Iterator["Engine"]:
    """An engine for the command, closed after it: DuckDB keeps a file open while one lives."""
    from mart.db import make_engine

    engine = make_engine(database_url(db), read_only=read_only)
    try:
        yield engine
    finally:
        engine.dispose()


def _load_with_progress(run: Callable[[Callable[[str], None]], Any], files: int) -> Any:
    if not sys.stderr.isatty():  # no bar to draw: rich's progress costs a tenth of a second
        return run(lambda _name: None)
    from rich.progress import Progress

    console = rich_console(stderr=True)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Checking seed files", total=files)
        result = run(lambda name: progress.update(task, advance=1, description=f"Checked {name}"))
        progress.update(task, description="Writing")
    return result


def _count_fact_files(paths: list[Path]) -> int:
    from mart.seedfiles import fact_files_in

    return len(fact_files_in(paths))


def _print_report(report: Any) -> None:
    for key, count in report.loaded.items():
        typer.echo(f"loaded {key}: {count} facts", err=True)
    for key in report.unchanged:
        typer.echo(f"unchanged {key}: skipped", err=True)
    if report.bulk:
        b = report.bulk
        typer.echo(
            f"loaded {b.facts:,} facts of {b.sources_loaded:,} sources from {b.files} bulk "
            f"file(s); {b.sources_unchanged:,} sources unchanged",
            err=True,
        )


@app.command()
def build(
    db: DbOption = None,
    seeds: Annotated[
        list[Path] | None,
        typer.Option("--seeds", help="Seed directory (repeatable). Default: the repo's seeds/."),
    ] = None,
) -> None:
    """Migrate to head, load every seed file, and print the derived figures.

    Example: mart build --db postgresql://localhost/mart
    """
    from mart import operations

    seed_dirs = seeds or [DEFAULT_SEEDS_DIR]
    with friendly_errors(), _engine(db) as engine:
        report = _load_with_progress(
            lambda progress: operations.build(engine, seed_dirs, progress),
            _count_fact_files(seed_dirs),
        )
        _print_report(report)
    # Read-only: a DuckDB file opened for writing would lock out every reader.
    with friendly_errors(), _engine(db, read_only=True) as engine:
        for view, (columns, rows) in operations.figures(engine).items():
            print_table(view, columns, rows)


@app.command()
def seed(
    paths: Annotated[list[Path], typer.Argument(help="Fact files (.yaml) or directories.")],
    db: DbOption = None,
    allow_outside_texts: Annotated[
        bool,
        typer.Option(
            "--allow-outside-texts",
            help="Let a fact file's source text lie outside its folder or behind a symlink.",
        ),
    ] = False,
) -> None:
    """Load the given seed files only, all or nothing, into a migrated mart.

    Example: mart seed seeds/xiaomi-q2-2017-shipments.yaml
    """
    from mart import operations

    # Files stored as they are now: said from the stored digests, no writer, no loader.
    with friendly_errors():
        unchanged = operations.seed_unchanged(database_url(db), paths, allow_outside_texts)
    for key in unchanged:
        typer.echo(f"unchanged {key}: skipped", err=True)
    if unchanged:
        return
    with friendly_errors(), _engine(db) as engine:
        report = _load_with_progress(
            lambda progress: operations.seed(engine, paths, progress, allow_outside_texts),
            _count_fact_files(paths),
        )
        _print_report(report)


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    db: DbOption = None,
) -> None:
    """Upgrade the schema to REVISION (default: head) and re-create the views.

    Example: mart migrate
    """
    from mart import operations

    with friendly_errors(), _engine(db) as engine:
        typer.echo(f"at revision {operations.upgrade(engine, revision)}")


@app.command()
def downgrade(
    revision: Annotated[
        str,
        typer.Argument(
            help="Target revision: base, a revision id, or -1 "
            "(after --, as in: mart downgrade --db F -- -1)."
        ),
    ],
    db: DbOption = None,
) -> None:
    """Downgrade the schema to REVISION; views are dropped unless the result is head.

    Example: mart downgrade base
    """
    from mart import operations

    with friendly_errors(), _engine(db) as engine:
        typer.echo(f"at revision {operations.downgrade(engine, revision) or 'base'}")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One read-only SQL query.")],
    db: DbOption = None,
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Run a read-only SQL query and print the result.

    Example: mart query "select * from fact_provenance where metric = 'patents_filed'" --format csv
    """
    run_query(sql, db, output)


@app.command()
def export(
    directory: Annotated[
        Path, typer.Argument(help="Directory to write the files to; created if missing.")
    ],
    db: DbOption = None,
    output: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
) -> None:
    """Write every public view to DIRECTORY/<view>.parquet (or .csv), for tools that read files.

    Example: mart export exports --format csv
    """
    from mart.export import export as export_views

    with friendly_errors(), _engine(db, read_only=True) as engine:
        written = export_views(engine, directory, output)
    print_table(None, ["view", "file", "rows"], [(e.view, e.path, e.rows) for e in written])


class SourcePages(StrEnum):
    auto = "auto"
    all = "all"
    disputed = "disputed"
    none = "none"


@app.command()
def docs(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Directory to write the site to: new, empty, or an earlier site (replaced)."
        ),
    ],
    db: DbOption = None,
    sources: Annotated[
        SourcePages,
        typer.Option(
            "--sources",
            help="Which sources get a page: all, disputed (those stating a disputed fact), none; "
            "auto: all up to 1,000 sources, else none.",
        ),
    ] = SourcePages.auto,
) -> None:
    """Write a static site of the mart: companies, sources with their quotes highlighted,
    disputes, the catalogue, and a search box. Open DIRECTORY/index.html; no server needed.

    Example: mart docs site --sources disputed && python -m http.server -d site
    """
    from mart.docs import build as build_site

    with friendly_errors(), _engine(db, read_only=True) as engine:
        report = build_site(engine, directory, sources.value)
    pages = ", ".join(f"{count:,} {kind}" for kind, count in report.pages.items())
    typer.echo(
        f"wrote {report.files:,} files ({report.bytes / 1e6:,.1f} MB) to {directory}: {pages}; "
        f"source pages: {report.sources_chosen}"
    )
    typer.echo(f"open {directory / 'index.html'}")


class Auth(StrEnum):
    scram = "scram-sha-256"
    md5 = "md5"


@app.command()
def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="The mart's DuckDB file. Default: $MART_DATABASE_URL, else mart.duckdb."
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 15432,
    password_file: Annotated[
        Path | None,
        typer.Option(help="File whose first line is the password clients must give."),
    ] = None,
    auth: Annotated[Auth, typer.Option(help="How a password is checked.")] = Auth.scram,
    statement_timeout: Annotated[
        float,
        typer.Option(
            help="Cancel statements running longer, in seconds, time sending rows included "
            "(0: never). A session may lower it with SET statement_timeout, not raise it."
        ),
    ] = 0.0,
    max_connections: Annotated[
        int, typer.Option(help="Sessions at once; the next gets 53300 too many clients.")
    ] = 100,
    authentication_timeout: Annotated[
        float, typer.Option(help="Seconds a client has from connecting to authenticated.")
    ] = 60.0,
    idle_session_timeout: Annotated[
        float,
        typer.Option(
            help="End sessions idle outside a transaction this long, in seconds (0: never)."
        ),
    ] = 0.0,
    max_message_size: Annotated[
        int, typer.Option(help="Largest message a client may send, in bytes (query text, Bind).")
    ] = 16 << 20,
    memory_limit: Annotated[
        str | None,
        typer.Option(help="DuckDB's memory limit, e.g. 4GB. Default: half the machine's memory."),
    ] = None,
    auth_delay: Annotated[
        float, typer.Option(help="Seconds before a wrong password is answered (0: none).")
    ] = 0.5,
) -> None:
    """Serve the mart read-only over the PostgreSQL protocol, for BI tools and SQL clients.

    Connect with host 127.0.0.1, port 15432, any database name and user. A rebuilt mart
    (`mart build`) is picked up by the next query, without a restart.

    Example: mart serve --port 15432 & psql -h 127.0.0.1 -p 15432 -U analyst mart
    """
    import logging

    from mart.errors import MartError
    from mart.serve.server import Settings
    from mart.serve.server import serve as run

    with friendly_errors():
        url = database_url(db)
        if not url.startswith("duckdb:///"):
            raise MartError(
                f"mart serve serves a DuckDB file, not {url.split('://')[0]}: "
                "BI tools connect to PostgreSQL directly"
            )
        password = None
        if password_file is not None:
            try:
                lines = password_file.read_text().splitlines()
            except OSError as error:
                raise MartError(f"cannot read the password file: {error}") from None
            password = lines[0].strip() if lines else ""
        settings = Settings(
            database=Path(url.removeprefix("duckdb:///")),
            host=host,
            port=port,
            password=password,
            auth=auth.value,
            statement_timeout=statement_timeout,
            max_connections=max_connections,
            authentication_timeout=authentication_timeout,
            idle_session_timeout=idle_session_timeout,
            max_message_size=max_message_size,
            memory_limit=memory_limit,
            auth_delay=auth_delay,
        )

        def ready(bound_host: str, bound_port: int) -> None:
            typer.echo(f"listening on {bound_host}:{bound_port} (serving {settings.database})")
            # Sessions, failed passwords and newly published versions, on stderr.
            logging.basicConfig(
                level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr
            )

        try:
            run(settings, ready)
        except OSError as error:
            raise MartError(f"cannot listen on {host}:{port}: {error.strerror}") from None


@app.command()
def check(db: DbOption = None) -> None:
    """Run the data tests (keys, quotes, reconciliations); exit 1 if any fails.

    Example: mart check --db mart.duckdb
    """
    from mart import operations

    with friendly_errors(), _engine(db, read_only=True) as engine:
        results = operations.check(engine)
    failed = [r for r in results if r.failed]
    warned = [r for r in results if not r.passed and not r.failed]
    for result in [*failed, *warned]:
        label = "FAIL" if result.failed else "WARN"
        typer.echo(f"{label} {result.check.name}: {result.check.description}")
        for row in result.rows[:5]:
            typer.echo(f"    {row}")
    passed = len(results) - len(failed) - len(warned)
    typer.echo(
        f"{len(results)} checks: {passed} passed, {len(failed)} failed, {len(warned)} warned"
    )
    if failed:
        raise typer.Exit(1)


@app.command()
def draft(
    text: Annotated[
        Path,
        typer.Argument(
            help="Source text (first line 'date YYYY-MM-DD'), or a folder: each .txt in it."
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Fact file to write; '-' prints it. Default: TEXT as .yaml."),
    ] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Company key, e.g. xiaomi (default: guessed).")
    ] = None,
    catalogue: Annotated[
        Path, typer.Option("--catalogue", help="Metric catalogue. Default: the repo's seeds/.")
    ] = DEFAULT_SEEDS_DIR / "catalogue.yaml",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Draft a fact file from a source text: one fact per figure, guesses marked `# guessed:`.

    Example: mart draft seeds/new-article.txt && mart seed seeds/new-article.yaml

    A folder drafts every .txt in it beside itself (TEXT.yaml), checked in one loader run.
    """
    from mart.draft import draft_dir, draft_file

    if text.is_dir():
        if out is not None or company is not None:
            typer.echo(
                "error: --out and --company name one text: draft the folder without them", err=True
            )
            raise typer.Exit(1)
        with friendly_errors():
            drafted = draft_dir(text, catalogue, force)
        for found, _, written in drafted:
            loaded = sum(1 for f in found.facts if f.problem is None)
            typer.echo(
                f"wrote {written}: {loaded} facts, {len(found.facts) - loaded} commented out"
                + ("" if loaded else _NOTHING_SURE),
                err=True,
            )
        return
    target = None if out == Path("-") else (out or text.with_suffix(".yaml"))
    with friendly_errors():
        found, content = draft_file(text, target, catalogue, company, force)
    if target is None:
        typer.echo(content, nl=False)
        return
    loaded = sum(1 for f in found.facts if f.problem is None)
    typer.echo(
        f"wrote {target}: {loaded} facts, {len(found.facts) - loaded} commented out"
        + (
            f"; review the `# guessed:` lines, then `mart seed {target}`"
            if loaded
            else _NOTHING_SURE
        ),
        err=True,
    )


# A draft of which the drafter is sure of no fact holds only commented-out blocks.
_NOTHING_SURE = "; none it is sure of: uncomment the blocks you check before `mart seed`"


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the corpus to.")],
    facts: Annotated[int, typer.Option("--facts", help="About how many facts.", min=1)] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 0,
    output: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
) -> None:
    """Write a deterministic synthetic corpus of bulk seed files (companies x quarters x metrics).

    Example: mart synth --facts 1000000 --out bench/data/1m && mart build --seeds bench/data/1m
    """
    from mart.synth import generate

    if output not in ("parquet", "csv"):
        typer.echo("error: --format must be parquet or csv", err=True)
        raise typer.Exit(1)
    report = generate(facts, out, seed, output)
    typer.echo(
        f"wrote {report.facts:,} facts from {report.sources:,} sources about "
        f"{report.companies:,} companies to {out}"
    )

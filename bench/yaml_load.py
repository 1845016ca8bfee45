"""One loader for every format: the same facts as one YAML fact file and as Parquet, loaded.

python -m bench.yaml_load [--sizes 100000]

The facts are the synthetic corpus's (bench.common.corpus, three times the size: its sources
state each fact about three times), one statement per fact, gathered into one source whose text
holds every quote (one sentence per company and period, a few thousand in all): one YAML
fact file with its text beside it, and the same rows as a bulk
directory (sources, companies, facts .parquet). Each is loaded into a fresh migrated DuckDB file
by `mart.seeds.load` in one transaction, three runs each; peak memory is the child's RSS. Goal:
the YAML file within 2x of the Parquet directory.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
from rich.table import Table

from bench.common import at_most, corpus, options, show

RUNS = 3
GOAL = 2.0  # YAML seconds / Parquet seconds

# Runs in a child, so that its peak RSS is its own: migrate, then load the given seed path.
LOAD = """
import json, resource, sys, time
from pathlib import Path
from mart import migrate, seeds
from mart.db import make_engine
engine = make_engine(f"duckdb:///{sys.argv[1]}")
with engine.connect() as connection, connection.begin():
    migrate.upgrade(connection)
    start = time.perf_counter()
    seeds.load(connection, [Path(sys.argv[2])], Path(sys.argv[3]))
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_inputs(size: int, folder: Path) -> tuple[Path, Path, int]:
    """(YAML fact file, bulk directory, facts) holding the same facts of one source."""
    source = corpus(3 * size)
    con = duckdb.connect()
    # One statement per fact; each quotes the sentence of its company and period (the first
    # such in the corpus), as a long report states several figures in one sentence.
    con.execute(
        "create table picked as select * exclude (n, quote), first_value(quote) over "
        "(partition by company, period order by source_key, metric) as quote from (select *, "
        "row_number() over (partition by metric, company, period, region, product, "
        "store_brand, unit, basis order by source_key) as n from read_parquet(?)) where n = 1 "
        f"order by source_key, metric, company, period limit {size}",
        [str(source / "facts.parquet")],
    )
    facts = con.execute(
        "select metric, company, period, region, product, store_brand, "
        "cast(value as varchar), unit, basis, quote from picked order by all"
    ).fetchall()
    companies = con.execute(
        "select company_key, company_name from read_parquet(?) order by 1",
        [str(source / "companies.parquet")],
    ).fetchall()
    quotes = sorted({row[9] for row in facts})
    body = "date 2017-07-08\n" + "\n".join(quotes) + "\n"
    (folder / "corpus.txt").write_text(body, encoding="utf-8")
    lines = [
        "source: {text: corpus.txt, title: Synthetic corpus}",
        "companies:",
        *(f"  - {{key: {key}, name: {json.dumps(name)}}}" for key, name in companies),
        "facts:",
    ]
    fields = ("metric", "company", "period", "region", "product", "store_brand", "value")
    for row in facts:
        lines.append(f"  - metric: {row[0]}")
        for name, value in zip(fields[1:], row[1:7], strict=True):
            if value is not None:
                lines.append(f"    {name}: {json.dumps(value)}")
        if row[7] is not None:
            lines.append(f"    unit: {row[7]}")
        lines.append(f"    basis: {row[8]}")
        lines.append(f"    quote: {json.dumps(row[9])}")
    yaml_file = folder / "corpus.yaml"
    yaml_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bulk = folder / "bulk"
    bulk.mkdir()
    con.execute(
        f"copy (select 'corpus' as source_key, 'Synthetic corpus' as title, "
        f"date '2017-07-08' as published_on, ? as body) to '{bulk / 'sources.parquet'}'",
        [body],
    )
    con.execute(
        f"copy (select * from read_parquet('{source / 'companies.parquet'}')) "
        f"to '{bulk / 'companies.parquet'}'"
    )
    con.execute(
        "copy (select 'corpus' as source_key, metric, company, period, region, product, "
        f"store_brand, value, unit, basis, quote from picked) to '{bulk / 'facts.parquet'}'"
    )
    return yaml_file, bulk, len(facts)


def load(path: Path, catalogue: Path, scratch: Path) -> tuple[float, float]:
    """(seconds of the load alone, peak RSS in MB) of one load in a child process."""
    db = scratch / "load.duckdb"
    db.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(db), str(path), str(catalogue)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["rss_mb"]


def main() -> None:
    args = options(__doc__.splitlines()[0], "100000")
    table = Table(title=f"The same facts as YAML and as Parquet, best of {RUNS} loads")
    for column in ("facts", "input", "load s", "peak RSS MB", "facts/s"):
        table.add_column(column, justify="right")
    goals: list[str] = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="mart-bench-") as scratch:
            folder = Path(scratch)
            yaml_file, bulk, facts = write_inputs(size, folder)
            catalogue = corpus(3 * size) / "catalogue.yaml"
            best: dict[str, tuple[float, float]] = {}
            for name, path in (("Parquet", bulk), ("YAML", yaml_file)):
                results = [load(path, catalogue, folder) for _ in range(RUNS)]
                best[name] = min(results)
                seconds, rss = best[name]
                table.add_row(f"{facts:,}", name, f"{seconds:.2f}", f"{rss:,.0f}",
                              f"{facts / seconds:,.0f}")  # fmt: skip
            ratio = best["YAML"][0] / best["Parquet"][0]
            goals.append(at_most(f"{facts:,} YAML / Parquet", ratio, GOAL, "x"))
        table.add_section()
    show(table, goals)


if __name__ == "__main__":
    main()

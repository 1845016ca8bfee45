"""A deterministic synthetic corpus of bulk seed files, for tests and benchmarks.

Companies x years x quarters x metrics, each company-year reported by three sources (articles)
whose texts contain every quoted sentence, so quotes verify. Later sources sometimes disagree
with the first (about 2% of their figures are off by 1%). Everything is generated set-based in
DuckDB: pseudo-randomness is hash(seed, ...) so the same seed gives the same files.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from mart.config import DEFAULT_SEEDS_DIR

YEARS = 10  # 2008..2017
FIRST_YEAR = 2008
SOURCES_PER_COMPANY_YEAR = 3
FACTS_PER_SOURCE = 23  # 4 quarters x (shipments, growth, 2 revenue growths, stores) + 3 annual

SYNTH_SQL = Path(__file__).with_name("synth.sql")


@dataclass(frozen=True)
class SynthReport:
    facts: int
    sources: int
    companies: int
    files: list[Path]


def generate(facts: int, out: Path, seed: int = 0, file_format: str = "parquet") -> SynthReport:
    """Write about `facts` facts (at least one source's worth) as bulk seed files under out."""
    import duckdb

    companies = max(1, -(-facts // (FACTS_PER_SOURCE * SOURCES_PER_COMPANY_YEAR * YEARS)))
    out.mkdir(parents=True, exist_ok=True)
    for stale in (
        f"{stem}.{suffix}"
        for stem in ("companies", "sources", "facts")
        for suffix in ("parquet", "csv")
    ):
        # A corpus of the other format left here would be loaded beside this one.
        (out / stale).unlink(missing_ok=True)
    shutil.copy(DEFAULT_SEEDS_DIR / "catalogue.yaml", out / "catalogue.yaml")
    params = {
        "$seed": str(int(seed)),
        "$companies": str(companies),
        "$first_year": str(FIRST_YEAR),
        "$years": str(YEARS),
        "$sources_per_year": str(SOURCES_PER_COMPANY_YEAR),
    }
    sql = SYNTH_SQL.read_text(encoding="utf-8")
    for name, value in params.items():
        sql = sql.replace(name, value)
    options = "(format parquet, compression zstd)" if file_format == "parquet" else "(header)"
    suffix = "parquet" if file_format == "parquet" else "csv"
    with duckdb.connect() as con:
        con.execute("set preserve_insertion_order = true")
        con.execute(sql)
        con.execute(
            f"create or replace temp table synth_kept as "
            f"select * from synth_fact order by source_key, ordinal limit {int(facts)}"
        )
        files = [out / f"companies.{suffix}", out / f"sources.{suffix}", out / f"facts.{suffix}"]
        con.execute(
            f"copy (select company_key, company_name from synth_company order by c) "
            f"to '{files[0]}' {options}"
        )
        con.execute(
            f"""copy (
                select
                    s.source_key,
                    s.company_name || ' results for ' || cast(s.year as varchar) as title,
                    s.publisher,
                    'https://news.example/' || s.source_key as url,
                    false as is_summary,
                    s.published_on,
                    'date ' || cast(s.published_on as varchar) || chr(10)
                        || string_agg(f.quote, ' ' order by f.ordinal) as body
                from synth_source as s
                inner join synth_kept as f on f.source_key = s.source_key
                group by s.source_key, s.company_name, s.year, s.publisher, s.published_on
                order by s.source_key
            ) to '{files[1]}' {options}"""
        )
        con.execute(
            f"copy (select * exclude (ordinal) from synth_kept order by source_key, ordinal) "
            f"to '{files[2]}' {options}"
        )
        counts = con.execute(
            "select count(*), count(distinct source_key), count(distinct company) from synth_kept"
        ).fetchone()
    assert counts is not None
    return SynthReport(counts[0], counts[1], counts[2], files)

"""Staging in order: every phase, from the catalogue to the conflicts (the map: mart.load)."""

from pathlib import Path

from mart.load.conflicts import _conflicts
from mart.load.dimensions import KnownDomains, _catalogue_tables, _stage_dimensions
from mart.load.facts import _fact_rows, _yaml_facts
from mart.load.periods import _resolve_periods, _resolve_stated_on
from mart.load.rules import _fact_checks, _no_nul, _required
from mart.load.stage import Stage, _first_offenders, _table_view, _union
from mart.load.values import _parse_values
from mart.seedfiles import BULK_FACT_COLUMNS, Catalogue, YamlFacts


def stage(
    stage: Stage,
    bulk_files: list[Path],
    yaml_files: list[YamlFacts],
    catalogue: Catalogue,
    known: KnownDomains,
    few_facts: int,
) -> None:
    """Stage and check every fact of every file into bulk_fact_rows (tables below few_facts
    facts, else views: Stage.relation); raise the first SeedError."""
    stage.yaml_files = {str(y.path): y for y in yaml_files}
    _catalogue_tables(stage, catalogue, known)
    _stage_dimensions(stage, sorted({f.parent for f in bulk_files}), yaml_files)
    parts = _yaml_facts(stage, yaml_files)
    for index, path in enumerate(bulk_files):
        name = f"bulk_fact_{index}"
        _table_view(stage, name, path, BULK_FACT_COLUMNS)
        parts.append(f"select * from {name}")
    _union(stage, "bulk_fact_raw", parts, BULK_FACT_COLUMNS)
    _first_offenders(
        stage,
        "bulk_fact_raw",
        "facts",
        [
            *_required(BULK_FACT_COLUMNS),
            # The fields no other check compares with a text, a key or a word list.
            *_no_nul(("store_brand",)),
            (
                "quote_start",
                "quote_start is not null and try_cast(quote_start as integer) is null",
                "'''' || quote_start || ''' is not a whole number'",
            ),
        ],
    )
    stage.small = stage.run("select count(*) from bulk_fact_raw")[0][0] < few_facts
    _parse_values(stage, [unit for unit, is_currency, *_ in known.units if is_currency])
    _resolve_periods(stage)
    _resolve_stated_on(stage)
    _fact_rows(stage)
    _first_offenders(stage, "bulk_fact", "facts", _fact_checks())
    _conflicts(stage)

"""Sources, companies, products, segments and attributions staged and checked; the
catalogue's metrics, regions, units and product kinds as staged tables."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mart.load.columns import DIMENSIONS, REQUIRED_DIMENSIONS
from mart.load.rules import _no_nul, _required
from mart.load.stage import SHOWN_ROWS, Stage, _first_offenders, _in, _table_view, _union, _values
from mart.seedfiles import Catalogue, SeedError, YamlFacts
from mart.vocabulary import ATTRIBUTION_KINDS, FISCAL_NAMINGS


def _catalogue_tables(stage: Stage, catalogue: Catalogue, known: "KnownDomains") -> None:
    metrics = [
        (m.key, m.unit, m.subject, m.growth_of is not None, m.change_of is not None)
        for m in catalogue.metrics
    ]
    units = {row[0]: tuple(row) for row in known.units}
    for unit in catalogue.units:
        units[unit.key] = (unit.key, False, unit.minimum, unit.maximum, unit.whole)
    tables: dict[str, tuple[list[tuple[Any, ...]], str]] = {
        "bulk_metric": (
            metrics,
            "metric_key varchar, unit varchar, subject varchar, is_growth boolean, "
            "is_change boolean",
        ),
        "bulk_region": ([(r.key,) for r in catalogue.regions], "region_key varchar"),
        "bulk_unit": (
            list(units.values()),
            "unit varchar, is_currency boolean, minimum decimal(24,6), "
            "maximum decimal(24,6), is_whole boolean",
        ),
        "bulk_product_kind": (
            [(k,) for k in {*known.product_kinds, *(k.key for k in catalogue.product_kinds)}],
            "product_kind varchar",
        ),
    }
    for name, (rows, columns) in tables.items():
        stage.run(f"create or replace temp table {name} as {_values(rows, columns)}")


@dataclass(frozen=True)
class KnownDomains:
    """What the target database already holds: units with their rules, and product kinds."""

    units: list[tuple[Any, ...]]  # (unit, is_currency, minimum, maximum, is_whole)
    product_kinds: list[str]


def _yaml_dimensions(stage: Stage, files: list[YamlFacts]) -> dict[str, list[str]]:
    """The YAML files' sources and declared dimensions as Arrow tables: stem -> SQL selects."""
    columns: dict[str, dict[str, list[Any]]] = {
        stem: {c: [] for c in ("file", "row_number", "yaml_index", "scope", *cols)}
        for stem, (_n, cols, _s, _f) in DIMENSIONS.items()
    }

    def add(stem: str, yaml_file: YamlFacts, index: int | None, values: dict[str, Any]) -> None:
        table = columns[stem]
        section = DIMENSIONS[stem][2]
        loc = (section,) if index is None else (section, index)
        table["file"].append(str(yaml_file.path))
        table["row_number"].append(yaml_file.header.line(loc))
        table["yaml_index"].append(index)
        table["scope"].append(str(yaml_file.path))
        for column in DIMENSIONS[stem][1]:
            value = values.get(column)
            table[column].append(None if value is None else str(value))

    for y in files:
        spec = y.header.spec
        add(
            "sources",
            y,
            None,
            {
                "source_key": y.path.stem,
                "title": spec.source.title,
                "publisher": spec.source.publisher,
                "url": spec.source.url,
                "is_summary": spec.source.is_summary,
                "published_on": y.text.published_on,
                "body": y.text.body,
            },
        )
        for i, c in enumerate(spec.companies):
            add(
                "companies",
                y,
                i,
                {
                    "company_key": c.key,
                    "company_name": c.name,
                    "fiscal_year_end_month": c.fiscal_year_end_month,
                    "fiscal_year_named_by": c.fiscal_year_named_by,
                },
            )
        for i, p in enumerate(spec.products):
            add(
                "products",
                y,
                i,
                {
                    "product_key": p.key,
                    "product_name": p.name,
                    "company_key": p.company,
                    "product_kind": p.kind,
                },
            )
        for i, s in enumerate(spec.segments):
            add(
                "segments",
                y,
                i,
                {"segment_key": s.key, "segment_name": s.name, "company_key": s.company},
            )
        for i, a in enumerate(spec.attributions):
            add(
                "attributions",
                y,
                i,
                {"attribution_key": a.key, "attribution_name": a.name, "attribution_kind": a.kind},
            )
    selects: dict[str, list[str]] = {}
    for stem, table in columns.items():
        if table["file"]:
            name = f"yaml_{stem}"
            stage.register(name, table)
            selects[stem] = [f"select * from {name}"]
    return selects


def _stage_dimensions(stage: Stage, folders: list[Path], yaml_files: list[YamlFacts]) -> None:
    parts = _yaml_dimensions(stage, yaml_files)
    for folder in folders:
        for stem in DIMENSIONS:
            found = [f for f in (folder / f"{stem}.parquet", folder / f"{stem}.csv") if f.is_file()]
            if not found and stem in REQUIRED_DIMENSIONS:
                raise SeedError(
                    folder,
                    None,
                    "",
                    f"a bulk fact file needs {stem}.parquet or {stem}.csv beside it "
                    "(see README, 'Bulk seed files')",
                )
            for index, path in enumerate(found):
                name = f"bulk_{stem}_{len(stage.views)}_{index}"
                _table_view(stage, name, path, DIMENSIONS[stem][1])
                parts.setdefault(stem, []).append(f"select * from {name}")
    for stem, (name, columns, section, _fields) in DIMENSIONS.items():
        _union(stage, f"{name}_raw", parts.get(stem, []), columns)
        _first_offenders(stage, f"{name}_raw", section, _required(columns) + _no_nul(columns))
    _first_offenders(
        stage,
        "bulk_source_raw",
        "source",
        [
            (
                "published_on",
                "try_cast(published_on as date) is null",
                "'not a date (write YYYY-MM-DD): ' || published_on",
            ),
            (
                "is_summary",
                "is_summary is not null and try_cast(is_summary as boolean) is null",
                "'not true or false: ' || is_summary",
            ),
        ],
    )
    # A view, not a table: 10M facts come with 435k texts (565 MB) that need not sit in memory.
    stage.run(
        "create or replace temp view bulk_source as select file, row_number, yaml_index, scope, "
        "source_key, title, publisher, url, coalesce(cast(is_summary as boolean), false) "
        "as is_summary, cast(published_on as date) as published_on, body from bulk_source_raw"
    )
    stage.views.append("bulk_source")
    _first_offenders(
        stage,
        "bulk_company_raw",
        "companies",
        [
            (
                "fiscal_year_end_month",
                "fiscal_year_end_month is not null "
                "and coalesce(try_cast(fiscal_year_end_month as integer) not between 1 and 12, "
                "true)",
                "'not a month number 1-12: ' || fiscal_year_end_month",
            ),
            (
                "fiscal_year_named_by",
                f"fiscal_year_named_by not in {_in(FISCAL_NAMINGS)}",
                f"'not one of {', '.join(FISCAL_NAMINGS)}: ' || fiscal_year_named_by || "
                "' (end: FY2017 ends in 2017, as Apple; start: fiscal 2017 starts in 2017, "
                "as SoftBank)'",
            ),
        ],
    )
    stage.run(
        "create or replace temp table bulk_company as select file, row_number, yaml_index, "
        "scope, company_key, company_name, "
        "cast(fiscal_year_end_month as smallint) as fiscal_year_end_month, "
        "fiscal_year_named_by from bulk_company_raw"
    )
    company_known = (
        "company_key not in (select company_key from bulk_company as c where c.scope = t.scope)"
    )
    undeclared = (
        "'company ' || company_key || ' is not declared' || case when yaml_index is null "
        "then ' in the companies file' else ' under companies: in this file' end"
    )
    for stem in ("products", "segments", "attributions"):
        name, columns, section, _fields = DIMENSIONS[stem]
        checks = []
        if "company_key" in columns:
            checks.append(("company_key", company_known, undeclared))
        if stem == "products":
            checks.append(
                (
                    "product_kind",
                    "product_kind not in (select product_kind from bulk_product_kind)",
                    "'unknown product kind ' || product_kind || "
                    "': add it to catalogue.yaml under product_kinds'",
                )
            )
        if stem == "attributions":
            kinds = ATTRIBUTION_KINDS
            checks.append(
                (
                    "attribution_kind",
                    f"attribution_kind not in {_in(kinds)}",
                    f"'not one of {', '.join(kinds)}: ' || attribution_kind",
                )
            )
        _first_offenders(stage, f"{name}_raw", section, checks)
        stage.run(f"create or replace temp table {name} as select * from {name}_raw")
    for stem, key, name_column in (
        ("sources", "source_key", None),
        ("companies", "company_key", "company_name"),
        ("products", "product_key", "product_name"),
        ("segments", "segment_key", "segment_name"),
        ("attributions", "attribution_key", "attribution_name"),
    ):
        _declared_once(stage, stem, key, name_column)


def _declared_once(stage: Stage, stem: str, key: str, name_column: str | None) -> None:
    """A key is declared once per scope; across scopes (several YAML files) with one name."""
    name, _columns, section, _fields = DIMENSIONS[stem]
    rows = stage.run(
        f"select {key}, list(file order by file, row_number), "
        f"list(row_number order by file, row_number), "
        f"list(yaml_index order by file, row_number) from {name} "
        f"group by {key}, scope having count(*) > 1 order by 3 limit 1"
    )
    if rows:
        value, files, numbers, indexes = rows[0]
        if files[0] in stage.yaml_files:
            first = numbers[0]
            raise stage.error(
                files[1],
                numbers[1],
                indexes[1],
                section,
                key,
                f"{value!r} is declared twice (first at line {first})",
            )
        where = [
            str(n) if f == files[0] else f"{Path(f).name} row {n}"
            for f, n in zip(files[:SHOWN_ROWS], numbers[:SHOWN_ROWS], strict=True)
        ]
        raise SeedError(
            Path(files[0]),
            None,
            "",
            f"rows {', '.join(where)}: {key}: {value!r} appears more than once",
        )
    if stem == "sources":
        rows = stage.run(
            f"select {key}, list(file order by file) from {name} group by {key} "
            "having count(*) > 1 order by 1 limit 1"
        )
        if rows:
            value, files = rows[0]
            raise SeedError(
                Path(files[1]),
                None,
                "",
                f"source {value!r} is stated by {files[0]} too: one fact file per source",
            )
        return
    assert name_column is not None
    rows = stage.run(
        f"select {key}, list({name_column} order by file, row_number), "
        f"list(file order by file, row_number), list(row_number order by file, row_number), "
        f"list(yaml_index order by file, row_number) from {name} group by {key} "
        f"having count(distinct {name_column}) > 1 order by 1 limit 1"
    )
    if rows:
        value, names, files, numbers, indexes = rows[0]
        other = next(i for i, n in enumerate(names) if n != names[0])
        raise stage.error(
            files[other],
            numbers[other],
            indexes[other],
            section,
            name_column,
            f"{names[other]!r} conflicts with {names[0]!r} in {files[0]}",
        )

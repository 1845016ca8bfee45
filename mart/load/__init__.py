"""The loader: fact rows from every seed file -> checked set-based in DuckDB -> written in bulk.

YAML fact files and bulk directories (CSV, Parquet) arrive as rows of the same staging
relations: YAML facts as a table of text (its line and index travel as columns), bulk files as
views over the files. Every rule a fact must pass is one SQL check, over all rows at once; a
failure names the file, the line (YAML) or row (bulk), and the field. Writing is insert-select
from staging: on DuckDB in the target's own connection, on PostgreSQL after a COPY of the
staged rows. mart.seeds drives a load: it reads the files, calls the phases below inside one
transaction, and reports.

Scopes: a YAML file's facts may name only the companies, products, segments and attributions
that file declares; a bulk file's rows, those of the dimension files in its folder. Each staged
row carries its scope (the YAML file, or the bulk folder), and the checks join on it.

The phases of a load, in order (phases.stage runs 1-8; the first failing row raises SeedError):

1. catalogue    dimensions._catalogue_tables: the catalogue's metrics, regions, units and
                product kinds as staged tables (bulk_metric, bulk_region, ...).
2. dimensions   dimensions._stage_dimensions: sources, companies, products, segments and
                attributions from YAML headers and bulk dimension files (bulk_source, ...),
                checked: required fields, dates, fiscal calendars, declared names, each key
                declared once.
3. fact rows    facts._yaml_facts and stage._table_view: every fact as one row of
                bulk_fact_raw; required fields and offsets checked.
4. values       values._parse_values: the value as written -> number, bound, precision
                (bulk_fact_values).
5. periods      periods._resolve_periods, periods._resolve_stated_on: each distinct period and
                stated_on wording resolved once (bulk_period_map, bulk_stated_map; the grammar
                is mart.periods).
6. rows         facts._fact_rows: bulk_fact_rows, the rows to write (with each value's interval,
                values._interval), and bulk_fact, the rows with what the rules ask.
7. rules        rules._fact_checks: every fact check, as (field, condition, message) data, run
                by stage._first_offenders.
8. conflicts    conflicts._conflicts: one source states a fact once.
9. write        write.DIGEST_SQL (which sources changed), write.WRITTEN_FACTS, on PostgreSQL
                write.copy_to_postgres, then write.write_sql(): the insert-selects. After it,
                mart.refresh rewrites the stored views' rows, and stage.drop_staging cleans up.

Modules: phases (stage(), phases 1-8 in order); stage (Stage, SQL literals, views over files,
the first-offender check, drop_staging); columns (the staged relations' columns); dimensions;
facts; values; periods; rules; conflicts; write.
A leading underscore marks a name as the loader's own: the modules of this package share it.
"""

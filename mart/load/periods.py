"""Period and stated_on wordings of staged rows resolved to periods and days (the grammar
itself is mart.periods)."""

from datetime import date
from typing import Any, NoReturn

from mart import periods
from mart.load.stage import Stage, _in, _insert_rows, lit
from mart.vocabulary import FORWARD_BASES


def _resolve_periods(stage: Stage) -> None:
    """Resolve each distinct wording once (per publication date only where it is relative).

    A wording is resolved with what decides it: the direction its basis gives (reported
    figures look back, targets forward), the company's fiscal calendar and how it names its
    years, and a stated end date.
    """
    run = stage.run
    forward = f"coalesce(f.basis in {_in(FORWARD_BASES)}, false)"
    company_join = "left join bulk_company as c on c.scope = f.scope and c.company_key = f.company"
    calendar = "c.fiscal_year_end_month, c.fiscal_year_named_by"
    keys = run(
        f"select distinct f.period, {forward}, {calendar}, f.period_end "
        f"from bulk_fact_raw as f {company_join} where f.period is not null"
    )
    resolved: list[tuple[Any, ...]] = []
    relative: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key in keys:
        wording, is_forward, fiscal, naming, end = key
        try:
            ends_on = date.fromisoformat(end) if end else None
        except ValueError:
            _wording_error(stage, wording, "period_end", f"not a date (write YYYY-MM-DD): {end}")
        options: dict[str, Any] = {
            "forward": is_forward,
            "fiscal_year_end_month": fiscal or 12,
            "fiscal_year_named_by": naming or "end",
            "ends_on": ends_on,
        }
        try:
            # Leap years both, so that "February 29" resolves at either end.
            early = periods.resolve(wording, date(1904, 12, 31), **options)
            late = periods.resolve(wording, date(2096, 12, 31), **options)
        except periods.PeriodError:  # refused at a probe date: decided by the real one
            early, late = None, periods.day(date(2000, 1, 1))
        if early == late:
            resolved.append((*key, None, early))
        else:
            relative[tuple(key)] = options
    if relative:
        pairs = run(
            f"select distinct f.period, {forward}, {calendar}, f.period_end, "
            "s.published_on from bulk_fact_raw as f inner join bulk_source as s "
            f"on s.scope = f.scope and s.source_key = f.source_key {company_join} "
            f"where f.period in {_in(sorted({key[0] for key in relative}))}"
        )
        for pair in pairs:
            if (options_for := relative.get(tuple(pair[:5]))) is None:
                continue
            try:
                period = periods.resolve(pair[0], pair[5], **options_for)
            except periods.PeriodError as error:
                _wording_error(stage, pair[0], "period", str(error), pair[5])
            resolved.append((*pair, period))
    rows = [
        (*key, on, p.label, p.grain, p.start_on, p.end_on, p.fiscal_label)
        for *key, on, p in resolved
    ]
    run(
        "create or replace temp table bulk_period_map (period varchar, forward boolean, "
        "fiscal_year_end_month smallint, fiscal_year_named_by varchar, period_end varchar, "
        "published_on date, label varchar, grain varchar, start_on date, end_on date, "
        "fiscal_label varchar)"
    )
    _insert_rows(stage, "bulk_period_map", rows)
    _period_wordings_agree(stage, forward, company_join)


def _period_wordings_agree(stage: Stage, forward: str, company_join: str) -> None:
    """A period wording that names a period by itself ("Q1 FY19") must name the one period:
    gives: a fiscal label a year off (a company's naming misread) is refused, not stored."""
    wordings = stage.run(f"""
        select distinct f.period_wording, f.period, {forward}, c.fiscal_year_end_month,
            c.fiscal_year_named_by, s.published_on
        from bulk_fact_raw as f
        inner join bulk_source as s on s.scope = f.scope and s.source_key = f.source_key
        {company_join}
        where f.period_wording is not null and f.period is not null
    """)
    for wording, period, is_forward, fiscal, naming, published in wordings:
        options: dict[str, Any] = {
            "forward": is_forward,
            "fiscal_year_end_month": fiscal or 12,
            "fiscal_year_named_by": naming or "end",
        }
        try:
            said = periods.resolve(wording, published, **options)
            given = periods.resolve(period, published, **options)
        except periods.PeriodError:  # relative to another figure, or refused elsewhere
            continue
        if not said.fiscal_label:  # only a fiscal wording names its own label
            continue
        if said.start_on != given.start_on or (
            given.fiscal_label and given.fiscal_label != said.fiscal_label
        ):

            def shown(p: periods.Period) -> str:
                return f"{p.fiscal_label or p.label} ({p.start_on}/{p.end_on})"

            _wording_error(
                stage,
                period,
                "period_wording",
                f"{wording!r} reads as {shown(said)}, but period: gives {shown(given)}; check "
                "the period, or the company's fiscal_year_end_month and fiscal_year_named_by",
                published,
            )


def _resolve_stated_on(stage: Stage) -> None:
    """bulk_stated_map: each distinct stated_on wording, per publication date, as a day; and
    every source's publication date (the default), without its text."""
    run = stage.run
    run(
        "create or replace temp table bulk_source_date as "
        "select scope, source_key, published_on from bulk_source"
    )
    pairs = run(
        "select distinct f.stated_on, s.published_on from bulk_fact_raw as f "
        "inner join bulk_source_date as s on s.scope = f.scope and s.source_key = f.source_key "
        "where f.stated_on is not null"
    )
    rows: list[tuple[Any, ...]] = []
    for wording, published in pairs:
        try:
            stated = periods.stated_day(wording, published)
        except periods.PeriodError as error:
            _wording_error(stage, wording, "stated_on", str(error), published, "stated_on")
        rows.append((wording, published, stated))
    run(
        "create or replace temp table bulk_stated_map (stated_on varchar, published_on date, "
        "stated_day date)"
    )
    _insert_rows(stage, "bulk_stated_map", rows)


def _wording_error(
    stage: Stage,
    wording: str,
    field: str,
    message: str,
    on: date | None = None,
    written_in: str = "period",
) -> NoReturn:
    """The first fact whose `written_in` field holds the wording (from a source published `on`,
    where the wording is read against that day), refused in `field`."""
    published = f" and s.published_on = {lit(on)}" if on is not None else ""
    file, row_number, yaml_index = stage.run(
        "select f.file, f.row_number, f.yaml_index from bulk_fact_raw as f "
        "left join bulk_source as s on s.scope = f.scope and s.source_key = f.source_key "
        f"where f.{written_in} = {lit(wording)}{published} order by f.file, f.row_number limit 1"
    )[0]
    raise stage.error(file, row_number, yaml_index, "facts", field, message)

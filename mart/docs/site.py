"""`mart docs`: the static site, written from one snapshot of the mart.

Home, a page per company, a page per chosen source, disputes and the catalogue, plus a search
index, as plain files that work from disk or any static host: every script and style is copied
in, and nothing is fetched. The site is written beside the target directory and swapped in
whole, so a reader never sees half a site and a failed run leaves the old one.
"""

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from mart.db import MartError, connect, reason
from mart.docs import charts, derived, read
from mart.docs.read import Record
from mart.docs.text import Segment, file_name, number, script_json, segments, value, web_url
from mart.publish import database_file

SOURCE_CHOICES = ("auto", *read.SOURCE_CHOICES)
# `--sources auto`: a page for every source up to this many, else none (at 1M facts, 43,500
# sources, the 24,927 disputed ones alone take 100 s and 640 MB: a user asks for them).
AUTO_ALL_SOURCES = 1_000
MARKER = ".mart-docs"  # marks a directory as a site this command wrote (and may replace)
# Whole markets' figures (company NULL) and their derived figures: a page of their own, one
# directory down as a company's (its links are a company page's), named apart from any key.
MARKETS_PAGE = "markets/index.html"


@dataclass(frozen=True)
class SourceRef:
    """How a page links to a source: its highlight page, else the original article, else text.
    Made once per source and page depth, with its parts escaped: a mart links a million times."""

    label: Markup
    title: Markup
    base: str | None  # the page (anchored per statement) or the article; None: no link
    anchored: bool

    def href(self, fact_id: int) -> str | None:
        if self.base is None or not self.anchored:
            return self.base
        return f"{self.base}#f{fact_id}"

    def html(self, fact_id: int) -> str:
        """The link, escaped (a str, not Markup: joined by the thousand, wrapped once)."""
        if self.base is None:
            return f'<span title="{self.title}">{self.label}</span>'
        anchor = f"#f{fact_id}" if self.anchored else ""
        return f'<a href="{escape(self.base)}{anchor}" title="{self.title}">{self.label}</a>'


@dataclass(slots=True)
class Figure:
    """A row of a company's table: one figure, agreed across its sources, or an implied level."""

    metric: str
    metric_name: str
    chart_metric: str
    series: str
    period: str
    fiscal_period: str | None
    period_start: date | None
    period_end: date | None
    value: Decimal | None
    value_high: Decimal | None
    low: Decimal | None
    high: Decimal | None
    bound: str
    basis: str
    unit: str
    disputed: bool
    shown: str
    sources: Markup  # links to the statements behind the figure, escaped
    href: str | None  # where the chart's point links: the first statement


@dataclass(frozen=True)
class _Markets:
    """The whole markets, shown by the company page's template."""

    fact_count: int
    source_count: int
    company_key: None = None
    company_name: str = "Whole markets"
    fiscal_year_end_month: None = None


class _Following:
    """Groups of a stream ordered as another is, taken as that one reaches their key."""

    def __init__(self, groups: Iterator[tuple[Any, list[Record]]]) -> None:
        self.groups = groups
        self.next: tuple[Any, list[Record]] | None = next(groups, None)

    def take(self, key: Any) -> list[Record]:
        if self.next is None or self.next[0] != key:
            return []
        found = self.next[1]
        self.next = next(self.groups, None)
        return found


@dataclass
class SiteReport:
    directory: Path
    pages: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    sources_chosen: str = ""


def build(engine: Engine, directory: Path, sources: str = "auto") -> SiteReport:
    """Write the site into `directory` (created, or replaced if it holds an earlier site)."""
    if sources not in SOURCE_CHOICES:
        raise MartError(f"--sources must be one of {', '.join(SOURCE_CHOICES)}, not {sources!r}")
    path = database_file(engine)
    if path is not None and not path.exists():
        raise MartError(f"{path} does not exist: run `mart build` first (or check --db)")
    _check_target(directory)
    with (
        connect(engine, read_only=True) as connection,
        _beside(engine, connection, len(read.DERIVED_KINDS)) as beside,
        _building(directory) as staging,
    ):
        if connection.dialect.name == "postgresql":
            # One snapshot for every page, as DuckDB gives by reading one file.
            connection.exec_driver_sql("set transaction isolation level repeatable read")
        try:
            return _Site(connection, beside, staging, directory, sources).write()
        except DBAPIError as error:
            raise MartError(
                f"cannot read the mart: {reason(error)} (is it built? run `mart build`)"
            ) from None


def _check_target(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise MartError(f"{directory} is a file: give a directory for the site")
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER).is_file():
        raise MartError(
            f"{directory} holds other files: give a new or empty directory "
            "(or one an earlier `mart docs` wrote, which is replaced)"
        )


@contextmanager
def _beside(engine: Engine, connection: Connection, count: int) -> Iterator[list[Connection]]:
    """Connections to read more streams while the first is open: on PostgreSQL the same one
    (server-side cursors interleave, in its one snapshot); on DuckDB others, because the next
    query on a connection cuts its open result short (the file, held by this process, cannot
    change between them)."""
    if connection.dialect.name == "postgresql":
        yield [connection] * count
        return
    with ExitStack() as stack:
        yield [stack.enter_context(connect(engine, read_only=True)) for _ in range(count)]


@contextmanager
def _building(directory: Path) -> Iterator[Path]:
    """A fresh directory beside the target; on success it replaces the target in two renames."""
    parent = directory.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{directory.name}.{os.getpid()}.building"
    old = parent / f".{directory.name}.{os.getpid()}.old"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
        if directory.exists():
            directory.rename(old)
        staging.rename(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert-python's own copy."""
    import vl_convert

    return vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")


class _Site:
    def __init__(
        self,
        connection: Connection,
        beside: list[Connection],
        out: Path,
        target: Path,
        sources: str,
    ) -> None:
        self.connection = connection
        self.beside = beside
        self.out = out
        self.report = SiteReport(target)
        self.env = Environment(
            loader=PackageLoader("mart.docs", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["number"] = number
        self.env.filters["web_url"] = web_url
        self.sources = {row.source_key: row for row in read.sources(connection)}
        if sources == "auto":
            sources = "all" if len(self.sources) <= AUTO_ALL_SOURCES else "none"
        self.report.sources_chosen = sources
        self.metrics = sorted(read.metrics(connection), key=lambda m: m.metric_key)
        self.metric_names = {m.metric_key: m.metric_name for m in self.metrics}
        self.disputes = read.disputes(connection)
        chosen = {
            "all": set(self.sources),
            "disputed": {row.source_key for row in self.disputes},
            "none": set(),
        }[sources]
        self.with_page = chosen
        self.search = _SearchIndex(out / "search-index.js")
        self.refs: dict[tuple[str, str], SourceRef] = {}
        self.markets = read.market_statements(connection)
        self.market_refs = self.market_links()

    # Links -----------------------------------------------------------------------------------

    def company_href(self, key: str | None) -> str:
        """A company's page; a whole market's figures (no company) are on the markets page."""
        return MARKETS_PAGE if key is None else f"companies/{file_name(key)}"

    def source_ref(self, key: str, root: str) -> SourceRef:
        ref = self.refs.get((key, root))
        if ref is None:
            source = self.sources[key]
            label = escape(f"{source.publisher or source.title}, {source.published_on.isoformat()}")
            if key in self.with_page:
                ref = SourceRef(
                    label, escape(source.title), f"{root}sources/{file_name(key)}", True
                )
            else:
                ref = SourceRef(label, escape(source.title), web_url(source.url), False)
            self.refs[(key, root)] = ref
        return ref

    # Writing ---------------------------------------------------------------------------------

    def page(self, kind: str, name: str, template: str, **context: Any) -> None:
        root = "../" * name.count("/")
        html = self.env.get_template(template).render(root=root, **context)
        self.file(name, html)
        self.report.pages[kind] = self.report.pages.get(kind, 0) + 1

    def file(self, name: str, content: str) -> None:
        target = self.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8")
        target.write_bytes(data)
        self.report.files += 1
        self.report.bytes += len(data)

    def write(self) -> SiteReport:
        connection = self.connection
        self.file(MARKER, "A site written by `mart docs`; the next run replaces this directory.\n")
        self.file("static/vega.js", vega_bundle())
        for asset in (resources.files("mart.docs") / "static").iterdir():
            if asset.is_file():
                self.file(f"static/{asset.name}", asset.read_text(encoding="utf-8"))
        companies = sorted(
            read.companies(connection), key=lambda c: (c.company_name, c.company_key)
        )
        metrics = self.metrics
        results = read.check_results(connection)
        disputed_by_company: dict[str, int] = {}
        groups = _dispute_groups(self.disputes)
        for group in groups:
            key = group[0].company_key
            disputed_by_company[key] = disputed_by_company.get(key, 0) + 1
        self.page(
            "home",
            "index.html",
            "index.html.j2",
            title="What the mart knows",
            companies=companies,
            sources=sorted(self.sources.values(), key=lambda s: (s.published_on, s.source_key)),
            with_page=self.with_page,
            file_name=file_name,
            facts=read.fact_count(connection),
            disputed=len(groups),
            disputed_by_company=disputed_by_company,
            failed=[r for r in results if r.failed],
            warned=[r for r in results if not r.passed and not r.failed],
            checks=len(results),
            sources_chosen=self.report.sources_chosen,
            markets=MARKETS_PAGE if self.markets else None,
        )
        for c in companies:
            self.search.add("company", c.company_name, self.company_href(c.company_key))
        for m in metrics:
            name = f"{m.metric_name} ({m.metric_key})"
            self.search.add("metric", name, f"catalogue.html#metric-{m.metric_key}")
        self.write_companies(companies)
        self.write_sources()
        self.write_disputes(groups)
        self.write_catalogue(metrics)
        self.report.bytes += self.search.close()
        self.report.files += 1
        return self.report

    def write_companies(self, companies: Sequence[Record]) -> None:
        """A page per company, and one for the whole markets if any figure is about one: each
        with its figures and its derived figures, two streams in the same company order."""
        by_key = {c.company_key: c for c in companies}
        following = [
            _Following(read.derived_figures(reader, kind))
            for reader, kind in zip(self.beside, read.DERIVED_KINDS, strict=True)
        ]
        written: set[str | None] = set()
        for key, rows in read.company_figures(self.connection):
            more = [row for kind in following for row in kind.take(key)]
            if key is None:
                self.markets_page(rows, more)
            else:
                self.company_page(by_key[key], rows, more)
            written.add(key)
        if self.markets and None not in written:
            self.markets_page([], [row for kind in following for row in kind.take(None)])
        for company in companies:
            if company.company_key not in written:
                self.company_page(company, [], [])

    def market_links(self) -> dict[str, Markup]:
        """The statements of each whole market's figure, linked from a company page's shares."""
        found: dict[str, list[str]] = {}
        for row in self.markets:
            ref = self.source_ref(row.source_key, "../")
            found.setdefault(row.fact_key, []).append(ref.html(row.fact_id))
        return {key: Markup("; ".join(links)) for key, links in found.items()}

    def figure(self, row: Record) -> Figure:
        keys = row.source_keys.split(read.SEPARATOR) if row.source_keys else []
        ids = [int(i) for i in row.fact_ids.split(",")] if row.fact_ids else []
        refs = [(self.source_ref(k, "../"), i) for k, i in zip(keys, ids, strict=True)]
        return Figure(
            metric=row.metric,
            metric_name=row.metric_name,
            chart_metric=row.chart_metric,
            series=_series(row),
            period=row.period,
            fiscal_period=row.fiscal_period,
            period_start=row.period_start,
            period_end=row.period_end,
            value=row.value,
            value_high=row.value_high,
            low=row.interval_low,
            high=row.interval_high,
            bound=row.bound,
            basis=row.basis,
            unit=row.unit,
            disputed=bool(row.is_disputed),
            shown=value(row.value, row.value_high, row.bound, row.unit),
            sources=Markup("; ".join(ref.html(i) for ref, i in refs)),
            href=refs[0][0].href(refs[0][1]) if refs else None,
        )

    def derivations(
        self, rows: Sequence[Record], links: dict[str, Markup]
    ) -> tuple[list[derived.Derivation], list[Figure]]:
        """The derived rows written out, in a stable order, and the levels a stated rate implies
        (drawn in the charts, linked to their arithmetic)."""
        ordered = sorted(((r, _series(r)) for r in rows), key=lambda p: derived.sort_key(*p))
        out: list[derived.Derivation] = []
        implied = []
        for row, series in ordered:
            entry = derived.describe(
                row,
                f"derived-{len(out) + 1}",
                series,
                lambda key: self.metric_names.get(key, key),
                lambda key: links.get(key or "", Markup("")),
            )
            if entry is None:
                continue
            out.append(entry)
            if row.kind == "growth" and row.second_value is None and row.implied is not None:
                implied.append(self.implied(row, series, entry, links))
        return out, implied

    def implied(
        self, row: Record, series: str, entry: derived.Derivation, links: dict[str, Markup]
    ) -> Figure:
        """A level no source states but a stated rate implies (23.16 million, +70% on the
        quarter: 13,623,529.41 in 2017-Q1); its point and row link to the arithmetic."""
        arithmetic = f"#{entry.anchor}"
        low, high = row.implied_low, row.implied_high
        bound = "exact"
        shown = f"{number(row.implied)} {row.unit}"
        if (low is None) != (high is None):  # one side open: drawn as a dashed stub
            bound = "at_least" if high is None else "at_most"
            shown += f" ({_open_interval(low, high)})"
        behind = [links.get(k) for k in (row.stated_fact_key, row.first_fact_key) if k]
        return Figure(
            metric=row.first_metric,
            metric_name=self.metric_names.get(row.first_metric, row.first_metric),
            chart_metric=row.first_metric,
            series=series,
            period=row.compared_period,
            fiscal_period=None,
            period_start=row.compared_start,
            period_end=row.compared_end,
            value=row.implied,
            value_high=None,
            low=low if bound != "exact" else None,
            high=high if bound != "exact" else None,
            bound=bound,
            basis="implied",
            unit=row.unit,
            disputed=False,
            shown=shown,
            sources=Markup("; ").join(
                [Markup('<a href="{}">arithmetic</a>').format(arithmetic), *filter(None, behind)]
            ),
            href=arithmetic,
        )

    def company_page(
        self, company: Record, rows: Sequence[Record], derived_rows: Sequence[Record]
    ) -> None:
        self.subject_page(
            self.company_href(company.company_key),
            company.company_name,
            company,
            rows,
            derived_rows,
        )

    def markets_page(self, rows: Sequence[Record], derived_rows: Sequence[Record]) -> None:
        """Figures about a whole market (company NULL), and what is derived from them."""
        subject = _Markets(
            fact_count=len(self.markets),
            source_count=len({r.source_key for r in self.markets}),
        )
        self.subject_page(MARKETS_PAGE, subject.company_name, subject, rows, derived_rows)

    def subject_page(
        self,
        name: str,
        title: str,
        company: Any,
        rows: Sequence[Record],
        derived_rows: Sequence[Record],
    ) -> None:
        figures = [self.figure(row) for row in rows]
        stated = {r.fact_key: f.sources for r, f in zip(rows, figures, strict=True)}
        links = {**self.market_refs, **stated}
        derivations, implied = self.derivations(derived_rows, links)
        figures += implied
        figures.sort(
            key=lambda f: (
                f.metric,
                f.series,
                f.period_start or date.min,
                f.period,
                f.basis,
                f.unit,
            )
        )
        grouped: dict[tuple[str, str], list[Figure]] = {}
        for f in figures:
            grouped.setdefault((f.chart_metric, f.unit), []).append(f)
        shown = []
        for (metric, unit), members in sorted(grouped.items()):
            spec = charts.metric_chart(
                f"{self.metric_names.get(metric, metric)} ({unit})",
                unit,
                [
                    charts.Point(
                        period=f.period,
                        fiscal_period=f.fiscal_period,
                        start=f.period_start,
                        end=f.period_end,
                        value=f.value,
                        low=f.low,
                        high=f.high,
                        bound=f.bound,
                        basis=f.basis,
                        series=f.series,
                        shown=f.shown,
                        disputed=f.disputed,
                        href=f.href,
                    )
                    for f in members
                ],
            )
            if spec is not None:
                shown.append({"metric": metric, "unit": unit, "spec": script_json(spec)})
        self.page(
            "markets" if company.company_key is None else "company",
            name,
            "company.html.j2",
            title=title,
            company=company,
            figures=figures,
            charts=shown,
            derivations=derivations,
        )

    def write_sources(self) -> None:
        for key, rows in read.source_facts(self.connection, self.report.sources_chosen):
            source = self.sources[key]
            facts = [r for r in rows if r.fact_id is not None]
            body: str = rows[0].body or ""
            spans: list[Segment] = segments(
                body, ((r.fact_id, r.quote_start, r.quote_end) for r in facts)
            )
            name = f"sources/{file_name(key)}"
            for r in facts:
                self.search.add("quote", r.quote, f"{name}#f{r.fact_id}", source.title)
            self.page(
                "source",
                name,
                "source.html.j2",
                title=source.title,
                source=source,
                segments=spans,
                facts=[
                    {
                        "row": r,
                        "series": _series(r),
                        "shown": value(r.value, r.value_high, r.bound, r.unit, r.wording),
                        "company_href": "../" + self.company_href(r.company_key),
                    }
                    for r in facts
                ],
            )

    def write_disputes(self, groups: list[list[Record]]) -> None:
        self.page(
            "disputes",
            "disputes.html",
            "disputes.html.j2",
            title="Disputed facts",
            disputes=[
                {
                    "first": g[0],
                    "series": _series(g[0]),
                    "company_href": self.company_href(g[0].company_key),
                    "statements": [
                        {
                            "row": r,
                            "shown": value(r.value, r.value_high, r.bound, r.unit, r.wording),
                            "link": Markup(self.source_ref(r.source_key, "").html(r.fact_id)),
                        }
                        for r in g
                    ],
                }
                for g in groups
            ],
        )

    def write_catalogue(self, metrics: Sequence[Record]) -> None:
        relations = read.catalogue(self.connection, {m.metric_key for m in metrics})
        nodes = [charts.Node(r.name, r.kind, f"#rel-{r.name}", r.comment) for r in relations]
        named = sorted({m for r in relations for m in r.metrics})
        nodes += [charts.Node(m, "metric", f"#metric-{m}", "read by name") for m in named]
        edges = [(source, r.name) for r in relations for source in [*r.reads, *r.metrics]]
        self.page(
            "catalogue",
            "catalogue.html",
            "catalogue.html.j2",
            title="Catalogue",
            relations=relations,
            metrics=metrics,
            lineage=script_json(charts.lineage_chart(nodes, edges)),
        )


def _series(row: Any) -> str:
    """What a figure is of, beyond company and metric: region, product, segment, store, who."""
    parts = [row.region, row.product, row.segment, getattr(row, "store_brand", None)]
    said = [p for p in parts if p]
    if row.attributed_to:
        said.append(f"per {row.attributed_to}")
    return " · ".join(said)


def _open_interval(low: Decimal | None, high: Decimal | None) -> str:
    return f"at most {number(high)}" if low is None else f"at least {number(low)}"


def _dispute_groups(rows: Sequence[Record]) -> list[list[Record]]:
    """Statements of each disputed fact together, facts and statements in a stable order."""
    groups: dict[tuple[Any, ...], list[Record]] = {}
    for row in rows:
        groups.setdefault((row.fact_key,), []).append(row)
    ordered = sorted(groups.items(), key=lambda item: tuple(str(v or "") for v in item[0]))
    return [
        sorted(g, key=lambda r: (r.value is None, r.value or 0, r.source_key, r.fact_id))
        for _, g in ordered
    ]


class _SearchIndex:
    """search-index.js, written as entries come: [kind, text, href, detail] each. A script, not
    a .json file, because a page opened from disk may load a script but not fetch a file."""

    def __init__(self, path: Path) -> None:
        self.out = path.open("w", encoding="utf-8")
        self.out.write("window.martSearchIndex = [\n")
        self.entries = 0

    def add(self, kind: str, text: str, href: str, detail: str = "") -> None:
        self.out.write(
            ("," if self.entries else "") + script_json([kind, text, href, detail]) + "\n"
        )
        self.entries += 1

    def close(self) -> int:
        self.out.write("];\n")
        self.out.close()
        return Path(self.out.name).stat().st_size

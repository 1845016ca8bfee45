"""`mart draft`: a source text -> a fact file in the seed format, one fact per figure it states.

The drafter reads the text as the loader will check it: periods with mart.periods, values in
mart.load.values' value words, metrics, units, regions and product kinds from the catalogue. What
it infers is marked on its line with a `# guessed:` comment; a figure no metric matches is
written as a commented-out block, so that the file loads with `mart seed` as it is.
"""

import os
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from mart import periods
from mart.db import MartError
from mart.draft import companies, doubts, numbers, text
from mart.draft.facts import (
    _RESTATED,
    Context,
    Drafter,
    Fact,
    Match,
    _resolve_label,
    company,
    is_forward,
    negate,
    scaled,
    shift,
)
from mart.draft.numbers import COUNT, FRACTION, PERCENT, Figure
from mart.draft.text import PeriodSpan, Sentence, slug
from mart.seedfiles import _DATE_LINE, MetricSpec, read_catalogue
from mart.vocabulary import (
    ACTUAL_BASES,
    FORECAST_BASES,
    FORWARD_BASES,
    LOSS_WORDS,
    STATEMENT_KEY_PARTS,
)

# A sentence with its own source or forecaster: "Acme expects ...", "X said": not the report's.
_OWN_WORD = re.compile(
    r"\b(?:expects?|expected|forecasts?|predicts?|guides?|said|says|told|according to)\b", re.I
)
_MONTH = "|".join(periods.MONTHS)
# "the fiscal year ending in March", "the year to 31 March 2018", "the year that ended on March
# 31, 2018", "the fiscal year ending next March": the month the company's fiscal year ends in.
_FISCAL_YEAR_ENDING = re.compile(
    r"\b(?:(?:fiscal|financial) year,? (?:which |that )?(?:ends|ending|ended|to|through)"
    r"|year (?:that |which )?(?:to|ended|ending)|(?:twelve|12) months (?:to|ended|ending))"
    rf"(?: on| in)?(?: next)? (?:\d{{1,2}} )?({_MONTH})\b(?: \d{{1,2}},)?(?: (\d{{4}}))?",
    re.I,
)
# Words that name a fiscal period: where the text uses them and no end month is found, the
# drafter cannot place a year, half or quarter ("fiscal 2017" of an unknown calendar).
_FISCAL_WORDS = re.compile(
    r"\b(?:fiscal|financial year|FY ?\d{2,4}|\d{4}/\d{2}|\d{4}-\d{2}\b)", re.I
)
_FISCAL_YEAR_NAMED = re.compile(r"\b(?:fiscal (?:year )?|FY ?)(\d{4})\b", re.I)


class DraftError(MartError):
    """The text cannot be drafted; the message is one line naming the file."""


@dataclass
class Draft:
    text_path: Path
    published: date
    context: Context
    facts: list[Fact]
    company_note: str | None


def read_text(path: Path) -> tuple[str, date, int]:
    """The text's body, publication date and where the article starts (past the date line)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DraftError(f"{path}: cannot read the file: {error.strerror}") from None
    if not raw.strip():
        raise DraftError(
            f"{path}: the text is empty: give the article, after a first line 'date YYYY-MM-DD'"
        )
    if b"\0" in raw:
        raise DraftError(
            f"{path}: not a text file (it holds NUL bytes): give the article as UTF-8 text"
        )
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DraftError(f"{path}: not UTF-8 text (byte {error.start}): save it as UTF-8") from None
    match = _DATE_LINE.match(body)
    if not match:
        raise DraftError(
            f"{path}:1: no date line: begin the text with 'date YYYY-MM-DD', its publication date"
        )
    try:
        published = date.fromisoformat(match[1])
    except ValueError as error:
        raise DraftError(f"{path}:1: the date line is not a date: {error}") from None
    if not body[match.end() :].strip():
        raise DraftError(f"{path}: no text after the date line: give the article below it")
    return body, published, match.end()


def draft(path: Path, catalogue_path: Path, company_key: str | None = None) -> Draft:
    catalogue = read_catalogue(catalogue_path).spec
    body, published, begin = read_text(path)
    sentences = text.sentences(body, begin, published)
    for sentence in sentences:
        text.find_periods(sentence, published)
    found_company = company(body, begin, catalogue)
    name, note, own_report = found_company or (None, "", False)
    if company_key is not None and (name is None or slug(name) != company_key):
        name, note = company_key.replace("-", " ").title(), "company name: from --company"
        own_report = False
    if name is None:
        raise DraftError(f"{path}: found no company name in the text: pass --company KEY")
    context = Context(catalogue, published, company_key or slug(name), name)
    context.own_report = own_report
    context.article, context.article_start = body[begin:], begin
    note = _fiscal_calendar(context, sentences) or note
    if context.fiscal_year_end_month != 12:
        # read again in the company's calendar: "its 2017/18 financial year", "For 2018/19"
        for sentence in sentences:
            text.find_periods(
                sentence, published, context.fiscal_year_end_month, context.fiscal_year_named_by
            )
    # The article's period: the first a sentence gives that is not a day ("raised its outlook on
    # Tuesday for the fiscal year ending next March": the fiscal year)
    mains = [
        p
        for s in sentences
        for p in [s.fronted(), *s.periods]
        if p and p.period and not p.is_statement_day and not p.is_comparison
    ]
    context.article_main = next((m for m in mains if m.period and m.period.grain != "day"), None)
    context.article_day = next(
        (d for s in sentences if (d := s.statement_day())),
        next(
            (p for s in sentences for p in s.periods if p.period and p.period.grain == "day"), None
        ),
    )
    drafter = Drafter(context)
    drafted: list[Fact] = []
    report: Report | None = None
    carried: PeriodSpan | None = None
    paragraph = -1
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            carried, paragraph = None, sentence.paragraph
        taken = [(p.start, p.end) for p in sentence.periods]
        attribution = drafter.attribution(sentence)
        if sentence.index == 0:
            report = _report(drafter, sentence, attribution[0])
        elif attribution[0] is None and report is not None and not _OWN_WORD.search(sentence.text):
            attribution = (report.source, f'attribution: the report\'s ("{report.name}")')
        for figure in numbers.find(body, sentence.start, sentence.end, taken):
            drafted += _facts(drafter, figure, sentence, carried, attribution)
        drafter.previous = sentence
        drafter.remember_regions(sentence)
        carried = sentence.main_period() or carried
        drafter.period_before = sentence.main_period() or drafter.period_before
    if report is not None:
        for fact in drafted:
            if fact.fields.get("attributed_to") != report.source or not fact.fields.get("metric"):
                continue
            if fact.fields.get("region") is None and report.region is not None:
                fact.fields["region"] = report.region
                fact.notes["region"] = f'region: the report\'s ("{report.region_words}")'
            if fact.fields.get("basis") == "reported" and report.preliminary:
                # "..., Gartner said in its preliminary estimates": the report's every figure
                fact.fields["basis"] = "preliminary"
                fact.notes["basis"] = f'basis: the report\'s "{report.preliminary}"'
    if report is not None:
        _units_of_the_report(context, report, drafted)
    _fiscal_doubt(context, body[begin:])
    found = companies.find(
        sentences, context.company_key, name, drafter.may_be_company(body, begin)
    )
    report_region = report.market if report is not None else None
    for fact in drafted:
        _company(context, drafter, found, fact, report_region)
        if fact.problem is None and (qualified := doubts.qualified_metric(context, fact)):
            fact.notes["metric"] += f", qualified: {qualified.name}"
            fact.fields["metric"] = qualified.key
        if fact.problem is None:
            fact.problem = doubts.first(context, fact)
    if report is not None:
        _counted_as_the_report(context, report, drafted)
    used = {f.fields.get("product") for f in drafted}
    context.products = {k: v for k, v in context.products.items() if k in used}
    used = {f.fields.get("segment") for f in drafted}
    context.segments = {k: v for k, v in context.segments.items() if k in used}
    _same_facts(drafted)
    if not any(f.fields.get("metric") for f in drafted):
        raise DraftError(
            f"{path}: no figure matched a metric of {catalogue_path} ({len(drafted)} figures "
            "found): nothing to draft; add the metrics' words as aliases in the catalogue"
        )
    return Draft(path, published, context, drafted, note)


def _fiscal_calendar(context: Context, sentences: list[Sentence]) -> str | None:
    """A fiscal period with a stated end ("fiscal 2017 third quarter, which ended on July 1,
    2017"), or a fiscal year ending in a month ("the fiscal year ending in March"), gives the
    month the company's fiscal year ends in."""
    for sentence in sentences:
        if m := _FISCAL_YEAR_ENDING.search(sentence.text):
            month = periods.MONTHS[m[1].lower()]
            if month == 12:
                continue
            context.fiscal_year_end_month = month
            note = f'fiscal year end from "{m.group()}"'
            # "fiscal 2017, ... the year that ended on March 31, 2018": named by its start
            named = _FISCAL_YEAR_NAMED.search(sentence.text)
            if m[2] and named and int(named[1]) == int(m[2]) - 1:
                context.fiscal_year_named_by = "start"
                note += f', named by its start ("{named.group()}")'
            return note
    for sentence in sentences:
        for span in sentence.periods:
            if span.period is None or span.ends_on is None or not span.period.fiscal_label:
                continue
            for month in range(1, 13):
                try:
                    found = periods.resolve(
                        span.text,
                        context.published,
                        fiscal_year_end_month=month,
                        ends_on=span.ends_on,
                    )
                except periods.PeriodError:
                    continue
                context.fiscal_year_end_month = month
                context.ends_on[found.fiscal_label or ""] = span.ends_on
                return f'fiscal year end from "{span.text}" ending on {span.ends_on}'
    return None


@dataclass
class Report:
    """A research firm's report: the source its first sentence names, the region of its market
    (and its words), and the word calling its figures preliminary estimates, if any."""

    source: str
    name: str
    region: str | None
    region_words: str
    preliminary: str | None
    market: str | None = None  # its market's region, the world's too ("Worldwide tablet ...")


def _report(drafter: Drafter, first: Sentence, source: str | None) -> Report | None:
    """A research firm's report ("..., research firm Canalys said"; "Worldwide PC shipments fell
    ..., Gartner said": a source giving a whole market's figures and no company's is a research
    firm): its first sentence names the source of every figure after it, the market they are
    of, and whether they are preliminary ("in its preliminary estimates")."""
    attribution = drafter.context.attributions.get(source or "", {})
    if source is None:
        return None
    if attribution.get("kind") == "other" and companies.is_market(first, first.start):
        attribution["kind"] = "research_firm"
        drafter.context.notes[f"attributions.{source}"] = "kind: it gives a whole market's figures"
    if attribution.get("kind") != "research_firm":
        return None
    regions = sorted(drafter._regions_in(first), key=lambda r: r[0])
    named = next(((r.key, words) for _, _, r, words in regions if r.kind != "world"), None)
    region, words = named or (None, "")
    preliminary = doubts.PRELIMINARY.search(first.text)
    market = region or next((r.key for _, _, r, _ in regions), None)
    return Report(
        source,
        attribution["name"],
        region,
        words,
        preliminary.group() if preliminary else None,
        market,
    )


def _level(context: Context, key: str | None) -> MetricSpec | None:
    """The level a metric derives from (a growth rate's, share's, record's, target's, change's),
    else the metric itself."""
    spec = context.metric(key)
    while spec is not None and (
        base := spec.growth_of
        or spec.share_of
        or spec.record_of
        or spec.target_of
        or spec.change_of
    ):
        spec = context.metric(base)
    return spec


def _counted_as_the_report(context: Context, report: Report, drafted: list[Fact]) -> None:
    """A research firm's report counts what its opening figures count ("revenue of the global IC
    design industry"): a later figure of the firm's whose metric derives from another level of
    the same unit ("Broadcom kept first place with revenue of US$18.9 billion": the company's
    whole revenue, or its IC design revenue as the firm counts it) is not sure of the metric."""
    opening = {
        level.key: level
        for f in drafted
        if f.sentence.index == 0
        and f.fields.get("attributed_to") == report.source
        and (level := _level(context, f.fields.get("metric")))
        and level.unit not in ("rank", "percent", "flag")  # an amount or count a firm counts
    }
    for fact in drafted:
        level = _level(context, fact.fields.get("metric"))
        if fact.problem or fact.sentence.index == 0 or level is None or level.key in opening:
            continue
        if fact.fields.get("attributed_to") != report.source:
            continue
        if counted := next((o for o in opening.values() if o.unit == level.unit), None):
            fact.problem = (
                f"not sure of the metric: {fact.fields['metric']}, in a report on {counted.name}"
                f' ("{report.name}" may count it as {counted.key})'
            )


def _units_of_the_report(context: Context, report: Report, drafted: list[Fact]) -> None:
    """ "Dell came third with 10.1 million units" in a research firm's report opening with PC
    shipments: the units it counts are the opening figures' count (pc_shipments), not a metric
    the word "units" alone names (unit_sales)."""
    opening = next(
        (
            level
            for f in drafted
            if f.sentence.index == 0
            and f.fields.get("attributed_to") == report.source
            and (level := _level(context, f.fields.get("metric")))
            and level.unit == "units"
        ),
        None,
    )
    if opening is None:
        return
    for fact in drafted:
        if fact.fields.get("attributed_to") != report.source or fact.figure.kind != COUNT:
            continue
        after = fact.sentence.text[fact.figure.end - fact.sentence.start :]
        if fact.notes.get("metric") != 'metric from the words "unit"' or not re.match(
            r"\s+units\b", after
        ):
            continue
        fact.fields["metric"] = opening.key
        fact.notes["metric"] = f'metric: the report\'s ("{opening.name}"), counted in "units"'


def _fiscal_doubt(context: Context, article: str) -> None:
    """Fiscal wordings in a text that says not when the company's fiscal year ends."""
    if context.fiscal_year_end_month == 12 and (m := _FISCAL_WORDS.search(article)):
        context.fiscal_unknown = True
        context.notes["fiscal"] = m.group()


def _company(
    context: Context,
    drafter: Drafter,
    found: companies.Companies,
    fact: Fact,
    report_region: str | None,
) -> None:
    """The company of a fact: the one its clause is about, where the text names several; a
    whole market's figure where the clause names none and speaks of a market."""
    # a research firm's figure may be a whole market's even where one company is named
    attributed = context.attributions.get(fact.fields.get("attributed_to") or "", {})
    firms = attributed.get("kind") == "research_firm"
    if not found.several and not found.parts and not firms:
        return
    keys, where = companies.subject(found, fact.sentence, fact.figure.start)
    if where == "sentence" and keys[0] in found.parts.values():
        keys = []  # a part named in another clause: "... was deconsolidated, but revenue grew"
    if not keys and not found.several and not firms:
        return
    if len(keys) > 1:
        if fact.problem is None:
            named = ", ".join(keys)
            fact.problem = f"not sure of the company: the clause names several ({named})"
        return
    if not keys:
        if fact.problem is None:
            if companies.is_market(fact.sentence, fact.figure.start):
                _market(context, drafter, fact, report_region)
            elif not context.own_report:
                fact.problem = "not sure of the company: the sentence names none of the report's"
        return
    key = keys[0]
    name = found.name_of(key)
    pointed = _whose(fact.sentence, fact.figure.start) if where == "sentence" else None
    if pointed and found.key_of(pointed) != key:
        # "ahead of Apple, whose 4.6 million units gave it 6.9 percent": Apple's, which the
        # drafter did not read as a company of the text; not the sentence's earlier subject
        if fact.problem is None:
            fact.problem = f'not sure of the company: "{pointed}, whose ..." is not {name}'
        return
    if key != context.company_key and (context.own_report or key in found.parts.values()):
        # "Tata Motors reported ... JLR's wholesale volumes dropped", "Vodafone Netherlands":
        # a part of the company or another one, the text does not say
        if fact.problem is None:
            fact.problem = (
                f'not sure of the company: "{name}", in a report by {context.company_name} '
                "(a part of it, or another company)"
            )
        return
    fact.fields["company"] = key
    if key != context.company_key:
        context.companies.setdefault(key, {"key": key, "name": name})
        fact.notes.setdefault("company", f'company: the {where}\'s subject "{name}"')
    segment = fact.fields.get("segment")
    if segment in context.segments and found.key_of(context.segments[segment or ""]["name"]):
        fact.fields["segment"] = None  # "Samsung shipped": a company, not a segment
        fact.notes.pop("segment", None)
    if (product := fact.fields.get("product")) and product in context.products:
        if found.key_of(context.products[product]["name"]):  # "Vivo, Oppo and Lenovo"
            fact.fields["product"] = None
            fact.notes.pop("product", None)
        else:
            context.products[product]["company"] = key


def _whose(sentence: Sentence, offset: int) -> str | None:
    """The name a figure's clause points back to: "Apple, whose 4.6 million units"."""
    clause = sentence.clause_of(offset)
    if not re.match(r"\s*(?:whose|which|who)\b", clause.text):
        return None
    before = sentence.text[: clause.start - sentence.start].rstrip(" ,")
    spans = [s for s in text.names(before) if not before[s.end :].strip()]
    return spans[-1].text if spans else None


# A region a clause compares its market with, not the market itself: "India overtook the United
# States ... to become the world's second-largest smartphone market after China".
_COMPARED_REGION = re.compile(
    r"\b(?:overt(?:ook|akes?)|than|after|behind|ahead of|against|versus|vs\.?|beat|passed)"
    r"\s+(?:the\s+)?$",
    re.I,
)


def _market(context: Context, drafter: Drafter, fact: Fact, report_region: str | None) -> None:
    """A whole market's figure (`market: <region>`, no company) where the clause names one
    market's region (a region it compares with left out) or the report gives one, and the
    metric may be a market's; else commented out, saying why."""
    fact.fields["company"] = None
    metric = context.metric(fact.fields.get("metric"))
    if metric is None:
        fact.problem = "a whole market's figure: not sure of the metric"
        return
    if metric.share_within == "market":
        fact.problem = f"a whole market's figure, but {metric.key} is a vendor's share of a market"
        return
    if metric.unit == "rank" and "market" not in metric.name.lower():
        fact.problem = f"a whole market's figure, but {metric.key} ranks a company"
        return
    if fact.fields.get("product") or fact.fields.get("segment"):
        fact.problem = "a whole market's figure, but it names a product or segment"
        return
    sentence = fact.sentence
    clause = sentence.clause_of(fact.figure.start)
    named = {
        region.key: (region, words)
        for start, _, region, words in sorted(drafter._regions_in(sentence), key=lambda r: r[0])
        if clause.start <= start < clause.end
        and not _COMPARED_REGION.search(sentence.text[: start - sentence.start])
    }
    countries = {k: v for k, v in named.items() if v[0].kind != "world"}
    note = None
    if len(countries) == 1:
        key, (_, words) = next(iter(countries.items()))
        note = f'market: the region of its clause ("{words}")'
    elif not named and report_region is not None:
        key, note = report_region, "market: the report's"
    elif len(named) == 1:
        key, (_, words) = next(iter(named.items()))
        note = f'market: the region of its clause ("{words}")'
    if note is None:
        shown = ", ".join(named) or "none"
        fact.problem = f"a whole market's figure: not sure of its market (regions: {shown})"
        return
    fact.fields["market"] = key
    fact.notes["market"] = note
    for part in ("region", "product", "segment", "store_brand"):
        fact.fields.pop(part, None)
        fact.notes.pop(part, None)


_EARLIER_WORD = "|".join(periods.EARLIER_WORDS)
_EARLIER = re.compile(
    rf"\b(?P<word>{_EARLIER_WORD})\s+(?:(?:guidance|forecasts?|outlook|targets?|goals?|estimates?)"
    r"\s+(?:of|for)|(?:guided|forecast|targeted|projected)\s+(?:to|of)?)\s*$",
    re.I,
)
# "raised its full-year outlook": the forecasts of the text are of the whole year
_FULL_YEAR = re.compile(
    r"\bfull[- ]year (?:outlook|forecasts?|guidance|targets?|expectations?|goals?)\b", re.I
)


def _full_year(
    context: Context, span: PeriodSpan | None, note: str
) -> tuple[PeriodSpan | None, str]:
    """A forecast given the article's period, a half or quarter over at publication, in a text
    that speaks of its "full-year outlook" ("Vodafone raised its full-year outlook after
    reporting results for the six months to September 30 ... It now expects"): the year that
    half or quarter is part of, in the company's calendar."""
    period = span.period if span else None
    found = _FULL_YEAR.search(context.article)
    if span is None or period is None or found is None or period.grain not in ("half", "quarter"):
        return span, note
    if period.end_on is None or period.end_on > context.published:
        return span, note
    label = (period.fiscal_label or period.label).split("-")[0]
    year = _resolve_label(context, label)
    if year is None:
        return span, note
    note = f'period: the year of "{span.text}", from "{found.group()}"'
    # its words are another sentence's: the label alone
    whole = PeriodSpan(span.start, span.end, found.group(), year, needs_label=True)
    return replace(whole, elsewhere=True), note


def _resolve(context: Context, wording: str, forward: bool) -> periods.Period:
    options = {
        "forward": forward,
        "fiscal_year_end_month": context.fiscal_year_end_month,
        "fiscal_year_named_by": context.fiscal_year_named_by,
    }
    found = periods.resolve(wording, context.published, **options)  # type: ignore[arg-type]
    if found.fiscal_label in context.ends_on:
        ends_on = context.ends_on[found.fiscal_label or ""]
        found = periods.resolve(wording, context.published, ends_on=ends_on, **options)  # type: ignore[arg-type]
    return found


def _facts(
    drafter: Drafter,
    figure: Figure,
    sentence: Sentence,
    carried: PeriodSpan | None,
    attribution: tuple[str | None, str | None],
) -> list[Fact]:
    context = drafter.context
    matches, info = drafter.match(figure, sentence)
    loss = _loss(drafter, figure, sentence)
    if loss is not None:
        matches, info = [loss] if isinstance(loss, Match) else [], {}
    base: dict[str, str | None] = {"company": context.company_key}
    if not matches:
        if isinstance(loss, str):
            info["loss"] = loss
        kind = {
            "money": "an amount of money",
            "percent": "a percentage",
            "rank": "a rank",
            "record": "a record",
            "fraction": "a fraction",
        }.get(figure.kind, "a count")
        unmatched: dict[str, str | None] = {
            "metric": None,
            **base,
            "period": None,
            "value": figure.value,
            "basis": "reported",
            "wording": figure.wording,
            "quote": sentence.text,
        }
        if figure.currency:
            unmatched["unit"] = figure.currency
        problem = (
            f"not sure of the metric: {info['loss']}"
            if "loss" in info
            else "not sure of the metric: no metric of the catalogue matched "
            f"{figure.wording!r} ({kind})"
        )
        return [Fact(figure, sentence, unmatched, {}, problem)]
    found: list[Fact] = []
    for match in matches:
        metric = match.metric
        notes: dict[str, str] = {"metric": match.note}
        value = figure.value
        if info.get("growth") == "fall" or loss is not None:
            value = negate(figure)  # "a net loss of SEK 6.3 billion": -6.3 billion
        elif figure.kind == PERCENT and metric.unit == "share":
            value = scaled(figure, Decimal("0.01"))
        elif figure.kind == FRACTION and metric.unit == "percent":
            value = scaled(figure, Decimal(100))
        if figure.note:
            notes["value"] = f'value from "{figure.note}"'
        if value is None:
            notes["value"] = f'"{figure.wording}": no figure to store'
        basis_note: str | None
        basis, basis_note = drafter.basis(figure, sentence, metric)
        span, relative, period_note = drafter.period(
            figure, sentence, metric, "growth" in info, carried
        )
        if basis == "reported" and span and period_note is None and drafter.ahead(span.text):
            basis, basis_note = "planned", f'basis: "{span.text}" lies ahead of publication'
        if basis in FORWARD_BASES and (period_note or "").startswith("period of the article"):
            span, period_note = _full_year(context, span, period_note or "")
        fields: dict[str, str | None] = {"metric": metric.key, **base}
        label, period_problem = _period(context, span, relative, basis, period_note, fields, notes)
        region, region_note = drafter.region(figure, sentence)
        product, product_note = drafter.product(
            figure, sentence, metric.subject == "store", match.start
        )
        segment, segment_note = drafter.segment(sentence, match, figure)
        fields |= {"region": region, "product": product, "segment": segment}
        if metric.subject == "store":
            fields["store_brand"], notes["store_brand"] = drafter.store_brand(figure, sentence)
        # "Microsoft reported revenue of X ..., above the Y analysts had expected, according to
        # Refinitiv": analysts give the expectation, the company its actual figure
        given_by = context.attributions.get(attribution[0] or "", {}).get("kind")
        who = (None, None) if given_by == "analyst" and basis in ACTUAL_BASES else attribution
        fields["attributed_to"] = who[0]
        fields["value"] = value
        if figure.currency and metric.unit == "currency":
            fields["unit"] = figure.currency
        wording = figure.wording
        if (words := info.get("growth_words")) and f"{words} {wording}" in sentence.text:
            wording = f"{words} {wording}"  # "fell 10 percent"
        fields |= {"basis": basis, "wording": wording, "quote": sentence.text}
        said_before = _EARLIER.search(sentence.text[: figure.start - sentence.start])
        if basis in FORECAST_BASES and said_before:
            # "compared with earlier guidance of 4 to 8 percent", "had previously guided to
            # around 5 billion euros": a forecast stated before publication, on a day not given
            fields["stated_on"] = said_before["word"].lower()
            notes["stated_on"] = f'stated before: "{said_before.group().strip()}"'
        for key, note in (
            ("region", region_note),
            ("product", product_note),
            ("segment", segment_note),
            ("attributed_to", who[1]),
            ("basis", basis_note),
        ):
            if note:
                notes[key] = note
        found.append(Fact(figure, sentence, fields, notes, period_problem, match.start, label))
    return found


# A loss ("a net loss of SEK 6.3 billion"): the loader's loss words (mart.vocabulary), the word
# before "loss" naming the profit it is the negative of ("net": net income or net profit).
_LOSS = re.compile(
    rf"\b(?:{'|'.join(re.escape(w) for w in LOSS_WORDS)})\s+$"
    # "and the net loss was EUR 1.2 billion": a loss's verb of being before its level
    r"|\bloss\s+(?:was|were|came to|totall?ed|amounted to|stood at)\s+$"
    # "the operating loss narrowed to EUR 43 million from EUR 378 million": a loss's change to
    # a level, and from one
    r"|\bloss\s+(?:narrowed|widened|shrank|grew|increased|decreased)"
    r"(?:\s+(?:to|from)\s+\S+(?:\s+(?:million|billion|thousand|trillion|crore))?)?\s+(?:to|from)\s+$",
    re.I,
)


# A loss a profit is compared with: "returned to a net profit of US$21 million from a loss of".
_PROFIT_FROM_LOSS = re.compile(
    r"\b(\w+)\s+(?:profit|income)\s+of\s+\S+(?:\s+(?:million|billion|thousand|trillion|crore))?"
    r"\s+(?:from|against|compared with)\s+an?\s+loss\s+of\s+$",
    re.I,
)


def _loss(drafter: Drafter, figure: Figure, sentence: Sentence) -> Match | str | None:
    """A figure of money after a loss word is the negative level of a profit: the catalogue's
    profit the word before "loss" names ("a net loss of": net income), else the one an earlier
    loss of the sentence named ("a net loss of SEK 6.3 billion, compared with a loss of SEK 35.1
    billion in 2017"), or the profit it is compared with ("returned to a net profit of US$21
    million from a loss of US$40 million"); none: why not (never the level of whatever other
    metric the sentence names, such as its revenue). None: not a loss."""
    before = sentence.text[: figure.start - sentence.start]
    if figure.kind != "money" or not _LOSS.search(before):
        return None
    losses = list(re.finditer(r"\b(\w+)\s+loss\b", before, re.I))
    word = next((m[1].lower() for m in reversed(losses) if m[1].lower() not in ("a", "the")), None)
    said = f"{word} loss"
    if word is None and (m := _PROFIT_FROM_LOSS.search(before)):
        # "a net profit of US$21 million from a loss of": the loss of the profit it compares
        word, said = m[1].lower(), m.group().split(" of ")[0]
    if word is None:
        return f"a loss of {figure.wording!r}, and the text does not say which profit's"
    for spec in drafter.context.catalogue.metrics:
        if spec.unit != "currency":
            continue
        for name in (spec.name, *spec.aliases):
            if name.lower() in (f"{word} income", f"{word} profit"):
                at = before.lower().rfind(said.lower())
                note = f'metric from "{said}" (a loss: the negative {name.lower()})'
                return Match(spec, note, sentence.start + at)
    return f'a loss of {figure.wording!r}: no metric of the catalogue is "{word} income"'


def _period(
    context: Context,
    span: PeriodSpan | None,
    relative: PeriodSpan | None,
    basis: str,
    note: str | None,
    fields: dict[str, str | None],
    notes: dict[str, str],
) -> tuple[str | None, str | None]:
    """Fill period (and period_end, period_wording); the label, or a problem."""
    if span is None:
        fields["period"] = context.published.isoformat()
        notes["period"] = note or "period: the publication date"
        return fields["period"], None
    forward = is_forward(basis) and note is None and relative is None
    try:
        period = span.period if span.needs_label else _resolve(context, span.text, forward)
    except periods.UnnamedYearError:  # the year just ended or the one under way
        fields["period"] = span.text
        return None, f"not sure of the period: {span.text!r} names no year ({basis})"
    except periods.PeriodError:
        note = f'period from "{span.text}", placed as for a reported figure'
        period = span.period
    if period is None:
        return None, f"not sure of the period: cannot place {span.text!r}"
    label = period.fiscal_label or period.label
    if relative is not None:
        shifted = shift(period, period.fiscal_label, relative.text)
        if shifted is None:
            return None, (
                f"not sure of the period: cannot place {relative.text!r} relative to {span.text!r}"
            )
        fields["period"] = shifted
        fields["period_wording"] = relative.text
        notes["period"] = f'period: "{relative.text}" from "{span.text}"'
        if shifted == label and period.fiscal_label in context.ends_on:
            fields["period_end"] = context.ends_on[label].isoformat()
        return shifted, None
    if span.needs_label:
        fields["period"] = period.label
        if not span.elsewhere:
            fields["period_wording"] = span.text
        if note is not None:
            notes["period"] = note
        return period.label, None
    if note is not None:
        fields["period"] = label
        notes["period"] = note
    elif period.fiscal_label and period.fiscal_label != span.text:
        # the drafter's reading with the fiscal calendar it found, the words beside it
        fields["period"] = period.fiscal_label
        fields["period_wording"] = span.text
    else:
        fields["period"] = span.text
    if period.fiscal_label in context.ends_on:
        fields["period_end"] = context.ends_on[period.fiscal_label or ""].isoformat()
    return label, None


def _same_facts(drafted: list[Fact]) -> None:
    """A second statement of the same fact is commented out: the loader refuses it."""
    seen: dict[tuple[str | None, ...], Fact] = {}
    for fact in drafted:
        if fact.problem:
            continue
        key = (
            fact.fields.get("market"),
            *(
                fact.label if part == "period" else fact.fields.get(part)
                for part in STATEMENT_KEY_PARTS
                if part != "claim"  # the basis says it
            ),
        )
        if key in seen:
            first = seen[key]
            before = fact.sentence.text[: fact.figure.start - fact.sentence.start]
            restated = _RESTATED.search(before) is not None  # "up from its earlier forecast of"
            if (
                first.sentence is fact.sentence
                and first.fields.get("value") != fact.fields.get("value")
                and not restated
            ):
                # "telecom revenue grew to 3.23 trillion yen, while mobile revenue dropped to
                # 1.8 trillion yen": parts the drafter did not tell apart, neither the whole
                first.problem = (
                    "not sure of the metric: the sentence gives another figure of the same "
                    f"metric, period, region, product and basis ({fact.figure.wording!r})"
                )
            fact.problem = (
                f"the same metric, period, region, product and basis as {first.figure.wording!r}"
                + (
                    " (the same value)"
                    if first.fields.get("value") == fact.fields.get("value")
                    else ""
                )
            )
        else:
            seen[key] = fact


def text_reference(text_path: Path, out: Path | None) -> str:
    """source.text as the fact file names it: relative to the fact file's folder."""
    if out is None:
        return text_path.name
    return Path(os.path.relpath(text_path.resolve(), out.resolve().parent)).as_posix()


def draft_file(
    text_path: Path,
    out: Path | None,
    catalogue_path: Path,
    company_key: str | None = None,
    force: bool = False,
) -> tuple[Draft, str]:
    """Draft text_path into out (None: standard output), refusing to overwrite without force.

    Returns the draft and the file's text; the file is written whole or not at all, after the
    loader has checked it (mart.draft.check).
    """
    from mart.draft.writer import write

    if out is not None and out.exists() and not force:
        raise DraftError(f"{out} exists: pass --force to overwrite it, or --out another file")
    if out is not None and out.resolve() == text_path.resolve():
        raise DraftError(f"{out} is the source text itself: pass --out FILE.yaml")
    from mart.draft.check import until_it_loads

    found = draft(text_path, catalogue_path, company_key)
    until_it_loads(found, catalogue_path)
    content = write(found, text_reference(text_path, out))
    if out is not None:
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, out)
    return found, content


def draft_dir(
    folder: Path, catalogue_path: Path, force: bool = False
) -> list[tuple[Draft, str, Path]]:
    """Draft every .txt of folder beside it (TEXT.yaml), all checked in one loader run.

    Refuses before drafting any if a fact file exists and not force; writes none if one text
    cannot be drafted. Returns (draft, the file's text, where it was written) per text.
    """
    from mart.draft.check import until_they_load
    from mart.draft.writer import write

    texts = sorted(folder.glob("*.txt"))
    if not texts:
        raise DraftError(f"{folder}: no .txt files to draft: give a folder of source texts")
    outs = [path.with_suffix(".yaml") for path in texts]
    if not force and (existing := [o for o in outs if o.exists()]):
        raise DraftError(
            f"{existing[0]} exists ({len(existing)} of {len(outs)} fact files do): "
            "pass --force to overwrite them"
        )
    drafts = [draft(path, catalogue_path) for path in texts]
    until_they_load(drafts, catalogue_path)
    written = []
    for found, out in zip(drafts, outs, strict=True):
        content = write(found, text_reference(found.text_path, out))
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, out)
        written.append((found, content, out))
    return written


__all__ = [
    "Draft",
    "DraftError",
    "draft",
    "draft_dir",
    "draft_file",
    "read_text",
    "text_reference",
]

"""Right or silent: why the drafter is not sure of a fact, so that it writes the fact commented
out with what it found, never its best guess as a loaded fact.

A fact is loaded only where the text itself says its metric (the metric's own words in the
figure's clause, naming what the metric counts), its period (a wording the figure's clause or
sentence gives, read with mart.periods and, for fiscal wordings, a fiscal year end the text
states), its company (see mart.draft.companies) and, for a forecast, whose forecast it is.
"""

import re

from mart import periods
from mart.draft.facts import (
    _COMPANY_NOUN,
    _COUNTED_AS,
    _EXPECTED,
    _GRAINS,
    _STOP,
    COMPARED_AS,
    WHOLE_COMPANY,
    Context,
    Fact,
    _phrase_pattern,
    _stems,
    bare_name,
    change_words,
    compared_beside,
    content_stems,
    region_names,
    stem,
)
from mart.draft.numbers import MULTIPLE, PERCENT, RANK
from mart.draft.text import names
from mart.seedfiles import MetricSpec
from mart.vocabulary import ACTUAL_BASES, FORWARD_BASES

# Period notes of a period not read beside the figure: guessed from elsewhere in the text.
_GUESSED_PERIOD = (
    "the publication date",
    "from the text before",
    "the day it was said",
    "the day of the article",
    "placed as for a reported figure",
)
_NOT_NAMED = re.compile(r"does not name ([\w ,-]+)\)")
_YEAR = re.compile(r"(?:FY)?\d{4}")
_PERIOD_LABEL = re.compile(r"\d{4}(?:-[QH]\d)?")
# "30 percent against 27 percent in 2016": "in 2016" is the compared figure's period.
_COMPARED_FIGURE = re.compile(
    rf"\b(?:against|than|from|versus|vs\.?|compared with)\s+(?:{COMPARED_AS})?"
    # the figure right after it
    r"(?:[A-Za-z]{2,3}\s?|[A-Z]{0,2}[$\u20ac\u00a3\u00a5\u20b9\u20a9]\s?)?\d"
)
_COMPARED_BEFORE = re.compile(
    r"\b(?:from|against|(?<!more )(?<!less )(?<!fewer )(?<!rather )than|versus|vs\.?"
    r"|compared with)\s+(?:\w+\s+){0,2}$",  # "more than doubled to X": a bound, not compared
    re.I,
)
_MONTHS = re.compile(rf"\b(?:{'|'.join(periods.MONTHS)})\b", re.I)
# A span of months no label of the article names: "nine-month revenue", "the first nine months".
_OTHER_SPAN = re.compile(r"\b(?:nine|9|six|6|three|3|twelve|12)[- ]months?\b", re.I)
_WOULD = re.compile(r"\b(?:would|could|might)\b", re.I)
# Words that make a figure another metric's: "On a non-GAAP basis, attributable profit ...".
QUALIFIERS = re.compile(
    r"\b(?:non-GAAP|adjusted|underlying|comparable|constant[- ]currency|like-for-like|organic"
    r"|excluding|currency[- ]neutral)\b",
    re.I,
)
# Qualifiers that say the same: the catalogue names the metric by the second.
_SAME_QUALIFIER = {
    "currency neutral": "constant currency",
    "constant currency": "constant currency",
}
_DESCRIBED = re.compile(rf"\bthe (?:[\w-]+ ){{0,2}}{_COMPANY_NOUN}\s*$", re.I)
# A state the text says holds at publication: "We are now the No. 2 brand".
_NOW = re.compile(r"\b(?:now|currently|today)\b", re.I)
_PRESENT = re.compile(r"\b(?:is|are|has|have)\b(?! (?:been|had)\b)", re.I)
_COMPARING = re.compile(r"(?:on|over|from) (?:the|a) (?:year|quarter)|year[- ]on[- ]year", re.I)
_FORECAST_AFTER = re.compile(r"\b(?:forecast|guidance|outlook|expected|estimate)\b", re.I)
_GRAIN_WORD = re.compile(r"\b(?:quarter|half|year)\b", re.I)
_ANALYSTS = re.compile(r"\banalysts?\b|\bconsensus\b|\bWall Street\b", re.I)
_OWN = re.compile(r"\b(?:it|its|the company|the group|the firm|management)\b", re.I)
PRELIMINARY = re.compile(r"\b(?:estimated|preliminary|estimates)\b", re.I)
# The company's own count said preliminary ("by its preliminary count"), not analysts' estimates
_PRELIMINARY_COUNT = re.compile(r"\bpreliminary\b", re.I)


def first(context: Context, fact: Fact) -> str | None:
    """Why the drafter is not sure of a fact (the first doubt), or None: load it. A forecast's
    basis is settled here (guidance, consensus or expected) where the text says whose it is."""
    for check in (_metric, _period, _basis, _attribution, _product, _region, _segment):
        if (doubt := check(context, fact)) is not None:
            return doubt
    return None


def _metric(context: Context, fact: Fact) -> str | None:
    note = fact.notes.get("metric", "")
    metric = fact.fields.get("metric")
    shared = note.count('"') // 2
    spec = context.metric(metric)
    if (
        note.startswith("metric from the words")
        and not (fact.figure.kind == RANK and shared >= 2)
        and not (spec is not None and _whole_name(spec.name, note))
        and not _ratio_said(context, fact, spec)
    ):
        # a rank names its metric in words around it ("the No. 2 smartphone brand"): two of
        # the metric's words are enough; any other figure needs the metric's own phrase, or
        # every word of its name ("close to 100 mobile device brands are sold": Device brands
        # sold)
        return f"not sure of the metric: {metric}, {note[len('metric from ') :]} only"
    if m := _TIED.search(note):
        # two metrics named by the same words: right or silent, never the drafter's pick
        return f"not sure of the metric: {metric}, {note[: m.start()]}, and the words name {m[1]}"
    if (other := _shared_alias(context, fact, spec)) is not None:
        return f"not sure of the metric: {metric}, {note}, words {other} is named by too"
    if "does not say" in note and _YEAR.fullmatch(fact.label or ""):
        pass  # a year's growth: on the year before, whatever the words
    elif "does not name" in note and (m := _NOT_NAMED.search(note)) and _names(context, m[1]):
        pass  # the article names it: "Smartphone shipments in India grew ...", then vendors'
    elif "does not name" in note or "does not say" in note:
        return f"not sure of the metric: {metric}, {note}"
    is_change = spec is not None and (spec.change_of or "add" in spec.key)
    if not is_change and change_words(fact.figure, fact.sentence):
        return (
            f"not sure of the metric: {fact.figure.wording!r} is a change, not a level of {metric}"
        )
    compared = [p for p in fact.sentence.periods if p.is_comparison and p.period]
    said = compared_beside(fact.figure, fact.sentence, context.article_main)
    if spec is not None and spec.growth_of and len(compared) > 1 and not said:
        shown = " and ".join(f'"{p.text}"' for p in compared)
        return f"not sure of the metric: {metric}, the sentence compares with {shown}"
    scope = _qualified_scope(fact)
    own_names = [n.lower() for n in (spec.name, *spec.aliases)] if spec else []
    later = _later_qualifiers(fact)
    for qualifier in QUALIFIERS.findall(scope):
        if any(qualifier.lower() in n for n in own_names) or qualifier.lower() in later:
            # "non-GAAP earnings per share": adjusted_eps's own alias says it; "revenue growth
            # of 1 to 3 percent and non-GAAP earnings per share of 0.69 dollars": the later one's
            continue
        same = _SAME_QUALIFIER.get(re.sub(r"[\s-]+", " ", qualifier.lower()), qualifier)
        word = re.sub(r"[\s-]+", "_", same.lower())
        # "sales adjusted for comparable units and currency grew 4 percent": the qualifier
        # introduces the metric's own words (organic_revenue_growth's alias), no other metric
        matched = re.findall(r'"([^"]+)"', note)
        if any(re.search(rf"\b{qualifier}\s+for\s+{re.escape(w)}", scope, re.I) for w in matched):
            continue
        if word not in (metric or "") and word not in note.lower().replace(" ", "_"):
            return f'not sure of the metric: {metric}, but the figure is "{qualifier}"'
    if (other := _longer_name(context, fact)) is not None:
        return f"not sure of the metric: {metric}, but the words name {other}"
    text = fact.sentence.text
    words_at = (fact.metric_at or 0) - fact.sentence.start
    # "rose 2.9 percent to 9,158,765 million yen and operating income climbed 27.1 percent":
    # words after the figure, not the noun it counts ("8.33 million subscribers"), are the next
    # figure's
    gap = text[fact.figure.end - fact.sentence.start : words_at]
    after_figure = fact.metric_at is not None and fact.metric_at >= fact.figure.end
    # "more than doubled its iPhone shipments, to 900,000": a multiple's verb takes the metric
    # as its object
    object_of = fact.figure.kind == MULTIPLE and re.fullmatch(r"\s+(?:its|their)\s+[\w ]*", gap)
    # "a 39 percent fall in consolidated net profit to Rs 306 crore": the rate's noun names what
    # it is of
    noun_of = fact.figure.kind == PERCENT and _RATE_OF.fullmatch(gap)
    if (
        after_figure
        and gap.strip()
        and re.search(r"\d", text[words_at:])
        and not object_of
        and not noun_of
    ):
        return f"not sure of the metric: {metric}, {note}, after the figure and before another"
    # "a loss of 5 billion euros ... that had been caused by an impairment charge": words after
    # a clause that says why name the cause, not the figure
    if after_figure and (m := _CAUSE.search(gap)):
        return f'not sure of the metric: {metric}, {note}, after "{m.group()}"'
    return None


_TIED = re.compile(r" \(the words name ([\w, ]+) too\)")


def _shared_alias(context: Context, fact: Fact, spec: MetricSpec | None) -> str | None:
    """Another metric of the same unit whose name or aliases hold every word the metric was
    matched by (an alias, not its name), where the article says the other's own words and none
    of the metric's: "a 26.6 percent share of the market" in a text on tablets is not the
    "Smart speaker market share" because the catalogue gives it the alias "share of the market"
    (Tablet market share holds those words too)."""
    m = re.match(r'metric from "([^"]+)"', fact.notes.get("metric", ""))
    if m is None or spec is None or spec.growth_of or spec.change_of or spec.target_of:
        return None
    if m[1].lower() == bare_name(spec.name).lower():
        return None
    said = content_stems(m[1])
    if not said:
        return None
    named = _stems(context.article)
    for other in context.catalogue.metrics:
        if other.key == spec.key or other.unit != spec.unit:
            continue
        if other.growth_of or other.change_of or other.target_of or other.record_of:
            continue
        words = content_stems(" ".join([other.name, *other.aliases]))
        if not said <= words:
            continue
        # the words of the metric's name the other's lack ("smart", "speaker") the article
        # never says, and the other's own words ("tablet") it does
        apart = content_stems(bare_name(spec.name)) - words
        its_own = content_stems(bare_name(other.name)) - content_stems(bare_name(spec.name))
        if apart and not apart & named and its_own & named:
            return other.key
    return None


_RATE_OF = re.compile(
    r"\s+(?:fall|rise|increase|decrease|drop|decline|jump|gain|growth|slump|surge)\s+in\s+"
    r"(?:(?:its|the|their)\s+)?(?:[a-z]+\s+)?",
    re.I,
)
_CAUSE = re.compile(
    r"\b(?:that|which|caused by|because(?: of)?|due to|driven by|thanks to|on the back of)\b",
    re.I,
)


def _later_qualifiers(fact: Fact) -> set[str]:
    """Qualifiers only after the figure, before a later figure of its clause: the later's."""
    sentence, figure = fact.sentence, fact.figure
    clause = sentence.clause_of(figure.start)
    text = sentence.text
    before = text[: figure.start - sentence.start].lower()
    found = set()
    for m in QUALIFIERS.finditer(text, figure.end - sentence.start, clause.end - sentence.start):
        word = m.group().lower()
        if word not in before and re.search(r"\d", text[m.end() : clause.end - sentence.start]):
            found.add(word)
    return found


def qualified_metric(context: Context, fact: Fact) -> MetricSpec | None:
    """The catalogue's metric the qualifier of a figure names with the metric's own name ("On a
    non-GAAP basis, attributable profit rose 43 percent": "Non-GAAP net income attributable to
    shareholders", or its growth rate compared as the metric's is), else None."""
    spec = context.metric(fact.fields.get("metric"))
    if spec is None:
        return None
    base = context.metric(spec.growth_of) if spec.growth_of else spec
    if base is None:
        return None
    for qualifier in QUALIFIERS.findall(_qualified_scope(fact)):
        named = f"{qualifier} {base.name}".lower()
        found = next((m for m in context.catalogue.metrics if m.name.lower() == named), None)
        same = _SAME_QUALIFIER.get(qualifier.lower().replace("-", " "))
        if found is None and same:
            # "On a currency-neutral basis, revenues surged 16%": "Revenue growth year on
            # year in constant currency", the rate's own name with the qualifier after "in"
            named = f"{spec.name} in {same}".lower()
            return next((m for m in context.catalogue.metrics if m.name.lower() == named), None)
        if found is None or base is spec:
            return found
        return next(
            (
                m
                for m in context.catalogue.metrics
                if m.growth_of == found.key and m.compared_with == spec.compared_with
            ),
            None,
        )
    return None


def _qualified_scope(fact: Fact) -> str:
    """The words a qualifier of the figure may stand in: its clause, from the metric's words
    where they open an earlier one ("Revenue, adjusted for currency, rose 5 percent"), and the
    sentence's opening clause where it holds no figure ("On a non-GAAP basis, ..."); not another
    clause's figure ("rose 11 percent, while adjusted profit fell 2 percent")."""
    sentence = fact.sentence
    clause = sentence.clause_of(fact.figure.start)
    start = min(clause.start, fact.metric_at if fact.metric_at is not None else clause.start)
    # a compared figure's clause ("..., a comparable operating margin of 11.9 percent, against
    # 13.0 percent a year earlier") restates the clause before's metric, qualifier and all
    index = sentence.clauses.index(clause) if clause in sentence.clauses else 0
    if index > 0 and _COMPARED_CLAUSE.match(clause.text):
        start = min(start, sentence.clauses[index - 1].start)
    scope = sentence.text[max(0, start - sentence.start) : clause.end - sentence.start]
    opening = sentence.clauses[0]
    if opening.start < start and len(sentence.clauses) > 1 and not re.search(r"\d", opening.text):
        scope = f"{opening.text} {scope}"
    return scope


_COMPARED_CLAUSE = re.compile(
    r"\s*(?:against|versus|vs\.?|compared with|(?:up |down )?from)\s", re.I
)


def _longer_name(context: Context, fact: Fact) -> str | None:
    """Another metric the words around the metric's words name: "net income attributable to
    Toyota" (net_income_attributable, not net_income), or the metric's words less a capitalised
    first word that may be a segment's name ("Services revenue": revenue of Services)."""
    m = re.match(r'metric from "([^"]+)"', fact.notes.get("metric", ""))
    if m is None or fact.metric_at is None:
        return None
    words, metric = m[1], fact.fields.get("metric")
    at = fact.metric_at - fact.sentence.start
    following = re.match(r"\s+([\w-]+)", fact.sentence.text[at + len(words) :])
    # a profit the article says elsewhere is the one attributable to the company's owners
    # ("net income attributable to Toyota"), shortened here ("expects net income of 1.95
    # trillion yen"): the attributable one, or the whole? (a qualified name said elsewhere,
    # "Operating profit before special items", is another figure: not this one's)
    elsewhere = re.search(rf"\b{re.escape(words)}\s+(attributable)\b", context.article, re.I)
    longers = [f"{words} {f[1]}".lower() for f in (following, elsewhere) if f]
    first, _, rest = words.partition(" ")
    spec = context.metric(metric)
    related = {metric, *((spec.growth_of, spec.change_of, spec.target_of) if spec else ())}
    own = [s for key in related if (s := context.metric(key))]
    if words.lower() in {n.lower() for m in own for n in (m.name, *m.aliases)}:
        rest = ""  # "PC shipments": the metric's own name, its first word no segment's
    for other in context.catalogue.metrics:
        if other.key in related or other.growth_of or other.change_of or other.target_of:
            continue
        for name in (other.name, *other.aliases):
            lowered = name.lower()
            if any(lowered.startswith(longer) and len(lowered) > len(longer) for longer in longers):
                return other.key
            counted = _COUNTED_AS.fullmatch(first)  # "Basic earnings per share": basic_eps
            if rest and first[0].isupper() and not counted and lowered == rest.lower():
                return other.key
    return None


def _ratio_said(context: Context, fact: Fact, spec: MetricSpec | None) -> bool:
    """A quotient said as one: "operating income came to 14.2 percent of net sales" names the
    catalogue's `ratio_of: [operating_profit, revenue]` metric, its numerator's words before the
    figure in its clause and its denominator's right after "of" (a word saying how it is
    counted, "net", "total", left out)."""
    if spec is None or not spec.ratio_of or spec.unit != "percent":
        return False
    numerator, denominator = (context.metric(key) for key in spec.ratio_of)
    if numerator is None or denominator is None:
        return False
    sentence = fact.sentence
    clause = sentence.clause_of(fact.figure.start)
    # the clause, or the one before where this one restates it ("reached 7.6 billion dollars,
    # or 9.5 percent of net sales")
    start = sentence.start if re.match(r"\s*or\b", clause.text) else clause.start
    before = sentence.text[start - sentence.start : fact.figure.start - sentence.start]
    after = sentence.text[fact.figure.end - sentence.start :]
    if not (of := re.match(r"\s+of\s+(?:the\s+|its\s+)?", after)):
        return False
    rest = re.sub(rf"^(?:{_COUNTED_AS.pattern})\s+", "", after[of.end() :], flags=re.I)
    return any(
        _phrase_pattern(n).search(before) for n in (numerator.name, *numerator.aliases)
    ) and any(_phrase_pattern(n).match(rest) for n in (denominator.name, *denominator.aliases))


def _whole_name(name: str, note: str) -> bool:
    """Whether the words a metric was matched by are every word of its name (two at least)."""
    shared = set(re.findall(r'"([^"]+)"', note))
    own = {stem(w) for w in re.findall(r"[\w&-]+", name) if w.lower() not in _STOP}
    return len(own) >= 2 and own <= shared


def _read(context: Context, fact: Fact) -> periods.Period | None:
    """The period as the loader will read it (its label or wording, the company's calendar)."""
    written = fact.fields.get("period")
    if not written or fact.fields.get("company") != context.company_key:
        return None
    try:
        return periods.resolve(
            written,
            context.published,
            fiscal_year_end_month=context.fiscal_year_end_month,
            fiscal_year_named_by=context.fiscal_year_named_by,
        )
    except periods.PeriodError:
        return None


def _names(context: Context, things: str) -> bool:
    """Whether the article names every one of things ("smartphone, chip")."""
    return all(
        re.search(rf"\b{re.escape(t.strip())}", context.article, re.I) for t in things.split(",")
    )


def _period(context: Context, fact: Fact) -> str | None:
    note = fact.notes.get("period", "")
    if "lies ahead of publication" in fact.notes.get("basis", ""):
        return f"not sure of the basis: {fact.notes['basis']}"
    written = fact.fields.get("period") or ""
    if _COMPARING.fullmatch(written.strip()):
        return f'not sure of the period: "{written}" compares, it names no period'
    spec = context.metric(fact.fields.get("metric"))
    if (
        spec is not None
        and (spec.growth_of or spec.change_of)
        and (fact.label or "").endswith("/..")
    ):
        # "down 6.2 percent from 2016": what the rate compares with, not its period
        return f'not sure of the period: "{written}" is what the figure is compared with'
    yearless = not re.search(r"\d{4}|fiscal|FY", written, re.I)
    if context.fiscal_year_end_month != 12 and yearless and _GRAIN_WORD.search(written):
        return f'not sure of the period: "{written}" has no year, in a fiscal calendar'
    label = fact.label or ""
    if context.fiscal_year_end_month != 12 and _YEAR.fullmatch(label) and label[:2] != "FY":
        return f"not sure of the period: the calendar year {fact.label}, in a fiscal calendar"
    months = 3 if "-Q" in label else 6
    named_months = _MONTHS.search(fact.fields.get("period_wording") or written)
    if (
        context.fiscal_year_end_month % months
        and re.fullmatch(r"\d{4}-[QH]\d", label)
        and not named_months  # "the October-December quarter": the text's own calendar
    ):
        # "2018-Q4" of a company whose year ends in January: October-December, none of its
        # quarters (its fourth is November-January); a year ending in March has calendar ones
        grain = "quarter" if "-Q" in label else "half"
        return (
            f"not sure of the period: the calendar {grain} {label} is none of the fiscal "
            f"{grain}s of a year ending in month {context.fiscal_year_end_month}"
        )
    clause_text = fact.sentence.clause_of(fact.figure.start).text
    # a state the text says holds now, or holds (present tense) on the day it was said: "close
    # to 100 mobile device brands are sold in India", said on Friday
    now = ("publication date" in note and _NOW.search(clause_text)) or (
        ("the day of the article" in note or "the day it was said" in note)
        and _PRESENT.search(clause_text)
    )
    if any(words in note for words in _GUESSED_PERIOD) and not now:
        return f"not sure of the period: {note}"
    # "a year earlier" shifted from the article's "for 2017" in a sentence of "quarterly" figures
    shifted_from = re.match(r'period: "[^"]+" from "([^"]+)"', note)
    elsewhere = shifted_from is not None and shifted_from[1] not in fact.sentence.text
    clause_grain = _OTHER_SPAN.search(clause_text)
    if clause_grain and (note.startswith("period of the article") or elsewhere):
        # "and nine-month revenue reached €16.7bn" in a quarter's report: not the quarter's
        return f'not sure of the period: {note}, but the clause speaks of "{clause_grain.group()}"'
    if note.startswith("period of the article") or elsewhere:
        grain = "quarter" if "-Q" in label else "half" if "-H" in label else "year"
        named = [g for g, p in _GRAINS.items() if g != grain and p.search(fact.sentence.text)]
        if named and not _GRAINS[grain].search(fact.sentence.text):
            return f"not sure of the period: {note}, but the sentence speaks of a {named[0]}"
    basis = fact.fields.get("basis") or ""
    if note and basis in FORWARD_BASES and 'from "' not in note and not _running(context, note):
        return f"not sure of the period: a {basis} figure, {note}"
    wording = fact.fields.get("period_wording") or written
    text, end = fact.sentence.text, fact.figure.end - fact.sentence.start
    at = text.find(wording, end) if wording else -1
    between = text[end:at]  # "[,;] " breaks a clause; "1,038,977" does not
    if at >= 0 and (_COMPARED_FIGURE.search(between) or re.search(r"[,;]\s.*\d", between)):
        return f'not sure of the period: "{wording}" is nearer another figure'
    before_at = text.rfind(wording, 0, fact.figure.start - fact.sentence.start) if wording else -1
    if before_at >= 0 and at < 0 and not note:
        clause = fact.sentence.clause_of(fact.figure.start)
        first = fact.sentence.clauses[0]
        where = fact.sentence.start + before_at
        in_first = first.start <= where < first.end
        # "revenue for the year to 31 March 2018, its 2017/18 financial year, fell 1 percent":
        # wordings that all name one period leave no doubt which clause's it is
        # (the wordings before the figure, the day it was said left out)
        labels = {
            p.period.label
            for p in fact.sentence.periods
            if p.period
            and not (p.is_comparison or p.is_statement_day)
            and p.start < fact.figure.start
        }
        one = len(labels) == 1
        if not clause.start <= where < clause.end and not in_first and not one:
            return f'not sure of the period: "{wording}" is another clause\'s'
    compared = _COMPARED_BEFORE.search(text[: fact.figure.start - fact.sentence.start])
    shifted = note.startswith('period: "')  # "the year-ago quarter" read from the main period
    # (a compared figure's period read elsewhere, the sentence before's or the article's, is
    # the period it is compared with: not sure either)
    if compared and not shifted and (not re.search(r"\d", wording) or note):
        return f'not sure of the period: "{wording}" of a compared figure, relative to what'
    period = _read(context, fact) if basis in ACTUAL_BASES else None
    if period and period.end_on and period.end_on > context.published:
        return f"not sure of the period: {period.label} is not over at publication ({basis})"
    at = text.find(wording)
    if wording and at >= 0 and re.match(r"[/-]\d", text[at + len(wording) :]):
        return f'not sure of the period: "{wording}" is cut from a longer wording'
    label = fact.label or ""
    if label.startswith("FY") and fact.fields.get("company") != context.company_key:
        return (
            f"not sure of the period: {label} read in {context.company_name}'s fiscal calendar, "
            "for another company or a market"
        )
    # a fiscal label too ("over FY19-21": FY2019-FY2021) is placed only by the year's end
    if context.fiscal_unknown and (_PERIOD_LABEL.fullmatch(label) or label.startswith("FY")):
        return (
            f"not sure of the period: {fact.label}, but the text names fiscal periods "
            f'("{context.notes["fiscal"]}") and not the month its fiscal year ends'
        )
    return None


def _running(context: Context, note: str) -> bool:
    """A forecast given the article's period where that period is under way at publication
    ("raised its outlook for the fiscal year ending next March ... It now expects operating
    income of 2 trillion yen"): the year the article forecasts."""
    main = context.article_main
    period = main.period if main else None
    return (
        note.startswith("period of the article")
        and period is not None
        and period.start_on is not None
        and period.end_on is not None
        and period.start_on <= context.published < period.end_on
    )


def _basis(context: Context, fact: Fact) -> str | None:
    fields, sentence = fact.fields, fact.sentence
    # "The board proposed a dividend of EUR 0.19 per share for 2017", said in 2018: a plan, or
    # the year's dividend as reported? (the fact files write both)
    proposed = _PROPOSED.search(fact.notes.get("basis", ""))
    period = _read(context, fact) if fields.get("basis") == "planned" and proposed else None
    if proposed and period and period.end_on and period.end_on <= context.published:
        return (
            f'not sure of the basis: "{proposed.group()}" for {period.label}, over at '
            "publication (a plan, or the period's figure as reported)"
        )
    before = sentence.text[: fact.figure.start - sentence.start]
    # "by its preliminary count, operating profit ... fell to 75.3 billion won, down from 366.8
    # billion won in the fourth quarter of 2017": the figure compared with is the final one
    compared = _COMPARED_BEFORE.search(before)
    if fields.get("basis") == "reported" and PRELIMINARY.search(before) and not compared:
        fields["basis"] = "preliminary"
        fact.notes["basis"] = f'basis from "{PRELIMINARY.search(before).group()}"'  # type: ignore[union-attr]
        return None
    # "LG Electronics said that, by its preliminary count, ... Sales in the quarter slipped 7.0
    # percent": preliminary or final? The sentence does not say, an earlier one does
    earlier = context.article[: max(0, sentence.start - context.article_start)]
    said = _PRELIMINARY_COUNT.search(earlier)
    unattributed = not fields.get("attributed_to")
    if fields.get("basis") == "reported" and said and unattributed and not compared:
        # the text's stated default where its opening paragraph, the company's own report,
        # says so ("LG Electronics said on Tuesday that, by its preliminary count, ...")
        opening = context.article.split("\n", 1)[0]
        if context.own_report and said.end() <= len(opening):
            fields["basis"] = "preliminary"
            fact.notes["basis"] = f'basis: the report\'s "{said.group()}" (its opening paragraph)'
        else:
            return f'not sure of the basis: "{said.group()}" said before, this sentence says not'
    clause = sentence.clause_of(fact.figure.start)
    after = sentence.text[fact.figure.end - sentence.start :][:40]
    if fields.get("basis") in ACTUAL_BASES and (m := _FORECAST_AFTER.search(after)):
        return f'not sure of the basis: "{m.group()}" after the figure'
    # the clause up to the figure, and after it until "and"/"that" opens another statement
    # ("brands are sold in India and predicted that Xiaomi would overtake Samsung")
    own = re.split(r"\b(?:and|that)\b", sentence.text[fact.figure.end - sentence.start :])[0]
    scope = (
        clause.text[: fact.figure.end - clause.start] + own[: max(0, clause.end - fact.figure.end)]
    )
    if fields.get("basis") in ACTUAL_BASES and (would := _WOULD.search(scope)):
        return f'not sure of the basis: "{would.group()}", a conditional'
    if fields.get("basis") != "expected":
        return None
    cues = list(_EXPECTED.finditer(before))
    if not cues:
        return None  # restated as a forecast: "a forecast of 5 billion"
    cue = cues[-1]
    lead = before[: cue.start()]
    company = context.company_name.split()[0]
    attribution = fields.get("attributed_to")
    kind = context.attributions.get(attribution or "", {}).get("kind")
    if _ANALYSTS.search(lead) or kind == "analyst":
        fields["basis"] = "consensus"
        fact.notes["basis"] = f'basis: analysts\' "{cue.group()}"'
        return None
    if kind in ("research_firm", "other"):
        return None  # a third party's forecast: expected
    # "the software maker forecast", in the company's own report: the company
    described = context.own_report and _DESCRIBED.search(lead)
    if (
        re.search(rf"\b{re.escape(company)}\b", lead)
        or _OWN.search(lead)
        or kind == "executive"
        or described
    ):
        fields["basis"] = "guidance"
        fact.notes["basis"] = f'basis: the company\'s own "{cue.group()}"'
        return None
    return f'not sure of the basis: "{cue.group()}" without saying whose forecast it is'


def _attribution(context: Context, fact: Fact) -> str | None:
    key = fact.fields.get("attributed_to")
    kind = context.attributions.get(key or "", {}).get("kind")
    if fact.fields.get("basis") == "consensus" and not key:
        # "the 2.76 billion dollars analysts had forecast": a consensus is attributed to whoever
        # compiled it (the README's bases); the text names no one
        return "not sure of who gives the figure: analysts' consensus, and no compiler named"
    if key and kind == "other":
        return f"not sure of who gives the figure: {key} (the text does not say what it is)"
    if key and kind == "executive":
        # the company's own figure, said by its executive: the company's statement, or the
        # executive's? the fact files answer both ways (globaltimes-2017-07-07: none;
        # reliance-jio-2017-02-21: the chairman)
        return f"not sure of who gives the figure: {key}, an executive giving the company's figure"
    return None


def _product(context: Context, fact: Fact) -> str | None:
    """A metric of a product ("Days from the product's launch", "Price a customer pays per
    month for the product") with no product found: whose product it is, the text says apart."""
    spec = context.metric(fact.fields.get("metric"))
    if spec is None or fact.fields.get("product") or fact.fields.get("market"):
        return None
    if re.search(r"\b(?:for the product|the product's)\b", spec.description):
        return f"not sure of the product: {spec.key} is a product's, and none is named beside it"
    return None


# Words that place a figure in a region without naming it: "The domestic business", "overseas".
_POINTING_BACK = re.compile(r"\b(?:those|these)\s+[a-z][\w-]*", re.I)
_PROPOSED = re.compile(r"\bpropos\w*", re.I)
_UNNAMED_REGION = re.compile(
    r"\b(?:domestic|home market|overseas|abroad|international(?:ly)?|foreign)\b", re.I
)


def _region(context: Context, fact: Fact) -> str | None:
    """A region the sentence says without naming it ("the domestic business ... its ARPU"), or
    a rank with no region: where it ranks, the drafter cannot say."""
    if fact.fields.get("market"):
        return None
    if fact.fields.get("region"):
        return _regions_listed(context, fact)
    spec = context.metric(fact.fields.get("metric"))
    # the sentence up to the end of the figure's clause: "The domestic business ended ..., and
    # its ARPU slipped", not a later clause's ("38.5 percent, and international sales made up")
    clause = fact.sentence.clause_of(fact.figure.start)
    m = _UNNAMED_REGION.search(fact.sentence.text[: clause.end - fact.sentence.start])
    if m and spec and not re.search(rf"\b{m.group()}", spec.name, re.I):
        return f'not sure of the region: "{m.group()}" names none'
    if m := _POINTING_BACK.search(fact.sentence.text[: clause.end - fact.sentence.start]):
        # "Mobile monthly active users of those marketplaces were 617 million": of what the
        # text named before (a region, a part), which the drafter does not follow
        return f'not sure of the region: "{m.group()}" points back to words before'
    if fact.figure.kind == RANK:
        return "not sure of the region: a rank, and no region named where it ranks"
    return None


def _regions_listed(context: Context, fact: Fact) -> str | None:
    """A region read after the figure where the words after it name others too ("383 million
    customers across India, South Asia and Africa"): the figure is of all of them, or of each?
    Not the first one named (a region is read from the clause, never guessed)."""
    sentence, figure = fact.sentence, fact.figure
    clause = sentence.clause_of(figure.start)
    before = sentence.text[clause.start - sentence.start : figure.start - sentence.start]
    # the words after it up to the next figure (a list's commas break no clause)
    after = re.split(r"\d", sentence.text[figure.end - sentence.start :], maxsplit=1)[0]
    spans = [
        (m.start(), m.end(), region.key)
        for region in context.catalogue.regions
        for name in region_names(region)
        for m in re.finditer(rf"\b{re.escape(name)}\b", after)
    ]
    # "Greater China" names one region, not China too
    keys = {
        key
        for start, end, key in spans
        if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans)
    }
    named_before = any(
        re.search(rf"\b{re.escape(name)}\b", before)
        for region in context.catalogue.regions
        for name in region_names(region)
    )
    if len(keys) > 1 and not named_before:
        shown = ", ".join(sorted(keys))
        return f"not sure of the region: the words after the figure name {shown}"
    return None


# A part of the company its clause names without the drafter reading which: "in the automotive
# division", "the Panaya business", "the US carrier added ..."; or another's figure: "Sprint's".
_PART_WORDS = re.compile(
    r"\b(?:division|segment|subsidiary|unit|arm|carrier|operator)\b|\b[A-Z][\w&-]* business\b"
    # "Networks, the largest business group, had quarterly net sales of ..."
    r"|\bbusiness (?:group|unit|line|area)s?\b"
    # "an impairment of about CHF 3 billion in its skin health business" (not "hiring thousands
    # for its smartphone business": the company's own, the fact files say)
    r"|\bin (?:its|their) (?:[a-z][\w&-]* ){1,3}business\b"
)
# (with the capitalised words before it: "Sony Corporation's stockholders" is the company's own)
_POSSESSIVE = re.compile(r"\b((?:[A-Z][\w&-]* )*[A-Z][\w&-]*)['\u2019]s\b")


def _segment(context: Context, fact: Fact) -> str | None:
    if fact.fields.get("segment") or fact.fields.get("market"):
        return None
    if (name := _name_before_metric(context, fact)) is not None:
        return f'not sure of the segment: "{name}" before the metric\'s words, not read'
    if not fact.fields.get("product") and (name := _name_of_metric(context, fact)) is not None:
        return f'not sure of the product: "{name}" after the metric\'s words, not read'
    clause = fact.sentence.clause_of(fact.figure.start).text
    if m := _PART_WORDS.search(clause):
        return f'not sure of the segment: "{m.group()}" names a part of the company, not read'
    # "Consumer business revenue rose ..., lifting its share of group revenue to 39.3 percent":
    # "its" may be the part's or the company's
    sentence, at = fact.sentence, fact.figure.start - fact.sentence.start
    start = sentence.clause_of(fact.figure.start).start - sentence.start
    if (m := _PART_WORDS.search(sentence.text[:start])) and re.search(
        r"\b(?:its|their)\b", sentence.text[start:at]
    ):
        return f'not sure of the segment: "its" after "{m.group()}"'
    # "The Game & Network Services segment was the largest contributor, with sales up 18.7
    # percent": a part named in an earlier clause of the sentence is the subject of the later
    # (not where the company is named again between: "Net liquidity in the automotive division
    # was 22.4 billion euros at the end of the year, when the group employed 642,300 people")
    m = _PART_WORDS.search(sentence.text[:at])
    if m and not WHOLE_COMPANY.search(sentence.text[m.end() : at]):
        return f'not sure of the segment: "{m.group()}" before the figure, not read'
    if (source := _source_of_metric(context, fact)) is not None:
        return f'not sure of the segment: "{source}" after the metric\'s words, not read'
    own = {w.lower() for w in context.company_name.split()}
    regions = {r.name.lower() for r in context.catalogue.regions}
    for m in _POSSESSIVE.finditer(fact.sentence.text):
        name = m[1].lower()
        if name.split()[0] in own and len(name.split()) > 1:
            continue  # "Sony Corporation's": the company's own name, its legal form after it
        if name not in own and name not in regions and fact.fields.get("company") not in name:
            return f'not sure of the company: "{m.group()}" figures may be another\'s'
    return None


# "revenue from mobile services in India": what the revenue comes from (a region named there is
# read as the region; a period or a compared figure is no part: "from a year earlier")
_FROM = re.compile(r"\s+from\s+(?:its\s+|their\s+|the\s+)?([A-Za-z][\w&-]*(?: [a-z][\w&-]*)?)")
_NO_PART = re.compile(
    r"(?:a|an|last|previous|prior|same|year|quarter|month|half|period|fiscal|levels?)\b", re.I
)


def _source_of_metric(context: Context, fact: Fact) -> str | None:
    """The words right after the metric's words saying what the figure comes from ("revenue
    from mobile services in India dropped 18.4 percent"): a part of the company the drafter did
    not read, unless they name a region, a month or the company."""
    if fact.metric_at is None or fact.metric_at > fact.figure.start:
        return None
    m = re.match(r'metric from "([^"]+)"', fact.notes.get("metric", ""))
    if m is None:
        return None
    at = fact.metric_at - fact.sentence.start + len(m[1])
    rest = fact.sentence.text[at : fact.figure.start - fact.sentence.start]
    found = _FROM.match(rest)
    if found is None or _NO_PART.match(found[1]):
        return None
    place = rest[found.start(1) :]
    regions = (n for r in context.catalogue.regions for n in region_names(r))
    if any(re.match(rf"{re.escape(n)}\b", place) for n in regions):
        return None  # "revenue from Greater China": the region
    metrics = (p for s in context.catalogue.metrics for p in (s.name, *s.aliases))
    if any(re.match(rf"{re.escape(p)}\b", place, re.I) for p in metrics):
        return None  # "earnings per share from net income": what it is computed from
    first_word = found[1].split()[0]
    if _not_a_part(context, fact, first_word) or _not_a_part(context, fact, found[1]):
        return None
    return found[1]


def _name_before_metric(context: Context, fact: Fact) -> str | None:
    """A name right before the metric's words that the drafter did not read as a segment
    ("the company expects Intelligent Cloud revenue of between ...": a part of the company's
    revenue, not all of it); a name of the company, a region or a month, or one word opening
    its clause ("Underlying revenue"), left out."""
    if fact.metric_at is None or fact.metric_at > fact.figure.start:
        return None
    sentence = fact.sentence
    lead = sentence.text[: fact.metric_at - sentence.start]
    spans = [s for s in names(lead) if not lead[s.end :].strip()]
    if not spans:
        return None
    span = spans[-1]
    clause = sentence.clause_of(fact.metric_at)
    opens = not sentence.text[clause.start - sentence.start : span.start].strip()
    if opens and len(span.text.split()) == 1:
        return None
    at = sentence.start + span.start
    if any(p.start <= at < p.end for p in sentence.periods):
        return None  # "grew Q3 sales": a period wording, not a part of the company
    return None if _not_a_part(context, fact, span.text) else span.text


def _name_of_metric(context: Context, fact: Fact) -> str | None:
    """A name after "of" in the figure's clause before it ("sales of the Nintendo 3DS family
    fell 12 percent"): what the figure counts, which the drafter did not read."""
    sentence = fact.sentence
    clause = sentence.clause_of(fact.figure.start)
    between = sentence.text[clause.start - sentence.start : fact.figure.start - sentence.start]
    for span in names(between):
        of = re.search(r"\bof\s+(?:the\s+|its\s+|their\s+)?$", between[: span.start])
        # "the Nintendo 3DS family": the company's name and a model's, a product
        model = re.match(r"\s+[\w-]*\d[\w-]*", between[span.end :])
        if of and model:
            return span.text + model.group()
        if of and not _not_a_part(context, fact, span.text):
            return span.text
    return None


def _not_a_part(context: Context, fact: Fact, name: str) -> bool:
    """A name of the company, a region, a month or a known product: not a part unread."""
    lowered = name.lower()
    own = context.company_name.lower()
    regions = {n.lower() for r in context.catalogue.regions for n in region_names(r)}
    company = (fact.fields.get("company") or "").replace("-", " ")
    return bool(
        own.startswith(lowered)
        or lowered.startswith(own.split()[0])
        or lowered in regions
        or lowered.split()[0] in periods.MONTHS
        or (company and lowered.startswith(company.split()[0]))
        or any(lowered == str(p.get("name", "")).lower() for p in context.products.values())
    )

"""Figures -> facts: the metric from the catalogue's names and aliases, and the period, region,
product, segment, store brand, attribution and basis the figure's clause and sentence give.

Each choice that is read off the text rather than stated beside the figure carries a note,
which the writer puts on that line as a `# guessed:` comment.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from mart import periods
from mart.draft.numbers import (
    COUNT,
    CURRENCY_SIGNS,
    FRACTION,
    MONEY,
    MULTIPLE,
    PERCENT,
    RANK,
    RECORD,
    Figure,
    currencies,
)
from mart.draft.text import PeriodSpan, Sentence, Span, names, slug, words
from mart.seedfiles import Catalogue, MetricSpec, RegionSpec
from mart.vocabulary import BOUND_WORDS, FORWARD_BASES, WORLD_WORDS

# The catalogue units each kind of figure may be stated in; a count may be in any other unit.
KIND_UNITS = {
    MONEY: ("currency",),
    PERCENT: ("percent", "share"),
    FRACTION: ("share", "percent"),
    RANK: ("rank",),
    RECORD: ("flag",),
    MULTIPLE: ("percent",),  # "more than doubled": a growth rate (growth_of metrics only)
}
_SPECIAL_UNITS = {"currency", "percent", "share", "rank", "flag"}
_STOP = words(
    "the a an of in on at to for by and or with from its their is was were be"
    " been has have that this as per company companies we it they he she our rank ranked"
)
# Verbs of a rise or fall, the infinitive too ("expects revenue to fall by about 2 percent").
_RISE = (
    r"up|rose|risen|rises|grew|grown|grows|increased|increases|jumped|climbed|gained|soared|surged"
    r"|rise|grow|increase|climb|gain"
)
_FALL = (
    r"down|fell|fallen|falls|declined|declines|dropped|drops|decreased|slid|slipped|plunged|shrank"
    r"|fall|decline|drop|decrease|shrink|slip"
)
_GROWTH_BEFORE = re.compile(
    rf"(?<!made )(?<!make )(?<!makes )\b(?:(?P<rise>{_RISE})|(?P<fall>{_FALL}))(?: by)?\s+$"
)
# A verb, its object, then the rate: "grew Q3 sales by a modest 3%", "lifting operating profit
# by 10%", "lifted EBIT by 17 percent".
_GROWTH_OF_OBJECT = re.compile(
    r"\b(?:(?P<rise>grew|increased|raised|lifted|lifting|boosted|boosting)|(?P<fall>cut|reduced"
    r"|cutting|reducing))\s+(?:[\w&/-]+\s+){1,4}?by\s+(?:an?\s+(?:modest|further|slight)\s+)?$",
    re.I,
)
# A rate joined to a growth before it: "rose 5.8 percent from the previous quarter and 12
# percent from a year earlier" (12 percent rose too).
_GROWTH_LIST = re.compile(
    rf"\b(?:(?P<rise>{_RISE})|(?P<fall>{_FALL}))(?: by)?\s+\d[\d.,]*\s*(?:percent|per cent|%)"
    r"(?:\s+(?:from|on|over|than|compared with)\b[a-z -]{0,40}?)?\s+and\s+$"
)
# A rate named as a growth before it: "forecast revenue growth of between 1 and 3 percent".
_GROWTH_NOUN = re.compile(
    r"\b(?:(?P<rise>growth|increase|rise)|(?P<fall>decline|decrease|fall|drop))\s+of\s+$", re.I
)
_GROWTH_AFTER = re.compile(
    r"^\s+(?:(?P<rise>increase|rise|growth|gain|jump|more|higher)|"
    r"(?P<fall>decline|drop|fall|decrease|less|lower))\b"
)
# A figure that is a change of a level, not the level: "slipped by 150 yen", "climbed 2.4
# billion euros to 17.0 billion euros", "added 8 million", "a decrease of 20.3 billion yen",
# "775,000 more than a year earlier".
_CHANGE_BY = re.compile(rf"\b(?:{_RISE}|{_FALL}|increase|decrease|rise|fall|drop)\s+by\s+$", re.I)
_ADDED = re.compile(r"\b(?:(?P<rise>added|adds|adding)|lost|shed|cut)\s+(?:\w+\s+)?$", re.I)
_CHANGE_TO = re.compile(rf"\b(?:{_RISE}|{_FALL})\s+$", re.I)
_CHANGE_OF = re.compile(
    r"\ban?\s+(?:(?P<rise>increase|rise|gain|jump)|decrease|fall|drop|decline)\s+of\s+$", re.I
)
_CHANGE_THAN = re.compile(r"^\s+(?:(?P<rise>more|higher)|less|fewer|lower)\s+than\b", re.I)
_FALLING = re.compile(rf"\b(?:{_FALL}|decrease|fall|drop)\b", re.I)


def change_words(figure: Figure, sentence: Sentence) -> tuple[str, str] | None:
    """Whether a count or amount is a change of a level, not the level: ("rise" or "fall", the
    words that say so), or None."""
    if figure.kind not in (COUNT, MONEY):
        return None
    before = sentence.text[: figure.start - sentence.start]
    after = sentence.text[figure.end - sentence.start :]
    if m := _CHANGE_BY.search(before):
        return ("fall" if _FALLING.search(m.group()) else "rise"), m.group().strip()
    # "rose 446.2 billion yen to a record 734.9 billion yen": a record word between is no matter
    if (m := _CHANGE_TO.search(before)) and re.match(
        r"\s+to\s+(?:(?:a|an) (?:new )?(?:record|all-time high)(?: of)?\s+)?\S*\d", after
    ):
        return ("fall" if _FALLING.search(m.group()) else "rise"), m.group().strip()
    if m := _ADDED.search(before):
        return ("rise" if m["rise"] else "fall"), m.group().strip()
    if m := _CHANGE_OF.search(before):
        return ("rise" if m["rise"] else "fall"), m.group().strip()
    if m := _CHANGE_THAN.match(after):
        return ("rise" if m["rise"] else "fall"), m.group().strip()
    return None


def compared_beside(
    figure: Figure, sentence: Sentence, article_main: PeriodSpan | None
) -> str | None:
    """What a growth or change is compared with where the words right after it say it: "from a
    year earlier", "from the previous quarter", or a compared period ("51 percent more than in
    the fourth quarter of 2016", a year before the sentence's period); else None."""
    after = sentence.text[figure.end - sentence.start :]
    head = re.split(r"\d", after, maxsplit=1)[0]
    year, previous = _YEAR_EARLIER.search(head), _PREVIOUS_PERIOD.search(head)
    if year and previous:
        return "year_earlier" if year.start() < previous.start() else "previous_period"
    if year or previous:
        return "year_earlier" if year else "previous_period"
    span = next(
        (
            p
            for p in sentence.periods
            if p.is_comparison and p.period and 0 <= p.start - figure.end <= 25
        ),
        None,
    )
    main = sentence.main_period() or article_main
    if span is None or span.period is None or main is None or main.period is None:
        return None
    own, other = main.period, span.period
    if own.grain != other.grain or own.start_on is None or other.start_on is None:
        return None
    days = (own.start_on - other.start_on).days
    if 360 <= days <= 370:
        return "year_earlier"
    lengths = {"quarter": (85, 95), "half": (178, 186), "month": (28, 31)}
    low, high = lengths.get(own.grain, (0, -1))
    return "previous_period" if low <= days <= high else None


_YEAR_EARLIER = re.compile(
    r"year[- ](?:on|over)[- ]year|year[- ]ago|(?:a|one) year (?:earlier|ago|before)|\byoy\b|\by/y\b"
    r"|from a year|than a year|same (?:quarter|period|month) (?:of )?last year|\bon the year\b",
    re.I,
)
_PREVIOUS_PERIOD = re.compile(
    r"\b(?:previous|prior|preceding|sequential(?:ly)?|last) (?:quarter|month|period|half)\b"
    r"|quarter[- ]on[- ]quarter|\bqoq\b",
    re.I,
)
# A sentence of another grain than the article's period: "Quarterly profit ..." in a year's report.
_GRAINS = {
    "quarter": re.compile(r"\bquarter(?:ly)?\b", re.I),
    "half": re.compile(r"\b(?:half|half-year|six months)\b", re.I),
    "year": re.compile(
        r"\b(?:annual|full-year|for the year|twelve months"
        r"|(?:whole|full|entire) (?:fiscal |financial )?year)\b",
        re.I,
    ),
}
# The whole year of a report on its last quarter or half (Drafter._whole_year).
_WHOLE_YEAR = re.compile(
    r"\b(?:(?:for|during|over|in) )?the (?:full|whole|entire)[- ](?:fiscal |financial )?year(?:'s)?"
    r"|\b(?:for )?the (?:fiscal )?year as a whole\b"
    r"|\b(?:for|during|over) the year\b(?! (?:ago|earlier|before|to|ended|ending|that|which)\b)",
    re.I,
)
# A year the wording does not name: the year the report is about (Drafter._the_year).
_THE_YEAR = re.compile(
    r"(?:(?:for|during|in|over|throughout|at|by) )?(?:the )?(?:end of the )?(?:full |whole )?year",
    re.I,
)
# A quarter or half the wording does not give the year of: of the year the report is about.
_PART_OF_THE_YEAR = re.compile(
    r"(?:(?:in|for|during|over) )?(?:the )?(?:(?P<quarter>first|second|third|fourth)[- ]quarter"
    r"|q(?P<q>[1-4])|(?P<half>first|second)[- ]half)",
    re.I,
)
ORDINAL_NUMBERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# A figure compared with right after the word: "from 5,379 million euros" (the figure's
# currency sign is part of it).
_FROM_FIGURE = re.compile(r"\b(?:from|against|compared with)\s+$", re.I)
_FORECAST_WORDS = re.compile(
    r"\b(?:forecasts?|outlook|guidance|targets?|goals?|expects?|expected|estimates?|plans?)\b",
    re.I,
)
_POINTING_BACK = re.compile(r"(?:That|This|It) (?:was|is|were|are)\b")
_TARGET = re.compile(
    r"\b(?:goal|target|aim|ambition|objective)s?\b|\baim(?:s|ing) (?:to|for)\b", re.I
)
_EXPECTED = re.compile(
    r"\b(?:expects?|expected|expecting|forecasts?|forecasted|projects?|projected|anticipates?"
    r"|anticipated|predicts?|predicted|guides?)\b",
    re.I,
)
_PLANNED = re.compile(
    r"\b(?:plans?|planned|planning|will|intends?|intended|(?:is|are) set to|propos(?:ed|es?))\b",
    re.I,
)
_TITLES = (
    r"chairman|chairwoman|chair|CEO|chief executive(?: officer)?|president|founder|CFO"
    r"|chief financial officer|COO|CTO|spokesperson|spokesman|spokeswoman|executive|director"
)
_SAY = r"(?:said|says|added|adds|told|put|puts)"
_SAYS = re.compile(rf"^\s+(?:{_SAY}|estimated|estimates|reported|disclosed|stated)\b")
_ACCORDING = re.compile(
    rf"according to (?:(?:the )?(?:{_TITLES})(?:,? and (?:{_TITLES}))* )?$"
    # "according to a ranking published on Thursday by research firm BloombergNEF"
    r"|according to (?:an? |the |its )?(?:[\w-]+ ){0,2}(?:ranking|report|survey|study|estimates?"
    r"|data|analysis|count|figures)(?: (?:published|released|issued|compiled)(?: on \w+)?)? by "
    r"(?:(?:the )?(?:[\w-]+ )?(?:research|consultancy|analyst|analytics) (?:firm|house|group) )?$",
    re.I,
)
# A figure restating another of the sentence as a goal or forecast: "expects 15 million, up from
# a previous goal of 14 million", "a forecast of 5 billion euros".
_RESTATED = re.compile(
    r"\b(?:(?:a|an|the|its|their)\s+)?(?:(?P<previous>previous|earlier|original|prior|initial|old)"
    r"\s+)?(?P<what>goal|target|forecast|estimate|guidance|projection|outlook)\s+(?:of|for)\s+$",
    re.I,
)
# Words before a metric's name that say how it is counted, not whose it is: no segment's name.
_COUNTED_AS = re.compile(
    r"reported|statutory|adjusted|underlying|organic|comparable|headline|normali[sz]ed"
    r"|non-GAAP|GAAP|IFRS|consolidated|total|gross|net|core|operating|basic|diluted"
    r"|half-year|full-year|quarterly|annual|interim|first-half|second-half|group",
    re.I,
)
# A poll's compiler: "analysts polled by Reuters", "in a Reuters poll".
_POLLED_BY = re.compile(r"\b(?:polled|surveyed) by\s+$", re.I)
_POLL_AFTER = re.compile(r"^\s+(?:poll|survey)\b", re.I)
_NOT_COMPANIES = words("analysts investors shareholders together revenue that this")
# Analysts' expectation right after the figure: "the 2.76 billion dollars analysts had forecast".
_ANALYSTS_AFTER = re.compile(
    r"\s+(?:that\s+|which\s+)?(?:the\s+)?(?:analysts?|Wall Street|the consensus)\s+"
    r"(?:had\s+|have\s+)?(?:expected|forecast|forecasted|estimated|predicted|projected|anticipated)\b",
    re.I,
)
_ORGANISATION = re.compile(r"\b(?:research|researcher|consultancy|tracker|firm)\b", re.I)
_STATE = re.compile(r"\bas of\b|period's (?:date|end)", re.I)
_BOTH = re.compile(r"\b(?:both|all|each)\b", re.I)


# A region named after another figure of the clause, "in"/"across" it: that figure's ("operated
# 4,769 stores in the United States and employed about 2.2 million people worldwide").
_AFTER_ANOTHER_FIGURE = re.compile(r"\d[^\d,;]*\b(?:in|across)\s+(?:the\s+)?$")


def region_names(region: RegionSpec) -> list[str]:
    """How a text names a region: its name, and the initials of a name of three or more words
    ("EMEA" for "Europe, Middle East and Africa"; a shorter one's, "AP", names other things);
    the world's by its words too ("Worldwide", "the global IC design industry")."""
    initials = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", region.name))
    found = [region.name, initials] if len(initials) >= 3 else [region.name]
    if region.kind == "world":
        found += [w.capitalize() for w in WORLD_WORDS if w.capitalize() != region.name]
        found += [w for w in WORLD_WORDS if w != region.name]
    return found


# Irregular forms of a word metric names use: "Units sold" are "vehicle sales", "sell".
_IRREGULAR = {"sold": "sales", "sell": "sales", "sells": "sales", "selling": "sales"}


def stem(word: str) -> str:
    word = word.lower()
    word = _IRREGULAR.get(word, word)
    for suffix in ("ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]
    return word


_FUNCTION_WORDS = words(
    "of in on at to for from and or more than each a an the per every that which who were was"
    " is are have has had"
)


def _stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[\w&-]+", text)}


def _forms(noun: str) -> set[str]:
    """The stems of a noun and of its plural ("store" and "stores" stem apart)."""
    return {stem(noun), stem(noun + "s")}


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    parts = []
    for word in re.findall(r"[\w&'-]+", phrase):
        root = stem(word)
        parts.append(re.escape(root) + r"[\w'-]*" if len(root) >= 4 else re.escape(word) + "s?")
    return re.compile(r"\b" + r"[\s-]+".join(parts) + r"\b", re.I)


@dataclass
class Context:
    """What the drafter knows of the article beyond one sentence."""

    catalogue: Catalogue
    published: date
    company_key: str
    company_name: str
    fiscal_year_end_month: int = 12
    fiscal_year_named_by: str = "end"
    article: str = ""  # the text past its date line
    article_start: int = 0  # where the article begins in the text (sentences' offsets count so)
    fiscal_unknown: bool = False  # the text names fiscal periods but not when its year ends
    own_report: bool = False  # the text opens with the company's report of its own figures
    rank_subjects: set[str] = field(default_factory=set)  # products named as a rank's subject
    companies: dict[str, dict[str, str]] = field(default_factory=dict)  # others, by key
    ends_on: dict[str, date] = field(default_factory=dict)  # fiscal label -> stated end
    article_main: PeriodSpan | None = None
    article_day: PeriodSpan | None = None
    store_brand: str | None = None
    products: dict[str, dict[str, str]] = field(default_factory=dict)
    segments: dict[str, dict[str, str]] = field(default_factory=dict)
    attributions: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # "products.<key>" -> note

    def metric(self, key: str | None) -> MetricSpec | None:
        return next((m for m in self.catalogue.metrics if m.key == key), None)


@dataclass
class Fact:
    figure: Figure
    sentence: Sentence
    fields: dict[str, str | None]
    notes: dict[str, str]
    problem: str | None = None  # set: the fact is written commented out, with this reason
    metric_at: int | None = None  # where the words that gave the metric are
    label: str | None = None  # the period's label, for the same-fact check


@dataclass(frozen=True)
class Match:
    metric: MetricSpec
    note: str
    start: int  # where the words that gave the metric are


def bare_name(name: str) -> str:
    """A metric's name without its bracketed note."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


_PER_SHARE_FROM = re.compile(r"\bper share\s+from\s+$", re.I)


def _occurrences(
    phrases: list[str], sentence: Sentence, figure: Figure, inside: bool = False
) -> list[tuple[int, int, int, str, int]]:
    """(scope, gap, -length, words, start) for each phrase in the sentence: clause first, the
    nearest before the figure first."""
    clause = sentence.clause_of(figure.start)
    found = []
    for phrase in phrases:
        for m in _phrase_pattern(phrase).finditer(sentence.text):
            start, end = sentence.start + m.start(), sentence.start + m.end()
            if _PER_SHARE_FROM.search(sentence.text[: m.start()]):
                continue  # "earnings per share from net income": what it is computed from
            if start < figure.end and end > figure.start:
                if not inside:
                    continue
                gap = 0
            elif end <= figure.start:
                gap = figure.start - end
            else:
                gap = 2 * (start - figure.end) + 1
                own = sentence.clause_of(start)
                rest = sentence.text[end - sentence.start : own.end - sentence.start]
                words_between = sentence.text[figure.end - sentence.start : m.start()].strip()
                if re.search(r"\d", rest) and (own is not clause or words_between):
                    # another figure's words: "..., with fourth-quarter revenue down 3 percent",
                    # "rose 2.9 percent to X and operating income climbed 27.1 percent"
                    gap += 10_000
            scope = 0 if clause.start <= start < clause.end else 1
            found.append((scope, gap, -len(phrase), m.group(), start))
    return sorted(found)


def _best(
    metrics: list[MetricSpec],
    phrases_of: dict[str, list[str]],
    sentence: Sentence,
    figure: Figure,
    nouns_of: dict[str, frozenset[str]] | None = None,
) -> Match | None:
    """The metric whose words are nearest the figure; a metric whose name names a thing the
    sentence does not ("Smartphone shipments" for "14.86 million units" of a console) only
    where no other metric's words are there."""
    ranked = []
    present = _stems(sentence.text)
    for metric in metrics:
        hits = _occurrences(phrases_of[metric.key], sentence, figure)
        if hits:
            nouns = (nouns_of or {}).get(metric.key, frozenset())
            absent = sorted(n for n in nouns if not _forms(n) & present)
            # of two metrics the same words name, the one they name by its name ("earnings
            # per share": eps, not diluted_eps's alias)
            by_alias = hits[0][3].lower() != bare_name(metric.name).lower()
            ranked.append((len(absent) > 0, hits[0], metric, absent, by_alias))
    if not ranked:
        return None
    best = min(ranked, key=lambda r: (r[0], r[1][:3], r[4]))

    def in_period(hit: tuple[int, int, int, str, int]) -> bool:
        return any(
            p.period and p.start < hit[4] + len(hit[3]) and hit[4] < p.end for p in sentence.periods
        )

    # "Operating profit for the year": "for the year" is the period, not the end of "profit
    # for the year" (net income's alias), where other words name a metric at that place
    if in_period(best[1]):
        apart = [
            r
            for r in ranked
            if not in_period(r[1])
            and r[1][4] < best[1][4] + len(best[1][3])
            and best[1][4] < r[1][4] + len(r[1][3])
        ]
        best = min(apart, key=lambda r: (r[0], r[1][:3], r[4]), default=best)
    _, (_, _, _, words, start), metric, absent, _ = best
    note = f'metric from "{words}"'
    if absent:
        note += f" (the sentence does not name {', '.join(absent)})"
    # "net sales of EUR 5.3 billion, down 8 percent": "sales of" (Units sold) and "sales"
    # (Revenue) are the same words at the same place; the longer phrase says no more
    tied = sorted(
        r[2].key
        for r in ranked
        if r[2] is not metric
        and r[0] == best[0]
        and r[4] == best[4]  # by name, or by alias, both
        and r[1][4] < start + len(words)
        and start < r[1][4] + len(r[1][3])
        and content_stems(r[1][3]) == content_stems(words)
        # "hiring thousands of R&D talent": Planned R&D hiring, not Hires; the sentence names
        # what tells them apart
        and not (content_stems(bare_name(metric.name)) - _names_of(r[2])) & present
    )
    if tied:
        note += f" (the words name {', '.join(tied)} too)"
    return Match(metric, note, start)


# A sentence whose subject is a part of the company: "The Game & Network Services segment
# was ...", "Networks, the largest business group, had ...".
_PART_NOUN = r"(?:segment|division|business (?:group|unit|area|line))"
_SUBJECT_PART = re.compile(
    rf"(?:The )?(?P<name>[A-Z][\w-]*(?: (?:&|and|[A-Z][\w-]*))*) {_PART_NOUN}\b"
    rf"|(?P<apposed>[A-Z][\w-]*(?: (?:&|and|[A-Z][\w-]*))*), the (?:[a-z]+ ){{0,3}}{_PART_NOUN},"
)
# A part named before its noun: "the consumer business", "The PC and Smart Device business",
# "the Digital Factory division" (a capitalised name whole, words joined by "and" or "&" too).
_SEGMENT_WORDS = re.compile(
    r"(?:\b(?:the |its )|^|(?<=\s))"
    r"((?!(?:The|Its) )[A-Z][\w&-]*(?: (?:&|and|[A-Z][\w&-]*))*(?<! and)(?<! &)|[A-Za-z][\w&-]*)"
    r" (?:business|segment|division)\b"
)
# Words naming the whole company again: "..., when the group employed 642,300 people".
WHOLE_COMPANY = re.compile(r"\bthe (?:group|company|firm)\b|\b(?:group|company)-wide\b", re.I)


def _names_of(metric: MetricSpec) -> set[str]:
    return content_stems(" ".join([metric.name, *metric.aliases]))


def content_stems(text: str) -> set[str]:
    """The stems of a text's words less the words that name nothing ("of", "the")."""
    return {stem(w) for w in re.findall(r"[\w&-]+", text) if w.lower() not in _STOP}


def _overlap(metrics: list[MetricSpec], scope: Span, minimum: int = 1) -> Match | None:
    """The metric whose names share the most words with the clause or sentence."""
    words = {stem(w) for w in re.findall(r"[\w&-]+", scope.text) if w.lower() not in _STOP}
    scored = []
    for index, metric in enumerate(metrics):
        texts = [metric.name, *metric.aliases, metric.ranked_by or ""]
        own = {stem(w) for t in texts for w in re.findall(r"[\w&-]+", t) if w.lower() not in _STOP}
        shared = sorted(own & words)
        if len(shared) >= minimum:
            scored.append((-len(shared), index, metric, shared))
    if not scored:
        return None
    _, _, metric, shared = min(scored, key=lambda s: s[:2])
    shown = ", ".join(f'"{w}"' for w in shared)
    return Match(metric, f"metric from the words {shown}", scope.start)


# What a compared figure was, between the comparing word and it: "from a loss of", "against a
# net profit of".
COMPARED_AS = r"an?\s+(?:[a-z-]+\s+){0,2}of\s+"
# "to 38 percent from 37 percent last year": "last year" is the compared figure's period.
_COMPARED_WITH = re.compile(
    # "more than 10 percent for 2020": a bound, not a compared figure
    r"\b(?:from|against|(?<!more )(?<!less )(?<!fewer )(?<!rather )than|versus|vs\.?"
    r"|compared with)\s+"
    # the compared figure right after the word ("from 37 percent", "from RMB151,938 million");
    # "from a year earlier to 3 billion euros in the fourth quarter" compares no figure
    # (a thousands comma is the figure's: "from 2,105 million dollars in the year-ago quarter")
    # or after what it was ("from a loss of US$72 million a year earlier")
    rf"(?:{COMPARED_AS})?"
    r"((?:[A-Za-z]{2,3}\s?|[A-Z]{0,2}[$\u20ac\u00a3\u00a5\u20b9\u20a9]\s?)?\d(?:[^,;]|,(?=\d)){0,40})$",
    re.I,
)


def _of_compared_figure(sentence: Sentence, span: PeriodSpan, figure: Figure) -> bool:
    """Whether a period wording follows a compared figure ("from 37 percent last year") that
    is not this figure: the compared figure's period, not this one's."""
    m = _COMPARED_WITH.search(sentence.text[: span.start - sentence.start])
    if m is None or not re.search(r"\d", m[1]):
        return False
    compared_at = sentence.start + m.start(1)
    return not compared_at <= figure.start < span.start


class Drafter:
    def __init__(self, context: Context) -> None:
        self.context = context
        metrics = context.catalogue.metrics
        self.metrics = metrics
        # a name's bracketed note is no part of its words: "Earnings per share (basic or
        # diluted not stated)"
        self.phrases = {m.key: [m.name, bare_name(m.name), *m.aliases] for m in metrics}
        by_key = {m.key: m for m in metrics}
        # A derived metric (growth, target, record) is found by the words of what it derives from.
        for m in metrics:
            base = m.growth_of or m.target_of or m.record_of
            if base and base in by_key:
                self.phrases[m.key] = [*m.aliases, *self.phrases[base]]
        self.units = {u.key: u for u in context.catalogue.units}
        self.last_region = {}
        self.levels = {}  # the first level a sentence's figures matched, by sentence
        # The things a metric's name names: product kinds ("Smartphone shipments") and subjects
        # ("Patents granted"); a sentence that names none of them is rarely about the metric.
        things = {k.key for k in context.catalogue.product_kinds if k.key != "other"}
        things |= {m.subject for m in metrics if m.subject and m.subject != "metric"}
        # An acronym in a metric's name names a thing too ("PC market share": PCs).
        self.nouns = {
            m.key: frozenset(t for t in things if _forms(t) & _stems(m.name))
            | {w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", bare_name(m.name))}
            for m in metrics
        }

    # -- metric ---------------------------------------------------------------------------

    def _candidates(self, kind: str, figure: Figure, sentence: Sentence) -> list[MetricSpec]:
        if kind != COUNT:
            return [m for m in self.metrics if m.unit in KIND_UNITS[kind]]
        counts = [m for m in self.metrics if m.unit not in _SPECIAL_UNITS]
        # The noun after a count says what is counted ("7,071 patents", "12,000 employees"): a
        # metric or unit whose words name it, else none; a name ("41.0 million iPhones") says
        # nothing of the metric.
        after = sentence.text[figure.end - sentence.start :]
        noun = re.match(r"\s+([a-z][a-z-]*)\b", after)
        if not noun or noun[1] in _FUNCTION_WORDS:
            return counts
        counted = stem(noun[1])
        units = {k for k, u in self.units.items() if counted in _stems(f"{k} {u.name}")}
        named = [
            m
            for m in counts
            if m.unit in units or counted in _stems(" ".join([m.name, *m.aliases, m.description]))
        ]
        # Else a metric's own verb right before the count says it ("sold 5 million widgets").
        return named or [
            m
            for m in counts
            if any(h[1] <= 1 for h in _occurrences(self.phrases[m.key], sentence, figure))
        ]

    def match(self, figure: Figure, sentence: Sentence) -> tuple[list[Match], dict[str, str]]:
        """The metrics a figure states (two for "Both would be records"), and what decided."""
        kind = figure.kind
        candidates = self._candidates(kind, figure, sentence)
        before = sentence.text[: figure.start - sentence.start]
        after = sentence.text[figure.end - sentence.start :]
        facts: dict[str, str] = {}
        if kind == RECORD:
            return self._records(candidates, figure, sentence), facts
        if kind == MULTIPLE:
            facts["growth"] = "rise"  # the words say the rate, "halved" included
            found = self._growth(candidates, figure, sentence)
            return ([found] if found else []), facts
        if kind in (PERCENT, FRACTION):
            growth = (
                _GROWTH_BEFORE.search(before)
                or _GROWTH_AFTER.match(after)
                or _GROWTH_LIST.search(before)
                or _GROWTH_OF_OBJECT.search(before)
                or _GROWTH_NOUN.search(before)
            )
            if growth and kind == PERCENT:
                facts["growth"] = "fall" if growth["fall"] else "rise"
                if growth.re is _GROWTH_BEFORE:
                    facts["growth_words"] = growth.group().strip()
                found = self._growth(candidates, figure, sentence)
                return ([found] if found else []), facts
            candidates = [m for m in candidates if not m.growth_of]
        # A goal or target named before the figure ("a sales target of 1.58 million cars", "its
        # revenue goal of 100 billion yuan (14.71 billion US dollars)") asks for a target metric.
        targeted = _TARGET.search(sentence.text[: figure.start - sentence.start])
        if targeted and kind not in (RANK,):
            # "its operating margin target of 22 to 24 percent": the metric's own target
            # metric where the catalogue has one, else the metric itself (basis: target)
            aimed = [m for m in candidates if m.target_of]
            found = _best(aimed, self.phrases, sentence, figure, self.nouns)
            if found is None:
                plain = [m for m in candidates if not (m.target_of or m.growth_of)]
                plain = [m for m in plain if not (m.record_of or m.change_of)]
                found = _best(plain, self.phrases, sentence, figure, self.nouns)
                words = re.match(r'metric from "([^"]+)"', found.note) if found else None
                before_figure = sentence.text[: figure.start - sentence.start]
                if (
                    found
                    and words
                    and re.search(
                        rf"{re.escape(words[1])}\s+(?:goal|target|objective)s?\s+(?:of|for)\s+$",
                        before_figure,
                    )
                ):
                    self.last_match = (sentence.index, found, figure.kind)
                    return [found], facts
        candidates = [m for m in candidates if bool(m.target_of) == bool(targeted)]
        clause = sentence.clause_of(figure.start)
        if kind == RANK:
            whole = Span(sentence.start, sentence.end, sentence.text)
            found = _overlap(candidates, clause) or _overlap(candidates, whole)
            return ([found] if found else []), facts
        if change := change_words(figure, sentence):
            facts["change"] = change[0]
            if change[0] == "fall":
                facts["growth"] = "fall"  # negative, as a growth rate's fall
            found = self._change(figure, sentence, change[1])
            if found:
                if change[1] in sentence.text[: figure.start - sentence.start]:
                    facts["growth_words"] = change[1]
                return [found], facts
        candidates = [m for m in candidates if not (m.growth_of or m.record_of or m.change_of)]
        found = _best(candidates, self.phrases, sentence, figure, self.nouns)
        found = found and self._attributable(found, candidates, sentence)
        found = found or self._anaphora(figure, sentence)
        found = found or _overlap(candidates, clause) or self._restated(figure, sentence)
        if found:
            self.last_match = (sentence.index, found, figure.kind)
            self.levels.setdefault(sentence.index, (found, figure.kind))
        return ([found] if found else []), facts

    def _anaphora(self, figure: Figure, sentence: Sentence) -> Match | None:
        """ "Infosys said its net profit ... was 3,612 crore rupees. That was 2.1 percent below
        the 3,690 crore rupees earned in the March quarter": a sentence that opens by pointing
        back ("That was", "This is") speaks of the first level of the sentence before, an amount
        of the same kind."""
        opening = _POINTING_BACK.match(sentence.text)
        earlier = self.levels.get(sentence.index - 1)
        if opening is None or earlier is None or earlier[1] != figure.kind:
            return None
        match = earlier[0]
        note = f'metric of the sentence before ({match.metric.key}), "{opening.group()}"'
        return Match(match.metric, note, sentence.start)

    levels: dict[int, tuple[Match, str]]

    def _attributable(
        self, found: Match, candidates: list[MetricSpec], sentence: Sentence
    ) -> Match:
        """ "net income attributable to Toyota", "... to shareholders": the metric of the
        profit attributable to the company's owners, where the catalogue has one."""
        m = re.match(r'metric from "([^"]+)"', found.note)
        if m is None:
            return found
        after = sentence.text[found.start - sentence.start + len(m[1]) :]
        owners = rf"{re.escape(self.context.company_name.split()[0])}|(?:its )?shareholders"
        owners += r"|(?:its )?owners|(?:its )?equity holders|the parent|the company"
        said = re.match(rf"\s+attributable to (?:the )?(?:{owners})\b", after, re.I)
        if said is None:
            return found
        longer = f"{m[1]} attributable".lower()
        other = next((c for c in candidates if bare_name(c.name).lower().startswith(longer)), None)
        if other is None:
            return found
        return Match(other, f'metric from "{m[1]}{said.group()}"', found.start)

    last_match: tuple[int, Match, str] | None = None

    def _change(self, figure: Figure, sentence: Sentence, words: str) -> Match | None:
        """A change of a level ("added 8 million", "slipped by 150 yen"): the catalogue's
        change_of metric of the level named nearest, compared as the words beside it say."""
        units = KIND_UNITS.get(figure.kind)
        changes = [
            m
            for m in self.metrics
            if m.change_of
            and (m.unit in units if units else m.unit not in _SPECIAL_UNITS)
            and m.target_of is None
        ]
        bases = [m for m in self.metrics if any(c.change_of == m.key for c in changes)]
        base = _best(bases, self.phrases, sentence, figure, self.nouns)
        if base is None:
            return None
        options = [m for m in changes if m.change_of == base.metric.key]
        compared = self._compared(figure, sentence)
        if compared is None and re.match(r"(?:added|adds|adding)\b", words, re.I):
            compared = "previous_period"  # net additions: since the period before
        note = base.note
        if compared is None:
            if len(options) > 1:
                return None
            compared = options[0].compared_with
            earlier = "a year earlier" if compared == "year_earlier" else "the period before"
            note += f"; compared with {earlier} (the sentence does not say)"
        chosen = next((m for m in options if m.compared_with == compared), None)
        if chosen is None:
            return None
        return Match(chosen, note, base.start)

    def _compared(self, figure: Figure, sentence: Sentence) -> str | None:
        """What a growth or change is compared with, from the words right after the figure (up
        to the next figure), else from the sentence where it says only one."""
        if beside := compared_beside(figure, sentence, self.context.article_main):
            return beside
        after = sentence.text[figure.end - sentence.start :]
        after = re.split(r"\d", after, maxsplit=1)[0]
        for scope in (after, sentence.text):
            year = _YEAR_EARLIER.search(scope)
            previous = _PREVIOUS_PERIOD.search(scope)
            if year and previous:
                if scope is after:
                    return "year_earlier" if year.start() < previous.start() else "previous_period"
                return None
            if year:
                return "year_earlier"
            if previous or (scope is not after and self._compared_with_previous(sentence)):
                return "previous_period"
        return None

    def _restated(self, figure: Figure, sentence: Sentence) -> Match | None:
        """ "up from a previous goal of 14 million": the metric of the sentence's figure before,
        of the same kind, that this one restates as a goal or forecast."""
        before = sentence.text[: figure.start - sentence.start]
        if not (m := _RESTATED.search(before)) or self.last_match is None:
            return None
        index, match, kind = self.last_match
        if index != sentence.index or kind != figure.kind:
            return None
        words, metric = m.group().strip(), match.metric
        if _TARGET.search(m["what"]):  # the metric's own target metric, where there is one
            metric = next((t for t in self.metrics if t.target_of == metric.key), metric)
        return Match(metric, f'metric of the figure before, restated as "{words}"', m.start())

    def _growth(
        self, candidates: list[MetricSpec], figure: Figure, sentence: Sentence
    ) -> Match | None:
        growth = [m for m in candidates if m.growth_of]
        bases = [m for m in self.metrics if any(g.growth_of == m.key for g in growth)]
        # a growth rate the catalogue keeps apart from its level's ("Underlying revenue growth
        # year on year", no growth_of): chosen where its own words are the nearest and longest
        apart = [
            m
            for m in candidates
            if not m.growth_of and m.unit == "percent" and re.search(r"\bgrowth\b", m.name, re.I)
        ]
        base = _best([*bases, *apart], self.phrases, sentence, figure, self.nouns)
        if base is None:
            return None
        if base.metric in apart:
            return base
        options = [m for m in growth if m.growth_of == base.metric.key]
        if len(options) == 1:
            return Match(options[0], base.note, base.start)
        compared = self._compared(figure, sentence)
        note = base.note
        if compared is None and (default := self._text_compares()) is not None:
            compared = "year_earlier"
            note += f'; compared with a year earlier, as the text compares ("{default}")'
        if compared is None:
            compared = "year_earlier"
            note += "; compared with a year earlier (the sentence does not say)"
        chosen = next((m for m in options if m.compared_with == compared), options[0])
        return Match(chosen, note, base.start)

    def _text_compares(self) -> str | None:
        """The text's stated comparison, where it compares with a year earlier and never with
        the period before ("a 39 percent fall ..." of a text that says "from a year earlier"
        elsewhere and nothing of the previous quarter): its words, else None."""
        article = self.context.article
        year = _YEAR_EARLIER.search(article)
        if year is None or _PREVIOUS_PERIOD.search(article):
            return None
        rest = re.match(r"\s+(?:earlier|ago|before)\b", article[year.end() :])
        return year.group() + (rest.group() if rest else "")

    def _compared_with_previous(self, sentence: Sentence) -> bool:
        """A comparison wording that names a period less than a year before the sentence's."""
        main = sentence.main_period()
        for span in sentence.periods:
            if span.is_comparison and span.period and main and main.period:
                start, other = main.period.start_on, span.period.start_on
                if start and other and 0 < (start - other).days < 300:
                    return True
        return False

    def _records(
        self, candidates: list[MetricSpec], figure: Figure, sentence: Sentence
    ) -> list[Match]:
        """A record of the level named in its clause; else of every level in the sentence;
        "Both would be records": of the levels of the sentence before."""
        bases = [m for m in self.metrics if any(r.record_of == m.key for r in candidates)]
        record_of = {r.record_of: r for r in candidates}
        clause = sentence.clause_of(figure.start)
        hits = [
            (h, m)
            for m in bases
            for h in _occurrences(self.phrases[m.key], sentence, figure, inside=True)
            if clause.start <= h[4] < clause.end
        ]
        if hits:
            h, base = min(hits, key=lambda pair: pair[0][:3])
            return [
                Match(record_of[base.key], f'metric from "{h[3]}" and "{figure.wording}"', h[4])
            ]
        scope = self.previous if _BOTH.search(clause.text) and self.previous else sentence
        found = []
        for base in bases:
            hits_in = _occurrences(self.phrases[base.key], scope, figure, inside=True)
            if hits_in:
                words = hits_in[0][3]
                found.append(
                    Match(
                        record_of[base.key],
                        f'metric from "{words}" and "{figure.wording}"',
                        hits_in[0][4],
                    )
                )
        return sorted(found, key=lambda m: m.start)

    previous: Sentence | None = None
    period_before: PeriodSpan | None = None  # the last period a sentence gave, any paragraph

    # -- period ---------------------------------------------------------------------------

    def period(
        self,
        figure: Figure,
        sentence: Sentence,
        metric: MetricSpec,
        growth: bool,
        carried: PeriodSpan | None,
    ) -> tuple[PeriodSpan | None, PeriodSpan | None, str | None]:
        """(the period, a relative wording beside it, a note when it was not beside the figure)."""
        state = metric.unit == "rank" or bool(_STATE.search(metric.description))
        clause = sentence.clause_of(figure.start)
        if compared := self._compared_figure(figure, sentence, carried):
            return compared
        if whole := self._whole_year(figure, sentence):
            return whole

        def near(spans: list[PeriodSpan]) -> PeriodSpan | None:
            return min(
                spans,
                key=lambda p: (
                    abs(p.start - figure.start) if p.start >= figure.end else figure.start - p.end
                ),
                default=None,
            )

        plain = [
            p
            for p in sentence.periods
            if p.period
            and not p.is_statement_day
            and not p.is_comparison
            and not _of_compared_figure(sentence, p, figure)
        ]
        in_clause = [p for p in plain if clause.start <= p.start < clause.end]
        relative = [
            p
            for p in sentence.periods
            if p.period is None
            and not growth
            # "20.5 pence against 19.2 pence a year earlier": the compared figure's wording
            and not _of_compared_figure(sentence, p, figure)
            and clause.start <= p.start < clause.end
            and not re.search(
                r"\b(?:than|from|compared with)\s*$", sentence.text[: p.start - sentence.start]
            )
            # "grew 23 percent from a year earlier to 40 million": the growth's comparison
            and not re.match(
                r"(?:than|from|compared with|against|(?:on|over) (?:the|a) (?:year|quarter))\b",
                p.text,
                re.I,
            )
        ]
        if relative and not in_clause:
            wording = near(relative)
            base = sentence.main_period() or carried or self.context.article_main
            return (
                base,
                wording,
                None if base is sentence.main_period() else "period from the text before",
            )
        # a state's day may be another clause's: "at the end of the year, when the group
        # employed 642,300 people"
        days = [p for p in plain if p.period and p.period.grain == "day"]
        if found := (
            near(in_clause) or sentence.fronted() or (near(days) if state else near(plain))
        ):
            return self._the_year(found) or (found, None, None)
        if found := sentence.statement_day():
            return found, None, f'period: the day it was said ("{found.text}")'
        if state:
            day = self.context.article_day
            note = (
                f'period: the day of the article ("{day.text}")'
                if day
                else "period: the publication date"
            )
            return day, None, note
        if carried:
            return carried, None, f'period from the sentence before ("{carried.text}")'
        main = self.context.article_main
        # "Quarterly profit for the period ...", "slipped 1 percent from the previous quarter"
        # on the line after "In the fourth quarter alone, ...": the quarter of the text before,
        # where the sentence speaks of its grain only and the article's period is of another
        before = self.period_before
        spoken = [g for g, p in _GRAINS.items() if p.search(sentence.text)]
        if (
            before is not None
            and before.period is not None
            and spoken == [before.period.grain]
            and (main is None or main.period is None or main.period.grain != before.period.grain)
        ):
            note = (
                f'period from the sentence before ("{before.text}"), the {spoken[0]} it speaks of'
            )
            period = (self._the_year(before) or (before,))[0].period
            span = PeriodSpan(before.start, before.end, before.text, period, needs_label=True)
            return replace(span, elsewhere=True), None, note
        return (
            main,
            None,
            f'period of the article ("{main.text}")' if main else "period: the publication date",
        )

    def _compared_figure(
        self, figure: Figure, sentence: Sentence, carried: PeriodSpan | None
    ) -> tuple[PeriodSpan, None, str] | None:
        """The period of an actual a figure is compared with, where its clause names none: "more
        than doubled to 11,638 million euros from 5,379 million euros" in a sentence of a year
        is the year before; of a quarter or half, the same one a year before where the sentence
        compares with a year earlier ("rose to X from Y a year earlier, operating income
        increased to X from Y"). A forecast's ("raised its forecast from 8.9 million to 8.95
        million") is the same period: left to the other rules."""
        text = sentence.text
        before = text[: figure.start - sentence.start]
        if not _FROM_FIGURE.search(before) or _FORECAST_WORDS.search(text):
            return None
        clause = sentence.clause_of(figure.start)
        if any(figure.end <= p.start < clause.end for p in sentence.periods):
            return None  # "from RMB151,938 million in 2016", "in the year-ago quarter": its own
        base = sentence.main_period() or carried
        spoken = [g for g, p in _GRAINS.items() if p.search(text)]
        before_span = self.period_before
        if base is None and before_span and before_span.period:
            base = before_span if spoken == [before_span.period.grain] else None
        if base is None and not spoken:
            base = self.context.article_main
        if base is None or base.period is None:
            return None
        base = (self._the_year(base) or (base,))[0]
        period = base.period
        if period is None or period.grain not in ("year", "quarter", "half"):
            return None
        year_back = period.grain == "year" or (
            _YEAR_EARLIER.search(text) is not None and _PREVIOUS_PERIOD.search(text) is None
        )
        if not year_back:
            return None
        label = shift(period, period.fiscal_label, "a year earlier")
        found = _resolve_label(self.context, label) if label else None
        if found is None:
            return None
        span = PeriodSpan(base.start, base.end, base.text, found, needs_label=True)
        note = f'period: "from" a figure a year before "{base.text}"'
        return replace(span, elsewhere=True), None, note

    def _whole_year(
        self, figure: Figure, sentence: Sentence
    ) -> tuple[PeriodSpan, None, str] | None:
        """ "revenue for the full fiscal year", "the full year's total", "For the year as a whole"
        (in the figure's clause, or opening its sentence) in a report on the last quarter or
        half of a year over at publication ("the fourth quarter of fiscal 2018"): that year."""
        main = self.context.article_main
        last = main.period if main else None
        if main is None or last is None or last.end_on is None or last.grain == "year":
            return None
        label = last.fiscal_label or last.label
        m = re.fullmatch(r"((?:FY)?\d{4})-(Q4|H2)", label)
        if m is None or last.end_on > self.context.published:
            return None
        if not label.startswith("FY") and self.context.fiscal_year_end_month != 12:
            return None
        clause = sentence.clause_of(figure.start)
        opening = sentence.clauses[0]
        scopes = [clause]
        index = sentence.clauses.index(clause) if clause in sentence.clauses else 0
        if index > 0 and re.match(r"\W*(?:up|down)\s", clause.text):
            # "the full year's total to 514.4 billion dollars, up 2.8 percent": the level's
            scopes.append(sentence.clauses[index - 1])
        if opening is not clause and not re.search(r"\d", opening.text):
            scopes.append(opening)
        for scope in scopes:
            found = _WHOLE_YEAR.search(scope.text)
            if found is None:
                continue
            start = scope.start + found.start()
            others = [
                p
                for p in sentence.periods
                if p.period
                and clause.start <= p.start < clause.end
                and not (p.is_statement_day or p.is_comparison)
                and not (p.start <= start < p.end)
            ]
            year = _resolve_label(self.context, m[1])
            if others or year is None:
                return None
            span = PeriodSpan(start, start + len(found.group()), found.group(), year)
            part = "quarter" if m[2] == "Q4" else "half"
            note = f'period: "{found.group()}", the year of the article\'s {part} ("{main.text}")'
            return replace(span, needs_label=True), None, note
        return None

    def _the_year(self, span: PeriodSpan) -> tuple[PeriodSpan, None, str] | None:
        """ "for the year", "during the year", "at the end of the year", "fourth-quarter" in a
        report on a year over at publication (its first period wording, "for 2017", "the year
        to 31 March 2018"): that year, its last day or its quarter or half, not the calendar
        year of publication nor a quarter without a year in a fiscal calendar."""
        main = self.context.article_main
        year = main.period if main else None
        if main is None or year is None or year.grain != "year" or year.end_on is None:
            return None
        if year.end_on > self.context.published:
            return None
        if _THE_YEAR.fullmatch(span.text):
            whole = span.period and span.period.grain == "year"
            period: periods.Period | None = year if whole else periods.day(year.end_on)
        elif part := _PART_OF_THE_YEAR.fullmatch(span.text):
            quarter, half = part["quarter"] or part["q"], part["half"]
            number = ORDINAL_NUMBERS.get(quarter.lower(), 0) or int(quarter) if quarter else 0
            suffix = f"-Q{number}" if quarter else f"-H{ORDINAL_NUMBERS[half.lower()]}"
            period = _resolve_label(self.context, (year.fiscal_label or year.label) + suffix)
        else:
            return None
        if period is None:
            return None
        note = f'period: "{span.text}" of the article\'s year ("{main.text}")'
        return PeriodSpan(span.start, span.end, span.text, period, needs_label=True), None, note

    # -- the rest -------------------------------------------------------------------------

    def _regions_in(self, sentence: Sentence) -> list[tuple[int, int, RegionSpec, str]]:
        """(start, end, region, words) of each region the sentence names: by its name, or by
        its adjective before "market" ("the Indian smartphone market")."""
        found = []
        for region in self.context.catalogue.regions:
            patterns = [rf"\b{re.escape(name)}\b" for name in region_names(region)]
            if " " not in region.name and len(region.name) >= 5:
                stem_ = re.escape(region.name[:-1])
                patterns.append(rf"\b{stem_}[a-z]+\b(?=(?:\s+[\w-]+){{0,2}}\s+markets?\b)")
            for pattern in patterns:
                for m in re.finditer(pattern, sentence.text):
                    start = sentence.start + m.start()
                    found.append((start, start + len(m.group()), region, m.group()))
        return found

    def remember_regions(self, sentence: Sentence) -> None:
        """The last country named, for "in the country" later on."""
        for _, _, region, named in sorted(self._regions_in(sentence), key=lambda f: f[0]):
            self.last_region[region.kind] = (region, named)

    last_region: dict[str, tuple[RegionSpec, str]]

    def region(self, figure: Figure, sentence: Sentence) -> tuple[str | None, str | None]:
        clause = sentence.clause_of(figure.start)
        every = self._regions_in(sentence)
        # "Greater China" names one region, not China too; of the others, the region named
        # nearest before the figure is its ("Asia Pacific rose 10.3 percent to CNY74.4 billion
        # and EMEA gained 4.7 percent"), else the nearest after it in its clause ("grew 20
        # percent in India"; a later clause's is not: "..., after a loss caused by a charge in
        # India")
        named = [
            r
            for r in every
            if not any(o[0] <= r[0] and r[1] <= o[1] and o[1] - o[0] > r[1] - r[0] for o in every)
        ]
        for scope in (clause, sentence):
            found = [
                (start > figure.start, abs(start - figure.start), region, words)
                for start, _, region, words in named
                if scope.start <= start < scope.end
                and (scope is clause or start < figure.start)
                and not (
                    start < figure.start
                    and _AFTER_ANOTHER_FIGURE.search(
                        sentence.text[scope.start - sentence.start : start - sentence.start]
                    )
                )
            ]
            if found:
                _, _, region, words = min(found, key=lambda f: f[:2])
                if region.kind == "world":
                    return None, None
                return region.key, f'region from "{words}"'
        if m := re.search(r"\bin (?:the|that|this) (country|region)\b", clause.text):
            kind = "country" if m[1] == "country" else "region"
            if kind in self.last_region:
                region, words = self.last_region[kind]
                return region.key, f'region: "{m.group()}" after "{words}"'
        return None, None

    def product(
        self, figure: Figure, sentence: Sentence, store: bool, metric_at: int | None = None
    ) -> tuple[str | None, str | None]:
        context = self.context
        offset = figure.end - sentence.start
        spans = [s for s in names(sentence.text) if self._is_thing(s.text)]
        after = next((s for s in spans if 0 <= s.start - offset <= 1), None)
        if after and store:
            return None, None
        subject = None
        if figure.kind == RANK:
            clause = sentence.clause_of(figure.start)
            subject = next(
                (s for s in spans if clause.start <= sentence.start + s.start < figure.start), None
            )
        # "more than doubled its iPhone shipments": the name right before the metric's words
        before_metric = None
        if metric_at is not None and not store:
            at = metric_at - sentence.start
            before_metric = next(
                (
                    s
                    for s in spans
                    if 0 < at - s.end <= 1
                    and re.search(r"\b(?:its|their|of)\s+$", sentence.text[: s.start])
                ),
                None,
            )
        span = after or subject or before_metric
        if span is None:
            return self._kind_named(figure, sentence, store)
        if span is subject and span is not after:
            # "Dell came third": a vendor or a product, the several companies' rule decides
            context.rank_subjects.add(slug(span.text))
        name = span.text
        if " " not in name and re.fullmatch(r"\w*[a-z]{2}s", name):
            name = name[:-1]  # "iPhones" -> iPhone
        key = slug(name)
        if key not in context.products:
            kinds = [k.key for k in context.catalogue.product_kinds]
            words = {stem(w) for w in re.findall(r"\w+", sentence.text)}
            kind = next(
                (k for k in kinds if stem(k) in words), "other" if "other" in kinds else kinds[0]
            )
            self._declare_product(key, name, kind, f'kind from the sentence of "{span.text}"')
        return key, f'product from "{span.text}"'

    def _declare_product(self, key: str, name: str, kind: str, note: str) -> None:
        """The product `key` of the text's company, declared in the draft with why its kind."""
        self.context.products[key] = {
            "key": key,
            "name": name,
            "company": self.context.company_key,
            "kind": kind,
        }
        self.context.notes[f"products.{key}"] = note

    def _kind_named(
        self, figure: Figure, sentence: Sentence, store: bool
    ) -> tuple[str | None, str | None]:
        """A product named by a name and its kind, as its clause's subject before the figure:
        "The Baidu app reached 161 million daily active users" (kind app: "Baidu app")."""
        context = self.context
        kinds = [k.key for k in context.catalogue.product_kinds if k.key != "other"]
        clause = sentence.clause_of(figure.start)
        before = sentence.text[clause.start - sentence.start : figure.start - sentence.start]
        words = "|".join(re.escape(k.replace("_", " ")) for k in kinds)
        m = re.search(rf"\b(?:[Tt]he|[Ii]ts)\s+((?:[A-Z][\w&-]*\s+)+({words}))\b", before)
        if store or m is None:
            return None, None
        name, kind = m[1], m[2].replace(" ", "_")
        key = slug(name)
        if key not in context.products:
            self._declare_product(key, name, kind, f'kind from "{m[2]}"')
        return key, f'product from "{m[1]}"'

    def _is_thing(self, name: str) -> bool:
        context = self.context
        regions = {n for r in context.catalogue.regions for n in region_names(r)}
        lowered = name.lower()
        return (
            name not in regions
            and lowered != context.company_name.lower()
            and lowered not in context.company_name.lower().split()
            and lowered.split()[0] not in periods.MONTHS
            and lowered.split()[0] not in periods.WEEKDAYS
            and not re.fullmatch(r"(?:q[1-4]|h[12]|fy\d+)", lowered)
            and not re.fullmatch(_TITLES, name, re.I)
        )

    def may_be_company(self, body: str, begin: int) -> Callable[[str], bool]:
        """Whether a name may be a company's: one the text names as a company would be named
        (named_companies), not a region, month, title, person (a name after a title) or a
        product the drafter has met."""
        counts, _ = named_companies(body, begin, self.context.catalogue)
        people = {
            word
            for m in re.finditer(rf"\b(?:{_TITLES})\s+((?:[A-Z][\w-]+\s?)+)", body[begin:])
            for word in m[1].split()
        }

        def may_be(name: str) -> bool:
            return (
                name in counts
                and self._is_thing(name)
                and not set(name.split()) & people
                and not re.match(rf"(?:{_TITLES})\b", name)
                and (
                    slug(name) not in self.context.products
                    or slug(name) in self.context.rank_subjects
                )
                and name.lower() not in _NOT_COMPANIES
            )

        return may_be

    def _is_company(self, name: str) -> bool:
        """The company itself, by its name or the first word of it ("Samsung")."""
        own, name = self.context.company_name.lower(), _without_legal_form(name).lower()
        return name == own or name == own.split()[0]

    def store_brand(self, figure: Figure, sentence: Sentence) -> tuple[str, str]:
        after = sentence.text[figure.end - sentence.start :]
        m = re.match(r"\s+((?:[A-Z][\w'&-]*\s+)+)stores?\b", after)
        if m:
            self.context.store_brand = m[1].strip()
            return m[1].strip(), f'store brand from "{m.group().strip()}"'
        if self.context.store_brand:
            return self.context.store_brand, "store brand from the stores named before"
        return self.context.company_name, "store brand: the company's name (the text names none)"

    def segment(
        self, sentence: Sentence, match: Match, figure: Figure
    ) -> tuple[str | None, str | None]:
        clause = sentence.clause_of(match.start)
        before = sentence.text[clause.start - sentence.start : match.start - sentence.start]
        # up to the metric's words or the figure, whichever comes first
        upto = sentence.text[
            clause.start - sentence.start : min(match.start, figure.start) - sentence.start
        ]
        name = None
        m = re.search(_SEGMENT_WORDS, before)
        if m and re.search(r"\d", upto[m.end() :]):
            # "Consumer business revenue rose 31.9 percent ... on shipments of 153 million
            # smartphones": the part named before an earlier figure is that figure's
            return None, None
        if m:
            # "The PC and Smart Device business", "the Digital Factory division": the whole
            # capitalised name, not its last word
            name = m[1] if " " in m[1] else m[1].capitalize() if m[1].lower() not in _STOP else None
            words = m.group()
        elif (m := re.fullmatch(r"\s*([A-Z][\w&-]+)\s+", before)) and self._is_thing(m[1]):
            # "Reported profit before tax", "Underlying revenue": how the figure is counted
            name = (
                None
                if m[1].lower() in _STOP
                or _COUNTED_AS.fullmatch(m[1])
                or m[1].lower() in WORLD_WORDS  # "Worldwide PC shipments": the world's
                else m[1]
            )
            words = m[1]
        if not name and (m := _SUBJECT_PART.match(sentence.text)):
            # "The Game & Network Services segment was the largest contributor, with sales up
            # 18.7 percent": the part the sentence is about, named as its subject
            between = sentence.text[m.end() : figure.start - sentence.start]
            named = m["name"] or m["apposed"]
            own = self.context.company_name.lower().split()[0]
            if not WHOLE_COMPANY.search(between) and not named.lower().startswith(own):
                name, words = named, m.group().rstrip(",")
        if not name:
            return None, None
        key = slug(f"{self.context.company_key}-{name}")
        self.context.segments.setdefault(
            key, {"key": key, "name": name, "company": self.context.company_key}
        )
        return key, f'segment from "{words}"'

    def attribution(self, sentence: Sentence) -> tuple[str | None, str | None]:
        """Who the sentence says gives its figures: "according to X", "X said", "X put"."""
        for span in names(sentence.text):
            name = re.sub(rf"^(?:(?:{_TITLES})\s+)+", "", span.text)
            start = span.end - len(name)
            if not name or not self._is_thing(name):
                continue
            if any(p["name"] == name for p in self.context.products.values()):
                continue
            if self._is_company(name):
                continue  # the company's own statement, not a third party's
            before, after = sentence.text[:start], sentence.text[span.end :]
            says = _SAYS.match(after)
            polled = _POLLED_BY.search(before) or _POLL_AFTER.match(after)
            if not (says or _ACCORDING.search(before) or polled):
                continue
            near = before[-40:]
            kind = (
                "analyst"
                if polled  # "analysts polled by Reuters", "in a Reuters poll": a consensus's
                else "executive"
                if re.search(rf"\b(?:{_TITLES})\b", near, re.I)
                else "analyst"
                # "above the 29.2 billion dollars analysts had expected on average, according
                # to Refinitiv": a poll of analysts, though not just before the name
                if re.search(r"\banalysts?\b", near, re.I)
                or (_ACCORDING.search(before) and re.search(r"\banalysts?\b", before[-80:], re.I))
                else "research_firm"
                if _ORGANISATION.search(near)
                else "other"
            )
            key = slug(name)
            known = key in self.context.attributions
            self.context.attributions.setdefault(key, {"key": key, "name": name, "kind": kind})
            if kind == "other" and not known:
                self.context.notes[f"attributions.{key}"] = "kind: the text does not say"
            words = (
                f"{name}{says.group()}"
                if says
                else polled.group().strip() + f" {name}"
                if polled and polled.re is _POLLED_BY
                else f"{name} poll"
                if polled
                else f"according to ... {name}"
            )
            return key, f'attribution from "{words}"'
        if m := re.search(rf"\b(?:the|its|our|a|an) ({_TITLES})\s+{_SAY}\b", sentence.text, re.I):
            key = slug(m[1])
            name = m[1][0].upper() + m[1][1:]
            self.context.attributions.setdefault(
                key, {"key": key, "name": name, "kind": "executive"}
            )
            return key, f'attribution from "{m.group()}"'
        return None, None

    def basis(
        self, figure: Figure, sentence: Sentence, metric: MetricSpec
    ) -> tuple[str, str | None]:
        if metric.target_of:
            return "target", None
        before = sentence.text[: figure.start - sentence.start]
        if m := _ANALYSTS_AFTER.match(sentence.text[figure.end - sentence.start :]):
            # "above the 29.2 billion dollars analysts had expected on average": their consensus
            return "consensus", f'basis from "{m.group().strip()}"'
        if m := _RESTATED.search(before):
            basis = "target" if _TARGET.search(m["what"]) else "expected"
            since = " (a figure since replaced)" if m["previous"] else ""
            return basis, f'basis from "{m.group().strip()}"{since}'
        # "... the 3.42 billion euros analysts had forecast, and the gross margin was 56.3
        # percent": a statement after ", and the" or ";" has its own verb, the cue before is not its
        joined = list(re.finditer(r",\s+and\s+(?:the|its)\b|;\s", before))
        own = joined[-1].end() if joined else 0
        cues = [
            (m.start(), b, m.group())
            for b, p in (("target", _TARGET), ("expected", _EXPECTED), ("planned", _PLANNED))
            for m in p.finditer(before, own)
        ]
        if cues:
            _, basis, word = max(cues)
            return basis, f'basis from "{word}"'
        return "reported", None

    def ahead(self, wording: str) -> bool:
        """A yearless wording whose next occurrence is nearer publication than its last one
        ("From April" in February): the figure is for a period to come."""
        published = self.context.published
        try:
            back = periods.resolve(wording, published)
            forth = periods.resolve(wording, published, forward=True)
        except periods.PeriodError:
            return False
        if back == forth or back.start_on is None or forth.start_on is None:
            return False
        # How long ago the last one ended (began, if it has no end) against how soon the next
        # begins: "the nine months to December" in January was reported, "from April" in
        # February lies ahead.
        since = (published - (back.end_on or back.start_on)).days
        if forth.start_on <= published:
            return False  # "during the year to end March" in May: begun, not to come
        return (forth.start_on - published).days < since


# What names a company beside its name: a legal form after it ("Acme Corp", "Tata Motors Ltd")
# or a company noun before or after it ("smartphone maker Xiaomi", "Nintendo, the company").
_LEGAL_FORM = re.compile(
    r"^,?\s+(?:Inc|Corp|Corporation|Ltd|Limited|Co|Company|plc|PLC|AG|SE|SA|NV|Group|Holdings)\b"
)
_LEGAL_FORMS = r"Inc|Corp|Corporation|Ltd|Limited|Co|plc|AG|SE|SA|NV|Holdings"
_OWN_LEGAL_FORM = re.compile(rf",?\s+(?:{_LEGAL_FORMS})\.?$", re.I)
_COMPANY_NOUN = (
    r"(?:company|maker|manufacturer|carmaker|automaker|group|firm|conglomerate|giant|retailer"
    r"|operator|carrier|bank|airline|lender|insurer|chain|brand)"
)
_COMPANY_BEFORE = re.compile(rf"\b{_COMPANY_NOUN}\s+$", re.I)
# The company said as "the company" at the end of its sentence: "..., the Stuttgart-based
# carmaker said on Wednesday".
_SAID_BY_IT = re.compile(
    rf",\s+the\s+(?:[\w-]+\s+){{0,3}}{_COMPANY_NOUN}\s+(?:said|reported|announced)\b", re.I
)
# A company reporting its own figures: "Nintendo said", "Apple reported", "BMW posted".
_REPORTS = re.compile(
    r"^\s+(?:said|says|reported|reports|posted|posts|announced|announces|forecast|expects)\b"
)
# A name right after a figure ("4.8 million Switch consoles", "41.0 million iPhones") or before a
# product noun ("Switch units") is a product the figure counts, not a company.
_AFTER_FIGURE = re.compile(r"\d(?:\s+(?:million|billion|thousand|trillion))?\s+$", re.I)
_PRODUCT_NOUNS = (
    r"units|consoles|devices|phones|smartphones|handsets|cars|vehicles|models|tablets|computers"
    r"|chips|chipsets|sets|machines"
)
_BEFORE_PRODUCT_NOUN = re.compile(rf"^\s+(?:{_PRODUCT_NOUNS})\b")


# A clause about a whole market: "Smartphone shipments in India grew", "the top five vendors
# took 75 percent of all shipments", "the world's second-largest smartphone market".
MARKET_WORDS = re.compile(
    r"\bmarkets?\b|\ball (?:shipments|sales)\b|\b(?:shipments|sales) in\b|\bindustry\b"
    r"|\bvendors\b|\bbrands\b|\bworldwide\b|\bglobal(?:ly)?\b",
    re.I,
)


# The sayer's own figure: "Acme said its share of the smartphone market rose".
_OWN_FIGURE = re.compile(r"\b(?:its|their|our|the (?:company|group|firm)'s)\b", re.I)
# A name and what it is, between commas, before its verb: "Inditex, the owner of Zara, said".
_APPOSITIVE = re.compile(r"^,\s[^,.\d]{1,60},")
# A currency code and a number: "CHF 89" of "CHF 89.8 billion".
_AMOUNT_NAME = re.compile(r"[A-Za-z]{2,3} \d+")


def company(body: str, begin: int, catalogue: Catalogue) -> tuple[str, str, bool] | None:
    """The company the article is about, how it was chosen, and whether the text opens with its
    own report: the one whose report opens it ("Tata Motors reported on Tuesday ...": not its
    subsidiary, named more often after), else the most named of named_companies (the earliest
    of equals)."""
    counts, first = named_companies(body, begin, catalogue)
    if not counts:
        return None
    most = min(counts, key=lambda n: (-counts[n], first[n]))
    text = body[begin:]
    opener = min(first, key=first.__getitem__)
    if first[opener] == len(text) - len(text.lstrip()):
        after = text[first[opener] + len(opener) :]
        sentence = re.split(r"[.!?](?!\d)", after, maxsplit=1)[0]
        # "Daimler's group EBIT fell ..., the Stuttgart-based carmaker said": its own figures
        own = after.startswith(("'s ", "\u2019s ")) and _SAID_BY_IT.search(sentence)
        if _REPORTS.match(_APPOSITIVE.sub("", after, count=1)) or own:
            if opener == most:
                return most, "company: the name the text mentions most", True
            return opener, f'company: its report opens the text ("{opener} ...")', True
    return most, "company: the name the text mentions most", False


def named_companies(
    body: str, begin: int, catalogue: Catalogue
) -> tuple[Counter[str], dict[str, int]]:
    """The names of companies the article mentions, how often (a mention as the subject of a
    sentence's "X said/reported/posted" or beside a legal form or company noun counting twice;
    months, regions, products (a name counted by a figure or before a product noun), sources of
    figures ("according to IDC") and common sentence-opening words left out)."""
    text = body[begin:]
    regions = {n for r in catalogue.regions for n in region_names(r)}
    vocabulary = _stems(" ".join(t for m in catalogue.metrics for t in [m.name, *m.aliases]))
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    sources: set[str] = set()
    for span in names(text):
        name = span.text
        before, after = text[: span.start], text[span.end :]
        opens = not before.strip() or bool(re.search(r"[.!?\n][\"'\u201d\u2019]?\s*$", before))
        reports = (
            opens
            and _REPORTS.match(_APPOSITIVE.sub("", after, count=1))
            and not _ORGANISATION.search(before[-40:])
        )
        polled = _POLLED_BY.search(before) or _POLL_AFTER.match(after)
        said = re.split(r"\d", re.split(r"[.!?](?!\d)", after)[0])[0]
        if reports and MARKET_WORDS.search(said) and not _OWN_FIGURE.search(said):
            # "TrendForce said ... revenue of the global IC design industry rose": a report on
            # a market (its words before the first figure, none of the sayer's own), its sayer
            # a research firm, where the text names others
            sources.add(name)
        if polled or (
            not reports and (re.match(rf"\s+{_SAY}\b", after) or _ACCORDING.search(before))
        ):
            if _ORGANISATION.search(before[-40:]):
                sources.add(name)  # "research firm Strategy Analytics said": a source
            continue  # a source of figures ("according to IDC", "Counterpoint put")
        if _AFTER_FIGURE.search(before) or _BEFORE_PRODUCT_NOUN.match(after):
            continue  # "4.8 million Switch consoles": a product
        head = name.split()[0]
        if _AMOUNT_NAME.fullmatch(name) and (head in CURRENCY_SIGNS or head in currencies()):
            continue  # "CHF 89.8 billion", "Rs 1": an amount, not a name
        head = name.split()[0]
        if re.search(rf"\b{re.escape(head.lower())}\b", text) or head.lower() in WORLD_WORDS:
            # "Revenue from ...": a word, not a name; "Worldwide PC shipments": no company
            name = name[len(head) :].strip()
        if not name or name in regions or name.split()[0].lower() in periods.MONTHS:
            continue
        if len(name.split()) == 1 and stem(name) in vocabulary:
            continue  # "Revenue was ...": the catalogue's word for a metric, not a name
        if name.split()[0].lower() in periods.WEEKDAYS or re.fullmatch(_TITLES, name, re.I):
            continue
        short = _without_legal_form(name)
        named = short != name or bool(_LEGAL_FORM.match(after) or _COMPANY_BEFORE.search(before))
        name = short
        counts[name] += 2 if reports or named else 1
        first.setdefault(name, span.start)
    # a name the text calls a research firm, or that opens a sentence saying a whole market's
    # figure, is the source of figures about others, not the company ("research firm Strategy
    # Analytics said ... Strategy Analytics expects more than 80 million smart speakers"), where
    # it names others
    if set(counts) - sources:
        for name in sources:
            counts.pop(name, None)
            first.pop(name, None)
    return counts, first


def _without_legal_form(name: str) -> str:
    """ "Samsung Electronics Co Ltd" -> "Samsung Electronics": the name the text uses after."""
    while (short := _OWN_LEGAL_FORM.sub("", name)) != name and short:
        name = short
    return name


def _resolve_label(context: Context, label: str) -> periods.Period | None:
    """A label ("FY2018-Q4", "2017-H1") as the loader reads it in the company's calendar."""
    try:
        return periods.resolve(
            label,
            context.published,
            fiscal_year_end_month=context.fiscal_year_end_month,
            fiscal_year_named_by=context.fiscal_year_named_by,
        )
    except periods.PeriodError:
        return None


def shift(period: periods.Period, fiscal_label: str | None, wording: str) -> str | None:
    """The label of the period a relative wording names, from the period it is relative to."""
    label = fiscal_label or period.label
    back_year = re.search(
        r"year[- ]ago|(?:a|one) year (?:earlier|ago|before)|prior year|last year", wording, re.I
    )
    if back_year:
        return re.sub(r"(\d{4})", lambda m: str(int(m[1]) - 1), label, count=1)
    if re.search(r"previous|prior|preceding|last", wording, re.I):
        if m := re.fullmatch(r"(FY)?(\d{4})-Q([1-4])", label):
            year, part = int(m[2]), int(m[3]) - 1
            if part == 0:
                year, part = year - 1, 4
            return f"{m[1] or ''}{year}-Q{part}"
        return None
    return label


def negate(figure: Figure) -> str:
    """A fall as a negative growth rate: "fell 10 percent" -> -10; bounds turn round."""
    value = figure.value or ""
    digits = re.sub(r"^[a-z ]+?(?=\d)", "", value)
    if figure.bound == "range" and figure.number is not None and figure.high is not None:
        return f"between {_plain(-figure.high)} and {_plain(-figure.number)}"
    flipped = {"at_least": "at most", "at_most": "at least"}
    if figure.bound in flipped:
        return f"{flipped[figure.bound]} -{digits}"
    return f"{value[: len(value) - len(digits)]}-{digits}"


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def scaled(figure: Figure, factor: Decimal) -> str | None:
    """A percent stated for a share (61 percent -> 0.61), or a fraction for a percent."""
    if figure.number is None:
        return figure.value
    value = _plain(round(figure.number * factor, 6))
    word = next((w for w in BOUND_WORDS if (figure.value or "").startswith(w + " ")), None)
    return f"{word} {value}" if word and figure.bound != "range" else value


def is_forward(basis: str) -> bool:
    return basis in FORWARD_BASES

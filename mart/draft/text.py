"""A source text as the drafter reads it: sentences, clauses, period wordings and names.

Period wordings are found by asking mart.periods, the loader's own grammar, about every short
run of words: what it resolves is a period, what it calls relative to another figure ("in the
year-ago quarter") is kept as such, the rest is not a period.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from mart import periods

QUOTES = "\"'\u201c\u201d\u2018\u2019"  # straight and curly quotation marks


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that end no sentence although a full stop follows them ("No. 2", "Inc.").
_ABBREVIATIONS = ("No", "Mr", "Mrs", "Ms", "Dr", "Inc", "Corp", "Co", "Ltd", "St", "vs", "Rs")
_SENTENCE_END = re.compile(
    rf"(?<=[.!?])[{QUOTES}]?\s+(?=[{QUOTES}]?[A-Z0-9$\u20ac\u00a3\u00a5\u20b9\u20a9])"
)
# A clause ends at a comma, semicolon, colon or bracket followed by a space, at "and that",
# "but", "while", or at "and" starting a clause with a subject of its own ("and it expects").
_CLAUSE_END = re.compile(
    r"[,;:]\s|\s[(\[]|[)\]]|\sand that\s|\sbut\s|\swhile\s|\s(?=and (?:it|he|she|we|they)\s)"
)
# "2017/18": one word, a fiscal year named by the two calendar years it spans
_WORD = re.compile(
    r"[A-Za-z0-9$\u20ac\u00a3\u00a5\u20b9\u20a9][\w'\u2019&-]*(?:[.,]\d+)*(?:/\d{2,4}\b)?"
)
_LONGEST_PERIOD = 8  # words: "in the fourth quarter of its fiscal 2019"
# A period wording starts with one of these, or follows one of the second set (or nothing).
_PREPOSITIONS = words(
    "in on for during over as from since until through by at of between to within"
)
# A period wording may not follow a modifier the grammar does not read ("until early June").
_MODIFIERS = words("early late mid middle end beginning start")
_SAYING = r"(?:said|says|announced|announces|released|reported|reports|told|added|disclosed)"
_SAID_NEAR = re.compile(rf"\b{_SAYING}\W*$|^\W*{_SAYING}\b")
_COMPARED = re.compile(r"\b(?:than|compared with|compared to|versus|vs\.?|from)\s*$", re.I)
# "doubled its shipments on the year": compared with a year earlier, not the figure's period
_ON_THE = re.compile(r"(?:on|over) the (?:year|quarter)", re.I)
_MONTH_OR_DAY = re.compile(r"\b(" + "|".join([*periods.MONTHS, *periods.WEEKDAYS]) + r")\b", re.I)
# Name-like tokens: capitalised (Xiaomi, Model), camel-case (iPhone), or a number or single
# capital following one inside a name (Model 3, Note 4, Model S).
_NAME_WORD = r"[A-Z][\w&.-]*[\w&]|[a-z]+[A-Z]\w*"
_NAME = re.compile(rf"(?:{_NAME_WORD}|[A-Z])(?:[ ](?:{_NAME_WORD}|[A-Z]\b|\d+\b))*")
_NAME_STOPWORDS = words(
    "the a an in on for as at by of from to during last this these those both moreover besides"
    " however meanwhile also and but according he she it we they our his her its their free"
    " next after before while since no"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PeriodSpan(Span):
    """A period wording; period is None where it is relative to another figure."""

    period: periods.Period | None
    is_statement_day: bool = False  # "said on Friday": the day it was said
    is_comparison: bool = False  # "than in Q1", "from the previous quarter"
    ends_on: date | None = None  # "..., which ended on July 1, 2017"
    needs_label: bool = False  # "the quarter ended June 30": write the label, not the words
    elsewhere: bool = False  # another sentence's wording: the label only, no period_wording


@dataclass
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    clauses: list[Span]
    periods: list[PeriodSpan]

    def clause_of(self, offset: int) -> Span:
        return next((c for c in self.clauses if c.start <= offset < c.end), self.clauses[-1])

    def fronted(self) -> PeriodSpan | None:
        """A period the sentence opens with, before its first comma ("Last year, ...")."""
        first = self.clauses[0]
        if len(self.clauses) < 2 or len(first.text.split()) > 8:
            return None
        return next(
            (p for p in self.periods if p.period and first.start <= p.start < first.end),
            None,
        )

    def main_period(self) -> PeriodSpan | None:
        """The sentence's own period: the fronted one, else its first plain period wording."""
        return self.fronted() or next(
            (
                p
                for p in self.periods
                if p.period and not p.is_statement_day and not p.is_comparison
            ),
            None,
        )

    def statement_day(self) -> PeriodSpan | None:
        return next((p for p in self.periods if p.is_statement_day), None)


def sentences(body: str, begin: int, published: date) -> list[Sentence]:
    """The body's sentences from offset begin (past the date line), with clauses and periods."""
    found: list[Sentence] = []
    for paragraph, block in enumerate(re.finditer(r"[^\n]+", body[begin:])):
        offset = begin + block.start()
        text = block.group()
        cuts = [0]
        for m in _SENTENCE_END.finditer(text):
            before = text[: m.start()].rstrip(".!?" + QUOTES)
            if before.split()[-1:] and before.split()[-1] in _ABBREVIATIONS:
                continue
            cuts.append(m.end())
        cuts.append(len(text))
        for a, b in itertools.pairwise(cuts):
            raw = text[a:b]
            stripped = raw.strip().strip(QUOTES).strip()
            if not stripped:
                continue
            start = offset + a + raw.index(stripped)
            found.append(_sentence(len(found), paragraph, start, stripped, published))
    return found


def _sentence(index: int, paragraph: int, start: int, text: str, published: date) -> Sentence:
    clauses: list[Span] = []
    last = 0
    for m in _CLAUSE_END.finditer(text):
        if text[last : m.start()].strip():
            clauses.append(Span(start + last, start + m.start(), text[last : m.start()]))
        last = m.end()
    if text[last:].strip():
        clauses.append(Span(start + last, start + len(text), text[last:]))
    return Sentence(index, paragraph, start, start + len(text), text, clauses, [])


def find_periods(
    sentence: Sentence, published: date, fiscal_year_end_month: int = 12, named_by: str = "end"
) -> None:
    """Every period wording of the sentence, leftmost-longest, as mart.periods reads it (in the
    company's fiscal calendar, once the text has said when its fiscal year ends)."""
    text, base = sentence.text, sentence.start
    words = list(_WORD.finditer(text))
    spans: list[PeriodSpan] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + _LONGEST_PERIOD) - 1, i - 1, -1):
            wording = text[words[i].start() : words[j].end()].rstrip(".,")
            found = _read_period(
                wording,
                text[: words[i].start()],
                published,
                j - i + 1,
                (
                    fiscal_year_end_month,
                    named_by,
                ),
            )
            if found is not False:
                spans.append(
                    PeriodSpan(
                        base + words[i].start(),
                        base + words[i].start() + len(wording),
                        wording,
                        found,
                    )
                )
                i = j
                break
        i += 1
    for k, span in enumerate(spans):
        before = text[: span.start - base]
        after = text[span.end - base :]
        said = bool(_SAID_NEAR.search(before[-14:]) or _SAID_NEAR.search(after[:14]))
        is_day = span.period is not None and span.period.grain == "day"
        spans[k] = PeriodSpan(
            span.start,
            span.end,
            span.text,
            span.period,
            is_statement_day=said and is_day,
            is_comparison=span.period is None
            or bool(_COMPARED.search(before) or _ON_THE.fullmatch(span.text)),
        )
    # "fiscal 2017 third quarter, which ended on July 1, 2017": the day is the period's end.
    merged: list[PeriodSpan] = []
    for span in spans:
        previous = merged[-1] if merged else None
        between = text[previous.end - base : span.start - base] if previous else ""
        if (
            previous is not None
            and previous.period is not None
            and span.period is not None
            and span.period.grain == "day"
            and re.fullmatch(r",?\s*(?:which|that)?\s*end(?:ed|s)", between.strip())
        ):
            merged[-1] = PeriodSpan(
                previous.start,
                previous.end,
                previous.text,
                previous.period,
                previous.is_statement_day,
                previous.is_comparison,
                span.period.end_on,
            )
            continue
        # "the fourth quarter of fiscal 2018, the three months ended July 28, 2018": the
        # calendar months restate the fiscal period, whose stated end they give
        if (
            previous is not None
            and previous.period is not None
            and previous.period.fiscal_label
            and span.period is not None
            and span.period.end_on is not None
            and between.strip() == ","
            and _RESTATED_SPAN.match(span.text)
        ):
            # (the span covers both, so no number of the restatement is a figure; its
            # wording is the fiscal one's)
            merged[-1] = replace(previous, end=span.end, ends_on=span.period.end_on)
            continue
        ending = _ending(previous, between, span, published) if previous else None
        if ending is not None and previous is not None:
            merged[-1] = PeriodSpan(
                previous.start,
                span.end,
                text[previous.start - base : span.end - base],
                ending,
                needs_label=True,
            )
            continue
        merged.append(span)
    sentence.periods = merged


# A calendar restatement of a fiscal period: "the three months ended July 28, 2018", "the year
# that ended on March 31, 2018".
_RESTATED_SPAN = re.compile(
    r"the (?:(?:three|six|nine|twelve|3|6|9|12) months|quarter|half|year) (?:that |which )?"
    r"(?:ended|ending|to)\b",
    re.I,
)


def _ending(
    previous: PeriodSpan, between: str, day: PeriodSpan, published: date
) -> periods.Period | None:
    """ "the quarter ended June 30, 2017": the calendar quarter, half or year that ends then."""
    grain = re.search(r"\b(quarter|half|year)$", previous.text.lower())
    if previous.period is not None or day.period is None or day.period.end_on is None:
        return None
    if not grain or not re.fullmatch(r"\s*(?:which |that )?end(?:ed|ing|s)\s*", between):
        return None
    end = day.period.end_on
    parts = {"quarter": ("Q", 4), "half": ("H", 2), "year": ("", 1)}[grain[1]]
    for year in (end.year, end.year - 1):
        for number in range(1, parts[1] + 1):
            wording = f"{parts[0]}{number} {year}" if parts[0] else str(year)
            try:
                return periods.resolve(wording, published, ends_on=end)
            except periods.PeriodError:
                continue
    return None


def _read_period(
    wording: str,
    before: str,
    published: date,
    length: int,
    fiscal: tuple[int, str] = (12, "end"),
) -> periods.Period | Literal[False] | None:
    """The period a wording names, None if it is relative to a figure, False if no period."""
    lowered = wording.lower()
    first = lowered.split()[0]
    previous = before.split()[-1].lower().strip(",;:(") if before.split() else ""
    if first not in _PREPOSITIONS and previous in _MODIFIERS:
        return False
    if length == 1 and (wording.isdigit() or lowered in ("now", "year")):
        return False
    bare = re.sub(r"^(?:(?:in|on|over|during|for|at|of)\s+)+", "", lowered)
    if bare == "year":
        return False  # "year on year"
    for name in _MONTH_OR_DAY.findall(wording):
        if not name[0].isupper():
            return False  # "may", "march" as verbs

    def resolve(forward: bool) -> periods.Period:
        return periods.resolve(
            wording,
            published,
            forward=forward,
            fiscal_year_end_month=fiscal[0],
            fiscal_year_named_by=fiscal[1],
        )

    try:
        return resolve(forward=False)
    except periods.UnnamedYearError as error:
        # "for the year": the year under way here; the article's year where it reports on a
        # year over (Drafter._the_year), else the loader's check refuses it: commented out.
        # "for the fiscal year" is no period: a longer wording or the sentence's says which.
        return False if error.fiscal else resolve(forward=True)
    except periods.PeriodError as error:
        if periods.RELATIVE_WORDING_HELP in str(error) and length > 1:
            return None
        return False
    except ValueError:
        return False


def names(text: str) -> list[Span]:
    """Name-like runs of words (Xiaomi, Greater China, Redmi Note 4), sentence words dropped."""
    found: list[Span] = []
    for m in _NAME.finditer(text):
        start, value = m.start(), m.group()
        tokens = value.split(" ")
        while tokens and (tokens[0].lower() in _NAME_STOPWORDS or tokens[0].isdigit()):
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        while tokens and tokens[-1].isdigit() and len(tokens) == 1:
            tokens = []
        if tokens:
            value = " ".join(tokens)
            if re.fullmatch(r"[A-Z]{1,2}", value) and text.startswith("$", start + len(value)):
                continue  # "US$21 million", "HK$": a currency sign, not a name
            found.append(Span(start, start + len(value), value))
    return found


def slug(name: str) -> str:
    """A key for a name: "Nestlé" -> "nestle" (accents dropped, not the letter)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:64] or "x"

"""Figures in a sentence: numbers with scale, bound and currency words, ranks, records.

A figure keeps its value as the source writes it ("23.16 million", "just over 22,000") in the
loader's own value grammar (mart.load.values' bound and scale words), so that the loader reads
the draft's value, bound and precision exactly as it reads a hand-written one.
"""

import importlib.util
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from mart.config import REPO_ROOT
from mart.load.values import MULTIPLE_PATTERN, VALUE_PATTERN
from mart.vocabulary import BOUND_WORDS, MULTIPLE_SUFFIXES, MULTIPLE_WORDS, PASSING_WORDS, SCALES

# Kinds of figure: what a value measures, before a metric is matched.
MONEY, PERCENT, FRACTION, RANK, RECORD, COUNT, MULTIPLE = (
    "money",
    "percent",
    "fraction",
    "rank",
    "record",
    "count",
    "multiple",
)

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = "|".join(SCALES)
_PERCENT = r"(?:percent|per cent|%|percentage points?)"
_GLUED_SCALE = "|".join(s for s in SCALES if len(s) <= 2)
# Written numbers; "one" only with a scale word ("one million"), as it is rarely a figure alone.
WORD_NUMBERS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
    "a hundred": 100,
    "hundred": 100,
}
FRACTIONS = {
    "half": Decimal("0.5"),
    "a third": Decimal(1) / 3,
    "a quarter": Decimal("0.25"),
    "two thirds": Decimal(2) / 3,
    "three quarters": Decimal("0.75"),
}
# Amounts without a number: a figure the source states, with no value to store.
VAGUE = ("thousands", "hundreds", "millions", "billions", "dozens", "tens of thousands")
ORDINALS = {
    w: n
    for n, w in enumerate(
        [
            "zeroth",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
        ]
    )
    if n
}
_ORDINAL = r"(?:" + "|".join(ORDINALS) + r"|\d+(?:st|nd|rd|th))"
_SUPERLATIVE = r"(?:largest|biggest|highest|top|best|most|leading|fastest|ranked)"
# Currency symbols and the informal names news use beside the ISO 4217 codes and names.
CURRENCY_SIGNS = {
    "US$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "HK$": "HKD",
    "A$": "AUD",
    "C$": "CAD",
    "S$": "SGD",
    "RMB": "CNY",
    "Rs": "INR",
    "Rs.": "INR",
    "yuan": "CNY",
}
# A bare currency word that several ISO currencies share means the most traded of them.
CURRENCY_WORD_DEFAULTS = {
    "dollar": "USD",
    "rupee": "INR",
    "pound": "GBP",
    "franc": "CHF",
    "peso": "MXN",
    "krona": "SEK",
    "krone": "NOK",
    "dinar": "KWD",
    "riyal": "SAR",
    "rial": "IRR",
    "shilling": "KES",
    "won": "KRW",
}


@dataclass(frozen=True)
class Figure:
    start: int  # offsets in the body, of the whole wording
    end: int
    wording: str
    kind: str
    value: str | None  # as the loader reads it: "about 14 trillion"; None: no figure to store
    number: Decimal | None  # base units, low end of a range
    high: Decimal | None = None
    bound: str = "exact"
    currency: str | None = None
    note: str | None = None  # what the value was read from, when it is not written as digits


@cache
def currencies() -> dict[str, str]:
    """ISO 4217 codes -> names, as the mart's unit table holds them (its migration's list)."""
    folder = REPO_ROOT / "migrations" / "versions"
    path = next(folder.glob("*_c3a8e5f1d303_*.py"))  # the revision that holds the list
    spec = importlib.util.spec_from_file_location("_mart_statements_revision", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.CURRENCIES)


@cache
def _currency_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern for the currency words after a figure, and what each word names."""
    words: dict[str, str] = {}
    last_words: dict[str, list[str]] = {}
    for code, name in currencies().items():
        lowered = name.lower()
        if "(" in lowered or len(lowered.split()) > 3:
            continue
        words[lowered] = code
        last_words.setdefault(lowered.split()[-1], []).append(code)
    for word, codes in last_words.items():
        exact = [c for c in codes if currencies()[c].lower() == word]
        chosen = exact[0] if exact else codes[0] if len(codes) == 1 else None
        chosen = CURRENCY_WORD_DEFAULTS.get(word, chosen)
        if chosen:
            words.setdefault(word, chosen)
    words.update({k.lower(): v for k, v in CURRENCY_SIGNS.items() if k.isalpha()})
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\s(?:{alternatives})(?:s|es)?\b", re.I), words


def _currency_after(text: str) -> tuple[str, str] | None:
    pattern, words = _currency_words()
    m = pattern.match(text)
    if not m:
        codes = re.match(r"\s([A-Z]{3})\b", text)
        if codes and codes[1] in currencies():
            return codes.group(), codes[1]
        return None
    word = m.group().strip().lower()
    for candidate in (word, word[:-2], word[:-1]):
        if candidate in words:
            return m.group(), words[candidate]
    return None


_SIGN = (
    "(?:" + "|".join(re.escape(s) for s in CURRENCY_SIGNS if not s.isalpha() and "." not in s) + ")"
)


def _currency_before(text: str) -> tuple[str, str] | None:
    signs = "|".join(re.escape(s) for s in sorted(CURRENCY_SIGNS, key=len, reverse=True))
    m = re.search(rf"(?:(?<![\w$])(?:{signs})\s?|\b([A-Z]{{3}})\s?)$", text)
    if not m:
        return None
    sign = m.group().strip()
    if m[1]:
        return (m.group(), m[1]) if m[1] in currencies() else None
    return (m.group(), CURRENCY_SIGNS[sign]) if sign in CURRENCY_SIGNS else None


def _bound_before(text: str) -> tuple[str, str] | None:
    words = "|".join(sorted(BOUND_WORDS, key=len, reverse=True))
    m = re.search(rf"\b({words})\s+$", text, re.I)
    return (m.group(), BOUND_WORDS[m[1].lower()]) if m else None


def _decimal(number: str, scale: str | None) -> Decimal:
    return Decimal(number.replace(",", "")) * SCALES.get((scale or "").lower(), 1)


def _value_text(bound_word: str | None, low: str, high: str | None = None) -> str:
    value = f"{bound_word} {low}" if bound_word else low
    value = f"between {low} and {high}" if high else value
    if not re.match(VALUE_PATTERN, value.lower().replace(",", "")):
        raise ValueError(f"not a value the loader reads: {value}")
    return value


def find(body: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[Figure]:
    """The figures of body[start:end], outside the taken spans (period wordings, names)."""
    text = body[start:end]
    found: list[Figure] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in [*taken, *((f.start, f.end) for f in found)])

    def add(figure: Figure) -> None:
        if free(figure.start, figure.end):
            found.append(figure)

    for figure in _records(text, start):
        add(figure)
    for figure in _multiples(text, start):
        add(figure)
    for figure in _ranks(text, start):
        add(figure)
    # a scale word after a space, or a short one glued to the digits: "€6.409bn", "€876m"
    number = rf"({_NUMBER}|{'|'.join(WORD_NUMBERS)})(?:\s+({_SCALE})|(?<=\d)({_GLUED_SCALE}))?"
    pattern = re.compile(
        # a currency code or sign may be glued to the digits: "RMB237,760 million", "USD36,387"
        rf"(?:(?<![\w.,-])|(?<=\b[A-Za-z]{{2}})|(?<=\b[A-Za-z]{{3}}))"
        rf"(?:between\s+{_SIGN}?{number}\s+(?:and|to)\s+{_SIGN}?|(?=\S)){number}"
        r"(?![\w-])"
        rf"(\s*{_PERCENT})?",
        re.I,
    )
    for m in pattern.finditer(text):
        if read := _number(body, start, text, m):
            add(read)
    for m in re.finditer(rf"\b(?:{'|'.join(FRACTIONS)}|{'|'.join(VAGUE)})\b(?![\w-])", text, re.I):
        word = m.group().lower()
        a, b = start + m.start(), start + m.end()
        if word in FRACTIONS:
            exact = FRACTIONS[word]
            value = str(round(exact, 6)).rstrip("0")
            add(Figure(a, b, m.group(), FRACTION, value, exact, note=m.group()))
        elif text[m.end() :].lstrip().startswith("of"):
            add(Figure(a, b, m.group(), COUNT, None, None, note=m.group()))
    return _passed(body, _ranges(body, sorted(found, key=lambda f: f.start)))


def _ranges(body: str, found: list[Figure]) -> list[Figure]:
    """ "6 to 8 percent", "7.3 billion to 7.4 billion pounds": one range, not two figures; "from
    X to Y" is a change, two figures."""
    merged: list[Figure] = []
    for figure in found:
        low = merged[-1] if merged else None
        if (
            low is None
            or body[low.end : figure.start] != " to "
            or _CHANGED.search(body[max(0, low.start - 12) : low.start])
            or low.bound != "exact"
            or figure.bound != "exact"
            or low.number is None
            or figure.number is None
            or low.kind not in (COUNT, figure.kind)
            or figure.kind not in (COUNT, MONEY, PERCENT)
        ):
            merged.append(figure)
            continue
        scale = _scale(low.value) or _scale(figure.value)
        digits = (low.value or "").split()[0]
        low_text = f"{digits} {scale}" if scale else digits
        high_text = " ".join((figure.value or "").split()[: 2 if scale else 1])
        number = _decimal(digits, scale)
        if number >= figure.number:
            merged.append(figure)
            continue
        merged[-1] = replace(
            figure,
            start=low.start,
            wording=body[low.start : figure.end],
            value=_value_text(None, low_text, high_text),
            number=number,
            high=figure.number,
            bound="range",
        )
    return merged


# "from 5 to 7 percent", "rose 2.4 billion to 17 billion": a change and a level, not a range.
_CHANGED = re.compile(
    r"\b(?:from|by|up|down|rose|fell|grew|increased|decreased|declined|jumped|climbed|dropped"
    r"|gained|slipped|added|lost)\s+$",
    re.I,
)


def _scale(value: str | None) -> str | None:
    parts = (value or "").split()
    return parts[1] if len(parts) > 1 and parts[1].lower() in SCALES else None


_PASSED = re.compile(rf"\b(?:{'|'.join(PASSING_WORDS)})\s+(?:the\s+)?$", re.I)


def _passed(body: str, found: list[Figure]) -> list[Figure]:
    """ "crossed 2 million", "passing the 40 million mark": at least that much."""
    out = []
    for figure in found:
        before = body[max(0, figure.start - 20) : figure.start]
        if figure.bound == "exact" and figure.value and (m := _PASSED.search(before)):
            value = _value_text("at least", figure.value)
            figure = replace(figure, value=value, bound="at_least", note=m.group().strip())
            if m.group().lower().endswith("the ") and figure.wording.endswith(" mark"):
                # "passing the 40 million mark": a level, not Bosnian marks
                end = figure.end - len(" mark")
                figure = replace(figure, end=end, wording=body[figure.start : end], kind=COUNT)
                figure = replace(figure, currency=None)
        out.append(figure)
    return out


def _number(body: str, start: int, text: str, m: re.Match[str]) -> Figure | None:
    low, low_scale, high, high_scale, percent = m[1], m[2] or m[3], m[4], m[5] or m[6], m[7]
    if low is None:  # one number, not "between X and Y"
        low, low_scale, high, high_scale = high, high_scale, None, None
    before, after = text[: m.start()], text[m.end() :]
    if re.search(r"[A-Za-z]$", before) and not _currency_before(before):
        return None  # letters glued to the digits that name no currency: "FY2018", "COVID19"
    minor = None if percent or high or low_scale else _MINOR_UNIT.match(after)
    code = CURRENCY_SIGNS_MINOR.get(minor["sign"] or "") if minor else None
    code = code or (_MINOR_UNITS[minor["unit"].lower()] if minor else None)
    if minor and code and low.lower() not in WORD_NUMBERS:
        # "20.5 pence": a hundredth of the currency, its value in the currency (0.205 GBP)
        a, b = start + m.start(), start + m.end() + len(minor.group())
        number = _decimal(low, None) / 100
        value = _value_text(None, format(number.normalize(), "f"))
        if (found := _bound_before(before)) and found[1] != "range":
            a = start + m.start() - len(found[0])
            value = _value_text(found[0].strip().lower(), format(number.normalize(), "f"))
            return Figure(a, b, body[a:b], MONEY, value, number, None, found[1], code, body[a:b])
        return Figure(a, b, body[a:b], MONEY, value, number, None, "exact", code, body[a:b])
    if low.lower() in WORD_NUMBERS:
        if low.lower() == "one" and not low_scale:
            return None
        if after.startswith("-") or before.endswith("-"):
            return None  # "one-time", "two-year"
    elif not (low_scale or percent or high):
        if re.fullmatch(r"(?:19|20)\d\d", low):
            return None  # a year outside a period wording
        if re.search(r"(?:^|\s)[A-Z][\w-]*\s$", before) and not _currency_before(before):
            return None  # Model 3, Redmi Note 4: part of a name ("EUR 7.12" is an amount)
        unit_like = re.match(r"\s(?:[a-z]+[A-Z]\w{0,2}|[A-Z]{2,3})(?=\s+[a-z]|\W*$)", after)
        if unit_like and not _currency_after(after):
            return None  # 100 kWh, 64 GB: a physical quantity, not a company figure
    a, b = start + m.start(), start + m.end()
    low_number, high_number = _word_number(low), _word_number(high) if high else None
    low_scale = low_scale or (high_scale if high else None)  # "between 49 and 52 billion"
    low_text = low_number + (f" {low_scale.lower()}" if low_scale else "")
    high_text = None
    if high_number:
        high_text = high_number + (f" {high_scale.lower()}" if high_scale else "")
    currency = None
    if high and (sign := re.match(rf"between\s+({_SIGN})", m.group())):
        currency = CURRENCY_SIGNS[sign[1]]  # "between $47.75 billion and $50.75 billion"
    if not percent and not currency:
        if found_after := _currency_after(after):
            b += len(found_after[0])
            currency = found_after[1]
        elif found_before := _currency_before(before):
            a -= len(found_before[0])
            before = before[: len(before) - len(found_before[0])]
            currency = found_before[1]
    bound_word, bound = None, "range" if high else "exact"
    if not high and (found := _bound_before(before)) and found[1] != "range":
        a -= len(found[0])
        bound_word, bound = found[0].strip().lower(), found[1]
    written_in_words = low.lower() in WORD_NUMBERS
    return Figure(
        a,
        b,
        body[a:b],
        PERCENT if percent else MONEY if currency else COUNT,
        _value_text(bound_word, low_text, high_text),
        _decimal(low_number, low_scale),
        _decimal(high_number, high_scale) if high_number else None,
        bound,
        currency,
        low if written_in_words else None,
    )


# A currency's hundredth after a figure ("20.5 pence", "35 US cents", "12 euro cents"); bare
# "cents" names no currency (dollars, euros and many more have cents).
_MINOR_UNITS = {"pence": "GBP", "penny": "GBP", "cents": None, "cent": None}
_MINOR_UNIT = re.compile(r"\s?(?:(?P<sign>US|euro)\s)?(?P<unit>pence|penny|cents?)\b", re.I)
CURRENCY_SIGNS_MINOR = {"US": "USD", "euro": "EUR"}
_MULTIPLIED = re.compile(
    r"\b(?:grew|grown|rose|risen|increased|jumped|climbed|surged|soared|expanded|up)\s+(?:by\s+)?$",
    re.I,
)


def _multiples(text: str, start: int) -> list[Figure]:
    """ "more than doubled", "nearly tripled", "2.5 times": a growth stated as a multiple, its
    value the words as written (the loader reads them as the rate, mart.load.values); the bound
    from the word before it ("more than doubled": at least +100 %)."""
    bounds = "|".join(sorted(BOUND_WORDS, key=len, reverse=True))
    multiples = "|".join(sorted(MULTIPLE_WORDS, key=len, reverse=True))
    suffixes = "|".join(MULTIPLE_SUFFIXES)
    pattern = re.compile(
        rf"\b(?:(?P<bound>{bounds})\s+)?(?:(?P<word>{multiples})\b"
        rf"|(?P<number>\d+(?:\.\d+)?)\s*-?\s*(?:{suffixes})\b(?!\s+(?:as|more|less|the)\b))",
        re.I,
    )
    found = []
    for m in pattern.finditer(text):
        value = m.group().lower()
        if not re.match(MULTIPLE_PATTERN, value):
            continue
        if m["number"] and not _MULTIPLIED.search(text[: m.start()]):
            continue  # "2.5 times" a growth only after a verb of growth ("grew 2.5 times")
        word = (m["bound"] or "").lower()
        bound = BOUND_WORDS[word] if word else "exact"
        if bound == "range":
            continue
        factor = Decimal(str(MULTIPLE_WORDS.get((m["word"] or "").lower(), m["number"] or 0)))
        found.append(
            Figure(
                start + m.start(),
                start + m.end(),
                m.group(),
                MULTIPLE,
                value,
                (factor - 1) * 100,
                bound=bound,
                note=m.group(),
            )
        )
    return found


def _word_number(word: str) -> str:
    return str(WORD_NUMBERS.get(word.lower(), word))


def _records(text: str, start: int) -> list[Figure]:
    pattern = re.compile(
        r"\b(?:a |new )?record(?:[- ]high)?s?\b|\ball-time high\b"
        r"|\b(?:highest|most|largest|biggest|best)\b[^.,;:]{0,60}?\bever\b",
        re.I,
    )
    return [
        Figure(start + m.start(), start + m.end(), m.group(), RECORD, "1", Decimal(1))
        for m in pattern.finditer(text)
    ]


_FUNCTION_WORDS = "of|and|or|to|in|on|at|for|is|was|were|are"


def _ranks(text: str, start: int) -> list[Figure]:
    found: list[Figure] = []

    def rank(m: re.Match[str], number: int, bound: str = "exact") -> None:
        value = f"up to {number}" if bound == "at_most" else str(number)
        found.append(
            Figure(
                start + m.start(),
                start + m.end(),
                m.group(),
                RANK,
                value,
                Decimal(number),
                bound=bound,
            )
        )

    def ordinal(word: str) -> int:
        word = word.lower()
        return ORDINALS[word] if word in ORDINALS else int(re.sub(r"\D", "", word))

    for m in re.finditer(r"\b(?:No\.|number|#)\s?(\d+)\b", text):
        rank(m, int(m[1]))
    for m in re.finditer(rf"\b({_ORDINAL})[- ](?:{_SUPERLATIVE})\b", text, re.I):
        rank(m, ordinal(m[1]))
    for m in re.finditer(
        rf"\b(?:rank(?:ed|s|ing)?|came|placed|finished|come)\s+(?:in\s+)?(?:the\s+)?({_ORDINAL})\b",
        text,
        re.I,
    ):
        rank(m, ordinal(m[1]))
    for m in re.finditer(rf"\bthe ({_ORDINAL}) (?!time|quarter|half|place\b)[a-z]+", text, re.I):
        rank(m, ordinal(m[1]))
    cardinals = "|".join(w for w in WORD_NUMBERS if " " not in w)
    for m in re.finditer(
        rf"\bthe ({cardinals}|\d)(?= [a-z]+\b)(?! [a-z]+s\b| (?:{_FUNCTION_WORDS})\b)",
        text,
    ):
        rank(m, int(_word_number(m[1])))  # "the two brand": a rank said as a cardinal
    for m in re.finditer(r"\btop[- ](\d+|" + "|".join(WORD_NUMBERS) + r")\b", text, re.I):
        rank(m, int(_word_number(m[1])), "at_most")
    for m in re.finditer(
        r"\bthe (?:largest|biggest|highest|top)(?:[- ](?:selling|shipped|sold|grossing))?\b", text
    ):
        if not re.match(r"[^.;:]{0,60}\bever\b", text[m.end() :]):
            rank(m, 1)
    return found

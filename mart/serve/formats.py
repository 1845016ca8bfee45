"""PostgreSQL's date/time format patterns (to_char, to_date, to_timestamp) as DuckDB SQL.

A pattern is cut into PostgreSQL's template patterns (formatting.c's keyword table, matched
longest first and case-sensitively, as PostgreSQL matches them) and literal text. to_char
becomes a concatenation of strftime() pieces and expressions; to_date and to_timestamp one
strptime() format. A template pattern or modifier without a faithful translation is refused
with 0A000 naming it: a silently different string is worse than an error.
"""

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from mart.serve.errors import SqlError

# PostgreSQL's keywords, longest first so that HH24 wins over HH and DDD over DD.
_KEYWORD_TEXT = (
    "A.D. A.M. AD AM B.C. BC CC DAY DDD DD DY Day Dy D FF1 FF2 FF3 FF4 FF5 FF6 FX HH24 "
    "HH12 HH IDDD ID IW IYYY IYY IY I J MI MM MONTH MON MS Month Mon OF P.M. PM Q RM SSSSS "
    "SSSS SS TZH TZM TZ US WW W Y,YYY YYYY YYY YY Y a.d. a.m. ad am b.c. bc cc day ddd dd "
    "dy d ff1 ff2 ff3 ff4 ff5 ff6 fx hh24 hh12 hh iddd id iw iyyy iyy iy i j mi mm month "
    "mon ms of p.m. pm q rm sssss ssss ss tzh tzm tz us ww w y,yyy yyyy yyy yy y"
)
_KEYWORDS = sorted(set(_KEYWORD_TEXT.split(" ")), key=len, reverse=True)
_PREFIXES = ("FM", "fm", "TM", "tm", "FX", "fx")
_SUFFIXES = ("TH", "th", "SP", "sp")

# Numeric keywords: (strftime spec, strftime spec with FM: no leading zeros).
_NUMERIC = {
    "yyyy": ("%Y", "%Y"),
    "mm": ("%m", "%-m"),
    "dd": ("%d", "%-d"),
    "ddd": ("%j", "%-j"),
    "hh": ("%I", "%-I"),
    "hh12": ("%I", "%-I"),
    "hh24": ("%H", "%-H"),
    "mi": ("%M", "%-M"),
    "ss": ("%S", "%-S"),
    "ms": ("%g", "%g"),
    "us": ("%f", "%f"),
    "ff3": ("%g", "%g"),
    "ff6": ("%f", "%f"),
    "iyyy": ("%G", "%G"),
    "iw": ("%V", "%-V"),
    "id": ("%u", "%u"),
}
# Keywords computed from parts of the value: (expression over $v, its width without FM).
_COMPUTED = {
    "yyy": ("right(strftime($v, '%Y'), 3)", 0),
    "yy": ("strftime($v, '%y')", 0),
    "y": ("right(strftime($v, '%Y'), 1)", 0),
    "y,yyy": (
        "substr(strftime($v, '%Y'), 1, length(strftime($v, '%Y')) - 3) || ',' "
        "|| right(strftime($v, '%Y'), 3)",
        0,
    ),
    "iyy": ("right(strftime($v, '%G'), 3)", 0),
    "iy": ("right(strftime($v, '%G'), 2)", 0),
    "i": ("right(strftime($v, '%G'), 1)", 0),
    "d": ("cast(dayofweek($v) + 1 as varchar)", 0),
    "q": ("cast(quarter($v) as varchar)", 0),
    "w": ("cast(cast(floor((day($v) - 1) / 7.0) as integer) + 1 as varchar)", 0),
    "ww": (
        "lpad(cast(cast(floor((dayofyear($v) - 1) / 7.0) as integer) + 1 as varchar), 2, '0')",
        2,
    ),
    "cc": ("lpad(cast(cast(floor((year($v) + 99) / 100.0) as integer) as varchar), 2, '0')", 2),
    "j": ("cast(cast(floor(julian($v)) as bigint) as varchar)", 0),
    "sssss": ("cast(hour($v) * 3600 + minute($v) * 60 + second($v) as varchar)", 0),
    "ssss": ("cast(hour($v) * 3600 + minute($v) * 60 + second($v) as varchar)", 0),
    "ff1": ("left(strftime($v, '%f'), 1)", 0),
    "ff2": ("left(strftime($v, '%f'), 2)", 0),
    "ff4": ("left(strftime($v, '%f'), 4)", 0),
    "ff5": ("left(strftime($v, '%f'), 5)", 0),
}
# Names: (strftime spec, padded width): PostgreSQL pads day and month names to 9 characters
# unless FM is given, and cases them as the keyword is cased (MONTH, Month, month).
_NAMES = {"month": ("%B", 9), "mon": ("%b", 0), "day": ("%A", 9), "dy": ("%a", 0)}
_MERIDIEM = {"am", "pm", "a.m.", "p.m."}
_SQL_QUOTE = re.compile(r"'")


def _literal(text: str) -> str:
    return "'" + _SQL_QUOTE.sub("''", text) + "'"


def _tokens(pattern: str) -> list[tuple[str, str, str, str]]:
    """(prefixes, keyword, suffix, literal text): one of keyword or literal text is empty."""
    tokens: list[tuple[str, str, str, str]] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == '"':  # quoted literal text; \" inside it is a quote
            end = i + 1
            text = []
            while end < len(pattern) and pattern[end] != '"':
                if pattern[end] == "\\" and end + 1 < len(pattern):
                    end += 1
                text.append(pattern[end])
                end += 1
            tokens.append(("", "", "", "".join(text)))
            i = end + 1
            continue
        if pattern[i] == "\\" and i + 1 < len(pattern) and pattern[i + 1] == '"':
            tokens.append(("", "", "", '"'))
            i += 2
            continue
        prefixes = ""
        while pattern.startswith(_PREFIXES, i):
            prefixes += pattern[i : i + 2].upper()
            i += 2
        keyword = next((k for k in _KEYWORDS if pattern.startswith(k, i)), "")
        if not keyword:
            if prefixes:  # a modifier before no keyword is literal text, as in PostgreSQL
                tokens.append(("", "", "", prefixes))
            if i < len(pattern):
                tokens.append(("", "", "", pattern[i]))
            i += 1
            continue
        i += len(keyword)
        suffix = ""
        if pattern.startswith(_SUFFIXES, i):
            suffix = pattern[i : i + 2].upper()
            i += 2
        tokens.append((prefixes, keyword, suffix, ""))
    return tokens


def _refuse(function: str, what: str) -> SqlError:
    return SqlError(
        "0A000",
        f"{function}() format pattern {what} is not supported by mart serve",
        hint="supported: YYYY YYY YY Y Y,YYY IYYY IY MM MON Mon MONTH Month DD DDD D ID DY Dy "
        "DAY Day HH HH12 HH24 MI SS MS US FF1-FF6 AM PM A.M. P.M. Q W WW IW CC J SSSS, "
        "FM, and quoted text",
    )


def to_char(value: str, pattern: str) -> str:
    """DuckDB SQL for to_char(value, 'pattern'); value is SQL text, used as $v."""
    pieces: list[str] = []
    spec: list[str] = []  # strftime text being gathered

    def flush() -> None:
        if spec:
            pieces.append(f"strftime({value}, {_literal(''.join(spec))})")
            spec.clear()

    def add(expression: str) -> None:  # one of the templates above, on the value
        flush()
        pieces.append(expression.replace("$v", value))

    for prefixes, keyword, suffix, text in _tokens(pattern):
        if text:
            spec.append(text.replace("%", "%%"))
            continue
        if suffix:
            raise _refuse("to_char", f'suffix "{suffix}" (in {keyword}{suffix})')
        fill = "FM" not in prefixes
        folded = keyword.lower()
        if folded in _NUMERIC:
            spec.append(_NUMERIC[folded][0 if fill else 1])
        elif folded in _NAMES:
            strftime_spec, width = _NAMES[folded]
            name = f"strftime($v, '{strftime_spec}')"
            if keyword.isupper():
                name = f"upper({name})"
            elif keyword.islower():
                name = f"lower({name})"
            if fill and width:
                name = f"rpad({name}, {width}, ' ')"
            add(name)
        elif folded in _MERIDIEM:
            meridiem = "strftime($v, '%p')"
            if "." in keyword:
                meridiem = f"(left({meridiem}, 1) || '.' || right({meridiem}, 1) || '.')"
            if keyword.islower():
                meridiem = f"lower({meridiem})"
            add(meridiem)
        elif folded in _COMPUTED:
            expression, width = _COMPUTED[folded]
            if not fill and width:
                expression = f"cast(cast({expression} as integer) as varchar)"
            add(f"({expression})")
        else:
            raise _refuse("to_char", f'"{keyword}"')
    flush()
    if not pieces:
        return "''"
    return " || ".join(pieces)


# to_date / to_timestamp: keywords strptime reads as PostgreSQL does.
_PARSED = {
    "yyyy": "%Y",
    "mm": "%m",
    "dd": "%d",
    "ddd": "%j",
    "hh": "%I",
    "hh12": "%I",
    "hh24": "%H",
    "mi": "%M",
    "ss": "%S",
    "ms": "%g",
    "us": "%f",
    "ff3": "%g",
    "ff6": "%f",
    "am": "%p",
    "pm": "%p",
    "mon": "%b",
    "month": "%B",
    "yy": "%y",
}


def strptime_format(function: str, pattern: str) -> str:
    """The strptime format for to_date/to_timestamp(text, 'pattern')."""
    spec: list[str] = []
    for prefixes, keyword, suffix, text in _tokens(pattern):
        if text:
            spec.append(text.replace("%", "%%"))
            continue
        if suffix or (prefixes and prefixes not in ("FM", "FX", "FMFX", "FXFM")):
            raise _refuse(function, f'"{prefixes}{keyword}{suffix}"')
        folded = keyword.lower()
        if folded not in _PARSED:
            raise _refuse(function, f'"{keyword}"')
        spec.append(_PARSED[folded])
    return "".join(spec)


# -- to_char of a number --------------------------------------------------------------------

# Template patterns of a number format (formatting.c's NUM keywords) and the ones translated.
_NUMBER_KEYWORDS = ("EEEE", "FM", "MI", "PL", "SG", "PR", "RN", "TH", "9", "0", ".", ",", "D", "G")
_NUMBER_LETTERS = re.compile(r"(?i)EEEE|FM|MI|PL|SG|PR|RN|TH|[DGSLVB]")
_NUMBER_REFUSED = ("EEEE", "MI", "PL", "SG", "PR", "RN", "TH", "S", "L", "V", "B")


def _unquoted(pattern: str) -> str:
    return re.sub(r'"(?:\\.|[^"\\])*"?', "", pattern)


def is_number_pattern(pattern: str) -> bool:
    """Whether to_char's pattern formats a number (9, 0, separators, FM, signs) rather than
    a date or time: digits, and no letters but a number format's."""
    rest = _unquoted(pattern)
    return bool(re.search("[90]", rest)) and not re.sub(
        r"[^A-Za-z]", "", _NUMBER_LETTERS.sub("", rest)
    )


def number_pattern(pattern: str) -> list[tuple[str, str]]:
    """The pattern as (kind, text) items: digit 9/0, point, group, or literal text; FM is a
    ("fm", "") item. Patterns without a faithful translation are refused by name."""
    items: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == '"':
            end = pattern.find('"', i + 1)
            end = len(pattern) if end < 0 else end
            items.append(("text", pattern[i + 1 : end].replace('\\"', '"')))
            i = end + 1
            continue
        upper = pattern[i : i + 4].upper()
        refused = next((k for k in _NUMBER_REFUSED if upper.startswith(k)), None)
        if refused is not None:
            raise _refuse("to_char", f'"{pattern[i : i + len(refused)]}" (of a number)')
        if upper.startswith("FM"):
            items.append(("fm", ""))
            i += 2
            continue
        if char in "90":
            items.append(("digit", char))
        elif char in ".Dd":
            items.append(("point", "."))
        elif char in ",Gg":
            items.append(("group", ","))
        else:
            items.append(("text", char))
        i += 1
    return items


def format_number(value: Decimal | None, items: list[tuple[str, str]], exact: bool) -> str | None:
    """to_char(number, pattern) as PostgreSQL's NUM_processor writes it, for the subset
    number_pattern() accepts: the value rounded to the pattern's decimals (half away from zero
    for numeric, as the float's exact value for double precision), digits right-aligned on
    the 9s and 0s (a 0 forces zeros from there on), a sign slot right before the first digit,
    ### when the integer part does not fit; FM drops the padding and the trailing zeros of
    the 9s after the point (not the point)."""
    if value is None:
        return None
    fill = not any(kind == "fm" for kind, _ in items)
    items = [item for item in items if item[0] != "fm"]
    point = next((n for n, (kind, _) in enumerate(items) if kind == "point"), len(items))
    before = [n for n, (kind, _) in enumerate(items) if kind == "digit" and n < point]
    after = [n for n, (kind, _) in enumerate(items) if kind == "digit" and n > point]
    rounding = ROUND_HALF_UP if exact else ROUND_HALF_EVEN
    rounded = value.quantize(Decimal(1).scaleb(-len(after)), rounding=rounding)
    negative = rounded < 0
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    if len(whole) > len(before):  # as PostgreSQL: every digit position a #
        return (" " if fill else "") + "".join(
            "#" if kind == "digit" else text for kind, text in items
        )
    if whole == "0" and after:
        whole = ""  # PostgreSQL writes 0.5 as .5 where a 9 stands for the zero
    zero_from = next((n for n in before if items[n][1] == "0"), len(items))
    lead = len(before) - len(whole)
    out: list[str] = []
    first = None  # where the first digit (or the point) went: the sign slot goes before it
    fraction_digits = iter(fraction)
    for n, (kind, text) in enumerate(items):
        if kind == "digit" and n < point:
            position = before.index(n)
            if position >= lead or n >= zero_from:
                first = len(out) if first is None else first
                out.append(whole[position - lead] if position >= lead else "0")
            else:
                out.append(" " if fill else "")
        elif kind == "digit":
            out.append(next(fraction_digits))
        elif kind == "group":
            out.append("," if first is not None else (" " if fill else ""))
        else:
            if kind == "point" and first is None:
                first = len(out)
            out.append(text)
    if not fill:  # FM: the 9s' trailing zeros after the point go
        for n in reversed(after):
            if items[n][1] != "9" or out[n] != "0":
                break
            out[n] = ""
    first = len(out) if first is None else first
    sign = "-" if negative else (" " if fill else "")
    return "".join(out[:first]) + sign + "".join(out[first:])

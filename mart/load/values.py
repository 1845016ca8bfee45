"""A value as written ("about 14 trillion", "nearly tripled") -> number, bound, precision,
and the interval of values it allows."""

import re
from collections.abc import Iterable

from mart.load.stage import Stage, _in, lit
from mart.vocabulary import (
    ABOUT_WORDS,
    BOUND_WORDS,
    CURRENCY_SIGNS,
    FLIPPED_BOUNDS,
    LOSS_WORDS,
    MULTIPLE_SUFFIXES,
    MULTIPLE_WORDS,
    SCALES,
)

# The value as written -> number, bound and stated precision. The precision is the place of the
# last digit written (23.16 million -> 10,000); for "about" figures, of the last significant
# digit (about 60 trillion -> 10 trillion): trailing zeros of a round figure say nothing.
_NUMBER = r"(-?[0-9]+(?:\.[0-9]+)?)"


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first, so that "lakh crore" wins over "lakh"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SCALE = rf"(?:\s*({_alternatives(SCALES)}))?"
_WORDS = _alternatives(BOUND_WORDS)
# A currency before the digits: a sign of CURRENCY_SIGNS, or any ISO 4217 code ("SEK 62.3
# billion", "CHF89.8 billion"): three letters, read as a code only if the mart's unit table
# holds that currency (else the value is unreadable).
_PLAIN_SIGN = _alternatives(CURRENCY_SIGNS)
_SIGN = _PLAIN_SIGN + "|[a-z]{3}"


def _value_pattern(sign: str) -> str:
    return (
        rf"^(?:({_alternatives(LOSS_WORDS)})\s+)?(?:({_WORDS})\s+)?(?:({sign})\s*)?{_NUMBER}"
        rf"{_SCALE}(?:\s*(?:and|to|-)\s*(?:({sign})\s*)?{_NUMBER}{_SCALE})?$"
    )


VALUE_PATTERN = _value_pattern(_SIGN)
# The same without the ISO codes, tried first: where it matches both read the same groups, and
# RE2 extracts them 4x faster (three letters make the pattern ambiguous: "abo" of "about"; at 1M
# values 0.44 s against 2.0 s, for each of the several reads of the staged rows).
_PLAIN_VALUE_PATTERN = _value_pattern(_PLAIN_SIGN)
_HIGH_PATTERN = rf"^(?:({_SIGN})\s*)?{_NUMBER}{_SCALE}$"
_VALUE_GROUP_NAMES = ("loss", "word", "sign", "low", "low_scale", "high_sign", "high", "high_scale")
_VALUE_GROUPS = "[" + ", ".join(f"'{g}'" for g in _VALUE_GROUP_NAMES) + "]"
# A value that is a plain number ("8068.000000", as machine-made files write them) needs no word
# parsing: its groups are the number alone. RE2's group extraction costs 0.3-1.2 s per million
# values, and grows with the vocabulary (one more bound word made it 3x slower, measured). The
# raw value is tested once (is_plain), and a plain one skips the multiple and the lowered text
# too: at 1M plain values, a read of bulk_fact_values 2.7-3.0 s -> 2.1-2.2 s (a loaded machine).
_PLAIN_NUMBER = f"^{_NUMBER}$"
# A multiple ("nearly tripled", "2.5 times"): read as the growth rate it states, its word kept.
MULTIPLE_PATTERN = (
    rf"^(?:({_WORDS})\s+)?(?:({_alternatives(MULTIPLE_WORDS)})|"
    rf"([0-9]+(?:\.[0-9]+)?)\s*-?\s*(?:{_alternatives(MULTIPLE_SUFFIXES)}))$"
)


def _number_only(text: str) -> str:
    """SQL: VALUE_PATTERN's groups for `text`, a plain number: the number is the low value."""
    fields = ", ".join(f"{g} := {text if g == 'low' else lit('')}" for g in _VALUE_GROUP_NAMES)
    return f"struct_pack({fields})"


def _multiple_factor(multiple: str) -> str:
    """SQL: the multiple a match of MULTIPLE_PATTERN states ("tripled" -> 3); NULL for none."""
    factors = " ".join(f"when {lit(w)} then {f}" for w, f in MULTIPLE_WORDS.items())
    return (
        f"coalesce(case {multiple}.name {factors} end, "
        f"try_cast(nullif({multiple}.number, '') as decimal(18, 6)))"
    )


def _multiple_as_growth(written: str, multiple: str) -> str:
    """SQL: the value text with a multiple written as its growth rate ("nearly tripled" ->
    "nearly 200"), from `multiple`, its match of MULTIPLE_PATTERN; any other text unchanged."""
    factor = _multiple_factor(multiple)
    rate = f"rtrim(rtrim(cast(cast(({factor} - 1) * 100 as decimal(24, 6)) as varchar), '0'), '.')"
    growth = f"ltrim({multiple}.word || ' ' || {rate})"
    return f"case when {factor} is not null then {growth} else {written} end"


def _scale(column: str) -> str:
    cases = " ".join(f"when {lit(word)} then {factor}" for word, factor in SCALES.items())
    return f"case {column} {cases} else 1 end"


def _word_bound(column: str, loss: str) -> str:
    """The bound a value's word gives; a loss ("a loss of more than 2 billion") or a fall
    ("nearly halved") flips it."""
    cases = " ".join(f"when {lit(w)} then {lit(b)}" for w, b in BOUND_WORDS.items())
    flips = " ".join(f"when {lit(b)} then {lit(f)}" for b, f in FLIPPED_BOUNDS.items())
    bound = f"case {column} {cases} end"
    return f"case when {loss} then (case {bound} {flips} else {bound} end) else {bound} end"


def _sign_currencies(column: str, currencies: Iterable[str]) -> str:
    """The ISO codes a currency written before the digits may stand for, as a list: a sign's
    (CURRENCY_SIGNS), else the code itself where it is one of `currencies`; NULL for none."""
    cases = " ".join(
        f"when {lit(sign)} then [{', '.join(lit(c) for c in codes)}]"
        for sign, codes in CURRENCY_SIGNS.items()
    )
    code = f"upper({column})"
    known = f"list_contains([{', '.join(lit(c) for c in sorted(currencies))}], {code})"
    return f"case {column} {cases} else (case when {known} then [{code}] end) end"


def _unknown_sign(column: str, currencies: Iterable[str]) -> str:
    """SQL: whether a sign was written (column, '' for none) that stands for no currency."""
    return f"({column} <> '' and {_sign_currencies(column, currencies)} is null)"


def _precision(mantissa: str, scale: str, significant: str) -> str:
    """10^(place of the last digit) x scale, in SQL, from the mantissa as written."""
    fraction = f"case when strpos({mantissa}, '.') > 0 then split_part({mantissa}, '.', 2) end"
    digits = f"coalesce(length(rtrim({fraction}, '0')), 0)"
    whole = f"split_part(ltrim({mantissa}, '-'), '.', 1)"
    zeros = f"(length({whole}) - length(rtrim({whole}, '0')))"
    written = f"coalesce(length({fraction}), 0)"
    place = (
        f"case when {significant} then (case when {digits} > 0 then -{digits} "
        f"when {whole} = '0' or rtrim({whole}, '0') = '' then 0 else {zeros} end) "
        f"else -{written} end"
    )
    return f"try(cast(pow(10, {place}) as decimal(38, 12)) * {scale})"


def _parse_values(stage: Stage, currencies: Iterable[str]) -> None:
    """bulk_fact_values: each raw row with value, value_high, bound and precision parsed.

    A loss ("a loss of 1,862 crore") is the negative figure: a range's ends swap, and the
    bound words flip (a loss of more than 2 billion is at most -2 billion). A currency written
    before the digits is kept as the codes it may stand for, for the unit check; `currencies`
    are the ISO codes the mart knows (its unit table).
    """
    written = "lower(trim(replace(f.value, ',', '')))"
    text = _multiple_as_growth(written, "f.multiple")
    high_text = "lower(trim(replace(f.value_high, ',', '')))"
    stage.relation(
        "bulk_fact_parsed",
        f"""
        select f.* exclude (multiple, is_plain),
            coalesce(f.multiple.name <> '' or f.multiple.number <> '', false) as is_multiple,
            -- A multiple below 1 is a fall: its bound words flip as a loss's do ("nearly
            -- halved" fell by at most half, a growth of at least -50 %).
            coalesce({_multiple_factor("f.multiple")} < 1, false) as is_fall,
            case when f.is_plain then {_number_only("f.value")}
                when regexp_full_match({text}, {lit(_PLAIN_NUMBER)}) then {_number_only(text)}
                when regexp_full_match({text}, {lit(_PLAIN_VALUE_PATTERN)})
                then regexp_extract({text}, {lit(_PLAIN_VALUE_PATTERN)}, {_VALUE_GROUPS})
                else regexp_extract({text}, {lit(VALUE_PATTERN)}, {_VALUE_GROUPS}) end as v,
            regexp_extract({high_text}, {lit(_HIGH_PATTERN)}, ['sign', 'high', 'high_scale'])
                as vh
        from (
            select r.*, case when r.is_plain
                then struct_pack(word := '', name := '', number := '')
                else regexp_extract(lower(trim(replace(r.value, ',', ''))),
                    {lit(MULTIPLE_PATTERN)}, ['word', 'name', 'number']) end as multiple
            from (
                select *,
                    coalesce(regexp_full_match(value, {lit(_PLAIN_NUMBER)}), false) as is_plain
                from bulk_fact_raw
            ) as r
        ) as f
    """,
    )
    low_scale = _scale("coalesce(nullif(p.v.low_scale, ''), nullif(p.v.high_scale, ''))")
    high_scale = _scale("nullif(p.v.high_scale, '')")
    given_high_scale = _scale("nullif(p.vh.high_scale, '')")
    low = f"""try(cast(cast(nullif(p.v.low, '') as decimal(38, 12)) * {low_scale}
        as decimal(24, 6)))"""
    high = f"""coalesce(
        try(cast(cast(nullif(p.v.high, '') as decimal(38, 12)) * {high_scale}
            as decimal(24, 6))),
        try(cast(cast(nullif(p.vh.high, '') as decimal(38, 12)) * {given_high_scale}
            as decimal(24, 6))))"""
    loss = "(p.v.loss <> '')"
    about = f"coalesce(p.v.word in {_in(ABOUT_WORDS)} or p.bound = 'about', false)"
    stage.relation(
        "bulk_fact_values",
        f"""
        select p.* exclude (v, vh),
            p.value is not null and p.v.low = '' as value_unreadable,
            p.value_high is not null and p.vh.high = '' as value_high_unreadable,
            -- Checked before the value's other checks (mart.load.rules): names the letters.
            case when {_unknown_sign("p.v.sign", currencies)} then upper(p.v.sign)
                when {_unknown_sign("p.v.high_sign", currencies)} then upper(p.v.high_sign)
                when {_unknown_sign("p.vh.sign", currencies)} then upper(p.vh.sign)
                end as unknown_currency,
            {_word_bound("p.v.word", f"({loss} or p.is_fall)")} as word_bound,
            p.v.high <> '' as has_high_words,
            case when {loss} then -coalesce({high}, {low}) else {low} end as value_number,
            case when {loss} then (case when {high} is not null then -{low} end)
                else {high} end as value_high_number,
            nullif(p.v.high, '') is not null or nullif(p.vh.high, '') is not null as high_given,
            {_sign_currencies("nullif(p.v.sign, '')", currencies)} as sign_currencies,
            nullif(p.v.sign, '') as value_sign,
            {_precision("nullif(p.v.low, '')", low_scale, about)} as precision_number
        from bulk_fact_parsed as p
    """,
    )


# The interval of values a statement allows, the one definition every agreement and check reads
# (stored with the statement): rounding of the stated digits (half a unit of the last one either
# way), "about" (half a unit of the last significant digit, by the precision above), at least,
# at most, and ranges.
_BOUND = (
    "coalesce(f.word_bound, case when f.has_high_words then 'range' end, f.bound, "
    "case when f.high_given then 'range' end, 'exact')"
)


def _interval(side: str) -> str:
    """SQL for the low or high end of the interval of the row's value, as bound and precision
    allow; NULL where the bound leaves that side open."""
    low = side == "low"
    rounding = f"f.value_number {'-' if low else '+'} coalesce(f.precision_number, 0) * 0.5"
    at_least, at_most = ("f.value_number", "null") if low else ("null", "f.value_number")
    range_end = "f.value_number" if low else "f.value_high_number"
    return (
        f"cast(case {_BOUND} when 'at_least' then {at_least} when 'at_most' then {at_most} "
        f"when 'range' then {range_end} else {rounding} end as decimal(24, 6))"
    )

"""What the loader, the views' checks, the drafter, the site and the server all name, once.

Bases and the claim each makes, bounds and their words, scales, currency signs, fiscal
namings, and the fact key: a second copy of any of these drifts (the fact key written out six
times is how a guidance range and an actual became a "dispute" in one view and not another).
"""

# What kind of figure a statement is.
# - reported: an actual figure of a closed period, as final; derived: one the source computed;
#   preliminary: a first estimate of a closed period (earnings guidance for a quarter already
#   over, a research firm's preliminary count), later revised by the final figure.
# - guidance: the company's own forecast of its own figure; consensus: analysts' expectation
#   (attributed to whoever compiled it); expected: anyone else's forecast; target: a goal;
#   planned: a plan of action.
ACTUAL_BASES = ("reported", "preliminary", "derived")
FORECAST_BASES = ("guidance", "consensus", "expected", "target", "planned")
BASES = (*ACTUAL_BASES, *FORECAST_BASES)
# Forward-looking bases place "on July 8" after publication rather than before. A consensus
# looks back like an actual: stories quote it beside the actual it is compared with ("analysts
# had expected"); a consensus for a period ahead names its year.
FORWARD_BASES = ("guidance", "expected", "target", "planned")
# Forecasts of a period still ahead when they are stated: one for a period that had ended is a
# fiscal year misnamed or an actual misfiled. (A consensus is quoted beside the actual it is
# compared with, after the period; a target or a plan, such as a dividend proposed for the year
# just ended, may name a past period.)
AHEAD_BASES = ("guidance", "expected")
# A preliminary figure is an early vintage of the actual: the same claim, revised by the final.
ACTUAL_CLAIM = "actual"

# How the value bounds the figure: "about 14 trillion", "more than 2 million", "up to 5",
# "between 49 and 52 billion" (value low, value_high high).
BOUNDS = ("exact", "about", "at_least", "at_most", "range")
# The words a value may carry, and the bound each gives ("more than 2 million": at_least).
BOUND_WORDS = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "c.": "about",  # circa, as brokers write it
    "more than": "at_least",
    "just over": "at_least",
    "just above": "at_least",
    "a touch over": "at_least",
    "a touch above": "at_least",
    "over": "at_least",
    "above": "at_least",
    "at least": "at_least",
    "upwards of": "at_least",
    "in excess of": "at_least",
    "nearly": "at_most",
    "almost": "at_most",
    "close to": "at_most",
    "just under": "at_most",
    "a touch under": "at_most",
    "a touch below": "at_most",
    "less than": "at_most",
    "fewer than": "at_most",
    "under": "at_most",
    "below": "at_most",
    "up to": "at_most",
    "at most": "at_most",
    "between": "range",
}
# A level a figure passed, in a text's words ("crossed 2 million", "passing the 40 million
# mark"): at least that much. Not value words: a value states the bound with BOUND_WORDS.
PASSING_WORDS = (
    "crossed",
    "crosses",
    "passed",
    "passing",
    "passes",
    "topped",
    "surpassed",
    "exceeded",
    "exceeds",
)
# Words whose bound is "about" also make the stated precision the last significant digit.
ABOUT_WORDS = tuple(word for word, bound in BOUND_WORDS.items() if bound == "about")
# A loss of a profit ("a loss of 1,862 crore") is the negative figure; its bound words flip.
LOSS_WORDS = ("a net loss of", "net loss of", "a loss of", "loss of", "lost")
FLIPPED_BOUNDS = {"at_least": "at_most", "at_most": "at_least"}
# A growth stated as a multiple of the earlier level ("doubled", "nearly tripled", "roughly
# fivefold", "halved", "2.5 times", "3x"): a growth rate of (multiple - 1) x 100 percent, with the
# bound its word gives ("more than doubled": at least +100 %). For growth metrics only.
MULTIPLE_WORDS = {
    "doubled": 2,
    "tripled": 3,
    "trebled": 3,
    "quadrupled": 4,
    "quintupled": 5,
    "halved": 0.5,
    "twofold": 2,
    "threefold": 3,
    "fourfold": 4,
    "fivefold": 5,
    "sixfold": 6,
    "sevenfold": 7,
    "eightfold": 8,
    "ninefold": 9,
    "tenfold": 10,
}
# After a number: "2.5 times", "5-fold", "3x".
MULTIPLE_SUFFIXES = ("fold", "times", "x")

# Scale words, in base units. Indian: a lakh is 100,000, a crore 10,000,000.
SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "lakh crore": 10**12,
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
    "bn": 10**9,
    "mn": 10**6,
    "m": 10**6,
    "k": 10**3,
}
# A currency written before the digits ("RMB12,345 million", "Rs 245 crore", "£9,870 million")
# and the ISO 4217 codes it may stand for; the fact's unit must be one of them.
CURRENCY_SIGNS = {
    "us$": ("USD",),
    "hk$": ("HKD",),
    "a$": ("AUD",),
    "$": ("USD",),
    "rmb": ("CNY",),
    "cny": ("CNY",),
    "rs.": ("INR",),
    "rs": ("INR",),
    "inr": ("INR",),
    "₹": ("INR",),
    "¥": ("JPY", "CNY"),
    "£": ("GBP",),
    "€": ("EUR",),
    "₩": ("KRW",),
    "usd": ("USD",),
    "eur": ("EUR",),
    "gbp": ("GBP",),
    "jpy": ("JPY",),
    "krw": ("KRW",),
}

# How a company names its fiscal years: by the calendar year they end in (Apple's FY2017 ends
# in September 2017; Indian FY18 ends in March 2018) or the one they start in (SoftBank's
# fiscal 2017 runs from April 2017 to March 2018).
FISCAL_NAMINGS = ("end", "start")

# The fact a statement states, the same for every statement of it by any source at any date.
# Statements of one fact are compared (agreement), superseded (vintages) and revised; two
# statements that differ in any part, the claim included, are different facts and never a
# dispute. Parts are the natural keys, so the key reads the same on every backend.
FACT_KEY_PARTS = (
    "company",
    "metric",
    "region",
    "product",
    "segment",
    "store_brand",
    "period",
    "unit",
    "claim",
    "attributed_to",
)

# A statement within one source: its fact, its basis (a preliminary and a final figure of one
# fact are two statements) and the day it was stated. One source states it once, or in several
# wordings that agree (the loader's rule).
STATEMENT_KEY_PARTS = (*FACT_KEY_PARTS, "basis", "stated_on")


def claim_sql(basis: str) -> str:
    """SQL for the claim a basis makes: actual for reported, preliminary and derived figures."""
    actual = ", ".join(f"'{b}'" for b in ACTUAL_BASES)
    return f"case when {basis} in ({actual}) then '{ACTUAL_CLAIM}' else {basis} end"


def fact_key_sql(parts: dict[str, str]) -> str:
    """SQL for the fact key from SQL expressions of its parts (natural keys, NULL allowed);
    `claim` may be omitted when `basis` is given. The same text on DuckDB and PostgreSQL."""
    expressions = {**parts}
    if "claim" not in expressions:
        expressions["claim"] = claim_sql(parts["basis"])
    return " || '|' || ".join(f"coalesce({expressions[p]}, '')" for p in FACT_KEY_PARTS)


# Who a source says gives a figure.
ATTRIBUTION_KINDS = ("company", "executive", "research_firm", "analyst", "regulator", "other")

# Words that name the whole world as a region or market ("Worldwide PC shipments", "global
# sales"): the catalogue's region of kind world.
WORLD_WORDS = ("worldwide", "global")

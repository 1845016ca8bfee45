"""Right or silent: why the drafter is not sure of a fact, so that it writes the fact commented
out with what it found, never its best guess as a loaded fact.

A fact is loaded only where the text itself says its metric (the metric's own words in the
figure's clause, naming what the metric counts), its period (a wording the figure's clause or
sentence gives, read with mart.periods and, for fiscal wordings, a fiscal year end the text
states), its company (see mart.draft.companies) and, for a forecast, whose forecast it is.
"""

import re

from mart.draft.facts import _EXPECTED, Context, Fact

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
_ANALYSTS = re.compile(r"\banalysts?\b|\bconsensus\b|\bWall Street\b", re.I)
_OWN = re.compile(r"\b(?:it|its|the company|the group|the firm|management)\b", re.I)
_PRELIMINARY = re.compile(r"\b(?:estimated|preliminary|estimates)\b", re.I)


def first(context: Context, fact: Fact) -> str | None:
    """Why the drafter is not sure of a fact (the first doubt), or None: load it. A forecast's
    basis is settled here (guidance, consensus or expected) where the text says whose it is."""
    for check in (_metric, _period, _basis, _attribution):
        if (doubt := check(context, fact)) is not None:
            return doubt
    return None


def _metric(context: Context, fact: Fact) -> str | None:
    note = fact.notes.get("metric", "")
    metric = fact.fields.get("metric")
    if note.startswith("metric from the words"):
        return f"not sure of the metric: {metric}, {note[len('metric from ') :]} only"
    if "does not say" in note and _YEAR.fullmatch(fact.label or ""):
        pass  # a year's growth: on the year before, whatever the words
    elif "does not name" in note and (m := _NOT_NAMED.search(note)) and _names(context, m[1]):
        pass  # the article names it: "Smartphone shipments in India grew ...", then vendors'
    elif "does not name" in note or "does not say" in note:
        return f"not sure of the metric: {metric}, {note}"
    clause = fact.sentence.clause_of(fact.figure.start)
    elsewhere = fact.metric_at is not None and not clause.start <= fact.metric_at < clause.end
    if elsewhere and not note.startswith("metric of the figure before"):
        return f"not sure of the metric: {metric}, {note} in another clause"
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
    if context.fiscal_year_end_month != 12 and not re.search(r"\d{4}|fiscal|FY", written, re.I):
        return f'not sure of the period: "{written}" has no year, in a fiscal calendar'
    label = fact.label or ""
    if context.fiscal_year_end_month != 12 and _YEAR.fullmatch(label) and label[:2] != "FY":
        return f"not sure of the period: the calendar year {fact.label}, in a fiscal calendar"
    if any(words in note for words in _GUESSED_PERIOD):
        return f"not sure of the period: {note}"
    wording = fact.fields.get("period_wording") or fact.fields.get("period") or ""
    at = fact.sentence.text.find(wording)
    if wording and at >= 0 and re.match(r"[/-]\d", fact.sentence.text[at + len(wording) :]):
        return f'not sure of the period: "{wording}" is cut from a longer wording'
    if context.fiscal_unknown and _PERIOD_LABEL.fullmatch(fact.label or ""):
        return (
            f"not sure of the period: {fact.label}, but the text names fiscal periods "
            f'("{context.notes["fiscal"]}") and not the month its fiscal year ends'
        )
    return None


def _basis(context: Context, fact: Fact) -> str | None:
    fields, sentence = fact.fields, fact.sentence
    before = sentence.text[: fact.figure.start - sentence.start]
    if fields.get("basis") == "reported" and _PRELIMINARY.search(before):
        fields["basis"] = "preliminary"
        fact.notes["basis"] = f'basis from "{_PRELIMINARY.search(before).group()}"'  # type: ignore[union-attr]
        return None
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
    if re.search(rf"\b{re.escape(company)}\b", lead) or _OWN.search(lead) or kind == "executive":
        fields["basis"] = "guidance"
        fact.notes["basis"] = f'basis: the company\'s own "{cue.group()}"'
        return None
    return f'not sure of the basis: "{cue.group()}" without saying whose forecast it is'


def _attribution(context: Context, fact: Fact) -> str | None:
    key = fact.fields.get("attributed_to")
    if key and context.attributions.get(key, {}).get("kind") == "other":
        return f"not sure of who gives the figure: {key} (the text does not say what it is)"
    return None

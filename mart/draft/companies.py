"""Several companies per report: the companies a text's clauses are about, and the company of
each figure (the subject of its clause, not the first company the text names)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mart.draft.facts import MARKET_WORDS, _without_legal_form
from mart.draft.text import Sentence, names, slug

# What a company does as a clause's subject: "Samsung stayed in first place", "Xiaomi shipped
# 9.2 million units", "Apple more than doubled its iPhone shipments", "Vivo, Oppo and Lenovo
# ranked third to fifth".
_ACTS = (
    r"stayed|remained|shipped|sold|ranked|took|held|kept|led|posted|reported|delivered|grew"
    r"|rose|fell|gained|lost|accounted|overtook|overtakes|came|climbed|slipped|dropped|moved"
    r"|more than (?:doubled|tripled)|doubled|tripled|has|had|is|was"
    r"|lifted|raised|increased|boosted|cut|reduced|earned|generated|made|saw"
)
_ACTING = re.compile(rf"^(?:'s)?\s+(?:also\s+|again\s+)?(?:{_ACTS})\b")
_PLACED = re.compile(r"\b(?:first|second|third|fourth|fifth|\w+th)[- ]placed\s+$", re.I)
_LIST_AFTER = re.compile(r"^(?:,\s+|\s+and\s+|,\s+and\s+)")
_PLACE_BEFORE = re.compile(r"\b(?:in|across|throughout|outside)\s+(?:the\s+)?$", re.I)
_NOT_A_COMPANY = re.compile(r"^(?:[A-Z]{2,4}\d+|Q[1-4]|H[12]|FY\d*|GAAP|CEO|CFO)\b")


@dataclass
class Companies:
    """The main company and every other one a clause of the text is about (name -> key)."""

    main_key: str
    main_name: str
    others: dict[str, str] = field(default_factory=dict)
    # names that begin with the main company's ("Vodafone Netherlands"): a part of it or a
    # company of its group, which the text does not say; not another company of the report
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def several(self) -> bool:
        return bool(self.others)

    def key_of(self, name: str) -> str | None:
        if _is_main(name, self.main_name):
            return self.main_key
        return self.others.get(name) or self.parts.get(name)

    def name_of(self, key: str) -> str:
        return next(
            (n for n, k in [*self.others.items(), *self.parts.items()] if k == key),
            self.main_name,
        )


def _is_main(name: str, main: str) -> bool:
    # "HP Inc." is HP: the name less its legal form
    lowered, own = _without_legal_form(name).lower(), main.lower()
    return lowered == own or lowered in own.split() or own.startswith(lowered + " ")


def find(
    sentences: list[Sentence], main_key: str, main_name: str, may_be: Callable[[str], bool]
) -> Companies:
    """The companies that act as a clause's subject ("Xiaomi shipped", "second-placed Xiaomi",
    "Vivo, Oppo and Lenovo ranked"), of the names may_be allows (the text's company names: no
    source of figures, region, month, person or product). A name with a digit is a product's
    ("Redmi Note 4", "Model 3")."""
    found = Companies(main_key, main_name)
    for sentence in sentences:
        spans = names(sentence.text)
        acting: list[str] = []
        for index, span in enumerate(spans):
            if _NOT_A_COMPANY.match(span.text) or re.search(r"\d", span.text):
                continue
            after, before = sentence.text[span.end :], sentence.text[: span.start]
            if _ACTING.match(after) or _PLACED.search(before):
                group = [span.text]
                # "Vivo, Oppo and Lenovo ranked": the names listed before it act with it
                back = index - 1
                while back >= 0:
                    between = sentence.text[spans[back].end : spans[back + 1].start]
                    if not _LIST_AFTER.match(between) or len(between) > 6:
                        break
                    group.append(spans[back].text)
                    back -= 1
                # "demand in EMEA, Japan and Latin America was offset": places, not subjects
                if not _PLACE_BEFORE.search(sentence.text[: spans[back + 1].start]):
                    acting += group
        for name in acting:
            if _is_main(name, main_name) or not may_be(name):
                continue
            if name.lower().startswith(main_name.split()[0].lower() + " "):
                found.parts.setdefault(name, slug(name))
            else:
                found.others.setdefault(name, slug(name))
    return found


def subject(companies: Companies, sentence: Sentence, offset: int) -> tuple[list[str], str]:
    """The companies named before offset in its clause (else the nearest one before it in the
    sentence), and where they were found: "clause" or "sentence"; none: ([], "")."""
    clause = sentence.clause_of(offset)
    named = [
        (sentence.start + s.start, key)
        for s in names(sentence.text)
        if (key := companies.key_of(s.text)) and sentence.start + s.start < offset
    ]
    in_clause = [key for start, key in named if start >= clause.start]
    if in_clause:
        return sorted(set(in_clause), key=in_clause.index), "clause"
    if named:
        return [named[-1][1]], "sentence"
    return [], ""


def is_market(sentence: Sentence, offset: int) -> bool:
    """A figure of a clause that names no company, in words of a whole market."""
    return bool(
        MARKET_WORDS.search(sentence.clause_of(offset).text) or MARKET_WORDS.search(sentence.text)
    )

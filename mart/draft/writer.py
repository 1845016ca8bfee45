"""A Draft -> the text of a fact file, laid out as the hand-written ones, guesses commented."""

import json
import re
from pathlib import Path

from mart.draft import Draft
from mart.draft.facts import Fact
from mart.seedfiles import FACT_FIELDS

# Plain scalars where they read back as the same text; anything else is double-quoted (JSON's
# escapes are YAML's). Flow mappings ({key: x, name: y}) also forbid commas and brackets.
_BLOCK_PLAIN = re.compile(r"-?[A-Za-z0-9(][^:#\n\"'`|>&*!%@]*(?<![\s])")
_FLOW_PLAIN = re.compile(r"[A-Za-z0-9(][^:#\n\"'`|>&*!%@,\[\]{}]*(?<![\s])")
_WORDS_YAML_READS = frozenset(["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"])


def scalar(value: str | int | None, flow: bool = False) -> str:
    if value is None:
        return "null"
    text = str(value)
    plain = _FLOW_PLAIN if flow else _BLOCK_PLAIN
    if plain.fullmatch(text) and text.lower() not in _WORDS_YAML_READS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _mapping(values: dict[str, str | int | None]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in values.items()) + "}"


def _comment(note: str | None) -> str:
    return f"  # guessed: {note}" if note else ""


def _fact_lines(fact: Fact) -> list[str]:
    lines = []
    for index, name in enumerate(f for f in FACT_FIELDS if f in fact.fields):
        value = fact.fields[name]
        if value is None and name not in ("value", "metric", "period"):
            continue
        shown = "?" if value is None and name in ("metric", "period") else scalar(value)
        lead = "- " if index == 0 else "  "
        lines.append(f"  {lead}{name}: {shown}{_comment(fact.notes.get(name))}")
    return lines


def write(draft: Draft, text_reference: str) -> str:
    context = draft.context
    out = [
        f"# Drafted by `mart draft` from {text_reference}: one fact per figure the text states.",
        "# Review every `# guessed:` line; a figure the drafter is not sure of is kept as a",
        "# commented-out block where it stands, with why (`# draft:`). Fill in the title.",
        "source:",
        f"  text: {scalar(text_reference)}",
        f"  title: {scalar(Path(text_reference).stem)}  # to fill in: the headline (the file name"
        " holds its place)",
        f"  published_on: {draft.published.isoformat()}",
        "",
        "companies:",
    ]
    company: dict[str, str | int | None] = {
        "key": context.company_key,
        "name": context.company_name,
    }
    if context.fiscal_year_end_month != 12:
        company["fiscal_year_end_month"] = context.fiscal_year_end_month
        company["fiscal_year_named_by"] = context.fiscal_year_named_by
    out.append(f"  - {_mapping(company)}{_comment(draft.company_note)}")
    for other in context.companies.values():
        out.append(f"  - {_mapping(dict(other))}  # guessed: a company a clause is about")
    for section, items in (
        ("products", context.products),
        ("segments", context.segments),
        ("attributions", context.attributions),
    ):
        if items:
            out += ["", f"{section}:"]
            for key, item in items.items():
                note = context.notes.get(f"{section}.{key}")
                out.append(f"  - {_mapping(dict(item))}{_comment(note)}")
    out += ["", "facts:"]
    for fact in draft.facts:
        lines = _fact_lines(fact)
        if fact.problem:
            out.append(f"  # draft: {fact.problem}")
            out += ["  #" + line[1:] for line in lines]
        else:
            out += lines
        out.append("")
    return "\n".join(out).rstrip() + "\n"

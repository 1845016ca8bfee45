"""How the site words things: values with their bound and unit, file names, highlighted spans.

Everything here returns plain text; the templates escape it (Jinja's autoescape), and
`script_json` makes data safe to embed in a page's <script> element.
"""

import hashlib
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

_SAFE_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
_UNSAFE = re.compile(r"[^a-z0-9]+")


def number(value: Decimal | int | float | None) -> str:
    """23160000.000000 -> 23,160,000; 13623529.410000 -> 13,623,529.41; None -> ''."""
    if value is None:
        return ""
    text = f"{Decimal(value):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def value(
    low: Decimal | None, high: Decimal | None, bound: str, unit: str, wording: str | None = None
) -> str:
    """A figure as a reader says it: 'at least 22,000 units', '49,000,000,000 to 52,000,... USD'.

    A statement with no figure (a plan to hire "thousands") shows its wording, or 'no figure'.
    """
    if low is None:
        return f"no figure ({wording})" if wording else "no figure"
    shown = number(low)
    if bound == "range":
        shown = f"{shown} to {number(high)}"
    elif bound == "about":
        shown = f"about {shown}"
    elif bound == "at_least":
        shown = f"at least {shown}"
    elif bound == "at_most":
        shown = f"at most {shown}"
    return f"{shown} {unit}"


def file_name(key: str) -> str:
    """A page's file name for a natural key: the key itself when it is a plain lower-case name,
    else a slug and a hash of the key (keys come from seed files: '../x', 'A b', 'Xiaomi' and
    'xiaomi' must neither escape the directory nor collide on a case-insensitive disk)."""
    if _SAFE_KEY.fullmatch(key):
        return f"{key}.html"
    slug = _UNSAFE.sub("-", key.lower()).strip("-")[:60] or "page"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}.html"


def script_json(data: Any) -> str:
    """JSON that may stand inside <script> in HTML: '<', '>' and '&' are written as escapes, so
    a seed's '</script>' cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(data: Any) -> Any:
    if isinstance(data, Decimal):
        return float(data)
    if hasattr(data, "isoformat"):
        return data.isoformat()
    raise TypeError(f"cannot write {type(data).__name__} as JSON")


@dataclass(frozen=True)
class Segment:
    """A run of a source's text and the facts whose quotes cover all of it (none: plain text)."""

    text: str
    facts: tuple[int, ...]
    starts: tuple[int, ...]  # facts whose quote begins here (their anchor)


def segments(body: str, quotes: Iterable[tuple[int, int, int]]) -> list[Segment]:
    """Cut a text at every quote's start and end: (fact id, start, end) -> segments in order.

    Quotes may nest or overlap; each segment lists every fact covering it, so a fact's highlight
    is the run of segments that list it. One sweep over the boundaries, not a scan per quote: a
    bulk source may state 100,000 facts.
    """
    events: dict[int, tuple[list[int], list[int]]] = {}
    for fact, start, end in quotes:
        if 0 <= start < end <= len(body):
            events.setdefault(start, ([], []))[0].append(fact)
            events.setdefault(end, ([], []))[1].append(fact)
    cuts = sorted({0, len(body), *events})
    active: set[int] = set()
    out = []
    for here, following in itertools.pairwise(cuts):
        opening, closing = events.get(here, ([], []))
        active.difference_update(closing)
        active.update(opening)
        out.append(Segment(body[here:following], tuple(sorted(active)), tuple(sorted(opening))))
    return out


def web_url(url: str | None) -> str | None:
    """A seed's address, if it is one a link may open: http(s) only, never javascript: or
    data: (escaping a URL does not make it harmless)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None

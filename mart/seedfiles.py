"""Seed files on disk -> validated specs: the catalogue and one fact file per source.

Every mistake becomes a SeedError that names the file, the line and the field, e.g.
    seeds/x.yaml:14: facts[2].metric: unknown metric 'shipmentz' (known: ...)
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from mart.config import CATALOGUE_NAME
from mart.db import MartError
from mart.models import BASES, FACT_TABLES, PRODUCT_KINDS, REGION_KINDS, UNITS

Loc = tuple[str | int, ...]
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion))?")
# libyaml's loader where PyYAML was built with it: 5x faster, same safe subset.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE_LINE = re.compile(r"\s*date (\d{4}-\d{2}-\d{2})\s")
BULK_DIMENSIONS = ("sources", "companies", "products")


class SeedError(MartError):
    """A seed file is wrong; the message is one line: file:line: field: what is wrong."""

    def __init__(self, path: Path, line: int | None, field: str, message: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


def parse_value(raw: Any) -> Decimal | None:
    """'23.16 million' -> 23160000, '7,071' -> 7071, 0.5 -> 0.5, None -> None."""
    if raw is None or isinstance(raw, Decimal):
        return raw
    if isinstance(raw, bool):
        raise ValueError("write 1 for yes and 0 for no")
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    if isinstance(raw, str) and (m := _NUMBER.fullmatch(raw.strip().replace(",", ""))):
        try:
            return Decimal(m[1]) * _SCALES.get(m[2] or "", 1)
        except InvalidOperation:
            pass
    raise ValueError(f"{raw!r} is not a number (write e.g. 23.16 million, 7,071 or 0.5)")


Value = Annotated[Decimal | None, BeforeValidator(parse_value)]
# YAML reads an unquoted 2016 as a number and 2017-07-07 as a date: both are period labels.
PeriodWording = Annotated[
    str, BeforeValidator(lambda v: v.isoformat() if isinstance(v, date) else str(v))
]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MetricSpec(Strict):
    key: Key
    name: str
    unit: Literal[(*UNITS, "currency")]  # type: ignore[valid-type]
    table: Literal[FACT_TABLES]  # type: ignore[valid-type]
    description: str
    ranked_by: str | None = None


class RegionSpec(Strict):
    key: Key
    name: str
    kind: Literal[REGION_KINDS]  # type: ignore[valid-type]


class Catalogue(Strict):
    metrics: list[MetricSpec]
    regions: list[RegionSpec]


class SourceSpec(Strict):
    text: str = Field(description="Path of the source text, relative to the fact file.")
    title: str
    publisher: str | None = None
    url: str | None = None
    is_summary: bool = False
    published_on: date | None = None


class CompanySpec(Strict):
    key: Key
    name: str


class ProductSpec(Strict):
    key: Key
    name: str
    company: Key
    kind: Literal[PRODUCT_KINDS]  # type: ignore[valid-type]


class FactSpec(Strict):
    metric: Key
    company: Key
    period: PeriodWording
    region: Key = "global"
    product: Key | None = None
    store_brand: str | None = None
    value: Value = None
    unit: str | None = None
    basis: Literal[BASES]  # type: ignore[valid-type]
    wording: str | None = None
    quote: str = Field(min_length=1)


class FactFile(Strict):
    source: SourceSpec
    companies: list[CompanySpec] = []
    products: list[ProductSpec] = []
    facts: list[FactSpec] = Field(min_length=1)


T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[T]):
    """A parsed document and a way back from a field path to its line in the file."""

    path: Path
    spec: T
    node: yaml.Node
    sha256: str

    def line(self, loc: Loc) -> int:
        return line_of(self.node, loc)

    def error(self, loc: Loc, message: str) -> SeedError:
        return SeedError(self.path, self.line(loc), field_name(loc), message)


def _walk(node: yaml.Node, loc: Loc) -> tuple[yaml.Node, int]:
    """The deepest node along loc that exists in the document, and how many parts it took."""
    depth = 0
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, depth = child, depth + 1
    return node, depth


def line_of(node: yaml.Node, loc: Loc) -> int:
    """1-based line of the deepest node along loc that exists in the document."""
    return _walk(node, loc)[0].start_mark.line + 1


def field_name(loc: Loc) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def read_yaml(path: Path, model: type[T]) -> Located[T]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SeedError(path, None, "", f"cannot read the file: {error.strerror}") from None
    text = raw.decode("utf-8", errors="replace")
    try:
        node = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)  # a safe loader, C or Python
    except yaml.YAMLError as c_error:
        problem_error: yaml.YAMLError = c_error
        try:  # the pure-Python parser words its errors better: let it say what is wrong
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as python_error:
            problem_error = python_error
        mark = getattr(problem_error, "problem_mark", None)
        problem = getattr(problem_error, "problem", None) or str(problem_error)
        line = mark.line + 1 if mark else None
        raise SeedError(path, line, "", f"malformed YAML: {problem}") from None
    if node is None or not isinstance(data, dict):
        raise SeedError(path, 1, "", "expected a YAML mapping (see README, 'Seeds')")
    try:
        spec = model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(p for p in first["loc"] if isinstance(p, str | int))
        depth = _walk(node, loc)[1]
        # Path parts past the document are pydantic's (validator names), except that a missing
        # or extra field is still a field name worth reporting.
        if depth < len(loc) and isinstance(loc[depth], str):
            depth += 1
        loc = loc[:depth] or loc
        message = first["msg"]
        if first["type"] == "literal_error":
            message = f"{first['input']!r} is not allowed: {message.lower()}"
        elif first["type"] == "value_error":
            message = str(first["ctx"]["error"])
        elif first["type"] == "missing":
            message = "missing (required)"
        elif first["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        raise SeedError(path, line_of(node, loc), field_name(loc), message) from None
    return Located(path, spec, node, hashlib.sha256(raw).hexdigest())


@dataclass(frozen=True)
class SourceText:
    path: Path
    body: str
    published_on: date
    sha256: str


def read_source_text(fact_file: Located[FactFile]) -> SourceText:
    """The source text a fact file points to; its first line carries the publication date."""
    path = fact_file.path.parent / fact_file.spec.source.text
    if not path.is_file():
        raise fact_file.error(("source", "text"), f"source text not found: {path}")
    raw = path.read_bytes()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise fact_file.error(
            ("source", "text"), f"{path} is not UTF-8 text (byte {error.start})"
        ) from None
    match = _DATE_LINE.match(body)
    if not match:
        raise fact_file.error(("source", "text"), f"{path} does not begin with 'date YYYY-MM-DD'")
    try:
        published = date.fromisoformat(match[1])
    except ValueError as error:
        raise fact_file.error(
            ("source", "text"), f"{path}: the date line is not a date: {error}"
        ) from None
    stated = fact_file.spec.source.published_on
    if stated and stated != published:
        raise fact_file.error(
            ("source", "published_on"), f"{stated} differs from the text's date line {published}"
        )
    return SourceText(path, body, published, hashlib.sha256(raw).hexdigest())


def fact_files_in(paths: list[Path]) -> list[Path]:
    """Fact files named directly, or found in the given directories: YAML, CSV and Parquet.

    In a directory, the catalogue and the bulk dimension tables (sources, companies, products)
    are not fact files.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir()
                if (p.suffix == ".yaml" and p.name != CATALOGUE_NAME)
                or (p.suffix in (".csv", ".parquet") and p.stem not in BULK_DIMENSIONS)
            )  # fmt: skip
        else:
            found.append(path)
    return found

"""Seed files on disk -> what the loader stages: the catalogue, and each fact file's rows.

A YAML fact file gives its header (source, companies, products, segments, attributions),
validated here, and its facts as rows of text: the checks every fact must pass are made on
those rows by mart.load, the same SQL as for CSV and Parquet rows. Every mistake becomes a
SeedError that names the file, the line and the field, e.g.
    seeds/x.yaml:14: facts[2].metric: unknown metric 'shipmentz' (known: ...)
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mart import yamlsafe
from mart.config import CATALOGUE_NAME
from mart.db import MartError
from mart.models import COMPARISONS, SHARE_WHOLES, SUBJECTS

Loc = tuple[str | int, ...]
_DATE_LINE = re.compile(r"\s*date (\d{4}-\d{2}-\d{2})\s")
BULK_DIMENSIONS = ("sources", "companies", "products", "segments", "attributions")
# The fields of a fact, in a YAML mapping or as the columns of a bulk file: name -> required.
FACT_FIELDS = {
    "metric": True,
    "company": False,  # one of company and market (mart.load.rules checks)
    "market": False,
    "period": True,
    "period_wording": False,
    "period_end": False,
    "region": False,
    "product": False,
    "segment": False,
    "store_brand": False,
    "attributed_to": False,
    "value": False,
    "value_high": False,
    "bound": False,
    "unit": False,
    "basis": True,
    "stated_on": False,
    "sum_of": False,
    "wording": False,
    "quote": True,
}
# Bulk files name their source on each row, and may give the quote's offset.
BULK_FACT_COLUMNS = {"source_key": True, **FACT_FIELDS, "quote_start": False}


class SeedError(MartError):
    """A seed file is wrong; the message is one line: file:line: field: what is wrong."""

    def __init__(self, path: Path, line: int | None, field: str, message: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
UnitKey = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=16)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UnitSpec(Strict):
    key: UnitKey
    name: str
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False


class KindSpec(Strict):
    key: Key
    description: str


class MetricSpec(Strict):
    key: Key
    name: str
    unit: UnitKey
    subject: Literal[SUBJECTS] = "metric"  # type: ignore[valid-type]
    description: str
    ranked_by: str | None = None
    aliases: list[str] = []
    as_of: bool = False
    growth_of: Key | None = None
    change_of: Key | None = None
    compared_with: Literal[COMPARISONS] | None = None  # type: ignore[valid-type]
    ratio_of: Annotated[list[Key], Field(min_length=2, max_length=2)] | None = None
    share_of: Key | None = None
    share_within: Literal[SHARE_WHOLES] | None = None  # type: ignore[valid-type]
    target_of: Key | None = None
    record_of: Key | None = None

    @model_validator(mode="after")
    def _relations(self) -> "MetricSpec":
        if self.growth_of and self.change_of:
            raise ValueError("a metric is a growth_of or a change_of another, not both")
        if (self.growth_of is None and self.change_of is None) != (self.compared_with is None):
            raise ValueError(
                "growth_of (or change_of) and compared_with go together (a growth rate or a "
                "change of what, compared with previous_period or year_earlier)"
            )
        if self.share_within and not self.share_of:
            raise ValueError("share_within is for shares: give share_of too")
        return self

    @property
    def share_whole(self) -> str | None:
        """What the share is of; a share that does not say is of the company's own total."""
        return self.share_within or ("company" if self.share_of else None)


class RegionSpec(Strict):
    key: Key
    name: str
    kind: Key


class Catalogue(Strict):
    units: list[UnitSpec] = []
    region_kinds: list[KindSpec] = []
    product_kinds: list[KindSpec] = []
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
    fiscal_year_end_month: int | None = Field(default=None, ge=1, le=12)
    fiscal_year_named_by: str | None = None  # checked by the loader, as in bulk files


class ProductSpec(Strict):
    key: Key
    name: str
    company: Key
    kind: Key


class SegmentSpec(Strict):
    key: Key
    name: str
    company: Key


class AttributionSpec(Strict):
    key: Key
    name: str
    kind: Literal["company", "executive", "research_firm", "analyst", "regulator", "other"]


class FactFileHeader(Strict):
    source: SourceSpec
    companies: list[CompanySpec] = []
    products: list[ProductSpec] = []
    segments: list[SegmentSpec] = []
    attributions: list[AttributionSpec] = []


T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[T]):
    """A validated document and a way back from a field path to its line in the file."""

    path: Path
    spec: T
    root: yamlsafe.Mapping
    sha256: str

    def line(self, loc: Loc) -> int:
        return line_of(self.root, loc)

    def error(self, loc: Loc, message: str) -> SeedError:
        return SeedError(self.path, self.line(loc), field_name(loc), message)


def _walk(root: yamlsafe.Value, loc: Loc) -> tuple[int, int]:
    """How many parts of loc exist in the document, and the line of the deepest (a key's line
    for a mapping's entry)."""
    node: Any = root
    line, depth = root.line, 0
    for part in loc:
        if isinstance(node, yamlsafe.Mapping) and isinstance(part, str) and part in node:
            line, node = node.key_lines[part], node[part]
        elif isinstance(node, yamlsafe.Sequence) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = node.line
        else:
            break
        depth += 1
    return depth, line


def line_of(root: yamlsafe.Value, loc: Loc) -> int:
    """1-based line of the deepest value along loc that exists in the document."""
    return _walk(root, loc)[1]


def field_name(loc: Loc) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def _read_document(path: Path) -> tuple[yamlsafe.Mapping, str]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SeedError(path, None, "", f"cannot read the file: {error.strerror}") from None
    try:
        root = yamlsafe.read(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise SeedError(path, None, "", f"not UTF-8 text (byte {error.start})") from None
    except yamlsafe.YamlError as error:
        raise SeedError(path, error.line, "", error.message) from None
    if not isinstance(root, yamlsafe.Mapping):
        raise SeedError(path, 1, "", "expected a YAML mapping (see README, 'Seeds')")
    return root, hashlib.sha256(raw).hexdigest()


def _validate(path: Path, root: yamlsafe.Mapping, model: type[T], sha256: str) -> Located[T]:
    try:
        data = yamlsafe.to_python(root)
    except yamlsafe.YamlError as error:
        raise SeedError(path, error.line, "", error.message) from None
    try:
        spec = model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(p for p in first["loc"] if isinstance(p, str | int))
        # Path parts past the document are pydantic's (validator names), except that a missing
        # or extra field is still a field name worth reporting.
        depth = _walk(root, loc)[0]
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
        raise SeedError(path, line_of(root, loc), field_name(loc), message) from None
    return Located(path, spec, root, sha256)


def read_catalogue(path: Path) -> Located[Catalogue]:
    root, sha256 = _read_document(path)
    catalogue = _validate(path, root, Catalogue, sha256)
    spec = catalogue.spec
    sections: list[tuple[str, list[Any]]] = [
        ("units", spec.units),
        ("region_kinds", spec.region_kinds),
        ("product_kinds", spec.product_kinds),
        ("metrics", spec.metrics),
        ("regions", spec.regions),
    ]
    for section, items in sections:
        unique_keys(catalogue, section, [item.key for item in items])
    metrics = {m.key for m in spec.metrics}
    for index, metric in enumerate(spec.metrics):
        for relation in ("growth_of", "change_of", "share_of", "target_of", "record_of"):
            related = getattr(metric, relation)
            if related is not None and related not in metrics:
                raise catalogue.error(
                    ("metrics", index, relation), f"{related!r} is not a metric of the catalogue"
                )
        for position, related in enumerate(metric.ratio_of or []):
            if related not in metrics:
                raise catalogue.error(
                    ("metrics", index, "ratio_of", position),
                    f"{related!r} is not a metric of the catalogue",
                )
    return catalogue


def unique_keys(document: Located[Any], section: str, keys: list[str]) -> set[str]:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise document.error((section, index, "key"), f"{key!r} is declared twice")
        seen.add(key)
    return seen


@dataclass(frozen=True)
class SourceText:
    path: Path
    body: str
    published_on: date
    sha256: str


@dataclass(frozen=True)
class YamlFacts:
    """One YAML fact file: its validated header, its source text, and its facts as rows."""

    header: Located[FactFileHeader]
    text: SourceText
    facts: list[yamlsafe.Mapping]

    @property
    def path(self) -> Path:
        return self.header.path

    def fact_line(self, index: int, field: str) -> int:
        fact = self.facts[index]
        return fact.key_lines.get(field, fact.line)

    def rows(self) -> dict[str, list[Any]]:
        """The facts as columns of text (None where absent or null), one row per fact."""
        columns: dict[str, list[Any]] = {name: [] for name in FACT_FIELDS}
        columns["yaml_index"] = []
        columns["row_number"] = []
        for index, fact in enumerate(self.facts):
            for name in FACT_FIELDS:
                scalar = fact.get(name)
                columns[name].append(
                    None
                    if scalar is None or yamlsafe.is_null(scalar)  # type: ignore[arg-type]
                    else scalar.text  # type: ignore[union-attr]
                )
            columns["yaml_index"].append(index)
            columns["row_number"].append(fact.line)
        return columns


def read_fact_file(path: Path, allow_outside_texts: bool = False) -> YamlFacts:
    """A YAML fact file: header validated, each fact a mapping of scalars with known fields."""
    root, sha256 = _read_document(path)
    raw_facts = root.get("facts")
    header_root = yamlsafe.Mapping(root.line)
    for key, value in root.items():
        if key != "facts":
            header_root[key] = value
            header_root.key_lines[key] = root.key_lines[key]
    header = _validate(path, header_root, FactFileHeader, sha256)
    header = Located(path, header.spec, root, sha256)
    if not isinstance(raw_facts, yamlsafe.Sequence) or not raw_facts:
        line = root.key_lines.get("facts", root.line)
        what = "missing (required)" if raw_facts is None else "expected a list of facts"
        raise SeedError(path, line, "facts", what)
    facts: list[yamlsafe.Mapping] = []
    for index, fact in enumerate(raw_facts):
        if not isinstance(fact, yamlsafe.Mapping):
            raise header.error(("facts", index), "expected a mapping of fields (metric: ...)")
        for name, value in fact.items():
            loc: Loc = ("facts", index, name)
            if name not in FACT_FIELDS:
                raise header.error(loc, "unknown field (check the spelling)")
            if not isinstance(value, yamlsafe.Scalar):
                raise header.error(loc, "expected a single value, not a list or a mapping")
            if name == "value" and value.plain and value.text.lower() in _BOOLEANS:
                raise header.error(loc, "write 1 for yes and 0 for no")
        facts.append(fact)
    return YamlFacts(header, read_source_text(header, allow_outside_texts), facts)


_BOOLEANS = frozenset(("yes", "no", "true", "false", "on", "off", "y", "n"))


def read_source_text(fact_file: Located[FactFileHeader], allow_outside: bool = False) -> SourceText:
    """The source text a fact file points to; its first line carries the publication date.

    It must lie in the fact file's directory tree and not be reached through a symlink, unless
    the caller allows it (`mart seed --allow-outside-texts`): a fact file from elsewhere must
    not make the mart read any file on the machine into a source body.
    """
    loc = ("source", "text")
    folder = fact_file.path.parent
    path = folder / fact_file.spec.source.text
    if not path.is_file():
        raise fact_file.error(loc, f"source text not found: {path}")
    from mart.freshness import misplaced_text  # the rule `mart seed`'s digest check shares

    if not allow_outside and (how := misplaced_text(folder, path)):
        raise fact_file.error(
            loc,
            f"{path} is {how}: keep source texts beside their fact files, "
            "or pass --allow-outside-texts",
        )
    raw = path.read_bytes()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise fact_file.error(loc, f"{path} is not UTF-8 text (byte {error.start})") from None
    # A byte-order mark (as Windows editors save UTF-8) is no part of the text: offsets count
    # from the character after it.
    body = body.removeprefix("\ufeff")
    match = _DATE_LINE.match(body)
    if not match:
        raise fact_file.error(loc, f"{path} does not begin with 'date YYYY-MM-DD'")
    try:
        published = date.fromisoformat(match[1])
    except ValueError as error:
        raise fact_file.error(loc, f"{path}: the date line is not a date: {error}") from None
    stated = fact_file.spec.source.published_on
    if stated and stated != published:
        raise fact_file.error(
            ("source", "published_on"), f"{stated} differs from the text's date line {published}"
        )
    return SourceText(path, body, published, hashlib.sha256(raw).hexdigest())


def is_bulk(path: Path) -> bool:
    return path.suffix in (".parquet", ".csv") and path.stem not in BULK_DIMENSIONS


def fact_files_in(paths: list[Path]) -> list[Path]:
    """Fact files named directly, or found in the given directories: YAML, CSV and Parquet.

    In a directory, the catalogue and the bulk dimension tables (sources, companies, ...) are
    not fact files.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if (p.suffix == ".yaml" and p.name != CATALOGUE_NAME) or is_bulk(p)
            )
        else:
            found.append(path)
    return found

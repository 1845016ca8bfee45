"""YAML text -> plain values that remember their line, in one pass, refusing hostile input.

Fact files are read from libyaml's event stream (one pass, no node tree, no construction), with
an explicit stack, so nothing recurses however deep the input. What fact files never need is
refused with one line each: anchors and aliases (billion laughs), tags (`!!python/object`),
duplicate keys, non-scalar keys, merge keys, more than one document, nesting deeper than
MAX_DEPTH. Scalars stay text: YAML's implicit types (YAML 1.1, as yaml.SafeLoader resolves them)
are applied only on request, by to_python and is_null, so reading a million facts costs no
resolution at all.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from sys import intern
from typing import Any, NoReturn, TypeAlias, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

# libyaml's parser where PyYAML was built with it (several times faster); only its events are
# used, so the loader's constructor and resolver never run here.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 32
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_NO_KEYS: frozenset[str] = frozenset()
_STR_TAG = "tag:yaml.org,2002:str"
_VALUE_TAG = "tag:yaml.org,2002:value"
# The Python parser reads about 0.5 MB/s: past this many characters before the error (about a
# second's wait), the message keeps libyaml's wording.
_REWORD_LIMIT = 500_000
_KEY = re.compile(r"\s*(?:-\s+)*([^\s#'\"][^:#]*?)\s*:(?:\s|$)")


class YamlError(ValueError):
    """Input refused: str(error) is one line, `line N: what is wrong`."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar as written (after quoting and escapes), its 1-based line, and whether unquoted."""

    text: str
    line: int
    plain: bool


class Mapping(dict[str, "Value"]):
    """A YAML mapping: keys are the key scalars' text, in the file's order."""

    __slots__ = ("key_lines", "line", "quoted_keys")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        # Keys written in quotes stay str in to_python; plain keys resolve like plain values.
        self.quoted_keys: frozenset[str] = _NO_KEYS


class Sequence(list["Value"]):
    """A YAML sequence."""

    __slots__ = ("line",)

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line


Value: TypeAlias = Scalar | Mapping | Sequence


def is_null(s: Scalar) -> bool:
    """True for an unquoted null: empty, ~, null, Null or NULL."""
    return s.plain and s.text in _NULLS


def _refuse_anchor_or_tag(event: Any) -> NoReturn:
    line = event.start_mark.line + 1
    if event.anchor is not None:
        raise YamlError(
            line, "YAML anchors and aliases (&name, *name) are not allowed in fact files"
        )
    raise YamlError(line, "YAML tags (!...) are not allowed in fact files")


def read(text: str) -> Value | None:
    """The document in `text`, or None when there is none (empty, or comments only).

    Raises YamlError, one line, for malformed or refused input.
    """
    try:
        parser = _LOADER(text)
    except UnicodeEncodeError as error:  # a lone surrogate: not text libyaml can read
        line = text.count("\n", 0, error.start) + 1
        raise YamlError(line, f"malformed YAML: {error.reason}") from None
    try:
        return _build(parser.get_event)
    except yaml.MarkedYAMLError as error:
        raise _malformed(error, text) from None
    except yaml.reader.ReaderError as error:  # a control character; libyaml counts bytes
        line = text.encode()[: error.position].count(b"\n") + 1
        raise YamlError(line, f"malformed YAML: {error.reason} (#x{error.character:04x})") from None
    finally:
        parser.dispose()


def _build(next_event: Callable[[], Any]) -> Value | None:
    root: Value | None = None
    documents = 0
    # The innermost open collection is `mapping` or `sequence` (the other is None); in a
    # mapping, `key` is the key awaiting its value (None: the next scalar is a key). The outer
    # levels wait in `stack`. No recursion, so no depth can overflow Python's or C's stack.
    stack: list[tuple[Mapping | None, Sequence | None, str | None]] = []
    mapping: Mapping | None = None
    sequence: Sequence | None = None
    key: str | None = None
    value: Value
    while True:
        event = next_event()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_anchor_or_tag(event)
            line = event.start_mark.line + 1
            if mapping is not None:
                if key is not None:
                    mapping[key] = Scalar(event.value, line, event.implicit[0])
                    key = None
                    continue
                key = intern(event.value)  # one str per distinct key, not per fact
                if key in mapping.key_lines:
                    first = mapping.key_lines[key]
                    raise YamlError(line, f"duplicate key {key!r} (first at line {first})")
                mapping.key_lines[key] = line
                if not event.implicit[0]:
                    mapping.quoted_keys = mapping.quoted_keys | {key}  # rare: no set per mapping
                elif key == "<<":
                    raise YamlError(line, "YAML merge keys (<<) are not allowed in fact files")
                continue
            value = Scalar(event.value, line, event.implicit[0])
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_anchor_or_tag(event)
            line = event.start_mark.line + 1
            if len(stack) >= MAX_DEPTH:
                raise YamlError(line, f"nested deeper than {MAX_DEPTH} levels")
            value = Mapping(line) if kind is MappingStartEvent else Sequence(line)
            if mapping is not None:
                if key is None:
                    raise YamlError(line, "a mapping key must be text, not a list or a mapping")
                mapping[key] = value
            elif sequence is not None:
                sequence.append(value)
            else:
                root = value
            stack.append((mapping, sequence, key))
            if isinstance(value, Mapping):
                mapping, sequence = value, None
            else:
                mapping, sequence = None, value
            key = None
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            mapping, sequence, key = stack.pop()
            key = None  # the collection just closed was that key's value
            continue
        elif kind is AliasEvent:
            _refuse_anchor_or_tag(event)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlError(event.start_mark.line + 1, "more than one YAML document")
            continue
        elif kind is StreamEndEvent:
            return root
        else:  # stream start, document end
            continue
        # A scalar outside any mapping: an item of a sequence, or the whole document.
        if sequence is not None:
            sequence.append(value)
        else:
            root = value


def _malformed(error: yaml.MarkedYAMLError, text: str) -> YamlError:
    """One line for libyaml's complaint, in the pure-Python parser's clearer words if it agrees."""
    mark = error.problem_mark
    problem = error.problem or str(error)
    if mark is None:
        return YamlError(None, f"malformed YAML: {problem}")
    if "maximum nesting depth" in problem:  # libyaml's own limit (1,000 open brackets)
        return YamlError(mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
    if _LOADER is not yaml.SafeLoader:
        # Up to the end of the line after the error: enough for the Python parser to meet it.
        end = -1
        for _ in range(mark.line + 2):
            end = text.find("\n", end + 1)
            if end < 0:
                end = len(text)
                break
        if end <= _REWORD_LIMIT:
            try:
                for _event in yaml.parse(text[:end], Loader=yaml.SafeLoader):
                    pass
            except yaml.MarkedYAMLError as python_error:
                python_mark = python_error.problem_mark
                if python_mark is not None and python_mark.line <= mark.line:
                    mark, problem = python_mark, python_error.problem or problem
    if problem.startswith("mapping values are not allowed"):
        lines = text.split("\n", mark.line + 1)
        line_text = lines[mark.line] if mark.line < len(lines) else ""
        key = _KEY.match(line_text)
        if key and key.end() <= mark.column:  # the offending ': ' is inside the value
            what = "quote" if key[1] == "quote" else "value"
            problem = f"the {what} contains ': ' — put the {what} in quotes (\"...\")"
    return YamlError(mark.line + 1, f"malformed YAML: {problem}")


_resolve = cast(Callable[[type, str, tuple[bool, bool]], str], Resolver().resolve)
_CONSTRUCTOR = SafeConstructor()


def _scalar(text: str, line: int, plain: bool, is_key: bool) -> Any:
    if not plain:
        return text
    tag = _resolve(ScalarNode, text, (True, False))
    if tag == _STR_TAG:
        return text
    construct = SafeConstructor.yaml_constructors.get(tag)
    if construct is None:  # '<<' (merge) or '=' (value): safe_load takes '=' as str in a key only
        if is_key and tag == _VALUE_TAG:
            return text
        raise YamlError(line, f"{text!r} cannot be read as a value; put it in quotes")
    return construct(_CONSTRUCTOR, ScalarNode(tag, text))


def to_python(value: Value) -> Any:
    """Plain dicts, lists, str, int, float, bool, None and dates, as yaml.safe_load gives them.

    Plain scalars resolve by YAML 1.1's implicit rules (yes/no/on/off are bools, 1_000 and 0x1f
    are ints, 2017-07-07 is a date); quoted scalars are str. Only the values asked for are
    resolved: this is for small sections, not for a million facts.
    """
    if isinstance(value, Scalar):
        return _scalar(value.text, value.line, value.plain, False)
    if isinstance(value, Mapping):
        result: dict[Any, Any] = {}
        for key, item in value.items():
            line = value.key_lines.get(key, value.line)
            result[_scalar(key, line, key not in value.quoted_keys, True)] = to_python(item)
        return result
    return [to_python(item) for item in value]

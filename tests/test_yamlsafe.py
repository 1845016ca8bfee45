import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from mart.yamlsafe import MAX_DEPTH, Mapping, Scalar, Sequence, YamlError, is_null, read, to_python

SEEDS = Path(__file__).parents[1] / "seeds"
XIAOMI = SEEDS / "xiaomi-q2-2017-shipments.yaml"
# The classic billion laughs: 9 levels of 9 aliases, 9**9 'lol's once expanded.
LOL_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def refusal(text: str) -> str:
    with pytest.raises(YamlError) as caught:
        read(text)
    return str(caught.value)


def test_scalars_keep_their_text_and_line() -> None:
    doc = read(XIAOMI.read_text())
    assert isinstance(doc, Mapping)
    source, products, facts = doc["source"], doc["products"], doc["facts"]
    assert isinstance(source, Mapping) and source.line == 4
    assert source["title"] == Scalar(
        "Xiaomi shipped 23.16 million smartphones in Q2 2017 globally, number 2 in India, "
        "328% revenue growth",
        6,
        True,
    )
    assert source["published_on"] == Scalar("2017-07-08", 9, True)
    assert doc.key_lines == {"source": 3, "companies": 11, "products": 15, "facts": 21}
    assert isinstance(products, Sequence) and products.line == 16
    chipset = products[0]
    assert isinstance(chipset, Mapping) and chipset.line == 16
    assert chipset["kind"] == Scalar("chipset", 16, True)
    assert isinstance(facts, Sequence) and facts.line == 22 and len(facts) == 19
    shipments, patents = facts[1], facts[8]
    assert isinstance(shipments, Mapping) and isinstance(patents, Mapping)
    assert shipments.line == 30
    assert shipments["value"] == Scalar("23.16 million", 33, True)
    assert shipments.key_lines["quote"] == 36
    assert patents["value"] == Scalar("7,071", 94, True)
    assert patents["period"] == Scalar("Last year", 93, True)
    assert list(patents) == ["metric", "company", "period", "value", "basis", "wording", "quote"]


def test_nested_flow_values_have_their_lines() -> None:
    doc = read("a:\n  b: [1,\n    {c: d}]\n  'e': \"2016\"\n")
    assert isinstance(doc, Mapping)
    a = doc["a"]
    assert isinstance(a, Mapping) and a.line == 2 and a.key_lines == {"b": 2, "e": 4}
    b = a["b"]
    assert isinstance(b, Sequence) and b.line == 2
    assert b[0] == Scalar("1", 2, True)
    c = b[1]
    assert isinstance(c, Mapping) and c.line == 3 and c["c"] == Scalar("d", 3, True)
    assert a["e"] == Scalar("2016", 4, False)


@pytest.mark.parametrize("name", ["xiaomi-q2-2017-shipments.yaml", "catalogue.yaml"])
def test_to_python_equals_safe_load(name: str) -> None:
    text = (SEEDS / name).read_text()
    doc = read(text)
    assert doc is not None
    assert to_python(doc) == yaml.safe_load(text)


def test_quoted_2016_stays_text_plain_2016_is_an_int() -> None:
    doc = read("quoted: '2016'\nplain: 2016\n")
    assert isinstance(doc, Mapping)
    assert doc["quoted"] == Scalar("2016", 1, False)
    assert doc["plain"] == Scalar("2016", 2, True)
    assert to_python(doc) == {"quoted": "2016", "plain": 2016}
    assert type(to_python(doc["plain"])) is int


def test_to_python_resolves_like_yaml_1_1() -> None:
    text = (
        "- yes\n- Off\n- on\n- 1_000\n- 0x1f\n- 0.5\n- 1e3\n- .inf\n- 2017-07-07\n"
        "- 2017-07-07 10:30:00\n- ~\n- null\n-\n- 7,071\n- 23.16 million\n- 'yes'\n- \"null\"\n"
        "- 1:30\n"
    )
    expected = yaml.safe_load(text)
    doc = read(text)
    assert doc is not None
    assert to_python(doc) == expected
    assert expected[:5] == [True, False, True, 1000, 31]
    assert expected[8] == date(2017, 7, 7)
    assert expected[13:18] == ["7,071", "23.16 million", "yes", "null", 90]


def test_keys_resolve_like_safe_load() -> None:
    text = "2016: a\n'2017': b\nyes: c\n"
    doc = read(text)
    assert doc is not None
    assert to_python(doc) == yaml.safe_load(text) == {2016: "a", "2017": "b", True: "c"}


@pytest.mark.parametrize("text", ["<<", "="])
def test_values_safe_load_cannot_construct_are_refused_by_to_python(text: str) -> None:
    doc = read(f"a: {text}\n")
    assert isinstance(doc, Mapping)
    with pytest.raises(
        YamlError, match=r"^line 1: '.+' cannot be read as a value; put it in quotes$"
    ):
        to_python(doc)
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load(f"a: {text}\n")


def test_is_null() -> None:
    doc = read("- \n- ~\n- null\n- Null\n- NULL\n- 'null'\n- ''\n- nil\n- nULL\n- 0\n")
    assert isinstance(doc, Sequence)
    assert [is_null(s) for s in doc if isinstance(s, Scalar)] == [True] * 5 + [False] * 5


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_document_is_none(text: str) -> None:
    assert read(text) is None


def test_a_bare_document_marker_is_a_null_scalar() -> None:
    doc = read("---\n")
    assert doc == Scalar("", 2, True)
    assert to_python(doc) is None


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    assert len(LOL_BOMB.splitlines()) == 9
    start = time.perf_counter()
    message = refusal(LOL_BOMB)
    assert time.perf_counter() - start < 0.1
    assert message == (
        "line 1: YAML anchors and aliases (&name, *name) are not allowed in fact files"
    )


def test_an_alias_is_refused() -> None:
    assert refusal("a: 1\nb: *a\n") == (
        "line 2: YAML anchors and aliases (&name, *name) are not allowed in fact files"
    )


def test_duplicate_key() -> None:
    text = "- metric: x\n  value: 1\n  basis: reported\n  value: 2\n"
    assert refusal(text) == "line 4: duplicate key 'value' (first at line 2)"
    with pytest.raises(YamlError) as caught:
        read(text)
    assert caught.value.line == 4
    assert caught.value.message == "duplicate key 'value' (first at line 2)"


def test_quoted_and_plain_spellings_of_one_key_are_duplicates() -> None:
    assert refusal("value: 1\n'value': 2\n") == "line 2: duplicate key 'value' (first at line 1)"


def test_100000_nested_brackets_on_one_line() -> None:
    assert refusal("[" * 100_000) == f"line 1: nested deeper than {MAX_DEPTH} levels"


def test_100000_nested_brackets_one_per_line() -> None:
    assert refusal("[\n" * 100_000) == f"line {MAX_DEPTH + 1}: nested deeper than 32 levels"


def test_nesting_up_to_the_limit_is_read() -> None:
    doc = read("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    depth = 0
    while isinstance(doc, Sequence):
        depth, doc = depth + 1, doc[0] if doc else None
    assert depth == MAX_DEPTH


def test_deep_block_mappings() -> None:
    text = "".join(f"{'  ' * level}k:\n" for level in range(40))
    assert refusal(text) == "line 33: nested deeper than 32 levels"


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo hacked']\n",
        "a: !!python/object/apply:os.system ['echo hacked']\n",
        "a: !foo x\n",
        "a: !!binary aGk=\n",
        "a: !!str 2016\n",
        "a: ! 2016\n",
        "a: !!map {b: c}\n",
    ],
)
def test_tags_are_refused(text: str) -> None:
    assert refusal(text) == "line 1: YAML tags (!...) are not allowed in fact files"


def test_more_than_one_document() -> None:
    assert refusal("a: 1\n---\nb: 2\n") == "line 2: more than one YAML document"


@pytest.mark.parametrize("text", ["[a]: 1\n", "{[a]: 1}\n", "? {a: 1}\n: 2\n"])
def test_non_scalar_keys_are_refused(text: str) -> None:
    assert refusal(text) == "line 1: a mapping key must be text, not a list or a mapping"


def test_merge_keys_are_refused() -> None:
    assert refusal("a: 1\n<<: {b: 2}\n") == (
        "line 2: YAML merge keys (<<) are not allowed in fact files"
    )


def test_colon_in_a_quote() -> None:
    text = "facts:\n  - metric: x\n    quote: He said: yes\n"
    assert refusal(text) == (
        "line 3: malformed YAML: the quote contains ': ' — put the quote in quotes (\"...\")"
    )


def test_colon_in_a_value() -> None:
    assert refusal("title: a: b\n") == (
        "line 1: malformed YAML: the value contains ': ' — put the value in quotes (\"...\")"
    )


def test_misindented_key_keeps_the_parser_message() -> None:
    assert (
        refusal("a: 1\n  b: 2\n") == "line 2: malformed YAML: mapping values are not allowed here"
    )


def test_malformed_yaml_in_the_python_parser_words() -> None:
    assert refusal("a: [1, 2\nb: 3\n") == "line 2: malformed YAML: expected ',' or ']', but got ':'"
    assert refusal("a: 'b\n") == "line 2: malformed YAML: found unexpected end of stream"


def test_control_character() -> None:
    assert refusal("a: 1\nb: \x07\n") == (
        "line 2: malformed YAML: control characters are not allowed (#x0007)"
    )


def test_yaml_error_is_a_value_error() -> None:
    error = YamlError(3, "duplicate key 'a' (first at line 1)")
    assert isinstance(error, ValueError)
    assert (error.line, error.message) == (3, "duplicate key 'a' (first at line 1)")
    assert str(error) == "line 3: duplicate key 'a' (first at line 1)"

"""The strict YAML loader: text stays text, unsafe YAML is refused, every failure is a located message."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import MAX_DEPTH, MAX_FILE_BYTES, LoadError, load_file, load_text
from tests.conftest import edited, first_line, lakeside, position, write_case

SHOWN = "cases/lakeside-polytechnic.yaml"
LAKESIDE_PATH = Path("lakeside-polytechnic.yaml")


def load_error(workdir: Path, text: str | bytes) -> LoadError:
    """Write the text as cases/lakeside-polytechnic.yaml and return the error loading it raises."""
    path = write_case(workdir / "cases", "lakeside-polytechnic", text)
    with pytest.raises(LoadError) as caught:
        load_file(Path("cases") / path.name)
    return caught.value


# --- text stays text ------------------------------------------------------------------

@pytest.mark.parametrize("scalar", ["no", "yes", "on", "off", "true", "False", "y", "2016-01", "2016-01-15",
                                    "010", "0o10", "0x1F", "3.10", "1e3", "12:30", "1_000", ".inf", ".NaN", "+1"])
def test_scalars_are_kept_as_the_text_the_editor_wrote(scalar):
    doc = load_text(Path("x.yaml"), f"value: {scalar}\nlist: [{scalar}]\n")
    assert doc.data == {"value": scalar, "list": [scalar]}


@pytest.mark.parametrize("scalar", ["", "~", "null", "Null", "NULL"])
def test_empty_and_null_values_are_none(scalar):
    assert load_text(Path("x.yaml"), f"value: {scalar}\n").data == {"value": None}


def test_quoted_null_is_text():
    assert load_text(Path("x.yaml"), "a: 'null'\nb: \"~\"\nc: ''\n").data == {"a": "null", "b": "~", "c": ""}


def test_fixture_loads_with_the_position_of_every_value_and_key():
    text = lakeside()
    doc = load_text(LAKESIDE_PATH, text)
    assert doc.data["schema"] == "1"
    assert doc.data["source"]["period"] == {"from": "2016", "to": "2017"}
    assert doc.positions[("partners", 0, "relationship", 0)] == position(text, "twinning]")
    assert doc.positions[("reporter", "founded")] == position(text, "1958")
    assert doc.key_positions[("reporter", "founded")] == position(text, "founded:")
    # columns count characters, not bytes: the Chinese before 'en' does not shift it
    assert doc.positions[("reporter", "city", "en")] == position(text, "Changsha")


# --- refused YAML ---------------------------------------------------------------------

def test_duplicate_key_is_refused_at_the_second_key(workdir):
    text = edited("  founded: 1958\n", "  founded: 1958\n  city: {zh: 长沙, en: Changsha}\n")
    error = load_error(workdir, text)
    line, column = position(text, "  city: {zh: 长沙,", 2)
    first, _ = position(text, "  city: {zh: 长沙市")
    assert first_line(error.problem) == (f"{SHOWN}:{line}:{column}: reporter.city: "
                                         f"duplicate key 'city' (first given at line {first})")
    assert error.problem.hint == "keep one of the two; YAML would silently drop the first"


def test_duplicate_key_in_a_flow_mapping_is_refused(workdir):
    text = edited("{from: 2016, to: 2017}", "{from: 2016, to: 2017, from: 2015}")
    line, column = position(text, "from: 2015")
    assert first_line(load_error(workdir, text).problem) == (
        f"{SHOWN}:{line}:{column}: source.period.from: duplicate key 'from' (first given at line {line})")


def test_anchor_is_refused(workdir):
    text = edited("city: {zh: 长沙市", "city: &city {zh: 长沙市")
    line, column = position(text, "&city")
    error = load_error(workdir, text)
    assert first_line(error.problem) == f"{SHOWN}:{line}:{column}: reporter.city: anchors (&city) are not allowed"
    assert error.problem.hint == "write each value out in full"


def test_alias_is_refused(workdir):
    text = edited("    partners: [shancheng-vocational-school]\n    figures:\n      - {indicator: student",
                  "    partners: *partners\n    figures:\n      - {indicator: student")
    line, column = position(text, "*partners")
    assert first_line(load_error(workdir, text).problem) == (
        f"{SHOWN}:{line}:{column}: measures[1].partners: aliases (*partners) are not allowed")


@pytest.mark.parametrize(("tag", "shown"), [
    ("!!python/object/apply:os.system", "tag:yaml.org,2002:python/object/apply:os.system"),
    ("!!python/name:builtins.print", "tag:yaml.org,2002:python/name:builtins.print"),
    ("!!str", "tag:yaml.org,2002:str"),
    ("!!binary", "tag:yaml.org,2002:binary"),
    ("!include", "!include"),
])
def test_every_tag_is_refused(workdir, tag, shown):
    text = edited("  founded: 1958", f"  founded: {tag} 1958")
    line, column = position(text, tag)
    error = load_error(workdir, text)
    assert first_line(error.problem) == f"{SHOWN}:{line}:{column}: reporter.founded: tags ({shown}) are not allowed"
    assert error.problem.hint == "remove the tag; every value is plain text that the schema checks"


def test_a_tag_on_a_key_is_located_at_its_mapping(workdir):
    text = edited("  founded: 1958", "  !!str founded: 1958")
    line, column = position(text, "!!str")
    assert first_line(load_error(workdir, text).problem) == (
        f"{SHOWN}:{line}:{column}: reporter: tags (tag:yaml.org,2002:str) are not allowed")


def test_second_document_is_refused(workdir):
    text = lakeside() + "---\nschema: 1\n"
    line, _ = position(text, "---")
    assert first_line(load_error(workdir, text).problem) == f"{SHOWN}:{line}:1: more than one YAML document in the file"


def test_complex_key_is_refused(workdir):
    text = edited("  founded: 1958", "  [founded]: 1958")
    line, column = position(text, "[founded]")
    assert first_line(load_error(workdir, text).problem) == (
        f"{SHOWN}:{line}:{column}: reporter: a mapping key must be plain text")


# --- nesting --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "x: " + "[" * 5000,
    "x: " + "[ " * 5000 + "]" * 5000,
    "x: " + "{a: " * 5000,
    "- " * 5000,
    "".join(" " * depth + "a:\n" for depth in range(5000)),
    "".join(" " * depth + "-\n" for depth in range(5000)),
], ids=["brackets", "closed-brackets", "flow-mappings", "dashes", "indented-keys", "indented-dashes"])
def test_thousands_of_nested_levels_give_a_located_error_not_a_recursion_error(text):
    with pytest.raises(LoadError) as caught:
        load_text(Path("deep.yaml"), text)
    problem = caught.value.problem
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert problem.hint == "a case record is only a few levels deep; check for unbalanced brackets"
    assert problem.path == "deep.yaml" and problem.line >= 1 and problem.column >= 1


def test_deep_flow_nesting_is_located_at_the_first_bracket_too_deep():
    with pytest.raises(LoadError) as caught:
        load_text(Path("deep.yaml"), "[" * 10_000)
    assert (caught.value.problem.line, caught.value.problem.column) == (1, MAX_DEPTH + 1)


def test_nesting_up_to_the_limit_is_accepted():
    depth = MAX_DEPTH
    assert load_text(Path("deep.yaml"), "[" * depth + "]" * depth).data is not None


def test_braces_alone_are_refused_at_the_first_key_position():
    with pytest.raises(LoadError) as caught:
        load_text(Path("deep.yaml"), "{" * 5000)
    assert first_line(caught.value.problem) == "deep.yaml:1:2: a mapping key must be plain text"


# --- size, encoding and characters ---------------------------------------------------

def test_file_over_one_mebibyte_is_refused(workdir):
    padding = "# " + "x" * 98 + "\n"
    text = lakeside() + padding * (MAX_FILE_BYTES // len(padding) + 1)
    size = len(text.encode("utf-8"))
    error = load_error(workdir, text)
    assert first_line(error.problem) == f"{SHOWN}:1:1: file is {size:,} bytes, over the limit of 1,048,576"
    assert error.problem.hint == "a case record is a few kilobytes; split the file or remove pasted material"


def test_file_of_exactly_one_mebibyte_is_read(workdir):
    text = lakeside()
    text += "#" * (MAX_FILE_BYTES - len(text.encode("utf-8")) - 1) + "\n"
    path = write_case(workdir / "cases", "lakeside-polytechnic", text)
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_file(path).data["schema"] == "1"


def test_non_utf8_file_is_refused_at_the_first_bad_byte(workdir):
    text = edited("en: Changsha}", "en: Ch\u00e2ngsha}")
    raw = text.encode("utf-8").replace("\u00e2".encode(), b"\xe2")  # as a Latin-1 editor would save it
    line, column = position(text, "\u00e2ngsha")
    # columns of a byte error are counted in bytes on that line: the Chinese before it takes 3 bytes each
    column_bytes = len(text.splitlines()[line - 1][: column - 1].encode("utf-8")) + 1
    error = load_error(workdir, raw)
    assert first_line(error.problem) == f"{SHOWN}:{line}:{column_bytes}: not valid UTF-8 (byte 0xe2)"
    assert error.problem.hint == "save the file as UTF-8 in your editor"


def test_gbk_file_is_refused_with_a_clear_message(workdir):
    error = load_error(workdir, lakeside().encode("gbk", errors="replace"))
    assert "not valid UTF-8" in error.problem.message
    assert error.problem.hint == "save the file as UTF-8 in your editor"


def test_utf8_bom_is_accepted_and_positions_are_unchanged(workdir):
    path = write_case(workdir / "cases", "lakeside-polytechnic", b"\xef\xbb\xbf" + lakeside().encode("utf-8"))
    doc = load_file(path)
    assert doc.data == load_text(path, lakeside()).data
    assert doc.positions[("reporter", "founded")] == position(lakeside(), "1958")


def test_control_character_is_located(workdir):
    text = edited("en: Changsha}", "en: Chang\x07sha}")
    line, column = position(text, "\x07")
    error = load_error(workdir, text)
    assert first_line(error.problem) == f"{SHOWN}:{line}:{column}: character U+0007 is not allowed in YAML"
    assert error.problem.hint == "remove control characters from the file"


def test_syntax_error_is_located(workdir):
    text = edited("  kind: higher-vocational-college", "\tkind: higher-vocational-college")
    line, column = position(text, "\tkind")
    error = load_error(workdir, text)
    assert first_line(error.problem) == (f"{SHOWN}:{line}:{column}: "
                                         "YAML syntax error: found character that cannot start any token")
    assert error.problem.hint == "check indentation and that every ':' after a key is followed by a space"


def test_unclosed_bracket_is_reported_on_a_later_line(workdir):
    text = edited("relationship: [twinning]", "relationship: [twinning")
    error = load_error(workdir, text)
    assert error.problem.message == "YAML syntax error: did not find expected ',' or ']'"
    assert error.problem.line > position(text, "[twinning")[0]


def test_missing_file_is_a_message(workdir):
    with pytest.raises(LoadError) as caught:
        load_file(Path("cases") / "nowhere.yaml")
    assert str(caught.value) == "cases/nowhere.yaml:1:1: cannot read file: No such file or directory"


# --- never a traceback --------------------------------------------------------------

YAMLISH = st.text(alphabet=string.ascii_letters[:6] + string.digits[:3] + " \t\n-:?,[]{}&*!|>'\"#%@`~.\\"
                  + "\u00e9\u6e56\ufeff\u2028\x85\r", max_size=200)


def _loads_or_load_error(text: str) -> None:
    try:
        load_text(Path("any.yaml"), text)
    except LoadError as exc:
        problem = exc.problem
        assert problem.path == "any.yaml" and problem.line >= 1 and problem.column >= 1 and problem.message


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_loads_or_raises_only_load_error(text):
    _loads_or_load_error(text)


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_arbitrary_yaml_like_text_loads_or_raises_only_load_error(text):
    _loads_or_load_error(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_load_or_raise_only_load_error(tmp_path, raw):
    path = tmp_path / "any.yaml"
    path.write_bytes(raw)
    try:
        load_file(path)
    except LoadError as exc:
        assert exc.problem.line >= 1 and exc.problem.column >= 1 and exc.problem.message


# --- "billion laughs" ----------------------------------------------------------------

def _alias_bomb(limit: int) -> str:
    """Levels of nine aliases of the level before (9**n 'lol's), until the text is just under ``limit`` bytes."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    level = 1
    while sum(len(line) + 1 for line in lines) < limit:
        refs = ", ".join(f"*a{level - 1}" for _ in range(9))
        lines.append(f"a{level}: &a{level} [{refs}]")
        level += 1
    return "\n".join(lines[:-1]) + "\n"


@pytest.mark.slow  # a mebibyte of YAML
def test_billion_laughs_just_under_one_mebibyte_is_refused_at_the_first_anchor(workdir):
    text = _alias_bomb(MAX_FILE_BYTES)
    assert MAX_FILE_BYTES - 1000 < len(text.encode("utf-8")) <= MAX_FILE_BYTES
    error = load_error(workdir, text)
    assert first_line(error.problem) == f"{SHOWN}:1:5: a0: anchors (&a0) are not allowed"


@pytest.mark.slow  # a mebibyte of YAML
def test_billion_laughs_over_one_mebibyte_is_refused_for_its_size(workdir):
    text = _alias_bomb(MAX_FILE_BYTES + 10_000)
    error = load_error(workdir, text)
    assert error.problem.message == f"file is {len(text.encode('utf-8')):,} bytes, over the limit of 1,048,576"


def test_lone_surrogate_in_text_is_a_located_message():
    with pytest.raises(LoadError) as caught:
        load_text(Path("any.yaml"), "a: 1\nb: x\ud800\n")
    assert first_line(caught.value.problem) == "any.yaml:2:5: not valid Unicode (character U+D800)"


# --- the fast pass and the located pass ------------------------------------------------

def _paths(value, loc=()):
    """Every path in loaded data: the root, each key's value and each item."""
    yield loc
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*loc, index))


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_what_loads_has_a_position_for_every_value(text):
    """Data comes from the fast pass, positions from the located one: they must describe the same tree."""
    try:
        doc = load_text(Path("any.yaml"), text)
    except LoadError:
        return
    assert set(_paths(doc.data)) <= set(doc.positions)
    assert doc.position(()) == doc.positions[()]


def test_positions_of_a_valid_record_are_found_when_first_asked_for():
    text = lakeside()
    doc = load_text(LAKESIDE_PATH, text)
    assert doc.position(()) == position(text, "schema: 1")
    assert doc.problem(("reporter", "founded"), "m").line == position(text, "1958")[0]

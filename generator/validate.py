"""Stage 2 — validate: the schema, then the checks that need the whole record or all records.

Every problem is collected; nothing stops at the first one.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from . import typography
from .chains import chain_problems, placed_figures
from .errors import Problem, display_path
from .load import Document, LoadError, Loc, format_loc
from .load_parallel import load_files
from .locators import locator_problems
from .schema import (
    DATE_PATTERN,
    MAX_ID_LENGTH,
    RESERVED_CASE_IDS,
    URL_PATTERN,
    Case,
    Table,
    Text,
    ValidCase,
    field_names,
    is_case_id,
    iter_texts,
    model_at,
    reserved_id_message,
    suggest,
)
from .vocabulary import Vocabulary


def case_files(paths: list[Path]) -> list[Path]:
    """The YAML files named by ``paths`` (files, or directories searched one level deep)."""
    found: dict[str, Path] = {}  # by absolute path, so a file named twice is checked once
    for path in paths:
        for file in sorted([*path.glob("*.yaml"), *path.glob("*.yml")]) if path.is_dir() else [path]:
            found.setdefault(os.path.abspath(file), file)  # not resolve(): links are reported, not followed
    return list(found.values())


def validate_files(paths: list[Path], vocabulary: Vocabulary) -> tuple[list[ValidCase], list[Problem]]:
    """Load and check every file; return the valid cases and all problems found."""
    return combine(check_files(case_files(paths), vocabulary))


def check_files(files: list[Path], vocabulary: Vocabulary) -> list[CheckedFile]:
    """:func:`check_file` of each file, in order; the files are read on every core (load_parallel.py)."""
    with contextlib.closing(load_files([path for path in files if path.suffix == ".yaml"])) as loaded:
        return [check_file(path, next(loaded) if path.suffix == ".yaml" else None, vocabulary) for path in files]


@dataclass(frozen=True)
class CheckedFile:
    """What one file says on its own: its case when it passed every check of its own, and its problems."""

    path: Path
    case: Case | None
    problems: tuple[Problem, ...]
    claims_id: tuple[int, int] | None  # where the record starts, when it was loaded and is named as a case id


def check_file(path: Path, doc: Document | LoadError | None, vocabulary: Vocabulary) -> CheckedFile:
    """Every check of one file that needs no other file; ``doc`` is None for a file not named *.yaml."""
    if doc is None:
        return CheckedFile(path, None, (Problem(display_path(path), 1, 1, "", "a case record's file name must end "
                                                "in .yaml", f"rename it to {path.stem}.yaml"),), None)
    if isinstance(doc, LoadError):
        return CheckedFile(path, None, (doc.problem,), None)
    named = is_case_id(path.stem)
    hint = (f"rename it to lower-case ascii letters, digits and hyphens, at most {MAX_ID_LENGTH} of them, "
            "e.g. hunan-industry-polytechnic.yaml")
    name_problems = ([] if named else
                     [doc.problem((), reserved_id_message(path.stem), hint)] if path.stem in RESERVED_CASE_IDS else
                     [doc.problem((), f"file name {path.name!r} is not a valid case id", hint)])
    case, case_problems = _check_document(doc, vocabulary)
    return CheckedFile(path, case, (*name_problems, *case_problems), doc.root_position if named else None)


def combine(checked: list[CheckedFile]) -> tuple[list[ValidCase], list[Problem]]:
    """The checks across files (a case id used twice: the first file keeps it), then the valid cases and all
    problems, file by file in the order given."""
    valid: list[ValidCase] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for item in checked:
        case_id = item.path.stem
        duplicate = item.claims_id is not None and case_id in seen
        if duplicate:
            problems.append(Problem(display_path(item.path), *item.claims_id, "",
                                    f"case id '{case_id}' is also used by {display_path(seen[case_id])}",
                                    "give one of the files another name"))
        elif item.claims_id is not None:
            seen[case_id] = item.path
        problems.extend(item.problems)
        if item.case is not None and not item.problems and not duplicate:
            valid.append(ValidCase(case_id, item.path, item.case))
    return valid, problems


def _check_document(doc: Document, vocabulary: Vocabulary) -> tuple[Case | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "a case record must be a mapping of fields", "start from `casebook new ID`")]
    unpublishable = _unpublishable_problems(doc)
    if unpublishable:  # the other checks would quote that text back to the terminal
        return None, unpublishable
    try:
        case = Case.model_validate(doc.data, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        return None, _schema_problems(doc, exc)
    return case, _record_problems(doc, case, vocabulary)


# --- text that cannot be published ------------------------------------------------------

# Control characters (C0 but tab and newline, DEL, C1), surrogates and Unicode's noncharacters. YAML's
# double-quoted escapes ("\x07", "\u0085", "\uFFFE") let an editor type them; no page, feed or front matter
# can carry them faithfully, and a terminal acts on them when a message quotes them.
_NONCHARACTERS = "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
# Bidirectional embedding, override and isolate controls reorder what a reader sees (text that reads one way and
# says another); Chinese and English never need them.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_UNPUBLISHABLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_BIDI_CONTROLS}{_NONCHARACTERS}]")


def unpublishable_character(text: str) -> str | None:
    """A description of the first character of ``text`` that cannot be published, or None."""
    found = _UNPUBLISHABLE.search(text)
    if found is None:
        return None
    code = ord(found.group())
    kind = ("an unpaired surrogate" if 0xD800 <= code <= 0xDFFF
            else "a bidirectional control character" if 0x202A <= code <= 0x2069
            else "a noncharacter" if code >= 0xFDD0 else "a control character")
    return f"{kind} (U+{code:04X}) at character {found.start() + 1}"


# libyaml refuses most of those characters in a file (the loader reports them), so they reach a value only through
# an escape, which starts with a backslash, or as one of the few it lets through: U+0085, the noncharacters
# U+FDD0–FDEF and U+nFFFE/U+nFFFF above the first plane (their UTF-8 holds these bytes), and the bidi controls.
# A file with none of these byte strings needs no walk over its values, which would cost two seconds per 1,000
# records.
_MAY_HOLD_UNPUBLISHABLE = (b"\\", b"\xc2\x85", b"\xef\xb7", b"\xbf\xbe", b"\xbf\xbf",
                           *(chr(code).encode("utf-8") for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))


def _unpublishable_problems(doc: Document) -> list[Problem]:
    source = doc.source
    if not any(needle in source for needle in _MAY_HOLD_UNPUBLISHABLE):
        return []
    problems: list[Problem] = []
    stack: list[tuple[Loc, Any]] = [((), doc.data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            found = unpublishable_character(value)
            if found:
                problems.append(doc.problem(loc, f"text holds {found}, which cannot be published", _UNPUBLISHABLE_HINT))
        elif isinstance(value, dict):
            for key, item in value.items():
                found = unpublishable_character(key)
                if found:  # located at the key, and named by its parent: the key itself is not printable
                    line, column = doc.key_positions.get((*loc, key), doc.position(loc))
                    problems.append(Problem(doc.shown_path, line, column, format_loc(loc),
                                            f"a field name holds {found}", _UNPUBLISHABLE_HINT))
                else:
                    stack.append(((*loc, key), item))
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in enumerate(value))
    return problems


_UNPUBLISHABLE_HINT = ("delete it (text copied from a PDF or a word processor often brings invisible characters "
                       "along); in double quotes, check for an escape such as \\x07 or \\u0085")


# --- schema errors -----------------------------------------------------------------

def _data_loc(data: Any, loc: tuple) -> Loc:
    """Drop the union-member tags pydantic puts in a location, keeping real keys and indexes."""
    kept: list[str | int] = []
    for part in loc:
        in_mapping = isinstance(data, dict) and part in data
        if in_mapping or isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        elif isinstance(data, dict) and part in field_names(model_at(tuple(kept))):
            pass  # a missing field: keep it so the message can name it
        else:
            continue
        kept.append(part)
    return tuple(kept)


def _schema_problems(doc: Document, exc: ValidationError) -> list[Problem]:
    problems: dict[Loc, Problem] = {}
    located = [(_data_loc(doc.data, error["loc"]), error) for error in exc.errors()]
    deeper = {loc[:n] for loc, _ in located for n in range(len(loc))}
    for loc, error in located:
        if loc in problems:  # several union members failed on the same value: report it once
            continue
        if loc in deeper:  # a union member matched the shape and failed inside: only that error counts
            continue
        kind, value = error["type"], error.get("input")
        kinds_here = {e["type"] for other, e in located if other == loc}
        if isinstance(value, dict) and "literal_error" in kinds_here:
            if kind == "literal_error":  # a mapping where a word or a mapping (a span) may go: the mapping's own
                continue  # errors say what is wrong with it
            kinds_here.discard("literal_error")
        if "number_range" in kinds_here:  # a table cell too: the other member of its union is beside the point
            kind = "number_range"
            error = next(e for other, e in located if other == loc and e["type"] == kind)
        message, hint = _said(kind, kinds_here, error, loc)
        problems[loc] = doc.problem(loc, message, hint, at_key=kind == "extra_forbidden")
    return list(problems.values())


def _said(kind: str, kinds_here: set[str], error: ErrorDetails, loc: Loc) -> tuple[str, str]:
    """The message and hint for ``error`` at ``loc``, where pydantic found ``kinds_here`` (several when a union's
    members all failed): the rules about what a value holds first, then the row of :data:`_BY_TYPE`."""
    value = error.get("input")
    if kind in _WHATEVER_IT_HOLDS:
        return _BY_TYPE[kind](value, error, loc)
    if value is None:  # 'key:' with nothing after it
        return "required field is empty", _description(loc)
    if kinds_here <= _NUMBER_KINDS and (len(kinds_here) > 1 or kind == "number"):
        return f"{_shown(value)} is not a number", "write digits only, e.g. 12 or 78.5, without units"
    if "model_type" in kinds_here and kinds_here & _NUMBER_KINDS:  # a table cell: text or number
        return f"{_shown(value)} is neither a number nor a text", _CELL_HINT
    row = _BY_TYPE.get(kind)
    if row is not None:
        return row(value, error, loc)
    if len(kinds_here) > 1:
        return f"'{value}' is not an allowed value here", _description(loc)
    return error["msg"], "" if kind in _OWN_MESSAGES else _description(loc)


def _unknown_field(value: Any, error: ErrorDetails, loc: Loc) -> tuple[str, str]:
    allowed = field_names(model_at(loc[:-1]))
    return f"unknown field '{loc[-1]}'{suggest(str(loc[-1]), allowed)}", f"fields allowed here: {', '.join(allowed)}"


def _pattern_mismatch(value: Any, error: ErrorDetails, loc: Loc) -> tuple[str, str]:
    """A text that does not match its field's pattern, said by what the pattern stands for."""
    pattern = error.get("ctx", {}).get("pattern")
    if pattern == DATE_PATTERN:
        return (f"'{value}' is not a date",
                'write a year, year-month or date in quotes: "2016", "2016-01" or "2016-01-15"')
    if pattern == URL_PATTERN:
        return (f"'{value}' is not an absolute http(s) address",
                "write the whole address in lower-case scheme, e.g. https://www.example.edu.cn/report.pdf")
    return f"'{value}' is not a valid id", "use lower-case ascii letters, digits and hyphens"


def _unknown_value(value: Any, error: ErrorDetails, loc: Loc) -> tuple[str, str]:
    expected = error.get("ctx", {})["expected"]
    choices = expected.replace("'", "").replace(" or ", ", ").split(", ")
    return f"unknown value '{value}'{suggest(str(value), choices)}", f"expected {expected}"


_Row = Callable[[Any, ErrorDetails, Loc], tuple[str, str]]
# From the type of a pydantic error to what an editor is told: (the value, the error, its location) → (message, hint).
# Only types a record can produce: every scalar reaches pydantic as text, so the number types that need a number
# (int_from_float, float_type …) come only from Number's union, which the rules of _said speak for.
_BY_TYPE: dict[str, _Row] = {
    "extra_forbidden": _unknown_field,
    "missing": lambda value, error, loc: ("required field is missing", _description(loc)),
    "int_parsing": lambda value, error, loc: (f"{_shown(value)} is not a whole number", _description(loc)),
    "int_type": lambda value, error, loc: (f"{_shown(value)} is not a whole number", _description(loc)),
    "string_pattern_mismatch": _pattern_mismatch,
    "literal_error": _unknown_value,
    "model_type": lambda value, error, loc: ("expected a mapping of fields", _description(loc)),
    "list_type": lambda value, error, loc: ("expected a list: [a, b] or one '- ' line per item", _description(loc)),
    "string_type": lambda value, error, loc: (f"expected text, not {_shown(value)}", _description(loc)),
    "too_short": lambda value, error, loc: ("must not be empty", _description(loc)),
    "string_too_short": lambda value, error, loc: ("must not be empty", _description(loc)),
    "string_too_long": lambda value, error, loc: (
        f"is {len(value)} characters long, over the limit of {error.get('ctx', {})['max_length']}", "use a shorter id"),
    "number_range": lambda value, error, loc: (error["msg"], "check the number for a typing mistake"),
    "calendar": lambda value, error, loc: (
        error["msg"], "check the day and the month, e.g. \"2016-02-29\" but not \"2017-02-29\""),
}
_WHATEVER_IT_HOLDS = {"extra_forbidden", "missing"}  # said the same whatever the value (an unknown field's may be ~)
_OWN_MESSAGES = {"vocabulary", "year", "period", "schema"}  # schema.py's own errors, which need no field description


def _shown(value: Any) -> str:
    """A value as the editor wrote it: quoted text, or what kind of structure it is."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _description(loc: Loc) -> str:
    model = model_at(loc[:-1]) if loc else None
    if model is None or isinstance(loc[-1], int):
        return ""
    field = next((f for n, f in model.model_fields.items() if (f.alias or n) == loc[-1]), None)
    return str(field.description or "") if field else ""  # both languages, as the JSON Schema has it


# --- checks across the record ---------------------------------------------------------

def _record_problems(doc: Document, case: Case, vocabulary: Vocabulary) -> list[Problem]:
    """Every check that needs the whole record, each a function of its own."""
    noted = {note.about for note in case.editor_notes if note.about}
    texts = list(iter_texts(case))   # one walk over the record serves the typography and translation checks
    return [*_id_problems(doc, case), *_unit_problems(doc, case, vocabulary),
            *(p for t, table in enumerate(case.tables) for p in _table_problems(doc, ("tables", t), table,
                                                                                table.id in noted)),
            *typography.record_problems(doc, texts, vocabulary.schema_words),
            *typography.number_problems(doc, texts),
            *_missing_english_problems(doc, case, texts),
            *_planned_figure_problems(doc, case), *terminology_problems(doc, texts, vocabulary),
            *chain_problems(doc, case, vocabulary), *locator_problems(doc, case)]


def _id_problems(doc: Document, case: Case) -> list[Problem]:
    """Partner and measure ids used twice, and measures naming a partner the record does not have."""
    problems: list[Problem] = []
    partner_ids: set[str] = set()
    for i, partner in enumerate(case.partners):
        if partner.id in partner_ids:
            problems.append(doc.problem(("partners", i, "id"), f"partner id '{partner.id}' is used twice",
                                        "give each partner its own id"))
        partner_ids.add(partner.id)
    measure_ids: set[str] = set()
    for i, measure in enumerate(case.measures):
        for j, ref in enumerate(measure.partners):
            if ref not in partner_ids:
                problems.append(doc.problem(("measures", i, "partners", j),
                                            f"no partner with id '{ref}'{suggest(ref, sorted(partner_ids))}",
                                            f"partners in this record: {', '.join(sorted(partner_ids))}"))
        if measure.id is not None and measure.id in measure_ids:
            problems.append(doc.problem(("measures", i, "id"), f"measure id '{measure.id}' is used twice",
                                        "give each measure its own id"))
        measure_ids.add(measure.id or "")
    return problems


def _unit_problems(doc: Document, case: Case, vocabulary: Vocabulary) -> list[Problem]:
    """Figures whose unit is not their indicator's."""
    return [doc.problem((*loc, "unit"), f"unit '{figure.unit}' does not match indicator '{figure.indicator}', "
                        f"which is counted in '{expected}'", f"write unit: {expected}, or choose another indicator")
            for loc, figure, _ in placed_figures(case)
            if figure.unit != (expected := vocabulary.indicators[figure.indicator].unit)]


def _missing_english_problems(doc: Document, case: Case, texts: list[tuple[Loc, Text]]) -> list[Problem]:
    if case.translation.en == "pending":
        return []
    return [doc.problem(loc, "English text is missing", "add 'en:', or set translation.en: pending until it is written")
            for loc, text in texts if text.en is None]


def _planned_figure_problems(doc: Document, case: Case) -> list[Problem]:
    """A figure of a planned measure is a target: saying so keeps it out of every result total."""
    return [doc.problem(("measures", m, "figures", i, "target"), "a figure of a planned measure must be a target",
                        "write target: true, or mark the measure status: done if it was carried out")
            for m, measure in enumerate(case.measures) if measure.status == "planned"
            for i, figure in enumerate(measure.figures) if not figure.target]


def terminology_problems(doc: Document, texts: list[tuple[Loc, Text]], vocabulary: Vocabulary) -> list[Problem]:
    """English that renders a domain term another way than the terminology table where the Chinese has the term."""
    if not vocabulary.terminology:
        return []
    problems = []
    for loc, text in texts:
        if text.en is None:
            continue
        for term, variant in vocabulary.variant_renderings(text.zh, text.en):
            problems.append(doc.problem((*loc, "en"), f"'{variant}' renders {term.zh}, which the casebook writes "
                                        f"'{term.en}'", f"write '{term.en}' (vocabulary.yaml, terminology)"))
    return problems


def _table_problems(doc: Document, loc: Loc, table: Table, explained: bool) -> list[Problem]:
    """A table's columns and cells; then, unless an editor note explains the table, its subtotals and totals."""
    rows = [((*loc, "rows", r), row) for r, row in enumerate(table.rows)]
    if table.totals is not None:
        rows.append(((*loc, "totals"), table.totals))
    problems = [*_column_problems(doc, loc, table), *_cell_problems(doc, table, rows)]
    if problems or explained:
        return problems
    return _sum_problems(doc, loc, table, rows)


def _column_problems(doc: Document, loc: Loc, table: Table) -> list[Problem]:
    """Subtotal columns that are text, or add up columns that are missing or hold text."""
    problems: list[Problem] = []
    columns = {c.id: i for i, c in enumerate(table.columns)}
    for c, column in enumerate(table.columns):
        where = (*loc, "columns", c, "sum_of")
        if column.sum_of and column.type == "text":
            problems.append(doc.problem(where, "a text column cannot be a subtotal",
                                        "give sum_of only to a column of type integer or number"))
        for ref in column.sum_of:
            if ref not in columns:
                problems.append(doc.problem(where, f"no column with id '{ref}'{suggest(ref, list(columns))}"))
            elif table.columns[columns[ref]].type == "text":
                problems.append(doc.problem(where, f"column '{ref}' holds text and cannot be added up"))
    return problems


def _cell_problems(doc: Document, table: Table, rows: list[tuple[Loc, list]]) -> list[Problem]:
    """Rows with the wrong number of cells, and cells of the wrong type for their column."""
    problems: list[Problem] = []
    for row_loc, row in rows:
        if len(row) != len(table.columns):
            problems.append(doc.problem(row_loc,
                                        f"row has {len(row)} cells but the table has {len(table.columns)} columns",
                                        "give one cell per column; leave a cell empty with ~"))
            continue
        for c, (column, cell) in enumerate(zip(table.columns, row, strict=True)):
            wrong = cell is not None and (isinstance(cell, Text) != (column.type == "text")
                                          or (column.type == "integer" and not float(cell).is_integer()))
            if wrong:
                problems.append(doc.problem((*row_loc, c),
                                            f"cell does not match column '{column.id}' of type {column.type}",
                                            _CELL_HINT))
    return problems


def _sum_problems(doc: Document, loc: Loc, table: Table, rows: list[tuple[Loc, list]]) -> list[Problem]:
    """Subtotal cells that are not the sum of their columns, and totals that are not the sum of the rows."""
    problems: list[Problem] = []
    columns = {c.id: i for i, c in enumerate(table.columns)}
    for c, column in enumerate(table.columns):
        for row_loc, row in rows:
            if column.sum_of and row[c] is not None:
                added = sum(row[columns[ref]] or 0 for ref in column.sum_of)
                if round(added - row[c], 6):
                    problems.append(doc.problem((*row_loc, c), f"subtotal {row[c]:g} does not equal the sum of "
                                                f"{', '.join(column.sum_of)} ({added:g})", _TOTALS_HINT))
        if table.totals is not None and column.type != "text" and table.totals[c] is not None:
            added = sum(row[c] or 0 for row in table.rows)
            if round(added - table.totals[c], 6):
                problems.append(doc.problem((*loc, "totals", c), f"total {table.totals[c]:g} does not equal the sum "
                                            f"of the rows ({added:g})", _TOTALS_HINT))
    return problems


_NUMBER_KINDS = {"int_parsing", "float_parsing", "int_from_float", "int_type", "float_type", "finite_number", "number"}
_CELL_HINT = "text cells are {zh: …, en: …}; numeric cells are plain numbers"
_TOTALS_HINT = ("keep the source's number and add an editor note with 'about:' set to the table id "
                "explaining the difference")

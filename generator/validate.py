"""Stage 2 — validate: the schema, then the checks that need the whole record or all records.

Every problem is collected; nothing stops at the first one.
"""

from __future__ import annotations

import contextlib
import gc
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import typography
from .errors import Problem, display_path
from .load import Document, LoadError, Loc
from .load_parallel import MIN_FILES, load_files
from .schema import CASE_ID_RE, DATE_PATTERN, Case, Table, Text, suggest
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class ValidCase:
    """A record that passed every check, with the id taken from its file name."""

    id: str
    path: Path
    case: Case


_TEXT_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
_LEAVES = (str, int, float, type(None))


def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, key in the record) of the fields of ``model`` that can hold a text, looked up once per model.

    The walk over every record skips the other fields (ids, numbers, dates: most of them) without reading them.
    """
    fields = _TEXT_FIELDS.get(model)
    if fields is None:
        fields = _TEXT_FIELDS[model] = tuple((name, info.alias or name) for name, info in model.model_fields.items()
                                             if _holds_models(info.annotation))
    return fields


def _holds_models(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in typing.get_args(annotation))


def iter_texts(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Text]]:
    """Every bilingual text in a record, with its location, in document order."""
    found: list[tuple[Loc, Text]] = []
    _collect_texts(value, loc, found)
    return iter(found)


def _collect_texts(value: Any, loc: Loc, found: list[tuple[Loc, Text]]) -> None:
    if isinstance(value, Text):
        found.append((loc, value))
    elif isinstance(value, BaseModel):
        for name, key in _text_fields(type(value)):
            item = getattr(value, name)
            if not isinstance(item, _LEAVES):
                _collect_texts(item, (*loc, key), found)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if not isinstance(item, _LEAVES):
                _collect_texts(item, (*loc, index), found)


def case_files(paths: list[Path]) -> list[Path]:
    """The YAML files named by ``paths`` (files, or directories searched one level deep)."""
    found: dict[Path, Path] = {}  # by resolved path, so a file named twice is checked once
    for path in paths:
        for file in sorted([*path.glob("*.yaml"), *path.glob("*.yml")]) if path.is_dir() else [path]:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def validate_files(paths: list[Path], vocabulary: Vocabulary) -> tuple[list[ValidCase], list[Problem]]:
    """Load and check every file; return the valid cases and all problems found."""
    return combine(check_files(case_files(paths), vocabulary))


def check_files(files: list[Path], vocabulary: Vocabulary) -> list[CheckedFile]:
    """:func:`check_file` of each file, in order; the files are read on every core (load_parallel.py)."""
    # Loading makes millions of small objects and next to no reference cycles; the cyclic garbage collector's
    # passes over the growing heap cost as much as the loading itself, so it waits until every record is read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with contextlib.closing(load_files([path for path in files if path.suffix == ".yaml"])) as loaded:
            return [check_file(path, next(loaded) if path.suffix == ".yaml" else None, vocabulary)
                    for path in files]
    finally:
        if collecting:
            if len(files) >= MIN_FILES:
                # What is left of all that is the checked records, which live as long as the build. Frozen, the
                # collector's next passes skip them instead of traversing every one (a second per 1,000 records).
                # Not after checking a few files: under `mkdocs serve` that would also freeze whatever garbage
                # of the previous rebuild the collector has not reached yet.
                gc.freeze()
            gc.enable()


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
    named = CASE_ID_RE.match(path.stem) is not None
    name_problems = [] if named else [doc.problem((), f"file name '{path.name}' is not a valid case id",
                                                  "rename it to lower-case ascii letters, digits and hyphens, "
                                                  "e.g. hunan-industry-polytechnic.yaml")]
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
    try:
        case = Case.model_validate(doc.data, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        return None, _schema_problems(doc, exc)
    return case, _record_problems(doc, case, vocabulary)


# --- schema errors -----------------------------------------------------------------

def _data_loc(data: Any, loc: tuple) -> Loc:
    """Drop the union-member tags pydantic puts in a location, keeping real keys and indexes."""
    kept: list[str | int] = []
    for part in loc:
        in_mapping = isinstance(data, dict) and part in data
        if in_mapping or isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        elif isinstance(data, dict) and part in _field_names(_model_at(tuple(kept))):
            pass  # a missing field: keep it so the message can name it
        else:
            continue
        kept.append(part)
    return tuple(kept)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model whose fields sit at ``loc`` (used to suggest field names)."""
    annotation: Any = Case
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = next((f for n, f in annotation.model_fields.items() if (f.alias or n) == part), None)
            annotation = field.annotation if field else None
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = (models or members)[0]
        else:
            return annotation


def _field_names(model: type[BaseModel] | None) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()] if model else []


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
        allowed = _field_names(_model_at(loc[:-1])) if loc else []
        if kind == "extra_forbidden":
            problems[loc] = doc.problem(loc, f"unknown field '{loc[-1]}'{suggest(str(loc[-1]), allowed)}",
                                        f"fields allowed here: {', '.join(allowed)}", at_key=True)
            continue
        kinds_here = {e["type"] for other, e in located if other == loc}
        if value is None and kind != "missing":  # 'key:' with nothing after it
            message, hint = "required field is empty", _description(loc)
        elif kinds_here <= _NUMBER_KINDS and (len(kinds_here) > 1 or kind == "number"):
            message, hint = f"{_shown(value)} is not a number", "write digits only, e.g. 12 or 78.5, without units"
        elif "model_type" in kinds_here and kinds_here & _NUMBER_KINDS:  # a table cell: text or number
            message, hint = f"{_shown(value)} is neither a number nor a text", _CELL_HINT
        elif kind == "missing":
            message, hint = "required field is missing", _description(loc)
        elif kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"):
            whole = "" if kind.startswith("float") else "whole "
            message, hint = f"{_shown(value)} is not a {whole}number", _description(loc)
        elif kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == DATE_PATTERN:
            message = f"'{value}' is not a date"
            hint = 'write a year, year-month or date in quotes: "2016", "2016-01" or "2016-01-15"'
        elif kind == "string_pattern_mismatch":
            message, hint = f"'{value}' is not a valid id", "use lower-case ascii letters, digits and hyphens"
        elif kind == "literal_error":
            expected = error["ctx"]["expected"]
            choices = expected.replace("'", "").replace(" or ", ", ").split(", ")
            message, hint = f"unknown value '{value}'{suggest(str(value), choices)}", f"expected {expected}"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message, hint = "expected a mapping of fields", _description(loc)
        elif kind == "list_type":
            message, hint = "expected a list: [a, b] or one '- ' line per item", _description(loc)
        elif kind == "string_type":
            message, hint = f"expected text, not {_shown(value)}", _description(loc)
        elif kind in ("too_short", "string_too_short"):
            message, hint = "must not be empty", _description(loc)
        elif len(kinds_here) > 1:
            message, hint = f"'{value}' is not an allowed value here", _description(loc)
        else:
            own_message = kind in ("vocabulary", "year", "period", "schema")
            message, hint = error["msg"], "" if own_message else _description(loc)
        problems[loc] = doc.problem(loc, message, hint)
    return list(problems.values())


def _shown(value: Any) -> str:
    """A value as the editor wrote it: quoted text, or what kind of structure it is."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _description(loc: Loc) -> str:
    model = _model_at(loc[:-1]) if loc else None
    if model is None or isinstance(loc[-1], int):
        return ""
    field = next((f for n, f in model.model_fields.items() if (f.alias or n) == loc[-1]), None)
    return field.description or "" if field else ""


# --- checks across the record ---------------------------------------------------------

def _record_problems(doc: Document, case: Case, vocabulary: Vocabulary) -> list[Problem]:
    problems: list[Problem] = []
    partner_ids: set[str] = set()
    for i, partner in enumerate(case.partners):
        if partner.id in partner_ids:
            problems.append(doc.problem(("partners", i, "id"), f"partner id '{partner.id}' is used twice",
                                        "give each partner its own id"))
        partner_ids.add(partner.id)
    for i, measure in enumerate(case.measures):
        for j, ref in enumerate(measure.partners):
            if ref not in partner_ids:
                problems.append(doc.problem(("measures", i, "partners", j),
                                            f"no partner with id '{ref}'{suggest(ref, sorted(partner_ids))}",
                                            f"partners in this record: {', '.join(sorted(partner_ids))}"))
    for loc, figure in _figures(case):
        expected = vocabulary.indicators[figure.indicator].unit
        if figure.unit != expected:
            problems.append(doc.problem((*loc, "unit"), f"unit '{figure.unit}' does not match indicator "
                                        f"'{figure.indicator}', which is counted in '{expected}'",
                                        f"write unit: {expected}, or choose another indicator"))
    measure_ids: set[str] = set()
    for i, measure in enumerate(case.measures):
        if measure.id is not None and measure.id in measure_ids:
            problems.append(doc.problem(("measures", i, "id"), f"measure id '{measure.id}' is used twice",
                                        "give each measure its own id"))
        measure_ids.add(measure.id or "")
    noted = {note.about for note in case.editor_notes if note.about}
    for t, table in enumerate(case.tables):
        problems.extend(_table_problems(doc, ("tables", t), table, table.id in noted))
    texts = list(iter_texts(case))   # one walk over the record serves both checks
    problems.extend(typography.record_problems(doc, texts, schema_words(vocabulary)))
    if case.translation.en != "pending":
        for loc, text in texts:
            if text.en is None:
                problems.append(doc.problem(loc, "English text is missing",
                                            "add 'en:', or set translation.en: pending until it is written"))
    return problems


def schema_words(vocabulary: Vocabulary) -> frozenset[str]:
    """The record format's ids that must not stand in Chinese text: looseness marks and vocabulary ids."""
    kinds = ("themes", "relationships", "institution_kinds", "source_kinds", "units", "indicators")
    return frozenset({"about", "at-least", "at-most", *(key for kind in kinds for key in vocabulary.terms(kind))})


def _figures(case: Case) -> Iterator[tuple[Loc, Any]]:
    for i, figure in enumerate(case.figures):
        yield ("figures", i), figure
    for i, figure in enumerate(case.reporter.figures):
        yield ("reporter", "figures", i), figure
    for m, measure in enumerate(case.measures):
        for i, figure in enumerate(measure.figures):
            yield ("measures", m, "figures", i), figure


def _table_problems(doc: Document, loc: Loc, table: Table, explained: bool) -> list[Problem]:
    problems: list[Problem] = []
    columns = {c.id: i for i, c in enumerate(table.columns)}
    for c, column in enumerate(table.columns):
        if column.sum_of and column.type == "text":
            problems.append(doc.problem((*loc, "columns", c, "sum_of"), "a text column cannot be a subtotal",
                                        "give sum_of only to a column of type integer or number"))
        for ref in column.sum_of:
            if ref not in columns:
                problems.append(doc.problem((*loc, "columns", c, "sum_of"),
                                            f"no column with id '{ref}'{suggest(ref, list(columns))}"))
            elif table.columns[columns[ref]].type == "text":
                problems.append(doc.problem((*loc, "columns", c, "sum_of"),
                                            f"column '{ref}' holds text and cannot be added up"))
    rows = [((*loc, "rows", r), row) for r, row in enumerate(table.rows)]
    if table.totals is not None:
        rows.append(((*loc, "totals"), table.totals))
    for row_loc, row in rows:
        if len(row) != len(table.columns):
            problems.append(doc.problem(row_loc,
                                        f"row has {len(row)} cells but the table has {len(table.columns)} columns",
                                        "give one cell per column; leave a cell empty with ~"))
            continue
        for c, (column, cell) in enumerate(zip(table.columns, row, strict=True)):
            if cell is None:
                continue
            wrong = (isinstance(cell, Text) != (column.type == "text")
                     or (column.type == "integer" and not float(cell).is_integer()))
            if wrong:
                problems.append(doc.problem((*row_loc, c),
                                            f"cell does not match column '{column.id}' of type {column.type}",
                                            _CELL_HINT))
    if problems or explained:
        return problems
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

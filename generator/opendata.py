"""Open data published with the site: the records as JSON and CSV, every figure as a tidy CSV, the JSON Schema, and
the vocabulary whose ids they use, with both labels.

The files do not depend on the language, so they are published once, under ``data/`` of the site root:
in the docs tree of :data:`PUBLISHED_IN` (MkDocs copies them as they are). Each language's Data page
(templates/data.html.j2) links to them and explains every column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from .chains import effective_chain, is_planned, placed_figures
from .compare import measure_anchors
from .facets import assisted_provinces, relationships_of, themes_of
from .page_context import EachCase, PageContext, make_each
from .schema import Figure, Measure, SpanDates, Text, ValidCase, case_json_schema
from .vocabulary import Vocabulary

LIST_SEPARATOR = "; "
PUBLISHED_IN = "zh"  # the language of the site root, whose docs tree holds the data files

CASE_COLUMNS = (
    "id", "added", "title_zh", "title_en", "reporter_zh", "reporter_en", "reporter_kind", "reporter_province",
    "source_title_zh", "source_title_en", "source_kind", "source_issued", "source_publisher_zh", "source_publisher_en",
    "source_pages", "source_url", "source_archived_url", "source_accessed", "period_from", "period_to",
    "partners", "partner_names_zh", "partner_names_en", "assisted_provinces", "relationships", "themes",
    "measures", "figures", "translation_en", "url_zh", "url_en",
)
FIGURE_COLUMNS = (
    "case", "measure", "indicator", "value", "unit", "approx", "target", "period", "note_zh", "note_en", "status",
    "chain", "planned", "span", "span_from", "span_to", "source_at",
)


def case_record(item: ValidCase, vocabulary: Vocabulary) -> dict:
    """A record as validated, by field alias, leaving out empty optional fields; every figure carries its place in
    the results chain (its own, or its indicator's default)."""
    record = item.case.model_dump(mode="json", by_alias=True, exclude_none=True)
    for loc, figure, context in placed_figures(item.case):
        node = record
        for part in loc:
            node = node[part]
        node["chain"] = effective_chain(figure, vocabulary, context)
    return record


def cases_json(cases: list[ValidCase], vocabulary: Vocabulary, license_name: str,
               each: EachCase = make_each) -> Iterator[str]:
    """cases.json in pieces, a case at a time: made whole, it and the dicts it is made from took a gigabyte at
    5,000 cases. The pieces join to ``json.dumps`` of the whole ({"license", "schema", "cases": {id: record}})."""
    def dump(value: object) -> str:
        # Compact separators keep json's C encoder (indent= falls back to the pure-Python one): about 10× faster.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    yield f'{{"license":{dump(license_name)},"schema":"case.schema.json","cases":{{'
    for number, item in enumerate(sorted(cases, key=lambda c: c.id)):
        record = each("cases.json", item, lambda item: dump(case_record(item, vocabulary)))
        yield f'{"," if number else ""}{dump(item.id)}:{record}'
    yield "}}\n"


def schema_json(vocabulary: Vocabulary) -> str:
    return json.dumps(case_json_schema(vocabulary), ensure_ascii=False, indent=1) + "\n"


def vocabulary_json(vocabulary: Vocabulary) -> str:
    """The vocabulary as the records and CSV files use it: each kind's ids with their Chinese and English labels (and
    definitions, units' scales, indicators' descriptions), every province by its ISO code."""
    terms = vocabulary.model_dump(mode="json", exclude_none=True)
    terms["provinces"] = {code: label.model_dump(mode="json", exclude_none=True)
                          for code, label in vocabulary.all_provinces.items()}
    return json.dumps(terms, ensure_ascii=False, indent=1) + "\n"


def _text(t: Text | None, lang: str) -> str:
    return "" if t is None else (t.zh if lang == "zh" else t.en or "")


# A text cell starting with one of these is read as a formula by spreadsheet programs (a leading tab or carriage
# return is stripped first). OWASP's rule for CSV injection: such a cell gets a leading apostrophe, which makes it
# text. Only strings are touched: numbers (negative ones too) stay numbers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: object) -> object:
    """A CSV cell that no spreadsheet program runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(columns: tuple[str, ...], lines: list[str]) -> str:
    """A CSV file: a byte-order mark (so spreadsheet programs read UTF-8), the header, then the rows' lines."""
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n").writeheader()
    return "\ufeff" + out.getvalue() + "".join(lines)


def _csv_lines(columns: tuple[str, ...], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writerows({key: inert_cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def cases_csv(cases: list[ValidCase], site_url: str, each: EachCase = make_each) -> str:
    return _csv(CASE_COLUMNS, [each(("cases.csv", site_url), item,
                                            lambda item: _csv_lines(CASE_COLUMNS, [_case_row(item, site_url)]))
                               for item in sorted(cases, key=lambda c: c.id)])


def _case_row(item: ValidCase, site_url: str) -> dict:
    c = item.case
    return {
        "id": item.id, "added": c.added, "title_zh": c.title.zh, "title_en": c.title.en or "",
        "reporter_zh": c.reporter.name.zh, "reporter_en": c.reporter.name.en or "",
        "reporter_kind": c.reporter.kind, "reporter_province": c.reporter.province,
        "source_title_zh": c.source.title.zh, "source_title_en": c.source.title.en or "",
        "source_kind": c.source.kind, "source_issued": c.source.issued,
        "source_publisher_zh": _text(c.source.publisher, "zh"),
        "source_publisher_en": _text(c.source.publisher, "en"),
        "source_pages": c.source.pages or "", "source_url": c.source.url or "",
        "source_archived_url": c.source.archived_url or "", "source_accessed": c.source.accessed or "",
        "period_from": c.source.period.from_,
        "period_to": "" if c.source.period.to is None else c.source.period.to,
        "partners": len(c.partners),
        "partner_names_zh": LIST_SEPARATOR.join(p.name.zh for p in c.partners),
        "partner_names_en": LIST_SEPARATOR.join(p.name.en or "" for p in c.partners),
        "assisted_provinces": LIST_SEPARATOR.join(assisted_provinces(c)),
        "relationships": LIST_SEPARATOR.join(relationships_of(c)),
        "themes": LIST_SEPARATOR.join(themes_of(c)),
        "measures": len(c.measures),
        "figures": len(c.figures) + len(c.reporter.figures) + sum(len(p.figures) for p in c.partners)
        + sum(len(m.figures) for m in c.measures),
        "translation_en": c.translation.en,
        # a site without an address (a local build) has no page addresses to give
        "url_zh": f"{site_url}cases/{item.id}/" if site_url else "",
        "url_en": f"{site_url}en/cases/{item.id}/" if site_url else "",
    }


def _figure_row(case_id: str, measure: str, f: Figure, when: str | None, chain: str, source_at: str | None,
                status: str = "done") -> dict:
    span = f.span if isinstance(f.span, SpanDates) else None
    return {"case": case_id, "measure": measure, "indicator": f.indicator, "value": f.value, "unit": f.unit,
            "approx": f.approx or "", "target": "true" if f.target else "false", "period": when or "",
            "note_zh": _text(f.note, "zh"), "note_en": _text(f.note, "en"), "status": status, "chain": chain,
            "planned": "true" if is_planned(f, status) else "false",
            "span": "period" if span else f.span or "", "span_from": span.from_ if span else "",
            "span_to": span.to if span else "", "source_at": source_at or ""}


def figures_csv(cases: list[ValidCase], vocabulary: Vocabulary, each: EachCase = make_each) -> str:
    """One row per figure: the reporter's size figures (measure ``reporter``), each assisted partner's
    (``partner-<id>``, its anchor on the case page), the headline figures (``case``), then each measure's figures
    (its anchor on the case page, with the measure's status: done or planned)."""
    return _csv(FIGURE_COLUMNS, [each("figures.csv", item,
                                              lambda item: _csv_lines(FIGURE_COLUMNS, _figure_rows(item, vocabulary)))
                                 for item in sorted(cases, key=lambda c: c.id)])


def _figure_rows(item: ValidCase, vocabulary: Vocabulary) -> list[dict]:
    c = item.case

    def row(where: str, f: Figure, context: bool, when: str | None = None, measure: Measure | None = None) -> dict:
        return _figure_row(item.id, where, f, f.when or when, effective_chain(f, vocabulary, context),
                           f.source_at or (measure.source_at if measure else None),
                           measure.status if measure else "done")

    rows = [row("reporter", f, True) for f in c.reporter.figures]
    for p in c.partners:
        rows += [row(f"partner-{p.id}", f, True) for f in p.figures]
    rows += [row("case", f, False) for f in c.figures]
    for anchor, m in zip(measure_anchors(c), c.measures, strict=True):
        rows += [row(anchor, f, False, m.when, m) for f in m.figures]
    return rows


def data_files(cases: list[ValidCase], vocabulary: Vocabulary, site_url: str, license_name: str,
               each: EachCase = make_each) -> list[tuple[str, str | Iterator[str]]]:
    """The open-data files: (path in the docs tree of :data:`PUBLISHED_IN`, text or its pieces) pairs. ``each``
    makes a record's part of a file (the preview's keeps the parts of the records that did not change)."""
    return [
        ("data/cases.json", cases_json(cases, vocabulary, license_name, each)),
        ("data/cases.csv", cases_csv(cases, site_url, each)),
        ("data/figures.csv", figures_csv(cases, vocabulary, each)),
        ("data/case.schema.json", schema_json(vocabulary)),
        ("data/vocabulary.json", vocabulary_json(vocabulary)),
    ]


def data_pages(context: PageContext) -> list[tuple[str, str | Iterator[str]]]:
    """The page producer of the data files: made with the pages of the language they are published in."""
    if not context.with_data:
        return []
    settings = context.settings
    return data_files(context.cases, context.vocabulary, settings.site_url, settings.data_license, context.each_case)

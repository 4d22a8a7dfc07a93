"""Stage 3 — render: validated records → Markdown pages of one language (pure; writes nothing).

Templates in ``templates/`` hold all wording and layout; this module only shapes data
for them. Every page gets the same path in both languages.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from .compare import compare_rows, measure_anchors
from .filters import FILTERS
from .load import load_file
from .pages import case_tags, headline, reader_pages
from .schema import Case, Measure, Text
from .settings import Settings
from .validate import ValidCase, _unwrap
from .vocabulary import Vocabulary

LANGUAGES = ("zh", "en")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """The one Jinja environment, compiled once: strict, no autoescape (output is Markdown)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
                             autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


@cache
def ui_strings(lang: str, templates: Path = TEMPLATES) -> dict[str, Any]:
    """The UI strings of one language (templates/strings/<lang>.yaml)."""
    return load_file(templates / "strings" / f"{lang}.yaml").data


@dataclass(frozen=True)
class Theme:
    """The measures of one case under one theme, in vocabulary order."""

    id: str
    measures: list[Measure]
    anchors: list[str]   # each measure's stable anchor (compare.measure_anchors), parallel to measures


def measures_by_theme(case: Case, vocabulary: Vocabulary) -> list[Theme]:
    anchored = list(zip(case.measures, measure_anchors(case), strict=True))
    return [Theme(theme, [m for m, _ in anchored if m.theme == theme], [a for m, a in anchored if m.theme == theme])
            for theme in vocabulary.themes if any(m.theme == theme for m in case.measures)]


def relationships(case: Case) -> list[str]:
    """The relationship types of a case, first-seen order, each once."""
    return list(dict.fromkeys(r for p in case.partners for r in p.relationship))


def render_site(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings, lang: str) -> list[tuple[str, str]]:
    """Every page of one language: (path in the docs tree, Markdown text) pairs."""
    env = environment()
    common = {"lang": lang, "other": "en" if lang == "zh" else "zh", "s": ui_strings(lang),
              "strings": {code: ui_strings(code) for code in LANGUAGES}, "vocab": vocabulary,
              "settings": settings, "label": _labeller(vocabulary, lang)}
    ordered = sorted(cases, key=lambda c: (c.case.added, c.id), reverse=True)
    totals = headline(cases, compare_rows(cases, vocabulary))
    pages = [
        ("index.md", env.get_template("home.md.j2").render(common, cases=ordered, totals=totals)),
        ("cases/index.md", env.get_template("catalogue.md.j2").render(
            common, cases=sorted(cases, key=lambda c: c.id), tags={item.id: case_tags(item) for item in cases})),
        ("guide/index.md", env.get_template("guide.md.j2").render(common, fields=field_reference(lang))),
        ("about/index.md", env.get_template("about.md.j2").render(common)),
    ]
    case_template = env.get_template("case.md.j2")
    for item in cases:
        pages.append((f"cases/{item.id}.md", case_template.render(
            common, id=item.id, case=item.case, themes=measures_by_theme(item.case, vocabulary),
            relationships=relationships(item.case), partner_names={p.id: p.name for p in item.case.partners},
            tags=case_tags(item))))
    pages += reader_pages(env, common, cases, vocabulary, lang, settings)
    return pages


def _labeller(vocabulary: Vocabulary, lang: str):
    def label(kind: str, term: str) -> str:
        return getattr(vocabulary.terms(kind)[term], lang)
    return label


def field_reference(lang: str) -> list[dict[str, Any]]:
    """Every field of the record, with whether it is required and its description in ``lang``."""
    rows: list[dict[str, Any]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            key = f"{prefix}{field.alias or name}"
            rows.append({"field": key, "required": field.is_required(),
                         "description": split_description(field.description or "", lang)})
            inner = _unwrap(field.annotation)
            if typing.get_origin(inner) is list:
                inner, key = _unwrap(typing.get_args(inner)[0]), key + "[]"
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner is not Text:
                walk(inner, key + ".")
    walk(Case, "")
    return rows


def split_description(description: str, lang: str) -> str:
    """Descriptions read 'English text. 中文。'; keep the part in ``lang``."""
    english, _, chinese = description.rpartition(". ")
    if not english:
        return description
    return chinese if lang == "zh" else english + "."

"""Stage 3 — render: validated records → Markdown pages of one language (pure; writes nothing).

Templates in ``templates/`` hold all wording and layout; this module only shapes data
for them. Every page gets the same path in both languages.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from numbers import Number
from pathlib import Path, PurePath
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pydantic import BaseModel

from . import case_page, facets, finder
from .compare import IndicatorRow, compare_rows
from .dates import date_text
from .errors import Problem
from .filters import FILTERS, paragraphs
from .load import load_file
from .numbers import Amount, amount, numbers_for
from .page_cache import PageCache, render_page
from .pages import case_tags, headline, reader_pages
from .project import LANGUAGES
from .schema import Case, Figure, Period, Text, ValidCase, is_case_id, unwrap
from .settings import Settings
from .typography import join_folded
from .vocabulary import Vocabulary

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# A label's closing bracketed unit, which a figure showing its unit would repeat: "Teachers trained (people)".
_UNIT_IN_LABEL = re.compile(r"\s*\((?:people|person-times)\)$")


@cache
def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """The one Jinja environment, compiled once: strict; the HTML page templates (``*.html.j2``) and the SVG ones
    they hold (``*.svg.j2``) autoescaped."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
                             autoescape=jinja2.select_autoescape(("html.j2", "svg.j2"), default_for_string=False),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             auto_reload=False)  # not a stat of each include on every page: see fresh_environment
    env.filters.update(FILTERS)
    return env


def fresh_environment() -> jinja2.Environment:
    """The environment, with its compiled templates dropped if any template file changed since they were compiled.

    Checked once per render_site rather than at every include (thousands of times a build), so a long-running
    preview (the MkDocs hook under ``mkdocs serve``) still renders an edited template.
    """
    env = environment()
    if not all(template.is_up_to_date for template in env.cache.values()):
        env.cache.clear()
    return env


class Strings(dict):
    """A mapping of UI strings whose keys are also attributes.

    Jinja's ``s.case.title`` first tries ``getattr`` and only then ``[]``; on a plain dict that costs a raised
    and caught AttributeError per lookup, hundreds of thousands per build. Here ``getattr`` finds the key at once.
    Keys named like dict methods (none today) would shadow them for templates, as ``[]`` would.
    """

    def __init__(self, data: dict) -> None:
        super().__init__((key, Strings(value) if isinstance(value, dict) else value) for key, value in data.items())
        self.__dict__ = self


_strings: dict[Path, tuple[tuple[int, int], Strings]] = {}  # by file: its (mtime, size) when read, its strings


def ui_strings(lang: str, templates: Path = TEMPLATES) -> dict[str, Any]:
    """The UI strings of one language (templates/strings/<lang>.yaml), read again once the file has changed.

    Kept between builds in one process, but never past an edit: `casebook serve` shows new wording at once.
    """
    path = templates / "strings" / f"{lang}.yaml"
    stat = path.stat()
    state = (stat.st_mtime_ns, stat.st_size)
    known = _strings.get(path)
    if known is None or known[0] != state:
        known = _strings[path] = (state, Strings(load_file(path).data))
    return known[1]


class Helpers:
    """The text filters' work for one language (filters ``tx``, ``paras``, ``term``, ``amount``, ``count`` …).

    Each returns escaped HTML as Markup, so the autoescaping page templates do not escape it again. A case page
    calls them hundreds of times: a method call costs far less than a Jinja macro call. Numbers, amounts and
    plurals follow the language's CLDR rules (generator.numbers), parsed once per language.
    """

    def __init__(self, vocabulary: Vocabulary, lang: str, strings: dict[str, Any]) -> None:
        self.vocabulary, self.lang = vocabulary, lang
        self.nums = numbers_for(lang)
        self.untranslated = f" {escape(strings['case']['untranslated_mark'])}"
        self.approx = strings["approx"]
        self.as_given = strings["marks"]["as_given"]
        self.counts, self.periods = strings["count"], strings["periods"]
        self.nouns = {indicator: (forms["one"], forms["other"]) for indicator, forms in strings["nouns"].items()}
        self.labels: dict[str, dict[str, Markup]] = {}
        # the hint of a unit a reader of English may not know (person-times); Chinese readers know 人次
        self.unit_hints: dict[str, str] = strings["glossary"]["unit_hints"] if lang == "en" else {}

    def tx(self, t: Text) -> Markup:
        """A {zh, en} text in the page's language; the Chinese, marked, while the English is missing."""
        if self.lang == "en" and t.en is None:
            return Markup(f'<span lang="zh">{escape(join_folded(t.zh))}</span>{self.untranslated}')
        return escape(join_folded(t.zh) if self.lang == "zh" else t.en)

    def paras(self, t: Text) -> Markup:
        """A text's paragraphs, each a <p>."""
        if self.lang == "en" and t.en is None:
            return Markup("".join(f'<p><span lang="zh">{escape(join_folded(p))}</span>{self.untranslated}</p>\n'
                                  for p in paragraphs(t.zh)))
        if self.lang == "zh":
            return Markup("".join(f"<p>{escape(join_folded(p))}</p>\n" for p in paragraphs(t.zh)))
        return Markup("".join(f"<p>{escape(p)}</p>\n" for p in paragraphs(t.en)))

    def term(self, value: str, kind: str) -> Markup:
        """A vocabulary term's label in the page's language."""
        labels = self.labels.get(kind)
        if labels is None:
            labels = self.labels[kind] = {key: escape(getattr(label, self.lang))
                                          for key, label in self.vocabulary.terms(kind).items()}
        return labels[value]

    def figure_label(self, indicator: str) -> Markup:
        """An indicator's label beside a figure that shows its unit: without the unit the label names in brackets
        ("Teachers trained (people)" beside "313 people" is "Teachers trained")."""
        return Markup(_UNIT_IN_LABEL.sub("", self.term(indicator, "indicators")))

    def facet_label(self, value: str, facet: str) -> Markup:
        """The label of a facet value: a vocabulary term, a province, or a year."""
        return escape(value) if facet == "year" else self.term(value, facets.VOCABULARY_KIND[facet])

    def period(self, p: Period) -> str:
        """A source's span of years as the language writes it: 2016–2018 or 2016—2018年, 2016, 2016–present."""
        if p.to is None:
            return self.periods["ongoing"].format(start=p.from_)
        if p.to == p.from_:
            return self.periods["year"].format(year=p.from_)
        return self.periods["range"].format(start=p.from_, end=p.to)

    def date(self, value: str | None) -> str:
        """A date, month or year (2023-05-17, 2023-05, 2023) as the language writes it: 2023年5月17日, 17 May 2023."""
        return date_text(value, self.lang) if value else ""

    def number(self, n: int | float) -> str:
        """A number by the language's CLDR pattern, every decimal the source gave kept."""
        return self.nums.number(n)

    def count(self, n: int, kind: str) -> str:
        """"1 case", "3 cases": ``kind`` is a key of the UI strings' ``count``, one string per CLDR plural category."""
        forms = self.counts[kind]
        return forms.get(self.nums.plural(n), forms["other"]).format(n=self.nums.number(n))

    def shown(self, f: Figure) -> Amount:
        return amount(f.value, self.vocabulary.units[f.unit], self.lang,
                      self.nouns.get(f.indicator) if self.lang == "en" else None)

    def amount(self, f: Figure) -> Markup:
        """A figure with its unit as the language writes it (CNY 170 million, 1.7亿元), loose mark included ("at least
        10,000 people", 1万余人); number and unit each kept on one line, so a narrow box breaks between them. Where
        that is not how the source wrote it, the source's figure is the hover text."""
        shown = self.shown(f)
        number = Markup('<span class="cb-amount__n">%s</span>') % shown.number
        hint = self.unit_hints.get(f.unit)
        unit = (Markup('<abbr class="cb-amount__u" title="%s">%s</abbr>') % (hint, shown.label) if shown.label and hint
                else Markup('<span class="cb-amount__u">%s</span>') % shown.label if shown.label else Markup())
        text = self._with_mark(f.approx, number, unit, shown.before, escape)
        if shown.source is None:
            return Markup(f'<span class="cb-amount">{text}</span>')
        return Markup(f'<span class="cb-amount" title="{escape(self.as_given.format(figure=shown.source))}">'
                      f"{text}</span>")

    def amount_text(self, f: Figure) -> str:
        """The amount as plain text (SVG labels), loose mark included."""
        shown = self.shown(f)
        return self._with_mark(f.approx, shown.number, shown.label, shown.before, str)

    def _with_mark(self, approx: str | None, number: str, unit: str, before: bool, text: Any) -> str:
        """Number and unit in the language's order, inside the loose mark's wording (strings' ``approx``)."""
        space = " " if self.lang == "en" and unit else ""
        whole = text(unit) + space + text(number) if before else text(number) + space + text(unit)
        if approx is None:
            return whole
        wording = self.approx[approx] if unit or f"{approx}-bare" not in self.approx else self.approx[f"{approx}-bare"]
        return text(wording).format(amount=whole, number=number, unit=unit)

    def cell(self, cell: Any, unit: str | None = None) -> Markup:
        """A table cell: empty, a number, or a text. A number of a column counted in 万 (``unit`` scaled) is, in
        English, the whole amount with its unit (70 万元 is CNY 700,000): the header then names no unit."""
        if cell is None:
            return Markup()
        if not isinstance(cell, Number):
            return self.tx(cell)
        if unit and self.converts(unit):
            return escape(amount(cell, self.vocabulary.units[unit], self.lang).text)
        return Markup(self.nums.number(cell))

    def converts(self, unit: str) -> bool:
        """Whether a column's numbers in ``unit`` are shown converted, each with its unit (English, a 万 unit)."""
        return self.lang == "en" and self.vocabulary.units[unit].scale > 1


@dataclass(frozen=True)
class SharedData:
    """What every language's pages use alike, computed once per build: the compare rows, the cases' cards (newest
    first) and every facet's values with their cases."""

    rows: list[IndicatorRow]
    cards: list[finder.Card]
    facets: dict[str, list[facets.FacetValue]]
    related: dict[str, list[finder.Card]]   # by case id: the cards of its related cases (case_page.related_cases)
    data_sizes: dict[str, int] = dataclasses.field(default_factory=dict)   # each data file's bytes, once written


def shared_data(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings) -> SharedData:
    cards = [finder.card(item) for item in finder.newest_first(cases)]
    by_id = {c.id: c for c in cards}
    related = {case_id: [by_id[other.id] for other in others]
               for case_id, others in case_page.related_cases(cases).items()}
    return SharedData(compare_rows(cases, vocabulary), cards, facets.all_facets(cases, vocabulary), related)


def render_site(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings, lang: str,
                shared: SharedData | None = None) -> list[tuple[str, str]]:
    """Every page of one language: (path in the docs tree, page text) pairs; the data files are made apart.

    A build renders several languages over the same cases: it passes ``shared`` so that is made once.
    """
    return list(iter_pages(cases, vocabulary, settings, lang, shared or shared_data(cases, vocabulary, settings)))


def iter_pages(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings,
               lang: str, shared: SharedData, cache: PageCache | None = None) -> Iterator[tuple[str, str]]:
    """:func:`render_site`'s pages one at a time, each rendered when it is asked for: a build writes each page
    before it renders the next, and never holds a whole language's pages (generate.py). The preview passes the
    ``cache`` of its last regeneration: pages whose inputs are the same are not rendered again (page_cache.py)."""
    env = fresh_environment()
    common = {"lang": lang, "other": "en" if lang == "zh" else "zh", "s": ui_strings(lang),
              "strings": {code: ui_strings(code) for code in LANGUAGES}, "vocab": vocabulary,
              "settings": settings, "label": _labeller(vocabulary, lang),
              "h": Helpers(vocabulary, lang, ui_strings(lang)),
              "updated": max((c.case.added for c in cases), default=""),   # the newest record: the footer's date
              "facet_kinds": facets.VOCABULARY_KIND}
    if cache is not None:
        env = cache.environment(env, common)
    cards = shared.cards
    featured_ids = [i for i in settings.featured if i in {c.id for c in cards}]
    featured = sorted((c for c in cards if c.id in featured_ids), key=lambda c: featured_ids.index(c.id))
    newest = [c for c in cards if c.id not in featured_ids][:NEWEST_CARDS]
    yield "index.md", env.get_template("home.html.j2").render(common, root="", featured=featured, newest=newest,
                                                               totals=headline(cases, shared.rows, vocabulary))
    yield "guide/index.md", env.get_template("guide.md.j2").render(common, fields=field_reference(lang))
    yield "about/index.md", env.get_template("about.html.j2").render(common, root="../")
    for item in cases:
        related = shared.related[item.id]
        yield f"cases/{item.id}/index.md", render_page(env, "case.html.j2", (item, related), lambda template,
                                                       item=item, related=related: template.render(
            common, root="../../", id=item.id, case=item.case, measures=case_page.measures_in_order(item.case),
            key_figures=case_page.key_figures(item.case, vocabulary),
            relationships=facets.relationships_of(item.case),
            partner_names={p.id: p.name for p in item.case.partners}, tags=case_tags(item),
            description=finder.in_language(finder.card_text(item.case), lang), related=related))
    yield from finder_pages(env, common, cards, cases, vocabulary)
    yield from reader_pages(env, common, cases, vocabulary, shared)
    if cache is not None:
        cache.sweep()


NEWEST_CARDS = 6   # newest cases on the home page (after the featured ones)


def finder_pages(env: jinja2.Environment, common: dict[str, Any], cards: list[finder.Card],
                 cases: list[ValidCase], vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """The finder (cases/), the further pages of its list, and its data (cases/finder.json)."""
    lang, strings, helpers = common["lang"], common["s"], common["h"]
    years = [year for item in cases for year in facets.period_years(item.case)]
    span = (min(years), max(years)) if years else (0, 0)
    options = finder.facet_options(cases, vocabulary, lang)
    pages = finder.pages_of(cards)
    numbers = list(range(1, len(pages) + 1))
    out = [(finder.page_path(n), render_page(
        env, "catalogue.html.j2", (n, page, numbers, len(cards), options, span),
        lambda template, n=n, page=page: template.render(common, root="../" if n == 1 else "../../../", number=n,
                                                         pages=numbers, cards=page, cases_total=len(cards),
                                                         options=options, years=span, page_size=finder.PAGE_SIZE)))
           for n, page in zip(numbers, pages, strict=True)]
    # the script's words: the cards' own, the count's plural forms (CLDR categories), the finder's own and the
    # filters' names (the chips name the filter they remove)
    words = (dict(strings["finder"]["script"]) | dict(strings["card"])
             | {"space": strings["space"], "list_separator": strings["list_separator"],
                "cases": dict(strings["count"]["cases"]),
                "facets": dict(strings["finder"]["facets"]) | {"years": strings["finder"]["years"]}})
    out.append(("cases/finder.json", finder.finder_data(cards, vocabulary, lang, words, helpers.period)))
    return out


def problem_pages(problems: list[Problem], valid_ids: set[str], lang: str) -> list[tuple[str, str]]:
    """The preview's pages for records with problems: each in place of its case, and one page listing them all."""
    template, strings = fresh_environment().get_template("problems.html.j2"), ui_strings(lang)
    common = {"lang": lang, "s": strings, "updated": ""}
    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        by_file.setdefault(problem.path, []).append(problem)
    pages = [("problems/index.md", template.render(common, title=strings.problems.all_title,
                                                   intro=strings.problems.all_intro, problems=sorted(problems)))]
    for path, listed in by_file.items():
        case_id = PurePath(path).stem
        if is_case_id(case_id) and case_id not in valid_ids:
            pages.append((f"cases/{case_id}/index.md", template.render(common, title=strings.problems.title,
                                                                 intro=strings.problems.intro, problems=listed)))
    return pages


def _labeller(vocabulary: Vocabulary, lang: str):
    def label(kind: str, term: str) -> str:
        return getattr(vocabulary.terms(kind)[term], lang)
    return label


def blocked_pages(problems: list[Problem], lang: str) -> list[tuple[str, str]]:
    """The preview's home page and problem list when no page can be made (the vocabulary, the configuration or the
    cases folder is broken or missing): the problems, in place of the home page and on /problems/."""
    template, strings = fresh_environment().get_template("problems.html.j2"), ui_strings(lang)
    page = template.render({"lang": lang, "s": strings, "updated": ""}, title=strings.problems.blocked_title,
                           intro=strings.problems.blocked_intro, problems=sorted(problems))
    return [("index.md", page), ("problems/index.md", page)]


def field_reference(lang: str) -> list[dict[str, Any]]:
    """Every field of the record, with whether it is required and its description in ``lang``."""
    rows: list[dict[str, Any]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            key = f"{prefix}{field.alias or name}"
            rows.append({"field": key, "required": field.is_required(),
                         "description": split_description(field.description or "", lang)})
            inner = unwrap(field.annotation)
            if typing.get_origin(inner) is list:
                inner, key = unwrap(typing.get_args(inner)[0]), key + "[]"
            # a model inside itself (a heading's sections) is described once, where it first appears
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner is not Text and inner is not model:
                walk(inner, key + ".")
    walk(Case, "")
    return rows


def split_description(description: str, lang: str) -> str:
    """Descriptions read 'English text. 中文。'; keep the part in ``lang``."""
    english, _, chinese = description.rpartition(". ")
    if not english:
        return description
    return chinese if lang == "zh" else english + "."

"""Stage 3 — render: validated records → the pages of one language (pure; writes nothing).

:data:`PRODUCERS` is the one list of everything the generator makes: each producer takes a language's
page_context.PageContext and yields its pages, one at a time. Templates in ``templates/`` hold all wording and
layout; this module only shapes data for them. Every page gets the same path in both languages.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from numbers import Number
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pydantic import BaseModel

from . import case_page, facets, finder, opendata
from .dates import date_text
from .filters import FILTERS, paragraphs
from .load import load_file
from .numbers import Amount, amount, numbers_for
from .page_context import EachCase, PageContext, SharedData, make_each, shared_data
from .pages import browse_pages, case_tags, compare_pages, headline, reader_site_pages
from .project import LANGUAGES
from .schema import Case, Figure, Period, Text, ValidCase, unwrap
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


# A memo table, kept at module level as any cache of a file's parsed text: by file, its (mtime, size) when read and
# its strings, checked against the file at every use.
_strings: dict[Path, tuple[tuple[int, int], Strings]] = {}


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


@dataclass(frozen=True)
class _Markup:
    """The markup around the texts of Helpers' filters (see :func:`_markup`)."""

    untranslated: str
    paragraph: str
    amount_number: str
    amount_unit: str
    amount_unit_hinted: str
    amount: str
    amount_as_given: str


def _markup(template: jinja2.Template) -> _Markup:
    """The markup of Helpers' filters, from the macros of templates/_macros.html.j2 called with placeholders: each a
    ``str.format`` pattern whose fields take escaped text."""
    macros = template.module
    field = {name: Markup("{" + name + "}") for name in ("text", "mark", "number", "unit", "hint", "as_given")}
    return _Markup(untranslated=str(macros.untranslated(field["text"], field["mark"])),
                   paragraph=str(macros.paragraph(field["text"])),
                   amount_number=str(macros.amount_number(field["number"])),
                   amount_unit=str(macros.amount_unit(field["unit"])),
                   amount_unit_hinted=str(macros.amount_unit(field["unit"], field["hint"])),
                   amount=str(macros.amount(field["text"])),
                   amount_as_given=str(macros.amount(field["text"], field["as_given"])))


class Helpers:
    """The text filters' work for one language (filters ``tx``, ``paras``, ``term``, ``amount``, ``count`` …).

    Each returns escaped HTML as Markup, so the autoescaping page templates do not escape it again. A case page
    calls them hundreds of times: a method call costs far less than a Jinja macro call, so the markup's macros
    (templates/_macros.html.j2) are called once here, with placeholders, and their patterns filled in for each
    text. Numbers, amounts and plurals follow the language's CLDR rules (generator.numbers), parsed once per
    language.
    """

    def __init__(self, vocabulary: Vocabulary, lang: str, strings: dict[str, Any]) -> None:
        self.vocabulary, self.lang = vocabulary, lang
        self.nums = numbers_for(lang)
        self.untranslated_mark = escape(strings["case"]["untranslated_mark"])
        self.markup = _markup(environment().get_template("_macros.html.j2"))
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
            return Markup(self.markup.untranslated.format(text=escape(join_folded(t.zh)), mark=self.untranslated_mark))
        return escape(join_folded(t.zh) if self.lang == "zh" else t.en)

    def paras(self, t: Text) -> Markup:
        """A text's paragraphs, each a <p>."""
        paragraph = self.markup.paragraph
        if self.lang == "en" and t.en is None:
            untranslated, mark = self.markup.untranslated, self.untranslated_mark
            return Markup("".join(paragraph.format(text=untranslated.format(text=escape(join_folded(p)), mark=mark))
                                  for p in paragraphs(t.zh)))
        if self.lang == "zh":
            return Markup("".join(paragraph.format(text=escape(join_folded(p))) for p in paragraphs(t.zh)))
        return Markup("".join(paragraph.format(text=escape(p)) for p in paragraphs(t.en)))

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
        shown, markup = self.shown(f), self.markup
        number = Markup(markup.amount_number.format(number=escape(shown.number)))
        hint = self.unit_hints.get(f.unit)
        unit = (Markup(markup.amount_unit_hinted.format(unit=escape(shown.label), hint=escape(hint)))
                if shown.label and hint
                else Markup(markup.amount_unit.format(unit=escape(shown.label))) if shown.label else Markup())
        text = self._with_mark(f.approx, number, unit, shown.before, escape)
        if shown.source is None:
            return Markup(markup.amount.format(text=text))
        return Markup(markup.amount_as_given.format(text=text,
                                                    as_given=escape(self.as_given.format(figure=shown.source))))

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


def render_site(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings, lang: str,
                shared: SharedData | None = None) -> list[tuple[str, str]]:
    """Every page of one language: (path in the docs tree, page text) pairs; the data files are made apart.

    A build renders several languages over the same cases: it passes ``shared`` so that is made once.
    """
    shared = shared or shared_data(cases, vocabulary, settings)
    return list(produce_pages(page_context(cases, vocabulary, settings, lang, shared)))


def page_context(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings, lang: str,
                 shared: SharedData, env: Any = None, **options: Any) -> PageContext:
    """The context of one language's pages, rendered with ``env`` (the one Jinja environment unless given);
    ``options`` are PageContext's own (the data files and their sizes, each case's part of them)."""
    common = {"lang": lang, "other": "en" if lang == "zh" else "zh", "s": ui_strings(lang),
              "strings": {code: ui_strings(code) for code in LANGUAGES}, "vocab": vocabulary,
              "settings": settings, "publisher": settings.publisher_in(lang), "label": _labeller(vocabulary, lang),
              "h": Helpers(vocabulary, lang, ui_strings(lang)),
              "updated": max((c.case.added for c in cases), default=""),   # the newest record: the footer's date
              "facet_kinds": facets.VOCABULARY_KIND}
    return PageContext(env or fresh_environment(), common, cases, vocabulary, settings, shared, **options)


@dataclass(frozen=True)
class SitePages:
    """Stage 3: the page producers over one generation's cases; ``of(lang, …)`` is a language's pages. The preview
    passes the environment the pages of each language render with and how each case's part of a data file is
    made (preview.py: its caches)."""

    cases: list[ValidCase]
    vocabulary: Vocabulary
    settings: Settings
    shared: SharedData
    environment: Callable[[str], Any] = lambda lang: fresh_environment()
    each_case: EachCase = make_each

    def of(self, lang: str, with_data: bool = False,
           data_sizes: Callable[[], dict[str, int]] = dict) -> Iterator[tuple[str, str | Iterator[str]]]:
        return produce_pages(page_context(self.cases, self.vocabulary, self.settings, lang, self.shared,
                                          self.environment(lang), with_data=with_data, data_sizes=data_sizes,
                                          each_case=self.each_case))


def produce_pages(context: PageContext) -> Iterator[tuple[str, str | Iterator[str]]]:
    """Every producer's pages, one at a time, each rendered when it is asked for: the pipeline writes each page
    before it renders the next, and never holds a whole language's pages (pipeline.py)."""
    for producer in PRODUCERS:
        yield from producer(context)


def site_pages(context: PageContext) -> Iterator[tuple[str, str]]:
    """The home page, the editors' guide and About."""
    env, common, cards = context.env, context.common, context.shared.cards
    featured_ids = [i for i in context.settings.featured if i in {c.id for c in cards}]
    featured = sorted((c for c in cards if c.id in featured_ids), key=lambda c: featured_ids.index(c.id))
    newest = [c for c in cards if c.id not in featured_ids][:NEWEST_CARDS]
    totals = headline(context.cases, context.shared.rows, context.vocabulary)
    yield "index.md", env.get_template("home.html.j2").render(common, root="", featured=featured, newest=newest,
                                                               totals=totals)
    yield "guide/index.md", env.get_template("guide.md.j2").render(common, fields=field_reference(context.lang))
    yield "about/index.md", env.get_template("about.html.j2").render(common, root="../")


NEWEST_CARDS = 6   # newest cases on the home page (after the featured ones)


def case_pages(context: PageContext) -> Iterator[tuple[str, str]]:
    """One page per case."""
    template = context.env.get_template("case.html.j2")
    for item in context.cases:
        yield f"cases/{item.id}/index.md", template.render(
            context.common, root="../../", id=item.id, case=item.case,
            measures=case_page.measures_in_order(item.case),
            key_figures=case_page.key_figures(item.case, context.vocabulary),
            relationships=facets.relationships_of(item.case),
            partner_names={p.id: p.name for p in item.case.partners}, tags=case_tags(item),
            description=finder.in_language(finder.card_text(item.case), context.lang),
            related=context.shared.related[item.id])


def finder_pages(context: PageContext) -> Iterator[tuple[str, str]]:
    """The finder (cases/), the further pages of its list, and its data (cases/finder.json)."""
    common, cards, cases, vocabulary = context.common, context.shared.cards, context.cases, context.vocabulary
    lang, strings, helpers = common["lang"], common["s"], common["h"]
    years = [year for item in cases for year in facets.period_years(item.case)]
    span = (min(years), max(years)) if years else (0, 0)
    options = finder.facet_options(cases, vocabulary, lang)
    pages = finder.pages_of(cards)
    numbers = list(range(1, len(pages) + 1))
    template = context.env.get_template("catalogue.html.j2")
    for n, page in zip(numbers, pages, strict=True):
        yield finder.page_path(n), template.render(common, root="../" if n == 1 else "../../../", number=n,
                                                   pages=numbers, cards=page, cases_total=len(cards),
                                                   options=options, years=span, page_size=finder.PAGE_SIZE)
    # the script's words: the cards' own, the count's plural forms (CLDR categories), the finder's own and the
    # filters' names (the chips name the filter they remove)
    words = (dict(strings["finder"]["script"]) | dict(strings["card"])
             | {"space": strings["space"], "list_separator": strings["list_separator"],
                "cases": dict(strings["count"]["cases"]),
                "facets": dict(strings["finder"]["facets"]) | {"years": strings["finder"]["years"]}})
    yield "cases/finder.json", finder.finder_data(cards, vocabulary, lang, words, helpers.period)


# Every page and file the generator makes, producer by producer: to add a page, add its producer here
# (CONTRIBUTING.md, "Add a page"). The data files first: the Data page (pages.site_data_pages) gives their sizes.
PRODUCERS: tuple[Callable[[PageContext], Iterable[tuple[str, str | Iterator[str]]]], ...] = (
    opendata.data_pages, site_pages, case_pages, finder_pages, browse_pages, compare_pages, reader_site_pages)


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
                         "description": getattr(field.description, lang)})
            inner = unwrap(field.annotation)
            if typing.get_origin(inner) is list:
                inner, key = unwrap(typing.get_args(inner)[0]), key + "[]"
            # a model inside itself (a heading's sections) is described once, where it first appears
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner is not Text and inner is not model:
                walk(inner, key + ".")
    walk(Case, "")
    return rows

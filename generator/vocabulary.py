"""The controlled vocabulary: themes, relationship types, kinds, units, indicators, provinces.

Editors extend ``vocabulary.yaml``; provinces come from the ISO 3166-2:CN data that
pycountry maintains, with the file adding short English names and any missing label.
"""

from __future__ import annotations

import gettext
import re
from functools import cached_property
from pathlib import Path
from typing import Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ProblemsFound, UsageError
from .load import LoadError, load_file


class Label(BaseModel):
    """A term's name in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str = Field(min_length=1, description="Chinese label.")
    en: str = Field(min_length=1, description="English label.")


class DefinedTerm(Label):
    """A theme or a relationship type: its name, what it means (for the glossary) and whether it says "not stated"."""

    definition: Label | None = Field(default=None, description="A short definition in both languages (glossary).")
    not_stated: bool = Field(default=False, description="True for the term that stands for a type the source "
                                                        "does not state; listed apart from the others.")


class Unit(Label):
    """A unit of figures: its labels after a number as the source gives it, and how each language writes amounts."""

    one: str | None = Field(default=None, description="English label after the number 1, where it differs (person).")
    scale: int = Field(default=1, description="How many base units the source's number counts: 1, 10000 for 万 "
                                              "(万元) or 100000000 for 亿.")
    base: Label | None = Field(default=None,
                               description="The base unit's labels, for a scaled unit: 元 / CNY for 万元.")
    before: bool = Field(default=False, description="English writes the label before the number (CNY 170 million).")
    percent: bool = Field(default=False, description="Figures are percentages, written by each language's pattern.")

    @model_validator(mode="after")
    def _scaled(self) -> Unit:
        if self.scale not in (1, 10_000, 100_000_000):
            raise ValueError("scale must be 1, 10000 (万) or 100000000 (亿)")
        if self.scale > 1 and self.base is None:
            raise ValueError("a scaled unit needs its base unit: base: {zh: 元, en: CNY}")
        return self


class Indicator(Label):
    """A comparable measurement: its unit, its place in the results chain and whether values add up across cases."""

    unit: str = Field(description="Id of the unit every value of this indicator is given in.")
    chain: Literal["outcome", "output", "input"] = Field(
        description="Its figures' default place in the results chain: outcome (what changed for the assisted: "
                    "students enrolled, graduates employed, awards won), output (what was done: people trained, "
                    "visits, projects, courses) or input (money, equipment, staff sent).")
    summable: bool = Field(default=False, description="True when values from different cases may be added up.")
    concept: str | None = Field(default=None, description="Id of the indicator that counts the same thing in another "
                                                          "unit (people beside person-times): pages show both under "
                                                          "its heading, and never add them together.")
    description: Label | None = Field(default=None, description="What exactly is counted.")


class Term(BaseModel):
    """A domain term: its canonical English rendering and the renderings the casebook does not use."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str = Field(min_length=1, description="The Chinese term as texts write it.")
    zh_forms: list[str] = Field(default_factory=list,
                                description="Other Chinese forms of the same term (a short form, an older name).")
    en: str = Field(min_length=1, description="The casebook's English rendering, used in every record.")
    variants: list[str] = Field(default_factory=list,
                                description="Known other English renderings: `casebook validate` reports an English "
                                            "text that uses one where its Chinese has the term.")
    note: Label | None = Field(default=None, description="What the term means, for the glossary.")

    @property
    def zh_all(self) -> list[str]:
        return [self.zh, *self.zh_forms]


def _phrase(*texts: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern of any of ``texts`` (the longest first, so it wins where one contains
    another), in which a space, hyphen or dash between words are alike."""
    alternatives = [r"[\s\-–—]+".join(re.escape(word) for word in re.split(r"[\s\-–—]+", text.strip()))
                    for text in sorted(texts, key=len, reverse=True)]
    return re.compile(r"(?<![\w\-–])(?:" + "|".join(alternatives) + r")(?![\w\-–])", re.IGNORECASE)


class Vocabulary(BaseModel):
    """The whole vocabulary file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    themes: dict[str, DefinedTerm] = Field(description="Themes that group measures.")
    relationships: dict[str, DefinedTerm] = Field(description="Kinds of assistance relationship.")
    institution_kinds: dict[str, Label] = Field(description="Kinds of reporting or assisted body.")
    source_kinds: dict[str, Label] = Field(description="Kinds of source document.")
    units: dict[str, Unit] = Field(description="Units of figures.")
    indicators: dict[str, Indicator] = Field(description="Indicators figures are tagged with.")
    provinces: dict[str, Label] = Field(default_factory=dict,
                                        description="Labels that replace or add to the ISO 3166-2:CN names.")
    terminology: dict[str, Term] = Field(default_factory=dict,
                                         description="The domain's terms with their one English rendering, by id.")

    @cached_property
    def all_provinces(self) -> dict[str, Label]:
        """Every province-level division by ISO code: pycountry's names, overridden by the file."""
        zh = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
        found = {s.code: Label(zh=zh.gettext(s.name), en=_short_english(s.name))
                 for s in pycountry.subdivisions.get(country_code="CN")}
        return dict(sorted({**found, **self.provinces}.items()))

    def terms(self, kind: str) -> dict[str, Label]:
        return self.all_provinces if kind == "provinces" else getattr(self, kind)

    @cached_property
    def schema_words(self) -> frozenset[str]:
        """The record format's ids that must not stand in Chinese text: looseness marks and vocabulary ids."""
        kinds = ("themes", "relationships", "institution_kinds", "source_kinds", "units", "indicators")
        return frozenset({"about", "at-least", "at-most", *(key for kind in kinds for key in self.terms(kind))})

    @property
    def glossary(self) -> list[Term]:
        """The terminology table in file order, for a page that lists it."""
        return list(self.terminology.values())

    @cached_property
    def term_patterns(self) -> list[tuple[Term, re.Pattern[str], re.Pattern[str] | None]]:
        """Each term with the patterns of its canonical rendering and of its variants, compiled once."""
        return [(term, _phrase(term.en), _phrase(*term.variants) if term.variants else None)
                for term in self.terminology.values()]

    @cached_property
    def terms_in_chinese(self) -> re.Pattern[str]:
        """Any Chinese form of any term: most texts have none, and one search tells."""
        forms = sorted({form for term in self.terminology.values() for form in term.zh_all}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, forms)) or "(?!)")

    def variant_renderings(self, zh: str, en: str) -> list[tuple[Term, str]]:
        """(term, the words as ``en`` writes them) for each known variant ``en`` uses for a term ``zh`` contains.

        A variant inside a canonical rendering of any term the Chinese has is no variant: "paired support" is right
        for 对口支援 even where the same text also has 对口帮扶.
        """
        if not self.terms_in_chinese.search(zh):
            return []
        present = [(term, canonical, variants) for term, canonical, variants in self.term_patterns
                   if any(form in zh for form in term.zh_all)]
        covered = [m.span() for _, canonical, _ in present for m in canonical.finditer(en)]
        uses = sorted(((m.span(), term) for term, _, variants in present if variants
                       for m in variants.finditer(en)), key=lambda use: use[0][0] - use[0][1])
        found = []
        for (start, end), term in uses:  # longest first: "Double High work" hides its "Double High"
            if not any(a <= start and end <= b for a, b in covered):
                covered.append((start, end))
                found.append((term, en[start:end]))
        return found


def _short_english(name: str) -> str:
    for suffix in (" Sheng", " Shi", " Zhuangzu Zizhiqu", " Huizu Zizhiqu", " Uygur Zizhiqu", " Zizhiqu", " SAR"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _concept_problem(vocabulary: Vocabulary, indicator: Indicator) -> str | None:
    """What is wrong with an indicator's concept: the heading it shares must be another unit's indicator."""
    head = vocabulary.indicators.get(indicator.concept) if indicator.concept else None
    if indicator.concept is None:
        return None
    if head is None:
        return f"unknown indicator '{indicator.concept}'"
    if head.concept is not None or head.unit == indicator.unit:
        return f"'{indicator.concept}' is not another unit's count of the same thing"
    return None


def load_vocabulary(path: Path) -> Vocabulary:
    """Load and check the vocabulary file; problems are located like a record's."""
    if not path.is_file():
        raise UsageError(f"no vocabulary file at {path}: run this in the casebook's project directory, "
                         "or give --vocabulary")
    try:
        doc = load_file(path)
    except LoadError as exc:
        raise ProblemsFound([exc.problem]) from None
    try:
        vocabulary = Vocabulary.model_validate(doc.data)
    except ValidationError as exc:
        raise ProblemsFound([doc.problem(e["loc"], e["msg"]) for e in exc.errors()]) from None
    problems = [doc.problem(("indicators", key, "unit"), f"unknown unit '{ind.unit}'",
                            f"add it under 'units:' or use one of: {', '.join(vocabulary.units)}")
                for key, ind in vocabulary.indicators.items() if ind.unit not in vocabulary.units]
    problems += [doc.problem(("indicators", key, "concept"), message, "name an indicator without a concept of its own, "
                             "counted in another unit")
                 for key, ind in vocabulary.indicators.items() if (message := _concept_problem(vocabulary, ind))]
    if problems:
        raise ProblemsFound(problems)
    return vocabulary

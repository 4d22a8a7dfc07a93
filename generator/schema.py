"""The case record, declared once.

Every field carries a one-line description (English, then Chinese, each stored apart) that becomes the
JSON Schema's documentation, the comments of ``casebook new`` and the editors'
field reference. Vocabulary ids are checked against the vocabulary passed in the
validation context, so each error points at the field that holds the bad id.
"""

from __future__ import annotations

import datetime
import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from .load import Loc

SCHEMA_VERSION = 1
FIRST_YEAR = 1949
# The patterns pydantic, the exported JSON Schema (an editor's Node or browser engine) and Python's re all run: each
# spelled the same to all three. [0-9], never \d (any script's digits to pydantic's engine: '２０２６', '٢٠١٦'), and
# Python checks use fullmatch (its $ also matches before a final line break: 'evil\n').
CASE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_ID_LENGTH = 100  # an id names a file and a folder of the site: far below every file system's name limit
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
# Case ids the site's cases/ folder already uses for something else, with what: a case of that id would be taken
# for it (the catalogue's further list pages are cases/page/<n>/; the search leaves them out of the cases' bundle).
# The cases/ folder holds nothing else of its own but index.html and finder.json, which no id can name.
RESERVED_CASE_IDS = {"page": "the site's cases/page/ holds the catalogue's further list pages"}


def last_year() -> int:
    """Records may describe plans up to next year."""
    return datetime.date.today().year + 1


# A year up to this one is valid for as long as the process runs (last_year() only grows), so the year checks,
# which run tens of thousands of times per build, ask for today's date only beyond it.
_SURELY_VALID_UNTIL = last_year()


def suggest(value: str, choices: list[str]) -> str:
    """A ' — did you mean …?' tail for a mistyped id, or nothing."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""


class Description(str):
    """A field's description, each language stored apart (``.en``, ``.zh``) for what shows one language: the
    editors' field reference (render.field_reference) and the form's labels (edit_config.py). As a string it is
    both, English then Chinese, as the JSON Schema, ``casebook new``'s comments and validate's hints show it."""

    en: str
    zh: str

    def __new__(cls, en: str, zh: str) -> Description:
        both = super().__new__(cls, f"{en} {zh}")
        both.en, both.zh = en, zh
        return both

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # pickled (forked readers, copies) as its two languages
        return Description, (self.en, self.zh)


def _vocabulary_term(kind: str):
    def check(value: str, info: ValidationInfo) -> str:
        vocabulary = (info.context or {}).get("vocabulary")
        if vocabulary is not None:
            terms = vocabulary.terms(kind)
            if value not in terms:
                raise PydanticCustomError("vocabulary", "unknown value '{value}'{tail}",
                                          {"value": value, "tail": suggest(value, list(terms))})
        return value
    return AfterValidator(check)


def _vocab(kind: str, description: Description):
    return Annotated[str, Field(description=description, json_schema_extra={"x-vocabulary": kind}),
                     _vocabulary_term(kind)]


def _check_year(value: int) -> int:
    if not FIRST_YEAR <= value <= _SURELY_VALID_UNTIL and not FIRST_YEAR <= value <= last_year():
        raise PydanticCustomError("year", "year {value} is outside {first}–{last}",
                                  {"value": value, "first": FIRST_YEAR, "last": last_year()})
    return value


def _check_schema_version(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise PydanticCustomError("schema",
                                  "record format {value} is not supported; this casebook reads format {known}",
                                  {"value": value, "known": SCHEMA_VERSION})
    return value


def _check_date(value: str) -> str:
    _check_year(int(value[:4]))
    if len(value) == 10:  # the pattern admits day 31 of every month: the calendar decides
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("calendar", "'{value}' is not a day of the calendar", {"value": value}) from None
    return value


Year = Annotated[int, AfterValidator(_check_year), Field(description="A year, e.g. 2016.")]
DateText = Annotated[str, Field(pattern=DATE_PATTERN,
                                description='A year, year-month or date: "2016", "2016-01" or "2016-01-15".'),
                     AfterValidator(_check_date)]
NUMBER_PATTERN = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
# Whole digits of a number, and significant digits of all: every count and amount in CNY fits, and a decimal of
# at most 15 significant digits is the same number again when a float is written out (more would be published
# changed: 999999999999999.9999 as 1000000000000000).
MAX_DIGITS = 15


def _plain_number(value: object) -> object:
    """Only plain decimals: Python's int() would also take '4_20' or ' 1e3'; and no more than MAX_DIGITS whole
    digits, beyond which a value can no longer be shown, charted or added up exactly."""
    if isinstance(value, str):
        match = NUMBER_PATTERN.fullmatch(value)
        if not match:
            raise PydanticCustomError("number", "'{value}' is not a plain number", {"value": value})
        shown = value if len(value) <= 40 else f"{value[:20]}…{value[-8:]}"
        whole, fraction = match.group(1), match.group(2) or ""
        if len(whole.lstrip("0")) > MAX_DIGITS:
            raise PydanticCustomError("number_range", "'{value}' has more than {digits} digits before the point",
                                      {"value": shown, "digits": MAX_DIGITS})
        if len((whole + fraction.rstrip("0")).strip("0")) > MAX_DIGITS:
            raise PydanticCustomError("number_range", "'{value}' has more than {digits} significant digits, more "
                                      "than a published figure keeps: it would be shown as another number",
                                      {"value": shown, "digits": MAX_DIGITS})
    return value


Number = Annotated[int | Annotated[float, Field(allow_inf_nan=False)], BeforeValidator(_plain_number),
                   Field(description="A number, written without units or thousands separators.")]
Id = Annotated[str, Field(pattern=CASE_ID_PATTERN, max_length=MAX_ID_LENGTH,
                          description="An id: lower-case ascii letters, digits and hyphens.")]
ThemeId = _vocab("themes", Description("A theme id from the vocabulary.", "词表中的主题。"))
RelationshipId = _vocab("relationships", Description(
    "A relationship type id from the vocabulary.", "词表中的帮扶关系类型。"))
InstitutionKindId = _vocab("institution_kinds", Description(
    "An institution kind id from the vocabulary.", "词表中的机构类型。"))
SourceKindId = _vocab("source_kinds", Description(
    "A source-document kind id from the vocabulary.", "词表中的文献类型。"))
UnitId = _vocab("units", Description("A unit id from the vocabulary.", "词表中的单位。"))
IndicatorId = _vocab("indicators", Description("An indicator id from the vocabulary.", "词表中的指标。"))
ProvinceCode = _vocab("provinces", Description("An ISO 3166-2:CN province code, e.g. CN-HN.", "省级行政区代码。"))
# A figure's place in the results chain; reporter and partner figures are context by construction.
Chain = Literal["outcome", "output", "input", "context"]
LOCATOR_DESCRIPTION = (Description(
    "Where in the source: headings of source.outline from the top joined by ' › ', 'before the first heading' or "
    "'untitled slide after <path>'.",
    "来源位置。"))
Locator = Annotated[str, Field(min_length=1, description=LOCATOR_DESCRIPTION)]


def _one_line(value: str) -> str:
    if "\n" in value:
        raise PydanticCustomError("one_line", "an alias is one name on one line", {})
    return value


# Free text (any script's letters and digits), so no JSON Schema pattern: one line, checked here.
Alias = Annotated[str, Field(min_length=1, max_length=80,
                             description="Another name of a place, one line, e.g. Kashgar."), AfterValidator(_one_line)]
# Whether a measure or event was carried out or is only planned (a roadmap column, a 'next year we will').
Status = Annotated[Literal["done", "planned"], Field(
    description=Description(
        "done: carried out (the default); planned: only planned or targeted in the source, not a result.",
        "完成情况：done 已实施（默认）；planned 仅为计划或目标，并非成果。"))]


class Record(BaseModel):
    """Base of every part of a record: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Record):
    """A human-readable text in both languages."""

    zh: str = Field(min_length=1, description=Description("Chinese text.", "中文。"))
    en: str | None = Field(default=None, min_length=1,
                           description=Description(
                               "English text; may be left out only while translation.en is pending.", "英文。"))


class Period(Record):
    """A span of years."""

    from_: Year = Field(alias="from", description=Description("First year.", "起始年份。"))
    to: Year | None = Field(default=None, description=Description("Last year; leave out while ongoing.", "结束年份。"))

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.to is not None and self.to < self.from_:
            raise PydanticCustomError("period", "period starts in {start} but ends earlier, in {end}",
                                      {"start": self.from_, "end": self.to})
        return self


class SpanDates(Record):
    """An explicit period a figure covers."""

    from_: DateText = Field(alias="from", description=Description("First day, month or year covered.", "起始时间。"))
    to: DateText = Field(description=Description("Last day, month or year covered.", "截止时间。"))

    @model_validator(mode="after")
    def _ordered(self) -> SpanDates:
        shared = min(len(self.from_), len(self.to))  # "2021" to "2021-06" is one year and its June: not reversed
        if self.to[:shared] < self.from_[:shared]:
            raise PydanticCustomError("period", "span starts on {start} but ends earlier, on {end}",
                                      {"start": self.from_, "end": self.to})
        return self


Span = Literal["cumulative", "year", "half-year", "as-of"] | SpanDates
SPAN_DESCRIPTION = (Description(
    "What period the number covers: cumulative (running total up to when), year or half-year (the one given by when), "
    "as-of (a stock at a date) or {from, to}; left out, the figure is undated.",
    "统计口径：cumulative 累计；year 年度；half-year 半年；as-of 时点数；或 {from, to} 起止时间。"))


class Figure(Record):
    """One number, tagged with an indicator so cases can be compared."""

    indicator: IndicatorId = Field(description=Description("What is counted (vocabulary indicator).", "指标。"))
    value: Number = Field(description=Description("The number exactly as the source gives it.", "数值。"))
    approx: Literal["about", "at-least", "at-most"] | None = Field(
        default=None, description=Description(
            "When the source gives the number loosely: about (约、近), at-least (余、多、以上) or at-most "
            "(以内、不超过).",
            "约数标记。"))
    target: bool = Field(default=False,
                         description=Description(
                             "True when the number is a plan or target, not a result.", "是否为计划目标。"))
    unit: UnitId = Field(description=Description("Unit; must be the indicator's unit.", "单位。"))
    when: DateText | None = Field(default=None,
                                  description=Description(
                                      "When the figure applies, if not the measure's date.", "时间。"))
    span: Span | None = Field(default=None, description=SPAN_DESCRIPTION)
    chain: Chain | None = Field(
        default=None, description=Description(
            "Place in the results chain where it differs from the indicator's: outcome (what changed for the "
            "assisted), output (what was done), input (money, equipment, staff sent) or context; reporter and partner "
            "figures are context.",
            "结果链位置：outcome 成效、output 产出、input 投入、context 背景（与指标默认不同时填写）。"))
    chain_note: Text | None = Field(default=None, description=Description(
        "Why the chain differs from the indicator's default.", "结果链位置不同于默认的理由。"))
    note: Text | None = Field(default=None, description=Description("What exactly the number covers.", "说明。"))
    source_at: Locator | None = Field(default=None, description=Description(
        "Where in the source, if not its measure's place.", "来源位置（举措内的数据默认沿用举措的位置）。"))


class Region(Record):
    """Where a partner is."""

    province: ProvinceCode = Field(description=Description("Province-level division (ISO 3166-2:CN).", "省级行政区。"))
    prefecture: Text | None = Field(default=None, description=Description(
        "Prefecture-level city or prefecture.", "地级市/州/地区。"))
    county: Text | None = Field(default=None, description=Description(
        "County, county-level city or district.", "县/县级市/区。"))
    aliases: list[Alias] | None = Field(default=None,
                                 description=Description(
                                     "Other names readers search for the place: pinyin and common names (Kashi, "
                                     "Kashgar). Found by the search, not shown.",
                                     "地名的其他写法（拼音、通用名），供检索，不显示。"))


class Partner(Record):
    """An institution or region that was assisted."""

    id: Id = Field(description=Description(
        "Id used to refer to this partner within the record.", "本记录内引用该对象的标识。"))
    name: Text = Field(description=Description("Name of the assisted institution or region.", "受援单位或地区名称。"))
    kind: InstitutionKindId = Field(description=Description("What kind of body it is.", "机构类型。"))
    region: Region = Field(description=Description("Where it is.", "所在地区。"))
    relationship: list[RelationshipId] = Field(min_length=1,
                                               description=Description(
                                                   "Relationship type(s) with the reporter.", "帮扶关系类型。"))
    since: DateText | None = Field(default=None, description=Description("When the relationship began.", "开始时间。"))
    honours: list[Text] = Field(default_factory=list,
                                description=Description(
                                    "The partner's status, titles and honours as the source gives them.",
                                    "受援对象的地位与荣誉。"))
    figures: list[Figure] = Field(default_factory=list,
                                  description=Description(
                                      "The partner's own size figures (staff, students …) as the source gives them.",
                                      "受援对象自身的规模数据。"))


class Measure(Record):
    """One thing that was done, under one theme."""

    id: Id | None = Field(default=None, description=Description(
        "Id of the measure, for links and editor notes.", "举措标识。"))
    theme: ThemeId = Field(description=Description("Theme the measure belongs to.", "所属主题。"))
    title: Text = Field(description=Description("Short name of the measure.", "举措名称。"))
    detail: Text | None = Field(default=None, description=Description("What was done, in our own words.", "具体内容。"))
    when: DateText | None = Field(default=None, description=Description("When it happened or began.", "时间。"))
    status: Status = "done"
    partners: list[Id] = Field(default_factory=list, description=Description(
        "Ids of the partners it concerned.", "涉及的受援对象。"))
    figures: list[Figure] = Field(default_factory=list, description=Description(
        "Numbers the source gives for it.", "相关数据。"))
    source_at: Locator | None = Field(default=None, description=LOCATOR_DESCRIPTION)


class Column(Record):
    """A table column: its header, the type of its cells and their unit."""

    id: Id = Field(description=Description("Id of the column.", "列标识。"))
    label: Text = Field(description=Description("Column header.", "列标题。"))
    type: Literal["text", "integer", "number"] = Field(description=Description(
        "Cell type: text, integer or number.", "单元格类型。"))
    unit: UnitId | None = Field(default=None, description=Description(
        "Unit of the cells, for numeric columns.", "单位。"))
    sum_of: list[Id] = Field(default_factory=list,
                             description=Description(
                                 "Ids of the columns this one is declared to add up (a subtotal column).",
                                 "小计所合计的列。"))


Cell = Annotated[Text | Number | None, Field(description="A cell: {zh, en} text, a number, or empty.")]


class Table(Record):
    """A table from the source, with typed cells and optional totals."""

    id: Id = Field(description=Description("Id of the table, used by editor notes.", "表格标识。"))
    title: Text = Field(description=Description("Caption.", "表题。"))
    columns: list[Column] = Field(min_length=1, description=Description("Columns, left to right.", "各列。"))
    rows: list[list[Cell]] = Field(min_length=1, description=Description("Rows; one cell per column.", "各行。"))
    totals: list[Cell] | None = Field(default=None, description=Description(
        "The source's totals row, if it has one.", "合计行。"))
    note: Text | None = Field(default=None, description=Description("Source and remarks.", "表注。"))


class Event(Record):
    """A dated event."""

    when: DateText = Field(description=Description("Date of the event.", "时间。"))
    event: Text = Field(description=Description("What happened.", "事件。"))
    status: Status = "done"
    source_at: Locator | None = Field(default=None, description=LOCATOR_DESCRIPTION)


class Policy(Record):
    """A policy document the source cites."""

    title: Text = Field(description=Description("Title of the document (Chinese title kept exactly).", "文件名称。"))
    number: str | None = Field(default=None, description=Description(
        "Document number, e.g. 黄发〔2015〕1号.", "文号。"))
    issuer: Text | None = Field(default=None, description=Description("Who issued it.", "发文机关。"))
    year: Year | None = Field(default=None, description=Description("Year issued.", "年份。"))


class Challenge(Record):
    """A problem the source names and the response to it."""

    problem: Text = Field(description=Description("The problem.", "问题。"))
    response: Text | None = Field(default=None, description=Description("What was or will be done about it.", "对策。"))


class Voice(Record):
    """A person the source quotes, paraphrased."""

    who: Text = Field(description=Description("Name or description of the person.", "人物。"))
    role: Text | None = Field(default=None, description=Description("Their role.", "身份。"))
    paraphrase: Text = Field(description=Description("What they said, in our own words.", "观点（转述）。"))


class EditorNote(Record):
    """An ambiguity or error in the source, stated rather than guessed."""

    about: str | None = Field(default=None,
                              description=Description(
                                  "Id of the table, partner or field the note concerns.", "所涉对象。"))
    note: Text = Field(description=Description("What the source says and what is uncertain.", "说明。"))


class Reporter(Record):
    """The institution that wrote the source report."""

    name: Text = Field(description=Description("Name (its own English name where it has one).", "名称。"))
    kind: InstitutionKindId = Field(description=Description("What kind of body it is.", "机构类型。"))
    province: ProvinceCode = Field(description=Description(
        "Province-level division (ISO 3166-2:CN).", "所在省级行政区。"))
    city: Text | None = Field(default=None, description=Description("City.", "所在城市。"))
    founded: Year | None = Field(default=None, description=Description("Year founded.", "建校（成立）年份。"))
    honours: list[Text] = Field(default_factory=list, description=Description("Status and honours.", "荣誉与地位。"))
    figures: list[Figure] = Field(default_factory=list, description=Description(
        "Size figures (staff, students …).", "规模数据。"))


URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"


def check_url(value: str) -> str:
    """An absolute http(s) address with a host: never javascript:, data:, a relative path or a bare word."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(ch.isspace() for ch in value):
        raise PydanticCustomError("url", "'{value}' is not an absolute http(s) address", {"value": value})
    if parts.username is not None or "\\" in value:  # https://good.example@evil.example/ shows one host, opens another
        raise PydanticCustomError("url", "'{value}' names a user or hides its host", {"value": value})
    _check_host(value, parts.hostname)
    try:
        port = parts.port
    except ValueError:  # not a number, or beyond 65535
        port = 0
    if port == 0:
        raise PydanticCustomError("url", "'{value}' has no valid port (1 to 65535)", {"value": value})
    return value


# Dots that are no dots in a host name, though they look like one or a browser takes them for one.
_LOOKALIKE_DOTS = "\u3002\uff0e\uff61\ufe52\u2024"


def _check_host(value: str, host: str) -> None:
    """A host as the reader sees it and the browser opens it: no character that looks like another (full-width
    letters or dots, the ideographic full stop that browsers read as a dot) or shows as nothing (zero-width and
    other format characters), and a name IDNA can encode."""
    if (any(ch in _LOOKALIKE_DOTS or unicodedata.category(ch) == "Cf" for ch in host)
            or unicodedata.normalize("NFKC", host) != host):
        raise PydanticCustomError("url", "'{value}' has a host with characters that look like others or show as "
                                  "nothing (full-width letters or dots, 。, zero-width spaces)", {"value": value})
    try:
        host.encode("idna")  # each label as DNS carries it (xn--…): none empty, none over 63 characters
    except UnicodeError:
        raise PydanticCustomError("url", "'{value}' has no valid host name", {"value": value}) from None


WebAddress = Annotated[str, Field(pattern=URL_PATTERN, description="An absolute address starting http:// or https://."),
                       AfterValidator(check_url)]  # the pattern first, so the JSON Schema has it too


class Heading(Record):
    """One heading of the source, as the source writes it, with the headings under it."""

    heading: str = Field(min_length=1, description=Description(
        "The heading exactly as the source writes it.", "来源中的标题原文。"))
    en: str | None = Field(default=None, min_length=1, description=Description(
        "English gloss of the heading.", "标题的英文释义。"))
    sections: list[Heading] = Field(default_factory=list, description=Description(
        "Headings under this one, in order.", "下级标题。"))


class Source(Record):
    """The document the case is drawn from."""

    title: Text = Field(description=Description("Title of the document.", "文献标题。"))
    kind: SourceKindId = Field(description=Description("Kind of document.", "文献类型。"))
    issued: DateText = Field(description=Description("When it was issued.", "发布时间。"))
    author: Text | None = Field(default=None, description=Description("Author, if a person is named.", "作者。"))
    period: Period = Field(description=Description("Years the document covers.", "所涉年份。"))
    publisher: Text | None = Field(default=None,
                                   description=Description(
                                       "Who published it (a journal, a website, a body).", "出版或发布者。"))
    pages: str | None = Field(default=None, min_length=1,
                              description=Description("Pages the case draws on, e.g. 12-18.", "页码。"))
    url: WebAddress | None = Field(default=None,
                                   description=Description(
                                       "Where the document can be read online, in full: https://….", "网址。"))
    archived_url: WebAddress | None = Field(
        default=None, description=Description(
            "A lasting archived copy, in full: https://web.archive.org/….", "存档网址。"))
    accessed: DateText | None = Field(default=None, description=Description(
        "When the address was last checked.", "访问日期。"))
    held_by: Text | None = Field(default=None, description=Description(
        "Who holds a source that has no web address, e.g. the reporting college's office.", "无网址来源的保存单位。"))
    outline: list[Heading] = Field(default_factory=list,
                                   description=Description(
                                       "The source's own headings, in order and nested; once given, every measure, "
                                       "figure outside a measure and event needs source_at.",
                                       "来源文献的标题结构。"))


class Translation(Record):
    """State of the English translation."""

    en: Literal["pending", "draft", "reviewed"] = Field(
        description=Description(
            "pending: English not yet written; draft: written, not reviewed; reviewed: checked against the Chinese.",
            "英文译文状态。"))


class Case(Record):
    """One case record: a file ``cases/<id>.yaml``."""

    schema_: Annotated[int, AfterValidator(_check_schema_version)] = Field(
        alias="schema", description=Description("Version of the record format; 1.", "格式版本。"))
    added: DateText = Field(description=Description("Date the case was added to the casebook.", "收录日期。"))
    title: Text = Field(description=Description("Title of the case.", "案例标题。"))
    summary: Text = Field(description=Description(
        "Summary in our own words; short paragraphs separated by a blank line.", "摘要（自撰），可分段，段间空一行。"))
    lead: Text | None = Field(default=None, description=Description(
        "One or two sentences: what was done, for whom, what changed.", "导语：做了什么、为谁、带来什么变化。"))
    reporter: Reporter = Field(description=Description("Who wrote the source report.", "报告单位。"))
    source: Source = Field(description=Description("The source document.", "来源文献。"))
    partners: list[Partner] = Field(min_length=1, description=Description("Who was assisted.", "受援对象。"))
    measures: list[Measure] = Field(default_factory=list,
                                    description=Description(
                                        "What was done, in the source's order.", "帮扶举措（按来源顺序）。"))
    figures: list[Figure] = Field(default_factory=list, description=Description(
        "Headline figures of the case.", "核心数据。"))
    tables: list[Table] = Field(default_factory=list, description=Description("Tables from the source.", "数据表。"))
    timeline: list[Event] = Field(default_factory=list, description=Description("Dated events.", "大事记。"))
    policies: list[Policy] = Field(default_factory=list, description=Description(
        "Policy documents cited.", "政策依据。"))
    challenges: list[Challenge] = Field(default_factory=list, description=Description(
        "Problems and responses.", "问题与对策。"))
    next_steps: list[Text] = Field(default_factory=list, description=Description(
        "Plans for further work.", "下一步工作。"))
    recommendations: list[Text] = Field(default_factory=list,
                                        description=Description("Recommendations to higher authorities.", "建议。"))
    voices: list[Voice] = Field(default_factory=list, description=Description(
        "People quoted, paraphrased.", "人物声音。"))
    editor_notes: list[EditorNote] = Field(default_factory=list, description=Description(
        "Ambiguities in the source.", "编者注。"))
    translation: Translation = Field(description=Description("State of the English translation.", "翻译状态。"))


CASE_ID_RE = re.compile(CASE_ID_PATTERN)


def is_case_id(name: str) -> bool:
    """Whether ``name`` can be a case id: the pattern whole, the length, and no name the site's cases/ uses."""
    return CASE_ID_RE.fullmatch(name) is not None and len(name) <= MAX_ID_LENGTH and name not in RESERVED_CASE_IDS


def reserved_id_message(name: str) -> str:
    """Why ``name``, one of :data:`RESERVED_CASE_IDS`, is no case id."""
    return (f"'{name}' cannot be a case id: {RESERVED_CASE_IDS[name]} (ids the site keeps: "
            f"{', '.join(sorted(RESERVED_CASE_IDS))})")


CASE_SCHEMA_TITLE = "Casebook case record"  # also tells `casebook schema -o` a file it may replace


def case_json_schema(vocabulary) -> dict:
    """The JSON Schema of a record, with every vocabulary field listing its allowed ids (for autocompletion)."""
    schema = Case.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = CASE_SCHEMA_TITLE

    def fill(node):
        if isinstance(node, dict):
            kind = node.get("x-vocabulary")
            if kind:
                node["enum"] = list(vocabulary.terms(kind))
            for value in node.values():
                fill(value)
        elif isinstance(node, list):
            for value in node:
                fill(value)
    fill(schema)
    return schema


# --- a record's types and the walk over its fields ------------------------------------------

@dataclass(frozen=True)
class ValidCase:
    """A record that passed every check, with the id taken from its file name."""

    id: str
    path: Path
    case: Case


_TEXT_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}  # a pure memo table: a model's fields do not change
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


def model_at(loc: Loc) -> type[BaseModel] | None:
    """The model whose fields sit at ``loc`` in a record (validate uses it to name and suggest fields)."""
    annotation: Any = Case
    for part in loc:
        annotation = unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = next((f for n, f in annotation.model_fields.items() if (f.alias or n) == part), None)
            annotation = field.annotation if field else None
        else:
            return None
    annotation = unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def unwrap(annotation: Any) -> Any:
    """The type an annotation holds, without Annotated and Optional; of a union of models, the first model."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = (models or members)[0]
        else:
            return annotation


def field_names(model: type[BaseModel] | None) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()] if model else []

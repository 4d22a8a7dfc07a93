"""Every output is valid and inert whatever a record holds: the CSV files hold no formula, the feed is well-formed
XML, every BibTeX entry parses with all its fields, cases.json validates against the published schema.

The generator's render and writers are run directly (no MkDocs build): on the hostile fixture, on every fixture and
real record, and on records that skip validation (texts validation would refuse), since no output may depend on
validation to stay safe.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from generator.opendata import data_files, inert_cell
from generator.render import render_site
from generator.schema import Text
from generator.settings import Settings, load_settings
from generator.validate import ValidCase, validate_files
from generator.vocabulary import Vocabulary, load_vocabulary
from tests.output_checks import (
    assert_bibtex_holds,
    assert_cases_json_valid,
    assert_no_formula,
    assert_well_formed_xml,
    bibtex_blocks,
    data_texts,
    field_names,
    parse_bibtex,
    shown,
)
from tests.site_helpers import FIXTURES, ROOT, TEST_SITE_URL

CASEBOOK = {"zh": "职业教育帮扶案例库", "en": "Vocational Education Assistance Casebook"}   # the BibTeX author

HOSTILE = FIXTURES / "hostile" / "hostile-payloads.yaml"
LAKESIDE = FIXTURES / "cases" / "lakeside-polytechnic.yaml"
ATOM = "http://www.w3.org/2005/Atom"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(ROOT / "vocabulary.yaml")


@pytest.fixture(scope="module")
def settings() -> Settings:
    # with an address, as published: the feed and the citations' URLs are made only then
    return dataclasses.replace(load_settings(ROOT / "mkdocs.yml"), site_url=TEST_SITE_URL)


def validated(paths: list[Path], vocabulary: Vocabulary) -> list[ValidCase]:
    valid, problems = validate_files(paths, vocabulary)
    assert not problems, "\n".join(map(str, problems))
    return valid


@pytest.fixture(scope="module")
def hostile(vocabulary: Vocabulary) -> list[ValidCase]:
    return validated([HOSTILE, LAKESIDE], vocabulary)


def files_of(cases: list[ValidCase], vocabulary: Vocabulary, settings: Settings) -> dict[str, str]:
    return data_texts(data_files(cases, vocabulary, settings.site_url, settings.data_license))


def record(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def unvalidated(item: ValidCase, **texts: Text) -> ValidCase:
    """``item`` with some texts replaced as they are, without validation (which would refuse them)."""
    return ValidCase(item.id, item.path, item.case.model_copy(update=texts))


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
                                     "=cmd|' /C calc'!A0"])
def test_a_text_cell_that_would_start_a_formula_gets_an_apostrophe(payload: str) -> None:
    assert inert_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["甲职业学院", "2026-08-01", "a=b", "1+1", "", "CN-HN", -2, 12.5, 0])
def test_other_cells_and_numbers_stay_as_they_are(value: object) -> None:
    assert inert_cell(value) == value


def test_csv_files_hold_no_formula_and_keep_every_text(hostile: list[ValidCase], vocabulary: Vocabulary,
                                                       settings: Settings) -> None:
    files = files_of(hostile, vocabulary, settings)
    data = record(HOSTILE)
    cases = {row["id"]: row for row in assert_no_formula("cases.csv", files["data/cases.csv"])}
    row = cases["hostile-payloads"]
    assert shown(row["source_title_zh"]) == data["source"]["title"]["zh"] == "-2+3来源{{ 7*7 }}"
    assert row["source_title_zh"] == "'-2+3来源{{ 7*7 }}"
    assert shown(row["source_title_en"]) == data["source"]["title"]["en"]
    names = [p["name"] for p in data["partners"]]
    assert shown(row["partner_names_zh"]) == "; ".join(n["zh"] for n in names)
    assert shown(row["partner_names_en"]) == "; ".join(n["en"] for n in names)
    assert row["title_en"] == data["title"]["en"]  # a text that starts no formula is written as it is

    figures = assert_no_formula("figures.csv", files["data/figures.csv"])
    (figure,) = [f for f in figures if f["case"] == "hostile-payloads"]
    assert figure["value"] == "-2"  # a negative number stays a number
    assert (shown(figure["note_zh"]), shown(figure["note_en"])) == ("=1+1", "-2+3")  # the tab is YAML's to strip


def test_csv_cells_that_validation_would_refuse_are_neutralised_too(hostile: list[ValidCase], vocabulary: Vocabulary,
                                                                    settings: Settings) -> None:
    lakeside = next(item for item in hostile if item.id == "lakeside-polytechnic")
    odd = unvalidated(lakeside, title=Text.model_construct(zh="\t=1+1", en="\r@SUM(A1)"))
    row = assert_no_formula("cases.csv", files_of([odd], vocabulary, settings)["data/cases.csv"])[0]
    assert (row["title_zh"], row["title_en"]) == ("'\t=1+1", "'\r@SUM(A1)")


# ---------------------------------------------------------------- feed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feed_is_well_formed_and_shows_the_hostile_texts(hostile: list[ValidCase], vocabulary: Vocabulary,
                                                         settings: Settings, lang: str) -> None:
    feed = dict(render_site(hostile, vocabulary, settings, lang))["feed.xml"]
    doc = assert_well_formed_xml(feed)
    titles = [t.firstChild.data for t in doc.getElementsByTagNameNS(ATOM, "title")[1:]]
    assert record(HOSTILE)["title"][lang] in titles
    assert doc.getElementsByTagNameNS(ATOM, "entry").length == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feed_stays_well_formed_with_characters_xml_cannot_carry(hostile: list[ValidCase], vocabulary: Vocabulary,
                                                                 settings: Settings, lang: str) -> None:
    lakeside = next(item for item in hostile if item.id == "lakeside-polytechnic")
    odd = unvalidated(lakeside, title=Text.model_construct(zh="甲\x00乙\x7f丙\x85", en="a\x01b\x1bc\x9f]]>"),
                      # the feed's summary is the lead (the case's summary where it has none)
                      lead=Text.model_construct(zh="\ufffe\uffff\ud800\U0001fffe", en="\x0b\x0c\x08<![CDATA["))
    feed = dict(render_site([odd], vocabulary, settings, lang))["feed.xml"]
    doc = assert_well_formed_xml(feed)
    (entry,) = doc.getElementsByTagNameNS(ATOM, "entry")
    title = entry.getElementsByTagNameNS(ATOM, "title")[0].firstChild.data
    summary = entry.getElementsByTagNameNS(ATOM, "summary")[0].firstChild.data
    # each character no XML may hold is shown as U+FFFD; those Python counts as spaces (NEL, VT, FF) as spaces
    assert (title, summary) == {"zh": ("甲\ufffd乙\ufffd丙", "\ufffd\ufffd\ufffd\ufffd"),
                                "en": ("a\ufffdb\ufffdc\ufffd]]>", "\ufffd<![CDATA[")}[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feed_stays_well_formed_with_an_ampersand_in_the_site_url(hostile: list[ValidCase], vocabulary: Vocabulary,
                                                                  settings: Settings, lang: str) -> None:
    """Issue 21, attack 18: CASEBOOK_SITE_URL=https://example.org/?a=1&b=2 made feed.xml not well-formed."""
    odd = dataclasses.replace(settings, site_url="https://example.org/casebook/?a=1&b=<2>/")
    doc = assert_well_formed_xml(dict(render_site(hostile, vocabulary, odd, lang))["feed.xml"])
    base = "https://example.org/casebook/?a=1&b=<2>/" + ("" if lang == "zh" else "en/")
    assert doc.getElementsByTagNameNS(ATOM, "id")[0].firstChild.data == base + "feed.xml"
    assert doc.getElementsByTagNameNS(ATOM, "link")[0].getAttribute("href") == base + "feed.xml"


# ---------------------------------------------------------------- BibTeX


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bibtex_entry_keeps_its_fields_whatever_the_title_holds(hostile: list[ValidCase], vocabulary: Vocabulary,
                                                                settings: Settings, lang: str) -> None:
    pages = dict(render_site(hostile, vocabulary, settings, lang))
    (plain,) = bibtex_blocks(pages["cases/lakeside-polytechnic/index.md"])
    (crafted,) = bibtex_blocks(pages["cases/hostile-payloads/index.md"])
    expected = field_names(parse_bibtex(plain))
    assert {"author", "title", "year", "date", "url"} <= expected
    entry = parse_bibtex(crafted)
    assert field_names(entry) == expected  # the title's "note = {…}, x = {" added no field
    data = record(HOSTILE)
    # the case page is the casebook's text: its author is the casebook (these settings name no publisher)
    assert_bibtex_holds(entry, data["title"][lang], CASEBOOK[lang])
    assert entry.fields["date"] == data["added"]
    assert entry.fields["url"].endswith("/cases/hostile-payloads/")


# ---------------------------------------------------------------- cases.json


def every_record() -> list[Path]:
    return sorted((ROOT / "cases").glob("*.yaml")) + sorted(FIXTURES.glob("*/*.yaml"))


def test_cases_json_of_every_real_and_fixture_record_validates_against_the_schema(vocabulary: Vocabulary,
                                                                                   settings: Settings) -> None:
    paths = every_record()
    assert len([p for p in paths if p.parent == ROOT / "cases"]) >= 5
    cases = validated(paths, vocabulary)
    files = files_of(cases, vocabulary, settings)
    data = assert_cases_json_valid(files["data/cases.json"], files["data/case.schema.json"])
    assert sorted(data["cases"]) == sorted(p.stem for p in paths)
    assert data["cases"]["hostile-payloads"]["title"] == record(HOSTILE)["title"]

"""Numbers, units, plurals and Chinese typography over every page of a whole build, both languages.

The site holds the real records in cases/ and the fixture records, so what a reader of either edition sees is
checked as it is published: amounts in the reader's terms, no singular/plural mismatch, percent signs without a
space, and Chinese pages with no stray ASCII space or half-width bracket.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.numbers import numbers_for
from generator.typography import chinese_flaws
from generator.vocabulary import load_vocabulary
from tests.browser_support import FIXTURE_CASES
from tests.page_text import built_pages, visible_runs
from tests.site_helpers import ROOT, build, make_project

pytestmark = pytest.mark.slow  # one whole build (MkDocs)

VOCABULARY = load_vocabulary(ROOT / "vocabulary.yaml")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cases = sorted((ROOT / "cases").glob("*.yaml")) + FIXTURE_CASES
    return build(make_project(tmp_path_factory.mktemp("language") / "project", cases))


@pytest.fixture(scope="module")
def runs(site: Path) -> dict[str, dict[str, list[str]]]:
    """lang → page (relative path) → the page's text runs."""
    return {lang: {str(p.relative_to(site)): visible_runs(p.read_text(encoding="utf-8"))
                   for p in built_pages(site, lang)} for lang in ("zh", "en")}


def _english_forms() -> list[tuple[str, str]]:
    """(singular, plural) English nouns the site counts with: unit labels and the UI strings' counts."""
    import yaml

    forms = {(unit.one, unit.en) for unit in VOCABULARY.units.values() if unit.one and unit.one != unit.en}
    counts = yaml.safe_load((ROOT / "templates" / "strings" / "en.yaml").read_text(encoding="utf-8"))["count"]
    for plural in counts.values():
        one, other = plural["one"].replace("{n} ", ""), plural["other"].replace("{n} ", "")
        if one.split()[0] != other.split()[0]:    # "assisted institution(s)": the noun is not first
            forms.add((one.split()[0], other.split()[0]))
    return sorted(forms)


FORMS = _english_forms()


def test_the_forms_checked_are_the_sites_own():
    assert ("person", "people") in FORMS and ("item", "items") in FORMS and ("case", "cases") in FORMS
    assert ("figure", "figures") in FORMS


def test_no_english_page_says_ten_thousand(runs):
    found = [(page, run) for page, texts in runs["en"].items() for run in texts if "ten thousand" in run.lower()]
    assert not found, found[:5]


def test_amounts_in_the_readers_terms(runs):
    hubei = " ".join(runs["en"]["en/cases/hubei-engineering-vocational-college/index.html"])
    assert "CNY 1.901 million" in hubei          # 190.1 万元
    shanghai = " ".join(runs["en"]["en/cases/shanghai-vocational-education/index.html"])
    assert "5 million fish" in shanghai           # 500 万尾
    zh_hubei = " ".join(runs["zh"]["cases/hubei-engineering-vocational-college/index.html"])
    assert "1.7亿元" in zh_hubei and "20万平方米" in zh_hubei   # 17,000 万元 and 200,000 平方米
    assert "17,000万元" in zh_hubei               # the source's own figure, as hover text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_singular_plural_mismatch(runs, lang):
    one = numbers_for("en")
    mismatches = []
    for page, texts in runs[lang].items():
        for run in texts:
            for singular, plural in FORMS:
                # a singular counts as the noun only where no other word follows ("50 project reports" is fine)
                noun = rf"(?:({plural})|({singular})(?![\w-]| [a-z]))\b(?!-)"
                for m in re.finditer(rf"(?<![\w.,])(\d[\d,]*(?:\.\d+)?) {noun}", run):
                    n = float(m.group(1).replace(",", ""))
                    if (m.group(2) if one.plural(n) == "one" else m.group(3)):
                        mismatches.append((page, run[max(0, m.start() - 30):m.end() + 10]))
            if re.search(r"\b1 (case report|cases reports)\b", run):
                mismatches.append((page, run))
    assert not mismatches, mismatches[:10]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_percent_signs_carry_no_space(runs, lang):
    found = [(page, run) for page, texts in runs[lang].items() for run in texts if re.search(r"\d %", run)]
    assert not found, found[:5]


def test_charts_show_percent_signs(site):
    chart = (site / "en/compare/employment-rate/index.html").read_text(encoding="utf-8")
    values = re.findall(r'class="cb-svg__value">([^<]*)<', chart)
    # a figure that counts something else than the others carries its legend mark after the value: "73.2% [1]"
    # (changed on purpose); the value itself still ends in its percent sign
    assert values and all(re.sub(r" [［\[]\d+[］\]]$", "", v).endswith("%") for v in values), values


def test_every_chinese_page_follows_chinese_typography(runs):
    found = [(page, flaw.message) for page, texts in runs["zh"].items() for run in texts
             for flaw in chinese_flaws(run)]
    assert not found, found[:10]


def test_the_typography_check_sees_what_templates_add(tmp_path):
    """The check is not blind: a space a template puts between a word and a link is found."""
    runs = visible_runs('<p>返回 <a href="../">分类浏览</a></p><td>湖北省 (黄石市)</td>')
    found = [f.message.split(":")[0] for run in runs for f in chinese_flaws(run)]
    assert found == ["stray space in Chinese text"] + ["half-width bracket in Chinese text"] * 2


def test_folded_chinese_text_is_joined_without_spaces(runs):
    # the Hubei responsibility-chain measure is folded over several lines in its record (its summary is now in
    # paragraphs, one line each); the page joins the lines as Chinese does
    hubei = runs["zh"]["cases/hubei-engineering-vocational-college/index.html"]
    assert any("任精准扶贫总指挥。学校成立对口扶持办公室" in run for run in hubei)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_headers_give_each_unit_once(runs, lang):
    page = runs[lang][("" if lang == "zh" else "en/") + "cases/hubei-engineering-vocational-college/index.html"]
    assert not [run for run in page if re.search(r"person-times \(person-times\)|人次（人次）", run)]


# --- verifiable sources ---------------------------------------------------------------

LAKESIDE_URL = "https://lakeside.example.org/reports/twinning-2017.html"
ARCHIVED = "https://web.archive.org/web/2018/" + LAKESIDE_URL


def test_source_with_an_address_shows_it_and_cites_it(site, runs):
    html = (site / "en/cases/lakeside-polytechnic/index.html").read_text(encoding="utf-8")
    assert f'<a href="{LAKESIDE_URL}" class="cb-url">' in html and f'<a href="{ARCHIVED}" class="cb-url">' in html
    text = " ".join(runs["en"]["en/cases/lakeside-polytechnic/index.html"])
    assert "湖畔职业技术学院结对帮扶工作经验交流材料" in text          # the original title beside its translation
    assert "Lakeside Education Bureau" in text and "3-9" in text and "checked 1 May 2024" in text
    assert f"pp. 3-9. {LAKESIDE_URL} (accessed 1 May 2024)" in text   # the source's citation, dated in English
    assert "url = {https://lakeside.example.org/reports/twinning-2017.html}" in text   # its BibTeX
    assert "urldate = {2024-05-01}" in text and "publisher = {Lakeside Education Bureau}" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_source_without_an_address_says_so(runs, lang):
    page = ("" if lang == "zh" else "en/") + "cases/hubei-engineering-vocational-college/index.html"
    text = " ".join(runs[lang][page])
    assert {"zh": "尚不知道该文献的网址", "en": "No web address is known for this document"}[lang] in text


def test_open_data_carry_the_source_fields(site):
    import csv
    import io
    import json

    record = json.loads((site / "data/cases.json").read_text(encoding="utf-8"))["cases"]["lakeside-polytechnic"]
    assert record["source"]["url"] == LAKESIDE_URL
    assert record["source"]["archived_url"] == ARCHIVED and record["source"]["pages"] == "3-9"
    assert record["source"]["publisher"] == {"zh": "湖畔市教育局", "en": "Lakeside Education Bureau"}
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((site / "data/cases.csv").read_text(encoding="utf-8-sig")))}
    assert rows["lakeside-polytechnic"]["source_url"] == LAKESIDE_URL
    assert rows["lakeside-polytechnic"]["source_accessed"] == "2024-05-01"
    assert rows["hubei-engineering-vocational-college"]["source_url"] == ""    # none known, none invented
    schema = json.loads((site / "data/case.schema.json").read_text(encoding="utf-8"))
    assert {"url", "archived_url", "publisher", "pages", "accessed"} <= set(schema["$defs"]["Source"]["properties"])

"""Whole-build test: planned measures and events carry a visible label, and an assisted partner's own profile is
shown in the partner block, in both languages (a real `casebook build` of the Tianjin and Hubei records)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.site_helpers import ROOT, build, make_project
from tests.site_html import page

pytestmark = pytest.mark.slow  # one whole build (MkDocs)

CASES = [ROOT / "cases" / f"{name}.yaml" for name in ("tianjin-vocational-institute",
                                                      "hubei-engineering-vocational-college")]
PREFIX = {"zh": "", "en": "en/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(make_project(tmp_path_factory.mktemp("plans"), CASES))


def ui(lang: str) -> dict:
    return yaml.safe_load((ROOT / "templates" / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_planned_measures_and_events_are_labelled_and_results_are_not(site: Path, lang: str) -> None:
    doc = page(site, f"{PREFIX[lang]}cases/tianjin-vocational-institute/")
    label = ui(lang)["marks"]["planned"]
    assert doc.find("h3", id="m-smart-manufacturing-base").find("span", "cb-status").text() == label
    assert doc.find("h3", id="m-hotan-college-aid").find_all("span", "cb-status") == []
    timeline = [li for li in doc.find_all("li") if li.find_all("span", "cb-status")
                and li.find_all("strong") and li.find("strong").text() == ("2019年" if lang == "zh" else "2019")]
    assert len(timeline) == 1 and ("援疆干部" if lang == "zh" else "aid-to-Xinjiang cadres") in timeline[0].text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_yangxin_centres_own_profile_is_shown_in_the_partner_block(site: Path, lang: str) -> None:
    doc = page(site, f"{PREFIX[lang]}cases/hubei-engineering-vocational-college/")
    heading = doc.find("h3", id="partner-yangxin-vocational-education-centre")
    name = "阳新县职业教育中心" if lang == "zh" else "Yangxin County Vocational Education Centre"
    assert heading.text().rstrip("¶").strip() == ui(lang)["case"]["partner_profile"].replace("{name}", name)
    text = doc.text()
    assert "青春富康行动培训基地" in text
    values = [card.find("p", "cb-card__value").text() for card in doc.find_all("div", "cb-card")]
    assert any(value.startswith("194") for value in values) and any("4,224" in v or "4224" in v for v in values)

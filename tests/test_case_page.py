"""The case page's shape: figures by the results chain (plans never among results), measures in the record's
order, related cases, and one style per language for numbers and dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.case_page import key_figures, measures_in_order, related_cases
from generator.dates import date_text
from generator.numbers import amount
from generator.render import Helpers, ui_strings
from generator.schema import Case, Figure, Period, ValidCase
from tests.conftest import lakeside
from tests.real_cases import real_case

REAL = ["guangdong-industry-polytechnic", "hubei-engineering-vocational-college", "hunan-industry-polytechnic",
        "shanghai-vocational-education", "tianjin-vocational-institute"]


@pytest.mark.parametrize(("value", "zh", "en"), [
    ("2023-05-17", "2023年5月17日", "17 May 2023"), ("2023-05", "2023年5月", "May 2023"), ("2023", "2023年", "2023")])
def test_dates_as_each_language_writes_them(value, zh, en):
    assert date_text(value, "zh") == zh and date_text(value, "en") == en


@pytest.mark.parametrize(("start", "end", "zh", "en"), [
    (2016, 2017, "2016—2017年", "2016–2017"), (2016, 2016, "2016年", "2016"),
    (2016, None, "2016年至今", "2016–present")])
def test_year_ranges_one_way_per_language(vocabulary, start, end, zh, en):
    period = Period.model_validate({"from": start, "to": end})
    assert Helpers(vocabulary, "zh", ui_strings("zh")).period(period) == zh
    assert Helpers(vocabulary, "en", ui_strings("en")).period(period) == en


@pytest.mark.parametrize(("value", "unit", "zh"), [
    (4224, "person", "4224人"),             # GB/T 15835: four digits are not grouped
    (10115, "person-times", "10,115人次"),   # five and more are grouped in threes
    (15000, "square-metre", "1.5万平方米"),   # from 万 on, in 万 where that is exact
    (190.1, "cny-10k", "190.1万元"),
])
def test_chinese_digit_grouping_follows_one_rule(vocabulary, value, unit, zh):
    assert amount(value, vocabulary.units[unit], "zh").text == zh


@pytest.mark.parametrize(("approx", "value", "unit", "zh", "en"), [
    ("at-least", 10000, "person", "1万余人", "at least 10,000 people"),
    ("about", 300, "person", "约300人", "about 300 people"),
    ("at-most", 5, "day", "不超过5天", "up to 5 days"),
    ("at-least", 90, "percent", "90%以上", "at least 90%"),
])
def test_loose_figures_in_each_languages_words(vocabulary, approx, value, unit, zh, en):
    figure = Figure(indicator="graduates", value=value, unit=unit, approx=approx)
    assert Helpers(vocabulary, "zh", ui_strings("zh")).amount_text(figure) == zh
    assert Helpers(vocabulary, "en", ui_strings("en")).amount_text(figure) == en


@pytest.mark.parametrize(("value", "en"), [(1, "1 award"), (12, "12 awards")])
def test_english_counts_name_what_the_indicator_counts(vocabulary, value, en):
    figure = Figure(indicator="awards-won", value=value, unit="item")
    assert Helpers(vocabulary, "en", ui_strings("en")).amount_text(figure) == en
    assert Helpers(vocabulary, "zh", ui_strings("zh")).amount_text(figure) == f"{value}项"


def test_a_page_can_break_an_amount_only_between_number_and_unit(vocabulary):
    html = str(Helpers(vocabulary, "en", ui_strings("en")).amount(
        Figure(indicator="funding", value=190.1, unit="cny-10k")))
    assert '<span class="cb-amount__u">CNY</span> <span class="cb-amount__n">1.901 million</span>' in html


def _case(**changes) -> Case:
    import yaml
    data = yaml.safe_load(lakeside())
    data.update(changes)
    return Case.model_validate(data)


def test_plans_and_targets_are_never_among_the_results(vocabulary):
    case = _case(figures=[
        {"indicator": "graduates-employed", "value": 5, "unit": "person", "target": True, "span": "year",
         "when": "2020"},
        {"indicator": "graduates-employed", "value": 4, "unit": "person", "span": "year", "when": "2020"},
        {"indicator": "teachers-trained", "value": 30, "unit": "person-times", "span": "year", "when": "2020"},
        {"indicator": "staff-sent", "value": 3, "unit": "person-times", "span": "year", "when": "2020"},
    ])
    groups = {group: [k.figure.value for k in figures] for group, figures in key_figures(case, vocabulary)}
    assert groups == {"outcome": [4], "output": [30], "input": [3], "plan": [5]}


def test_a_figure_placed_otherwise_with_a_reason_is_grouped_there(vocabulary):
    case = _case(figures=[{"indicator": "teachers-trained", "value": 30, "unit": "person-times", "chain": "outcome",
                           "chain_note": {"zh": "说明", "en": "why"}, "span": "year", "when": "2020"}])
    assert [group for group, _ in key_figures(case, vocabulary)] == ["outcome"]


@pytest.mark.parametrize("case_id", REAL)
def test_measures_keep_the_records_order(case_id):
    case = real_case(case_id)
    assert [entry.measure for entry in measures_in_order(case)] == list(case.measures)


def test_related_cases_are_three_others_chosen_the_same_way_every_time():
    cases = [ValidCase(case_id, Path(f"cases/{case_id}.yaml"), real_case(case_id)) for case_id in REAL]
    first = related_cases(cases)
    assert first == related_cases(list(reversed(cases)))
    for case_id, others in first.items():
        assert len(others) == 3 and case_id not in [o.id for o in others]


def test_a_shared_partner_outweighs_a_shared_theme():
    base = _case()
    partner = base.partners[0]
    twin = base.model_copy(update={"measures": base.measures[:1]})
    stranger = base.model_copy(update={"partners": [partner.model_copy(update={"name": partner.name.model_copy(
        update={"zh": "另一所学校"}), "region": partner.region.model_copy(update={"province": "CN-XZ"})})],
        "reporter": base.reporter.model_copy(update={"province": "CN-QH"})})
    items = [ValidCase("base", Path("base.yaml"), base), ValidCase("twin", Path("twin.yaml"), twin),
             ValidCase("stranger", Path("stranger.yaml"), stranger)]
    assert [o.id for o in related_cases(items)["base"]] == ["twin", "stranger"]


def test_a_figures_label_does_not_repeat_the_unit_its_value_shows(vocabulary):
    helpers = Helpers(vocabulary, "en", ui_strings("en"))
    figure = Figure(indicator="teachers-trained-people", value=313, unit="person")
    assert helpers.amount_text(figure) == "313 people"
    assert str(helpers.figure_label(figure.indicator)) == "Teachers trained"

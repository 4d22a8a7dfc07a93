"""Amounts, percentages and plurals by each language's CLDR rules: what a reader of each edition sees."""

from __future__ import annotations

import pytest

from generator.numbers import amount, numbers_for
from generator.render import Helpers, ui_strings


@pytest.mark.parametrize(("value", "unit", "zh", "en"), [
    (17000, "cny-10k", "1.7亿元", "CNY 170 million"),
    (190.1, "cny-10k", "190.1万元", "CNY 1.901 million"),
    (500, "fish-10k", "500万尾", "5 million fish"),
    (200000, "square-metre", "20万平方米", "200,000 square metres"),
    (5.5, "cny-10k", "5.5万元", "CNY 55,000"),
    (0.1, "cny-10k", "0.1万元", "CNY 1,000"),
    (2500, "cny", "2500元", "CNY 2,500"),          # Chinese groups digits from five on (GB/T 15835)
    (1, "person", "1人", "1 person"),
    (2, "person", "2人", "2 people"),
    (1, "item", "1项", "1 item"),
    (8923, "person", "8923人", "8,923 people"),
    (1234567, "person", "1,234,567人", "1,234,567 people"),   # not shortened where that would round it
    (73.2, "percent", "73.2%", "73.2%"),
    (95, "percent", "95%", "95%"),
    (78.0, "course", "78门", "78 courses"),
])
def test_amounts_as_each_language_writes_them(vocabulary, value, unit, zh, en):
    assert amount(value, vocabulary.units[unit], "zh").text == zh
    assert amount(value, vocabulary.units[unit], "en").text == en


@pytest.mark.parametrize(("value", "unit", "source"), [
    (17000, "cny-10k", "17,000万元"), (190.1, "cny-10k", "190.1万元"), (200000, "square-metre", "200,000平方米")])
def test_the_sources_figure_travels_with_a_changed_amount(vocabulary, value, unit, source):
    shown = {lang: amount(value, vocabulary.units[unit], lang) for lang in ("zh", "en")}
    assert source in {s.source for s in shown.values()}
    assert all(s.source is None or s.source == source for s in shown.values())


def test_an_amount_the_source_wrote_so_has_no_hover_text(vocabulary):
    assert amount(190.1, vocabulary.units["cny-10k"], "zh").source is None
    assert amount(12, vocabulary.units["person"], "en").source is None


def test_the_page_shows_the_source_figure_on_hover(vocabulary):
    from generator.schema import Figure
    helpers = Helpers(vocabulary, "en", ui_strings("en"))
    figure = Figure(indicator="funding", value=17000, unit="cny-10k", approx="about")
    assert str(helpers.amount(figure)) == (
        '<span class="cb-amount" title="As given in the source: 17,000万元">about '
        '<span class="cb-amount__u">CNY</span> <span class="cb-amount__n">170 million</span></span>')


@pytest.mark.parametrize(("lang", "n", "kind", "text"), [
    ("en", 1, "cases", "1 case"), ("en", 2, "cases", "2 cases"), ("en", 0, "cases", "0 cases"),
    ("en", 1, "figures", "1 figure"), ("en", 1, "reporting", "1 case reports this indicator"),
    ("en", 3, "reporting", "3 cases report this indicator"), ("en", 1200, "cases", "1,200 cases"),
    ("zh", 1, "cases", "1个案例"), ("zh", 2, "cases", "2个案例"),
])
def test_counts_follow_the_languages_plural_rules(vocabulary, lang, n, kind, text):
    assert Helpers(vocabulary, lang, ui_strings(lang)).count(n, kind) == text


def test_each_languages_patterns_are_parsed_once():
    assert numbers_for("en") is numbers_for("en") and numbers_for("zh") is not numbers_for("en")

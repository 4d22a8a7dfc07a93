"""The terminology table (vocabulary.yaml, terminology): one English rendering per domain term, kept by validate."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.validate import validate_files
from generator.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_TERMS = ["对口支援", "对口帮扶", "对口合作", "结对帮扶", "东西部协作", "援疆", "援藏", "建档立卡", "中职",
                "高职", "双高", "职业教育东西协作行动计划", "国家职业教育改革实施方案"]


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(ROOT / "vocabulary.yaml")


def test_the_table_has_the_domain_terms_once_each(vocabulary):
    chinese = [term.zh for term in vocabulary.glossary]
    assert set(DOMAIN_TERMS) <= set(chinese)
    assert len(chinese) == len(set(chinese))


def test_no_term_lists_its_own_rendering_as_a_variant_and_every_term_is_explained(vocabulary):
    for term in vocabulary.glossary:
        assert term.en.lower() not in {v.lower() for v in term.variants}, term.zh
        assert term.note is not None and term.note.zh and term.note.en, term.zh


def test_spacing_hyphens_dashes_and_case_do_not_hide_a_variant(vocabulary):
    zh = "职业教育东西协作行动计划"
    for en in ("the vocational education east-west cooperation action plan",
               "the Vocational Education East–West  Cooperation Action Plan"):
        assert [(t.zh, words) for t, words in vocabulary.variant_renderings(zh, en)] == [(zh, en[4:])]
    assert vocabulary.variant_renderings(zh, "the East-West Vocational Education Cooperation Action Plan") == []


def test_a_variant_is_reported_only_where_the_chinese_has_its_term(vocabulary):
    assert vocabulary.variant_renderings("援藏工作", "Tibet aid work")[0][1] == "Tibet aid"
    assert vocabulary.variant_renderings("援疆工作", "Tibet aid work") == []


def test_the_five_records_use_one_rendering_per_term(vocabulary):
    valid, problems = validate_files([ROOT / "cases"], vocabulary)
    assert not problems, "\n".join(map(str, problems))
    assert len(valid) == 5

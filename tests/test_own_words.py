"""The real records are written in our own words: no run of 14 Han characters is shared with a source.

Punctuation, spaces, digits and Latin letters are removed before comparing, so a comma between two copied
halves hides nothing. Names the record gives, anything in 《》 or “”, and clauses that are only a list of short
items separated by 、 are left out (tests/source_windows.py says which). The check compares the records with
hashes of the sources' windows (tests/data/source_windows.txt, made from ../shared/sources by
``python -m tests.source_windows ../shared/sources``), so it also runs where the sources are not beside the
repository; where they are, a second test checks that the hashes are current. The window was chosen by
measurement (``python -m tests.source_windows --measure ../shared/sources``: issue 22's closing note).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from tests.source_windows import WINDOW, copied_in_case, copied_runs, load_hashes, source_hashes

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("CASEBOOK_SOURCES", ROOT.parent / "shared" / "sources"))
SOURCE = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒"


@pytest.fixture
def hashes(tmp_path: Path) -> set[str]:
    # punctuation, a line break, digits and Latin letters in the source hide nothing either
    (tmp_path / "s.txt").write_text(SOURCE[:8] + "，\n" + SOURCE[8:15] + "2016 ab" + SOURCE[15:], encoding="utf-8")
    return source_hashes(tmp_path)


def test_a_copied_run_is_caught_whatever_punctuation_lies_between(hashes):
    assert WINDOW == 14
    assert copied_runs("前言" + SOURCE[3:17] + "。", hashes) == [SOURCE[3:17]]
    assert copied_runs("前言" + SOURCE[3:16] + "。", hashes) == []  # 13 shared characters pass
    assert copied_runs(SOURCE[:7] + "，" + SOURCE[7:14] + "后记", hashes) == [SOURCE[:7] + "，" + SOURCE[7:14]]
    assert copied_runs(SOURCE[:7] + " 12 AB " + SOURCE[7:14], hashes) == [SOURCE[:7] + " 12 AB " + SOURCE[7:14]]


def test_overlapping_windows_are_one_run(hashes):
    assert copied_runs("某" + SOURCE[:20] + "某", hashes) == [SOURCE[:20]]


def test_names_quotes_and_short_lists_are_exempt(hashes):
    assert copied_runs("《" + SOURCE + "》", hashes) == []                      # a title may be quoted
    assert copied_runs("“" + SOURCE[:22] + "”", hashes) == []                  # and a programme's name
    assert copied_runs("某" + SOURCE[:26] + "某", hashes, [SOURCE[:26]]) == []  # so may a name the record gives
    short_list = "、".join([SOURCE[:6], SOURCE[6:12], SOURCE[12:18]])
    assert copied_runs("开设" + "，" + short_list + "。", hashes) == []
    long_item = "、".join([SOURCE[:13], SOURCE[13:16]])  # an item of 13 characters is a phrase, not a list item
    assert copied_runs(long_item + "。", hashes) == [long_item]


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the source documents (../shared/sources) are not beside the repo")
def test_the_committed_hashes_are_those_of_the_sources():
    assert load_hashes() == source_hashes(SOURCES), (
        "tests/data/source_windows.txt is stale: run `.venv/bin/python -m tests.source_windows ../shared/sources`")


def test_records_share_no_run_of_14_han_characters_with_a_source():
    hashes = load_hashes()
    assert len(hashes) > 1000  # the sources' windows, not an empty file
    valid, problems = validate_files([ROOT / "cases"], load_vocabulary(ROOT / "vocabulary.yaml"))
    assert not problems, "\n".join(map(str, problems))
    copied = [line for item in valid for line in copied_in_case(item.id, item.case, hashes)]
    assert not copied, f"rewrite these in our own words (runs sharing {WINDOW} Han characters with a source):\n" + \
        "\n".join(copied)

"""The real records are written in our own words: no long run of Chinese is copied from a source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.validate import iter_texts, validate_files
from generator.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"
RUN = 25
CJK_RUN = re.compile(rf"[\u4e00-\u9fff]{{{RUN},}}")
QUOTED_TITLE = re.compile(r"《[^》]*》")


def _source_text() -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt")))
    return re.sub(r"\s+", "", text)  # page breaks and line wraps must not hide a copy


def _proper_names(case) -> list[str]:
    names = [case.reporter.name.zh, case.source.title.zh, *(p.name.zh for p in case.partners),
             *(p.title.zh for p in case.policies)]
    return sorted({n for n in names if n}, key=len, reverse=True)


def copied_runs(text: str, source: str, names: list[str]) -> list[str]:
    """Runs of RUN or more Chinese characters in ``text`` that also occur in ``source``."""
    text = QUOTED_TITLE.sub("|", text)
    for name in names:
        text = text.replace(name, "|")
    found = []
    for match in CJK_RUN.finditer(text):
        run = match.group()
        if any(run[i:i + RUN] in source for i in range(len(run) - RUN + 1)):
            found.append(run)
    return found


def test_the_checker_catches_a_copied_sentence():
    source = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒"
    assert copied_runs("前言" + source[2:29] + "。", source, []) == ["前言" + source[2:29]]
    assert copied_runs("《" + source + "》", source, []) == []
    assert copied_runs(source[:24] + "，" + source[24:], source, []) == []


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the source documents (../shared/sources) are not beside the repo")
def test_records_do_not_copy_runs_of_25_chinese_characters_from_a_source():
    source = _source_text()
    valid, problems = validate_files([ROOT / "cases"], load_vocabulary(ROOT / "vocabulary.yaml"))
    assert not problems, "\n".join(map(str, problems))
    copied = []
    for item in valid:
        names = _proper_names(item.case)
        for loc, text in iter_texts(item.case):
            copied += [f"{item.id}: {loc}: {run}" for run in copied_runs(text.zh, source, names)]
    assert not copied, "rewrite these in our own words:\n" + "\n".join(copied)

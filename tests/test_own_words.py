"""The real records are written in our own words: no run of 20 Han characters is shared with a source.

A run is a stretch of consecutive Han characters (punctuation ends it). Names and titles are left out: the
reporter's, the partners' and the source's names, the reporter's honours, the cited policies' titles and anything
in 《》 or “” (the marks Chinese puts around a title, a programme's name or a quotation). The check
compares the records with hashes of the sources' windows (tests/data/source_windows.txt, made from
../shared/sources by ``python -m tests.source_windows ../shared/sources``), so it also runs where the sources are
not beside the repository; where they are, a second test checks that the hashes are current.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.schema import iter_texts
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from tests.source_windows import WINDOW, han_runs, load_hashes, source_hashes, window_hash, windows

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"
QUOTED = re.compile(r"《[^》]*》|“[^”]*”")


def _proper_names(case) -> list[str]:
    names = [case.reporter.name.zh, case.source.title.zh, *(p.name.zh for p in case.partners),
             *(h.zh for h in case.reporter.honours), *(p.title.zh for p in case.policies)]
    return sorted({n for n in names if n}, key=len, reverse=True)


def copied_runs(text: str, hashes: set[str], names: list[str]) -> list[str]:
    """The runs of ``text`` (names and titles taken out) that share a WINDOW-character window with a source."""
    for name in names:  # before the quotes go: a name may contain a quoted part
        text = text.replace(name, "|")
    text = QUOTED.sub("|", text)
    return [run for run in han_runs(text) if any(window_hash(w) in hashes for w in windows(run))]


def test_the_checker_catches_a_copied_run_and_nothing_else(tmp_path):
    source = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒"
    (tmp_path / "s.txt").write_text(source[:15] + "\n" + source[15:], encoding="utf-8")  # a line break hides nothing
    hashes = source_hashes(tmp_path)
    assert copied_runs("前言" + source[3:23] + "。", hashes, []) == ["前言" + source[3:23]]
    assert copied_runs("前言" + source[3:22] + "。", hashes, []) == []            # 19 shared characters pass
    assert copied_runs(source[:12] + "，" + source[12:24], hashes, []) == []       # punctuation ends a run
    assert copied_runs("《" + source + "》", hashes, []) == []                      # a title may be quoted
    assert copied_runs("“" + source[:22] + "”", hashes, []) == []                  # and a programme's name
    assert copied_runs("某" + source[:26] + "某", hashes, [source[:26]]) == []      # so may a name


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the source documents (../shared/sources) are not beside the repo")
def test_the_committed_hashes_are_those_of_the_sources():
    assert load_hashes() == source_hashes(SOURCES), (
        "tests/data/source_windows.txt is stale: run `.venv/bin/python -m tests.source_windows ../shared/sources`")


def test_records_share_no_run_of_20_han_characters_with_a_source():
    hashes = load_hashes()
    assert len(hashes) > 1000  # the sources' windows, not an empty file
    valid, problems = validate_files([ROOT / "cases"], load_vocabulary(ROOT / "vocabulary.yaml"))
    assert not problems, "\n".join(map(str, problems))
    copied = []
    for item in valid:
        names = _proper_names(item.case)
        for loc, text in iter_texts(item.case):
            copied += [f"{item.id}: {loc}: {run}" for run in copied_runs(text.zh, hashes, names)]
    assert not copied, f"rewrite these in our own words (runs sharing {WINDOW} characters with a source):\n" + \
        "\n".join(copied)

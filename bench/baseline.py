"""The baseline: the same pages built "the usual way", one MkDocs + Material build with mkdocs-static-i18n."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.process_tree import run_command
from bench.workspace import log
from generator.project import Project
from generator.validate import validate_files
from generator.vocabulary import Vocabulary, load_vocabulary
from generator.write import write_tree

BASELINE_CONFIG = """\
# The same pages built "the usual way": one MkDocs + Material build with mkdocs-static-i18n,
# both languages in one docs tree (folder structure), one search plugin with jieba, and the
# automatic navigation listing every page, as the plugin's documentation sets it up.
INHERIT: ../mkdocs.yml
docs_dir: docs
site_dir: site
strict: false
nav: null
hooks: []
theme:
  custom_dir: overrides
plugins:
  - search:
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；：（）《》“”]+'
      jieba_dict_user: {jieba}
  - i18n:
      docs_structure: folder
      languages:
        - locale: zh
          default: true
          name: 中文
          build: true
        - locale: en
          name: English
          build: true
          site_name: Vocational Education Assistance Casebook
extra:
  alternate:
    - {{name: 中文, link: /, lang: zh}}
    - {{name: English, link: /en/, lang: en}}
"""


JIEBA_FREQUENCY = 100000  # high enough that jieba keeps a listed name as one word


def jieba_user_dictionary(project: Project) -> str:
    """The baseline's jieba user dictionary, as the casebook made one for Material's search before it used
    Pagefind: names from the records and the vocabulary's Chinese labels, one entry a line."""
    vocabulary: Vocabulary = load_vocabulary(project.vocabulary)
    cases, _ = validate_files([project.cases_dir], vocabulary)
    words: set[str] = set()
    for kind in ("themes", "relationships", "institution_kinds", "source_kinds", "indicators", "provinces"):
        words.update(label.zh for label in vocabulary.terms(kind).values())
    for item in cases:
        case = item.case
        words.add(case.reporter.name.zh)
        for partner in case.partners:
            words.add(partner.name.zh)
            words.update(t.zh for t in (partner.region.prefecture, partner.region.county) if t)
    entries = sorted({"".join(w.split()) for w in words if w and any("\u4e00" <= ch <= "\u9fff" for ch in w)})
    return "".join(f"{word} {JIEBA_FREQUENCY} nz\n" for word in entries)


def write_baseline(project: Project, rendered: dict[str, list[tuple[str, str]]]) -> Path:
    """The baseline's project: docs/zh/… and docs/en/… from our rendered Markdown, its mkdocs.yml, our assets."""
    base = project.root / "baseline"
    shutil.rmtree(base, ignore_errors=True)
    for lang, pages in rendered.items():
        write_tree(base / "docs" / lang, pages)
    shutil.copytree(project.root / "site_overrides" / "assets", base / "overrides" / "assets")
    jieba = base / "jieba_user_dict.txt"
    jieba.write_text(jieba_user_dictionary(project), encoding="utf-8")
    (base / "mkdocs.yml").write_text(BASELINE_CONFIG.format(jieba=jieba), encoding="utf-8")
    return base


def baseline_build(project: Project, rendered: dict[str, list[tuple[str, str]]], timeout: float) -> dict[str, Any]:
    base = write_baseline(project, rendered)
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(base / "mkdocs.yml")]
    try:
        wall, sample, cpu, _ = run_command(command, base, timeout=timeout)
    except subprocess.TimeoutExpired:
        # How far it got: MkDocs writes each page as it renders it, so the pages in its site tell its pace.
        total = sum(len(pages) for pages in rendered.values())
        written = sum(1 for _ in (base / "site").rglob("*.html"))
        return {"base wall": f"> {timeout:.0f} s (stopped: {written:,} of {total:,} pages written)",
                "base per page": timeout / written if written else None}
    except RuntimeError as exc:  # a stopped or failed baseline must not lose the figures already taken
        log(str(exc).splitlines()[0])
        return {"base wall": "failed (see log)"}
    return {"base wall": wall, "base cpu": cpu, "base peak": sample.peak_rss, "base pss": sample.peak_pss}

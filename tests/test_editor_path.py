"""The editors' path end to end, on a temporary copy: `casebook new` → fill in → `casebook validate` → `casebook
build` → the new case is in both languages, in the catalogue and in search; and the pre-commit hook."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site_helpers import FIXTURES, ROOT, casebook, make_project, search_pages

CASE = "editor-path-college"
PROBLEM = re.compile(r"^cases/(?P<file>[^:]+):(?P<line>\d+):\d+: (?P<field>[^:]+): (?P<message>.+)$", re.M)
# What an editor types for each required field that validate reports empty, by the field's path.
ANSWERS = {
    "title.zh": "编辑路径学院结对帮扶远山职业中学",
    "title.en": "Editor Path College twins with Yuanshan Vocational School",
    "summary.zh": "编辑路径学院与远山职业中学结对，开展教师培训。",
    "summary.en": "Editor Path College twinned with Yuanshan Vocational School to train teachers.",
    "reporter.name.zh": "编辑路径学院",
    "reporter.name.en": "Editor Path College",
    "reporter.kind": "higher-vocational-college",
    "reporter.province": "CN-HN",
    "source.title.zh": "编辑路径学院帮扶工作总结",
    "source.title.en": "Editor Path College assistance summary",
    "source.kind": "work-summary",
    "source.issued": '"2020-06"',
    "source.period.from": "2019",
    "partners[0].id": "yuanshan-school",
    "partners[0].name.zh": "远山职业中学",
    "partners[0].name.en": "Yuanshan Vocational School",
    "partners[0].kind": "secondary-vocational-school",
    "partners[0].region.province": "CN-GZ",
    "partners[0].relationship": "[twinning]",
    "translation.en": "reviewed",
}


def fill_in(record: Path, output: str) -> int:
    """Write an answer on each line that `casebook validate` reports; returns how many lines were filled."""
    lines = record.read_text(encoding="utf-8").split("\n")
    filled = 0
    for problem in PROBLEM.finditer(output):
        field, index = problem["field"], int(problem["line"]) - 1
        if field not in ANSWERS and "English" in problem["message"]:  # reported at the pair: fill its `en:` line
            field = f"{field}.en"
            index = next(i for i in range(index + 1, len(lines)) if lines[i].lstrip().startswith("en:"))
        assert field in ANSWERS, f"validate asks for a field the test has no answer for: {problem[0]}"
        key, _, comment = lines[index].partition("#")
        name = key.split(":")[0]
        lines[index] = f"{name}: {ANSWERS[field]}  #{comment}"
        filled += 1
    record.write_text("\n".join(lines), encoding="utf-8")
    return filled


@pytest.mark.browser  # the search index is read in Chromium (site_helpers.search_pages)
def test_new_case_from_skeleton_to_both_sites_catalogue_and_search(browser: object, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "cases")
    created = casebook(project, "new", CASE)
    assert created.returncode == 0, created.stdout + created.stderr
    record = project / "cases" / f"{CASE}.yaml"
    assert record.is_file()

    for _ in range(3):  # an editor fills in what validate asks for until it is clean
        result = casebook(project, "validate")
        if result.returncode == 0:
            break
        assert result.returncode == 1, result.stdout + result.stderr
        assert fill_in(record, result.stdout + result.stderr), result.stdout + result.stderr
    result = casebook(project, "validate")
    assert result.returncode == 0, result.stdout + result.stderr

    built = casebook(project, "build", "-q")
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "site"
    for prefix, lang in (("", "zh"), ("en/", "en")):
        page = (site / prefix / "cases" / CASE / "index.html").read_text(encoding="utf-8")
        assert ANSWERS[f"title.{lang}"] in page
        catalogue = (site / prefix / "cases" / "index.html").read_text(encoding="utf-8")
        assert f'href="{CASE}/"' in catalogue
        indexed = {entry["url"]: entry for entry in search_pages(browser, site / prefix)}
        assert f"/cases/{CASE}/" in indexed, f"{prefix}pagefind has no entry for the new case"
        content = indexed[f"/cases/{CASE}/"]["content"]
        words = ("远山职业中学", "编辑路径学院") if lang == "zh" else ("Yuanshan",)
        for word in words:
            assert word in content, word


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_hook_validates_changed_case_records(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "cases")
    shutil.copy2(ROOT / ".pre-commit-config.yaml", project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=300)

    assert run("git", "init", "-q").returncode == 0
    good = project / "cases" / "lakeside-polytechnic.yaml"
    bad = project / "cases" / "broken-case.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("kind: higher-vocational-college", "kind: castle"),
                   encoding="utf-8")
    run("git", "add", "-A")
    hook = [sys.executable, "-m", "pre_commit", "run", "--files"]
    passed = run(*hook, str(good.relative_to(project)))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = run(*hook, str(bad.relative_to(project)))
    assert failed.returncode != 0, failed.stdout + failed.stderr
    assert "broken-case.yaml" in failed.stdout and "reporter.kind" in failed.stdout, failed.stdout

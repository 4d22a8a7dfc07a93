"""`casebook serve` regenerates a language's pages when an input changed, and skips the rebuild its own writes cause."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, VOCABULARY, edited, lakeside, write_case

import generator.freshness
import generator.mkdocs_hook
import generator.records
from generator.build import PREGENERATED, PREGENERATED_ONCE
from generator.freshness import changed_inputs, generated
from generator.generate import Generated, Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project with one record, its own copy of the templates, its docs directory, and every stat trusted."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(VOCABULARY, tmp_path / "vocabulary.yaml")
    write_case(tmp_path / "cases", "lakeside-polytechnic", lakeside())
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    monkeypatch.setattr(generator.freshness, "TEMPLATES", tmp_path / "templates")
    monkeypatch.setattr(generator.records, "RACY_NS", -1)  # what settling means is tested apart, below
    project = Project.at(tmp_path)
    project.docs_dir("zh").mkdir(parents=True)
    return project


def generate_now(project: Project) -> None:
    inputs = changed_inputs(project, "zh")
    assert inputs is not None
    generated(project, "zh", inputs)


def test_unchanged_inputs_are_not_generated_again(project):
    generate_now(project)
    assert changed_inputs(project, "zh") is None
    assert changed_inputs(project, "en") is not None  # the other language was never generated


# Each change also changes the file's size, so that it shows in the stat on any file system's timestamps.
@pytest.mark.parametrize("change", [
    lambda p: (p.cases_dir / "lakeside-polytechnic.yaml").write_text(edited("founded: 1958", "founded: 1959 ")),
    lambda p: write_case(p.cases_dir, "another-college", lakeside()),
    lambda p: (p.cases_dir / "lakeside-polytechnic.yaml").unlink(),
    lambda p: p.vocabulary.write_text(p.vocabulary.read_text(encoding="utf-8") + "\n", encoding="utf-8"),
    lambda p: (p.root / "templates" / "strings" / "zh.yaml").write_text("x: y\n", encoding="utf-8"),
    lambda p: p.mkdocs_config("zh").write_text(p.mkdocs_config("zh").read_text(encoding="utf-8") + "\n"),
    lambda p: shutil.rmtree(p.docs_dir("zh")),
], ids=["edited-record", "new-record", "deleted-record", "vocabulary", "template", "mkdocs-config", "docs-removed"])
def test_any_changed_input_is_generated_again(project, change):
    generate_now(project)
    change(project)
    assert changed_inputs(project, "zh") is not None


def test_files_changed_just_before_they_were_seen_are_compared_by_contents(project, monkeypatch):
    """A file written again within its file system's timestamp granularity can keep its stat: here every file's
    stat is the same all along and says it changed a moment ago, so only the contents can tell."""
    monkeypatch.setattr(generator.records, "RACY_NS", 2_000_000_000)
    now = time.time_ns()
    monkeypatch.setattr(generator.freshness, "stamp", lambda path: (now, now, 1, 1))
    generate_now(project)
    assert changed_inputs(project, "zh") is None  # the rebuild our own writes start: nothing to do
    (project.cases_dir / "lakeside-polytechnic.yaml").write_text(edited("founded: 1958", "founded: 1959"))
    assert changed_inputs(project, "zh") is not None


def test_the_hook_skips_the_rebuild_its_own_writes_start(project, monkeypatch):
    calls: list[tuple[str, ...]] = []
    def generate(project, languages, show_problems):
        calls.append(languages)
        return Generated([], {}, [])

    monkeypatch.setattr(generator.mkdocs_hook, "generate", generate)
    for name in ("CASEBOOK_CASES", PREGENERATED, PREGENERATED_ONCE):
        monkeypatch.delenv(name, raising=False)
    config = SimpleNamespace(config_file_path=str(project.mkdocs_config("zh")), theme={"language": "zh"})
    for _ in range(2):
        generator.mkdocs_hook.on_config(config)
    assert calls == [("zh",)]
    (project.cases_dir / "lakeside-polytechnic.yaml").write_text(edited("founded: 1958", "founded: 1959 "))
    generator.mkdocs_hook.on_config(config)
    assert calls == [("zh",), ("zh",)]

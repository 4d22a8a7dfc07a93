"""`casebook build` runs the generator stage in a forked process (generator/build.generate_apart), so that its memory
goes back to the system before MkDocs starts; what an editor sees of it is the same as in one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import build
from generator.errors import ProblemsFound
from generator.project import Project
from generator.validate import validate_files
from generator.vocabulary import load_vocabulary
from tests.conftest import FIXTURES, edited, write_case
from tests.site_helpers import make_project

pytestmark = pytest.mark.skipif(not build.can_fork(), reason="the generator's process is forked")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.at(make_project(tmp_path / "project", FIXTURES))


def test_the_pages_are_written_and_the_case_ids_come_back(project: Project) -> None:
    messages: list[str] = []
    ids, epoch = build.generate_apart(project, messages.append)
    assert ids == sorted(p.stem for p in FIXTURES.glob("*.yaml")) and epoch > 0
    for case_id in ids:
        assert (project.docs_dir("zh") / "cases" / case_id / "index.md").is_file()
        assert (project.docs_dir("en") / "cases" / case_id / "index.md").is_file()
    assert (project.docs_dir("zh") / "data" / "cases.json").is_file()


def test_every_problem_of_a_broken_record_comes_back_as_in_one_process(project: Project) -> None:
    # write_case adds ".yaml": the fixture's own record gets the broken edit, and a second record is no YAML
    broken = write_case(project.cases_dir, "lakeside-polytechnic", edited('added: "2026-11-20"', 'added: "2026-02-30"'))
    unreadable = write_case(project.cases_dir, "x", "id: [")
    expected = validate_files([project.cases_dir], load_vocabulary(project.vocabulary))[1]
    with pytest.raises(ProblemsFound) as raised:
        build.generate_apart(project, lambda message: None)
    assert raised.value.problems == sorted(expected) and len(expected) >= 2
    assert str(raised.value) == str(ProblemsFound(expected)) and broken.name in str(raised.value)
    assert {Path(problem.path).name for problem in expected} == {broken.name, unreadable.name}
    assert "2026-02-30" in str(raised.value) and ".yaml.yaml" not in str(raised.value)


def test_a_generator_process_that_dies_is_an_error_not_a_hang(project: Project,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # The forked path whatever threads other tests left running: the child only ends itself, so no lock is held.
    monkeypatch.setattr(build, "can_fork", lambda: True)
    parent = os.getpid()
    monkeypatch.setattr(build, "generate", lambda *args, **kwargs: os._exit(9) if os.getpid() != parent else None)
    with pytest.raises(RuntimeError, match="ended without a result"):
        build.generate_apart(project, lambda message: None)
